#!/bin/bash
# Coverage-guided fuzzing of every target in tests/fuzz/ with libFuzzer, ASan and UBSan.
#   scripts/fuzz.sh [--update-corpus] [SECONDS_PER_TARGET] [BUILD_DIR] [TARGET...]
#   scripts/fuzz.sh --ci SECONDS_TOTAL [BUILD_DIR] [TARGET...]
# SECONDS_PER_TARGET defaults to 60, BUILD_DIR to build-fuzz (configured with clang++ and
# -DVERIFIED_LIBFUZZER=ON, and built, if needed). TARGETs (e.g. policy tar_split) restrict the run.
# Each target starts from its corpus (tests/fuzz/corpus/<name>, read only) and its dictionary
# (tests/fuzz/<name>.dict) if there is one; inputs that add coverage go to a scratch directory.
# At the end they are merged minimised (-merge=1) into a copy of the corpus, whose size is
# reported; with --update-corpus the few that add the most edge coverage (at most 30 a target,
# none over 64 KB: the corpus lives in the repository) are added to tests/fuzz/corpus/ itself.
# --ci: what CI runs. SECONDS_TOTAL is the wall-clock budget of the fuzzing (the build is not
# counted): it is split evenly over the targets, $FUZZ_JOBS (default: nproc) at a time, each
# target getting at least 1 s (its whole corpus is replayed first, whatever its budget). No
# merge: the scratch inputs are dropped.
# Targets run $FUZZ_JOBS (default nproc) at a time in every mode. Per target the table gives
# libFuzzer's final stats: executions, executions/s, coverage (cov: edges, ft: features) and the
# corpus size before -> after the merge.
# Exit status: non-zero if any target crashed, leaked, timed out (-timeout=10) or ran out of
# memory (-rss_limit_mb=2048); the reproducer's path is printed (replay: fuzz_<name> FILE).
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD

update=0
ci=0
case ${1:-} in
  --update-corpus) update=1; shift ;;
  --ci) ci=1; shift ;;
esac
seconds=${1:-60}
build=${2:-build-fuzz}
shift $(($# < 2 ? $# : 2))
[[ $seconds =~ ^[0-9]+$ ]] || { echo "fuzz.sh: SECONDS must be a number" >&2; exit 2; }
jobs=${FUZZ_JOBS:-$(nproc)}
[[ $jobs =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: FUZZ_JOBS must be a positive number" >&2; exit 2; }

if [[ ! -f $build/build.ninja ]]; then
  launcher=()
  if command -v ccache > /dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
  # -O1 with line tables (as OSS-Fuzz builds): compiles faster than -O2 -g, keeps assertions,
  # and symbolised stacks still name file and line. A unity build (CMakeLists.txt): the
  # instrumented verifier library compiles in about a fifth of the CPU time.
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" -DCMAKE_CXX_COMPILER=clang++ \
    -DVERIFIED_LIBFUZZER=ON -DVERIFIED_BUILD_BENCH=OFF -DCMAKE_UNITY_BUILD="${VERIFIED_UNITY:-ON}" \
    "${launcher[@]}" > /dev/null
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
for t in "${targets[@]}"; do
  [[ -x $build/tests/fuzz/fuzz_$t ]] || { echo "fuzz.sh: no $build/tests/fuzz/fuzz_$t" >&2; exit 2; }
done

if ((ci)); then
  # Rounds of $jobs targets share the budget: ceil(targets / jobs) rounds.
  rounds=$(((${#targets[@]} + jobs - 1) / jobs))
  per=$((seconds / rounds))
  ((per >= 1)) || per=1
  echo "fuzz.sh --ci: ${#targets[@]} targets, $jobs at a time, ${per} s each (${seconds} s in all)"
else
  per=$seconds
  echo "fuzz.sh: ${#targets[@]} targets, $jobs at a time, ${per} s each"
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/verified-fuzz.XXXXXX")
echo "fuzz.sh: logs and artifacts in $work"
# Harnesses that write files (docker_layerdb, requirements, image_list) get a private working
# directory and TMPDIR on tmpfs when there is one: on disk they ran 8 times slower.
scratch=$work
if [[ -d /dev/shm && -w /dev/shm ]]; then
  scratch=$(mktemp -d /dev/shm/verified-fuzz.XXXXXX)
  trap 'rm -rf "$scratch"' EXIT
fi
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# The final line of a libFuzzer run ("#N DONE cov: C ft: F corp: ...") and its -print_final_stats.
fstat() { sed -n "s/^stat::$1: *//p" "$2" | tail -1; }
final() { grep -Eo "$1: [0-9]+" "$2" | tail -1 | awk '{print $2}'; }

# Fuzzes one target; its table row goes to $work/<t>/row, "failed" to $work/<t>/failed.
fuzz_one() {
  local t=$1 bin=$build/tests/fuzz/fuzz_$1 corpus=$src/tests/fuzz/corpus/$1
  local dir=$work/$1 dict=() rc=0 result=ok
  local cwd=$scratch/$1/cwd
  mkdir -p "$dir/new" "$dir/artifacts" "$cwd"
  if ((update)); then
    mkdir -p "$corpus"
  elif [[ ! -d $corpus ]]; then
    corpus=$dir/empty-corpus
    mkdir -p "$corpus"
  fi
  [[ -f $src/tests/fuzz/$t.dict ]] && dict=(-dict="$src/tests/fuzz/$t.dict")
  local before log=$dir/fuzz.log
  before=$(find "$corpus" -type f | wc -l)
  (cd "$cwd" && TMPDIR=$cwd "$bin" -max_total_time="$per" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$dir/artifacts/" "${dict[@]}" \
    "$dir/new" "$corpus") > "$log" 2>&1 || rc=$?
  if ((rc != 0)); then
    local repro
    repro=$(sed -n 's/.*Test unit written to //p' "$log" | tail -1)
    result="FAILED (exit $rc) reproducer: ${repro:-none written, see $log}"
    touch "$dir/failed"
  fi
  # Minimised merge of the new inputs. Without --update-corpus: libFuzzer's -merge=1 into a copy
  # of the corpus (how much it would grow). With it: the new inputs that reach the most edges
  # not yet covered, at most $FUZZ_PICK (default 30) per target, each adding at least 3 edges
  # (scripts/fuzz-corpus-pick.py), are copied into tests/fuzz/corpus/.
  local after=-
  if ((ci == 0)); then
    local keep=$dir/merge-in out=$dir/merged
    mkdir -p "$keep" "$out"
    ((update)) || cp -a "$corpus/." "$out/"
    find "$dir/new" -type f -size -65537c -exec cp {} "$keep/" \;
    if ((rc == 0)) && [[ -n $(ls -A "$keep") ]]; then
      local merge=(-merge=1 -timeout=10 -rss_limit_mb=2048 "$out" "$keep")
      ((update)) && merge=(-merge=1 -use_counters=0 -merge_control_file="$dir/merge.ctl"
        -timeout=10 -rss_limit_mb=2048 "$out" "$corpus" "$keep")
      if (cd "$cwd" && TMPDIR=$cwd "$bin" "${merge[@]}") > "$dir/merge.log" 2>&1; then
        if ((update)); then
          "$src/scripts/fuzz-corpus-pick.py" "$dir/merge.ctl" "$corpus" "${FUZZ_PICK:-30}" 3 |
            while IFS= read -r f; do cp "$f" "$corpus/"; done
        fi
      else
        result="FAILED merge, see $dir/merge.log"
        touch "$dir/failed"
      fi
    fi
    if ((update)); then
      after=$(find "$corpus" -type f | wc -l)
    else
      after=$(find "$out" -type f | wc -l)
    fi
  fi
  printf '%-20s %12s %8s %7s %7s %13s %s\n' "$t" "$(fstat number_of_executed_units "$log")" \
    "$(fstat average_exec_per_sec "$log")" "$(final cov "$log")" "$(final ft "$log")" \
    "$before->$after" "$result" > "$dir/row"
}

start=$SECONDS
running=0
for t in "${targets[@]}"; do
  if ((running >= jobs)); then
    wait -n || true
    running=$((running - 1))
  fi
  fuzz_one "$t" &
  running=$((running + 1))
done
wait

failed=()
total=0
printf '%-20s %12s %8s %7s %7s %13s %s\n' target execs exec/s cov ft corpus result
for t in "${targets[@]}"; do
  if [[ ! -f $work/$t/row ]]; then
    printf '%-20s %s\n' "$t" "FAILED: no result (see $work/$t)"
    touch "$work/$t/failed"
  fi
  cat "$work/$t/row" 2> /dev/null || true
  execs=$(fstat number_of_executed_units "$work/$t/fuzz.log")
  total=$((total + ${execs:-0}))
  [[ -e $work/$t/failed ]] && failed+=("$t")
done

echo "fuzz.sh: $total executions in all, $((SECONDS - start)) s"
if ((${#failed[@]} > 0)); then
  echo "fuzz.sh: FAILED: ${failed[*]} (logs in $work)" >&2
  for t in "${failed[@]}"; do
    echo "--- $t: $work/$t/fuzz.log" >&2
    grep -E 'ERROR: |runtime error|SUMMARY|==[0-9]+== ' "$work/$t/fuzz.log" | head -8 >&2 || true
  done
  exit 1
fi
echo "fuzz.sh: all ${#targets[@]} targets ran ${per} s each without a finding"
