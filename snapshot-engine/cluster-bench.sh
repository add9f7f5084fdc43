#!/usr/bin/env bash
# Snapshot cluster benchmark (issue 5): create throughput and p50/p99 latency with 1 node (no cluster, and a
# cluster of 1) and with 3 nodes over one store (a cluster of 3; spread files and one hot file). Runs
# org.fsnap.snapshot.cluster.ClusterBenchmark, which loop-mounts an XFS (reflink) image, starts real
# Hazelcast members in its JVM on 127.0.0.1, measures, and removes everything.
# Needs root. Usage: snapshot-engine/cluster-bench.sh [--threads N] [--creates N] [--quick]
# (also: bin/fsnap-bench cluster ...). The table goes to stdout, progress to stderr.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
mvn -B -q -f "$here/pom.xml" test-compile \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
classpath="$here/target/classes:$here/target/test-classes:$(cat "$here/target/bench.classpath")"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx1g \
    --add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED \
    --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
    --add-opens java.management/sun.management=ALL-UNNAMED \
    --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED \
    --sun-misc-unsafe-memory-access=allow -Dhazelcast.logging.type=slf4j -Dhazelcast.phone.home.enabled=false \
    -cp "$classpath" -Dlogback.configurationFile="$here/src/test/resources/logback-bench.xml" \
    org.fsnap.snapshot.cluster.ClusterBenchmark "$@"
