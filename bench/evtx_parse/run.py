#!/usr/bin/env python3
"""bench/evtx_parse/run.py — driver for the evtx_parse benchmark (Python 3 stdlib only).

QUESTION: How fast does each parser turn EVTX records into field values?
  Compared: inari (its own EVTX reader, via `inari hunt --quiet --summary json`),
            libevtx 20181227 (C API in-process: ids, written time, event id, rendered XML),
            python-evtx 0.6.1 (record.xml() for every record).
  Data:     every *.evtx under $INARI_SHARED_DATA/evtx and $INARI_SHARED_DATA/sigma/regression_data
            (default $INARI_SHARED_DATA = <repo>/../shared/data), one deterministic shuffled list
            handed to every implementation; page cache warmed first.
  Sizes:    each implementation loops over the list until >= --min-seconds (default 10) of work;
            python-evtx does one full pass (about 2 min) capped by --python-max-seconds, and may
            then cover a random prefix of the list (reported as files_done/files).
  Threads:  1 and all CPUs (inari --threads N; libevtx one handle per thread; python-evtx N
            processes).
  Reports:  records/s and MB/s (MB = 1e6 bytes of .evtx file), ratio to libevtx 1 thread,
            peak RSS (GNU time), inari's peak RSS at 1x and 10x the corpus (memory stays flat?).

It builds nothing. Build first (from the repo root):
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DINARI_BUILD_BENCH=ON
  cmake --build build -j"$(nproc)" --target inari bench_libevtx
  python3 bench/evtx_parse/run.py              # ~6 min on 2 cores
  python3 bench/evtx_parse/run.py --quick      # ~1 min smoke run, numbers not for publishing
Binaries: $INARI_BIN (default build/src/cli/inari), $BENCH_LIBEVTX (default
build/bench/bench_libevtx); python-evtx runs under $BENCH_PYTHON (default /usr/bin/python3).
An implementation whose binary is missing is skipped and shown as such.
"""
import argparse
import os
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(HERE.parent / "common"))
import benchlib  # noqa: E402
from benchlib import MB, fmt_num, fmt_ratio, log, rate  # noqa: E402

CORPUS_DIRS = ("evtx", "sigma/regression_data")


def corpus(data_dir, seed):
    files = []
    for sub in CORPUS_DIRS:
        root = data_dir / sub
        if not root.is_dir():
            sys.exit(f"run.py: {root} missing (set INARI_SHARED_DATA)")
        files += [p for p in root.rglob("*.evtx") if p.is_file()]
    files.sort()
    # Shuffled once with a fixed seed so that any prefix (python-evtx's subset) is a fair sample.
    random.Random(seed).shuffle(files)
    return [str(p) for p in files]


def main():
    ap = argparse.ArgumentParser(
        description="evtx_parse benchmark: inari vs libevtx vs python-evtx")
    ap.add_argument("--min-seconds", type=float, default=10.0,
                    help="work per implementation and thread count (inari, libevtx)")
    ap.add_argument("--python-max-seconds", type=float, default=300.0,
                    help="cap for each python-evtx run (it stops after the file in progress)")
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1,
                    help="the 'all threads' count (default: nproc)")
    ap.add_argument("--only", default="inari,libevtx,python-evtx",
                    help="comma-separated implementations to run")
    ap.add_argument("--no-python-mt", action="store_true", help="skip python-evtx with N processes")
    ap.add_argument("--no-rss-scaling", action="store_true", help="skip inari's 1x/10x RSS runs")
    ap.add_argument("--quick", action="store_true",
                    help="smoke run: 2 s per implementation, python-evtx 20 s")
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--out", default=str(HERE / "results.json"), help="JSON results file")
    args = ap.parse_args()
    if args.quick:
        args.min_seconds, args.python_max_seconds = 2.0, 20.0
    only = set(args.only.split(","))
    nthreads = max(1, args.threads)

    root = benchlib.repo_root()
    data = benchlib.shared_data()
    files = corpus(data, args.seed)
    corpus_bytes = sum(os.path.getsize(f) for f in files)
    log(f"corpus: {len(files)} files, {corpus_bytes / MB:.1f} MB under {data}")
    benchlib.warm_page_cache(files)
    load_before = benchlib.warn_if_busy()

    libevtx_bin = Path(os.environ.get("BENCH_LIBEVTX", root / "build" / "bench" / "bench_libevtx"))
    inari = benchlib.inari_bin()
    py = benchlib.debian_python()
    timeout = args.min_seconds * 4 + 300
    py_timeout = args.python_max_seconds + 300
    thread_counts = [1] if nthreads == 1 else [1, nthreads]

    results, skipped = [], []

    def have(impl, path):
        if impl not in only:
            return False
        if not os.access(path, os.X_OK):
            skipped.append(f"{impl}: {path} not found/executable")
            log(f"[{impl}] SKIPPED: {path} not found (build it or set the env override)")
            return False
        return True

    if have("libevtx", libevtx_bin):
        for t in thread_counts:
            results.append(benchlib.run_adapter(
                f"libevtx {t}T",
                [libevtx_bin, "--min-seconds", args.min_seconds, "--threads", t, *files], timeout))
    if have("inari", inari):
        for t in thread_counts:
            results.append(benchlib.run_adapter(
                f"inari {t}T",
                [sys.executable, HERE.parent / "common" / "inari_adapter.py", "--threads", t,
                 "--min-seconds", args.min_seconds, *files], timeout))
    if "python-evtx" in only:
        for t in thread_counts:
            if t > 1 and args.no_python_mt:
                continue
            # --min-passes 1: one whole pass unless --max-seconds stops it first.
            results.append(benchlib.run_adapter(
                f"python-evtx {t}T",
                [py, HERE / "python_evtx_adapter.py", "--jobs", t, "--min-seconds", 0,
                 "--min-passes", 1, "--max-seconds", args.python_max_seconds, *files], py_timeout))

    rss_scaling = []
    if "inari" in only and not args.no_rss_scaling and os.access(inari, os.X_OK):
        for k in (1, 10):
            r = benchlib.run_adapter(
                f"inari 1T x{k} corpus",
                [sys.executable, HERE.parent / "common" / "inari_adapter.py", "--threads", 1,
                 "--repeat", k, *files], timeout)
            rss_scaling.append({"corpus_copies": k, **r})

    # ---- report -------------------------------------------------------------------------------
    ok = [r for r in results if "error" not in r]
    base = next((r for r in ok if r.get("impl") == "libevtx" and r.get("threads") == 1), None)
    base_rps = rate(base, "records") if base else 0
    base_mbps = rate(base, "bytes") / MB if base else 0

    headers = ["impl", "threads", "records", "MB", "seconds", "records/s", "MB/s",
               "rec/s vs libevtx 1T", "MB/s vs libevtx 1T", "peak RSS MB", "CPU%", "rec/CPU-s",
               "records/pass", "files"]
    rows = []
    for r in results:
        if "error" in r:
            rows.append([r["name"], "", "FAILED", *[""] * 10, r["error"][:40]])
            continue
        rps, mbps = rate(r, "records"), rate(r, "bytes") / MB
        passes = r.get("passes") or r.get("repeat")
        if r.get("impl") == "python-evtx":
            files_col = f"{r.get('files_done')}/{r.get('files_per_pass')}"
            per_pass = "-" if not r.get("full_passes") else fmt_num(
                round(r["records"] / r["full_passes"]))
        else:
            files_col = str(r.get("files_per_pass"))
            per_pass = fmt_num(round(r["records"] / passes)) if passes else "-"
        r["records_per_s"], r["mb_per_s"] = rps, mbps
        cpu = r.get("cpu_seconds")
        r["records_per_cpu_second"] = r["records"] / cpu if cpu else None
        r["ratio_records_per_s_vs_libevtx_1t"] = rps / base_rps if base_rps else None
        r["ratio_mb_per_s_vs_libevtx_1t"] = mbps / base_mbps if base_mbps else None
        rows.append([
            r["name"].split()[0], r.get("threads"), fmt_num(r["records"]),
            f"{r['bytes'] / MB:,.1f}", f"{r['seconds']:.2f}", fmt_num(round(rps)), f"{mbps:,.2f}",
            fmt_ratio(rps / base_rps) if base_rps else "-",
            fmt_ratio(mbps / base_mbps) if base_mbps else "-",
            f"{r['peak_rss_kb'] / 1024:.1f}" if r.get("peak_rss_kb") else "-",
            f"{benchlib.cpu_percent(r):.0f}" if benchlib.cpu_percent(r) else "-",
            fmt_num(round(r["records_per_cpu_second"])) if cpu else "-", per_pass, files_col])

    print()
    print(f"evtx_parse: {len(files)} files, {corpus_bytes / MB:.1f} MB, "
          f"{os.cpu_count()} CPUs, load avg before {load_before:.2f}")
    benchlib.print_table(headers, rows)
    for r in ok:
        if r.get("impl") != "libevtx" and base_rps:
            print(f"  {r['name']} = {fmt_ratio(r['ratio_records_per_s_vs_libevtx_1t'])} libevtx 1T "
                  f"(records/s), {fmt_ratio(r['ratio_mb_per_s_vs_libevtx_1t'])} (MB/s)")
    if rss_scaling:
        print("\ninari peak RSS vs corpus copies (1 thread):")
        for r in rss_scaling:
            if "error" in r:
                print(f"  x{r['corpus_copies']}: FAILED {r['error'][:80]}")
            else:
                print(f"  x{r['corpus_copies']}: {r['peak_rss_kb'] / 1024:.1f} MB peak RSS, "
                      f"{fmt_num(r['records'])} events, {r['bytes'] / MB:,.1f} MB")
        good = [r for r in rss_scaling if "error" not in r]
        if (len(good) == 2 and good[0]["records"]
                and abs(good[1]["records"] - 10 * good[0]["records"]) > 0.001 * good[1]["records"]):
            print(f"  NOTE: events at x10 ({good[1]['records']}) != 10 x events at x1 "
                  f"({good[0]['records']}): inari may de-duplicate repeated paths")
    per_pass = {r["name"]: round(r["records"] / (r.get("passes") or r.get("repeat")))
                for r in ok if r.get("passes") or r.get("repeat")}
    if len(set(per_pass.values())) > 1:
        print(f"\nNOTE: records per pass differ between implementations: {per_pass}")
        print("  libevtx counts recovered records (from free space) and skips records it cannot "
              "render; see record_errors / recovered_records in the JSON.")
    print("  MB = 1e6 bytes of .evtx; CPU% = CPU time / wall time (~100 x threads when idle);\n"
          "  rec/CPU-s = records per CPU-second (user+sys), steadier than records/s on a busy box")
    for s in skipped:
        print(f"SKIPPED {s}")

    benchlib.write_json(args.out, {
        "benchmark": "evtx_parse",
        "question": "How fast does each parser turn EVTX records into field values?",
        "machine": benchlib.machine_info(), "load_avg_before": load_before,
        "corpus": {"files": len(files), "bytes": corpus_bytes, "dirs": list(CORPUS_DIRS),
                   "data_dir": str(data), "seed": args.seed},
        "min_seconds": args.min_seconds, "python_max_seconds": args.python_max_seconds,
        "results": results, "inari_rss_scaling": rss_scaling, "skipped": skipped})


if __name__ == "__main__":
    main()
