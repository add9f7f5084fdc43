package org.fsnap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Host-side looks at an export directory: what the server really stored. */
public final class HostFiles {

    private HostFiles() {
    }

    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static int mode(Path p) {
        return (Integer) attr(p, "unix:mode") & 07777;
    }

    public static int uid(Path p) {
        return (Integer) attr(p, "unix:uid");
    }

    public static int gid(Path p) {
        return (Integer) attr(p, "unix:gid");
    }

    public static int nlink(Path p) {
        return (Integer) attr(p, "unix:nlink");
    }

    private static Object attr(Path p, String name) {
        try {
            return Files.getAttribute(p, name, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts mode (octal, e.g. 0640), owner and group of P. */
    public static void assertOwnerMode(Path p, int mode, int uid, int gid) {
        assertEquals(String.format("%04o %d:%d", mode, uid, gid),
                String.format("%04o %d:%d", mode(p), uid(p), gid(p)), "mode and owner of " + p);
    }

    /** Creates (or replaces) a file with CONTENT, then sets owner and mode. */
    public static Path file(Path p, String content, int uid, int gid, int mode) {
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
            own(p, uid, gid, mode);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a directory, then sets owner and mode. */
    public static Path dir(Path p, int uid, int gid, int mode) {
        try {
            Files.createDirectories(p);
            own(p, uid, gid, mode);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void own(Path p, int uid, int gid, int mode) throws IOException {
        Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
    }
}
