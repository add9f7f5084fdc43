package org.fsnap.snapshot;

import java.io.IOException;
import org.fsnap.snapshot.nativeio.Errno;
import org.fsnap.snapshot.nativeio.NativeIoException;

/** Maps low-level failures onto the engine's exception types. */
final class Failures {

    private Failures() {
    }

    static SnapshotException translate(IOException e, String what) {
        if (e instanceof SnapshotException s) {
            return s;
        }
        if (isNoSpace(e)) {
            return new NoSpaceException(what + ": no space left on the filesystem", e);
        }
        return new SnapshotIoException(what + " failed: " + e.getMessage(), e);
    }

    /**
     * A {@link SnapshotException} (a cluster refusal) carried through a lock or catalogue interface that
     * cannot throw checked exceptions; anything else is rethrown as it is.
     */
    static SnapshotException unwrap(java.io.UncheckedIOException e) {
        if (e.getCause() instanceof SnapshotException s) {
            return s;
        }
        throw e;
    }

    static boolean isNoSpace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NativeIoException n && Errno.meansNoSpace(n.errno())) {
                return true;
            }
            // The JDK reports ENOSPC from FileChannel.write only through strerror's text.
            String message = t.getMessage();
            if (t instanceof IOException && message != null
                    && (message.contains("No space left on device") || message.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }
}
