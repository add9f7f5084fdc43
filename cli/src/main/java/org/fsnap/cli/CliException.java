package org.fsnap.cli;

/** A failure the user reads: one message (maybe a few lines) and an exit status. */
public final class CliException extends Exception {
    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
