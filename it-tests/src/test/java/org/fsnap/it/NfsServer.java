package org.fsnap.it;

import java.io.IOException;
import java.nio.file.Path;

/** An NFS server process under test, listening on 127.0.0.1 only, serving one directory. */
public interface NfsServer extends AutoCloseable {

    /** Short name for messages and file names: "fsnapd", "ganesha". */
    String name();

    /** The loopback port it listens on (the guest reaches it as nfs-server:2049). */
    int port();

    /** The path a client mounts: "/" for fsnapd (the export is the NFSv4 root), "/export" for ganesha. */
    String mountPath();

    /** The host directory it serves. */
    Path exportDir();

    /** Where its output goes. */
    Path logFile();

    /** Stops the server and starts it again on the same port with the same export and options. */
    void restart() throws IOException, InterruptedException;

    /** Stops the server (SIGTERM, then SIGKILL); idempotent. */
    @Override
    void close();
}
