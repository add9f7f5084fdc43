package org.fsnap.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SnapshotNamesTest {

    @Test
    void validNamesPass() throws Exception {
        SnapshotNames.validate("a");
        SnapshotNames.validate("...");
        SnapshotNames.validate("with space and ünïcödé 🙂");
        SnapshotNames.validate("x".repeat(255));
    }

    @Test
    void invalidNamesFail() {
        for (String bad : new String[] {"", ".", "..", "/", "a/b", "a\0", "x".repeat(256), "🙂".repeat(64),
                "lone \uD800 surrogate"}) {
            assertThrows(InvalidSnapshotNameException.class, () -> SnapshotNames.validate(bad), bad);
        }
    }

    @Test
    void orphanNamesFitIn255Bytes() {
        assertEquals("report.txt@1a2b3c4d", SnapshotNames.orphan("report.txt", "1a2b3c4d"));
        String orphan = SnapshotNames.orphan("é".repeat(127), "1a2b3c4d"); // 254 + 9 bytes would not fit
        assertEquals("é".repeat(123) + "@1a2b3c4d", orphan);
        assertEquals(255, orphan.getBytes(StandardCharsets.UTF_8).length);
    }
}
