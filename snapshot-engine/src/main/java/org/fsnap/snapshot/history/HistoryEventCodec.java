package org.fsnap.snapshot.history;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.fsnap.snapshot.clone.CloneStrategy;

/**
 * Text form of history events: one line per event, {@code <crc32c> <type> <version> <fields…>}.
 *
 * <p>The checksum covers the rest of the line, so a record torn by a power cut (or a deliberately torn one
 * in a crash test) is recognised and everything from it on is ignored. Fields are percent-encoded UTF-8,
 * because snapshot names and paths may hold spaces, newlines and '%'; "~" stands for the empty string.
 */
public final class HistoryEventCodec {

    private HistoryEventCodec() {
    }

    /** A decoded log: the events of its intact prefix, and that prefix's length in bytes. */
    public record Decoded(List<HistoryEvent> events, long validLength, boolean torn) {
    }

    public static byte[] encode(List<HistoryEvent> events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(events.size() * 96);
        for (HistoryEvent event : events) {
            out.writeBytes(encodeLine(event));
        }
        return out.toByteArray();
    }

    static byte[] encodeLine(HistoryEvent event) {
        String body = switch (event) {
            case HistoryEvent.Base b -> join("B", b.version(), b.nextSerial());
            case HistoryEvent.Created c -> {
                SnapshotRecord s = c.snapshot();
                yield join("C", c.version(), s.serial(), text(s.name()), s.created(), s.size(), s.parentSerial(),
                        s.strategy().name(), s.contentModified());
            }
            case HistoryEvent.Deleted d -> join("D", d.version(), d.serial());
            case HistoryEvent.RevertStarted r -> join("I", r.version(), r.serial(), r.inode(), text(r.location()));
            case HistoryEvent.RevertAbandoned a -> join("A", a.version());
            case HistoryEvent.CurrentChanged c -> join("R", c.version(), c.serial());
            case HistoryEvent.Located l -> join("L", l.version(), text(l.location()));
            case HistoryEvent.LiveRemoved r -> join("X", r.version());
        };
        byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
        String line = String.format("%08x", crc(bodyBytes)) + " " + body + "\n";
        return line.getBytes(StandardCharsets.UTF_8);
    }

    /** Decodes the longest intact prefix of a log file's bytes. */
    public static Decoded decode(byte[] bytes) {
        List<HistoryEvent> events = new ArrayList<>();
        int start = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            if (end == bytes.length) {
                return new Decoded(events, start, true); // last line lacks its newline: torn
            }
            Optional<HistoryEvent> event = decodeLine(new String(bytes, start, end - start, StandardCharsets.UTF_8));
            if (event.isEmpty()) {
                return new Decoded(events, start, true);
            }
            events.add(event.get());
            start = end + 1;
        }
        return new Decoded(events, start, false);
    }

    static Optional<HistoryEvent> decodeLine(String line) {
        int space = line.indexOf(' ');
        if (space != 8) {
            return Optional.empty();
        }
        String body = line.substring(space + 1);
        try {
            long expected = Long.parseLong(line.substring(0, space), 16);
            if (expected != crc(body.getBytes(StandardCharsets.UTF_8))) {
                return Optional.empty();
            }
            String[] f = body.split(" ", -1);
            long version = Long.parseLong(f[1]);
            HistoryEvent event = switch (f[0]) {
                case "B" -> new HistoryEvent.Base(version, Long.parseLong(f[2]));
                case "C" -> new HistoryEvent.Created(version, new SnapshotRecord(Long.parseLong(f[2]), untext(f[3]),
                        Instant.parse(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]), CloneStrategy.valueOf(f[7]),
                        Instant.parse(f[8])));
                case "D" -> new HistoryEvent.Deleted(version, Long.parseLong(f[2]));
                case "I" -> new HistoryEvent.RevertStarted(version, Long.parseLong(f[2]), Long.parseLong(f[3]),
                        untext(f[4]));
                case "A" -> new HistoryEvent.RevertAbandoned(version);
                case "R" -> new HistoryEvent.CurrentChanged(version, Long.parseLong(f[2]));
                case "L" -> new HistoryEvent.Located(version, untext(f[2]));
                case "X" -> new HistoryEvent.LiveRemoved(version);
                default -> null;
            };
            return Optional.ofNullable(event);
        } catch (RuntimeException e) {
            return Optional.empty(); // a checksum collision on garbage; treat as torn
        }
    }

    private static String join(String type, Object... fields) {
        StringBuilder sb = new StringBuilder(type);
        for (Object field : fields) {
            sb.append(' ').append(field);
        }
        return sb.toString();
    }

    private static long crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return crc.getValue();
    }

    private static boolean plain(int b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                || b == '.' || b == '_' || b == '-' || b == ':' || b == '+' || b == '/' || b == '@';
    }

    static String text(String value) {
        if (value.isEmpty()) {
            return "~";
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(utf8.length + 8);
        for (byte raw : utf8) {
            int b = raw & 0xff;
            if (plain(b)) {
                sb.append((char) b);
            } else {
                sb.append('%').append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 15, 16));
            }
        }
        return sb.toString();
    }

    static String untext(String field) {
        if (field.equals("~")) {
            return "";
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '%') {
                out.write(Integer.parseInt(field.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
