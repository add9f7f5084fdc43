#!/bin/sh
# Guest script (run by PermissionsTest): the server checks a non-root user's
# AUTH_SYS identity against mode bits. The host made these fixtures in the
# export before starting the server (owner:group mode):
#   perm/              0:0       0755
#   perm/other-0600    1001:1001 0600  "secret"
#   perm/mine-0600     1000:1000 0600  "mine"
#   perm/group-0640    1001:1000 0640  "group"
#   perm/home1000/     1000:1000 0755
#   perm/home1001/     1001:1001 0700
#   pub/               0:0       1777  (sticky)
#   pub/f1001          1001:1001 0666  "shared"
# The server squashes root (its default).
#
# Usage: perms.sh VERS [EXPORT]
set -u
VERS=$1
EXPORT=${2:-/}
. /nfsvm/lib.sh  # SERVER, M, pass, fail, same, finish, domount
# as UID CMD: run a shell command as UID:UID with no supplementary groups.
as() { u=$1; shift; setpriv --reuid="$u" --regid="$u" --clear-groups sh -c "$*"; }
# allowed DESC UID CMD
allowed() {
    if as "$2" "$3" >/tmp/out 2>&1; then pass "$1"; else fail "$1: $(head -c 300 /tmp/out | tr '\n' ' ')"; fi
}
# denied DESC UID CMD: must fail with EACCES ("Permission denied").
denied() {
    if as "$2" "$3" >/tmp/out 2>&1; then
        fail "$1: it was allowed"
    elif grep -q 'Permission denied' /tmp/out; then
        pass "$1 (EACCES)"
    else
        fail "$1: failed, but not with EACCES: $(head -c 300 /tmp/out | tr '\n' ' ')"
    fi
}
# refused DESC UID CMD: must fail with EACCES or EPERM (sticky directories,
# chmod of another's file: Linux itself answers EPERM there).
refused() {
    if as "$2" "$3" >/tmp/out 2>&1; then
        fail "$1: it was allowed"
    elif grep -q -e 'Permission denied' -e 'Operation not permitted' /tmp/out; then
        pass "$1 ($(grep -o -e 'Permission denied' -e 'Operation not permitted' /tmp/out | head -n1))"
    else
        fail "$1: failed, but not with EACCES/EPERM: $(head -c 300 /tmp/out | tr '\n' ' ')"
    fi
}

command -v setpriv >/dev/null || { fail "no setpriv in the guest image"; finish; }
mkdir -p "$M"
if ! domount; then fail "mount vers=$VERS"; finish; fi
pass "mount vers=$VERS"
P=$M/perm
U=$M/pub
echo "INFO ls -ln perm pub:"
ls -ln "$P" "$U" | sed 's/^/INFO   /'

# The must-show: another uid's 0600 file is denied, one's own is allowed.
denied  "uid 1000 reads uid 1001's 0600 file" 1000 "cat $P/other-0600"
denied  "uid 1000 appends to uid 1001's 0600 file" 1000 "echo x >>$P/other-0600"
denied  "uid 1000 overwrites uid 1001's 0600 file" 1000 "echo x >$P/other-0600"
allowed "uid 1000 reads its own 0600 file" 1000 "cat $P/mine-0600"
same    "content of uid 1000's own file" mine "$(as 1000 "cat $P/mine-0600" 2>&1)"
allowed "uid 1000 appends to its own 0600 file" 1000 "echo more >>$P/mine-0600"
same    "own file after the append" "mine more" "$(as 1000 "cat $P/mine-0600" 2>&1 | tr '\n' ' ' | sed 's/ $//')"
allowed "uid 1001 reads its own 0600 file" 1001 "cat $P/other-0600"
denied  "uid 1002 reads uid 1000's 0600 file" 1002 "cat $P/mine-0600"

# Group and other bits, directories.
allowed "uid 1000 reads a 0640 file through its group 1000" 1000 "cat $P/group-0640"
denied  "uid 1000 writes a 0640 file of group 1000" 1000 "echo x >>$P/group-0640"
denied  "uid 1002 (other) reads a 0640 file" 1002 "cat $P/group-0640"
allowed "uid 1000 creates a file in its own directory" 1000 "echo hi >$P/home1000/new"
same    "owner of the new file" "1000:1000" "$(stat -c %u:%g "$P/home1000/new")"
denied  "uid 1000 creates a file in root's 0755 directory" 1000 "touch $P/new-by-1000"
denied  "uid 1000 lists uid 1001's 0700 directory" 1000 "ls $P/home1001"
denied  "uid 1000 removes a file from root's 0755 directory" 1000 "rm -f $P/other-0600"
allowed "uid 1001 still reads its file" 1001 "cat $P/other-0600"
refused "uid 1000 chmods uid 1001's file" 1000 "chmod 0777 $U/f1001"

# Sticky directory.
allowed "uid 1000 writes uid 1001's 0666 file in the sticky directory" 1000 "echo more >>$U/f1001"
refused "uid 1000 removes uid 1001's file from the sticky directory" 1000 "rm -f $U/f1001"
refused "uid 1000 renames uid 1001's file in the sticky directory" 1000 "mv $U/f1001 $U/stolen"
allowed "uid 1000 creates and removes its own file in the sticky directory" 1000 "echo x >$U/f1000 && rm $U/f1000"
allowed "uid 1001 removes its own file from the sticky directory" 1001 "rm $U/f1001"

# Root is squashed (to nobody): no reading others' 0600 files, no root-owned files.
if cat "$P/other-0600" >/tmp/out 2>&1; then
    fail "root squash: root read uid 1001's 0600 file"
else
    pass "root squash: root cannot read uid 1001's 0600 file ($(head -c 100 /tmp/out | tr '\n' ' '))"
fi
if echo x >"$U/by-root" 2>/tmp/out; then
    owner=$(stat -c %u "$U/by-root")
    if [ "$owner" != 0 ]; then pass "root squash: a file root creates is owned by uid $owner"
    else fail "root squash: a file root creates is owned by root"; fi
else
    fail "root squash: root (as nobody) cannot create a file in the 1777 directory: $(cat /tmp/out)"
fi

umount "$M" && pass "umount" || fail "umount"
finish
