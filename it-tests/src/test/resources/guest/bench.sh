#!/bin/sh
# Guest script (run by bin/fsnap-bench through org.fsnap.it.bench.NfsBench):
# throughput and metadata figures for one NFS server, as "BENCH" lines.
#
# Usage: bench.sh VERS SIZE_MIB NFILES RUNS EXPORT [PHASES]
#   PHASES: space-separated list of phases (default "seq files"):
#     seq    write SIZE_MIB MiB from /dev/zero with conv=fsync, then read it
#            back after umount + drop_caches + mount        -> write_MBps, read_MBps
#     files  create NFILES small files (one shell redirection each), stat them
#            all after a remount, remove them with one rm   -> create_s, stat_s,
#            remove_s, files_total_s
#   A new phase prints its own "BENCH run=N key=value" figures; the host
#   table (NfsBench.METRICS) names the keys it shows.
set -eu

VERS=$1
SIZE=$2
NFILES=$3
RUNS=$4
EXPORT=$5
PHASES=${6:-seq files}
SERVER=${NFS_SERVER:-nfs-server}
MNT=/mnt/bench

now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
mbps() { awk -v a="$1" -v b="$2" -v mib="$3" 'BEGIN { printf "%.1f", mib * 1048576 / ((b - a) / 1e9) / 1e6 }'; }
mountit() { timeout -s KILL 120 mount -t nfs -o vers="$VERS" "$SERVER:$EXPORT" "$MNT"; }
remount() { cd /; umount "$MNT"; sync; echo 3 >/proc/sys/vm/drop_caches; mountit; }
has_phase() { case " $PHASES " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

mkdir -p "$MNT"
mountit
echo "INFO $(grep " $MNT " /proc/mounts)"
echo "INFO vers=$VERS size=${SIZE}MiB files=$NFILES runs=$RUNS phases='$PHASES' cpus=$(nproc)" \
     "mem=$(awk '/MemTotal/ { print $2 "kB" }' /proc/meminfo) kernel=$(uname -r)"

run=1
while [ "$run" -le "$RUNS" ]; do
    dir=$MNT/bench-$run-$$
    mkdir "$dir"

    if has_phase seq; then
        t0=$(now)
        dd if=/dev/zero of="$dir/big" bs=1M count="$SIZE" conv=fsync 2>/tmp/dd.err
        t1=$(now)
        echo "BENCH run=$run write_MBps=$(mbps "$t0" "$t1" "$SIZE") write_s=$(secs "$t0" "$t1")"
        remount
        t0=$(now)
        dd if="$dir/big" of=/dev/null bs=1M 2>/tmp/dd.err
        t1=$(now)
        echo "BENCH run=$run read_MBps=$(mbps "$t0" "$t1" "$SIZE") read_s=$(secs "$t0" "$t1")"
        rm -f "$dir/big"
    fi

    if has_phase files; then
        t0=$(now)
        i=1
        while [ "$i" -le "$NFILES" ]; do
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
        if [ "$n" != "$NFILES" ]; then
            echo "FAIL stat saw $n files, expected $NFILES"
            exit 1
        fi
        echo "BENCH run=$run create_s=$(secs "$t0" "$t1") stat_s=$(secs "$t2" "$t3") remove_s=$(secs "$t3" "$t4")" \
             "files_total_s=$(awk -v a="$(secs "$t0" "$t1")" -v b="$(secs "$t2" "$t4")" 'BEGIN { printf "%.3f", a + b }')"
    fi

    rmdir "$dir"
    run=$((run + 1))
done
cd /
umount "$MNT"
echo "DONE"
