package org.fsnap.server.xdr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.dcache.oncrpc4j.xdr.Xdr;
import org.junit.jupiter.api.Test;

class XdrInputTest {

    static XdrInput input(int... words) {
        ByteBuffer b = ByteBuffer.allocate(words.length * 4);
        for (int w : words) {
            b.putInt(w);
        }
        Xdr xdr = new Xdr(b.array());
        xdr.beginDecoding();
        return new XdrInput(xdr);
    }

    @Test
    void opaqueWithinBoundIsReadWithPadding() throws Exception {
        XdrInput in = input(5, 0x61626364, 0x65000000, 42);
        assertArrayEquals("abcde".getBytes(), in.readOpaque(16));
        assertEquals(42, in.readInt());
    }

    @Test
    void bulkOpaqueIsCopiedIntoAPooledDirectBufferAndThePaddingSkipped() throws Exception {
        XdrInput in = input(5, 0x61626364, 0x65000000, 42);
        try (OpaqueBufferPool.Lease lease = in.readOpaqueBuffer(16)) {
            ByteBuffer data = lease.data();
            assertTrue(data.isDirect());
            assertEquals(5, data.remaining());
            byte[] b = new byte[5];
            data.get(b);
            assertArrayEquals("abcde".getBytes(), b);
        }
        assertEquals(42, in.readInt());
    }

    @Test
    void bulkOpaqueBeyondTheDataOrTheBoundIsRefusedAndLendsNothing() {
        int before = OpaqueBufferPool.SHARED.leased();
        assertThrows(XdrException.class, () -> input(100, 1).readOpaqueBuffer(1024));
        assertThrows(XdrException.class, () -> input(6, 0x61626364).readOpaqueBuffer(1024));
        assertThrows(XdrException.class, () -> input(Integer.MAX_VALUE, 0).readOpaqueBuffer(1024));
        assertEquals(before, OpaqueBufferPool.SHARED.leased());
    }

    @Test
    void absurdLengthIsRefusedBeforeAllocating() {
        XdrException e = assertThrows(XdrException.class,
                () -> input(Integer.MAX_VALUE, 0).readOpaque(1024));
        assertTrue(e.getMessage().contains("2147483647"), e.getMessage());
        assertThrows(XdrException.class, () -> input(-1).readOpaque(1024));
    }

    @Test
    void lengthBeyondTheDataIsTruncation() {
        assertThrows(XdrException.class, () -> input(100, 1).readOpaque(1024));
        assertThrows(XdrException.class, () -> input().readInt());
        assertThrows(XdrException.class, () -> input(1).readLong());
    }

    @Test
    void bitmapsAreBounded() throws Exception {
        assertArrayEquals(new int[] {3, 4}, input(2, 3, 4).readBitmap());
        assertThrows(XdrException.class, () -> input(1_000_000).readBitmap());
    }

    @Test
    void booleanMustBeZeroOrOne() throws Exception {
        assertTrue(input(1).readBoolean());
        assertThrows(XdrException.class, () -> input(7).readBoolean());
    }

    @Test
    void outputRoundTrips() throws Exception {
        try (Xdr xdr = new Xdr(64)) {
            xdr.beginEncoding();
            new XdrOutput(xdr).writeOpaque(new byte[] {1, 2, 3}).writeLong(-2).writeBoolean(true)
                    .writeFixedOpaque(new byte[] {9}).writeUtf8("é")
                    .writeOpaque(ByteBuffer.wrap(new byte[] {7, 8}));
            xdr.endEncoding();
            Xdr back = new Xdr(xdr.getBytes());
            back.beginDecoding();
            XdrInput in = new XdrInput(back);
            assertArrayEquals(new byte[] {1, 2, 3}, in.readOpaque(8));
            assertEquals(-2L, in.readLong());
            assertTrue(in.readBoolean());
            assertArrayEquals(new byte[] {9}, in.readFixedOpaque(1));
            assertEquals("é", in.readUtf8(8));
            assertArrayEquals(new byte[] {7, 8}, in.readOpaque(8));
        }
    }
}
