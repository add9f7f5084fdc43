package org.fsnap.server.vfs;

import java.util.List;

/**
 * A run of directory entries.
 *
 * @param verifier changes when cookies issued earlier may no longer be valid
 * @param eof true when no entries follow the last one returned
 */
public record DirectoryPage(List<DirectoryEntry> entries, long verifier, boolean eof) {
}
