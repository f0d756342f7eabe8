# Sourced by the benchmark scripts that run a Java benchmark from the test classes
# (conversation-bench.sh, sendmsg-bench.sh, matching-bench.sh): the steps they share, as small
# functions, called in this order. The script sets SCRIPT_NAME (e.g. conversation-bench) first; it
# prefixes the log lines and names the results. "server" marks the benchmarks that start the server
# in its own JVM (they check its classes, save its log, pin it apart from the client and say which
# source they measure).
#
#   bench_args SCRIPT "$@"        --no-build (BUILD=0), --help (SCRIPT's header comment)
#   bench_check_cpu_lists         BENCH_CPUS / BENCH_CLIENT_CPUS are taskset CPU lists, taskset is there
#   bench_find_jdk                JDK, JAVA, JAVA_VERSION: a JDK >= 21 (jdk.sh)
#   bench_build CLASS [server]    test classes and CP_FILE built by maven (unless --no-build), CLASSPATH
#   bench_result_files [server]   RESULT_FILE (and SERVER_LOG, JFR_FILE) under bench/results
#   bench_idle_busy               IDLE_BUSY: how busy the machine is before the run (/proc/stat, 2 s)
#   bench_open_files N WHAT       raises the open files limit to N (the server inherits it)
#   bench_client_cmd              cmd=(taskset ...) for BENCH_CLIENT_CPUS, SERVER_CPUS
#   bench_header TITLE [server]   the head of the results (machine, JDK, source, pinning, command)
#   bench_run CLASS               runs "${cmd[@]}" into RESULT_FILE; BENCH_STRICT=1 exits 1 on a MISS

# shellcheck source=bench/jdk.sh
source "$(dirname "${BASH_SOURCE[0]}")/jdk.sh"

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
CP_FILE="$ROOT/target/bench-test-classpath.txt"

log() { printf '[%s %s] %s\n' "$SCRIPT_NAME" "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "$SCRIPT_NAME" "$*" >&2; exit 1; }

bench_args() {
  local script="$1" arg
  shift
  BUILD=1
  for arg in "$@"; do
    case "$arg" in
      --no-build) BUILD=0 ;;
      -h|--help) awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "$script"; exit 0 ;;
      *) echo "$SCRIPT_NAME: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
    esac
  done
}

bench_check_cpu_lists() {
  local v
  for v in BENCH_CPUS BENCH_CLIENT_CPUS; do
    [[ -z "${!v:-}" || "${!v}" =~ ^[0-9,-]+$ ]] || die "$v must be a taskset CPU list such as 0 or 0-1, got '${!v}'"
  done
  if [[ -n "${BENCH_CPUS:-}${BENCH_CLIENT_CPUS:-}" ]]; then
    command -v taskset >/dev/null 2>&1 || die "BENCH_CPUS/BENCH_CLIENT_CPUS need taskset (util-linux)"
  fi
}

bench_find_jdk() {
  JDK="$(find_java)" || die "no JDK >= 21 found (JAVA_HOME=${JAVA_HOME:-unset}, /usr/lib/jvm/*); install one or set JAVA_HOME"
  JAVA="$JDK/bin/java"
  JAVA_VERSION="$("$JAVA" -version 2>&1 | head -n1)"
  log "JDK: $JDK ($JAVA_VERSION)"
}

bench_build() {
  local class="$1" build_log
  if (( BUILD )); then
    command -v mvn >/dev/null 2>&1 || die "mvn is required to build the test classes"
    build_log="$(mktemp "/tmp/$SCRIPT_NAME-build.XXXXXX")"
    log "building: mvn -B -q -DskipTests test-compile, then the test classpath"
    # shellcheck disable=SC2086 # BENCH_MVN_OPTS is a list of options
    if ! (cd "$ROOT" && JAVA_HOME="$JDK" mvn -B -q ${BENCH_MVN_OPTS:-} -DskipTests test-compile \
          && JAVA_HOME="$JDK" mvn -B -q ${BENCH_MVN_OPTS:-} dependency:build-classpath -Dmdep.outputFile="$CP_FILE" \
               -Dmdep.includeScope=test) >"$build_log" 2>&1; then
      echo "----- maven output (last 60 lines) -----" >&2; tail -n 60 "$build_log" >&2
      rm -f "$build_log"
      die "maven build failed"
    fi
    rm -f "$build_log"
  fi
  [[ -f "$ROOT/target/test-classes/org/opendesk/bench/$class.class" ]] \
    || die "target/test-classes has no $class (run without --no-build)"
  if [[ "${2:-}" == server ]]; then
    [[ -f "$ROOT/target/classes/org/opendesk/Main.class" ]] || die "target/classes has no server (run without --no-build)"
  fi
  [[ -s "$CP_FILE" ]] || die "$CP_FILE is missing (run without --no-build)"
  CLASSPATH="$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$CP_FILE")"
}

bench_result_files() {
  RESULTS_DIR="$BENCH_DIR/results"
  mkdir -p "$RESULTS_DIR"
  STAMP="$(date +%Y%m%d-%H%M%S)"
  RESULT_FILE="$RESULTS_DIR/$SCRIPT_NAME-$STAMP.txt"
  SERVER_LOG=""
  JFR_FILE=""
  if [[ "${1:-}" == server ]]; then
    SERVER_LOG="$RESULTS_DIR/$SCRIPT_NAME-$STAMP-server.log"
    [[ "${BENCH_JFR:-0}" != 1 ]] || JFR_FILE="$RESULTS_DIR/$SCRIPT_NAME-$STAMP.jfr"
  fi
}

# how busy the machine is before we start (another process skews every figure)
bench_idle_busy() {
  local b0 t0 b1 t1
  read -r b0 t0 < <(awk '/^cpu / {b = $2 + $3 + $4 + $7 + $8 + $9; print b, b + $5 + $6; exit}' /proc/stat)
  sleep 2
  read -r b1 t1 < <(awk '/^cpu / {b = $2 + $3 + $4 + $7 + $8 + $9; print b, b + $5 + $6; exit}' /proc/stat)
  IDLE_BUSY="$(awk -v b=$((b1 - b0)) -v t=$((t1 - t0)) -v n="$(nproc)" 'BEGIN {printf "%.0f", (t > 0) ? 100 * n * b / t : 0}')"
  (( IDLE_BUSY < 20 )) || log "WARNING: the machine is already ${IDLE_BUSY}% busy (100% = one core) before the run: results will be skewed"
}

# sockets need file descriptors on both sides (the server inherits this limit)
bench_open_files() {
  local need="$1" what="$2"
  (( $(ulimit -n) >= need )) || ulimit -n "$need" 2>/dev/null \
    || log "WARNING: open files limit $(ulimit -n) may be too low for $what"
}

bench_client_cmd() {
  SERVER_CPUS="${BENCH_CPUS:-}"
  cmd=()
  if [[ -n "${BENCH_CLIENT_CPUS:-}" ]]; then
    cmd=(taskset -c "$BENCH_CLIENT_CPUS")
    # the server is a child of the client: without its own list it would inherit the client's
    [[ -n "$SERVER_CPUS" ]] || SERVER_CPUS="0-$(($(nproc) - 1))"
  fi
}

bench_header() {
  echo "$1 — $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(sed -n 's/^PRETTY_NAME="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' /etc/os-release)"
  echo "JDK: $JAVA_VERSION; machine busy with no load just before the run: ${IDLE_BUSY}% (100% = one core)"
  if [[ "${2:-}" == server ]]; then
    echo "source: $(cd "$ROOT" && git log -1 --format='%h %cd' --date=format:'%Y-%m-%d %H:%M' 2>/dev/null || echo '?')$(cd "$ROOT" && [[ -n "$(git status --porcelain -- src/main db 2>/dev/null)" ]] && echo " + uncommitted changes: $(git status --porcelain -- src/main db | awk '{print $2}' | xargs -n1 basename | paste -sd, -)")"
    echo "server pinned to CPUs: ${SERVER_CPUS:-no}; client pinned to CPUs: ${BENCH_CLIENT_CPUS:-no}; open files limit $(ulimit -n)"
  fi
  echo "command: ${cmd[*]//$CLASSPATH/<test classpath>}"
}

bench_run() {
  local class="$1" rc
  set +e
  # the JVM's log lines (java.util.logging, ONNX warnings) go to stderr: kept apart from the figures
  "${cmd[@]}" 2> >(grep -v '^WARNING: maxLength' >&2) | tee -a "$RESULT_FILE"
  rc=${PIPESTATUS[0]}
  set -e
  if [[ -n "$SERVER_LOG" ]]; then
    (( rc == 0 )) || die "$class failed (exit code $rc); server log: ${SERVER_LOG#"$ROOT"/}"
    log "figures saved to ${RESULT_FILE#"$ROOT"/}; server log ${SERVER_LOG#"$ROOT"/}${JFR_FILE:+; JFR recording ${JFR_FILE#"$ROOT"/}}"
  else
    (( rc == 0 )) || die "$class failed (exit code $rc)"
    log "figures saved to ${RESULT_FILE#"$ROOT"/}"
  fi
  if [[ "${BENCH_STRICT:-0}" == 1 ]] && grep -q ' MISS$' "$RESULT_FILE"; then
    exit 1
  fi
}
