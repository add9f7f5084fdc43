package org.fsnap.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The mount table ({@code /proc/self/mounts}), only to explain a failure better: which filesystem
 * a path is on and, for NFS, the protocol version it was mounted with.
 */
public final class Mounts {
    /** One mount: where, what filesystem type, its options. */
    public record Mount(String device, Path mountPoint, String type, List<String> options) {
        /** The value of option {@code key=value}, if present. */
        public Optional<String> option(String key) {
            for (String o : options) {
                if (o.startsWith(key + "=")) {
                    return Optional.of(o.substring(key.length() + 1));
                }
            }
            return Optional.empty();
        }

        public boolean isNfs() {
            return type.equals("nfs") || type.equals("nfs4");
        }
    }

    private final List<Mount> mounts;

    public Mounts(List<Mount> mounts) {
        this.mounts = List.copyOf(mounts);
    }

    /** This process's mounts; none when they cannot be read (not Linux). */
    public static Mounts system() {
        try {
            return parse(Files.readString(Path.of("/proc/self/mounts"), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return new Mounts(List.of());
        }
    }

    /** Parses the text of /proc/mounts (fields separated by spaces, with octal escapes). */
    public static Mounts parse(String text) {
        List<Mount> result = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split(" +");
            if (f.length < 4) {
                continue;
            }
            result.add(new Mount(unescape(f[0]), Path.of(unescape(f[1])), unescape(f[2]),
                    List.of(unescape(f[3]).split(","))));
        }
        return new Mounts(result);
    }

    /** The mount holding {@code path} (the last mounted one on the longest matching mount point). */
    public Optional<Mount> find(Path path) {
        Path real = realPath(path);
        Mount best = null;
        for (Mount m : mounts) {
            if (real.startsWith(m.mountPoint())
                    && (best == null || m.mountPoint().getNameCount() >= best.mountPoint().getNameCount())) {
                best = m;
            }
        }
        return Optional.ofNullable(best);
    }

    private static Path realPath(Path path) {
        Path p = path.toAbsolutePath().normalize();
        // The longest existing ancestor, resolved; the rest appended as given.
        for (Path q = p; q != null; q = q.getParent()) {
            try {
                Path real = q.toRealPath();
                return q.equals(p) ? real : real.resolve(q.relativize(p));
            } catch (IOException e) {
                // try the parent
            }
        }
        return p;
    }

    /** Undoes the octal escapes of /proc/mounts ({@code \040} for a space, ...). */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1)) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
