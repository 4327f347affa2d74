#!/usr/bin/python3
"""bench/evtx_parse/python_evtx_adapter.py — the python-evtx adapter for the evtx_parse benchmark.

Question (see bench/README.md): how fast does each parser turn EVTX records into field values?
This adapter measures python-evtx (williballenthin/python-evtx, Debian's python3-evtx) doing the
work a consumer needs: open each file with Evtx.Evtx.Evtx(path), iterate records() and render
record.xml() for every record (python-evtx exposes values through the rendered XML).

Usage: python_evtx_adapter.py [--min-seconds S] [--min-passes P] [--max-seconds S] [--jobs N]
                              FILE...
  Loops over the file list until at least --min-seconds of wall time and --min-passes whole
  passes are done (checked after every file, because one pass over the corpus takes minutes) and
  stops early, after the file in progress, once --max-seconds have passed, so it may cover only
  a subset of the list; the files actually covered are counted in "files_done". Prints one JSON
  line on stdout:
  {"impl":"python-evtx","threads":N,"records":R,"bytes":B,"seconds":S,...}
  bytes = on-disk size of every file fully processed. Files python-evtx cannot open are skipped
  and counted. --jobs N runs N worker processes (the GIL rules out threads), each taking the
  next file of the list; files are counted as they complete, work in flight at the stop is dropped.

Needs the Debian interpreter (/usr/bin/python3), where python3-evtx is installed.
"""
import argparse
import importlib.metadata
import json
import multiprocessing
import os
import sys
import time

try:
    import Evtx
    import Evtx.Evtx
except ImportError:  # pragma: no cover - environment problem, reported clearly
    sys.exit("python_evtx_adapter: python-evtx not importable from %s; run it with /usr/bin/python3"
             % sys.executable)


def consume_file(path):
    """Renders every record of one file; returns (records, errors, bytes, xml_chars, opened)."""
    records = errors = xml_chars = 0
    try:
        size = os.path.getsize(path)
        log = Evtx.Evtx.Evtx(path)
        log.__enter__()
    except Exception:  # python-evtx raises plain Exceptions / struct errors on bad input
        return 0, 0, 0, 0, False
    try:
        it = log.records()
        while True:
            try:
                record = next(it)
            except StopIteration:
                break
            except Exception:
                errors += 1  # a bad chunk or record header ends this file's iteration
                break
            try:
                xml = record.xml()
                xml_chars += len(xml)
                records += 1
            except Exception:
                errors += 1
    finally:
        log.__exit__(None, None, None)
    return records, errors, size, xml_chars, True


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--min-seconds", type=float, default=10.0)
    ap.add_argument("--max-seconds", type=float, default=None,
                    help="stop after the file in progress once this much time has passed "
                         "(default: no limit beyond --min-seconds)")
    ap.add_argument("--min-passes", type=int, default=0,
                    help="also require this many whole passes (unless --max-seconds stops first)")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()

    totals = dict(records=0, record_errors=0, bytes=0, xml_chars=0, files_done=0,
                  skipped_files=0)
    passes = 0
    start = time.monotonic()

    def add(result):
        records, errors, size, xml_chars, opened = result
        if not opened:
            totals["skipped_files"] += 1
            return
        totals["records"] += records
        totals["record_errors"] += errors
        totals["bytes"] += size
        totals["xml_chars"] += xml_chars
        totals["files_done"] += 1

    def done():
        elapsed = time.monotonic() - start
        if args.max_seconds is not None and elapsed >= args.max_seconds:
            return True
        return elapsed >= args.min_seconds and passes >= args.min_passes

    pool = multiprocessing.Pool(args.jobs) if args.jobs > 1 else None
    try:
        stop = False
        while not stop:
            results = (map(consume_file, args.files) if pool is None
                       # Counted as files complete; terminating the pool drops work in flight.
                       else pool.imap_unordered(consume_file, args.files, chunksize=1))
            seen = 0
            for result in results:
                add(result)
                seen += 1
                if seen == len(args.files):
                    passes += 1
                if done():
                    stop = True
                    break
    finally:
        elapsed = time.monotonic() - start
        if pool is not None:
            pool.terminate()
            pool.join()

    try:
        version = importlib.metadata.version("python-evtx")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    out = {"impl": "python-evtx", "version": version,
           "threads": args.jobs, "records": totals["records"], "bytes": totals["bytes"],
           "seconds": round(elapsed, 6), "full_passes": passes,
           "files_per_pass": len(args.files), **{k: v for k, v in totals.items()
                                                  if k not in ("records", "bytes")},
           "python": sys.version.split()[0]}
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
