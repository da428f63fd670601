#!/usr/bin/env bash
# Two DataPact nodes on one PostgreSQL against one node on it, on this machine: the audited
# `GET /friends` throughput of node A alone, then of A and B together (one driver spreading the same
# connections over both), their ratio (issue 22: the coordination costs at most 10 %), the
# propagation of consent changes from A to B under that load (PropagationProbe), and, with a soak
# time, a fixed-rate soak over both nodes with their heap and resident memory sampled every 30 s.
# Usage: datapact-bench/scripts/two-nodes.sh [seconds=30] [connections=64] [users=10000] [soak-seconds=0]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
secs="${1:-30}"
conns="${2:-64}"
users="${3:-10000}"
soak="${4:-0}"
pa=18191
pb=18192
db="dp_two_nodes_$$"
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql -q -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
  rm -rf "$work"
}
trap cleanup EXIT
"$root/datapact" version > /dev/null
(cd "$root" && mvn -B -q -Dmaven.test.skip=true -pl datapact-bench -am package)
cp="$root/datapact-bench/target/classes:$root/datapact-bench/target/lib/*"
psql -q -h 127.0.0.1 -U postgres -d test -c "CREATE DATABASE $db"
url="jdbc:postgresql://127.0.0.1:5432/$db?user=postgres"

node() { # name port
  "$root/datapact" demo --users "$users" --port "$2" --data-dir "$work/$1" --db-url "$url" > "$work/$1.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 1200); do curl -sf "http://127.0.0.1:$2/health" > /dev/null && return; sleep 0.5; done
  echo "node $1 did not start:"; tail -20 "$work/$1.log"; exit 1
}
drive() { java -Xmx512m -cp "$cp" org.datapact.bench.LoadDriver "$@"; }
java_pid() { # the JVM of the node whose data directory is $1
  pgrep -f -- "--data-dir $work/$1" | while read -r p; do [ "$(cat /proc/$p/comm)" = java ] && echo "$p"; done | head -n1
}
cpu_ticks() { # user + system CPU ticks of the nodes named (data directories)
  local t=0 n
  for n in "$@"; do t=$(( t + $(awk '{ print $14 + $15 }' "/proc/$(java_pid "$n")/stat") )); done
  echo "$t"
}
per_request() { # microseconds of node CPU per request: ticks before, ticks after, driver line
  local reqs; reqs=$(echo "$3" | sed -n 's/.*requests=\([0-9]*\).*/\1/p')
  awk -v a="$1" -v b="$2" -v r="$reqs" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", (b - a) / hz * 1e6 / r }'
}
rss() { # the resident memory of the node whose data directory is $1, in MB
  awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$(java_pid "$1")/status"
}
old_gen() { # the G1 old generation in use on the node at port $1, in MB (Prometheus writes 4.4E7)
  local v
  v=$(curl -sf "http://127.0.0.1:$1/metrics" | awk '/^jvm_memory_used_bytes\{area="heap",id="G1 Old Gen"/ { print $2 }')
  echo $(( $(printf '%.0f' "$v") / 1048576 ))
}

t0=$(date +%s)
node a "$pa"
echo "node A up in $(( $(date +%s) - t0 )) s ($users users, world generated on PostgreSQL)"
secret=$(grep -A 3 '"clientId" : "streamflix-app"' "$work/a/demo/cast.json" | sed -n 's/.*"clientSecret" : "\(.*\)".*/\1/p')
token=$(curl -sf -u "streamflix-app:$secret" -d grant_type=client_credentials "http://127.0.0.1:$pa/oauth/token" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
alice=$(grep -A 12 '"handle" : "alice"' "$work/a/demo/cast.json" | sed -n 's/.*"streamflix" : "\(u_[^"]*\)".*/\1/p')
path="/api/v1/users/$alice/friends?purpose=recommendations&limit=25"
auth="Authorization: Bearer $token"
A="http://127.0.0.1:$pa$path"
B="http://127.0.0.1:$pb$path"

drive max "$A" "$conns" 60 0 GET - "$auth" > /dev/null # JIT warm-up, not reported
c0=$(cpu_ticks a)
one=$(drive max "$A" "$conns" "$secs" 0 GET - "$auth"); echo "one node:  $one"
c1=$(cpu_ticks a)
node b "$pb"
drive max "$B" "$conns" 60 0 GET - "$auth" > /dev/null # B's warm-up
c2=$(cpu_ticks a b)
two=$(drive max "$A,$B" "$conns" "$secs" 0 GET - "$auth"); echo "two nodes: $two"
c3=$(cpu_ticks a b)
# (each count includes the driver's own 5 s warm-up before its measured seconds)
echo "node CPU per request: one node $(per_request "$c0" "$c1" "$one") us, two nodes $(per_request "$c2" "$c3" "$two") us"
t1=$(echo "$one" | sed -n 's/.*throughput=\([0-9]*\)\/s.*/\1/p')
t2=$(echo "$two" | sed -n 's/.*throughput=\([0-9]*\)\/s.*/\1/p')
echo "two nodes / one node: $(awk -v a="$t2" -v b="$t1" 'BEGIN { printf "%.1f %%", 100 * a / b }')"

# propagation under load: the load over both nodes in the background, bob's consent toggled on A
drive max "$A,$B" "$conns" 60 0 GET - "$auth" > "$work/under-probe.txt" &
load=$!
sleep 8
java -cp "$cp" org.datapact.bench.PropagationProbe "http://127.0.0.1:$pa" "http://127.0.0.1:$pb" "$work/a/demo/cast.json" bob 200
wait "$load"; echo "load during the probe: $(cat "$work/under-probe.txt")"

if [ "$soak" -gt 0 ]; then
  rate=$(( t2 / 2 ))
  echo "soak: ${soak} s at ${rate}/s over both nodes; every 30 s: old gen MB A/B, RSS MB A/B"
  drive rate "$A,$B" "$conns" "$soak" "$rate" GET - "$auth" > "$work/soak.txt" &
  load=$!
  for i in $(seq 1 $(( soak / 30 ))); do
    sleep 30
    echo "  t=$(( i * 30 ))s old-gen $(old_gen "$pa")/$(old_gen "$pb") rss $(rss a)/$(rss b)"
  done
  wait "$load"; echo "soak: $(cat "$work/soak.txt")"
  echo "errors logged: A $(grep -c '"level":"ERROR"\| ERROR ' "$work/a.log" || true), B $(grep -c '"level":"ERROR"\| ERROR ' "$work/b.log" || true)"
fi
