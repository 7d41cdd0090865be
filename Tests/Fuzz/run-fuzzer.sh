#!/usr/bin/env bash
# Fuzzes IRCKit's parsers with libFuzzer and AddressSanitizer for a given time.
#
#   Tests/Fuzz/run-fuzzer.sh SECONDS [TARGET]
#
# TARGET is json (the JSON parser), potential (the potential-file decoder, evaluating every
# surface that loads; the default), formula (the expression parser and compiler) or all
# (each in turn for SECONDS). The harness (FuzzHarness.swift) is compiled with IRCKit's
# sources by swiftc -sanitize=fuzzer,address; it is no SwiftPM target. The corpus is seeded
# from potentials/*.json (for formula: their energy formulas) and kept in .build/fuzz, so
# later runs continue from it. A crash, sanitizer report, timeout (10 s) or more than 2 GB
# of memory stops the run with a non-zero exit and leaves the input in .build/fuzz/findings-*.
set -euo pipefail

seconds=${1:?usage: run-fuzzer.sh SECONDS [json|potential|formula|all]}
target=${2:-potential}
root=$(cd "$(dirname "$0")/../.." && pwd)
swiftc=${SWIFTC:-$(command -v swiftc || echo /opt/swift/usr/bin/swiftc)}
work=$root/.build/fuzz
binary=$work/irc-fuzz
harness=$root/Tests/Fuzz/FuzzHarness.swift
mkdir -p "$work"

if [ ! -x "$binary" ] || [ -n "$(find "$root/Sources/IRCKit" "$harness" -name '*.swift' -newer "$binary" | head -1)" ]; then
  echo "compiling the fuzzer (IRCKit with -sanitize=fuzzer,address) ..." >&2
  mapfile -t sources < <(find "$root/Sources/IRCKit" -name '*.swift' | sort)
  if ! "$swiftc" -sanitize=fuzzer,address -parse-as-library -O -g -module-name IRCKitFuzz \
    "${sources[@]}" "$harness" -o "$binary" > "$work/build.log" 2>&1; then
    grep -v 'Cannot export local symbol' "$work/build.log" >&2
    exit 1
  fi
fi

seed() {  # seed TARGET DIR: the shipped files (or their formulas) into the corpus
  local corpus=$2
  mkdir -p "$corpus"
  if [ "$1" = formula ]; then
    python3 - "$root/potentials" "$corpus" <<'PY'
import json, pathlib, sys
for path in pathlib.Path(sys.argv[1]).glob("*.json"):
    energy = json.loads(path.read_text()).get("parameters", {}).get("energy")
    if isinstance(energy, str):
        (pathlib.Path(sys.argv[2]) / f"seed-{path.stem}").write_text(energy)
PY
  else
    for file in "$root"/potentials/*.json; do cp "$file" "$corpus/seed-$(basename "$file")"; done
  fi
}

run() {  # run TARGET
  local corpus=$work/corpus-$1
  seed "$1" "$corpus"
  echo "fuzzing $1 for $seconds s (corpus $corpus)" >&2
  IRC_FUZZ_TARGET=$1 "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=16384 -print_final_stats=1 -artifact_prefix="$work/findings-$1-" "$corpus"
}

case $target in
  all) for each in json potential formula; do run "$each"; done ;;
  json | potential | formula) run "$target" ;;
  *) echo "unknown target '$target': json, potential, formula or all" >&2; exit 64 ;;
esac
