#!/usr/bin/env bash
# Human-service benchmark: builds the test classes, then runs org.opendesk.bench.HumanBench
# (src/test/java): a server and its client in one JVM on the embedded H2 file database (or MariaDB),
# M members with S seats each, N sessions opened through openim sendmsg, then N transfer_to_human
# calls from C concurrent callers (latency of the assigned and of the queued ones), then E members
# ending a session while the queue is full (time from the end to the next queued session's
# assignment). See bench/README.md.
#
# Usage: bench/human-bench.sh [--no-build] [--help]
#
# Environment (all optional):
#   BENCH_MEMBERS=20  BENCH_SEATS=5  BENCH_SESSIONS=1000  BENCH_CALLERS=16  BENCH_ENDS=200
#   BENCH_DB=h2       h2 (an embedded file database in a temporary directory) or mariadb (a fresh
#                     database on DESK_TEST_MARIADB_URL, with DESK_TEST_MARIADB_USER/PASSWORD)
#   BENCH_HEAP=1g     -Xmx of the JVM
#   BENCH_MVN_OPTS    extra maven options for the build (e.g. -o)
# Results are saved to bench/results/human-bench-*.txt (git-ignored).
set -euo pipefail

SCRIPT_NAME=human-bench
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_args "${BASH_SOURCE[0]}" "$@"
DB="${BENCH_DB:-h2}"
[[ "$DB" =~ ^(h2|mariadb)$ ]] || die "BENCH_DB must be h2 or mariadb, got '$DB'"
bench_find_jdk
bench_build HumanBench
bench_result_files
bench_idle_busy
cmd=("$JAVA" "-Xms${BENCH_HEAP:-1g}" "-Xmx${BENCH_HEAP:-1g}" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED
  -Ddesk.test.db="$DB" -Dbench.members="${BENCH_MEMBERS:-20}" -Dbench.seats="${BENCH_SEATS:-5}"
  -Dbench.sessions="${BENCH_SESSIONS:-1000}" -Dbench.callers="${BENCH_CALLERS:-16}" -Dbench.ends="${BENCH_ENDS:-200}"
  -cp "$CLASSPATH" org.opendesk.bench.HumanBench)
log "running HumanBench on $DB"
bench_header "Desk human-service benchmark ($DB)" | tee "$RESULT_FILE"
bench_run HumanBench
