#!/bin/sh
# Guest script of bin/fsnap-bench-snapshots: times snapshot operations and
# directory operations through the Linux NFS client, end to end (the client
# program's start included). Prints "KEY value" lines the host collects.
#
# Usage: snapbench.sh snap FILE OPS [EXPORT]   create OPS snapshots of FILE, then
#                                               revert OPS times; SET_MS/CREATE_MS/REVERT_MS
#        snapbench.sh dir DIR FILES [EXPORT]    READDIR_MS (ls -f), LSL_MS (ls -l),
#                                               LOOKUP_MS (stat of FILES names)
# FILE and DIR are relative to the mount; DIR holds f1..fFILES.
set -u
MODE=$1
WHAT=$2
N=$3
EXPORT=${4:-/}
SERVER=${NFS_SERVER:-nfs-server}
M=/mnt/b

ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
us_since() { echo $(( ($(date +%s%N) - $1) / 1000 )); }
remount() {
    cd /
    umount "$M" 2>/dev/null
    echo 3 > /proc/sys/vm/drop_caches
    timeout -s KILL 120 mount -t nfs -o vers=4.2 "$SERVER:$EXPORT" "$M" || { echo "FAIL mount"; exit 1; }
    cd "$M"
}

mkdir -p "$M"
remount
case "$MODE" in
snap)
    [ -f "$WHAT" ] || { echo "FAIL no $WHAT"; exit 1; }
    echo "SIZE_BYTES $(stat -c %s "$WHAT")"
    i=1
    while [ "$i" -le "$N" ]; do
        t=$(date +%s%N); setfattr -n user.bench -v "$i" "$WHAT" || echo "FAIL setfattr user.bench"
        echo "SET_US $(us_since "$t")"
        i=$((i + 1))
    done
    i=1
    while [ "$i" -le "$N" ]; do
        t=$(date +%s%N); setfattr -n user.fsnap.create -v "bench$i" "$WHAT" || echo "FAIL create bench$i"
        echo "CREATE_US $(us_since "$t")"
        i=$((i + 1))
    done
    i=1
    while [ "$i" -le "$N" ]; do
        t=$(date +%s%N); setfattr -n user.fsnap.revert -v "bench$(( (i * 7) % N + 1 ))" "$WHAT" || echo "FAIL revert"
        echo "REVERT_US $(us_since "$t")"
        i=$((i + 1))
    done
    i=1
    while [ "$i" -le "$N" ]; do
        setfattr -n user.fsnap.delete -v "bench$i" "$WHAT" || echo "FAIL delete bench$i"
        i=$((i + 1))
    done
    # The same in one setfattr process (--restore): no program start per operation,
    # which under qemu's emulation costs far more than the operation itself.
    batch() { # KIND NAMEFMT -> a restore file doing N setxattr calls
        i=1
        while [ "$i" -le "$N" ]; do
            printf '# file: %s\nuser.%s="%s"\n\n' "$WHAT" "$1" "$(printf "$2" "$i")"
            i=$((i + 1))
        done > "/tmp/restore-$1"
    }
    batch bench 'v%d'; batch fsnap.create 'batch%d'
    i=1
    while [ "$i" -le "$N" ]; do
        printf '# file: %s\nuser.fsnap.revert="batch%d"\n\n' "$WHAT" $(( (i * 7) % N + 1 ))
        i=$((i + 1))
    done > /tmp/restore-fsnap.revert
    t=$(date +%s%N); setfattr --restore=/tmp/restore-bench || echo "FAIL restore bench"
    echo "BATCH_SET_US $(( $(us_since "$t") / N ))"
    t=$(date +%s%N); setfattr --restore=/tmp/restore-fsnap.create || echo "FAIL restore create"
    echo "BATCH_CREATE_US $(( $(us_since "$t") / N ))"
    t=$(date +%s%N); setfattr --restore=/tmp/restore-fsnap.revert || echo "FAIL restore revert"
    echo "BATCH_REVERT_US $(( $(us_since "$t") / N ))"
    same_count=$(getfattr --only-values -n user.fsnap.list "$WHAT" | wc -l)
    [ "$same_count" = "$N" ] || echo "FAIL expected $N snapshots after the batch, got $same_count"
    i=1
    while [ "$i" -le "$N" ]; do
        printf '# file: %s\nuser.fsnap.delete="batch%d"\n\n' "$WHAT" "$i"
        i=$((i + 1))
    done > /tmp/restore-fsnap.delete
    setfattr --restore=/tmp/restore-fsnap.delete || echo "FAIL restore delete"
    setfattr -x user.bench "$WHAT"
    ;;
dir)
    remount; t=$(date +%s%N); n=$(ls -f "$WHAT" | wc -l); echo "READDIR_US $(us_since "$t")"
    [ "$n" -ge "$N" ] || echo "FAIL ls -f saw $n entries"
    remount; t=$(date +%s%N); ls -l "$WHAT" >/dev/null; echo "LSL_US $(us_since "$t")"
    seq 1 "$N" | sed "s|^|$WHAT/f|" > /tmp/names
    remount; t=$(date +%s%N); xargs stat -c %i < /tmp/names >/dev/null; echo "LOOKUP_US $(us_since "$t")"
    ;;
*)
    echo "FAIL mode $MODE"; exit 1 ;;
esac
cd /
umount "$M"
echo "DONE"
