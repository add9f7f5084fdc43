package org.fsnap.server.audit;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per snapshot operation on the slf4j logger {@value #LOGGER}: who (uid and client
 * address, or the schedule), what, which file, the result and how long it took.
 *
 * <pre>
 * op=create file=vm/disk.qcow2 snapshot=v1 uid=1000 client=10.0.0.5 result=ok ms=12.4
 * op=delete file="a b.txt" snapshot=v0 uid=65534 client=10.0.0.5 result=ACCESS ms=0.2 error="no write permission on the file"
 * op=create file=vm/disk.qcow2 snapshot=hourly-20261122T1900Z by=schedule:hourly result=ok ms=3.1
 * </pre>
 *
 * Successes and refusals (the client's mistakes: no permission, no such snapshot, ...) are INFO,
 * failures of the server (I/O errors, no space, a cluster without a majority) WARN; never with a
 * stack trace. Reads (list, current, info) are DEBUG (WARN if the server failed): they change
 * nothing, and clients read {@code fsnap.list} often. Values with blanks,
 * quotes or '=' are double-quoted with {@code \"} and {@code \\} escaped, control characters as
 * {@code \xNN}.
 */
public final class AuditLog {
    public static final String LOGGER = "fsnap.audit";

    /** A result that is the server's fault (logged at WARN). */
    public static boolean isServerFailure(String result) {
        return result.equals("IO") || result.equals("SERVERFAULT") || result.equals("NOSPC")
                || result.equals("DELAY") || result.equals("error");
    }

    private final Logger log;
    private final boolean enabled;

    public AuditLog(boolean enabled) {
        this(enabled, LoggerFactory.getLogger(LOGGER));
    }

    AuditLog(boolean enabled, Logger log) {
        this.enabled = enabled;
        this.log = log;
    }

    /** An audit log that writes nothing ({@code log.audit = no}). */
    public static AuditLog disabled() {
        return new AuditLog(false);
    }

    /** Whether {@code op} only reads (logged at DEBUG). */
    public static boolean isRead(String op) {
        return op.equals("list") || op.equals("current") || op.equals("info");
    }

    /**
     * An operation asked for by an NFS client.
     *
     * @param op       create, delete or revert; or list, current, info (reads, at DEBUG)
     * @param file     the file, relative to the export
     * @param snapshot the snapshot's name (the engine's choice for an automatic create; "" for reads)
     * @param result   "ok", or the error's name (VfsError / NFS4ERR_ without the prefix)
     * @param error    the error's message, or null
     */
    public void clientOperation(int uid, InetAddress client, String op, String file, String snapshot,
                                String result, String error, Duration took) {
        write(op, file, snapshot, "uid=" + uid + " client=" + (client == null ? "-" : client.getHostAddress()),
                result, error, took);
    }

    /** An operation of the snapshot scheduler. */
    public void scheduledOperation(String schedule, String op, String file, String snapshot, String result,
                                   String error, Duration took) {
        write(op, file, snapshot, "by=" + value("schedule:" + schedule), result, error, took);
    }

    private void write(String op, String file, String snapshot, String who, String result, String error,
                       Duration took) {
        if (!enabled || (isRead(op) && !isServerFailure(result) && !log.isDebugEnabled())) {
            return;
        }
        StringBuilder b = new StringBuilder(128);
        b.append("op=").append(value(op))
                .append(" file=").append(value(file))
                .append(" snapshot=").append(value(snapshot))
                .append(' ').append(who)
                .append(" result=").append(value(result))
                .append(" ms=").append(String.format(Locale.ROOT, "%.1f", took.toNanos() / 1e6));
        if (error != null && !error.isEmpty()) {
            b.append(" error=").append(value(error));
        }
        if (isServerFailure(result)) {
            log.warn("{}", b);
        } else if (isRead(op)) {
            log.debug("{}", b);
        } else {
            log.info("{}", b);
        }
    }

    /** A value, quoted when it has to be. */
    static String value(String v) {
        if (v == null || v.isEmpty()) {
            return "\"\"";
        }
        boolean plain = true;
        for (int i = 0; i < v.length() && plain; i++) {
            char c = v.charAt(i);
            plain = c > ' ' && c != '"' && c != '=' && c != '\\' && c != 0x7f;
        }
        if (plain) {
            return v;
        }
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < ' ' || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
