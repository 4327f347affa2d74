#!/usr/bin/env bash
# run_fuzzer.sh FUZZER SECONDS SHARED_DATA WORKDIR
# Seeds a corpus from ../shared/data (EVTX files cut to their first chunk so
# inputs stay small; JSON files cut to their first lines), runs the fuzzer for
# SECONDS, and fails if it finds a crash, leak, hang or sanitizer report.
set -euo pipefail
fuzzer=$1 seconds=$2 data=$3 work=$4
rm -rf "$work"
mkdir -p "$work/corpus" "$work/seeds" "$work/artifacts"
n=0
case "$(basename "$fuzzer")" in
  fuzz_evtx)
    while IFS= read -r -d '' f; do
      head -c $((4096 + 65536)) "$f" > "$work/seeds/$n.evtx"; n=$((n + 1))
    done < <(find "$data/evtx" -name '*.evtx' -print0 | sort -z | head -z -n 120)
    ;;
  fuzz_json)
    while IFS= read -r -d '' f; do
      { printf 'A'; head -c 16384 "$f"; } > "$work/seeds/$n.json"; n=$((n + 1))
    done < <(find "$data/sigma/regression_data" -name '*.json' -print0 | sort -z | head -z -n 80)
    while IFS= read -r -d '' z; do
      { printf 'D'; unzip -p "$z" 2>/dev/null | head -n 20 || true; } > "$work/seeds/$n.json"; n=$((n + 1))
    done < <(find "$data/json/otrf" -name '*.zip' -print0 | sort -z | head -z -n 20)
    ;;
esac
echo "seeds: $n"
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=70000 \
  -artifact_prefix="$work/artifacts/" -print_final_stats=1 "$work/corpus" "$work/seeds" 2>&1 | tail -n 25
rc=${PIPESTATUS[0]}
if ls "$work/artifacts"/* >/dev/null 2>&1; then
  echo "fuzzer left artifacts:"; ls -l "$work/artifacts"
  exit 1
fi
exit "$rc"
