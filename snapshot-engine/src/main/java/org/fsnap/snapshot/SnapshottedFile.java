package org.fsnap.snapshot;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A history that belongs in a directory's snapshot view.
 *
 * @param key           the history's identity (use it with the by-key engine methods)
 * @param viewName      the name the view should show: the live file's name, or {@code NAME@<short-id>} for
 *                      an orphan whose live file was removed
 * @param liveFile      the live file, empty for an orphan
 * @param snapshotCount number of snapshots in the history
 */
public record SnapshottedFile(FileKey key, String viewName, Optional<Path> liveFile, int snapshotCount) {

    public boolean orphaned() {
        return liveFile.isEmpty();
    }
}
