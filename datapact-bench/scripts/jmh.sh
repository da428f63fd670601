#!/usr/bin/env bash
# Builds datapact-bench and runs its JMH benchmarks. Arguments go to JMH, e.g.
#   datapact-bench/scripts/jmh.sh WorldGeneration -p users=100000
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
(cd "$root" && mvn -B -q -Dmaven.test.skip=true -pl datapact-bench -am package)
exec java -cp "$root/datapact-bench/target/classes:$root/datapact-bench/target/lib/*" org.openjdk.jmh.Main "$@"
