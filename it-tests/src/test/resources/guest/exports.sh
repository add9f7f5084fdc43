#!/bin/sh
# Guest script (run by ExportsTest): fsnapd serves an exports file; the host
# wrote it as (W is the work directory, all directories mode 0777):
#   W/srv/rw       127.0.0.1(rw,insecure,no_root_squash)
#   W/srv/ro       127.0.0.1(ro,insecure,no_root_squash)     W/srv/ro/f = "read only"
#   W/srv/denied   127.0.0.2(rw,insecure) 192.0.2.0/24(rw,insecure)
#   W/srv/secure   127.0.0.1(rw)                             secure: the default
#   W/data/squash  127.0.0.1(rw,insecure)                    root_squash: the default
#   W/data/all     127.0.0.1(rw,insecure,all_squash,anonuid=1234,anongid=1234)
# This guest reaches the host through qemu's user network: fsnapd sees every
# connection as coming from 127.0.0.1, from an unprivileged port (>= 1024).
# The host checks the owners of the files made here after the guest is done.
#
# Usage: exports.sh VERS W
set -u
VERS=$1
W=$2
SERVER=${NFS_SERVER:-nfs-server}
failures=0

pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
finish() { echo "RESULT failures=$failures"; [ "$failures" = 0 ]; exit $?; }
same() {
    if [ "$3" = "$2" ]; then pass "$1: $2"; else fail "$1: expected '$2', got '$3'"; fi
}
# mnt PATH DIR: mount SERVER:PATH on DIR; output in /tmp/mount.out
mnt() {
    mkdir -p "$2"
    timeout -s KILL 90 mount -t nfs -o vers="$VERS" "$SERVER:$1" "$2" >/tmp/mount.out 2>&1
}
# refused DESC PATH MESSAGE: mounting PATH must fail with MESSAGE in mount's output
refused() {
    if mnt "$2" /mnt/refused; then
        fail "$1: the mount was allowed"
        umount /mnt/refused
    elif grep -q "$3" /tmp/mount.out; then
        pass "$1: $(head -n1 /tmp/mount.out)"
    else
        fail "$1: refused, but not with '$3': $(head -c 300 /tmp/mount.out | tr '\n' ' ')"
    fi
}
# erofs DESC CMD: CMD must fail with EROFS
erofs() {
    if sh -c "$2" >/tmp/out 2>&1; then
        fail "$1: it was allowed"
    elif grep -q 'Read-only file system' /tmp/out; then
        pass "$1 (EROFS)"
    else
        fail "$1: failed, but not with EROFS: $(head -c 300 /tmp/out | tr '\n' ' ')"
    fi
}
as() { u=$1; shift; setpriv --reuid="$u" --regid="$u" --clear-groups sh -c "$*"; }

# (a) an export whose entries do not match this client (127.0.0.1)
refused "not-allowed client" "$W/srv/denied" "access denied by server"
# (f) secure (the default) refuses this guest: its source ports are >= 1024
refused "secure export from an unprivileged port" "$W/srv/secure" "Operation not permitted"

# (b) a read-only export: mounts, reads, refuses every change with EROFS
if mnt "$W/srv/ro" /mnt/ro; then
    pass "mount of the ro export"
    same "read on the ro export" "read only" "$(cat /mnt/ro/f 2>&1)"
    erofs "touch of a new file on the ro export" "touch /mnt/ro/new"
    # touch of an existing file: the OPEN gets EROFS, then utimensat sends a SETATTR of both
    # times, refused with NFS4ERR_ROFS (the file is not changed: the host checks). It used to
    # "succeed" only because supported_attrs did not name the settable times, so Linux sent a
    # SETATTR with an empty bitmap.
    erofs "touch of an existing file on the ro export" "touch /mnt/ro/f"
    erofs "overwrite on the ro export" "echo x > /mnt/ro/f"
    erofs "append on the ro export" "echo x >> /mnt/ro/f"
    erofs "mkdir on the ro export" "mkdir /mnt/ro/d"
    erofs "rm on the ro export" "rm -f /mnt/ro/f"
    erofs "chmod on the ro export" "chmod 600 /mnt/ro/f"
    # Snapshot control: the server answers SETXATTR with NFS4ERR_ROFS, but Linux asks for write
    # permission before any user xattr change and ACCESS grants no MODIFY on a ro export (as knfsd):
    # the client refuses by itself with EACCES. Either way nothing is snapshotted.
    if setfattr -n user.fsnap.create -v s1 /mnt/ro/f >/tmp/out 2>&1; then
        fail "snapshot control on the ro export: it was allowed"
    elif grep -q -e 'Read-only file system' -e 'Permission denied' /tmp/out; then
        pass "snapshot control on the ro export refused: $(cat /tmp/out)"
    else
        fail "snapshot control on the ro export: $(cat /tmp/out)"
    fi
    same "no snapshot on the ro export" "" "$(getfattr --absolute-names --only-values -n user.fsnap.list /mnt/ro/f 2>&1)"
    if test -w /mnt/ro/f; then fail "test -w on the ro export says writable"; else pass "test -w: not writable"; fi
    same "ro export unchanged" "f" "$(ls /mnt/ro)"
    grep " /mnt/ro " /proc/mounts | sed 's/^/INFO /'
    umount /mnt/ro
else
    fail "mount of the ro export: $(cat /tmp/mount.out)"
fi

# (c) root_squash and no_root_squash; (d) all_squash with anonuid/anongid
if mnt "$W/srv/rw" /mnt/rw && mnt "$W/data/squash" /mnt/squash && mnt "$W/data/all" /mnt/all; then
    pass "mount of the rw, squash and all exports"
    echo root >/mnt/rw/by-root && pass "root writes on no_root_squash" || fail "root writes on no_root_squash"
    echo root >/mnt/squash/by-root && pass "root writes on root_squash" || fail "root writes on root_squash"
    same "owner of root's file, root_squash (guest view)" "65534" "$(stat -c %u /mnt/squash/by-root)"
    as 1000 "echo u >/mnt/all/by-1000" && pass "uid 1000 writes on all_squash" || fail "uid 1000 writes on all_squash"
    as 1000 "echo u >/mnt/squash/by-1000" && pass "uid 1000 writes on root_squash" \
        || fail "uid 1000 writes on root_squash"
    umount /mnt/rw /mnt/squash /mnt/all
else
    fail "mounts of rw/squash/all: $(cat /tmp/mount.out)"
fi

# (e) the pseudo-root: / lists the way to the exports; each export is its own mount below
if mnt / /mnt/root; then
    pass "mount of the pseudo-root"
    first=$(echo "$W" | cut -d/ -f2)
    same "ls of the pseudo-root" "$first" "$(ls /mnt/root)"
    same "ls of W/srv (only the exports this client may use)" "ro rw" "$(ls /mnt/root$W/srv | tr '\n' ' ' | sed 's/ $//')"
    same "ls of W/data" "all squash" "$(ls /mnt/root$W/data | tr '\n' ' ' | sed 's/ $//')"
    echo via-root >/mnt/root$W/srv/rw/via-pseudo-root && pass "write through the pseudo-root" \
        || fail "write through the pseudo-root"
    # stat does not cross into a mount point that is not mounted yet: '/.' makes it
    d1=$(stat -c %d /mnt/root$W/srv/.)
    d2=$(stat -c %d /mnt/root$W/srv/rw/.)
    d3=$(stat -c %d /mnt/root$W/srv/ro/.)
    same "the ro export's file through the pseudo-root" "read only" "$(cat /mnt/root$W/srv/ro/f 2>&1)"
    if [ "$d1" != "$d2" ] && [ "$d2" != "$d3" ] && [ "$d1" != "$d3" ]; then
        pass "pseudo directory and two exports are three filesystems ($d1 $d2 $d3)"
    else
        fail "device numbers of W/srv, W/srv/rw, W/srv/ro: $d1 $d2 $d3"
    fi
    grep " /mnt/root" /proc/mounts | sed 's/^/INFO /'
    umount -R /mnt/root 2>/dev/null || umount -l /mnt/root
else
    fail "mount of the pseudo-root: $(cat /tmp/mount.out)"
fi
if mnt "$W/srv/rw" /mnt/direct; then
    echo direct >/mnt/direct/direct && pass "write to the rw export mounted by its path" \
        || fail "write to the rw export mounted by its path"
    same "the file written through the pseudo-root, seen by path" "via-root" "$(cat /mnt/direct/via-pseudo-root 2>&1)"
    umount /mnt/direct
else
    fail "mount of the rw export by its path: $(cat /tmp/mount.out)"
fi
finish
