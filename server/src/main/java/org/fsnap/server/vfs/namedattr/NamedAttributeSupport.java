package org.fsnap.server.vfs.namedattr;

import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.VfsException;

/**
 * A filesystem that offers NFSv4 named attributes (RFC 8881 section 5.3): OPENATTR asks it
 * for an object's named attribute directory. The server's top-level filesystem implements it
 * when named attributes are served; OPENATTR answers NOTSUPP otherwise.
 */
public interface NamedAttributeSupport {

    /**
     * The named attribute directory of {@code object} (a FileType.NAMED_ATTR_DIR inode).
     *
     * @param createDir OPENATTR's createdir flag
     * @throws VfsException WRONG_TYPE for a named attribute or attribute directory,
     *     NOTSUPP for objects that cannot have named attributes
     */
    Inode openAttributes(Caller caller, Inode object, boolean createDir) throws VfsException;
}
