package org.fsnap.server.nfs;

/**
 * An operation failed with an NFSv4 status. Thrown inside operations and turned into the
 * operation's result by the COMPOUND processor; it never reaches the connection.
 */
public class NfsException extends Exception {
    private final int status;

    public NfsException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public NfsException(int status) {
        this(status, null);
    }

    public int status() {
        return status;
    }
}
