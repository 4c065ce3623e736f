#!/usr/bin/env bash
# Runs the Siyu benchmark harness against the shaded server jar.
#   bench/run.sh [--build] [import|segment|all|recompute] [--rows N] [other SiyuBench options]
# Builds target/siyu.jar first when it is missing, or always with --build.
set -euo pipefail
cd "$(dirname "$0")/.."

build=0
args=()
for a in "$@"; do
  if [ "$a" = "--build" ]; then build=1; else args+=("$a"); fi
done

if [ "$build" = 1 ] || [ ! -f target/siyu.jar ]; then
  echo "building target/siyu.jar ..."
  mvn -q -B package -DskipTests
fi

exec java -cp target/siyu.jar bench/SiyuBench.java ${args[@]+"${args[@]}"}
