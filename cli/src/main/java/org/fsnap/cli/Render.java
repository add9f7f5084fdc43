package org.fsnap.cli;

import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** How {@code fsnap list} and {@code fsnap tree} print snapshots. */
public final class Render {
    private Render() {
    }

    // ------------------------------------------------------------------------------ table

    /**
     * A table: NAME, CREATED (UTC, to the second), SIZE, PARENT ("-" for none) and CURRENT ("*" on
     * the current snapshot). Sizes are in bytes with {@code exactBytes}, else in K/M/G/T (1024-based).
     */
    public static String table(List<Snapshot> snapshots, boolean exactBytes) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "CREATED", "SIZE", "PARENT", "CURRENT"});
        for (Snapshot s : snapshots) {
            rows.add(new String[] {
                SnapshotClient.printable(s.name()),
                created(s),
                exactBytes ? Long.toString(s.size()) : humanSize(s.size()),
                s.parent().map(SnapshotClient::printable).orElse("-"),
                s.current() ? "*" : ""});
        }
        int[] width = new int[5];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].codePointCount(0, r[i].length()));
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                boolean right = i == 2; // sizes line up on the right
                int pad = width[i] - r[i].codePointCount(0, r[i].length());
                if (right) {
                    line.append(" ".repeat(pad)).append(r[i]);
                } else {
                    line.append(r[i]);
                    if (i < r.length - 1) {
                        line.append(" ".repeat(pad));
                    }
                }
                if (i < r.length - 1) {
                    line.append("  ");
                }
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        return b.toString();
    }

    static String created(Snapshot s) {
        return DateTimeFormatter.ISO_INSTANT.format(s.created().truncatedTo(ChronoUnit.SECONDS));
    }

    /** 1023 → "1023", 1536 → "1.5K", 10 MiB → "10M"; one decimal below 10. */
    static String humanSize(long bytes) {
        if (bytes < 1024) {
            return Long.toString(bytes);
        }
        String units = "KMGTPE";
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length() - 1) {
            v /= 1024;
            u++;
        }
        String number = v < 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.0f", v);
        if (number.endsWith(".0")) {
            number = number.substring(0, number.length() - 2);
        }
        return number + units.charAt(u);
    }

    // ------------------------------------------------------------------------------ JSON

    /** A JSON array of objects: name, created (RFC 3339), size (bytes), parent (or null), current. */
    public static String json(List<Snapshot> snapshots) {
        if (snapshots.isEmpty()) {
            return "[]\n";
        }
        StringBuilder b = new StringBuilder("[\n");
        for (int i = 0; i < snapshots.size(); i++) {
            Snapshot s = snapshots.get(i);
            b.append("  {\"name\": ").append(jsonString(s.name()))
                    .append(", \"created\": ").append(jsonString(s.created().toString()))
                    .append(", \"size\": ").append(s.size())
                    .append(", \"parent\": ").append(s.parent().map(Render::jsonString).orElse("null"))
                    .append(", \"current\": ").append(s.current())
                    .append(i < snapshots.size() - 1 ? "},\n" : "}\n");
        }
        return b.append("]\n").toString();
    }

    static String jsonString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    // ------------------------------------------------------------------------------ tree

    /** Line-drawing characters: Unicode box drawing or plain ASCII. */
    public enum Glyphs {
        UNICODE("├── ", "└── ", "│   ", "    "),
        ASCII("|-- ", "`-- ", "|   ", "    ");

        final String branch;
        final String last;
        final String through;
        final String blank;

        Glyphs(String branch, String last, String through, String blank) {
            this.branch = branch;
            this.last = last;
            this.through = through;
            this.blank = blank;
        }
    }

    /**
     * The branching history: each snapshot under its parent, siblings oldest first, with its
     * creation time, "(current)" on the current snapshot. Snapshots whose parent is unknown (no
     * parent, or one not in the list) are roots.
     */
    public static String tree(String title, List<Snapshot> snapshots, Glyphs g) {
        Map<String, Snapshot> byName = new LinkedHashMap<>();
        for (Snapshot s : snapshots) {
            byName.put(s.name(), s);
        }
        Map<String, List<Snapshot>> children = new LinkedHashMap<>();
        List<Snapshot> roots = new ArrayList<>();
        for (Snapshot s : snapshots) {
            if (s.parent().isPresent() && byName.containsKey(s.parent().get())
                    && !s.parent().get().equals(s.name())) {
                children.computeIfAbsent(s.parent().get(), k -> new ArrayList<>()).add(s);
            } else {
                roots.add(s);
            }
        }
        StringBuilder b = new StringBuilder(title).append('\n');
        Set<String> drawn = new HashSet<>();
        for (int i = 0; i < roots.size(); i++) {
            draw(b, roots.get(i), "", i == roots.size() - 1, children, drawn, g);
        }
        // A parent cycle (not something fsnap writes) would leave snapshots out; show them anyway.
        List<Snapshot> left = snapshots.stream().filter(s -> !drawn.contains(s.name())).toList();
        for (int i = 0; i < left.size(); i++) {
            if (!drawn.contains(left.get(i).name())) {
                draw(b, left.get(i), "", i == left.size() - 1, children, drawn, g);
            }
        }
        return b.toString();
    }

    private static void draw(StringBuilder b, Snapshot s, String indent, boolean last,
                             Map<String, List<Snapshot>> children, Set<String> drawn, Glyphs g) {
        if (!drawn.add(s.name())) {
            return;
        }
        b.append(indent).append(last ? g.last : g.branch).append(SnapshotClient.printable(s.name()))
                .append("  ").append(created(s));
        if (s.current()) {
            b.append("  (current)");
        }
        b.append('\n');
        List<Snapshot> kids = children.getOrDefault(s.name(), List.of());
        String next = indent + (last ? g.blank : g.through);
        for (int i = 0; i < kids.size(); i++) {
            draw(b, kids.get(i), next, i == kids.size() - 1, children, drawn, g);
        }
    }
}
