package org.fsnap.cli;

import java.util.Locale;

/**
 * The errno values the CLI tells apart. {@code UserDefinedFileAttributeView} reports a failed
 * getxattr/setxattr only as a {@code FileSystemException} whose reason ends with the C
 * library's text for the errno ({@code strerror}), so that text is how the value is recognised.
 * {@code bin/fsnap} runs Java with {@code LC_MESSAGES=C} so the texts are glibc's English ones.
 */
public enum Errno {
    ENOENT("No such file or directory"),
    EACCES("Permission denied"),
    EPERM("Operation not permitted"),
    EEXIST("File exists"),
    EINVAL("Invalid argument"),
    /** ENOATTR: the attribute does not exist. */
    ENODATA("No data available"),
    /** ENOTSUP and EOPNOTSUPP are the same value on Linux. */
    ENOTSUP("Operation not supported"),
    EDQUOT("Disk quota exceeded"),
    ENOSPC("No space left on device"),
    EISDIR("Is a directory"),
    EROFS("Read-only file system"),
    E2BIG("Argument list too long"),
    /** The JDK replaces strerror(ERANGE) with its own text for reads. */
    ERANGE("Numerical result out of range", "Insufficient space in buffer"),
    ESTALE("Stale file handle"),
    EIO("Input/output error"),
    ENAMETOOLONG("File name too long"),
    ETIMEDOUT("Connection timed out"),
    /** Anything else; the original text is kept in the exception. */
    OTHER();

    private final String[] texts;

    Errno(String... texts) {
        this.texts = texts;
    }

    /** The errno whose text ends {@code reason} (case-insensitively), or {@link #OTHER}. */
    public static Errno fromReason(String reason) {
        if (reason == null) {
            return OTHER;
        }
        String r = reason.strip().toLowerCase(Locale.ROOT);
        for (Errno e : values()) {
            for (String text : e.texts) {
                if (r.endsWith(text.toLowerCase(Locale.ROOT))) {
                    return e;
                }
            }
        }
        return OTHER;
    }

    /** The C library's text, as {@code strerror} gives it; empty for {@link #OTHER}. */
    public String text() {
        return texts.length == 0 ? "" : texts[0];
    }
}
