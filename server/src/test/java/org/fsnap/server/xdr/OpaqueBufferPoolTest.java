package org.fsnap.server.xdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class OpaqueBufferPoolTest {

    @Test
    void aReturnedBufferIsLentAgain() {
        OpaqueBufferPool pool = new OpaqueBufferPool(4, 4);
        OpaqueBufferPool.Lease a = pool.take(100);
        ByteBuffer first = a.buffer();
        assertTrue(first.isDirect());
        assertEquals(100, a.length());
        a.close();
        a.close(); // twice: still given back once
        assertEquals(0, pool.leased());
        OpaqueBufferPool.Lease b = pool.take(OpaqueBufferPool.BUFFER_SIZE);
        assertTrue(b.buffer() == first, "the idle buffer is reused");
        assertEquals(OpaqueBufferPool.BUFFER_SIZE, b.data().remaining());
        b.close();
    }

    @Test
    void pastItsLimitThePoolLendsHeapBuffersAndKeepsNoCountForThem() {
        OpaqueBufferPool pool = new OpaqueBufferPool(2, 2);
        OpaqueBufferPool.Lease a = pool.take(10);
        OpaqueBufferPool.Lease b = pool.take(10);
        OpaqueBufferPool.Lease c = pool.take(10);
        OpaqueBufferPool.Lease huge = pool.take(OpaqueBufferPool.BUFFER_SIZE + 1);
        assertTrue(a.buffer().isDirect() && b.buffer().isDirect());
        assertFalse(c.buffer().isDirect());
        assertFalse(huge.buffer().isDirect());
        assertEquals(2, pool.leased());
        c.close();
        huge.close();
        assertEquals(2, pool.leased());
        a.close();
        b.close();
        assertEquals(0, pool.leased());
    }

    @Test
    void aDataViewDoesNotMoveTheLeasedBuffer() {
        OpaqueBufferPool pool = new OpaqueBufferPool(1, 1);
        try (OpaqueBufferPool.Lease a = pool.take(8)) {
            ByteBuffer view = a.data();
            view.get(new byte[8]);
            assertEquals(8, a.data().remaining());
        }
    }
}
