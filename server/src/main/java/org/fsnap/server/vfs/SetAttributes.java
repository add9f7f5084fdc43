package org.fsnap.server.vfs;

/**
 * Attribute changes for SETATTR, CREATE and OPEN(create). Null fields stay as they are.
 * Times: {@code SET_TO_SERVER_TIME} asks for "now".
 */
public record SetAttributes(Integer mode, Integer uid, Integer gid, Long size, Long atimeNanos,
                            Long mtimeNanos) {
    public static final long SET_TO_SERVER_TIME = Long.MIN_VALUE;

    public static final SetAttributes NONE = new SetAttributes(null, null, null, null, null, null);

    public static SetAttributes ofMode(int mode) {
        return new SetAttributes(mode, null, null, null, null, null);
    }

    public boolean isEmpty() {
        return mode == null && uid == null && gid == null && size == null && atimeNanos == null
                && mtimeNanos == null;
    }
}
