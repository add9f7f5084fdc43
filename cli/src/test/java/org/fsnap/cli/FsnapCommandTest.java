package org.fsnap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fsnap commands against {@link FakeFsnapXattrs}: output and messages word for word. */
class FsnapCommandTest {
    @TempDir
    Path dir;
    Path file;
    FakeFsnapXattrs fake = new FakeFsnapXattrs();
    Mounts mounts = Mounts.parse("");

    record Result(int status, String out, String err) {
    }

    @BeforeEach
    void file() throws Exception {
        file = Files.writeString(dir.resolve("disk.img"), "data");
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Fsnap.run(args, fake, mounts, new PrintWriter(out), new PrintWriter(err), true);
        return new Result(status, out.toString(), err.toString());
    }

    void ok(String... args) {
        Result r = run(args);
        assertEquals(0, r.status(), () -> "fsnap " + String.join(" ", args) + ": " + r.err());
    }

    void assertFails(int status, String err, String... args) {
        Result r = run(args);
        assertEquals(err, r.err());
        assertEquals(status, r.status());
        assertEquals("", r.out());
    }

    /** v1 → v2, revert to v1, v3: a branch at v1. */
    void branchingHistory() {
        ok("create", file.toString(), "v1");
        fake.history(file).size = 1536;
        ok("create", file.toString(), "v2");
        ok("revert", file.toString(), "v1");
        ok("create", file.toString(), "v3");
    }

    @Test
    void createWithAndWithoutName() {
        assertEquals(new Result(0, "created snapshot v1 of " + file + "\n", ""), run("create", file.toString(), "v1"));
        assertEquals(new Result(0, "created snapshot 20261122T193100Z of " + file + "\n", ""),
                run("create", file.toString()));
        assertEquals(List.of("fsnap.create=v1", "fsnap.create="), fake.writes);
    }

    @Test
    void listTable() {
        branchingHistory();
        assertEquals(new Result(0, String.join("\n",
                "NAME  CREATED               SIZE  PARENT  CURRENT",
                "v1    2026-11-22T19:30:00Z   100  -",
                "v2    2026-11-22T19:31:00Z  1.5K  v1",
                "v3    2026-11-22T19:32:00Z   100  v1      *",
                ""), ""), run("list", file.toString()));
        assertEquals(String.join("\n",
                "NAME  CREATED               SIZE  PARENT  CURRENT",
                "v1    2026-11-22T19:30:00Z   100  -",
                "v2    2026-11-22T19:31:00Z  1536  v1",
                "v3    2026-11-22T19:32:00Z   100  v1      *",
                ""), run("list", "--bytes", file.toString()).out());
    }

    @Test
    void listJson() {
        branchingHistory();
        assertEquals(new Result(0, String.join("\n",
                "[",
                "  {\"name\": \"v1\", \"created\": \"2026-11-22T19:30:00Z\", \"size\": 100, \"parent\": null,"
                        + " \"current\": false},",
                "  {\"name\": \"v2\", \"created\": \"2026-11-22T19:31:00Z\", \"size\": 1536, \"parent\": \"v1\","
                        + " \"current\": false},",
                "  {\"name\": \"v3\", \"created\": \"2026-11-22T19:32:00Z\", \"size\": 100, \"parent\": \"v1\","
                        + " \"current\": true}",
                "]",
                ""), ""), run("list", "--json", file.toString()));
    }

    @Test
    void listEmpty() {
        assertEquals(new Result(0, "no snapshots of " + file + "\n", ""), run("list", file.toString()));
        assertEquals(new Result(0, "[]\n", ""), run("list", file.toString(), "--json"));
    }

    @Test
    void treeShowsBranches() {
        branchingHistory();
        ok("revert", file.toString(), "v2");
        ok("create", file.toString(), "v4");
        assertEquals(new Result(0, String.join("\n",
                file.toString(),
                "└── v1  2026-11-22T19:30:00Z",
                "    ├── v2  2026-11-22T19:31:00Z",
                "    │   └── v4  2026-11-22T19:33:00Z  (current)",
                "    └── v3  2026-11-22T19:32:00Z",
                ""), ""), run("tree", file.toString()));
        assertEquals(String.join("\n",
                file.toString(),
                "`-- v1  2026-11-22T19:30:00Z",
                "    |-- v2  2026-11-22T19:31:00Z",
                "    |   `-- v4  2026-11-22T19:33:00Z  (current)",
                "    `-- v3  2026-11-22T19:32:00Z",
                ""), run("tree", "--ascii", file.toString()).out());
    }

    @Test
    void treeAfterDeletingTheRootHasTwoRoots() {
        branchingHistory();
        ok("delete", file.toString(), "v1");
        assertEquals(String.join("\n",
                file.toString(),
                "|-- v2  2026-11-22T19:31:00Z",
                "`-- v3  2026-11-22T19:32:00Z  (current)",
                ""), run("tree", "--ascii", file.toString()).out());
    }

    @Test
    void deleteAndRevertPrintWhatTheyDid() {
        ok("create", file.toString(), "v1");
        ok("create", file.toString(), "v2");
        assertEquals(new Result(0, "reverted " + file + " to snapshot v1\n", ""),
                run("revert", file.toString(), "v1"));
        assertEquals(new Result(0, "deleted snapshot v2 of " + file + "\n", ""),
                run("delete", file.toString(), "v2"));
        assertEquals(List.of("v1"), List.copyOf(fake.history(file).snapshots.keySet()));
    }

    @Test
    void showPrintsTheViewPath() {
        ok("create", file.toString(), "v1");
        assertEquals(new Result(0, dir.toAbsolutePath() + "/.fsnap/disk.img/v1\n", ""),
                run("show", file.toString(), "v1"));
        assertFails(1, "fsnap: " + file + ": no snapshot named 'v9' (see 'fsnap list " + file + "')\n",
                "show", file.toString(), "v9");
    }

    @Test
    void unknownSnapshot() {
        ok("create", file.toString(), "v1");
        assertFails(1, "fsnap: " + file + ": no snapshot named 'nope' (see 'fsnap list " + file + "')\n",
                "delete", file.toString(), "nope");
        assertFails(1, "fsnap: " + file + ": no snapshot named 'nope' (see 'fsnap list " + file + "')\n",
                "revert", file.toString(), "nope");
    }

    @Test
    void snapshotExists() {
        ok("create", file.toString(), "v1");
        assertFails(1, "fsnap: " + file + ": a snapshot named 'v1' already exists\n",
                "create", file.toString(), "v1");
    }

    @Test
    void badNamesAreRefusedBeforeAnythingIsWritten() {
        assertFails(1, "fsnap: " + file + ": 'a/b' is not a valid snapshot name: it contains '/' or NUL\n",
                "create", file.toString(), "a/b");
        assertFails(1, "fsnap: " + file + ": '..' is not a valid snapshot name: '.' and '..' are not allowed\n",
                "delete", file.toString(), "..");
        assertFails(1, "fsnap: " + file + ": 'a\\tb' is not a valid snapshot name: it contains a tab or newline\n",
                "create", file.toString(), "a\tb");
        assertFails(1, "fsnap: " + file + ": '' is not a valid snapshot name: it is empty\n",
                "revert", file.toString(), "");
        assertFails(1, "fsnap: " + file + ": '" + "x".repeat(256)
                + "' is not a valid snapshot name: it is longer than 255 bytes\n",
                "create", file.toString(), "x".repeat(256));
        assertEquals(List.of(), fake.writes);
    }

    @Test
    void serverRefusesName() {
        fake.fail("fsnap.create", Errno.EINVAL);
        assertFails(1, "fsnap: " + file + ": the server refused the snapshot name 'v1' as invalid"
                + " (names are 1 to 255 bytes, without '/', not '.' or '..')\n", "create", file.toString(), "v1");
    }

    @Test
    void tooManySnapshots() {
        fake.limit = 3;
        ok("create", file.toString(), "a");
        ok("create", file.toString(), "b");
        ok("create", file.toString(), "c");
        assertFails(1, "fsnap: " + file + ": too many snapshots: the server's limit of snapshots per file"
                + " is reached (remove some with 'fsnap delete')\n", "create", file.toString(), "d");
    }

    @Test
    void noSpace() {
        fake.fail("fsnap.create", Errno.ENOSPC);
        assertFails(1, "fsnap: " + file + ": no space left on the export for creating the snapshot\n",
                "create", file.toString(), "v1");
    }

    @Test
    void permissionDenied() {
        fake.fail("fsnap.create", Errno.EACCES).fail("fsnap.revert", Errno.EPERM);
        assertFails(4, "fsnap: " + file + ": permission denied: creating a snapshot needs write permission"
                + " on the file\n", "create", file.toString(), "v1");
        assertFails(4, "fsnap: " + file + ": permission denied: reverting to a snapshot needs write permission"
                + " on the file\n", "revert", file.toString(), "v1");
        fake.fail("fsnap.list", Errno.EACCES);
        assertFails(4, "fsnap: " + file + ": permission denied: listing snapshots needs read permission"
                + " on the file\n", "list", file.toString());
    }

    @Test
    void readOnlyExport() {
        fake.fail("fsnap.delete", Errno.EROFS);
        assertFails(4, "fsnap: " + file + ": the export is read-only: deleting a snapshot is not possible\n",
                "delete", file.toString(), "v1");
    }

    @Test
    void mountedBelow42() {
        fake.fail("*", Errno.ENOTSUP);
        mounts = Mounts.parse("srv:/ " + dir + " nfs4 rw,relatime,vers=4.1,rsize=1048576 0 0\n");
        assertFails(3, "fsnap: " + file + ": this path does not support user xattrs: is it an fsnap export"
                + " mounted with -o vers=4.2?\n"
                + "  " + dir + " is mounted from srv:/ with vers=4.1; NFS carries xattrs from 4.2 on:"
                + " mount -t nfs -o vers=4.2 srv:/ " + dir + "\n", "create", file.toString(), "v1");
        assertEquals(List.of(), fake.writes);
    }

    @Test
    void nfs42ServerWithoutXattrs() {
        fake.fail("*", Errno.ENOTSUP);
        mounts = Mounts.parse("srv:/ " + dir + " nfs4 rw,vers=4.2 0 0\n");
        assertFails(3, "fsnap: " + file + ": this path does not support user xattrs: is it an fsnap export"
                + " mounted with -o vers=4.2?\n"
                + "  " + dir + " is mounted from srv:/ with vers=4.2, but that server offers no xattrs:"
                + " it is not fsnap\n", "list", file.toString());
    }

    @Test
    void localFilesystemWithoutXattrs() {
        fake.fail("*", Errno.OTHER);
        fake.claims = false;
        mounts = Mounts.parse("/dev/sda1 / vfat rw 0 0\n");
        assertFails(3, "fsnap: " + file + ": this path does not support user xattrs: is it an fsnap export"
                + " mounted with -o vers=4.2?\n"
                + "  / is a local vfat filesystem, not an NFS mount\n"
                + "  mount the fsnap export with: mount -t nfs -o vers=4.2 SERVER:/ MOUNTPOINT\n",
                "tree", file.toString());
    }

    @Test
    void notAnFsnapExport() {
        fake.fail("fsnap.list", Errno.ENODATA);
        mounts = Mounts.parse("/dev/sda1 / ext4 rw 0 0\n");
        assertFails(3, "fsnap: " + file + ": not on an fsnap export (the filesystem has user xattrs but no"
                + " fsnap.list)\n"
                + "  / is a local ext4 filesystem, not an NFS mount\n"
                + "  mount the fsnap export with: mount -t nfs -o vers=4.2 SERVER:/ MOUNTPOINT\n",
                "create", file.toString(), "v1");
        assertEquals(List.of(), fake.writes);
    }

    @Test
    void notARegularFile() throws Exception {
        assertFails(5, "fsnap: " + dir.resolve("missing") + ": no such file\n",
                "list", dir.resolve("missing").toString());
        assertFails(5, "fsnap: " + dir + " is a directory: snapshots are of regular files\n",
                "create", dir.toString(), "v1");
    }

    @Test
    void staleAndUnknownErrors() {
        fake.fail("fsnap.info", Errno.ESTALE);
        assertFails(6, "fsnap: " + file + ": stale file handle (the file was removed or replaced on the"
                + " server)\n", "list", file.toString());
        fake.fail("fsnap.info", Errno.EIO);
        assertFails(6, "fsnap: " + file + ": listing snapshots failed: Error on extended attribute"
                + " 'fsnap.info': Input/output error\n", "list", file.toString());
    }

    @Test
    void usageErrors() {
        assertFails(2, "fsnap: a command is needed (create, list, delete, revert, show, tree)\n"
                + "Try 'fsnap --help'.\n");
        assertFails(2, "fsnap: Missing required parameter: 'FILE'\nTry 'fsnap create --help'.\n", "create");
        assertFails(2, "fsnap: Missing required parameter: 'NAME'\nTry 'fsnap delete --help'.\n",
                "delete", file.toString());
        assertFails(2, "fsnap: Unknown option: '--jsn'\nTry 'fsnap list --help'.\n",
                "list", "--jsn", file.toString());
        assertFails(2, "fsnap: Unmatched argument at index 0: 'snap'\nTry 'fsnap --help'.\n", "snap");
    }

    @Test
    void helpListsCommandsAndExitCodes() {
        Result r = run("--help");
        assertEquals(0, r.status());
        for (String s : List.of("create", "list", "delete", "revert", "show", "tree", "Exit status:",
                "3  not an fsnap export, or mounted below NFS 4.2")) {
            assertTrue(r.out().contains(s), s);
        }
    }
}
