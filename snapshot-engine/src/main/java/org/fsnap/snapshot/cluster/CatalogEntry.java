package org.fsnap.snapshot.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.fsnap.snapshot.FileKey;
import org.fsnap.snapshot.history.FileHistory;
import org.fsnap.snapshot.history.HistoryEvent;
import org.fsnap.snapshot.history.HistoryEventCodec;

/**
 * One history as the cluster's catalogue map holds it: its metadata version and last known directory in
 * the clear (for compare-and-set and for the directory index), and the history itself in the store's own
 * log encoding (the compacted form, {@link FileHistory#asEvents()}), so there is exactly one codec.
 */
public final class CatalogEntry implements IdentifiedDataSerializable {

    /** {@link #getDirectory()} of a history whose live file has no known path. */
    static final String NO_DIRECTORY = "\u0000";

    private long version;
    private String directory;
    private byte[] events;

    public CatalogEntry() {
        // for deserialization
    }

    private CatalogEntry(long version, String directory, byte[] events) {
        this.version = version;
        this.directory = directory;
        this.events = events;
    }

    static CatalogEntry of(FileHistory history) {
        String dir = history.location().isEmpty() ? NO_DIRECTORY : history.locationDirectory();
        return new CatalogEntry(history.version(), dir, HistoryEventCodec.encode(history.asEvents()));
    }

    FileHistory toHistory(FileKey key) {
        HistoryEventCodec.Decoded decoded = HistoryEventCodec.decode(events);
        if (decoded.torn()) {
            throw new IllegalStateException("catalogue entry of " + key + " does not decode");
        }
        List<HistoryEvent> list = decoded.events();
        return FileHistory.replay(key, list);
    }

    /** Same version, directory and history. */
    boolean sameAs(CatalogEntry o) {
        return version == o.version && directory.equals(o.directory) && Arrays.equals(events, o.events);
    }

    public long getVersion() {
        return version;
    }

    /** Indexed attribute: the directory of the live file's last known path. */
    public String getDirectory() {
        return directory;
    }

    @Override
    public int getFactoryId() {
        return ClusterSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return ClusterSerialization.CATALOG_ENTRY;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(version);
        out.writeString(directory);
        out.writeByteArray(events);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        version = in.readLong();
        directory = in.readString();
        events = in.readByteArray();
    }
}
