#!/bin/bash
# Coverage-guided fuzzing of every target in tests/fuzz/ with libFuzzer, ASan and UBSan.
#   scripts/fuzz.sh [--update-corpus] [SECONDS_PER_TARGET] [BUILD_DIR] [TARGET...]
# SECONDS_PER_TARGET defaults to 60, BUILD_DIR to build-fuzz (configured with clang++ and
# -DVERIFIED_LIBFUZZER=ON, and built, if needed). TARGETs (e.g. policy tar_split) restrict the run.
# Each target starts from its corpus (tests/fuzz/corpus/<name>, read only) and its dictionary
# (tests/fuzz/<name>.dict) if there is one; inputs that add coverage go to a scratch directory.
# At the end they are merged minimised (-merge=1) into a copy of the corpus, whose size is
# reported; with --update-corpus they are merged into tests/fuzz/corpus/ itself (CI does not
# pass it, so the tree stays clean).
# Exit status: non-zero if any target crashed, leaked, timed out (-timeout=10) or ran out of
# memory (-rss_limit_mb=2048); the reproducer's path is printed (replay: fuzz_<name> FILE).
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD

update=0
if [[ ${1:-} == --update-corpus ]]; then
  update=1
  shift
fi
seconds=${1:-60}
build=${2:-build-fuzz}
shift $(($# < 2 ? $# : 2))
[[ $seconds =~ ^[0-9]+$ ]] || { echo "fuzz.sh: SECONDS_PER_TARGET must be a number" >&2; exit 2; }

if [[ ! -f $build/build.ninja ]]; then
  launcher=()
  if command -v ccache > /dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
  # -O1 with line tables (as OSS-Fuzz builds): compiles faster than -O2 -g, keeps assertions,
  # and symbolised stacks still name file and line.
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" -DCMAKE_CXX_COMPILER=clang++ \
    -DVERIFIED_LIBFUZZER=ON -DVERIFIED_BUILD_BENCH=OFF "${launcher[@]}" > /dev/null
fi
grep -q '^VERIFIED_LIBFUZZER:BOOL=ON' "$build/CMakeCache.txt" ||
  { echo "fuzz.sh: $build is not a -DVERIFIED_LIBFUZZER=ON build" >&2; exit 2; }
cmake --build "$build" --target fuzz_all -- -j"$(nproc)"
build=$(cd "$build" && pwd)

if (($# > 0)); then
  targets=("$@")
else
  targets=()
  for f in tests/fuzz/*_fuzz.cpp; do
    n=${f##*/}
    targets+=("${n%_fuzz.cpp}")
  done
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/verified-fuzz.XXXXXX")
echo "fuzz.sh: ${#targets[@]} targets, ${seconds} s each; logs and artifacts in $work"
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# The final line of a libFuzzer run ("#N DONE cov: C ft: F corp: ...") and its -print_final_stats.
fstat() { sed -n "s/^stat::$1: *//p" "$2" | tail -1; }
final() { grep -Eo "$1: [0-9]+" "$2" | tail -1 | awk '{print $2}'; }

failed=()
total=0
printf '%-20s %12s %8s %7s %7s %13s %s\n' target execs exec/s cov ft corpus result
for t in "${targets[@]}"; do
  bin=$build/tests/fuzz/fuzz_$t
  corpus=$src/tests/fuzz/corpus/$t
  [[ -x $bin ]] || { echo "fuzz.sh: no $bin" >&2; exit 2; }
  mkdir -p "$work/$t/new" "$work/$t/artifacts" "$corpus"
  dict=()
  [[ -f $src/tests/fuzz/$t.dict ]] && dict=(-dict="$src/tests/fuzz/$t.dict")
  before=$(find "$corpus" -type f | wc -l)
  log=$work/$t/fuzz.log
  rc=0
  # Harnesses that write files get a private working directory.
  (cd "$work/$t" && "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$work/$t/artifacts/" "${dict[@]}" \
    "$work/$t/new" "$corpus") > "$log" 2>&1 || rc=$?
  result=ok
  if ((rc != 0)); then
    repro=$(sed -n 's/.*Test unit written to //p' "$log" | tail -1)
    result="FAILED (exit $rc) reproducer: ${repro:-none written, see $log}"
    failed+=("$t")
  fi
  # Minimised merge of the new inputs: into the repo corpus if asked, else into a copy of it.
  dest=$corpus
  if ((update == 0)); then
    dest=$work/$t/merged
    mkdir -p "$dest"
    cp -a "$corpus/." "$dest/"
  fi
  if ((rc == 0)) && [[ -n $(ls -A "$work/$t/new") ]]; then
    (cd "$work/$t" && "$bin" -merge=1 -timeout=10 -rss_limit_mb=2048 "$dest" "$work/$t/new") \
      > "$work/$t/merge.log" 2>&1 || { result="FAILED merge, see $work/$t/merge.log"; failed+=("$t"); }
  fi
  after=$(find "$dest" -type f | wc -l)
  execs=$(fstat number_of_executed_units "$log")
  total=$((total + ${execs:-0}))
  printf '%-20s %12s %8s %7s %7s %13s %s\n' "$t" "$execs" \
    "$(fstat average_exec_per_sec "$log")" "$(final cov "$log")" "$(final ft "$log")" \
    "$before->$after" "$result"
done

echo "fuzz.sh: $total executions in all"
if ((${#failed[@]} > 0)); then
  echo "fuzz.sh: FAILED: ${failed[*]} (logs in $work)" >&2
  for t in "${failed[@]}"; do
    echo "--- $t: $work/$t/fuzz.log" >&2
    grep -E 'ERROR: |runtime error|SUMMARY' "$work/$t/fuzz.log" | head -5 >&2 || true
  done
  exit 1
fi
echo "fuzz.sh: all ${#targets[@]} targets ran ${seconds} s without a finding"
