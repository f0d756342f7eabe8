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
#   BENCH_SERVER_OPTS       extra JVM options of the server (e.g. -Xmx1g); none by default, as ./desk serve
#   BENCH_HEAP=1g           -Xmx of the benchmark JVM (the client)
#   BENCH_JAVA_OPTS         extra JVM options of the benchmark JVM
#   BENCH_JFR=1             record the server's measured window with JFR (profile settings) and print
#                           where its time goes; the recording is saved next to the results
#   BENCH_STRICT=1          exit 1 when the target is missed
#   BENCH_MVN_OPTS          extra maven options for the build (e.g. -o to stay offline)
# Results are saved to bench/results/sendmsg-bench-*.txt with the server's log (git-ignored).
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
CP_FILE="$ROOT/target/bench-test-classpath.txt"

BUILD=1
for arg in "$@"; do
  case "$arg" in
    --no-build) BUILD=0 ;;
    -h|--help) awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "sendmsg-bench: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

log() { printf '[sendmsg-bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[sendmsg-bench] ERROR: %s\n' "$*" >&2; exit 1; }

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
for v in BENCH_CPUS BENCH_CLIENT_CPUS; do
  [[ -z "${!v:-}" || "${!v}" =~ ^[0-9,-]+$ ]] || die "$v must be a taskset CPU list such as 0 or 0-1, got '${!v}'"
done
if [[ -n "${BENCH_CPUS:-}${BENCH_CLIENT_CPUS:-}" ]]; then
  command -v taskset >/dev/null 2>&1 || die "BENCH_CPUS/BENCH_CLIENT_CPUS need taskset (util-linux)"
fi

# ---------------------------------------------------------------- JDK >= 21
# shellcheck source=bench/jdk.sh
source "$(dirname "${BASH_SOURCE[0]}")/jdk.sh"

JDK="$(find_java)" || die "no JDK >= 21 found (JAVA_HOME=${JAVA_HOME:-unset}, /usr/lib/jvm/*); install one or set JAVA_HOME"
JAVA="$JDK/bin/java"
JAVA_VERSION="$("$JAVA" -version 2>&1 | head -n1)"
log "JDK: $JDK ($JAVA_VERSION)"

# ---------------------------------------------------------------- build
if (( BUILD )); then
  command -v mvn >/dev/null 2>&1 || die "mvn is required to build the test classes"
  BUILD_LOG="$(mktemp /tmp/sendmsg-bench-build.XXXXXX)"
  log "building: mvn -B -q -DskipTests test-compile, then the test classpath"
  # shellcheck disable=SC2086 # BENCH_MVN_OPTS is a list of options
  if ! (cd "$ROOT" && JAVA_HOME="$JDK" mvn -B -q ${BENCH_MVN_OPTS:-} -DskipTests test-compile \
        && JAVA_HOME="$JDK" mvn -B -q ${BENCH_MVN_OPTS:-} dependency:build-classpath -Dmdep.outputFile="$CP_FILE" \
             -Dmdep.includeScope=test) >"$BUILD_LOG" 2>&1; then
    echo "----- maven output (last 60 lines) -----" >&2; tail -n 60 "$BUILD_LOG" >&2
    rm -f "$BUILD_LOG"
    die "maven build failed"
  fi
  rm -f "$BUILD_LOG"
fi
[[ -f "$ROOT/target/test-classes/org/opendesk/bench/SendmsgBench.class" ]] \
  || die "target/test-classes has no SendmsgBench (run without --no-build)"
[[ -f "$ROOT/target/classes/org/opendesk/Main.class" ]] || die "target/classes has no server (run without --no-build)"
[[ -s "$CP_FILE" ]] || die "$CP_FILE is missing (run without --no-build)"
CLASSPATH="$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$CP_FILE")"

# ---------------------------------------------------------------- run
RESULTS_DIR="$BENCH_DIR/results"
mkdir -p "$RESULTS_DIR"
STAMP="$(date +%Y%m%d-%H%M%S)"
RESULT_FILE="$RESULTS_DIR/sendmsg-bench-$STAMP.txt"
SERVER_LOG="$RESULTS_DIR/sendmsg-bench-$STAMP-server.log"
JFR_FILE=""
[[ "${BENCH_JFR:-0}" != 1 ]] || JFR_FILE="$RESULTS_DIR/sendmsg-bench-$STAMP.jfr"

# how busy the machine is before we start (another process skews every figure)
read -r b0 t0 < <(awk '/^cpu / {b = $2 + $3 + $4 + $7 + $8 + $9; print b, b + $5 + $6; exit}' /proc/stat)
sleep 2
read -r b1 t1 < <(awk '/^cpu / {b = $2 + $3 + $4 + $7 + $8 + $9; print b, b + $5 + $6; exit}' /proc/stat)
IDLE_BUSY="$(awk -v b=$((b1 - b0)) -v t=$((t1 - t0)) -v n="$(nproc)" 'BEGIN {printf "%.0f", (t > 0) ? 100 * n * b / t : 0}')"
(( IDLE_BUSY < 20 )) || log "WARNING: the machine is already ${IDLE_BUSY}% busy (100% = one core) before the run: results will be skewed"

# sockets need file descriptors on both sides (the server inherits this limit)
(( $(ulimit -n) >= (RECEIVERS + CLIENTS) * 2 + 1000 )) || ulimit -n $(((RECEIVERS + CLIENTS) * 2 + 1000)) 2>/dev/null \
  || log "WARNING: open files limit $(ulimit -n) may be too low for $RECEIVERS sockets"

SERVER_CPUS="${BENCH_CPUS:-}"
cmd=()
if [[ -n "${BENCH_CLIENT_CPUS:-}" ]]; then
  cmd=(taskset -c "$BENCH_CLIENT_CPUS")
  # the server is a child of the client: without its own list it would inherit the client's
  [[ -n "$SERVER_CPUS" ]] || SERVER_CPUS="0-$(($(nproc) - 1))"
fi
# shellcheck disable=SC2206 # BENCH_JAVA_OPTS is a list of options
cmd+=("$JAVA" "-Xmx$HEAP" -Dfile.encoding=UTF-8 ${BENCH_JAVA_OPTS:-}
  -Dbench.clients="$CLIENTS" -Dbench.seconds="$SECONDS_MEASURED" -Dbench.warmup="$WARMUP"
  -Dbench.senders="$SENDERS" -Dbench.receivers="$RECEIVERS" -Dbench.drain="$DRAIN" -Dbench.http="$HTTP_CLIENT"
  -Dbench.cpus="$SERVER_CPUS" "-Dbench.serverOpts=${BENCH_SERVER_OPTS:-}" -Dbench.serverLog="$SERVER_LOG"
  -Dbench.jfr="$JFR_FILE" -cp "$CLASSPATH" org.opendesk.bench.SendmsgBench)

log "running SendmsgBench: $CLIENTS clients, warm-up ${WARMUP}s + ${SECONDS_MEASURED}s measured (about $((WARMUP + SECONDS_MEASURED + 40)) s in all)"
{
  echo "Desk sendmsg benchmark — $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(sed -n 's/^PRETTY_NAME="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' /etc/os-release)"
  echo "JDK: $JAVA_VERSION; machine busy with no load just before the run: ${IDLE_BUSY}% (100% = one core)"
  echo "source: $(cd "$ROOT" && git log -1 --format='%h %cd' --date=format:'%Y-%m-%d %H:%M' 2>/dev/null || echo '?')$(cd "$ROOT" && [[ -n "$(git status --porcelain -- src/main db 2>/dev/null)" ]] && echo " + uncommitted changes: $(git status --porcelain -- src/main db | awk '{print $2}' | xargs -n1 basename | paste -sd, -)")"
  echo "server pinned to CPUs: ${SERVER_CPUS:-no}; client pinned to CPUs: ${BENCH_CLIENT_CPUS:-no}; open files limit $(ulimit -n)"
  echo "command: ${cmd[*]//$CLASSPATH/<test classpath>}"
} | tee "$RESULT_FILE"

set +e
"${cmd[@]}" 2> >(grep -v '^WARNING: maxLength' >&2) | tee -a "$RESULT_FILE"
rc=${PIPESTATUS[0]}
set -e
(( rc == 0 )) || die "SendmsgBench failed (exit code $rc); server log: ${SERVER_LOG#"$ROOT"/}"
log "figures saved to ${RESULT_FILE#"$ROOT"/}; server log ${SERVER_LOG#"$ROOT"/}${JFR_FILE:+; JFR recording ${JFR_FILE#"$ROOT"/}}"

if [[ "${BENCH_STRICT:-0}" == 1 ]] && grep -q ' MISS$' "$RESULT_FILE"; then
  exit 1
fi
