package org.fsnap.server.vfs;

/** setxattr_option4 of RFC 8276: SETXATTR4_EITHER, SETXATTR4_CREATE, SETXATTR4_REPLACE. */
public enum XattrSetMode {
    EITHER, CREATE, REPLACE
}
