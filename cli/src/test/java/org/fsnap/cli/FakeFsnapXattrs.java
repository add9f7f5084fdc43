package org.fsnap.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test double of an fsnap mount's xattr contract: files' snapshot histories in memory, with
 * the server's errno for each mistake, and failures that can be injected per attribute.
 */
final class FakeFsnapXattrs implements SnapshotXattrs {
    record Snap(String name, Instant created, long size, String parent) {
    }

    static final class History {
        final Map<String, Snap> snapshots = new LinkedHashMap<>();
        String current = "";
        long size = 100;
    }

    final Map<Path, History> files = new HashMap<>();
    /** Attribute name (or "*") → errno every access to it fails with. */
    final Map<String, Errno> failures = new HashMap<>();
    final Map<Errno, Integer> counts = new EnumMap<>(Errno.class);
    final List<String> writes = new ArrayList<>();
    Instant now = Instant.parse("2026-11-22T19:30:00Z");
    int limit = 10;
    boolean claims = true;

    History history(Path file) {
        return files.computeIfAbsent(file, f -> new History());
    }

    FakeFsnapXattrs fail(String attr, Errno errno) {
        failures.put(attr, errno);
        return this;
    }

    @Override
    public boolean claimsSupport(Path file) {
        return claims;
    }

    private void check(String name) throws XattrException {
        Errno e = failures.getOrDefault(name, failures.get("*"));
        if (e != null) {
            throw new XattrException(e, "Error on extended attribute '" + name + "': " + e.text());
        }
    }

    @Override
    public byte[] read(Path file, String name) throws XattrException {
        check(name);
        History h = history(file);
        StringBuilder b = new StringBuilder();
        switch (name) {
            case "fsnap.list" -> h.snapshots.keySet().forEach(n -> b.append(n).append('\n'));
            case "fsnap.current" -> b.append(h.current);
            case "fsnap.info" -> h.snapshots.values().forEach(s -> b.append(s.name()).append('\t')
                    .append(DateTimeFormatter.ISO_INSTANT.format(s.created())).append('\t')
                    .append(s.size()).append('\t').append(s.parent()).append('\n'));
            default -> throw new XattrException(Errno.ENODATA, "No data available");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void write(Path file, String name, byte[] value) throws XattrException {
        check(name);
        writes.add(name + "=" + new String(value, StandardCharsets.UTF_8));
        History h = history(file);
        String v = new String(value, StandardCharsets.UTF_8);
        switch (name) {
            case "fsnap.create" -> {
                String n = v.isEmpty()
                        ? DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(now)
                        : v;
                if (n.contains("/")) {
                    throw new XattrException(Errno.EINVAL, "Invalid argument");
                }
                if (h.snapshots.containsKey(n)) {
                    throw new XattrException(Errno.EEXIST, "File exists");
                }
                if (h.snapshots.size() >= limit) {
                    throw new XattrException(Errno.EDQUOT, "Disk quota exceeded");
                }
                h.snapshots.put(n, new Snap(n, now, h.size, h.current));
                h.current = n;
                now = now.plusSeconds(60);
            }
            case "fsnap.delete" -> {
                Snap gone = h.snapshots.remove(v);
                if (gone == null) {
                    throw new XattrException(Errno.ENODATA, "No data available");
                }
                h.snapshots.replaceAll((k, s) -> s.parent().equals(v)
                        ? new Snap(s.name(), s.created(), s.size(), gone.parent()) : s);
                if (h.current.equals(v)) {
                    h.current = "";
                }
            }
            case "fsnap.revert" -> {
                Snap to = h.snapshots.get(v);
                if (to == null) {
                    throw new XattrException(Errno.ENODATA, "No data available");
                }
                h.current = v;
                h.size = to.size();
            }
            default -> throw new XattrException(Errno.EINVAL, "Invalid argument");
        }
    }
}
