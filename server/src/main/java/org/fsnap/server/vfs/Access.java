package org.fsnap.server.vfs;

/** ACCESS4 bits (RFC 8881 section 18.1, RFC 8276 section 8.4.1 for the XA bits). */
public final class Access {
    public static final int READ = 0x01;
    public static final int LOOKUP = 0x02;
    public static final int MODIFY = 0x04;
    public static final int EXTEND = 0x08;
    public static final int DELETE = 0x10;
    public static final int EXECUTE = 0x20;
    public static final int XAREAD = 0x40;
    public static final int XAWRITE = 0x80;
    public static final int XALIST = 0x100;

    private Access() {
    }
}
