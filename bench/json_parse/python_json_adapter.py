#!/usr/bin/env python3
"""bench/json_parse/python_json_adapter.py — the Python baseline for the json_parse benchmark.

Question (see bench/README.md): how many MB/s and events/s per core does inari's JSON Lines
reader reach? This adapter is the floor to compare with: CPython's json.loads() on every line
(the C-accelerated decoder), reading the file in binary, one thread.

Usage: python_json_adapter.py [--min-seconds S] FILE...
  One pass over the files, repeated until --min-seconds (default 0: a single pass). Prints
  {"impl":"python-json","threads":1,"records":R,"bytes":B,"seconds":S,...}; records = lines that
  parsed to a JSON value, blank lines skipped, lines that fail counted in "record_errors".
"""
import argparse
import json
import sys
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--min-seconds", type=float, default=0.0)
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    loads = json.loads
    records = errors = nbytes = passes = 0
    start = time.monotonic()
    while True:
        for path in args.files:
            with open(path, "rb", buffering=1 << 20) as f:
                for line in f:
                    nbytes += len(line)
                    if not line.strip():
                        continue
                    try:
                        loads(line)
                        records += 1
                    except ValueError:
                        errors += 1
        passes += 1
        if time.monotonic() - start >= args.min_seconds:
            break
    elapsed = time.monotonic() - start
    print(json.dumps({"impl": "python-json", "threads": 1, "records": records, "bytes": nbytes,
                      "seconds": round(elapsed, 6), "passes": passes, "record_errors": errors,
                      "python": sys.version.split()[0]}), flush=True)


if __name__ == "__main__":
    main()
