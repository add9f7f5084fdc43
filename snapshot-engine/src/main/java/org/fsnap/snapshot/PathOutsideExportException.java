package org.fsnap.snapshot;

/** The path is not inside the export, or lies inside the snapshot store. */
public final class PathOutsideExportException extends SnapshotException {
    public PathOutsideExportException(String message) {
        super(message);
    }

    public PathOutsideExportException(String message, Throwable cause) {
        super(message, cause);
    }
}
