package org.fsnap.server.testclient;

import static org.fsnap.server.testclient.Nfs4.*;

import java.util.ArrayList;
import java.util.List;

/**
 * A decoded COMPOUND4res: overall status, tag, and one {@link OpReply} per operation that
 * was executed. When a result body cannot be parsed (an operation the client does not know
 * returned NFS4_OK), the remaining bytes stay in that result and parsing stops.
 */
public record CompoundReply(int status, byte[] tag, List<OpReply> results) {

    public static CompoundReply decode(byte[] bytes) {
        XdrReader r = new XdrReader(bytes);
        int status = r.readInt();
        byte[] tag = r.readOpaque();
        int n = r.readInt();
        if (n < 0 || n > r.remaining() / 8) {
            throw new XdrReader.XdrFormatException("resarray of " + Integer.toUnsignedString(n));
        }
        List<OpReply> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int opcode = r.readInt();
            int opStatus = r.readInt();
            int start = r.position();
            boolean known = ResultBodies.skip(opcode, opStatus, r);
            if (!known) {
                results.add(new OpReply(opcode, opStatus, r.rest()));
                break;
            }
            results.add(new OpReply(opcode, opStatus, r.slice(start, r.position())));
        }
        if (r.hasRemaining()) {
            throw new XdrReader.XdrFormatException(r.remaining() + " bytes after the results");
        }
        return new CompoundReply(status, tag, List.copyOf(results));
    }

    public boolean ok() {
        return status == NFS4_OK;
    }

    public OpReply get(int index) {
        return results.get(index);
    }

    public OpReply last() {
        return results.get(results.size() - 1);
    }

    public int size() {
        return results.size();
    }

    /** The first result of that operation. */
    public OpReply find(int opcode) {
        for (OpReply o : results) {
            if (o.opcode() == opcode) {
                return o;
            }
        }
        throw new IllegalStateException("no " + opName(opcode) + " result in " + this);
    }

    /** The status of the last executed operation (equal to {@link #status()} by RFC). */
    public int lastStatus() {
        return results.isEmpty() ? status : last().status();
    }

    /** Throws with a readable summary unless every operation succeeded. */
    public CompoundReply assertOk() {
        if (!ok()) {
            throw new AssertionError("COMPOUND failed: " + this);
        }
        return this;
    }

    @Override
    public String toString() {
        return statusName(status) + " " + results;
    }
}
