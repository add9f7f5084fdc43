/**
 * Copy-on-write snapshots of the regular files of an exported directory. No NFS in here: the NFS layer
 * uses {@link org.fsnap.snapshot.SnapshotEngine} and maps the {@link org.fsnap.snapshot.SnapshotException}
 * subclasses to NFS4ERR codes.
 *
 * <h2>Identity</h2>
 * A file's snapshot history is keyed by a {@link org.fsnap.snapshot.FileKey}, a random UUID written into the
 * inode's {@code trusted.fsnap.id} xattr on its first snapshot. {@code trusted.*} is writable and readable
 * only with CAP_SYS_ADMIN and is not exported by NFSv4.2 xattrs (user.* only), so users neither see nor
 * forge it. Being in the inode, it survives renames, is shared by hard links (one history), and a new file
 * that takes the old name, or even the freed inode number, has none.
 *
 * <h2>Store</h2>
 * {@code EXPORT/.fsnap-store} by default ({@link org.fsnap.snapshot.SnapshotEngine#STORE_DIRECTORY_NAME},
 * {@link org.fsnap.snapshot.SnapshotEngine#storeDirectory()}): on the export's filesystem so reflinks work.
 * The NFS view must hide it completely (no READDIR entry, LOOKUP fails, no handle into it). Layout and
 * commit points: {@link org.fsnap.snapshot.store.SnapshotStore}.
 *
 * <h2>Removed live files</h2>
 * Snapshots are kept when the live file is removed. Such an orphaned history is shown in the directory
 * where the file was last seen, as {@code NAME@<first 8 hex digits of the id>} (all 32 digits if two
 * orphans there would collide; the name is shortened to keep 255 bytes), see
 * {@link org.fsnap.snapshot.SnapshotEngine#filesWithSnapshots(java.nio.file.Path)}. It is reached and
 * cleaned up by key ({@code list/openSnapshot/delete(FileKey, …)}) and disappears with its last snapshot.
 *
 * <h2>Crash safety</h2>
 * Each history has an append-only, checksummed event log; an fdatasync'ed append is every operation's
 * commit point. Create writes and syncs the content before its event; delete commits then unlinks; revert
 * logs an intent, writes the snapshot onto the live inode in place, then logs completion. At start-up
 * {@code StoreRecovery} removes uncommitted content, cuts torn records and re-applies unfinished reverts.
 */
package org.fsnap.snapshot;
