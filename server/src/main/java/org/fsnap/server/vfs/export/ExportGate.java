package org.fsnap.server.vfs.export;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.fsnap.config.ClientPattern;
import org.fsnap.config.ExportOptions;
import org.fsnap.config.ExportTable;
import org.fsnap.config.HostResolver;
import org.fsnap.server.vfs.Access;
import org.fsnap.server.vfs.Caller;
import org.fsnap.server.vfs.DirectoryPage;
import org.fsnap.server.vfs.FileType;
import org.fsnap.server.vfs.FileView;
import org.fsnap.server.vfs.ForwardingFileSystem;
import org.fsnap.server.vfs.Inode;
import org.fsnap.server.vfs.SetAttributes;
import org.fsnap.server.vfs.Stability;
import org.fsnap.server.vfs.Stat;
import org.fsnap.server.vfs.VfsError;
import org.fsnap.server.vfs.VfsException;
import org.fsnap.server.vfs.VirtualFileSystem;
import org.fsnap.server.vfs.XattrSetMode;
import org.fsnap.server.vfs.namedattr.NamedAttributeSupport;

/**
 * One export's rules applied to every call into its filesystem stack: which clients may use it
 * (no matching entry: NFS4ERR_ACCESS, "access denied by server" at mount), {@code secure} (a
 * request from a source port of 1024 or above: NFS4ERR_PERM, as knfsd), squashing of the
 * caller's uid and gids (root_squash, all_squash, anonuid/anongid, with knfsd's semantics from
 * {@link ExportOptions}) before the call goes down, and {@code ro}: every change answers
 * NFS4ERR_ROFS and ACCESS grants no MODIFY, EXTEND or DELETE.
 *
 * <p>ACCESS keeps XAWRITE as the layers below grant it, so a client that decides on XAWRITE sends
 * SETXATTR and learns of the read-only export (ROFS), snapshot control included. Linux asks for
 * write permission (MODIFY) before any user xattr change, so on a read-only export it refuses
 * {@code setfattr} by itself with EACCES, as it does against knfsd, whose ACCESS is the same.
 *
 * <p>A caller without a client address is the server itself acting on an authority already
 * checked here (a WRITE on the strength of its OPEN): it passes unchanged.
 *
 * <p>Calls without a caller (GETATTR, COMMIT, handles) pass as they are: a client only holds
 * handles of an export it was let into, and data moves only through calls with a caller.
 */
public final class ExportGate extends ForwardingFileSystem implements NamedAttributeSupport, ExportsEnforced {
    /** How long a client's options are remembered (host name patterns are resolved again after). */
    static final long CACHE_NANOS = 30_000_000_000L;
    private static final int CACHE_LIMIT = 4096;
    private static final int MODIFYING = Access.MODIFY | Access.EXTEND | Access.DELETE;

    private final VirtualFileSystem inner;
    private final ExportTable table;
    private final ExportTable.Export export;
    private final RefusalLog refusals;
    private final Map<InetAddress, Cached> cache = new ConcurrentHashMap<>();
    private final Set<InetAddress> refreshing = ConcurrentHashMap.newKeySet();
    private final LongSupplier nanoTime;

    private record Cached(Optional<ExportOptions> options, long until) {
    }

    /**
     * @param inner the export's stack
     * @param table the exports (for the host resolver and messages)
     * @param export this export's entry of {@code table}
     * @param refusals where refusals are logged (shared by the exports of one server)
     */
    public ExportGate(VirtualFileSystem inner, ExportTable table, ExportTable.Export export, RefusalLog refusals) {
        this(inner, table, export, refusals, System::nanoTime);
    }

    /** As above, with the clock the client cache ages by (tests). */
    ExportGate(VirtualFileSystem inner, ExportTable table, ExportTable.Export export, RefusalLog refusals,
               LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.inner = inner;
        this.table = table;
        this.export = export;
        this.refusals = refusals;
    }

    /**
     * The single export of {@code --export DIR}: everyone may use it, read-write, from any port,
     * with root squashed (or not) to {@code anonUid:anonGid}.
     */
    public static ExportGate implicit(VirtualFileSystem inner, Path dir, boolean rootSquash, int anonUid,
                                      int anonGid) {
        ExportTable.Export e = implicitExport(dir, rootSquash, anonUid, anonGid);
        return new ExportGate(inner, new ExportTable("--export", List.of(e), HostResolver.none()), e,
                new RefusalLog());
    }

    /** {@code DIR *(rw,root_squash|no_root_squash,anonuid=U,anongid=G,insecure)}. */
    public static ExportTable.Export implicitExport(Path dir, boolean rootSquash, int anonUid, int anonGid) {
        ExportOptions o = new ExportOptions(false, rootSquash ? ExportOptions.Squash.ROOT : ExportOptions.Squash.NONE,
                anonUid, anonGid, false);
        return new ExportTable.Export(dir, List.of(new ExportTable.Rule(new ClientPattern.Anyone(), o)), 0);
    }

    @Override
    protected VirtualFileSystem delegate() {
        return inner;
    }

    /** The exported directory. */
    public Path path() {
        return export.path();
    }

    public ExportTable.Export export() {
        return export;
    }

    // ------------------------------------------------------------------ the rules

    /** The options of the client's entry, if it has one (no port check, nothing logged). */
    public Optional<ExportOptions> optionsOf(InetAddress client) {
        if (client == null) {
            return Optional.empty();
        }
        Cached c = cache.get(client);
        if (c == null) {
            return lookUp(client).options(); // first contact (a mount): the answer is needed now
        }
        if (nanoTime.getAsLong() - c.until() > 0 && refreshing.add(client)) {
            // Metadata calls run on the connection's I/O thread: answer with what was known and
            // look again beside it, so that a slow name service never holds up a connection.
            Thread.startVirtualThread(() -> {
                try {
                    lookUp(client);
                } finally {
                    refreshing.remove(client);
                }
            });
        }
        return c.options();
    }

    private Cached lookUp(InetAddress client) {
        Cached c = new Cached(table.match(export, client), nanoTime.getAsLong() + CACHE_NANOS);
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(client, c);
        return c;
    }

    /**
     * The options {@code caller} uses this export with; refused (and logged) with ACCESS when the
     * client has no entry, PERM when the entry is {@code secure} and the source port is not
     * privileged. Null for the server itself.
     */
    public ExportOptions check(Caller caller) throws VfsException {
        if (caller.client() == null) {
            return null;
        }
        Optional<ExportOptions> o = optionsOf(caller.client());
        if (o.isEmpty()) {
            refusals.notAllowed(caller.client(), export.path(), table.source());
            throw new VfsException(VfsError.NOT_EXPORTED, caller.client().getHostAddress() + " may not mount "
                    + export.path());
        }
        if (o.get().secure() && caller.port() >= 1024) {
            refusals.insecurePort(caller.client(), caller.port(), export.path());
            throw new VfsException(VfsError.PERM, "request from unprivileged port " + caller.port() + " to the"
                    + " secure export " + export.path());
        }
        return o.get();
    }

    /** Whether {@code caller} may use this export (quietly: for listing the pseudo-root). */
    public boolean admits(Caller caller) {
        if (caller.client() == null) {
            return true;
        }
        Optional<ExportOptions> o = optionsOf(caller.client());
        return o.isPresent() && !(o.get().secure() && caller.port() >= 1024);
    }

    /** The caller as the export lets it act: squashed as its entry says. */
    static Caller squash(Caller caller, ExportOptions o) {
        if (o == null) {
            return caller;
        }
        if (caller.anonymous()) {
            return caller.withIdentity(o.anonUid(), o.anonGid(), new int[0]);
        }
        int uid = caller.uid();
        if (o.squash() == ExportOptions.Squash.NONE) {
            return caller;
        }
        return caller.withIdentity(o.effectiveUid(uid), o.effectiveGid(uid, caller.gid()),
                o.effectiveGids(uid, caller.gids()));
    }

    /** A checked, squashed caller for a call that reads. */
    private Caller reader(Caller caller) throws VfsException {
        return squash(caller, check(caller));
    }

    /** A checked, squashed caller for a call that changes something: ROFS on a read-only export. */
    private Caller writer(Caller caller) throws VfsException {
        ExportOptions o = check(caller);
        if (o != null && o.readOnly()) {
            throw new VfsException(VfsError.ROFS, export.path() + " is exported read-only to "
                    + caller.client().getHostAddress());
        }
        return squash(caller, o);
    }

    // ------------------------------------------------------------------ calls that read

    @Override
    public Inode lookup(Caller caller, Inode dir, String name) throws VfsException {
        return inner.lookup(reader(caller), dir, name);
    }

    @Override
    public Inode parentOf(Caller caller, Inode dir) throws VfsException {
        return inner.parentOf(reader(caller), dir);
    }

    @Override
    public int access(Caller caller, Inode inode, int requested) throws VfsException {
        ExportOptions o = check(caller);
        int granted = inner.access(squash(caller, o), inode, requested);
        return o != null && o.readOnly() ? granted & ~MODIFYING : granted;
    }

    @Override
    public String readlink(Caller caller, Inode link) throws VfsException {
        return inner.readlink(reader(caller), link);
    }

    @Override
    public DirectoryPage list(Caller caller, Inode dir, long cookie, int maxEntries) throws VfsException {
        return inner.list(reader(caller), dir, cookie, maxEntries);
    }

    @Override
    public int read(Caller caller, Inode file, ByteBuffer dst, long offset) throws VfsException {
        return inner.read(reader(caller), file, dst, offset);
    }

    @Override
    public FileView readView(Caller caller, Inode file, long offset, int count) throws VfsException {
        return inner.readView(reader(caller), file, offset, count);
    }

    @Override
    public byte[] getXattr(Caller caller, Inode inode, String name) throws VfsException {
        return inner.getXattr(reader(caller), inode, name);
    }

    @Override
    public List<String> listXattrs(Caller caller, Inode inode) throws VfsException {
        return inner.listXattrs(reader(caller), inode);
    }

    // ------------------------------------------------------------------ calls that change

    @Override
    public void checkWritable(Caller caller, Inode inode) throws VfsException {
        inner.checkWritable(writer(caller), inode);
    }

    @Override
    public Stat setattr(Caller caller, Inode inode, SetAttributes change) throws VfsException {
        return inner.setattr(writer(caller), inode, change);
    }

    @Override
    public Inode create(Caller caller, Inode dir, String name, FileType type, SetAttributes attrs,
                        String linkTarget) throws VfsException {
        return inner.create(writer(caller), dir, name, type, attrs, linkTarget);
    }

    @Override
    public void link(Caller caller, Inode target, Inode dir, String name) throws VfsException {
        inner.link(writer(caller), target, dir, name);
    }

    @Override
    public void remove(Caller caller, Inode dir, String name) throws VfsException {
        inner.remove(writer(caller), dir, name);
    }

    @Override
    public void rename(Caller caller, Inode fromDir, String fromName, Inode toDir, String toName)
            throws VfsException {
        inner.rename(writer(caller), fromDir, fromName, toDir, toName);
    }

    @Override
    public Stability write(Caller caller, Inode file, ByteBuffer src, long offset, Stability requested)
            throws VfsException {
        return inner.write(writer(caller), file, src, offset, requested);
    }

    @Override
    public void setXattr(Caller caller, Inode inode, String name, byte[] value, XattrSetMode mode)
            throws VfsException {
        inner.setXattr(writer(caller), inode, name, value, mode);
    }

    @Override
    public void removeXattr(Caller caller, Inode inode, String name) throws VfsException {
        inner.removeXattr(writer(caller), inode, name);
    }

    @Override
    public Inode openAttributes(Caller caller, Inode object, boolean createDir) throws VfsException {
        Caller c = createDir ? writer(caller) : reader(caller);
        if (!(inner instanceof NamedAttributeSupport support)) {
            throw new VfsException(VfsError.NOTSUPP, "no named attributes here");
        }
        return support.openAttributes(c, object, createDir);
    }

    @Override
    public String toString() {
        return "export " + export.path();
    }
}
