package org.fsnap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 6, must-show: the {@code fsnap} command ({@code bin/fsnap}, cli/target/fsnap.jar) run in
 * the Linux client guest on the mounted export, with the host's JDK 25 shared into the guest
 * ({@code NFSVM_SHARE}) as a java.base runtime made by jlink, plus the host libraries the JDK
 * links that the guest image does not carry (libdl, libpthread, librt). Guest side:
 * src/test/resources/guest/fsnap-cli.sh: create, revert, a branch drawn by tree, list --json,
 * show, an unknown snapshot (exit 1), a non-owner (exit 4) and a vers=4.1 mount (exit 3). Each
 * run is a JVM start, about a minute in a loaded emulated guest: the other errors and formats are
 * covered by the cli module's tests.
 */
class CliOverNfsTest {

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void fsnapCommandThroughTheLinuxClient() throws Exception {
        GuestVm.assumeAvailable();
        ItEnv.skipUnless(ItEnv.isRoot(), "the snapshot engine and the fixtures need root: run the tests as root");
        Path jar = ItEnv.repoRoot().resolve("cli/target/fsnap.jar");
        ItEnv.skipUnless(Files.isRegularFile(jar), "no " + jar + ": build the cli module first (mvn -pl cli package)");
        String name = "fsnap-cli-4.2";
        Path work = ItEnv.newWorkDir(name);
        Path export = Files.createDirectories(work.resolve("export"));
        HostFiles.dir(export, 0, 0, 0755);
        Path cli = HostFiles.dir(export.resolve("cli"), 0, 0, 0777);
        HostFiles.file(cli.resolve("theirs"), "theirs\n", 1001, 1001, 0644);
        Path share = shareWithJdkAndFsnap(work.resolve("share"), jar);
        // The server reads a config file, as in production (the limit is not reached here).
        Path conf = Files.writeString(work.resolve("fsnap.conf"), "[snapshots]\nmax_per_file = 50\n");

        GuestVm.Result r;
        try (NfsServer server = FsnapdProcess.start(name, export, ServerOptions.rootIsRoot(),
                "--config", conf.toString())) {
            String log = Files.readString(server.logFile());
            ItEnv.skipUnless(log.contains("snapshots on"),
                    "fsnapd does not serve the snapshot stack (Fsnapd.fileSystem must call SnapshotStack.build)");
            r = new GuestVm(name).port(server.port()).share(share).timeout(Duration.ofMinutes(16))
                    .run(GuestVm.script("fsnap-cli.sh"), server.mountPath());
        }
        r.assertPassed();

        Path f = cli.resolve("f");
        assertEquals("v0", Files.readString(f), "f was reverted to v1 and not written since");
        UserDefinedFileAttributeView xattrs = Files.getFileAttributeView(f, UserDefinedFileAttributeView.class);
        assertTrue(xattrs.list().stream().noneMatch(n -> n.startsWith("fsnap")),
                "the command only used the control names, never stored: " + xattrs.list());
        assertEquals("theirs\n", Files.readString(cli.resolve("theirs")), "the non-owner changed nothing");
        ItEnv.deleteTree(work);
    }

    /**
     * The shared folder: jre/ (jlink of the running JDK, java.base only, with its class data
     * sharing archive, as every guest second counts under emulation; kept in target/ for the
     * next run), syslib/ (the libraries it links from outside itself), fsnap/ (the launcher, its
     * JDK finder and the jar, laid out as in the repository).
     */
    static Path shareWithJdkAndFsnap(Path share, Path jar) throws IOException, InterruptedException {
        Files.createDirectories(share);
        Files.setPosixFilePermissions(share, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jre = guestRuntime();
        copyTree(jre, share.resolve("jre"));
        Path syslib = Files.createDirectories(share.resolve("syslib"));
        for (Path lib : systemLibraries(jre)) {
            Files.copy(lib, syslib.resolve(lib.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        Path repo = ItEnv.repoRoot();
        Path fsnap = share.resolve("fsnap");
        Files.createDirectories(fsnap.resolve("bin/lib"));
        Files.createDirectories(fsnap.resolve("cli/target"));
        Files.copy(repo.resolve("bin/fsnap"), fsnap.resolve("bin/fsnap"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(repo.resolve("bin/lib/find-jdk.sh"), fsnap.resolve("bin/lib/find-jdk.sh"));
        Files.copy(jar, fsnap.resolve("cli/target/fsnap.jar"));
        return share;
    }

    /** A java.base runtime of the JDK running the tests, made once by jlink (or the JDK itself). */
    private static synchronized Path guestRuntime() throws IOException {
        Path javaHome = Path.of(System.getProperty("java.home"));
        Path image = ItEnv.targetDir().resolve("guest-jre");
        if (Files.isRegularFile(image.resolve("bin/java"))) {
            return image;
        }
        Optional<ToolProvider> jlink = ToolProvider.findFirst("jlink");
        if (jlink.isEmpty()) {
            return javaHome; // no jlink: share the whole JDK
        }
        ItEnv.deleteTree(image);
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.PrintWriter pw = new java.io.PrintWriter(out);
        int rc = jlink.get().run(pw, pw, "--add-modules", "java.base", "--strip-debug", "--no-header-files",
                "--no-man-pages", "--generate-cds-archive", "--output", image.toString());
        if (rc != 0) {
            System.err.println("jlink failed (" + rc + "), sharing the whole JDK: " + out);
            ItEnv.deleteTree(image);
            return javaHome;
        }
        return image;
    }

    /** The host libraries that java and the runtime's own libraries load from outside the runtime. */
    private static Set<Path> systemLibraries(Path runtime) throws IOException, InterruptedException {
        List<Path> objects = new ArrayList<>();
        objects.add(runtime.resolve("bin/java"));
        try (var s = Files.walk(runtime.resolve("lib"))) {
            s.filter(p -> p.toString().endsWith(".so")).forEach(objects::add);
        }
        Set<Path> libs = new LinkedHashSet<>();
        for (Path o : objects) {
            Process p = new ProcessBuilder("ldd", o.toString()).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            for (String line : text.split("\n")) {
                int arrow = line.indexOf("=> /");
                if (arrow < 0) {
                    continue;
                }
                String path = line.substring(arrow + 3).trim();
                int paren = path.indexOf(" (");
                Path lib = Path.of(paren < 0 ? path : path.substring(0, paren));
                if (!lib.startsWith(runtime) && Files.isRegularFile(lib)) {
                    libs.add(lib.toRealPath().getParent().resolve(lib.getFileName()));
                }
            }
        }
        return libs;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var s = Files.walk(from)) {
            s.forEach(p -> {
                Path dst = to.resolve(from.relativize(p).toString());
                try {
                    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                        Files.createDirectories(dst);
                    } else {
                        Files.copy(p, dst, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING,
                                LinkOption.NOFOLLOW_LINKS);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
