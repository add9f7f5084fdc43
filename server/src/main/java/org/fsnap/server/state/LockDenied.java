package org.fsnap.server.state;

import org.fsnap.server.xdr.XdrOutput;

/**
 * LOCK4denied of RFC 8881 section 18.10.2: the lock that stands in the way, as LOCK and
 * LOCKT report it.
 *
 * @param length {@link ByteRangeLockTable#TO_END} for a lock up to the end of the file
 * @param lockType READ_LT (1) or WRITE_LT (2)
 */
public record LockDenied(long offset, long length, int lockType, StateOwner owner) {

    public void encode(XdrOutput out) {
        out.writeLong(offset).writeLong(length).writeInt(lockType)
                .writeLong(owner.clientId()).writeOpaque(owner.owner());
    }
}
