#!/usr/bin/env bash
# The ledger at scale: inclusion and consistency proofs on a tree of 10^8 leaves, and the time to
# open a log of 10^7 entries. The fixtures are built on the first run under data-dir and kept
# (about 6.4 GB and 2.7 GB; the first run takes a few minutes longer).
# Usage: datapact-bench/scripts/ledger-scale.sh [tree-leaves=100000000] [log-entries=10000000] [data-dir=datapact-bench/target]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
leaves="${1:-100000000}"
entries="${2:-10000000}"
data="${3:-$root/datapact-bench/target}"
out="$root/datapact-bench/target/ledger-scale"
mkdir -p "$out" "$data"
(cd "$root" && mvn -B -q -Dmaven.test.skip=true -pl datapact-bench -am package)
cp="$root/datapact-bench/target/classes:$root/datapact-bench/target/lib/*"
java -cp "$cp" org.openjdk.jmh.Main 'LedgerScaleBenchmark.(inclusionProof|consistencyProof)' -p leaves="$leaves" \
  -jvmArgsAppend "-Ddatapact.bench.dir=$data" | tee "$out/proofs.txt"
java -cp "$cp" org.openjdk.jmh.Main 'LedgerScaleBenchmark.openLog' -p entries="$entries" \
  -jvmArgsAppend "-Ddatapact.bench.dir=$data" | tee "$out/open.txt"
