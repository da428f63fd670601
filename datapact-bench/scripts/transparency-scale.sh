#!/usr/bin/env bash
# The transparency report over a ledger of 10^7 entries: counting a year's partner releases from the
# log and publishing them with noise, beside the peer (reading the same log, CRC only) in the same
# run. The fixture (about 6 GB) is built on the first run under data-dir and kept.
# Usage: datapact-bench/scripts/transparency-scale.sh [entries=10000000] [runs=3] [data-dir=datapact-bench/target]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
entries="${1:-10000000}"
runs="${2:-3}"
data="${3:-$root/datapact-bench/target}"
out="$root/datapact-bench/target/transparency-scale"
mkdir -p "$out" "$data"
(cd "$root" && mvn -B -q -Dmaven.test.skip=true -pl datapact-bench -am package)
cp="$root/datapact-bench/target/classes:$root/datapact-bench/target/lib/*"
java -Xmx4g -Ddatapact.bench.dir="$data" -cp "$cp" org.datapact.bench.TransparencyScale "$entries" "$runs" \
  | tee "$out/result.txt"
