#!/usr/bin/env bash
# Runs one of Siyu's benchmark programs against the shaded server jar (see bench/README.md).
#   bench/run.sh [--build] SiyuBench [import|segment|all|recompute] [options]
#   bench/run.sh [--build] JourneyBench [welcome|birthday|all|dispatch] [options]
#   bench/run.sh [--build] WecomIngestBench [options]
#   bench/run.sh [--build] SignInBench [options]
# Builds target/siyu.jar and the bench classes (mvn -Pbench package -DskipTests) when either is
# missing, or always with --build. Run from anywhere: it works from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."

build=0
if [ "${1:-}" = "--build" ]; then
  build=1
  shift
fi
program="${1:-}"
case "$program" in
  SiyuBench|JourneyBench|WecomIngestBench|SignInBench) shift ;;
  *) echo "usage: bench/run.sh [--build] SiyuBench|JourneyBench|WecomIngestBench|SignInBench [scenario] [options]" >&2; exit 64 ;;
esac

if [ "$build" = 1 ] || [ ! -f target/siyu.jar ] || [ ! -f "target/test-classes/io/siyu/bench/$program.class" ]; then
  echo "building target/siyu.jar and the bench classes ..."
  mvn -q -B -Pbench package -DskipTests
fi

# the harness runs on the server's own jar (the same Camunda, Vert.x, JDBC driver and Jackson)
exec java -cp target/siyu.jar:target/test-classes "io.siyu.bench.$program" "$@"
