# Sourced by the scripts in bin/ after find-jdk.sh: locates the fsnapd jar and
# builds it when it is missing (or when FSNAP_REBUILD=1).
#
#   fsnap_server_jar || exit 2    # sets FSNAPD_JAR

fsnap_server_jar() {
    local root=${FSNAP_ROOT:?FSNAP_ROOT not set}
    FSNAPD_JAR=$root/server/target/fsnapd.jar
    if [ -f "$FSNAPD_JAR" ] && [ "${FSNAP_REBUILD:-0}" != 1 ]; then
        return 0
    fi
    fsnap_find_mvn || return 1
    echo "fsnap: building $FSNAPD_JAR (mvn -B -q -DskipTests -pl server -am package) ..." >&2
    if ! (cd "$root" && mvn -B -q -DskipTests -pl server -am package >&2); then
        echo "error: building the server failed (see the Maven output above)" >&2
        return 1
    fi
    if [ ! -f "$FSNAPD_JAR" ]; then
        echo "error: the build did not produce $FSNAPD_JAR" >&2
        return 1
    fi
}
