package org.fsnap.snapshot.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.fsnap.snapshot.ClusterUnavailableException;
import org.fsnap.snapshot.FileKey;
import org.fsnap.snapshot.lock.FileLocks;
import org.fsnap.snapshot.lock.LockKey;
import org.junit.jupiter.api.Test;

/** Member loss and loss of the majority, on three real members in this JVM (long lease: 60 s). */
class ClusterFailureTest {

    @Test
    void crashedHolderLosesItsLocksAndAMinorityRefusesUntilTheMajorityIsBack() throws Exception {
        try (TestCluster cluster = TestCluster.start(3, 3, Duration.ofSeconds(60))) {
            FileKey file = FileKey.random();
            LockKey history = new LockKey.History(file);
            LockKey inode = new LockKey.Inode(7, 77);

            // Member 2 takes two locks, then dies without releasing them.
            cluster.members[2].locks().exclusive(inode);
            cluster.members[2].locks().exclusive(history);
            cluster.crash(2);
            long start = System.nanoTime();
            try (FileLocks.Lease l = cluster.members[0].locks().exclusive(history)) {
                long waited = Duration.ofNanos(System.nanoTime() - start).toMillis();
                System.out.println("lock of the crashed holder acquired after " + waited + " ms");
                assertTrue(waited < TestCluster.FAILURE_DETECTION.toMillis() + 15_000, "waited " + waited + " ms");
                assertTrue(l.predecessorFailed(), "the crashed holder's record must be seen");
                cluster.members[0].catalog().beforeCommit(file, 0); // 2 of 3: still a majority
            }
            try (FileLocks.Lease l = cluster.members[1].locks().shared(inode)) {
                // the dead writer's record on the inode no longer blocks writes
            }

            // Member 1 dies too: member 0 alone is a minority and must refuse.
            cluster.crash(1);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (cluster.members[0].hasQuorum() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertFalse(cluster.members[0].hasQuorum());
            ClusterLocksTest.unavailable(() -> cluster.members[0].locks().exclusive(new LockKey.History(file)));
            assertThrows(ClusterUnavailableException.class, () -> cluster.members[0].catalog().beforeCommit(file, 0));
            try (FileLocks.Lease l = cluster.members[0].locks().shared(inode)) {
                // writes go on locally in a minority
            }

            // The others come back: the majority returns and changes are allowed again.
            cluster.startMembers(1, 2);
            deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!cluster.members[0].hasQuorum() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(cluster.members[0].hasQuorum());
            cluster.members[0].awaitQuorum(); // and the re-read of the catalogue that a regain starts
            assertFalse(cluster.members[0].resynchronising());
            try (FileLocks.Lease l = cluster.members[0].locks().exclusive(history)) {
                cluster.members[0].catalog().beforeCommit(file, 0);
            }
        }
    }
}
