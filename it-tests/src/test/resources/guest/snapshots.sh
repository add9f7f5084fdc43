#!/bin/sh
# Guest script (run by SnapshotOverNfsTest): snapshots through the real Linux NFS
# client. The host made these fixtures in the export before starting fsnapd
# (owner:group mode):
#   snap/                0:0       0777
#   snap/other-0644      1001:1001 0644  "theirs"
# and fsnapd runs with root not squashed.
#
# Usage: snapshots.sh VERS [EXPORT]
set -u
VERS=${1:-4.2}
EXPORT=${2:-/}
SERVER=${NFS_SERVER:-nfs-server}
M=/mnt/x
failures=0

pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
finish() { cd /; umount "$M" 2>/dev/null; echo "RESULT failures=$failures"; [ "$failures" = 0 ]; exit $?; }
same() {
    if [ "$3" = "$2" ]; then pass "$1: $2"; else fail "$1: expected '$2', got '$3'"; fi
}
# errno DESC MESSAGE CMD...: CMD must fail, printing MESSAGE (strerror of the expected errno)
errno() {
    desc=$1; msg=$2; shift 2
    if "$@" >/tmp/out 2>&1; then
        fail "$desc: it succeeded"
    elif grep -q "$msg" /tmp/out; then
        pass "$desc ($msg)"
    else
        fail "$desc: expected '$msg', got: $(head -c 300 /tmp/out | tr '\n' ' ')"
    fi
}
as() { u=$1; shift; setpriv --reuid="$u" --regid="$u" --clear-groups sh -c "$*"; }
# read10 FILE: the first 10 bytes, as dd reads them
read10() { dd if="$1" bs=10 count=1 2>/dev/null; }
put() { printf '%s' "$1" | dd of="$2" bs=10 count=1 conv=notrunc 2>/dev/null; }
snap() { setfattr -n "user.fsnap.$1" -v "$2" "$3"; }
list() { getfattr --only-values -n user.fsnap.list "$1"; }

mkdir -p "$M"
if ! timeout -s KILL 120 mount -t nfs -o vers="$VERS" "$SERVER:$EXPORT" "$M"; then fail "mount vers=$VERS"; finish; fi
pass "mount vers=$VERS"
cd "$M/snap" || { fail "cd snap"; finish; }

# --- the seeds' check -------------------------------------------------------------
put ABCDEFGHIJ disk.img
ino=$(stat -c %i disk.img)
snap create image1 disk.img && pass "create image1" || fail "create image1"
put 1234567890 disk.img
snap create image2 disk.img && pass "create image2" || fail "create image2"
same "content before revert" 1234567890 "$(read10 disk.img)"
snap revert image1 disk.img && pass "revert image1" || fail "revert image1"
same "read back after revert to image1" ABCDEFGHIJ "$(read10 disk.img)"
same "cat right after revert" ABCDEFGHIJ "$(cat disk.img)"
snap revert image2 disk.img && pass "revert image2" || fail "revert image2"
same "read back after revert to image2" 1234567890 "$(read10 disk.img)"
same "inode number unchanged by revert" "$ino" "$(stat -c %i disk.img)"
# the client caches xattr values: a revert must not leave a stale user.fsnap.current
same "current before a revert" image2 "$(getfattr --only-values -n user.fsnap.current disk.img)"
cat disk.img >/dev/null
snap revert image1 disk.img
same "current right after a revert" image1 "$(getfattr --only-values -n user.fsnap.current disk.img)"
same "data right after that revert" ABCDEFGHIJ "$(cat disk.img)"
snap revert image2 disk.img
same "data after reverting back" 1234567890 "$(cat disk.img)"
same "user.fsnap.list" "image1 image2" "$(list disk.img | tr '\n' ' ' | sed 's/ $//')"
same "user.fsnap.current" image2 "$(getfattr --only-values -n user.fsnap.current disk.img)"

# --- errors of the control -----------------------------------------------------
errno "create an existing name" "File exists" snap create image1 disk.img
# ENODATA: the attr tools print it as "No such attribute" (ENOATTR)
errno "revert to an unknown name" "No such attribute" snap revert nosuch disk.img
errno "delete an unknown name" "No such attribute" snap delete nosuch disk.img
errno "a bad name" "Invalid argument" snap create "a/b" disk.img
errno "another user.fsnap.* name" "Invalid argument" setfattr -n user.fsnap.bogus -v x disk.img
mkdir -p adir
errno "snapshot of a directory" "Is a directory" snap create x adir

# --- user xattrs pass through; the control names are never listed --------------
setfattr -n user.color -v blue disk.img && pass "setfattr user.color" || fail "setfattr user.color"
dump=$(getfattr -d disk.img 2>&1)
case "$dump" in *'user.color="blue"'*) pass "getfattr -d shows user.color";; *) fail "getfattr -d: $dump";; esac
case "$dump" in *fsnap*) fail "getfattr -d lists a control name: $dump";; *) pass "getfattr -d lists no control name";; esac
same "getfattr -n user.color" blue "$(getfattr --only-values -n user.color disk.img)"
setfattr -x user.color disk.img && pass "setfattr -x user.color" || fail "setfattr -x"

# --- the hidden view ------------------------------------------------------------
case " $(ls -a | tr '\n' ' ') " in *" .fsnap "*) fail "ls -a shows .fsnap";; *) pass "ls -a does not show .fsnap";; esac
case " $(ls -a "$M" | tr '\n' ' ') " in *" .fsnap"*) fail "ls -a of the root shows .fsnap*";; *) pass "ls -a of the root shows no .fsnap*";; esac
same "ls .fsnap/" disk.img "$(ls .fsnap/ | tr '\n' ' ' | sed 's/ $//')"
same "ls .fsnap/disk.img/" "image1 image2" "$(ls .fsnap/disk.img/ | tr '\n' ' ' | sed 's/ $//')"
same "cat .fsnap/disk.img/image1" ABCDEFGHIJ "$(cat .fsnap/disk.img/image1)"
same "cat .fsnap/disk.img/image2" 1234567890 "$(cat .fsnap/disk.img/image2)"
same "cd into the view" image1 "$(cd .fsnap/disk.img && ls | head -n1)"
sm=$(stat -c '%U %a' .fsnap/disk.img/image1)
same "snapshot owner and mode (no write bits)" "root 444" "$sm"
si=$(stat -c %i .fsnap/disk.img/image1)
[ "$si" != "$ino" ] && pass "snapshot has its own inode number ($si)" || fail "snapshot inode = live inode"
errno "the store is not reachable" "No such file or directory" ls "$M/.fsnap-store"

# --- read-only below .fsnap -------------------------------------------------------
errno "touch in the view" "Read-only file system" touch .fsnap/disk.img/new
errno "write to a snapshot" "Read-only file system" sh -c 'echo x > .fsnap/disk.img/image1'
errno "rm a snapshot" "Read-only file system" rm -f .fsnap/disk.img/image1
errno "mkdir in the view" "Read-only file system" mkdir .fsnap/newdir
errno "mv out of the view" "Read-only file system" mv .fsnap/disk.img/image1 ./stolen
errno "setfattr on a snapshot" "Read-only file system" setfattr -n user.x -v y .fsnap/disk.img/image1
errno "mkdir .fsnap" "File exists" mkdir .fsnap
same "snapshot unchanged" ABCDEFGHIJ "$(cat .fsnap/disk.img/image1)"

# --- no stale listing after create -------------------------------------------------
ls .fsnap/disk.img/ >/dev/null
list disk.img >/dev/null
snap create image3 disk.img
same "listing right after create" "image1 image2 image3" "$(ls .fsnap/disk.img/ | tr '\n' ' ' | sed 's/ $//')"
same "user.fsnap.list right after create" "image1 image2 image3" "$(list disk.img | tr '\n' ' ' | sed 's/ $//')"
snap delete image3 disk.img
same "listing right after delete" "image1 image2" "$(ls .fsnap/disk.img/ | tr '\n' ' ' | sed 's/ $//')"
put fresh-file new.img
ls .fsnap/ >/dev/null
snap create first new.img
same "view lists a file right after its first snapshot" "disk.img new.img" "$(ls .fsnap/ | tr '\n' ' ' | sed 's/ $//')"

# --- branching history --------------------------------------------------------------
snap revert image1 disk.img
snap create image4 disk.img
info=$(getfattr --only-values -n user.fsnap.info disk.img)
parent=$(printf '%s\n' "$info" | awk -F '\t' '$1 == "image4" { print $4 }')
same "image4's parent (branch from image1)" image1 "$parent"
parent2=$(printf '%s\n' "$info" | awk -F '\t' '$1 == "image2" { print $4 }')
same "image2's parent" image1 "$parent2"
created=$(printf '%s\n' "$info" | awk -F '\t' '$1 == "image1" { print $2 }')
case "$created" in 20[0-9][0-9]-[01][0-9]-[0-3][0-9]T*Z) pass "created is RFC 3339 UTC ($created)";; *) fail "created: '$created'";; esac
same "info size" 10 "$(printf '%s\n' "$info" | awk -F '\t' '$1 == "image1" { print $3 }')"

# --- removed files keep their snapshots -------------------------------------------------
rm new.img
orphan=$(ls .fsnap/ | grep '^new.img@')
[ -n "$orphan" ] && pass "removed file's history shown as $orphan" || fail "no orphan in: $(ls .fsnap/)"
same "orphan readable" fresh-file "$(cat ".fsnap/$orphan/first" 2>&1)"

# --- a non-owner may not create or revert ----------------------------------------------------
if command -v setpriv >/dev/null; then
    errno "non-owner create" "Permission denied" as 1000 "setfattr -n user.fsnap.create -v x other-0644"
    snap create theirs1 other-0644
    errno "non-owner revert" "Permission denied" as 1000 "setfattr -n user.fsnap.revert -v theirs1 other-0644"
    errno "non-owner delete" "Permission denied" as 1000 "setfattr -n user.fsnap.delete -v theirs1 other-0644"
    same "non-owner may list" theirs1 "$(as 1000 "getfattr --only-values -n user.fsnap.list other-0644")"
    same "non-owner may read the snapshot (0644)" theirs "$(as 1000 "cat .fsnap/other-0644/theirs1")"
else
    fail "no setpriv in the guest image"
fi

# --- a snapshot larger than one READ, read back cold (its pages are lent to the replies) ---
head -c $((3 * 1024 * 1024 + 12345)) /dev/urandom > big.img
want=$(sha256sum <big.img | cut -d" " -f1)
snap create before big.img
head -c $((3 * 1024 * 1024)) /dev/zero | dd of=big.img conv=notrunc 2>/dev/null
sync; echo 3 >/proc/sys/vm/drop_caches
same "sha256 of a 3 MiB snapshot after the live file changed" "$want" "$(sha256sum <.fsnap/big.img/before | cut -d" " -f1)"

finish
