package org.fsnap.server.vfs;

/**
 * Why a filesystem call failed. Each carries the NFSv4 status it maps to, so the protocol
 * layer needs no table of its own.
 */
public enum VfsError {
    PERM(1), NOENT(2), IO(5), NXIO(6), ACCESS(13), EXIST(17), XDEV(18), NOTDIR(20), ISDIR(21),
    INVAL(22), FBIG(27), NOSPC(28), ROFS(30), MLINK(31), NAMETOOLONG(63), NOTEMPTY(66), DQUOT(69),
    STALE(70), BADHANDLE(10001), NOTSUPP(10004), TOOSMALL(10005), SERVERFAULT(10006),
    BADTYPE(10007), DELAY(10008), SYMLINK(10029), BADNAME(10041), WRONG_TYPE(10083),
    NOXATTR(10095), XATTR2BIG(10096),
    /**
     * The client has no entry for this export. NFS4ERR_ACCESS on the wire, as knfsd answers;
     * unlike {@link #ACCESS} never a matter of mode bits, so an open stateid does not override it.
     */
    NOT_EXPORTED(13);

    private final int nfsStatus;

    VfsError(int nfsStatus) {
        this.nfsStatus = nfsStatus;
    }

    public int nfsStatus() {
        return nfsStatus;
    }
}
