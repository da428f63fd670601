#!/usr/bin/env bash
# The decision benchmark with all its peers, in one run on one machine:
#   1. JMH: DataPact, jCasbin and cedar-java (DecisionBenchmark; agreement checked before timing);
#   2. the same policies and requests exported, decided by Cedar's engine through cedar-wasm in
#      Node.js (preparsePolicySet + statefulIsAuthorized; agreement checked before timing);
#   3. the snapshot's retained heap (SnapshotFootprint).
# Usage: datapact-bench/scripts/decision-bench.sh [users=1000000] [versions=1000]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
users="${1:-1000000}"
versions="${2:-1000}"
out="$root/datapact-bench/target/decision-bench"
mkdir -p "$out"
(cd "$root" && mvn -B -q -Dmaven.test.skip=true -pl datapact-bench -am package)
cp="$root/datapact-bench/target/classes:$root/datapact-bench/target/lib/*"

java -cp "$cp" org.openjdk.jmh.Main DecisionBenchmark -p users="$users" -p versions="$versions" \
  -rf json -rff "$out/jmh.json" | tee "$out/jmh.txt"

java -Xmx6g -cp "$cp" org.datapact.bench.CedarExport "$out/cedar" "$users" "$versions"
(cd "$root/datapact-bench/scripts/cedar-wasm" && npm install --no-audit --no-fund --silent)
node --max-old-space-size=4096 "$root/datapact-bench/scripts/cedar-wasm/bench.mjs" "$out/cedar" 10 | tee "$out/cedar-wasm.txt"

java -Xmx6g -XX:+UseTransparentHugePages -cp "$cp" org.datapact.bench.SnapshotFootprint "$users" "$versions" | tee "$out/footprint.txt"
