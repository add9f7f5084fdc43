#!/usr/bin/env bash
# Snapshot engine benchmark: builds this module and runs org.fsnap.snapshot.bench.SnapshotBenchmark,
# which loop-mounts an XFS (reflink=1) and an ext4 image under /var/tmp, measures, and removes them.
# Needs root. Usage: snapshot-engine/bench.sh [--quick]     (the table goes to stdout, progress to stderr)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
mvn -B -q -f "$here/pom.xml" test-compile \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
classpath="$here/target/classes:$here/target/test-classes:$(cat "$here/target/bench.classpath")"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx1g -cp "$classpath" \
    -Dlogback.configurationFile="$here/src/test/resources/logback-bench.xml" \
    org.fsnap.snapshot.bench.SnapshotBenchmark "$@"
