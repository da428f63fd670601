#!/usr/bin/env bash
# Recommendation sends alone (`POST /messages`), next to the plain Javalin peer in the same run: the
# part of partner-load.sh that issue 22 asks to raise (sends at 30 % of the peer), quicker to
# repeat while working on it. Same setup as partner-load.sh, then one warm-up and the pair.
# Usage: datapact-bench/scripts/send-load.sh [seconds=20] [connections=64] [users=10000]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
secs="${1:-20}"
conns="${2:-64}"
users="${3:-10000}"
port=18183
plain=18184
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
"$root/datapact" version > /dev/null
(cd "$root" && mvn -B -q -Dmaven.test.skip=true -pl datapact-bench -am package)
cp="$root/datapact-bench/target/classes:$root/datapact-bench/target/lib/*"

"$root/datapact" demo --users "$users" --port "$port" --data-dir "$work/data" > "$work/demo.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/health" > /dev/null && break; sleep 0.5; done
cd "$work"
D="http://127.0.0.1:$port"
secret=$(grep -A 3 '"clientId" : "streamflix-app"' data/demo/cast.json | sed -n 's/.*"clientSecret" : "\(.*\)".*/\1/p')
token=$(curl -sf -u "streamflix-app:$secret" -d grant_type=client_credentials "$D/oauth/token" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
alice=$(grep -A 12 '"handle" : "alice"' data/demo/cast.json | sed -n 's/.*"streamflix" : "\(u_[^"]*\)".*/\1/p')
friends_url="$D/api/v1/users/$alice/friends?purpose=recommendations&limit=25"
curl -sf "$friends_url" -H "Authorization: Bearer $token" > friends.json
friend=$(sed -n 's/.*"data":\[{"id":"\(u_[^"]*\)".*/\1/p' friends.json)
body="{\"to\":[\"$friend\"],\"text\":\"Alice thinks you will like this: https://streamflix.example/title/42\"}"
curl -sf -X POST "$D/api/v1/users/$alice/messages?purpose=recommendations" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -d "$body" > sent.json
echo "friends page: $(wc -c < friends.json) bytes, $(grep -o '"id"' friends.json | wc -l) friends; sent body $(wc -c < sent.json) bytes"

java -cp "$cp" org.datapact.bench.PlainJavalin "$plain" friends.json sent.json > plain.log 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$plain/friends" > /dev/null && break; sleep 0.2; done

auth="Authorization: Bearer $token"
send_url="$D/api/v1/users/$alice/messages?purpose=recommendations"
echo "sends (${secs} s each in 4 alternating slices, ${conns} connections, after 30 s warm-up; A = DataPact, B = plain Javalin):"
java -Xmx512m -cp "$cp" org.datapact.bench.LoadDriver pair "$conns" "$secs" 4 30 \
  "POST|$send_url|$body|$auth" "POST|http://127.0.0.1:$plain/messages|$body|$auth"
