#!/bin/sh
# Guest script (run by LauncherTest): a short check that a server is usable:
# mount, write 4 MiB, read it back through a fresh mount, list, remove.
#
# Usage: quick.sh VERS [EXPORT]
set -u
VERS=$1
EXPORT=${2:-/}
. /nfsvm/lib.sh  # SERVER, M, pass, fail, check, finish, domount

mkdir -p "$M"
if ! domount; then fail "mount -t nfs -o vers=$VERS $SERVER:$EXPORT"; finish; fi
pass "mount vers=$VERS: $(grep " $M " /proc/mounts)"
F=$M/quick-$$
head -c 4194304 /dev/urandom >/tmp/data
check "write 4 MiB" sh -c "cp /tmp/data '$F' && sync"
check "remount" sh -c "umount '$M' && echo 3 >/proc/sys/vm/drop_caches && timeout -s KILL 120 mount -t nfs -o vers='$VERS' '$SERVER:$EXPORT' '$M'"
check "read back, same bytes" cmp /tmp/data "$F"
ls -la "$M" | sed 's/^/INFO   /'
check "remove" rm "$F"
check "umount" umount "$M"
finish
