package org.fsnap.server.vfs.snapshot;

import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.VfsError;

/**
 * Told of every snapshot operation a client asks for through the control xattrs
 * ({@link SnapshotControl}), whether it worked or not; the server feeds the audit log and the
 * metrics from it. Called on the client's request thread after the operation: keep it cheap and
 * never throw.
 */
@FunctionalInterface
public interface SnapshotOperationListener {
    /** Listens to nothing. */
    SnapshotOperationListener NONE = (caller, op, file, snapshot, error, message, nanos) -> { };

    /**
     * One operation.
     *
     * @param caller   who asked (uid after squashing, client address)
     * @param op       {@code create}, {@code delete}, {@code revert}, or a read: {@code list},
     *                 {@code current}, {@code info}
     * @param file     the file, relative to the export ({@code "."} for the export itself, {@code "?"}
     *                 if it could not be placed)
     * @param snapshot the snapshot's name as asked ("" for an automatic name and for reads)
     * @param error    null on success, else what the client got
     * @param message  the error's message for the log, or null
     * @param nanos    how long the operation took, checks included
     */
    void clientOperation(Caller caller, String op, String file, String snapshot, VfsError error, String message,
                         long nanos);
}
