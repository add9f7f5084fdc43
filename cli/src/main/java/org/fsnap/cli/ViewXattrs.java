package org.fsnap.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Arrays;

/** {@link SnapshotXattrs} over the JDK's {@link UserDefinedFileAttributeView}. */
public final class ViewXattrs implements SnapshotXattrs {
    /** XATTR_SIZE_MAX: no Linux filesystem returns a larger value. */
    static final int MAX_VALUE = 65536;

    @Override
    public boolean claimsSupport(Path file) {
        try {
            return Files.getFileStore(file).supportsFileAttributeView(UserDefinedFileAttributeView.class);
        } catch (IOException | SecurityException e) {
            return true; // cannot tell; let the read decide
        }
    }

    @Override
    public byte[] read(Path file, String name) throws XattrException {
        UserDefinedFileAttributeView view = view(file);
        // One getxattr with the largest possible buffer: no size-then-read race.
        ByteBuffer buffer = ByteBuffer.allocate(MAX_VALUE);
        try {
            view.read(name, buffer);
        } catch (IOException e) {
            throw translate(e);
        }
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    @Override
    public void write(Path file, String name, byte[] value) throws XattrException {
        UserDefinedFileAttributeView view = view(file);
        try {
            view.write(name, ByteBuffer.wrap(value));
        } catch (IOException e) {
            throw translate(e);
        }
    }

    private static UserDefinedFileAttributeView view(Path file) throws XattrException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        if (view == null) {
            throw new XattrException(Errno.ENOTSUP, file + ": no user xattr view on this filesystem");
        }
        return view;
    }

    /** The errno behind one of the JDK's xattr exceptions. */
    static XattrException translate(IOException e) {
        if (e instanceof XattrException x) {
            return x;
        }
        if (e instanceof NoSuchFileException) {
            return new XattrException(Errno.ENOENT, e.getMessage());
        }
        if (e instanceof AccessDeniedException) {
            return new XattrException(Errno.EACCES, e.getMessage());
        }
        String reason = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
        return new XattrException(Errno.fromReason(reason), reason == null ? e.toString() : reason);
    }
}
