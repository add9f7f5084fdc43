package org.fsnap.server.attr;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import org.fsnap.server.nfs.Nfs4Status;
import org.fsnap.server.nfs.NfsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps uids/gids to NFSv4 owner strings and back (RFC 8881 section 5.9).
 *
 * <p>Outgoing owners are numeric strings ("1000"): that is what the Linux client expects with
 * AUTH_SYS (nfs4_disable_idmapping, the default), and it never needs a lookup. Incoming owners
 * may be numeric ("1000", also "1000@domain") or {@code name@domain} / a bare name, resolved
 * through the local passwd and group files. The files are cached and re-read when they change
 * (checked at most every few seconds). The domain part is not checked: the names are only
 * meaningful locally anyway, and a mismatching idmapd domain on the client should not turn
 * every chown into an error. Anything else is NFS4ERR_BADOWNER.
 */
public final class OwnerMapper {
    private static final Logger LOG = LoggerFactory.getLogger(OwnerMapper.class);
    private static final long RECHECK_NANOS = 5_000_000_000L;
    /** (uid_t) -1 means "no change" to chown(2): never accept it as an owner. */
    private static final long NO_ID = 0xffffffffL;

    private final String domain;
    private final NameTable users;
    private final NameTable groups;

    /** Resolves names through /etc/passwd and /etc/group. */
    public OwnerMapper(String domain) {
        this(domain, Path.of("/etc/passwd"), Path.of("/etc/group"));
    }

    public OwnerMapper(String domain, Path passwd, Path group) {
        this.domain = domain;
        this.users = new NameTable(passwd);
        this.groups = new NameTable(group);
    }

    public String domain() {
        return domain;
    }

    /** The owner attribute for a uid: its decimal (unsigned) value. */
    public String ownerOf(int uid) {
        return Integer.toUnsignedString(uid);
    }

    /** The owner_group attribute for a gid. */
    public String groupOf(int gid) {
        return Integer.toUnsignedString(gid);
    }

    /** The uid an owner string names; NFS4ERR_BADOWNER when it names none. */
    public int uidOf(String owner) throws NfsException {
        return resolve(owner, users, "owner");
    }

    /** The gid an owner_group string names; NFS4ERR_BADOWNER when it names none. */
    public int gidOf(String group) throws NfsException {
        return resolve(group, groups, "group");
    }

    private static int resolve(String s, NameTable table, String what) throws NfsException {
        if (s == null || s.isEmpty()) {
            throw badOwner(what, s);
        }
        String name = s;
        int at = s.lastIndexOf('@');
        if (at >= 0) {
            name = s.substring(0, at);
            if (name.isEmpty() || at == s.length() - 1) {
                throw badOwner(what, s);
            }
        }
        long numeric = parseNumeric(name);
        if (numeric >= 0) {
            return (int) numeric;
        }
        Integer id = table.lookup(name);
        if (id == null) {
            throw badOwner(what, s);
        }
        return id;
    }

    private static NfsException badOwner(String what, String s) {
        return new NfsException(Nfs4Status.NFS4ERR_BADOWNER, "unknown " + what + " '" + s + "'");
    }

    /** A decimal id in [0, 2^32-2], or -1 when {@code s} is not one. */
    static long parseNumeric(String s) {
        int n = s.length();
        if (n == 0 || n > 10) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        if (n > 1 && s.charAt(0) == '0') {
            return -1; // "007" is not how an id is written; keep the mapping one-to-one
        }
        return v >= NO_ID ? -1 : v;
    }

    /** name → id from a passwd(5)/group(5) style file: name:x:id:... */
    private static final class NameTable {
        private final Path file;
        private volatile Snapshot snapshot;

        private record Snapshot(Map<String, Integer> ids, FileTime modified, long checkedAt) {
        }

        NameTable(Path file) {
            this.file = file;
        }

        Integer lookup(String name) {
            return current().ids().get(name);
        }

        private Snapshot current() {
            Snapshot s = snapshot;
            long now = System.nanoTime();
            if (s != null && now - s.checkedAt() < RECHECK_NANOS) {
                return s;
            }
            synchronized (this) {
                s = snapshot;
                if (s != null && now - s.checkedAt() < RECHECK_NANOS) {
                    return s;
                }
                FileTime modified = modifiedTime();
                if (s != null && java.util.Objects.equals(modified, s.modified())) {
                    s = new Snapshot(s.ids(), modified, now);
                } else {
                    s = new Snapshot(load(), modified, now);
                }
                snapshot = s;
                return s;
            }
        }

        private FileTime modifiedTime() {
            try {
                return Files.getLastModifiedTime(file);
            } catch (IOException e) {
                return null;
            }
        }

        private Map<String, Integer> load() {
            Map<String, Integer> ids = new HashMap<>();
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (line.isEmpty() || line.charAt(0) == '#') {
                        continue;
                    }
                    String[] f = line.split(":", 4);
                    if (f.length < 3 || f[0].isEmpty()) {
                        continue;
                    }
                    long id = parseNumeric(f[2]);
                    if (id >= 0) {
                        ids.putIfAbsent(f[0], (int) id);
                    }
                }
            } catch (NoSuchFileException e) {
                LOG.debug("{} does not exist: only numeric owners map", file);
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot read {}: only numeric owners map ({})", file, e.toString());
            }
            return Map.copyOf(ids);
        }
    }
}
