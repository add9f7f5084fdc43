package org.fsnap.server.vfs.local;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.fsnap.server.vfs.DirectoryEntry;
import org.fsnap.server.vfs.DirectoryPage;
import org.fsnap.server.vfs.Inode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DirectoryListingTest extends LocalFsTestSupport {
    private static final int N = 2500;

    private Inode populated() throws Exception {
        Files.createDirectory(export.resolve("big"));
        for (int i = 0; i < N; i++) {
            Files.createFile(export.resolve("big").resolve("file-" + i));
        }
        return open().lookup(ROOT, root(), "big");
    }

    private List<DirectoryEntry> listAll(Inode dir, int pageSize) throws Exception {
        List<DirectoryEntry> all = new ArrayList<>();
        long cookie = 0;
        long verifier = 0;
        while (true) {
            DirectoryPage p = fs.list(ROOT, dir, cookie, pageSize);
            if (verifier != 0) {
                assertEquals(verifier, p.verifier());
            }
            verifier = p.verifier();
            all.addAll(p.entries());
            if (p.eof()) {
                return all;
            }
            assertFalse(p.entries().isEmpty());
            cookie = p.entries().getLast().cookie();
        }
    }

    @Test
    void pagesThrough2500EntriesWithStableCookies() throws Exception {
        Inode big = populated();
        List<DirectoryEntry> all = listAll(big, 97);
        assertEquals(N, all.size());
        Set<String> names = new HashSet<>();
        Map<String, Long> cookies = new HashMap<>();
        for (DirectoryEntry e : all) {
            assertTrue(e.cookie() > 2, "cookies 0, 1, 2 are reserved");
            assertTrue(names.add(e.name()), "no duplicates");
            cookies.put(e.name(), e.cookie());
        }
        // a second listing, in other page sizes, gives the same cookies
        List<DirectoryEntry> again = listAll(big, 1000);
        assertEquals(N, again.size());
        for (DirectoryEntry e : again) {
            assertEquals(cookies.get(e.name()), e.cookie());
        }
        // continuing from any cookie gives exactly what followed it
        DirectoryEntry mid = all.get(1234);
        DirectoryPage next = fs.list(ROOT, big, mid.cookie(), 3);
        assertEquals(all.subList(1235, 1238).stream().map(DirectoryEntry::name).toList(),
                next.entries().stream().map(DirectoryEntry::name).toList());
        // and cookies survive a restart
        fs.close();
        fs = new LocalFileSystem(export, Set.of(STORE));
        DirectoryPage afterRestart = fs.list(ROOT, fs.inodeOf(big.handle()), mid.cookie(), 3);
        assertEquals(next.entries().stream().map(DirectoryEntry::name).toList(),
                afterRestart.entries().stream().map(DirectoryEntry::name).toList());
        assertEquals(next.verifier(), afterRestart.verifier());
    }

    @Test
    void concurrentChangesNeitherRepeatNorSkipSurvivors() throws Exception {
        Inode big = populated();
        Set<String> seen = new HashSet<>();
        long cookie = 0;
        int page = 0;
        while (true) {
            DirectoryPage p = fs.list(ROOT, big, cookie, 200);
            for (DirectoryEntry e : p.entries()) {
                assertTrue(seen.add(e.name()), "repeated " + e.name());
            }
            if (p.eof()) {
                break;
            }
            cookie = p.entries().getLast().cookie();
            // churn between pages: new names and removals of names not yet or already seen
            file(ROOT, big, "new-" + page, 0644);
            fs.remove(ROOT, big, "file-" + (page * 7));
            page++;
        }
        for (int i = 0; i < N; i++) {
            if (i % 7 != 0 || i / 7 >= page) {
                assertTrue(seen.contains("file-" + i), "skipped file-" + i);
            }
        }
    }

    @Test
    void attributesComeWithEntries() throws Exception {
        Inode big = populated();
        DirectoryPage p = fs.list(ROOT, big, 0, 10);
        for (DirectoryEntry e : p.entries()) {
            assertEquals(Files.getAttribute(export.resolve("big").resolve(e.name()), "unix:ino"),
                    e.stat().fileId());
            assertEquals(e.inode(), fs.lookup(ROOT, big, e.name()));
        }
    }
}
