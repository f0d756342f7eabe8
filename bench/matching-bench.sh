#!/usr/bin/env bash
# Benchmark of FAQ matching at the issue's scale: builds the test classes, then runs
# org.opendesk.bench.MatchingBench (src/test/java) in-process against a fresh embedded H2
# database: embeds and inserts N standard questions x 3 similar ones, times the index build
# from the database and its heap, warm matching latency (query embedding included) with 1 and
# 2 threads, and the full robot_test_answer decision. See bench/README.md.
#
# Usage: bench/matching-bench.sh [--no-build] [--help]
#   --no-build  use target/classes, target/test-classes and the saved classpath as they are
#
# Environment (all optional):
#   BENCH_QUESTIONS=10000   standard questions (each with BENCH_SIMILAR similar questions)
#   BENCH_SIMILAR=3         similar questions per standard question
#   BENCH_ZH_SHARE=0.7      share of Chinese questions (the rest English)
#   BENCH_QUERIES=2000      query set: half unseen paraphrases, half out-of-scope questions
#   BENCH_WARMUP=1000       warm-up queries before the measured ones
#   BENCH_MEASURED=5000     measured queries (single thread; the same number again with threads)
#   BENCH_THREADS=2         threads of the concurrent run
#   BENCH_DECISIONS=2000    measured robot_test_answer calls (after 500 warm-up calls)
#   BENCH_HEAP=2g           -Xmx of the benchmark JVM (the heap delta is measured inside)
#   BENCH_JAVA_OPTS         extra JVM options (e.g. -XX:+UseParallelGC)
#   BENCH_CPUS              optional taskset CPU list to pin the JVM (e.g. 0 or 0,1)
#   BENCH_SAMPLE=true       in-process stack sampling of the build and the matching runs
#   BENCH_STRICT=1          exit 1 when a target is missed
#   BENCH_MVN_OPTS          extra maven options for the build (e.g. -o to stay offline)
# Results are also saved to bench/results/matching-bench-*.txt (git-ignored).
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
CP_FILE="$ROOT/target/bench-test-classpath.txt"

BUILD=1
for arg in "$@"; do
  case "$arg" in
    --no-build) BUILD=0 ;;
    -h|--help) awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "matching-bench: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

log() { printf '[matching-bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[matching-bench] ERROR: %s\n' "$*" >&2; exit 1; }

QUESTIONS="${BENCH_QUESTIONS:-10000}"
SIMILAR="${BENCH_SIMILAR:-3}"
ZH_SHARE="${BENCH_ZH_SHARE:-0.7}"
QUERIES="${BENCH_QUERIES:-2000}"
WARMUP="${BENCH_WARMUP:-1000}"
MEASURED="${BENCH_MEASURED:-5000}"
THREADS="${BENCH_THREADS:-2}"
DECISIONS="${BENCH_DECISIONS:-2000}"
HEAP="${BENCH_HEAP:-2g}"
SAMPLE="${BENCH_SAMPLE:-true}"
for v in QUESTIONS SIMILAR QUERIES WARMUP MEASURED THREADS DECISIONS; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || die "BENCH_$v must be a whole number, got '${!v}'"
done
[[ "$ZH_SHARE" =~ ^(0(\.[0-9]+)?|1(\.0+)?)$ ]] || die "BENCH_ZH_SHARE must be between 0 and 1, got '$ZH_SHARE'"
[[ "$HEAP" =~ ^[0-9]+[kKmMgG]?$ ]] || die "BENCH_HEAP must look like 2g or 1536m, got '$HEAP'"

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
  BUILD_LOG="$(mktemp /tmp/matching-bench-build.XXXXXX)"
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
[[ -f "$ROOT/target/test-classes/org/opendesk/bench/MatchingBench.class" ]] \
  || die "target/test-classes has no MatchingBench (run without --no-build)"
[[ -s "$CP_FILE" ]] || die "$CP_FILE is missing (run without --no-build)"
CLASSPATH="$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$CP_FILE")"

# ---------------------------------------------------------------- run
RESULTS_DIR="$BENCH_DIR/results"
mkdir -p "$RESULTS_DIR"
RESULT_FILE="$RESULTS_DIR/matching-bench-$(date +%Y%m%d-%H%M%S).txt"

# how busy the machine is before we start (another process skews every figure)
read -r b0 t0 < <(awk '/^cpu / {b = $2 + $3 + $4 + $7 + $8 + $9; print b, b + $5 + $6; exit}' /proc/stat)
sleep 2
read -r b1 t1 < <(awk '/^cpu / {b = $2 + $3 + $4 + $7 + $8 + $9; print b, b + $5 + $6; exit}' /proc/stat)
IDLE_BUSY="$(awk -v b=$((b1 - b0)) -v t=$((t1 - t0)) -v n="$(nproc)" 'BEGIN {printf "%.0f", (t > 0) ? 100 * n * b / t : 0}')"
(( IDLE_BUSY < 20 )) || log "WARNING: the machine is already ${IDLE_BUSY}% busy (100% = one core) before the run: results will be skewed"

cmd=()
[[ -z "${BENCH_CPUS:-}" ]] || cmd=(taskset -c "$BENCH_CPUS")
# shellcheck disable=SC2206 # BENCH_JAVA_OPTS is a list of options
cmd+=("$JAVA" --add-modules jdk.incubator.vector "-Xmx$HEAP" -Dfile.encoding=UTF-8 ${BENCH_JAVA_OPTS:-}
  -Dbench.questions="$QUESTIONS" -Dbench.similar="$SIMILAR" -Dbench.zhShare="$ZH_SHARE"
  -Dbench.queries="$QUERIES" -Dbench.warmup="$WARMUP" -Dbench.measured="$MEASURED"
  -Dbench.threads="$THREADS" -Dbench.decisions="$DECISIONS" -Dbench.sample="$SAMPLE"
  -cp "$CLASSPATH" org.opendesk.bench.MatchingBench)

log "running MatchingBench: $QUESTIONS questions x $SIMILAR similar (a few minutes; embedding the texts takes most of it)"
{
  echo "Desk matching benchmark — $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(sed -n 's/^PRETTY_NAME="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' /etc/os-release)"
  echo "JDK: $JAVA_VERSION; machine busy with no load just before the run: ${IDLE_BUSY}% (100% = one core)"
  echo "command: ${cmd[*]//$CLASSPATH/<test classpath>}"
} | tee "$RESULT_FILE"

set +e
# the JVM's log lines (java.util.logging, ONNX warnings) go to stderr: kept apart from the figures
"${cmd[@]}" 2> >(grep -v '^WARNING: maxLength' >&2) | tee -a "$RESULT_FILE"
rc=${PIPESTATUS[0]}
set -e
(( rc == 0 )) || die "MatchingBench failed (exit code $rc)"
log "figures saved to ${RESULT_FILE#"$ROOT"/}"

if [[ "${BENCH_STRICT:-0}" == 1 ]] && grep -q ' MISS$' "$RESULT_FILE"; then
  exit 1
fi
