package org.fsnap.snapshot.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The cluster-wide state of one file lock beside Hazelcast's own key lock: who holds it exclusively (the
 * writer's member and a random id of the lease, which doubles as the fencing token) and how many shared
 * holders each member has. An entry exists only while someone holds the lock, or when a holder vanished
 * without releasing it: then the next exclusive holder learns that its predecessor failed.
 */
public final class LockState implements IdentifiedDataSerializable {

    private UUID writerMember;
    private UUID writerLease;
    private Map<UUID, Integer> readers = new HashMap<>();

    public LockState() {
        // for deserialization
    }

    LockState(UUID writerMember, UUID writerLease, Map<UUID, Integer> readers) {
        this.writerMember = writerMember;
        this.writerLease = writerLease;
        this.readers = new HashMap<>(readers);
    }

    static LockState empty() {
        return new LockState(null, null, Map.of());
    }

    UUID writerMember() {
        return writerMember;
    }

    UUID writerLease() {
        return writerLease;
    }

    boolean hasWriter() {
        return writerLease != null;
    }

    Map<UUID, Integer> readers() {
        return readers;
    }

    boolean isFree() {
        return writerLease == null && readers.isEmpty();
    }

    /** Whether any member in {@code live} holds the lock shared. */
    boolean hasReadersAmong(Set<UUID> live) {
        for (UUID m : readers.keySet()) {
            if (live.contains(m)) {
                return true;
            }
        }
        return false;
    }

    boolean hasReadersOutside(Set<UUID> live) {
        for (UUID m : readers.keySet()) {
            if (!live.contains(m)) {
                return true;
            }
        }
        return false;
    }

    LockState withWriter(UUID member, UUID lease) {
        return new LockState(member, lease, readers);
    }

    LockState withoutWriter() {
        return new LockState(null, null, readers);
    }

    LockState withReader(UUID member, int delta) {
        Map<UUID, Integer> next = new HashMap<>(readers);
        int count = next.getOrDefault(member, 0) + delta;
        if (count > 0) {
            next.put(member, count);
        } else {
            next.remove(member);
        }
        return new LockState(writerMember, writerLease, next);
    }

    LockState onlyReadersAmong(Set<UUID> live) {
        Map<UUID, Integer> next = new HashMap<>(readers);
        next.keySet().retainAll(live);
        return new LockState(writerMember, writerLease, next);
    }

    @Override
    public int getFactoryId() {
        return ClusterSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return ClusterSerialization.LOCK_STATE;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        ClusterSerialization.writeUuid(out, writerMember);
        ClusterSerialization.writeUuid(out, writerLease);
        out.writeInt(readers.size());
        for (Map.Entry<UUID, Integer> e : readers.entrySet()) {
            ClusterSerialization.writeUuid(out, e.getKey());
            out.writeInt(e.getValue());
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        writerMember = ClusterSerialization.readUuid(in);
        writerLease = ClusterSerialization.readUuid(in);
        int n = in.readInt();
        readers = new HashMap<>(Math.max(4, n * 2));
        for (int i = 0; i < n; i++) {
            readers.put(ClusterSerialization.readUuid(in), in.readInt());
        }
    }

    @Override
    public String toString() {
        return "LockState[writer=" + writerMember + "/" + writerLease + ", readers=" + readers + "]";
    }
}
