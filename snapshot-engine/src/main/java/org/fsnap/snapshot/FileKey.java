package org.fsnap.snapshot;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The persistent identity of a live file's snapshot history. It is stored in the inode's
 * {@code trusted.fsnap.id} xattr, so it follows the inode through renames and is shared by hard links,
 * while a new file that reuses the name (or even the inode number) starts without one.
 */
public record FileKey(UUID id) {

    public FileKey {
        Objects.requireNonNull(id, "id");
    }

    public static FileKey random() {
        return new FileKey(UUID.randomUUID());
    }

    public static FileKey parse(String text) {
        return new FileKey(UUID.fromString(text));
    }

    /** Decodes an xattr value; empty if it is not one we wrote. */
    public static Optional<FileKey> fromXattr(byte[] value) {
        String text = new String(value, StandardCharsets.US_ASCII).trim();
        try {
            return text.length() == 36 ? Optional.of(parse(text)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public byte[] toXattr() {
        return id.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The first 8 hex digits, used to name orphaned histories ({@code NAME@1a2b3c4d}). */
    public String shortId() {
        return id.toString().substring(0, 8);
    }

    /** All 32 hex digits, used only when two orphans in one directory share a short id. */
    public String longId() {
        return id.toString().replace("-", "");
    }

    @Override
    public String toString() {
        return id.toString();
    }
}
