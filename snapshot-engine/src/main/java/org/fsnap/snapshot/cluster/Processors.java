package org.fsnap.snapshot.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.fsnap.snapshot.catalog.SnapshotCatalog;

/**
 * The atomic read-modify-write steps on the cluster maps. Each runs on the key's partition thread of its
 * owner (and again, deterministically, on the backups), so it needs no lock of its own. Setting a value
 * of null removes the entry, which keeps the maps as small as the set of files in use.
 */
final class Processors {

    private Processors() {
    }

    /** Base of the processors: serialization ids. */
    abstract static class Base<V, R> implements EntryProcessor<String, V, R>, IdentifiedDataSerializable {
        @Override
        public int getFactoryId() {
            return ClusterSerialization.FACTORY_ID;
        }
    }

    /** Stores {@code next}, or removes the entry when no one holds the lock any more. */
    private static void storeOrRemove(Map.Entry<String, LockState> entry, LockState next) {
        entry.setValue(next.isFree() ? null : next);
    }

    /** Base of the processors whose only argument is one member's id. */
    abstract static class OnMember<R> extends Base<LockState, R> {
        UUID member;

        OnMember() {
        }

        OnMember(UUID member) {
            this.member = member;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            ClusterSerialization.writeUuid(out, member);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            member = ClusterSerialization.readUuid(in);
        }
    }

    // ---------------------------------------------------------------- lock state

    /**
     * Records a new exclusive holder (the caller holds the key's Hazelcast lock). Returns true when a
     * previous holder's record was still there: that holder died or lost its lock mid-operation.
     */
    static final class TakeWrite extends Base<LockState, Boolean> {
        private UUID member;
        private UUID lease;

        TakeWrite() {
        }

        TakeWrite(UUID member, UUID lease) {
            this.member = member;
            this.lease = lease;
        }

        @Override
        public Boolean process(Map.Entry<String, LockState> entry) {
            LockState s = entry.getValue() == null ? LockState.empty() : entry.getValue();
            boolean predecessor = s.hasWriter() && !lease.equals(s.writerLease());
            entry.setValue(s.withWriter(member, lease));
            return predecessor;
        }

        @Override
        public int getClassId() {
            return ClusterSerialization.TAKE_WRITE;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            ClusterSerialization.writeUuid(out, member);
            ClusterSerialization.writeUuid(out, lease);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            member = ClusterSerialization.readUuid(in);
            lease = ClusterSerialization.readUuid(in);
        }
    }

    /** Clears the exclusive holder if it is still {@code lease}; returns whether it was. */
    static final class ReleaseWrite extends Base<LockState, Boolean> {
        private UUID lease;

        ReleaseWrite() {
        }

        ReleaseWrite(UUID lease) {
            this.lease = lease;
        }

        @Override
        public Boolean process(Map.Entry<String, LockState> entry) {
            LockState s = entry.getValue();
            if (s == null || !lease.equals(s.writerLease())) {
                return false;
            }
            LockState next = s.withoutWriter();
            storeOrRemove(entry, next);
            return true;
        }

        @Override
        public int getClassId() {
            return ClusterSerialization.RELEASE_WRITE;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            ClusterSerialization.writeUuid(out, lease);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            lease = ClusterSerialization.readUuid(in);
        }
    }

    /**
     * Adds a shared holder on {@code member} unless there is an exclusive holder; returns null when added,
     * else the state that blocked it (so the caller can tell a live writer from a dead one's leftover).
     */
    static final class AddReader extends OnMember<LockState> {
        AddReader() {
        }

        AddReader(UUID member) {
            super(member);
        }

        @Override
        public LockState process(Map.Entry<String, LockState> entry) {
            LockState s = entry.getValue() == null ? LockState.empty() : entry.getValue();
            if (s.hasWriter()) {
                return s;
            }
            entry.setValue(s.withReader(member, 1));
            return null;
        }

        @Override
        public int getClassId() {
            return ClusterSerialization.ADD_READER;
        }
    }

    /** Removes one shared holder of {@code member}. */
    static final class RemoveReader extends OnMember<Boolean> {
        RemoveReader() {
        }

        RemoveReader(UUID member) {
            super(member);
        }

        @Override
        public Boolean process(Map.Entry<String, LockState> entry) {
            LockState s = entry.getValue();
            if (s == null || !s.readers().containsKey(member)) {
                return false;
            }
            LockState next = s.withReader(member, -1);
            storeOrRemove(entry, next);
            return true;
        }

        @Override
        public int getClassId() {
            return ClusterSerialization.REMOVE_READER;
        }
    }

    /**
     * Forgets holders on members that left the cluster: shared holders not in {@code live}, and the
     * exclusive record if it is {@code deadLease} (a writer whose member is gone).
     */
    static final class ForgetDead extends Base<LockState, Boolean> {
        private Set<UUID> live;
        private UUID deadLease;

        ForgetDead() {
        }

        ForgetDead(Set<UUID> live, UUID deadLease) {
            this.live = live;
            this.deadLease = deadLease;
        }

        @Override
        public Boolean process(Map.Entry<String, LockState> entry) {
            LockState s = entry.getValue();
            if (s == null) {
                return false;
            }
            LockState next = s.onlyReadersAmong(live);
            if (deadLease != null && deadLease.equals(next.writerLease())) {
                next = next.withoutWriter();
            }
            storeOrRemove(entry, next);
            return true;
        }

        @Override
        public int getClassId() {
            return ClusterSerialization.FORGET_DEAD;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeInt(live.size());
            for (UUID u : live) {
                ClusterSerialization.writeUuid(out, u);
            }
            ClusterSerialization.writeUuid(out, deadLease);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            int n = in.readInt();
            live = new HashSet<>(n * 2);
            for (int i = 0; i < n; i++) {
                live.add(ClusterSerialization.readUuid(in));
            }
            deadLease = ClusterSerialization.readUuid(in);
        }
    }

    // ---------------------------------------------------------------- catalogue

    /**
     * Installs {@code next} if the entry's version (0 when absent) is {@code expected}; true also when
     * the entry already is {@code next}.
     */
    static final class CompareAndSet extends Base<CatalogEntry, Boolean> {
        private long expected;
        private CatalogEntry next;

        CompareAndSet() {
        }

        CompareAndSet(long expected, CatalogEntry next) {
            this.expected = expected;
            this.next = next;
        }

        @Override
        public Boolean process(Map.Entry<String, CatalogEntry> entry) {
            CatalogEntry current = entry.getValue();
            long version = current == null ? 0 : current.getVersion();
            if (version != expected) {
                // Already there (a re-synchronisation published this very commit from the store between
                // its append and this call): the catalogue holds exactly what the commit wants.
                return current != null && current.sameAs(next);
            }
            entry.setValue(next);
            return true;
        }

        @Override
        public int getClassId() {
            return ClusterSerialization.COMPARE_AND_SET;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeLong(expected);
            next.writeData(out);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            expected = in.readLong();
            next = new CatalogEntry();
            next.readData(in);
        }
    }

    /** Removes the entry if its version is {@code expected}. */
    static final class RemoveIfVersion extends Base<CatalogEntry, Boolean> {
        private long expected;

        RemoveIfVersion() {
        }

        RemoveIfVersion(long expected) {
            this.expected = expected;
        }

        @Override
        public Boolean process(Map.Entry<String, CatalogEntry> entry) {
            CatalogEntry current = entry.getValue();
            if (current == null || current.getVersion() != expected) {
                return false;
            }
            entry.setValue(null);
            return true;
        }

        @Override
        public int getClassId() {
            return ClusterSerialization.REMOVE_IF_VERSION;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeLong(expected);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            expected = in.readLong();
        }
    }

    /**
     * Installs a history read from the store if the entry is absent or older (re-synchronisation after a
     * split-brain merge): never moves a history backwards. Returns the ordinal of
     * {@link org.fsnap.snapshot.catalog.SnapshotCatalog.Publish}.
     */
    static final class PublishIfNewer extends Base<CatalogEntry, Integer> {
        private CatalogEntry next;

        PublishIfNewer() {
        }

        PublishIfNewer(CatalogEntry next) {
            this.next = next;
        }

        @Override
        public Integer process(Map.Entry<String, CatalogEntry> entry) {
            CatalogEntry current = entry.getValue();
            if (current == null || current.getVersion() < next.getVersion()) {
                entry.setValue(next);
                return SnapshotCatalog.Publish.PUBLISHED.ordinal();
            }
            return (current.sameAs(next) ? SnapshotCatalog.Publish.SAME : SnapshotCatalog.Publish.DIFFERENT)
                    .ordinal();
        }

        @Override
        public int getClassId() {
            return ClusterSerialization.PUBLISH_IF_NEWER;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            next.writeData(out);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            next = new CatalogEntry();
            next.readData(in);
        }
    }
}
