package org.fsnap.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.fsnap.config.ClusterSettings;
import org.fsnap.config.ListenAddress;
import org.fsnap.snapshot.cluster.ClusterOptions;
import org.junit.jupiter.api.Test;

class ClusterSetupTest {

    private static final ClusterSettings THREE = new ClusterSettings("lab", new ListenAddress("127.0.0.1", 5702),
            List.of(new ListenAddress("127.0.0.1", 5701), new ListenAddress("127.0.0.1", 5702),
                    new ListenAddress("127.0.0.1", 5703)));

    @Test
    void noSettingsNoCluster() throws Exception {
        assertNull(ClusterSetup.start(Optional.empty()));
        assertEquals(Path.of("/x/.fsnap-state"), ClusterSetup.nodeStateDirectory(Path.of("/x/.fsnap-state"),
                Optional.empty()));
    }

    @Test
    void settingsBecomeOptionsWithAMajorityOfTheMembers() {
        ClusterOptions o = ClusterSetup.options(THREE);
        assertEquals("lab", o.name());
        assertEquals(5702, o.bind().getPort());
        assertEquals(3, o.members().size(), "this node is one of the members, counted once");
        assertEquals(2, o.quorum());
        ClusterOptions alone = ClusterSetup.options(new ClusterSettings("lab", new ListenAddress("127.0.0.1", 5701),
                List.of()));
        assertEquals(1, alone.members().size());
        assertEquals(1, alone.quorum());
    }

    @Test
    void eachNodeKeepsItsOwnNfsState() {
        assertEquals(Path.of("/x/.fsnap-state/node-127.0.0.1-5702"),
                ClusterSetup.nodeStateDirectory(Path.of("/x/.fsnap-state"), Optional.of(THREE)));
    }
}
