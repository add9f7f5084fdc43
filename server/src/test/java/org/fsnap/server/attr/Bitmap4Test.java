package org.fsnap.server.attr;

import static org.junit.jupiter.api.Assertions.*;

import org.dcache.oncrpc4j.xdr.Xdr;
import org.fsnap.server.xdr.XdrException;
import org.fsnap.server.xdr.XdrInput;
import org.fsnap.server.xdr.XdrOutput;
import org.junit.jupiter.api.Test;

class Bitmap4Test {

    @Test
    void bitsLandInTheRightWords() {
        Bitmap4 b = Bitmap4.of(AttributeId.TYPE, AttributeId.MODE, AttributeId.XATTR_SUPPORT);
        assertArrayEquals(new int[] {1 << 1, 1 << (33 - 32), 1 << (82 - 64)}, b.words());
        assertTrue(b.isSet(33));
        assertFalse(b.isSet(32));
        assertFalse(b.isSet(200));
        assertFalse(b.isSet(-1));
        assertArrayEquals(new int[] {1, 33, 82}, b.toArray());
        assertEquals(3, b.cardinality());
    }

    @Test
    void nextSetBitWalksAcrossWords() {
        Bitmap4 b = Bitmap4.of(0, 31, 32, 63, 64, 82);
        StringBuilder sb = new StringBuilder();
        for (int i = b.nextSetBit(0); i >= 0; i = b.nextSetBit(i + 1)) {
            sb.append(i).append(' ');
        }
        assertEquals("0 31 32 63 64 82 ", sb.toString());
        assertEquals(-1, b.nextSetBit(83));
        assertEquals(-1, Bitmap4.EMPTY.nextSetBit(0));
    }

    @Test
    void trailingZeroWordsAreTrimmedSoEqualSetsCompareEqual() {
        assertEquals(Bitmap4.of(3), Bitmap4.ofWords(8, 0, 0));
        assertEquals(Bitmap4.EMPTY, Bitmap4.ofWords(0, 0, 0));
        assertTrue(Bitmap4.ofWords(0, 0).isEmpty());
        assertEquals(1, Bitmap4.ofWords(8, 0, 0).wordCount());
    }

    @Test
    void setAlgebra() {
        Bitmap4 a = Bitmap4.of(1, 33, 82);
        Bitmap4 b = Bitmap4.of(33, 40);
        assertEquals(Bitmap4.of(33), a.and(b));
        assertEquals(Bitmap4.of(1, 33, 40, 82), a.or(b));
        assertEquals(Bitmap4.of(1, 82), a.andNot(b));
        assertTrue(a.intersects(b));
        assertFalse(a.intersects(Bitmap4.of(2)));
        assertTrue(a.containsAll(Bitmap4.of(1, 82)));
        assertFalse(a.containsAll(b));
        assertEquals(Bitmap4.of(1, 33, 82, 90), a.with(90));
        assertEquals(Bitmap4.of(1, 33), a.without(82));
        assertEquals(1, a.without(82).without(33).wordCount());
        assertThrows(IllegalArgumentException.class, () -> Bitmap4.of(256));
    }

    @Test
    void xdrRoundTripOfThreeWordBitmap() throws XdrException {
        Bitmap4 b = Bitmap4.of(0, 1, 19, 33, 47, 55, 75, 82);
        byte[] wire;
        try (Xdr xdr = new Xdr(64)) {
            xdr.beginEncoding();
            b.encode(new XdrOutput(xdr));
            xdr.endEncoding();
            wire = xdr.getBytes();
        }
        assertEquals(4 + 12, wire.length);
        XdrBuffer mine = new XdrBuffer();
        b.encode(mine);
        assertArrayEquals(wire, mine.toByteArray());
        Xdr in = new Xdr(wire);
        in.beginDecoding();
        assertEquals(b, Bitmap4.decode(new XdrInput(in)));
    }

    @Test
    void toStringNamesAttributes() {
        assertEquals("{type,mode,xattr_support}", Bitmap4.of(1, 33, 82).toString());
    }
}
