package org.fsnap.it;

/**
 * How a test wants its server set up, for any {@link ServerKind}.
 *
 * @param rootSquash whether the clients' root is mapped to nobody (fsnapd's default; without it
 *                   fsnapd gets {@code --no-root-squash} and ganesha {@code Squash = None})
 */
public record ServerOptions(boolean rootSquash) {

    /** Root acts as root: tests that chown, or that set up fixtures as root through NFS. */
    public static ServerOptions rootIsRoot() {
        return new ServerOptions(false);
    }

    /** The servers' safe default. */
    public static ServerOptions squashRoot() {
        return new ServerOptions(true);
    }
}
