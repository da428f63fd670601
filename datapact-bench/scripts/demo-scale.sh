#!/usr/bin/env bash
# Times `datapact demo --generate-only` at a given size and reports wall time, the generator's
# own time, peak heap (from the GC log) and peak RSS. Usage:
#   datapact-bench/scripts/demo-scale.sh [users=1000000] [heap=2g]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
users="${1:-1000000}"
heap="${2:-2g}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$root/datapact" version >/dev/null   # build first, so the timing excludes the build
start=$(date +%s.%N)
DATAPACT_JAVA_OPTS="-Xmx$heap -Xlog:gc:file=$work/gc.log" /usr/bin/time -v -o "$work/time.txt" \
  "$root/datapact" demo --users "$users" --generate-only --data-dir "$work/data" 2> "$work/err.txt" >/dev/null
end=$(date +%s.%N)
generated=$(grep -o 'generated .*' "$work/err.txt")
peak_heap=$(grep -oE '[0-9]+M->[0-9]+M\([0-9]+M\)' "$work/gc.log" | awk -F'[->M(]' '{ if ($1 > m) m = $1 } END { print m }')
rss_kb=$(grep 'Maximum resident' "$work/time.txt" | awk '{ print $NF }')
store=$(du -sh "$work/data/db" | cut -f1)
printf 'users=%s heap_limit=%s wall=%.1fs %s peak_heap_before_gc=%sMiB peak_rss=%dMiB store=%s\n' \
  "$users" "$heap" "$(echo "$end - $start" | bc)" "$generated" "${peak_heap:-?}" "$((rss_kb / 1024))" "$store"
