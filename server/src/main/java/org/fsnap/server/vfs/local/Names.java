package org.fsnap.server.vfs.local;

import java.nio.charset.StandardCharsets;

import org.fsnap.server.vfs.VfsError;
import org.fsnap.server.vfs.VfsException;

/** What a single directory entry name may be. */
final class Names {
    /** NAME_MAX on every Linux filesystem we serve. */
    static final int MAX_NAME_BYTES = 255;

    private Names() {
    }

    static void check(String name) throws VfsException {
        if (name == null || name.isEmpty()) {
            throw new VfsException(VfsError.INVAL, "empty name"); // RFC 8881: zero-length is INVAL
        }
        if (name.equals(".") || name.equals("..")) {
            throw new VfsException(VfsError.BADNAME, "name '" + name + "'");
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw new VfsException(VfsError.BADNAME, "name with '/' or NUL");
        }
        if (utf8Length(name) > MAX_NAME_BYTES) {
            throw new VfsException(VfsError.NAMETOOLONG, "name longer than 255 bytes");
        }
    }

    static int utf8Length(String s) {
        int n = s.length();
        // fast path: pure ASCII names are the norm
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return n;
    }
}
