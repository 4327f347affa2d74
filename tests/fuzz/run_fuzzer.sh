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
  fuzz_pglog)
    # PostgreSQL csvlog sample and pgaudit's regression output, cut into pieces,
    # each behind a format byte: 0 stderr (prefix detected), 1 csvlog, 2 jsonlog,
    # 3 stderr with the Debian prefix.
    csv="$data/logs/elastic-beats/filebeat/module/postgresql/log/test/postgresql-11-connection-disconnection.csv.log"
    out="$data/logs/pgaudit/expected/pgaudit.out"
    if [[ -f "$csv" ]]; then
      { printf '\001'; cat "$csv"; } > "$work/seeds/$n.log"; n=$((n + 1))
    fi
    if [[ -f "$out" ]]; then
      for start in 1 400 800 1200 1600 2000 2400; do
        { printf '\000'; sed -n "${start},$((start + 60))p" "$out" | grep -A3 'AUDIT: ' |
            sed 's/^\(NOTICE\|WARNING\|LOG\):/2024-05-02 09:00:00.000 UTC [42] u@db \1:/; s/^\([^0-9-]\)/\t\1/'; } \
          > "$work/seeds/$n.log"; n=$((n + 1))
      done
    fi
    printf '\002{"timestamp":"2024-05-02 09:00:02.000 UTC","user":"u","dbname":"crm","pid":200,"remote_host":"10.0.0.7","remote_port":51000,"session_id":"6633a2c1.c8","line_num":3,"ps":"SELECT","session_start":"2024-05-02 09:00:01 UTC","vxid":"3/12","txid":0,"error_severity":"LOG","message":"AUDIT: SESSION,1,1,READ,SELECT,TABLE,public.customers,\\"SELECT 1\\",<none>,3","application_name":"psql","backend_type":"client backend","query_id":-64}\n' \
      > "$work/seeds/$n.log"; n=$((n + 1))
    printf '\0032024-05-02 09:00:03.000 UTC [200] a@b ERROR:  42P01: relation "x" does not exist\n2024-05-02 09:00:03.000 UTC [200] a@b STATEMENT:  select *\n\tfrom x;\n2024-05-02 09:00:06.000 UTC [300] [unknown]@[unknown] LOG:  connection received: host=10.0.0.9 port=40000\n2024-05-02 09:00:05.000 UTC [200] a@b LOG:  disconnection: session time: 0:00:04.000 user=a database=b host=10.0.0.7 port=51000\n' \
      > "$work/seeds/$n.log"; n=$((n + 1))
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
