#!/usr/bin/env bash
# The ledger benchmark in one run on one disk: durable appends with 1, 8 and 64 appenders, proofs
# on a log of N entries (with the time to reopen it), and the physical limits it is measured
# against (SHA-256 of a node and a leaf, write+fdatasync of 256 B and 64 KiB).
# Usage: datapact-bench/scripts/ledger-bench.sh [proof-leaves=1000000] [data-dir=datapact-bench/target]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
leaves="${1:-1000000}"
data="${2:-$root/datapact-bench/target}"
out="$root/datapact-bench/target/ledger-bench"
mkdir -p "$out" "$data"
(cd "$root" && mvn -B -q -Dmaven.test.skip=true -pl datapact-bench -am package)
cp="$root/datapact-bench/target/classes:$root/datapact-bench/target/lib/*"
run() { java -Ddatapact.bench.dir="$data" -cp "$cp" org.openjdk.jmh.Main "$@"; }
for t in 1 8 64; do
  run 'LedgerBenchmark.durableAppend' -t "$t" -jvmArgsAppend "-Ddatapact.bench.dir=$data" | tee "$out/appends-$t.txt"
done
run 'LedgerBenchmark.(inclusionProof|consistencyProof|sha256Node65|sha256Leaf256|writeSync256|writeSync64k)' \
  -p proofLeaves="$leaves" -jvmArgsAppend "-Ddatapact.bench.dir=$data" | tee "$out/proofs-and-limits.txt"
