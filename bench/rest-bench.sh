#!/usr/bin/env bash
# Load benchmark of the admin REST API: account_check (auth + JSON + H2 lookup) against
# GET /ping (the framework ceiling), both driven by wrk on 127.0.0.1. See bench/README.md.
#
# Usage: bench/rest-bench.sh [--build] [--help]
#   --build   rebuild target/desk-server.jar even if it is up to date (it is built anyway
#             when missing or older than pom.xml / src/main, unless BENCH_NO_REBUILD=1)
#
# Environment (all optional):
#   BENCH_DURATION=30     seconds of each measured run
#   BENCH_WARMUP=10       seconds of warm-up per route before the measured runs (0 = none)
#   BENCH_CONNECTIONS=64  wrk -c        BENCH_THREADS=2  wrk -t
#   BENCH_TIMEOUT=5s      wrk --timeout (slower answers count as socket timeouts)
#   BENCH_PORT=18080      first port tried for the server started here (next free one is used)
#   BENCH_JAVA_OPTS       extra JVM options for the server started here
#   BENCH_SERVER_CPUS / BENCH_WRK_CPUS   optional taskset CPU lists (e.g. 0 and 1) to pin
#                         the server and wrk apart; unset = no pinning (the default)
#   BENCH_STRICT=1        exit 1 when the target is missed or any response was not OK
#   BENCH_KEEP_TMP=1      keep the temporary data directory and server log
#   BENCH_STARTUP_TIMEOUT=90  seconds to wait for the server's /observe/health
# Against an already running server (nothing is started or built then):
#   BENCH_URL=http://127.0.0.1:8080  BENCH_SDKAPPID=...  BENCH_USERSIG=...
#   [BENCH_IDENTIFIER=administrator] [BENCH_PID=server pid, for CPU/RSS; else found with ss]
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
JAR="$ROOT/target/desk-server.jar"

DURATION="${BENCH_DURATION:-30}"
WARMUP="${BENCH_WARMUP:-10}"
CONNECTIONS="${BENCH_CONNECTIONS:-64}"
THREADS="${BENCH_THREADS:-2}"
WRK_TIMEOUT="${BENCH_TIMEOUT:-5s}"
SDKAPPID_DEFAULT=1400000001
SECRET_KEY="${BENCH_SECRET_KEY:-b3nchb3nchb3nch0123456789abcdef0123456789abcdef0123456789abcdef}"
IDENTIFIER="${BENCH_IDENTIFIER:-administrator}"
TARGET_RPS=5000
TARGET_P99_MS=30
STARTUP_TIMEOUT="${BENCH_STARTUP_TIMEOUT:-90}"

FORCE_BUILD=0
for arg in "$@"; do
  case "$arg" in
    --build) FORCE_BUILD=1 ;;
    -h|--help) sed -n '2,23p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "rest-bench: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

log() { printf '[rest-bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[rest-bench] ERROR: %s\n' "$*" >&2; exit 1; }

for v in DURATION WARMUP CONNECTIONS THREADS; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || die "BENCH_$v must be a whole number, got '${!v}'"
done
(( DURATION > 0 )) || die "BENCH_DURATION must be > 0"

# ---------------------------------------------------------------- state + cleanup
SERVER_PID=""
WRK_PID=""
TMP_DIR=""
cleanup() {
  local rc=$?
  set +e
  if [[ -n "$WRK_PID" ]] && kill -0 "$WRK_PID" 2>/dev/null; then
    kill -TERM "$WRK_PID" 2>/dev/null
    wait "$WRK_PID" 2>/dev/null
  fi
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    log "stopping server (pid $SERVER_PID)"
    kill -TERM "$SERVER_PID" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$SERVER_PID" 2>/dev/null; then
      log "server did not stop within 10 s, killing it"
      kill -KILL "$SERVER_PID" 2>/dev/null
    fi
    wait "$SERVER_PID" 2>/dev/null
  fi
  if [[ -n "$TMP_DIR" && -d "$TMP_DIR" ]]; then
    if [[ "${BENCH_KEEP_TMP:-0}" == 1 ]]; then
      log "kept $TMP_DIR"
    else
      rm -rf "$TMP_DIR"
    fi
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- tools
# shellcheck source=bench/jdk.sh
source "$(dirname "${BASH_SOURCE[0]}")/jdk.sh"

ensure_wrk() {
  if command -v wrk >/dev/null 2>&1; then return 0; fi
  log "wrk not found: installing it with apt-get"
  command -v apt-get >/dev/null 2>&1 || die "wrk is missing and apt-get is unavailable"
  local sudo=""
  [[ "$(id -u)" == 0 ]] || sudo="sudo"
  if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q wrk >/dev/null; then
    log "apt-get install failed; running apt-get update first"
    $sudo apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q wrk >/dev/null
  fi
  command -v wrk >/dev/null 2>&1 || die "wrk could not be installed"
}

port_in_use() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

cpu_ticks() { # utime+stime (clock ticks) of a pid, or empty
  [[ -n "${1:-}" && -r "/proc/$1/stat" ]] || return 0
  # fields after the ")" of the command name: state is $1 there, utime $12, stime $13
  sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'
}

machine_ticks() { # "busy total softirq" jiffies over all cpus (guest time is already in user)
  awk '/^cpu / {t = 0; for (i = 2; i <= 9; i++) t += $i; print t - $5 - $6, t, $8}' /proc/stat
}

pct() { # pct DELTA_TICKS DELTA_TOTAL -> percent of one core
  awk -v d="$1" -v t="$2" -v n="$NCPU" 'BEGIN {printf "%.0f", (t > 0) ? d / t * 100 * n : 0}'
}

children_cpu_s() { # children_cpu_s VAR: user+sys seconds of this shell's finished children
  # `times` must run in this shell (not in $(...), a subshell has its own, empty, counters)
  times >"$TMP_DIR/times"
  printf -v "$1" '%s' "$(awk 'NR == 2 {
    s = 0
    for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); s += a[1] * 60 + a[2] }
    printf "%.2f", s }' "$TMP_DIR/times")"
}

status_kb() { # VmRSS / VmHWM of a pid in kB
  [[ -n "${1:-}" && -r "/proc/$1/status" ]] || return 0
  awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"
}

field() { # field NAME LINE -> value of NAME=value in a BENCH_RESULT line
  awk -v k="$1" '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) { print kv[2]; exit } } }' <<<"$2"
}

# ---------------------------------------------------------------- prerequisites
ensure_wrk
command -v curl >/dev/null 2>&1 || die "curl is required"
RESULTS_DIR="$BENCH_DIR/results"
mkdir -p "$RESULTS_DIR"
STAMP="$(date +%Y%m%d-%H%M%S)"
RESULT_FILE="$RESULTS_DIR/rest-bench-$STAMP.txt"
TMP_DIR="$(mktemp -d /tmp/desk-bench.XXXXXX)"
RAW_FILE="$TMP_DIR/wrk-raw.txt"

JAVA_VERSION="(unknown: external server)"
if [[ -n "${BENCH_URL:-}" ]]; then
  # ------------------------------------------------------------ external server
  BASE_URL="${BENCH_URL%/}"
  [[ "$BASE_URL" =~ ^http://(127\.[0-9]+\.[0-9]+\.[0-9]+|localhost|\[::1\])(:[0-9]+)?$ ]] \
    || die "BENCH_URL must be http://127.x.x.x:PORT, http://localhost:PORT or http://[::1]:PORT (load goes to loopback only), got '$BENCH_URL'"
  SDKAPPID="${BENCH_SDKAPPID:-}"
  USERSIG="${BENCH_USERSIG:-}"
  [[ -n "$SDKAPPID" ]] || die "BENCH_URL is set: BENCH_SDKAPPID is required"
  [[ -n "$USERSIG" ]] || die "BENCH_URL is set: BENCH_USERSIG is required"
  curl -fsS --max-time 5 -o /dev/null "$BASE_URL/observe/health" \
    || die "no healthy server at $BASE_URL (GET /observe/health failed)"
  SERVER_OBS_PID="${BENCH_PID:-}"
  if [[ -z "$SERVER_OBS_PID" ]]; then
    port="${BASE_URL##*:}"; [[ "$port" =~ ^[0-9]+$ ]] || port=80
    SERVER_OBS_PID="$(ss -Hltnp "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n1 | cut -d= -f2 || true)"
  fi
  log "using the running server at $BASE_URL (pid ${SERVER_OBS_PID:-unknown})"
  if [[ -n "$SERVER_OBS_PID" && -x "/proc/$SERVER_OBS_PID/exe" ]]; then
    JAVA_VERSION="$("/proc/$SERVER_OBS_PID/exe" -version 2>&1 | head -n1 || true)"
  fi
else
  # ------------------------------------------------------------ start our own server
  JDK="$(find_java)" || die "no JDK >= 21 found (JAVA_HOME=${JAVA_HOME:-unset}, /usr/lib/jvm/*); install one or set JAVA_HOME"
  JAVA="$JDK/bin/java"
  JAVA_VERSION="$("$JAVA" -version 2>&1 | head -n1)"
  log "JDK: $JDK ($JAVA_VERSION)"

  build_reason=""
  if (( FORCE_BUILD )); then
    build_reason="--build given"
  elif [[ ! -f "$JAR" ]]; then
    build_reason="the jar is missing"
  elif [[ "${BENCH_NO_REBUILD:-0}" != 1 ]]; then
    newer="$(find "$ROOT/pom.xml" "$ROOT/src/main" -type f -newer "$JAR" -print -quit 2>/dev/null || true)"
    [[ -z "$newer" ]] || build_reason="the jar is older than ${newer#"$ROOT"/}"
  fi
  if [[ -n "$build_reason" ]]; then
    command -v mvn >/dev/null 2>&1 || die "mvn is required to build the jar"
    log "building $JAR ($build_reason): mvn -B -q -DskipTests package"
    if ! (cd "$ROOT" && JAVA_HOME="$JDK" mvn -B -q -DskipTests package) >"$TMP_DIR/build.log" 2>&1; then
      echo "----- maven output (last 60 lines) -----" >&2; tail -n 60 "$TMP_DIR/build.log" >&2
      die "maven build failed"
    fi
  fi
  [[ -f "$JAR" ]] || die "$JAR is missing after the build"

  PORT="${BENCH_PORT:-18080}"
  for _ in $(seq 1 200); do port_in_use "$PORT" || break; PORT=$((PORT + 1)); done
  port_in_use "$PORT" && die "no free port found from ${BENCH_PORT:-18080} on"
  BASE_URL="http://127.0.0.1:$PORT"
  SDKAPPID="$SDKAPPID_DEFAULT"
  SERVER_LOG="$TMP_DIR/server.log"

  log "starting server on $BASE_URL (data dir $TMP_DIR/data, rate limits off)"
  server_cmd=()
  [[ -z "${BENCH_SERVER_CPUS:-}" ]] || server_cmd=(taskset -c "$BENCH_SERVER_CPUS")
  # shellcheck disable=SC2206 # BENCH_JAVA_OPTS is a list of options
  server_cmd+=(env DESK_HOST=127.0.0.1 DESK_PORT="$PORT" DESK_SDKAPPID="$SDKAPPID" DESK_SECRET_KEY="$SECRET_KEY"
    DESK_ADMIN="$IDENTIFIER" DESK_DATA_DIR="$TMP_DIR/data" DESK_RATE_LIMITS=off
    "$JAVA" ${BENCH_JAVA_OPTS:-} -jar "$JAR")
  "${server_cmd[@]}" >"$SERVER_LOG" 2>&1 &  # taskset and env exec, so $! is the JVM
  SERVER_PID=$!
  SERVER_OBS_PID="$SERVER_PID"

  # healthy AND the welcome line names our port (so a stranger on the port cannot fool us)
  deadline=$((SECONDS + STARTUP_TIMEOUT))
  until curl -fsS --max-time 2 -o /dev/null "$BASE_URL/observe/health" 2>/dev/null \
        && grep -q "listening on http://localhost:$PORT " "$SERVER_LOG"; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      wait "$SERVER_PID" 2>/dev/null && rc=0 || rc=$?
      SERVER_PID=""
      echo "----- server log (last 40 lines) -----" >&2; tail -n 40 "$SERVER_LOG" >&2
      die "the server exited during start-up (exit code $rc)"
    fi
    if (( SECONDS >= deadline )); then
      echo "----- server log (last 40 lines) -----" >&2; tail -n 40 "$SERVER_LOG" >&2
      die "the server did not answer GET $BASE_URL/observe/health with 200 within ${STARTUP_TIMEOUT}s"
    fi
    sleep 0.5
  done
  log "server is up (pid $SERVER_PID, RSS $(status_kb "$SERVER_PID" VmRSS) kB)"

  USERSIG="$("$JAVA" -jar "$JAR" usersig --sdkappid "$SDKAPPID" --key "$SECRET_KEY" \
    --identifier "$IDENTIFIER" --expire 86400 2>"$TMP_DIR/usersig.err" | tail -n1 | tr -d '\r')"
  [[ "$USERSIG" =~ ^[A-Za-z0-9*_-]{20,}$ ]] || { cat "$TMP_DIR/usersig.err" >&2; die "could not mint a UserSig (got '$USERSIG')"; }
fi

# ---------------------------------------------------------------- fixtures + smoke test
rest_call() { # rest_call COMMAND BODY -> response body on stdout
  curl -fsS --max-time 10 -X POST -H 'Content-Type: application/json' \
    "$BASE_URL/v4/im_open_login_svc/$1?sdkappid=$SDKAPPID&identifier=$IDENTIFIER&usersig=$USERSIG&random=$((RANDOM * 32768 + RANDOM))&contenttype=json" \
    --data-binary "$2"
}

resp="$(rest_call multiaccount_import '{"Accounts":["bench_user_1","bench_user_2"]}')" \
  || die "multiaccount_import request failed"
[[ "$resp" == *'"ActionStatus":"OK"'* ]] || die "multiaccount_import did not answer OK: $resp"
resp="$(rest_call account_check '{"CheckItem":[{"UserID":"bench_user_1"},{"UserID":"@customer_service_account"}]}')" \
  || die "account_check request failed"
[[ "$resp" == *'"ActionStatus":"OK"'* ]] || die "account_check did not answer OK: $resp"
log "fixtures imported; account_check answers: $resp"
[[ "$(curl -fsS --max-time 5 "$BASE_URL/ping")" == pong ]] || die "GET /ping did not answer pong"

export BENCH_SDKAPPID="$SDKAPPID" BENCH_USERSIG="$USERSIG" BENCH_IDENTIFIER="$IDENTIFIER"

# ---------------------------------------------------------------- wrk runs
declare -A RESULT CPU_SERVER CPU_WRK CPU_BUSY CPU_SOFTIRQ CPU_OTHER
CLK_TCK="$(getconf CLK_TCK)"
NCPU="$(nproc)"

run_wrk() { # run_wrk LABEL SECONDS SCRIPT URL -> output in $TMP_DIR/wrk-LABEL.txt
  local label="$1" secs="$2" script="$3" url="$4" out="$TMP_DIR/wrk-$1.txt" cmd=()
  [[ -z "${BENCH_WRK_CPUS:-}" ]] || cmd=(taskset -c "$BENCH_WRK_CPUS")
  cmd+=(wrk -t "$THREADS" -c "$CONNECTIONS" -d "${secs}s" --timeout "$WRK_TIMEOUT" --latency
    -s "$BENCH_DIR/$script" "$url")
  echo "===== $label: ${cmd[*]}" >>"$RAW_FILE"
  # in the background + wait, so that a signal runs the cleanup trap at once (bash defers
  # traps until a foreground child ends); wait still reaps wrk, so `times` counts its CPU
  "${cmd[@]}" >"$out" 2>&1 &
  WRK_PID=$!
  wait "$WRK_PID" || { WRK_PID=""; cat "$out" >&2; die "wrk failed for $label"; }
  WRK_PID=""
  cat "$out" >>"$RAW_FILE"
}

measure() { # measure ROUTE SCRIPT URL
  local route="$1" script="$2" url="$3" out="$TMP_DIR/wrk-$1.txt" line s0 s1 m0 m1 t0 t1 q0 q1 w0 w1
  if (( WARMUP > 0 )); then
    log "warm-up $route: ${WARMUP}s"
    run_wrk "$route-warmup" "$WARMUP" "$script" "$url"
  fi
  log "measuring $route: ${DURATION}s, $THREADS threads, $CONNECTIONS connections"
  s0="$(cpu_ticks "${SERVER_OBS_PID:-}")"; read -r m0 t0 q0 < <(machine_ticks); children_cpu_s w0
  run_wrk "$route" "$DURATION" "$script" "$url"
  s1="$(cpu_ticks "${SERVER_OBS_PID:-}")"; read -r m1 t1 q1 < <(machine_ticks); children_cpu_s w1
  grep -v '^BENCH_' "$out" >&2
  line="$(grep '^BENCH_RESULT ' "$out" | tail -n1)" || true
  [[ -n "$line" ]] || die "wrk printed no BENCH_RESULT line for $route (see above)"
  RESULT[$route]="$line"
  grep '^BENCH_SAMPLE ' "$out" | sed 's/^/  first non-OK response: /' >&2 || true
  if [[ -n "$s0" && -n "$s1" ]]; then
    CPU_SERVER[$route]="$(awk -v a="$s0" -v b="$s1" -v hz="$CLK_TCK" -v d="$DURATION" 'BEGIN {printf "%.0f", (b - a) / hz / d * 100}')"
  else
    CPU_SERVER[$route]="?"
  fi
  # wrk's user+sys CPU (all of this shell's children, and wrk was the only one in between)
  CPU_WRK[$route]="$(awk -v a="$w0" -v b="$w1" -v d="$DURATION" 'BEGIN {printf "%.0f", (b - a) / d * 100}')"
  CPU_BUSY[$route]="$(pct $((m1 - m0)) $((t1 - t0)))"
  CPU_SOFTIRQ[$route]="$(pct $((q1 - q0)) $((t1 - t0)))"
  # what neither the server, wrk nor softirq accounts for: other processes (approximate)
  CPU_OTHER[$route]="$(awk -v b="${CPU_BUSY[$route]}" -v s="${CPU_SERVER[$route]}" -v w="${CPU_WRK[$route]}" \
    -v q="${CPU_SOFTIRQ[$route]}" 'BEGIN {if (s == "?") {print "?"; exit} o = b - s - w - q; printf "%.0f", (o > 0) ? o : 0}')"
}

# how busy the machine is without load (other processes would skew the figures)
read -r m0 t0 _ < <(machine_ticks); sleep 2; read -r m1 t1 _ < <(machine_ticks)
IDLE_BUSY="$(pct $((m1 - m0)) $((t1 - t0)))"
(( IDLE_BUSY < 20 )) || log "WARNING: the machine is already ${IDLE_BUSY}% busy (100% = one core) before the load: results will be skewed"
measure account_check account_check.lua "$BASE_URL"
measure ping ping.lua "$BASE_URL/ping"

# the server must still be healthy after the load
if ! curl -fsS --max-time 5 -o /dev/null "$BASE_URL/observe/health"; then
  log "WARNING: GET /observe/health failed after the load"
  HEALTH_AFTER="FAILED"
else
  HEALTH_AFTER="UP"
fi
RSS_KB="$(status_kb "${SERVER_OBS_PID:-}" VmRSS)"
HWM_KB="$(status_kb "${SERVER_OBS_PID:-}" VmHWM)"

# ---------------------------------------------------------------- summary
ac="${RESULT[account_check]}"; pg="${RESULT[ping]}"
ac_rps="$(field rps "$ac")"; pg_rps="$(field rps "$pg")"
ac_p99="$(field p99_ms "$ac")"
ac_bad="$(field non_ok "$ac")"; pg_bad="$(field non_ok "$pg")"
sock_errors() { local l="$1"; echo $(( $(field err_connect "$l") + $(field err_read "$l") + $(field err_write "$l") + $(field err_timeout "$l") )); }
ratio="$(awk -v a="$ac_rps" -v b="$pg_rps" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}')"
meets="$(awk -v r="$ac_rps" -v p="$ac_p99" -v tr="$TARGET_RPS" -v tp="$TARGET_P99_MS" 'BEGIN {print (r >= tr && p < tp) ? "MET" : "MISSED"}')"

summary() {
  echo "Desk admin REST benchmark — $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "machine: $NCPU cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(sed -n 's/^PRETTY_NAME="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' /etc/os-release)"
  echo "JDK: $JAVA_VERSION; wrk: $(wrk -v 2>&1 | head -n1 | awk '{print $2}')"
  [[ -n "${BENCH_URL:-}" ]] || echo "jar: target/desk-server.jar built $(date -u -r "$JAR" '+%Y-%m-%d %H:%M:%S UTC')${build_reason:+ (rebuilt: $build_reason)}"
  echo "server: $BASE_URL; wrk -t $THREADS -c $CONNECTIONS --latency, warm-up ${WARMUP}s per route, measured ${DURATION}s per route"
  echo
  printf '%-14s %11s %8s %8s %8s %7s %8s\n' route "requests/s" "p50 ms" "p90 ms" "p99 ms" "non-OK" "sockerr"
  for r in account_check ping; do
    l="${RESULT[$r]}"
    printf '%-14s %11s %8.2f %8.2f %8.2f %7s %8s\n' "$r" "$(field rps "$l")" "$(field p50_ms "$l")" \
      "$(field p90_ms "$l")" "$(field p99_ms "$l")" "$(field non_ok "$l")" "$(sock_errors "$l")"
  done
  echo
  echo "CPU during the measured runs (100% = one core; $NCPU cores = $((NCPU * 100))%):"
  printf '%-14s %8s %8s %8s %8s %8s\n' route server wrk softirq other "busy"
  for r in account_check ping; do
    printf '%-14s %7s%% %7s%% %7s%% %7s%% %7s%%\n' "$r" "${CPU_SERVER[$r]}" "${CPU_WRK[$r]}" "${CPU_SOFTIRQ[$r]}" \
      "${CPU_OTHER[$r]}" "${CPU_BUSY[$r]}"
  done
  echo "  (softirq = kernel loopback TCP work; other = busy - server - wrk - softirq: other processes, approximate)"
  echo "  machine busy with no load, just before the runs: ${IDLE_BUSY}%"
  echo
  echo "account_check / ping throughput: $ratio"
  echo "responses checked: account_check $(field checked "$ac"), ping $(field checked "$pg"); non-OK: account_check $ac_bad, ping $pg_bad"
  echo "server RSS after the runs: ${RSS_KB:-?} kB (peak VmHWM ${HWM_KB:-?} kB); health after load: $HEALTH_AFTER"
  echo "target (account_check >= $TARGET_RPS req/s with p99 < $TARGET_P99_MS ms): $meets"
}

echo
summary | tee "$RESULT_FILE"
{ echo; echo "----- raw wrk output -----"; cat "$RAW_FILE"; } >>"$RESULT_FILE"
log "summary and raw wrk output saved to ${RESULT_FILE#"$ROOT"/}"

if [[ "${BENCH_STRICT:-0}" == 1 ]] && { [[ "$meets" != MET ]] || (( ac_bad + pg_bad > 0 )); }; then
  exit 1
fi
