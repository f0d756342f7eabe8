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

SCRIPT_NAME=matching-bench
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_args "${BASH_SOURCE[0]}" "$@"

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

# ---------------------------------------------------------------- JDK >= 21, build
bench_find_jdk
bench_build MatchingBench

# ---------------------------------------------------------------- run
bench_result_files
bench_idle_busy

cmd=()
[[ -z "${BENCH_CPUS:-}" ]] || cmd=(taskset -c "$BENCH_CPUS")
# shellcheck disable=SC2206 # BENCH_JAVA_OPTS is a list of options
cmd+=("$JAVA" --add-modules jdk.incubator.vector "-Xmx$HEAP" -Dfile.encoding=UTF-8 ${BENCH_JAVA_OPTS:-}
  -Dbench.questions="$QUESTIONS" -Dbench.similar="$SIMILAR" -Dbench.zhShare="$ZH_SHARE"
  -Dbench.queries="$QUERIES" -Dbench.warmup="$WARMUP" -Dbench.measured="$MEASURED"
  -Dbench.threads="$THREADS" -Dbench.decisions="$DECISIONS" -Dbench.sample="$SAMPLE"
  -cp "$CLASSPATH" org.opendesk.bench.MatchingBench)

log "running MatchingBench: $QUESTIONS questions x $SIMILAR similar (a few minutes; embedding the texts takes most of it)"
bench_header "Desk matching benchmark" | tee "$RESULT_FILE"
bench_run MatchingBench
