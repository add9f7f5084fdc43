#!/bin/sh
# Guest script (run by TwoClientsTest in two guests at once, each its own
# NFSv4 client): both write a different file, at the same moment, into the
# same directory; then each checks both files through a fresh mount.
#
# Usage: two-clients.sh ID OTHER_ID VERS [EXPORT [SIZE_MIB]]
# Needs NFSVM_SHARE (the same host directory for both guests): the guests
# meet there (ready-ID, done-ID, hash-ID files) so the writes overlap.
# Prints "SHA256 two/big-ID <hex>" and "WINDOW ID <start_ns> <end_ns>".
set -u
ID=$1
OTHER=$2
VERS=$3
EXPORT=${4:-/}
SIZE=${5:-32}
SERVER=${NFS_SERVER:-nfs-server}
M=/mnt/x
S=/share
NSMALL=200
failures=0

pass() { echo "PASS [$ID] $*"; }
fail() { echo "FAIL [$ID] $*"; failures=$((failures + 1)); }
check() {
    d=$1; shift
    if "$@" >/tmp/check.out 2>&1; then pass "$d"; else fail "$d: $(head -c 400 /tmp/check.out | tr '\n' ' ')"; fi
}
same() {
    if [ "$3" = "$2" ]; then pass "$1: $2"; else fail "$1: expected '$2', got '$3'"; fi
}
finish() { echo "RESULT failures=$failures"; [ "$failures" = 0 ]; exit $?; }
# A mount that takes minutes is a failure, not something to wait for.
domount() { timeout -s KILL 120 mount -t nfs -o vers="$VERS" "$SERVER:$EXPORT" "$M"; }
remount() { cd / && umount "$M" && sync && echo 3 >/proc/sys/vm/drop_caches && domount; }
hash() { sha256sum <"$1" | cut -d' ' -f1; }
# wait_for FILE SECONDS
wait_for() {
    n=0
    while [ ! -e "$1" ]; do
        n=$((n + 1))
        [ "$n" -le $(($2 * 5)) ] || return 1
        sleep 0.2
    done
}

grep -q " $S " /proc/mounts || { fail "no $S (NFSVM_SHARE unset?)"; finish; }
mkdir -p "$M"
if ! domount; then fail "mount -t nfs -o vers=$VERS $SERVER:$EXPORT"; touch "$S/ready-$ID" "$S/done-$ID"; finish; fi
pass "mount vers=$VERS"
echo "INFO client $(hostname): $(grep " $M " /proc/mounts)"
check "mkdir -p two" mkdir -p "$M/two"

dd if=/dev/urandom of=/tmp/data bs=1M count="$SIZE" status=none
h=$(hash /tmp/data)
echo "$h" >"$S/hash-$ID"
touch "$S/ready-$ID"
wait_for "$S/ready-$OTHER" 240 || { fail "the other client ($OTHER) never got ready"; finish; }

t0=$(date +%s%N)
check "write ${SIZE} MiB to two/big-$ID" cp /tmp/data "$M/two/big-$ID"
i=0
while [ "$i" -lt "$NSMALL" ]; do
    printf '%s %d\n' "$ID" "$i" >"$M/two/$ID-small-$i" || { fail "create two/$ID-small-$i"; break; }
    i=$((i + 1))
done
check "sync" sync
t1=$(date +%s%N)
echo "WINDOW $ID $t0 $t1"
echo "SHA256 two/big-$ID $h"
touch "$S/done-$ID"
wait_for "$S/done-$OTHER" 300 || { fail "the other client ($OTHER) never finished"; finish; }

check "remount" remount
same "own file read back through a fresh mount" "$h" "$(hash "$M/two/big-$ID")"
same "the other client's file" "$(cat "$S/hash-$OTHER")" "$(hash "$M/two/big-$OTHER")"
same "small files of this client" "$NSMALL" "$(ls "$M/two" | grep -c "^$ID-small-")"
same "small files of the other client" "$NSMALL" "$(ls "$M/two" | grep -c "^$OTHER-small-")"
same "content of the other client's last small file" "$OTHER $((NSMALL - 1))" "$(cat "$M/two/$OTHER-small-$((NSMALL - 1))")"
cd /
check "umount" umount "$M"
finish
