#!/usr/bin/env bash
# Matching quality on public data (SemEval STS 2012/2013 pairs from the Maven artifact
# org.dkpro.similarity:dkpro-similarity-uima-data-asl:2.3.0): keyword baseline vs hybrid.
# Prints two markdown tables (retrieval, calibration). Takes about 3 minutes. See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=bench/jdk.sh
source bench/jdk.sh
JAVA_HOME="$(find_java)" || { echo "no JDK >= 21 found (set JAVA_HOME)" >&2; exit 1; }
export JAVA_HOME

mvn -B -q -DskipTests test-compile
CP_FILE=$(mktemp)
trap 'rm -f "$CP_FILE"' EXIT
mvn -B -q dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test >/dev/null
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -Xmx2g \
  -Djava.util.logging.config.file=/dev/null \
  -cp "target/test-classes:target/classes:$(cat "$CP_FILE")" org.opendesk.bench.MatchingQualityEval
