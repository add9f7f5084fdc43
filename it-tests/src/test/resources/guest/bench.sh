#!/bin/sh
# Guest script (run by bin/fsnap-bench through org.fsnap.it.bench.NfsBench):
# throughput and metadata figures for one or two NFS servers, as "BENCH" lines.
#
# Usage: bench.sh VERS SIZE_MIB NFILES RUNS PHASES TARGET [TARGET]
#   TARGET: NAME:PORT:EXPORT (e.g. fsnapd:2049:/), mounted on /mnt/bench/NAME.
#   With two targets both stay mounted and take turns in every run, the first
#   target first in odd runs and second in even runs (ABBA), so that the
#   machine's drift over minutes hits both alike; before the first run each
#   gets one short unmeasured run (warm caches, a warm JIT).
#   PHASES: space-separated list of phases:
#     seq    write SIZE_MIB MiB from /dev/zero with conv=fsync, then read it
#            back after umount + drop_caches + mount        -> write_MBps, read_MBps
#     files  create NFILES small files (one shell redirection each), stat them
#            all after a remount, remove them with one rm   -> create_s, stat_s,
#            remove_s, files_total_s
#   A phase prints "BENCH server=NAME run=N key=value" figures; the host
#   table (NfsBench.metrics) names the keys it shows.
set -eu

VERS=$1
SIZE=$2
NFILES=$3
RUNS=$4
PHASES=$5
shift 5
[ $# -ge 1 ] || { echo "FAIL no target"; exit 1; }
SERVER=${NFS_SERVER:-nfs-server}
BASE=/mnt/bench

now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
mbps() { awk -v a="$1" -v b="$2" -v mib="$3" 'BEGIN { printf "%.1f", mib * 1048576 / ((b - a) / 1e9) / 1e6 }'; }
has_phase() { case " $PHASES " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

# target NAME:PORT:EXPORT -> NAME PORT EXPORT MNT
target() {
    NAME=${1%%:*}
    rest=${1#*:}
    PORT=${rest%%:*}
    EXPORT=${rest#*:}
    MNT=$BASE/$NAME
}
report() { [ "$quiet" = 1 ] || echo "BENCH server=$NAME run=$rn $*"; }
mountit() { timeout -s KILL 120 mount -t nfs -o vers="$VERS",port="$PORT" "$SERVER:$EXPORT" "$MNT"; }
remount() { cd /; umount "$MNT"; sync; echo 3 >/proc/sys/vm/drop_caches; mountit; }

# one_run TARGET RUN SIZE NFILES QUIET: all phases once against TARGET
one_run() {
    target "$1"
    rn=$2 size=$3 nfiles=$4 quiet=$5
    dir=$MNT/bench-$rn-$$
    mkdir "$dir"

    if has_phase seq; then
        t0=$(now)
        dd if=/dev/zero of="$dir/big" bs=1M count="$size" conv=fsync 2>/tmp/dd.err
        t1=$(now)
        report "write_MBps=$(mbps "$t0" "$t1" "$size") write_s=$(secs "$t0" "$t1")"
        remount
        t0=$(now)
        dd if="$dir/big" of=/dev/null bs=1M 2>/tmp/dd.err
        t1=$(now)
        report "read_MBps=$(mbps "$t0" "$t1" "$size") read_s=$(secs "$t0" "$t1")"
        rm -f "$dir/big"
    fi

    if has_phase files; then
        t0=$(now)
        i=1
        while [ "$i" -le "$nfiles" ]; do
            printf 'small file %d\n' "$i" >"$dir/f$i"
            i=$((i + 1))
        done
        t1=$(now)
        remount
        t2=$(now)
        n=$(stat -c %s "$dir"/f* | wc -l)
        t3=$(now)
        rm -f "$dir"/f*
        t4=$(now)
        if [ "$n" != "$nfiles" ]; then
            echo "FAIL $NAME: stat saw $n files, expected $nfiles"
            exit 1
        fi
        report "create_s=$(secs "$t0" "$t1") stat_s=$(secs "$t2" "$t3") remove_s=$(secs "$t3" "$t4")" \
             "files_total_s=$(awk -v a="$(secs "$t0" "$t1")" -v b="$(secs "$t2" "$t4")" 'BEGIN { printf "%.3f", a + b }')"
    fi

    rmdir "$dir"
}

for t in "$@"; do
    target "$t"
    mkdir -p "$MNT"
    mountit
    echo "INFO $NAME: $(grep " $MNT " /proc/mounts)"
done
echo "INFO vers=$VERS size=${SIZE}MiB files=$NFILES runs=$RUNS phases='$PHASES' cpus=$(nproc)" \
     "mem=$(awk '/MemTotal/ { print $2 "kB" }' /proc/meminfo) kernel=$(uname -r) targets='$*'"

if [ $# -ge 2 ]; then
    warm_size=$((SIZE < 64 ? SIZE : 64))
    warm_files=$((NFILES < 200 ? NFILES : 200))
    for t in "$@"; do
        one_run "$t" 0 "$warm_size" "$warm_files" 1
    done
fi

run=1
while [ "$run" -le "$RUNS" ]; do
    if [ $((run % 2)) = 1 ]; then
        order="$*"
    else
        order=""
        for t in "$@"; do order="$t $order"; done
    fi
    for t in $order; do
        one_run "$t" "$run" "$SIZE" "$NFILES" 0
    done
    run=$((run + 1))
done

cd /
for t in "$@"; do
    target "$t"
    umount "$MNT"
done
echo "DONE"
