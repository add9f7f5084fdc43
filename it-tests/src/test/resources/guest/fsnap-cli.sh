#!/bin/sh
# Guest script (run by CliOverNfsTest): the fsnap command (bin/fsnap) through the
# real Linux NFS client, with the host's JDK 25 runtime shared on /share:
#   /share/jre            a java.base runtime made by jlink from the host's JDK
#   /share/syslib         the host libraries the JDK needs that the guest lacks
#   /share/fsnap          bin/fsnap, bin/lib/find-jdk.sh, cli/target/fsnap.jar
# The host made these fixtures in the export before starting fsnapd (with root not
# squashed):
#   cli/                  0:0       0777
#   cli/theirs            1001:1001 0644  "theirs"
#
# Every fsnap run is a JVM start, slow in an emulated guest (a minute under load
# without KVM): the script keeps to ten runs; the other errors and the output
# formats are covered by the cli module's own tests.
#
# Usage: fsnap-cli.sh [EXPORT]
set -u
EXPORT=${1:-/}
SERVER=${NFS_SERVER:-nfs-server}
M=/mnt/x
failures=0
export JAVA_HOME=/share/jre
export LD_LIBRARY_PATH=/share/syslib
export FSNAP_JAVA_OPTS="-Xmx96m"
export XDG_CACHE_HOME=/tmp/cache    # bin/fsnap keeps its class data archive there
mkdir -p "$XDG_CACHE_HOME" && chmod 1777 "$XDG_CACHE_HOME"
FSNAP=/share/fsnap/bin/fsnap

pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
finish() { cd /; umount "$M" 2>/dev/null; echo "RESULT failures=$failures"; [ "$failures" = 0 ]; exit $?; }
same() {
    if [ "$3" = "$2" ]; then pass "$1: $2"; else fail "$1: expected '$2', got '$3'"; fi
}
# expect DESC STATUS TEXT CMD...: CMD exits with STATUS and prints TEXT (stdout or stderr)
expect() {
    desc=$1; want=$2; text=$3; shift 3
    "$@" >/tmp/out 2>&1
    got=$?
    if [ "$got" != "$want" ]; then
        fail "$desc: exit $got, expected $want: $(head -c 600 /tmp/out | tr '\n' '|')"
    elif [ -n "$text" ] && ! grep -qF -- "$text" /tmp/out; then
        fail "$desc: '$text' not in: $(head -c 600 /tmp/out | tr '\n' '|')"
    else
        pass "$desc (exit $got)"
    fi
}
as() { u=$1; shift; setpriv --reuid="$u" --regid="$u" --clear-groups "$@"; }
notime() { sed -E 's/  [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z//'; }

# --- the JDK runs in the guest ----------------------------------------------------
if "$JAVA_HOME/bin/java" -Xmx64m -XX:-UsePerfData -version >/tmp/out 2>&1; then
    pass "the host's JDK runs in the guest: $(head -n1 /tmp/out)"
else
    fail "the guest cannot run the JDK: $(head -c 600 /tmp/out | tr '\n' '|')"
    finish
fi

same "fsnap --version" "ok" "$("$FSNAP" --version 2>&1 | sed -n 's/^fsnap [0-9].*/ok/p')"

mkdir -p "$M"
if ! timeout -s KILL 120 mount -t nfs -o vers=4.2 "$SERVER:$EXPORT" "$M"; then fail "mount vers=4.2"; finish; fi
pass "mount vers=4.2"
cd "$M/cli" || { fail "cd cli"; finish; }

# --- create, revert, a branch, tree, list, show ------------------------------------
printf 'v0' >f
expect "create v1" 0 "created snapshot v1 of f" "$FSNAP" create f v1
printf 'v1 changed' >f
expect "create v2" 0 "created snapshot v2 of f" "$FSNAP" create f v2
expect "revert to v1" 0 "reverted f to snapshot v1" "$FSNAP" revert f v1
same "content after revert" v0 "$(cat f)"
expect "create v3" 0 "created snapshot v3 of f" "$FSNAP" create f v3
same "fsnap tree" "f|\`-- v1|    |-- v2|    \`-- v3  (current)|" \
    "$("$FSNAP" tree --ascii f | notime | tr '\n' '|')"
expect "list --json" 0 '"name": "v1", "created": "' "$FSNAP" list --json f
same "list --json: names, parents, current" \
    'v1 null false|v2 "v1" false|v3 "v1" true|' \
    "$(sed -n 's/.*"name": "\([^"]*\)".*"parent": \([^,]*\), "current": \([a-z]*\)}.*/\1 \2 \3/p' /tmp/out | tr '\n' '|')"
view=$("$FSNAP" show f v2)
same "show prints the .fsnap path" "$M/cli/.fsnap/f/v2" "$view"
same "the snapshot's content through show" "v1 changed" "$(cat "$view")"

# --- the errors users hit (the rest are covered by the cli module's tests) --------------
expect "an unknown snapshot" 1 "no snapshot named 'nosuch'" "$FSNAP" revert f nosuch
expect "another user's file" 4 "permission denied: creating a snapshot needs write permission" \
    as 1002 "$FSNAP" create theirs x

# --- mounted below 4.2 -----------------------------------------------------------------
cd /
umount "$M" || fail "umount"
if timeout -s KILL 120 mount -t nfs -o vers=4.1 "$SERVER:$EXPORT" "$M"; then
    pass "mount vers=4.1"
    expect "vers=4.1: no xattrs" 3 "does not support user xattrs: is it an fsnap export mounted with -o vers=4.2?" \
        "$FSNAP" list "$M/cli/f"
    grep -qF "with vers=4.1; NFS carries xattrs from 4.2 on" /tmp/out && pass "vers=4.1 named" ||
        fail "vers=4.1 not named: $(cat /tmp/out)"
else
    fail "mount vers=4.1"
fi
finish
