#!/usr/bin/env bash
# The long variant of the fault tests (docs/deployment.md, "Proven under faults"): many rounds of
# kill -9 of one node under load, a database outage and a restart, then every receipt reconciled
# against both shards; and the cut-off and disk-full tests once more. Needs PostgreSQL (as CI) and
# root for the tmpfs of the disk-full test.
#   datapact-bench/scripts/faults.sh [ROUNDS]     (default 10, about 15 s a round)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export DATAPACT_TEST_PG_URL="${DATAPACT_TEST_PG_URL:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres}"
export DATAPACT_FAULT_ROUNDS="${1:-10}"
mvn -B -q install -DskipTests
mvn -B -pl datapact-server surefire:test -Dtest='TwoNodesTest,StoreOutageTest,LedgerDiskFullTest'
mvn -B -pl datapact-cli surefire:test -Dtest=ClusterFaultTest
grep -h "ClusterFaultTest:" datapact-cli/target/surefire-reports/*ClusterFaultTest-output.txt
