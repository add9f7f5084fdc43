#!/bin/sh
# Guest script (run by ServerRestartTest): keeps a directory (as its working
# directory) and two open files across a restart of the server, then carries
# on using them. Any ESTALE, I/O error or lost write is a failure.
#
# Usage: restart.sh VERS [EXPORT]
# Needs NFSVM_SHARE. Protocol with the host:
#   guest prints "READY-FOR-RESTART", host restarts the server and then
#   creates /share/restarted; the guest waits for it (at most 300 s).
set -u
VERS=$1
EXPORT=${2:-/}
. /nfsvm/lib.sh  # SERVER, M, pass, fail, check, same, finish, domount, hash

grep -q " /share " /proc/mounts || { fail "no /share (NFSVM_SHARE unset?)"; finish; }
mkdir -p "$M"
if ! domount; then fail "mount -t nfs -o vers=$VERS $SERVER:$EXPORT"; finish; fi
pass "mount vers=$VERS"
R=$M/restart
check "mkdir restart" mkdir "$R"
head -c 1048576 /dev/urandom >/tmp/data
want=$(hash /tmp/data)
check "write restart/data" cp /tmp/data "$R/data"
printf 'before\n' >"$R/log"
sync

cd "$R" || { fail "cd $R"; finish; }
command exec 4>>log || fail "open log for appending"
command exec 5<data || fail "open data for reading"
check "read the first half through the open descriptor" sh -c 'dd bs=4096 count=128 status=none <&5 >/tmp/p1'
dmesg -c >/dev/null 2>&1

echo "READY-FOR-RESTART"
n=0
while [ ! -e /share/restarted ]; do
    n=$((n + 1))
    if [ "$n" -gt 1500 ]; then fail "the host did not restart the server within 300 s"; finish; fi
    sleep 0.2
done
echo "INFO the host says the server was restarted"
# Forget cached data so that the reads below go to the (restarted) server.
echo 3 >/proc/sys/vm/drop_caches

t0=$(date +%s%N)
check "stat . (directory handle from before the restart)" stat .
t1=$(date +%s%N)
echo "INFO first operation after the restart took $(( (t1 - t0) / 1000000 )) ms"
check "ls -la . (READDIR on the old directory handle)" ls -la .
check "touch . (SETATTR on the old directory handle)" touch .
check "append through the descriptor opened before the restart" sh -c 'printf "after\n" >&4'
check "read the second half through the descriptor opened before the restart" \
    sh -c 'dd bs=4096 status=none <&5 >/tmp/p2'
same "data read across the restart" "$want" "$(cat /tmp/p1 /tmp/p2 | sha256sum | cut -d' ' -f1)"
check "create a file in the old working directory" sh -c 'printf "new\n" >new-after'
check "read a file by relative path" cat ./data
check "lookup from the root of the mount" stat "$M/restart/log"
exec 4>&- 5<&-
check "sync" sync
cd /
check "umount" umount "$M"
check "mount again" domount
same "appended content through a fresh mount" "before
after" "$(cat "$R/log")"
same "file created after the restart" new "$(cat "$R/new-after")"
same "data file" "$want" "$(hash "$R/data")"
check "umount" umount "$M"

bad=$(dmesg | grep -i -E 'stale|reclaim|lost|nfs4_|NFS: .*(error|fail)' || true)
if [ -n "$bad" ]; then
    fail "the client kernel complained: $(echo "$bad" | head -n 5 | tr '\n' ' ')"
else
    pass "no client kernel complaints (stale handles, failed reclaims, lost state)"
fi
finish
