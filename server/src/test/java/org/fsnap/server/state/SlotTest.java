package org.fsnap.server.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class SlotTest {
    @Test
    void sequenceIdsAdvanceByOne() {
        Slot slot = new Slot();
        assertEquals(Slot.Admission.NEW_REQUEST, slot.admit(1));
        assertEquals(Slot.Admission.IN_PROGRESS, slot.admit(1));
        assertEquals(Slot.Admission.MISORDERED, slot.admit(2));
        slot.complete(new byte[] {1});
        assertEquals(Slot.Admission.REPLAY, slot.admit(1));
        assertArrayEquals(new byte[] {1}, slot.cachedReply());
        assertEquals(Slot.Admission.MISORDERED, slot.admit(3));
        assertEquals(Slot.Admission.MISORDERED, slot.admit(0));
        assertEquals(Slot.Admission.NEW_REQUEST, slot.admit(2));
        assertNull(slot.cachedReply());
    }

    @Test
    void uncachedReplyIsNotReplayed() {
        Slot slot = new Slot();
        slot.admit(1);
        slot.complete(null);
        assertEquals(Slot.Admission.REPLAY, slot.admit(1));
        assertNull(slot.cachedReply());
    }
}
