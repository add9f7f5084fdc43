#!/bin/sh
# Guest script (ClusterTest, issue 5): two guests, each mounting a DIFFERENT fsnapd node of one snapshot
# cluster over one export, work on the same file at once through the real Linux NFS client:
#   1. COUNT snapshots each with distinct names (4 setfattr loops in parallel per guest);
#   2. ROUNDS rounds of both creating the same name at the same moment: one must win, the other EEXIST;
#   3. each lists the snapshots (getfattr user.fsnap.list and ls .fsnap/FILE) and prints what it sees.
#
# Usage: cluster-clients.sh ID OTHER_ID VERS COUNT ROUNDS
# Needs NFSVM_SHARE (the same host directory for both guests), where the guests meet.
# Prints "RACE ID ROUND OK|EEXIST|ERR", "LIST ID COUNT SHA", "VIEW ID COUNT SHA", "SEEN ID NAME".
set -u
ID=$1
OTHER=$2
VERS=$3
COUNT=$4
ROUNDS=$5
SERVER=${NFS_SERVER:-nfs-server}
M=/mnt/x
S=/share
F=$M/cl/f.txt
failures=0

pass() { echo "PASS [$ID] $*"; }
fail() { echo "FAIL [$ID] $*"; failures=$((failures + 1)); }
finish() { echo "RESULT failures=$failures"; [ "$failures" = 0 ]; exit $?; }
domount() { timeout -s KILL 120 mount -t nfs -o vers="$VERS" "$SERVER:/" "$M"; }
# wait_for FILE SECONDS (polls every 10 ms, so both guests leave a barrier within a few ms)
wait_for() {
    n=0
    while [ ! -e "$1" ]; do
        n=$((n + 1))
        [ "$n" -le $(($2 * 100)) ] || return 1
        sleep 0.01
    done
}
barrier() {
    touch "$S/$1-$ID"
    wait_for "$S/$1-$OTHER" 300 || { fail "the other client ($OTHER) never reached '$1'"; finish; }
}

grep -q " $S " /proc/mounts || { fail "no $S (NFSVM_SHARE unset?)"; finish; }
mkdir -p "$M"
if ! domount; then fail "mount -t nfs -o vers=$VERS $SERVER:/"; touch "$S/ready-$ID"; finish; fi
pass "mount vers=$VERS"
[ -f "$F" ] || { fail "no $F"; finish; }

barrier ready
t0=$(date +%s%N)
for loop in 1 2 3 4; do
    (
        i=$loop
        while [ "$i" -le "$COUNT" ]; do
            setfattr -n user.fsnap.create -v "g$ID-$i" "$F" 2>>/tmp/create-errors || echo "g$ID-$i" >>/tmp/create-failed
            i=$((i + 4))
        done
    ) &
done
wait
t1=$(date +%s%N)
if [ -s /tmp/create-failed ]; then
    fail "creates failed: $(wc -l </tmp/create-failed): $(head -c 300 /tmp/create-errors | tr '\n' ' ')"
else
    pass "$COUNT creates with distinct names in $(((t1 - t0) / 1000000)) ms"
fi

barrier created
r=1
while [ "$r" -le "$ROUNDS" ]; do
    barrier "go-$r"
    if setfattr -n user.fsnap.create -v "race-$r" "$F" 2>/tmp/race.err; then
        echo "RACE $ID $r OK"
    elif grep -q "File exists" /tmp/race.err; then
        echo "RACE $ID $r EEXIST"
    else
        echo "RACE $ID $r ERR $(head -c 200 /tmp/race.err | tr '\n' ' ')"
    fi
    r=$((r + 1))
done

barrier raced
# What this node shows now: through the control xattr and through the .fsnap view, after dropping the
# client's caches so that the listing really comes from this node.
sync
echo 3 >/proc/sys/vm/drop_caches
getfattr --only-values -n user.fsnap.list "$F" >/tmp/list 2>/tmp/list.err || fail "getfattr user.fsnap.list: $(cat /tmp/list.err)"
sort /tmp/list >/tmp/list.sorted
echo "LIST $ID $(wc -l </tmp/list.sorted) $(sha256sum </tmp/list.sorted | cut -d' ' -f1)"
ls "$M/cl/.fsnap/f.txt" 2>/tmp/view.err | sort >/tmp/view.sorted || fail "ls .fsnap/f.txt: $(cat /tmp/view.err)"
echo "VIEW $ID $(wc -l </tmp/view.sorted) $(sha256sum </tmp/view.sorted | cut -d' ' -f1)"
grep -q "^g$OTHER-1\$" /tmp/list.sorted && pass "sees the other client's snapshots" || fail "does not see g$OTHER-1"
barrier listed
cd / && umount "$M" && pass "umount" || fail "umount"
finish
