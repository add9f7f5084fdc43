package org.fsnap.server.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.fsnap.server.vfs.Caller;
import org.junit.jupiter.api.Test;

/** Credentials become callers as given, with the client's address and port; squashing is the gate's. */
class CredentialMapperTest {
    @Test
    void authSysIsTakenAsGivenWithAddressAndPort() {
        InetSocketAddress remote = new InetSocketAddress(InetAddress.ofLiteral("10.0.0.5"), 815);
        Caller root = CredentialMapper.map(0, 0, new int[] {0, 4}, remote);
        assertEquals(0, root.uid(), "root is not squashed here (the export gate does it)");
        assertEquals(0, root.gid());
        assertArrayEquals(new int[] {0, 4}, root.gids());
        assertEquals(InetAddress.ofLiteral("10.0.0.5"), root.client());
        assertEquals(815, root.port());
        Caller user = CredentialMapper.map(1000, 100, new int[0], remote);
        assertEquals(1000, user.uid());
        assertEquals(100, user.gid());
    }

    @Test
    void anUnknownPeerIsNeverTheServerItself() {
        Caller c = CredentialMapper.map(0, 0, new int[0], null);
        assertEquals(InetAddress.ofLiteral("0.0.0.0"), c.client());
        assertEquals(65535, c.port(), "an unknown port counts as unprivileged");
    }
}
