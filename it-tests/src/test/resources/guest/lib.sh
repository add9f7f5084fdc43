# Shared helpers of the guest scripts, sourced after the script has set VERS
# and EXPORT:   . /nfsvm/lib.sh
# run-guest.sh ships this file into the guest as /nfsvm/lib.sh whenever it
# sits beside the script (GuestVm.script puts it there too). Not a script of
# its own.
SERVER=${NFS_SERVER:-nfs-server}
M=/mnt/x
failures=0

pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
# check DESCRIPTION CMD...: PASS when CMD succeeds, else FAIL with its output.
check() {
    d=$1; shift
    if "$@" >/tmp/check.out 2>&1; then pass "$d"; else fail "$d: $(head -c 400 /tmp/check.out | tr '\n' ' ')"; fi
}
# same DESCRIPTION WANT GOT
# (multi-line values are shown with | for newlines)
same() {
    w=$(printf '%s' "$2" | tr '\n' '|'); g=$(printf '%s' "$3" | tr '\n' '|')
    if [ "$3" = "$2" ]; then pass "$1: $w"; else fail "$1: expected '$w', got '$g'"; fi
}
finish() { echo "RESULT failures=$failures"; [ "$failures" = 0 ]; exit $?; }
# A mount that takes minutes is a failure, not something to wait for.
domount() { timeout -s KILL 120 mount -t nfs -o vers="$VERS" "$SERVER:$EXPORT" "$M"; }
hash() { sha256sum <"$1" | cut -d' ' -f1; }
