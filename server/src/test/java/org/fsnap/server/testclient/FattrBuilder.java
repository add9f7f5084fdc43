package org.fsnap.server.testclient;

import java.util.TreeMap;

/** Builds an fattr4 to send (CREATE createattrs, OPEN createattrs, SETATTR, VERIFY). */
public final class FattrBuilder {
    private final TreeMap<Integer, byte[]> values = new TreeMap<>();

    public static FattrBuilder attrs() {
        return new FattrBuilder();
    }

    /** Any attribute with a hand-encoded value (also for deliberately wrong ones). */
    public FattrBuilder raw(int attr, byte[] xdrValue) {
        values.put(attr, xdrValue.clone());
        return this;
    }

    public FattrBuilder mode(int mode) {
        return raw(Attr.MODE, new XdrWriter().writeInt(mode).toByteArray());
    }

    public FattrBuilder size(long size) {
        return raw(Attr.SIZE, new XdrWriter().writeLong(size).toByteArray());
    }

    public FattrBuilder owner(String owner) {
        return raw(Attr.OWNER, new XdrWriter().writeString(owner).toByteArray());
    }

    public FattrBuilder ownerGroup(String group) {
        return raw(Attr.OWNER_GROUP, new XdrWriter().writeString(group).toByteArray());
    }

    /** time_modify_set: SET_TO_CLIENT_TIME4 with the given time. */
    public FattrBuilder mtime(long seconds, int nanos) {
        return raw(Attr.TIME_MODIFY_SET, new XdrWriter().writeInt(1).writeLong(seconds)
                .writeInt(nanos).toByteArray());
    }

    /** time_modify_set: SET_TO_SERVER_TIME4. */
    public FattrBuilder mtimeNow() {
        return raw(Attr.TIME_MODIFY_SET, new XdrWriter().writeInt(0).toByteArray());
    }

    public FattrBuilder atime(long seconds, int nanos) {
        return raw(Attr.TIME_ACCESS_SET, new XdrWriter().writeInt(1).writeLong(seconds)
                .writeInt(nanos).toByteArray());
    }

    public int[] mask() {
        return Attr.bitmap(values.keySet().stream().mapToInt(Integer::intValue).toArray());
    }

    public void encode(XdrWriter w) {
        w.writeBitmap(mask());
        XdrWriter vals = new XdrWriter();
        values.values().forEach(vals::writeRaw);
        w.writeOpaque(vals.toByteArray());
    }

    public static void encodeEmpty(XdrWriter w) {
        w.writeBitmap().writeOpaque(new byte[0]);
    }
}
