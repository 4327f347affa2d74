#!/usr/bin/env python3
"""bench/common/inari_adapter.py — the inari adapter, shared by evtx_parse/ and json_parse/.

Drives the inari CLI ($INARI_BIN, default <repo>/build/src/cli/inari) through its benchmark
contract:

    inari hunt --threads N --quiet --summary json PATH...
    -> one JSON object on stdout at the end with at least
       {"events": N, "bytes": B, "seconds": S, "files": F, "errors": {...}}

and turns it into the same JSON result line the other adapters print:
    {"impl":"inari","threads":N,"records":R,"bytes":B,"seconds":S,...}

Usage: inari_adapter.py [--threads N] [--min-seconds S | --repeat K] FILE...
  Work is looped inside one process by passing the file list K times on the command line.
  Without --repeat, a first run with K=1 (which also warms up) calibrates K so one run lasts at
  least --min-seconds (default 10). If K copies of the list do not fit on a command line, the
  paths are replaced by short symlinks in a temp dir (same files, cwd = that dir); if even that
  is too long, several invocations are summed. "seconds" is inari's own figure (summed over
  invocations); "wall_seconds" adds process start-up. "peak_rss_kb" is inari's own peak RSS
  (GNU time), the largest over the measured invocations; "cpu_seconds" its user+sys time.
  "records_per_pass" = events / K lets the driver check that inari saw every copy.
"""
import argparse
import json
import math
import os
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

ARG_BUDGET = 1_000_000  # bytes of argv per invocation; Linux allows ~2 MB with an 8 MB stack
MAX_REPEAT = 100_000


def argv_size(paths):
    return sum(len(os.fsencode(p)) + 1 + 8 for p in paths)  # + NUL + argv pointer


def run_inari(binary, threads, paths, repeat, cwd, timeout):
    cmd = [binary, "hunt", "--threads", str(threads), "--quiet", "--summary", "json",
           *(list(paths) * repeat)]
    cp, stats = benchlib.run_measured(cmd, timeout, cwd=cwd)
    # inari hunt exit codes: 0 all read; 1 some input damaged or unreadable (the shared corpus
    # has damaged records: still a valid measurement, the damage is counted in "errors");
    # 2 usage; 3 nothing readable.
    if cp.returncode not in (0, 1):
        sys.exit(f"inari_adapter: inari exited {cp.returncode}:\n{cp.stderr[-2000:]}")
    stats["exit_code"] = cp.returncode
    try:
        summary = benchlib.parse_json_result(cp.stdout)
    except ValueError as e:
        sys.exit(f"inari_adapter: cannot read inari's summary: {e}")
    for key in ("events", "bytes", "seconds"):
        if not isinstance(summary.get(key), (int, float)):
            sys.exit(f"inari_adapter: summary lacks numeric '{key}': {json.dumps(summary)[:300]}")
    return summary, stats


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--min-seconds", type=float, default=10.0)
    ap.add_argument("--repeat", type=int, default=None,
                    help="pass the list exactly this many times, one invocation, no calibration")
    ap.add_argument("--timeout", type=float, default=600.0, help="per invocation")
    ap.add_argument("--max-seconds", type=float, default=300.0,
                    help="stop adding invocations after this much wall time")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()

    binary = str(benchlib.inari_bin())
    if not os.access(binary, os.X_OK):
        sys.exit(f"inari_adapter: {binary} is not executable (build it, or set INARI_BIN)")
    files = [str(Path(f).resolve()) for f in args.files]

    calibration = None
    repeat = args.repeat
    if repeat is None:
        summary, _ = run_inari(binary, args.threads, files, 1, None, args.timeout)
        calibration = {"events": summary["events"], "seconds": summary["seconds"]}
        per_pass = max(float(summary["seconds"]), 1e-3)
        repeat = min(MAX_REPEAT, max(1, math.ceil(args.min_seconds * 1.1 / per_pass)))

    with tempfile.TemporaryDirectory(prefix="inari-bench-links-") as linkdir:
        paths, cwd = files, None
        if argv_size(files) * repeat > ARG_BUDGET:
            # Short names for the same files: "17.evtx" -> /abs/path/whatever.evtx
            paths = []
            for i, f in enumerate(files):
                name = f"{i}{''.join(Path(f).suffixes[-1:])}"
                os.symlink(f, os.path.join(linkdir, name))
                paths.append(name)
            cwd = linkdir
        per_call = max(1, min(repeat, ARG_BUDGET // max(1, argv_size(paths))))
        total = {"events": 0, "bytes": 0, "seconds": 0.0, "files": 0, "files_failed": 0,
                 "skipped_unsupported": 0}
        exit_codes = set()
        errors, rss_max, wall_total, cpu_total, calls, done, last = {}, None, 0.0, 0.0, 0, 0, None
        # Whole repeats only; keep going until the requested repeat count and (when calibrating)
        # the requested seconds are both reached, in case the calibration run was unlucky.
        while (done < repeat or (args.repeat is None and total["seconds"] < args.min_seconds
                                 and done < MAX_REPEAT)) and wall_total < args.max_seconds:
            k = min(per_call, repeat - done) if done < repeat else min(per_call, repeat)
            summary, stats = run_inari(binary, args.threads, paths, k, cwd, args.timeout)
            last = {k: v for k, v in summary.items() if k != "channels"}  # keep the line short
            exit_codes.add(stats["exit_code"])
            for key in total:
                total[key] += summary.get(key, 0) or 0
            for key, val in (summary.get("errors") or {}).items():
                if isinstance(val, (int, float)):
                    errors[key] = errors.get(key, 0) + val
            if stats["peak_rss_kb"] is not None:
                rss_max = max(rss_max or 0, stats["peak_rss_kb"])
            wall_total += stats["wall_seconds"]
            cpu_total += stats["cpu_seconds"]
            calls += 1
            done += k

    out = {"impl": "inari", "threads": args.threads, "records": total["events"],
           "bytes": total["bytes"], "seconds": round(total["seconds"], 6),
           "wall_seconds": round(wall_total, 6), "cpu_seconds": round(cpu_total, 3),
           "repeat": done, "invocations": calls,
           "files_per_pass": len(files), "files": total["files"],
           "files_failed": total["files_failed"],
           "skipped_unsupported": total["skipped_unsupported"],
           "exit_codes": sorted(exit_codes),
           "records_per_pass": total["events"] / done if done else 0,
           "peak_rss_kb": rss_max, "errors": errors, "used_symlinks": cwd is not None,
           "calibration": calibration, "last_summary": last}
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
