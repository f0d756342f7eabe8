#!/usr/bin/env bash
# Load benchmark of the visitor conversation path: builds the test classes, then runs
# org.opendesk.bench.ConversationBench (src/test/java), which starts the real server
# (org.opendesk.Main) in its own JVM on a fresh embedded H2 file database, adds 20 FAQ entries,
# connects N visitor WebSockets (/im/v1/ws) and has each send one text message per second to
# @customer_service_account; it measures the latency from sending the SendMsg frame to the
# robot's answer, the server's CPU time and RSS. See bench/README.md.
#
# Usage: bench/conversation-bench.sh [--no-build] [--help]
#   --no-build  use target/classes, target/test-classes and the saved classpath as they are
#
# Environment (all optional):
#   BENCH_VISITORS=1000     visitor WebSockets (each one sends 1 message per BENCH_INTERVAL_MS)
#   BENCH_SECONDS=60        measured seconds of load
#   BENCH_WARMUP=20         seconds of warm-up after the connections are up: the visitors start sending one
#                           after the other, so the load grows linearly to the full rate
#   BENCH_INTERVAL_MS=1000  time between two messages of a visitor
#   BENCH_DRAIN=20          seconds to wait for the last answers after the load
#   BENCH_CONNECT_CONCURRENCY=32  WebSocket handshakes in flight during the ramp-up
#   BENCH_FAQS=20           FAQ entries added before the run (at most 20)
#   BENCH_CHITCHAT=true     ChitchatEnable of the robot (greetings get a chitchat answer)
#   BENCH_CLARIFY=true      ClarifyEnable of the robot (close calls get a clarify card)
#   BENCH_UNIQUE=false      true: an order number is appended to every question, so no text repeats (the
#                           50 texts otherwise repeat, and the embedder's cache may serve them)
#   BENCH_CPUS              taskset CPU list for the server (e.g. 0); no pinning by default
#   BENCH_CLIENT_CPUS       taskset CPU list for the benchmark JVM, i.e. the client (e.g. 1)
#   BENCH_SERVER_OPTS       extra JVM options of the server (e.g. -Xmx2g); the heap is 1 GB fixed, as ./desk serve, unless they size it
#   BENCH_HEAP=1g           -Xmx of the benchmark JVM (the client)
#   BENCH_JAVA_OPTS         extra JVM options of the benchmark JVM
#   BENCH_JFR=1             record the server's measured window with JFR (profile settings) and print
#                           where its time goes; the recording is saved next to the results
#   BENCH_STRICT=1          exit 1 when the target is missed
#   BENCH_MVN_OPTS          extra maven options for the build (e.g. -o to stay offline)
# Results are saved to bench/results/conversation-bench-*.txt with the server's log (git-ignored).
set -euo pipefail

SCRIPT_NAME=conversation-bench
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_args "${BASH_SOURCE[0]}" "$@"

VISITORS="${BENCH_VISITORS:-1000}"
SECONDS_MEASURED="${BENCH_SECONDS:-60}"
WARMUP="${BENCH_WARMUP:-20}"
INTERVAL_MS="${BENCH_INTERVAL_MS:-1000}"
DRAIN="${BENCH_DRAIN:-20}"
CONNECT_CONCURRENCY="${BENCH_CONNECT_CONCURRENCY:-32}"
FAQS="${BENCH_FAQS:-20}"
CHITCHAT="${BENCH_CHITCHAT:-true}"
CLARIFY="${BENCH_CLARIFY:-true}"
UNIQUE="${BENCH_UNIQUE:-false}"
HEAP="${BENCH_HEAP:-1g}"
for v in VISITORS SECONDS_MEASURED WARMUP INTERVAL_MS DRAIN CONNECT_CONCURRENCY FAQS; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a whole number, got '${!v}'"
done
(( VISITORS > 0 && SECONDS_MEASURED > 0 && INTERVAL_MS > 0 )) || die "BENCH_VISITORS, BENCH_SECONDS and BENCH_INTERVAL_MS must be positive"
[[ "$CHITCHAT" =~ ^(true|false)$ && "$CLARIFY" =~ ^(true|false)$ && "$UNIQUE" =~ ^(true|false)$ ]] \
  || die "BENCH_CHITCHAT, BENCH_CLARIFY and BENCH_UNIQUE are true or false"
[[ "$HEAP" =~ ^[0-9]+[kKmMgG]?$ ]] || die "BENCH_HEAP must look like 1g or 768m, got '$HEAP'"
bench_check_cpu_lists

# ---------------------------------------------------------------- JDK >= 21, build
bench_find_jdk
bench_build ConversationBench server

# ---------------------------------------------------------------- run
bench_result_files server
bench_idle_busy

# 1,000 sockets need file descriptors on both sides (the server inherits this limit)
bench_open_files $((VISITORS * 2 + 1000)) "$VISITORS sockets"

bench_client_cmd
# shellcheck disable=SC2206 # BENCH_JAVA_OPTS is a list of options
cmd+=("$JAVA" "-Xmx$HEAP" -Dfile.encoding=UTF-8 ${BENCH_JAVA_OPTS:-}
  -Dbench.visitors="$VISITORS" -Dbench.seconds="$SECONDS_MEASURED" -Dbench.warmup="$WARMUP"
  -Dbench.interval="$INTERVAL_MS" -Dbench.drain="$DRAIN" -Dbench.connectConcurrency="$CONNECT_CONCURRENCY"
  -Dbench.faqs="$FAQS" -Dbench.chitchat="$CHITCHAT" -Dbench.clarify="$CLARIFY" -Dbench.unique="$UNIQUE"
  -Dbench.cpus="$SERVER_CPUS" "-Dbench.serverOpts=${BENCH_SERVER_OPTS:-}" -Dbench.serverLog="$SERVER_LOG"
  -Dbench.jfr="$JFR_FILE" -cp "$CLASSPATH" org.opendesk.bench.ConversationBench)

log "running ConversationBench: $VISITORS visitors, warm-up ${WARMUP}s + ${SECONDS_MEASURED}s measured (about $((WARMUP + SECONDS_MEASURED + 60)) s in all)"
bench_header "Desk conversation benchmark" server | tee "$RESULT_FILE"
bench_run ConversationBench
