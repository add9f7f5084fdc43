package org.fsnap.cli;

import java.nio.file.Path;

/**
 * The user xattrs of files, the only way the CLI talks to fsnap. Names are as Java's
 * {@code UserDefinedFileAttributeView} takes them: without the {@code user.} prefix
 * ({@code fsnap.list} is {@code user.fsnap.list} for getfattr).
 */
public interface SnapshotXattrs {

    /**
     * Whether the filesystem holding {@code file} says it has user xattrs
     * ({@code FileStore.supportsFileAttributeView}). Only a hint: the JDK guesses for NFS.
     */
    boolean claimsSupport(Path file);

    /** The value of attribute {@code name} of {@code file} (following symbolic links). */
    byte[] read(Path file, String name) throws XattrException;

    /** Sets attribute {@code name} of {@code file} to {@code value}. */
    void write(Path file, String name, byte[] value) throws XattrException;
}
