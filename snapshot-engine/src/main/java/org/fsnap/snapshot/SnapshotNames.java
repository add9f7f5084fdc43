package org.fsnap.snapshot;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.fsnap.snapshot.history.FileHistory;

/** Snapshot name rules and automatic names. */
final class SnapshotNames {

    static final int MAX_BYTES = 255;
    private static final DateTimeFormatter AUTOMATIC =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private SnapshotNames() {
    }

    /** 1–255 bytes of valid UTF-8, no '/', no NUL, not "." or "..": the rules of a POSIX file name. */
    static void validate(String name) throws InvalidSnapshotNameException {
        if (name == null || name.isEmpty()) {
            throw new InvalidSnapshotNameException("snapshot name must not be empty");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new InvalidSnapshotNameException("snapshot name must not be '" + name + "'");
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw new InvalidSnapshotNameException("snapshot name must not contain '/' or NUL");
        }
        int bytes = utf8Length(name);
        if (bytes > MAX_BYTES) {
            throw new InvalidSnapshotNameException("snapshot name is " + bytes + " bytes; at most 255 allowed");
        }
    }

    private static int utf8Length(String name) throws InvalidSnapshotNameException {
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(name));
            return encoded.remaining();
        } catch (CharacterCodingException e) {
            throw new InvalidSnapshotNameException("snapshot name is not valid Unicode (lone surrogate)");
        }
    }

    /** {@code 20261122T193000Z}, or with {@code -2}, {@code -3}, … when that name is taken. */
    static String automatic(Instant now, FileHistory history) {
        String base = AUTOMATIC.format(now);
        if (history.find(base).isEmpty()) {
            return base;
        }
        for (int suffix = 2; ; suffix++) {
            String candidate = base + "-" + suffix;
            if (history.find(candidate).isEmpty()) {
                return candidate;
            }
        }
    }

    /**
     * The view name of an orphaned history: the live file's last name, '@', and an id. The name part is
     * shortened (at a character boundary) when the result would exceed 255 bytes.
     */
    static String orphan(String lastName, String id) {
        String suffix = "@" + id;
        String name = lastName.isEmpty() ? "file" : lastName;
        int budget = MAX_BYTES - suffix.length();
        while (name.getBytes(StandardCharsets.UTF_8).length > budget) {
            int cut = name.offsetByCodePoints(0, name.codePointCount(0, name.length()) - 1);
            name = name.substring(0, cut);
        }
        return name + suffix;
    }
}
