package org.fsnap.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.dcache.oncrpc4j.rpc.OncRpcProgram;
import org.dcache.oncrpc4j.rpc.OncRpcSvc;
import org.dcache.oncrpc4j.rpc.OncRpcSvcBuilder;
import org.dcache.oncrpc4j.rpc.net.IpProtocolType;
import org.fsnap.config.ServerOptions;
import org.fsnap.server.attr.OwnerMapper;
import org.fsnap.server.compound.CompoundProcessor;
import org.fsnap.server.compound.OperationObserver;
import org.fsnap.server.ops.DirectoryChanges;
import org.fsnap.server.ops.Nfs4Operations;
import org.fsnap.server.rpc.CredentialMapper;
import org.fsnap.server.rpc.NfsRpcService;
import org.fsnap.server.rpc.RpcRecordGuard;
import org.fsnap.server.rpc.WorkPlacement;
import org.fsnap.server.state.ClientRecoveryStore;
import org.fsnap.server.state.ClientTable;
import org.fsnap.server.state.GracePeriod;
import org.fsnap.server.state.ServerIdentity;
import org.fsnap.server.state.SessionTable;
import org.fsnap.server.state.StateTable;
import org.fsnap.server.vfs.VirtualFileSystem;
import org.fsnap.server.vfs.export.ExportGate;
import org.fsnap.server.vfs.export.ExportsEnforced;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running NFSv4.1/4.2 server: the RPC service on TCP, the tables behind it, and the lease
 * reaper. Built from {@link ServerOptions} over a {@link VirtualFileSystem}; a filesystem that does
 * not apply export rules itself is served as {@code --export} serves its directory (everyone,
 * read-write, root squashed unless the options say not).
 */
public final class NfsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NfsServer.class);
    /** Largest RPC record accepted: a 1 MiB WRITE plus its COMPOUND, with room to spare. */
    public static final int MAX_RECORD_BYTES = 4 << 20;
    /** Threads for COMPOUNDs that move data or may wait (see NfsRpcService). */
    static final int WORKER_THREADS = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());

    private final OncRpcSvc rpc;
    private final ScheduledExecutorService reaper;
    private final ExecutorService workers;
    private final InetSocketAddress address;

    private NfsServer(OncRpcSvc rpc, ScheduledExecutorService reaper, ExecutorService workers,
                      InetSocketAddress address) {
        this.rpc = rpc;
        this.reaper = reaper;
        this.workers = workers;
        this.address = address;
    }

    /**
     * Starts serving.
     *
     * @param stateDir where client records survive restarts (for reclaim); null keeps none
     * @throws IOException when the address cannot be bound
     */
    public static NfsServer start(ServerOptions options, VirtualFileSystem vfs, Path stateDir)
            throws IOException {
        return start(options, vfs, stateDir, OperationObserver.NONE);
    }

    /** As {@link #start(ServerOptions, VirtualFileSystem, Path)}, reporting every operation. */
    public static NfsServer start(ServerOptions options, VirtualFileSystem vfs, Path stateDir,
                                  OperationObserver observer) throws IOException {
        long now = System.nanoTime();
        if (!(vfs instanceof ExportsEnforced)) {
            // --export (and tests): one export for everyone, read-write, squashing as the options say
            vfs = ExportGate.implicit(vfs, options.export(), options.rootSquash(), options.anonUid(),
                    options.anonGid());
        }
        ServerIdentity identity = new ServerIdentity("fsnap:"
                + (options.export() != null ? options.export() : options.exportsFile()));
        ClientRecoveryStore recovery = new ClientRecoveryStore(stateDir);
        GracePeriod grace = new GracePeriod(recovery.previousOwners(),
                TimeUnit.SECONDS.toNanos(options.graceSeconds()), now);
        ClientTable clients = new ClientTable(identity, recovery, grace);
        SessionTable sessions = new SessionTable();
        clients.onRemoval(sessions::dropClient);
        StateTable states = new StateTable(identity, clients);
        ServerContext context = new ServerContext(vfs, identity, clients, sessions, states,
                new OwnerMapper("localdomain"), options.leaseSeconds(),
                new DirectoryChanges(options.cluster().isEmpty())); // other nodes write the same directories
        ExecutorService workers = Executors.newFixedThreadPool(WORKER_THREADS, Thread.ofPlatform()
                .name("nfs-worker-", 0).daemon(true).factory());
        NfsRpcService service = new NfsRpcService(Nfs4Operations.standard(),
                new CompoundProcessor(context, observer),
                new CredentialMapper(),
                workers, options.cluster().isEmpty() ? WorkPlacement.standalone() : WorkPlacement.clusterNode());

        OncRpcSvc rpc = new OncRpcSvcBuilder()
                .withTCP()
                .withBindAddress(options.listen().host())
                .withPort(options.listen().port())
                .withoutAutoPublish()
                .withSameThreadIoStrategy() // NfsRpcService hands slow COMPOUNDs to the workers
                .withServiceName("fsnapd")
                .withRpcService(new OncRpcProgram(NfsRpcService.PROGRAM, NfsRpcService.VERSION),
                        service)
                // NFSv2/v3 callers learn which version is offered (RFC 5531 PROG_MISMATCH).
                .withRpcService(new OncRpcProgram(NfsRpcService.PROGRAM, 3),
                        call -> call.failProgramMismatch(NfsRpcService.VERSION, NfsRpcService.VERSION))
                .build();
        try {
            rpc.start();
        } catch (IOException | RuntimeException e) {
            workers.shutdownNow();
            throw e;
        }
        RpcRecordGuard.install(rpc, MAX_RECORD_BYTES, false);
        InetSocketAddress bound = rpc.getInetSocketAddress(IpProtocolType.TCP);

        ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lease-reaper");
            t.setDaemon(true);
            return t;
        });
        long leaseNanos = TimeUnit.SECONDS.toNanos(options.leaseSeconds());
        // Half a lease of slack: a client renewing just in time is never expired by a race.
        long period = Math.max(1, options.leaseSeconds() / 4);
        reaper.scheduleWithFixedDelay(() -> {
            try {
                clients.expire(System.nanoTime(), leaseNanos + leaseNanos / 2);
            } catch (RuntimeException e) {
                LOG.error("lease reaper failed", e);
            }
        }, period, period, TimeUnit.SECONDS);
        return new NfsServer(rpc, reaper, workers, bound);
    }

    public InetSocketAddress address() {
        return address;
    }

    @Override
    public void close() throws IOException {
        reaper.shutdownNow();
        rpc.stop();
        workers.shutdownNow();
    }
}
