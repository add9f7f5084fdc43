package org.fsnap.server.compound;

/** Told about every COMPOUND and operation the processor runs (metrics). */
public interface OperationObserver {
    OperationObserver NONE = new OperationObserver() {
        @Override
        public void compound() {
        }

        @Override
        public void operation(int opcode, int status, long nanos) {
        }
    };

    void compound();

    void operation(int opcode, int status, long nanos);
}
