#!/bin/sh
# Guest script (run by MountReadWriteTest): mount, 64 MiB write + checksum
# through a fresh mount, ls -la, the everyday namespace operations, and
# setting times (touch, touch -a/-m/-d, cp -p, tar x).
#
# Usage: mount-rw.sh VERS [EXPORT]     e.g. mount-rw.sh 4.2 /
# Needs a server that does not squash root (it chowns).
# Leaves rw/big, rw/ls/* and rw/ops/* on the server for the host to check;
# prints "SHA256 rw/big <hex>" for it.
set -u
VERS=$1
EXPORT=${2:-/}
. /nfsvm/lib.sh  # SERVER, M, pass, fail, check, same, finish, domount, hash
remount() { cd / && umount "$M" && sync && echo 3 >/proc/sys/vm/drop_caches && domount; }

mkdir -p "$M"
if ! domount; then fail "mount -t nfs -o vers=$VERS $SERVER:$EXPORT"; finish; fi
pass "mount -t nfs -o vers=$VERS $SERVER:$EXPORT $M"
line=$(grep " $M " /proc/mounts)
echo "INFO $line"
case "$line" in
    *" nfs4 "*"vers=$VERS,"*) pass "mounted as nfs4 vers=$VERS" ;;
    *) fail "mount is not nfs4 vers=$VERS: $line" ;;
esac

D=$M/rw
check "mkdir rw" mkdir "$D"

# --- 64 MiB: write, fresh mount, read back, checksum -------------------
dd if=/dev/urandom of=/tmp/big bs=1M count=64 status=none
want=$(hash /tmp/big)
t0=$(date +%s%N)
check "write 64 MiB (cp + sync)" sh -c "cp /tmp/big '$D/big' && sync"
t1=$(date +%s%N)
echo "INFO write took $(( (t1 - t0) / 1000000 )) ms"
rm -f /tmp/big
check "umount, drop caches, mount again" remount
same "size of rw/big after a fresh mount" 67108864 "$(stat -c %s "$D/big")"
t0=$(date +%s%N)
got=$(hash "$D/big")
t1=$(date +%s%N)
echo "INFO read took $(( (t1 - t0) / 1000000 )) ms"
same "sha256 of the 64 MiB file read back through a fresh mount" "$want" "$got"
echo "SHA256 rw/big $want"

# --- ls -la: sizes, modes, owners ---------------------------------------
L=$D/ls
mkdir "$L"
printf 'hello\n' >"$L/a"
: >"$L/b"
head -c 100000 /dev/urandom >"$L/c"
mkdir "$L/sub"
chmod 640 "$L/a"; chown 1000:1000 "$L/a"
chmod 600 "$L/b"
chmod 755 "$L/c"; chown 1001:1001 "$L/c"
chmod 750 "$L/sub"
check "remount before ls" remount
echo "INFO ls -la $L:"
ls -la "$L" | sed 's/^/INFO   /'
lsn=$(ls -ln "$L" | awk 'NR > 1 && $NF != "sub" { print $1, $3, $4, $5, $NF } $NF == "sub" { print $1, $3, $4, $NF }')
expected="-rw-r----- 1000 1000 6 a
-rw------- 0 0 0 b
-rwxr-xr-x 1001 1001 100000 c
drwxr-x--- 0 0 sub"
same "ls -ln (mode uid gid size name)" "$expected" "$lsn"
# Names as ls -la shows them: uid 0 is root; others as the guest's /etc/passwd says.
name_of() { awk -F: -v u="$1" '$3 == u { print $1; found = 1; exit } END { if (!found) print u }' /etc/passwd; }
owners=$(ls -la "$L" | awk '$NF == "a" || $NF == "b" || $NF == "c" { print $NF, $3, $4 }')
ga=$(awk -F: '$3 == 1000 { print $1; f = 1; exit } END { if (!f) print 1000 }' /etc/group)
gc=$(awk -F: '$3 == 1001 { print $1; f = 1; exit } END { if (!f) print 1001 }' /etc/group)
same "ls -la owner and group names" "a $(name_of 1000) $ga
b root root
c $(name_of 1001) $gc" "$owners"
dots=$(ls -la "$L" | awk '$NF == "." || $NF == ".." { print $1 }' | cut -c1 | tr -d '\n')
same "ls -la lists . and .. as directories" "dd" "$dots"

# --- namespace operations -----------------------------------------------
O=$D/ops
check "mkdir -p ops/a ops/b" mkdir -p "$O/a" "$O/b"
same "mkdir made directories" "directory directory" "$(stat -c %F "$O/a" "$O/b" | tr '\n' ' ' | sed 's/ $//')"
check "mkdir of an existing name fails" sh -c "! mkdir '$O/a' 2>/dev/null"

printf 'one\n' >"$O/a/f"
check "rename a file across directories" mv "$O/a/f" "$O/b/g"
check "old name is gone" test ! -e "$O/a/f"
same "renamed file content" one "$(cat "$O/b/g")"
mkdir "$O/a/dir"; printf 'inner\n' >"$O/a/dir/inner"
check "rename a directory across directories" mv "$O/a/dir" "$O/b/dir2"
same "content under the renamed directory" inner "$(cat "$O/b/dir2/inner")"
printf 'new\n' >"$O/a/over"; printf 'old\n' >"$O/b/over"
check "rename over an existing file" mv -f "$O/a/over" "$O/b/over"
same "rename replaced the target" new "$(cat "$O/b/over")"

check "hard link" ln "$O/b/g" "$O/a/hard"
same "link count after ln" "2 2" "$(stat -c %h "$O/b/g" "$O/a/hard" | tr '\n' ' ' | sed 's/ $//')"
same "hard link has the same inode" "$(stat -c %i "$O/b/g")" "$(stat -c %i "$O/a/hard")"
printf 'two\n' >>"$O/a/hard"
same "write through one name, read through the other" "one
two" "$(cat "$O/b/g")"

check "symlink" ln -s ../b/g "$O/a/sym"
check "dangling symlink" ln -s /no/such/target "$O/a/dangling"
same "readlink" ../b/g "$(readlink "$O/a/sym")"
same "read through the symlink" "one
two" "$(cat "$O/a/sym")"
same "symlink type" "symbolic link" "$(stat -c %F "$O/a/sym")"

printf 'mode\n' >"$O/a/m"
check "chmod 604" chmod 604 "$O/a/m"
check "chmod u+x" chmod u+x "$O/a/m"

head -c 10000 /dev/urandom >/tmp/t
cp /tmp/t "$O/a/t"
check "truncate -s 100 (shrink)" truncate -s 100 "$O/a/t"
check "truncate -s 5000 (grow)" truncate -s 5000 "$O/a/t"

printf 'line1\n' >"$O/a/ap"
printf 'line2\n' >>"$O/a/ap"
check "append (>>)" sh -c "printf 'line3\n' >>'$O/a/ap'"

# --- times: touch, touch -a/-m/-d, cp -p, tar x (SETATTR time_*_set) ---
# within T LO HI: T is in [LO-5, HI+5] (server clock against the guest's)
within() { [ "$1" -ge $(($2 - 5)) ] && [ "$1" -le $(($3 + 5)) ]; }
printf 'times\n' >"$O/a/tm"
mkdir "$O/a/tdir"
check "touch -d 2001-01-01T00:00:00Z" touch -d 2001-01-01T00:00:00Z "$O/a/tm"
same "touch -d sets mtime and atime" "978307200 978307200" "$(stat -c '%Y %X' "$O/a/tm")"
check "touch -m -d @1234567890.5" touch -m -d @1234567890.5 "$O/a/tm"
same "touch -m sets mtime to the nanosecond, keeps atime" "1234567890.500000000 978307200" \
    "$(stat -c '%.9Y %X' "$O/a/tm")"
check "touch -a -d @1234567890.25" touch -a -d @1234567890.25 "$O/a/tm"
same "touch -a sets atime, keeps mtime" "1234567890.250000000 1234567890.500000000" \
    "$(stat -c '%.9X %.9Y' "$O/a/tm")"
check "touch -m -d @1.073741823 (the kernel's UTIME_NOW, as nanoseconds)" \
    touch -m -d @1.073741823 "$O/a/tm"
same "mtime 1.073741823 is a time, not now" "1.073741823" "$(stat -c '%.9Y' "$O/a/tm")"
t0=$(date +%s)
check "touch (server time)" touch "$O/a/tm"
t1=$(date +%s)
m=$(stat -c %Y "$O/a/tm"); a=$(stat -c %X "$O/a/tm")
check "touch moves mtime to now ($m, guest clock $t0..$t1)" within "$m" "$t0" "$t1"
check "touch moves atime to now ($a, guest clock $t0..$t1)" within "$a" "$t0" "$t1"
check "touch -d 2001-01-01T00:00:00Z on a directory" touch -d 2001-01-01T00:00:00Z "$O/a/tdir"
same "directory mtime and atime after touch -d" "978307200 978307200" \
    "$(stat -c '%Y %X' "$O/a/tdir")"
t0=$(date +%s)
check "touch a directory (server time)" touch "$O/a/tdir"
t1=$(date +%s)
tdirm=$(stat -c %Y "$O/a/tdir")
check "touch moves a directory's mtime to now ($tdirm, guest clock $t0..$t1)" \
    within "$tdirm" "$t0" "$t1"
# An exclusive create (EXCLUSIVE4_1) keeps its verifier in the times until the
# client's SETATTR of both times to the server's time right after the OPEN.
t0=$(date +%s)
check "O_EXCL create (dd conv=excl)" dd if=/dev/null of="$O/a/excl" conv=excl status=none
t1=$(date +%s)
m=$(stat -c %Y "$O/a/excl"); a=$(stat -c %X "$O/a/excl")
check "O_EXCL create: mtime is now, not the verifier ($m, guest clock $t0..$t1)" \
    within "$m" "$t0" "$t1"
check "O_EXCL create: atime is now, not the verifier ($a, guest clock $t0..$t1)" \
    within "$a" "$t0" "$t1"
printf 'cp\n' >/tmp/cpsrc
touch -d @1234567890.123456789 /tmp/cpsrc
check "cp -p" cp -p /tmp/cpsrc "$O/a/cpp"
same "cp -p keeps mtime and atime to the nanosecond" "1234567890.123456789 1234567890.123456789" \
    "$(stat -c '%.9Y %.9X' "$O/a/cpp")"
mkdir -p /tmp/tarsrc/d
printf 'tar\n' >/tmp/tarsrc/d/f
touch -d @1234567890.987654321 /tmp/tarsrc/d/f
if (cd /tmp/tarsrc && tar -cf /tmp/times.tar d); then    # ustar: whole seconds
    mkdir "$O/a/tx"
    check "tar x" tar -xf /tmp/times.tar -C "$O/a/tx"
    # (busybox tar restores the times of files, not of directories)
    same "tar x restores a file's mtime" 1234567890 "$(stat -c %Y "$O/a/tx/d/f")"
else
    echo "INFO tar -cf failed in the guest: tar x times not checked"
fi

# --- rm -rf of a tree of 1,000 files ------------------------------------
T=$D/tree
mkdir "$T"
i=0
for d in d0 d1 d2 d3 d4 d5; do
    mkdir "$T/$d"
    n=100; [ "$d" = d0 ] && n=500      # one directory big enough for several READDIR replies
    j=0
    while [ "$j" -lt "$n" ]; do
        printf '%d\n' "$i" >"$T/$d/file-$j"
        i=$((i + 1)); j=$((j + 1))
    done
done
mkdir -p "$T/d1/deep/deeper"; : >"$T/d1/deep/deeper/x"
same "files created in the tree" 1001 "$(find "$T" -type f | wc -l)"

# Everything above, as seen through a fresh mount (attributes from the server).
check "remount before checking" remount
same "after remount: mode after chmod 604 + u+x" 704 "$(stat -c %a "$O/a/m")"
same "after remount: size after truncate" 5000 "$(stat -c %s "$O/a/t")"
head -c 100 /tmp/t >/tmp/t.want; head -c 4900 /dev/zero >>/tmp/t.want
check "after remount: truncated content (first 100 bytes kept, zeros after)" cmp /tmp/t.want "$O/a/t"
same "after remount: appended content" "line1
line2
line3" "$(cat "$O/a/ap")"
same "after remount: readlink" ../b/g "$(readlink "$O/a/sym")"
same "after remount: dangling readlink" /no/such/target "$(readlink "$O/a/dangling")"
same "after remount: link count" 2 "$(stat -c %h "$O/a/hard")"
same "after remount: cp -p times" "1234567890.123456789 1234567890.123456789" \
    "$(stat -c '%.9Y %.9X' "$O/a/cpp")"
same "after remount: directory mtime set by touch" "$tdirm" "$(stat -c %Y "$O/a/tdir")"
same "after remount: files in the tree (READDIR)" 1001 "$(find "$T" -type f | wc -l)"
same "after remount: entries in the 500-file directory" 500 "$(ls "$T/d0" | wc -l)"
same "after remount: content of d0/file-499" 499 "$(cat "$T/d0/file-499")"

check "rm -rf the tree" rm -rf "$T"
check "tree is gone" test ! -e "$T"
check "remount after rm -rf" remount
check "tree is gone after remount" test ! -e "$T"
same "ops/b after remount" "dir2 g over" "$(ls "$O/b" | tr '\n' ' ' | sed 's/ $//')"

check "unlink one of the hard links" rm "$O/a/hard"
same "link count after unlink" 1 "$(stat -c %h "$O/b/g")"

cd /
check "umount" umount "$M"
finish
