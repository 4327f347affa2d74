#!/usr/bin/env python3
"""bench/json_parse/jq_adapter.py — the jq comparison for the json_parse benchmark (optional).

Question (see bench/README.md): how many MB/s and events/s per core does inari's JSON Lines
reader reach? jq is the command-line tool people reach for; `jq -c . FILE > /dev/null` parses
every value and re-serialises it compactly (more work than parsing alone: read the ratio as
an upper bound on jq's parse cost).

Usage: jq_adapter.py FILE...
  One pass. Prints {"impl":"jq","threads":1,"records":R,"bytes":B,"seconds":S,...}, records =
  non-blank lines (counted before the timed run), peak_rss_kb = jq's own (os.wait4).
"""
import json
import os
import shutil
import subprocess
import sys
import time


def main():
    files = sys.argv[1:]
    if not files or files[0].startswith("-"):
        sys.exit("usage: jq_adapter.py FILE...")
    jq = shutil.which("jq")
    if jq is None:
        sys.exit("jq_adapter: jq not installed")
    records = nbytes = 0
    for path in files:
        with open(path, "rb", buffering=1 << 20) as f:
            for line in f:
                nbytes += len(line)
                records += bool(line.strip())
    version = subprocess.run([jq, "--version"], capture_output=True, text=True).stdout.strip()
    start = time.monotonic()
    proc = subprocess.Popen([jq, "-c", ".", *files], stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"jq_adapter: jq exited {proc.returncode}")
    print(json.dumps({"impl": "jq", "version": version, "threads": 1, "records": records,
                      "bytes": nbytes, "seconds": round(elapsed, 6),
                      "peak_rss_kb": usage.ru_maxrss,
                      "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 3)}), flush=True)


if __name__ == "__main__":
    main()
