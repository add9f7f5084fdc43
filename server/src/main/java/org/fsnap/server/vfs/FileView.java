package org.fsnap.server.vfs;

import java.nio.ByteBuffer;

/**
 * Bytes of a file lent without a copy (see {@link VirtualFileSystem#readView}): a READ reply
 * sends them as they are. The holder closes the view once they have been sent, and must not
 * write into {@link #bytes()} nor use it after closing.
 */
public interface FileView extends AutoCloseable {
    /**
     * Reads shorter than this are not worth a view: copying a few pages costs less than
     * setting up and tearing down a mapping.
     */
    int MIN_LENGTH = 64 * 1024;

    /** The bytes, read-only, from position 0. */
    ByteBuffer bytes();

    /** Whether the bytes reach the end of the file. */
    boolean eof();

    /** Gives the bytes back; later calls do nothing. */
    @Override
    void close();
}
