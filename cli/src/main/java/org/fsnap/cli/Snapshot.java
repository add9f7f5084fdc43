package org.fsnap.cli;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One line of {@code fsnap.info}: name, created (RFC 3339 UTC), size in bytes, parent (empty for
 * none), tab-separated; plus whether it is the file's current snapshot ({@code fsnap.current}).
 */
public record Snapshot(String name, Instant created, long size, Optional<String> parent, boolean current) {

    /** Parses the value of {@code fsnap.info}; {@code current} is the value of {@code fsnap.current}. */
    public static List<Snapshot> parseInfo(String info, String current) throws CliException {
        List<Snapshot> result = new ArrayList<>();
        int lineNo = 0;
        for (String line : info.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 4) {
                throw unexpected(lineNo, line, "expected 4 tab-separated fields, got " + f.length);
            }
            Instant created;
            long size;
            try {
                created = Instant.parse(f[1]);
            } catch (DateTimeParseException e) {
                throw unexpected(lineNo, line, "bad time '" + f[1] + "'");
            }
            try {
                size = Long.parseLong(f[2]);
            } catch (NumberFormatException e) {
                throw unexpected(lineNo, line, "bad size '" + f[2] + "'");
            }
            result.add(new Snapshot(f[0], created, size, f[3].isEmpty() ? Optional.empty() : Optional.of(f[3]),
                    f[0].equals(current)));
        }
        return result;
    }

    private static CliException unexpected(int lineNo, String line, String why) {
        return new CliException(ExitCode.IO, "unexpected fsnap.info line " + lineNo + " from the server ("
                + why + "): " + line.replace("\t", "\\t"));
    }
}
