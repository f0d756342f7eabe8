#!/usr/bin/env bash
# Throughput benchmark of POST /v4/openim/sendmsg: builds the test classes, then runs
# org.opendesk.bench.SendmsgBench (src/test/java), which starts the real server (org.opendesk.Main)
# in its own JVM on a fresh embedded H2 file database with DESK_RATE_LIMITS=off (else the
# vendor's 200 calls/s per app applies), connects the receiving users by WebSocket, and has C
# concurrent keep-alive HTTP clients send user-to-user text messages (no robot) as fast as the
# server answers: messages/s stored, sendmsg latency, and how many of them are pushed to the
# receivers' sockets, how fast and with what delay. See bench/README.md.
#
# Usage: bench/sendmsg-bench.sh [--no-build] [--help]
#   --no-build  use target/classes, target/test-classes and the saved classpath as they are
#
# Environment (all optional):
#   BENCH_CLIENTS=32        concurrent HTTP clients (virtual threads, one keep-alive connection each)
#   BENCH_SECONDS=20        measured seconds
#   BENCH_WARMUP=30         seconds of load before measuring (the server's JIT compiles for about that long)
#   BENCH_SENDERS=200       users who send (not connected)
#   BENCH_RECEIVERS=200     users who receive; every one is connected by a visitor WebSocket
#   BENCH_DRAIN=10          seconds to wait for the last pushes after the load
#   BENCH_HTTP=raw          the HTTP client: raw (a minimal HTTP/1.1 client on one socket per thread, the
#                           cheapest; it checks every response's framing), jdk (java.net.http) or helidon (Http1Client)
#   BENCH_CPUS              taskset CPU list for the server (e.g. 0); no pinning by default
#   BENCH_CLIENT_CPUS       taskset CPU list for the benchmark JVM, i.e. the client (e.g. 1)
#   BENCH_SERVER_OPTS       extra JVM options of the server (e.g. -Xmx2g); the heap is 1 GB fixed, as ./desk serve, unless they size it
#   BENCH_HEAP=1g           -Xmx of the benchmark JVM (the client)
#   BENCH_JAVA_OPTS         extra JVM options of the benchmark JVM
#   BENCH_JFR=1             record the server's measured window with JFR (profile settings) and print
#                           where its time goes; the recording is saved next to the results
#   BENCH_STRICT=1          exit 1 when the target is missed
#   BENCH_MVN_OPTS          extra maven options for the build (e.g. -o to stay offline)
# Results are saved to bench/results/sendmsg-bench-*.txt with the server's log (git-ignored).
set -euo pipefail

SCRIPT_NAME=sendmsg-bench
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_args "${BASH_SOURCE[0]}" "$@"

CLIENTS="${BENCH_CLIENTS:-32}"
SECONDS_MEASURED="${BENCH_SECONDS:-20}"
WARMUP="${BENCH_WARMUP:-30}"
SENDERS="${BENCH_SENDERS:-200}"
RECEIVERS="${BENCH_RECEIVERS:-200}"
DRAIN="${BENCH_DRAIN:-10}"
HEAP="${BENCH_HEAP:-1g}"
HTTP_CLIENT="${BENCH_HTTP:-raw}"
[[ "$HTTP_CLIENT" =~ ^(raw|jdk|helidon)$ ]] || die "BENCH_HTTP must be raw, jdk or helidon, got '$HTTP_CLIENT'"
for v in CLIENTS SECONDS_MEASURED WARMUP SENDERS RECEIVERS DRAIN; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a whole number, got '${!v}'"
done
(( CLIENTS > 0 && SECONDS_MEASURED > 0 && SENDERS > 0 && RECEIVERS > 0 )) || die "BENCH_CLIENTS, BENCH_SECONDS, BENCH_SENDERS and BENCH_RECEIVERS must be positive"
[[ "$HEAP" =~ ^[0-9]+[kKmMgG]?$ ]] || die "BENCH_HEAP must look like 1g or 768m, got '$HEAP'"
bench_check_cpu_lists

# ---------------------------------------------------------------- JDK >= 21, build
bench_find_jdk
bench_build SendmsgBench server

# ---------------------------------------------------------------- run
bench_result_files server
bench_idle_busy

# sockets need file descriptors on both sides (the server inherits this limit)
bench_open_files $(((RECEIVERS + CLIENTS) * 2 + 1000)) "$RECEIVERS sockets"

bench_client_cmd
# shellcheck disable=SC2206 # BENCH_JAVA_OPTS is a list of options
cmd+=("$JAVA" "-Xmx$HEAP" -Dfile.encoding=UTF-8 ${BENCH_JAVA_OPTS:-}
  -Dbench.clients="$CLIENTS" -Dbench.seconds="$SECONDS_MEASURED" -Dbench.warmup="$WARMUP"
  -Dbench.senders="$SENDERS" -Dbench.receivers="$RECEIVERS" -Dbench.drain="$DRAIN" -Dbench.http="$HTTP_CLIENT"
  -Dbench.cpus="$SERVER_CPUS" "-Dbench.serverOpts=${BENCH_SERVER_OPTS:-}" -Dbench.serverLog="$SERVER_LOG"
  -Dbench.jfr="$JFR_FILE" -cp "$CLASSPATH" org.opendesk.bench.SendmsgBench)

log "running SendmsgBench: $CLIENTS clients, warm-up ${WARMUP}s + ${SECONDS_MEASURED}s measured (about $((WARMUP + SECONDS_MEASURED + 40)) s in all)"
bench_header "Desk sendmsg benchmark" server | tee "$RESULT_FILE"
bench_run SendmsgBench
