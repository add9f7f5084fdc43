package org.fsnap.server.attr;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerMapperTest {
    @TempDir
    Path dir;
    OwnerMapper mapper;

    @BeforeEach
    void files() throws Exception {
        Path passwd = dir.resolve("passwd");
        Path group = dir.resolve("group");
        Files.writeString(passwd, """
                root:x:0:0:root:/root:/bin/bash
                # comment
                alice:x:1000:1000:Alice:/home/alice:/bin/bash
                broken line
                nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
                """);
        Files.writeString(group, """
                root:x:0:
                staff:x:50:alice
                alice:x:1000:
                """);
        mapper = new OwnerMapper("example.org", passwd, group);
    }

    @Test
    void encodesNumericStrings() {
        assertEquals("1000", mapper.ownerOf(1000));
        assertEquals("0", mapper.groupOf(0));
        assertEquals("4294967294", mapper.ownerOf(-2));
    }

    @Test
    void decodesNumericStrings() throws NfsException {
        assertEquals(1000, mapper.uidOf("1000"));
        assertEquals(0, mapper.uidOf("0"));
        assertEquals(-2, mapper.uidOf("4294967294"));
        assertEquals(50, mapper.gidOf("50"));
        assertEquals(1234, mapper.uidOf("1234@example.org"));
    }

    @Test
    void decodesNamesThroughPasswdAndGroup() throws NfsException {
        assertEquals(1000, mapper.uidOf("alice@example.org"));
        assertEquals(1000, mapper.uidOf("alice"));
        assertEquals(65534, mapper.uidOf("nobody@EXAMPLE.ORG"));
        assertEquals(50, mapper.gidOf("staff@example.org"));
        assertEquals(0, mapper.gidOf("root"));
    }

    @Test
    void unknownOrMalformedOwnersAreBadOwner() {
        for (String s : new String[] {"", "bob@example.org", "bob", "@example.org", "alice@",
            "-1", "4294967295", "99999999999", "0x10", "007", " 1000", "1000 "}) {
            NfsException e = assertThrows(NfsException.class, () -> mapper.uidOf(s), s);
            assertEquals(Nfs4Status.NFS4ERR_BADOWNER, e.status(), s);
        }
        NfsException e = assertThrows(NfsException.class, () -> mapper.gidOf("nogroup"));
        assertEquals(Nfs4Status.NFS4ERR_BADOWNER, e.status());
    }

    @Test
    void missingFilesLeaveNumericMappingWorking() throws NfsException {
        OwnerMapper m = new OwnerMapper("x", dir.resolve("none"), dir.resolve("none2"));
        assertEquals(42, m.uidOf("42"));
        assertThrows(NfsException.class, () -> m.uidOf("alice"));
    }
}
