package org.fsnap.server.vfs.export;

/**
 * A filesystem that applies export rules itself (an {@link ExportGate}, or a {@link PseudoRoot}
 * over gates). The server wraps any other filesystem it is given in the implicit gate of
 * {@code --export} (everyone, read-write, squashing as the options say).
 */
public interface ExportsEnforced {
}
