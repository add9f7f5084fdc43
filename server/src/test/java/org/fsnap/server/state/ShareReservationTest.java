package org.fsnap.server.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ShareReservationTest {
    private static final int R = StateTable.ACCESS_READ;
    private static final int W = StateTable.ACCESS_WRITE;
    private static final int RW = StateTable.ACCESS_BOTH;

    @Test
    void conflicts() {
        ShareReservation s = ShareReservation.of(R, StateTable.DENY_WRITE);
        assertTrue(s.conflictsWith(W, 0));
        assertTrue(s.conflictsWith(R, StateTable.DENY_READ));
        assertFalse(s.conflictsWith(R, 0));
        assertFalse(s.conflictsWith(R, StateTable.DENY_WRITE));
    }

    @Test
    void downgradeMustBeAUnionOfOpens() {
        ShareReservation s = ShareReservation.of(R, 0).plus(W, StateTable.DENY_WRITE);
        assertEquals(RW, s.access());
        assertEquals(StateTable.DENY_WRITE, s.deny());
        ShareReservation toRead = s.downgradeTo(R, 0);
        assertNotNull(toRead);
        assertEquals(R, toRead.access());
        assertNotNull(s.downgradeTo(W, StateTable.DENY_WRITE));
        assertNotNull(s.downgradeTo(RW, StateTable.DENY_WRITE));
        // From the downgraded state, write was never part of it: no way back up.
        assertNull(toRead.downgradeTo(RW, 0));
        assertNull(toRead.downgradeTo(W, 0));
        // Opened BOTH at once: READ alone was never asked for.
        assertNull(ShareReservation.of(RW, 0).downgradeTo(R, 0));
        // Deny may always drop to none.
        assertNotNull(ShareReservation.of(R, StateTable.DENY_BOTH).downgradeTo(R, 0));
    }
}
