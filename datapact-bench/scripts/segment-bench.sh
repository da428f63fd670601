#!/usr/bin/env bash
# Segments over 10M users: DataPact's audience index against SQL on PostgreSQL (the same audience,
# checked equal before timing), and one simulated day of 10M impressions, in one JMH run.
# Usage: datapact-bench/scripts/segment-bench.sh [users=10000000] [pgUrl=jdbc:postgresql://127.0.0.1:5432/test?user=postgres]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
users="${1:-10000000}"
pg="${2:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres}"
out="$root/datapact-bench/target/segment-bench"
mkdir -p "$out"
(cd "$root" && mvn -B -q -Dmaven.test.skip=true -pl datapact-bench -am package)
cp="$root/datapact-bench/target/classes:$root/datapact-bench/target/lib/*"
java -cp "$cp" org.openjdk.jmh.Main SegmentBenchmark -p users="$users" -p pgUrl="$pg" \
  -p impressions="$users" -rf json -rff "$out/jmh.json" | tee "$out/jmh.txt"
