package org.fsnap.server.nfs;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

/** Names of opcodes and statuses, for logs and metrics, read once from the constant classes. */
public final class Nfs4Names {
    private static final Map<Integer, String> OPERATIONS = constants(OpCode.class);
    private static final Map<Integer, String> STATUSES = constants(Nfs4Status.class);

    private Nfs4Names() {
    }

    public static String operation(int opcode) {
        return OPERATIONS.getOrDefault(opcode, "OP_" + opcode);
    }

    public static String status(int status) {
        return STATUSES.getOrDefault(status, "STATUS_" + status);
    }

    private static Map<Integer, String> constants(Class<?> holder) {
        Map<Integer, String> names = new HashMap<>();
        for (Field f : holder.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                try {
                    names.putIfAbsent(f.getInt(null), f.getName());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return Map.copyOf(names);
    }
}
