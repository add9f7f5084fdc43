package org.fsnap.cli;

/** The exit statuses of {@code fsnap}; documented in its --help and in README.md. */
public final class ExitCode {
    /** Done. */
    public static final int OK = 0;
    /**
     * The snapshot operation was refused: no such snapshot, the name is taken, a bad name, too
     * many snapshots of the file, no space left.
     */
    public static final int SNAPSHOT = 1;
    /** Bad command line. */
    public static final int USAGE = 2;
    /** FILE is not on an fsnap export, or the export is mounted below NFS 4.2 (no xattrs). */
    public static final int NOT_FSNAP = 3;
    /** Permission denied, or a read-only export. */
    public static final int PERMISSION = 4;
    /** FILE does not exist or is not a regular file. */
    public static final int NO_FILE = 5;
    /** Any other failure (I/O error, stale file handle, an answer this fsnap does not understand). */
    public static final int IO = 6;

    private ExitCode() {
    }
}
