package org.fsnap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 4, must-show, through the real Linux client with {@code vers=4.2}: the seeds' check
 * (ABCDEFGHIJ / image1 / 1234567890 / image2 / revert and read back, each compared), user
 * xattr pass-through, {@code ls -a} without {@code .fsnap}, browsing and {@code cat} by explicit
 * path, EROFS on writes under {@code .fsnap}, a non-owner denied create/revert (EACCES), the live
 * file's inode number unchanged by revert, no stale listing after create, branching history in
 * {@code user.fsnap.info}, the control's error codes, and a removed file's snapshots kept. Then
 * the host checks what the server stored. Guest side: src/test/resources/guest/snapshots.sh.
 * fsnapd only: nfs-ganesha has no snapshots (and cannot even carry user xattrs over 4.2).
 */
class SnapshotOverNfsTest {

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void snapshotsThroughTheLinuxClient() throws Exception {
        GuestVm.assumeAvailable();
        ItEnv.skipUnless(ItEnv.isRoot(), "the snapshot engine and the fixtures need root: run the tests as root");
        String name = "snapshots-fsnapd-4.2";
        Path work = ItEnv.newWorkDir(name);
        Path export = Files.createDirectories(work.resolve("export"));
        HostFiles.dir(export, 0, 0, 0755);
        Path snap = HostFiles.dir(export.resolve("snap"), 0, 0, 0777);
        HostFiles.file(snap.resolve("other-0644"), "theirs\n", 1001, 1001, 0644);

        GuestVm.Result r;
        Path serverLog;
        try (NfsServer server = FsnapdProcess.start(name, export, ServerOptions.rootIsRoot())) {
            String log = Files.readString(server.logFile());
            ItEnv.skipUnless(log.contains("snapshots on"),
                    "fsnapd does not serve the snapshot stack (Fsnapd.fileSystem must call SnapshotStack.build)");
            r = new GuestVm(name).port(server.port()).timeout(Duration.ofMinutes(5))
                    .run(GuestVm.script("snapshots.sh"), "4.2", server.mountPath());
            serverLog = server.logFile();
        }
        r.assertPassed();

        // The audit log (this run's part of the server's log): the guest's create (as root, not squashed
        // here) and a refused revert, with who, what, where and how it went; the refusal at INFO, no stack trace.
        String all = Files.readString(serverLog);
        String log = all.substring(Math.max(0, all.lastIndexOf("# ---- fsnapd start")));
        assertTrue(Pattern.compile("INFO .*fsnap\\.audit - op=create file=snap/disk\\.img snapshot=image1 uid=0"
                + " client=127\\.0\\.0\\.1 result=ok ms=\\d+\\.\\d\\n").matcher(log).find(), log);
        assertTrue(Pattern.compile("INFO .*fsnap\\.audit - op=revert file=snap/disk\\.img snapshot=nosuch uid=0"
                + " client=127\\.0\\.0\\.1 result=NOXATTR ms=\\d+\\.\\d error=\"[^\"\\n]+\"\\n\\d{4}-")
                .matcher(log).find(), "the refused revert, at INFO without a stack trace:\n" + log);

        // What the server stored, seen from the host.
        Path disk = snap.resolve("disk.img");
        assertEquals("ABCDEFGHIJ", Files.readString(disk), "disk.img was last reverted to image1");
        assertEquals("theirs\n", Files.readString(snap.resolve("other-0644")), "the non-owner changed nothing");
        UserDefinedFileAttributeView xattrs = Files.getFileAttributeView(disk, UserDefinedFileAttributeView.class);
        assertTrue(xattrs.list().stream().noneMatch(n -> n.startsWith("fsnap")),
                "control names are never stored: " + xattrs.list());
        assertTrue(Files.isDirectory(export.resolve(".fsnap-store")), "the engine's store is in the export");
        assertTrue(Files.notExists(export.resolve(".fsnap")), "the view is virtual");
        ItEnv.deleteTree(work);
    }
}
