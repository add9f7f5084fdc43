# Sourced by the scripts in bin/: finds a JDK 25 (or newer) for running and
# building fsnap, without relying on the machine's default `java`.
#
#   . "$FSNAP_ROOT/bin/lib/find-jdk.sh"
#   fsnap_find_jdk || exit 2      # sets and exports JAVA_HOME, puts it first on PATH
#
# Order: $JAVA_HOME when it is a JDK 25+, then /usr/lib/jvm/temurin-25*
# (newest first). On failure it prints what it looked at and returns 1.
# FSNAP_MIN_JAVA overrides the minimum feature release (default 25).

# Feature release ("25") of the JDK in directory $1, or nothing.
fsnap_java_feature() {
    local home=$1 version=""
    [ -x "$home/bin/java" ] || return 1
    if [ -f "$home/release" ]; then
        version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release" | head -n1)
    fi
    if [ -z "$version" ]; then
        version=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n1)
    fi
    version=${version#1.}          # 1.8.0_x -> 8.0_x
    version=${version%%[!0-9]*}    # 25.0.3  -> 25
    [ -n "$version" ] || return 1
    echo "$version"
}

# Is $1 a JDK (javac present, not only a JRE) of at least the minimum release?
fsnap_is_usable_jdk() {
    local home=$1 feature
    [ -x "$home/bin/javac" ] || return 1
    feature=$(fsnap_java_feature "$home") || return 1
    [ "$feature" -ge "${FSNAP_MIN_JAVA:-25}" ]
}

fsnap_find_jdk() {
    local min=${FSNAP_MIN_JAVA:-25} candidate tried=()
    if [ -n "${JAVA_HOME:-}" ]; then
        if fsnap_is_usable_jdk "$JAVA_HOME"; then
            export JAVA_HOME
            export PATH="$JAVA_HOME/bin:$PATH"
            return 0
        fi
        tried+=("JAVA_HOME=$JAVA_HOME ($(fsnap_java_feature "$JAVA_HOME" || echo 'not a JDK'))")
    fi
    # Newest first. FSNAP_JDK_GLOB widens the search (e.g. '/usr/lib/jvm/*').
    for candidate in $(ls -d ${FSNAP_JDK_GLOB:-/usr/lib/jvm/temurin-25*} 2>/dev/null | sort -rV); do
        if fsnap_is_usable_jdk "$candidate"; then
            export JAVA_HOME=$candidate
            export PATH="$JAVA_HOME/bin:$PATH"
            return 0
        fi
        tried+=("$candidate")
    done
    {
        echo "error: no JDK $min or newer found."
        [ "${#tried[@]}" -eq 0 ] || printf '  looked at: %s\n' "${tried[@]}"
        echo "  Set JAVA_HOME to a JDK $min+ or install one in /usr/lib/jvm/temurin-25* (e.g. the Adoptium"
        echo "  'temurin-25-jdk' package). The default 'java' on PATH is not used."
    } >&2
    return 1
}

# Maven, run with the JDK found above (the repository's .mvn/jvm.config needs it).
fsnap_find_mvn() {
    if ! command -v mvn >/dev/null 2>&1; then
        echo "error: mvn (Apache Maven 3.8+) not found on PATH (apt-get install maven)" >&2
        return 1
    fi
}
