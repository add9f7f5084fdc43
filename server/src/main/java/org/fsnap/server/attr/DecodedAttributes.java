package org.fsnap.server.attr;

import org.fsnap.server.vfs.SetAttributes;

/**
 * The outcome of decoding a client's fattr4 for setting: the changes for the VFS and the
 * attributes they cover (the attrsset bitmap of SETATTR, CREATE and OPEN).
 */
public record DecodedAttributes(SetAttributes changes, Bitmap4 attrsSet) {
    public static final DecodedAttributes NONE =
            new DecodedAttributes(SetAttributes.NONE, Bitmap4.EMPTY);
}
