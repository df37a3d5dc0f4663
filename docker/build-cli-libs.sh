#!/usr/bin/env bash
# Gathers the CLI's runtime class path into docker/build/cli-lib/ for Dockerfile.cli.
#
#   mvn -B -pl cli -am package -DskipTests     # writes cli/target/classpath.txt (maven-dependency-plugin
#                                              # build-classpath, runtime scope) and the CLI jar
#   docker/build-cli-libs.sh
#
# Copies every jar listed in cli/target/classpath.txt (dependencies from the local Maven repository
# and the reactor's own module jars) plus cli/target/streamctr-cli-*.jar. The image runs
# `java -cp '/app/lib/*' io.streamctr.cli.Main`, so the order of the jars does not matter, but two
# jars with one file name would overwrite each other: that is an error here.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
classpath_file="$root/cli/target/classpath.txt"
out="$root/docker/build/cli-lib"

if [[ ! -s "$classpath_file" ]]; then
  echo "missing $classpath_file: run 'mvn -B -pl cli -am package -DskipTests' first" >&2
  exit 1
fi

shopt -s nullglob
cli_jars=("$root"/cli/target/streamctr-cli-*.jar)
shopt -u nullglob
if [[ ${#cli_jars[@]} -ne 1 ]]; then
  echo "expected exactly one cli/target/streamctr-cli-*.jar, found ${#cli_jars[@]}" >&2
  exit 1
fi

rm -rf "$out"
mkdir -p "$out"

# (read returns 1 at an end of file without a newline: the file has none)
IFS=":" read -r -a entries < "$classpath_file" || true
count=0
for entry in "${entries[@]}" "${cli_jars[0]}"; do
  [[ -z "$entry" ]] && continue
  if [[ ! -f "$entry" || "$entry" != *.jar ]]; then
    echo "not a jar file: $entry (run the mvn package command above, not only compile)" >&2
    exit 1
  fi
  name="$(basename "$entry")"
  if [[ -e "$out/$name" ]]; then
    echo "two class path entries named $name; the second is $entry" >&2
    exit 1
  fi
  cp "$entry" "$out/$name"
  count=$((count + 1))
done

echo "copied $count jars ($(du -sh "$out" | cut -f1)) to ${out#"$root"/}"
