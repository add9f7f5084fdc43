package org.fsnap.snapshot.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.UUID;

/** Ids and the factory of everything fsnap puts into Hazelcast (no Java serialization on the wire). */
final class ClusterSerialization implements DataSerializableFactory {

    static final int FACTORY_ID = 0x0f5a;

    static final int LOCK_STATE = 1;
    static final int CATALOG_ENTRY = 2;
    static final int TAKE_WRITE = 3;
    static final int RELEASE_WRITE = 4;
    static final int ADD_READER = 5;
    static final int REMOVE_READER = 6;
    static final int FORGET_DEAD = 7;
    static final int COMPARE_AND_SET = 8;
    static final int REMOVE_IF_VERSION = 9;
    static final int PUBLISH_IF_NEWER = 10;

    @Override
    public IdentifiedDataSerializable create(int typeId) {
        return switch (typeId) {
            case LOCK_STATE -> new LockState();
            case CATALOG_ENTRY -> new CatalogEntry();
            case TAKE_WRITE -> new Processors.TakeWrite();
            case RELEASE_WRITE -> new Processors.ReleaseWrite();
            case ADD_READER -> new Processors.AddReader();
            case REMOVE_READER -> new Processors.RemoveReader();
            case FORGET_DEAD -> new Processors.ForgetDead();
            case COMPARE_AND_SET -> new Processors.CompareAndSet();
            case REMOVE_IF_VERSION -> new Processors.RemoveIfVersion();
            case PUBLISH_IF_NEWER -> new Processors.PublishIfNewer();
            default -> null;
        };
    }

    static void writeUuid(ObjectDataOutput out, UUID id) throws IOException {
        out.writeBoolean(id != null);
        if (id != null) {
            out.writeLong(id.getMostSignificantBits());
            out.writeLong(id.getLeastSignificantBits());
        }
    }

    static UUID readUuid(ObjectDataInput in) throws IOException {
        return in.readBoolean() ? new UUID(in.readLong(), in.readLong()) : null;
    }
}
