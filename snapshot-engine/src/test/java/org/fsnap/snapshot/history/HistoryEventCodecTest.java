package org.fsnap.snapshot.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.fsnap.snapshot.clone.CloneStrategy;
import org.junit.jupiter.api.Test;

class HistoryEventCodecTest {

    private static final Instant T = Instant.parse("2026-11-22T19:30:00.123456789Z");

    private static List<HistoryEvent> sample() {
        return List.of(
                new HistoryEvent.Base(7, 12),
                new HistoryEvent.Created(8, new SnapshotRecord(3, "näme with spaces %41\nand newline~", T, 1234,
                        0, CloneStrategy.FICLONE, T.minusSeconds(5))),
                new HistoryEvent.Created(9, new SnapshotRecord(4, "~", T, 0, 3, CloneStrategy.STREAM_COPY, T)),
                new HistoryEvent.Deleted(10, 3),
                new HistoryEvent.RevertStarted(11, 4, 987654321L, "dir with space/f@x.img"),
                new HistoryEvent.RevertAbandoned(12),
                new HistoryEvent.CurrentChanged(13, 4),
                new HistoryEvent.Located(14, ""),
                new HistoryEvent.LiveRemoved(15));
    }

    @Test
    void roundTripsEveryEventIncludingAwkwardText() {
        byte[] encoded = HistoryEventCodec.encode(sample());
        HistoryEventCodec.Decoded decoded = HistoryEventCodec.decode(encoded);
        assertFalse(decoded.torn());
        assertEquals(encoded.length, decoded.validLength());
        assertEquals(sample(), decoded.events());
        String text = new String(encoded, StandardCharsets.UTF_8);
        assertEquals(sample().size(), text.lines().count(), "one line per event, names never break lines");
    }

    @Test
    void everyTruncationYieldsAnIntactPrefix() {
        byte[] encoded = HistoryEventCodec.encode(sample());
        for (int cut = 0; cut < encoded.length; cut++) {
            HistoryEventCodec.Decoded d = HistoryEventCodec.decode(Arrays.copyOf(encoded, cut));
            assertTrue(d.validLength() <= cut);
            assertEquals(sample().subList(0, d.events().size()), d.events());
            assertEquals(cut != d.validLength(), d.torn(), "torn exactly when bytes are left over");
        }
    }

    @Test
    void aFlippedByteIsDetected() {
        byte[] encoded = HistoryEventCodec.encode(sample());
        int secondLine = new String(encoded, StandardCharsets.UTF_8).indexOf('\n') + 1;
        encoded[secondLine + 15] ^= 0x01;
        HistoryEventCodec.Decoded d = HistoryEventCodec.decode(encoded);
        assertTrue(d.torn());
        assertEquals(1, d.events().size());
        assertEquals(secondLine, d.validLength());
    }
}
