package org.fsnap.server.vfs;

/** Space and file counts of the filesystem that holds an object. */
public record FsStat(long totalBytes, long freeBytes, long availableBytes, long totalFiles,
                     long freeFiles, long availableFiles) {
}
