# Sourced by the benchmark scripts: find_java prints a JDK >= 21 (JAVA_HOME when it is one,
# else the newest under /usr/lib/jvm), or fails; the default java on PATH may be 17.

java_major() { # prints the major version of the given java binary, or nothing
  "$1" -version 2>&1 | awk -F'"' '/version/ {print $2; exit}' \
    | awk -F. '{ v = ($1 == "1") ? $2 : $1; sub(/[^0-9].*/, "", v); print v }'
}

find_java() {
  local cand major best="" best_major=0
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    major="$(java_major "$JAVA_HOME/bin/java")"
    if [[ -n "$major" ]] && (( major >= 21 )); then
      echo "$JAVA_HOME"; return 0
    fi
  fi
  for cand in /usr/lib/jvm/*/; do
    cand="${cand%/}"
    [[ -x "$cand/bin/java" && ! -L "$cand" ]] || continue
    major="$(java_major "$cand/bin/java")"
    [[ -n "$major" ]] || continue
    if (( major >= 21 && major > best_major )); then best="$cand"; best_major=$major; fi
  done
  [[ -n "$best" ]] || return 1
  echo "$best"
}
