#!/usr/bin/env python3
"""bench/json_parse/run.py — driver for the json_parse benchmark (Python 3 stdlib only).

QUESTION: How many MB/s and events/s per core does inari's JSON Lines reader reach?
  Compared: inari (`inari hunt --threads 1 --quiet --summary json FILE`), CPython json.loads()
            per line, and `jq -c . > /dev/null` when jq is installed; all single-threaded.
  Data:     a JSON Lines file generated in /tmp (never in the repo) from the OTRF Security-Datasets
            Windows zips: `unzip -p` of every *.zip under
            $INARI_SHARED_DATA/json/otrf/datasets/atomic/windows (sorted, __MACOSX/ entries
            dropped), concatenated, the whole set repeated until >= --min-mb (default 500 MB).
            One pass of the set is ~574 MB / ~187k events, so the default file is one copy.
  Sizes:    inari loops until >= --min-seconds (default 10) by passing FILE K times; the
            baselines make one pass over the file.
  Reports:  MB/s (1e6 bytes of JSONL), events/s, ratio of inari to each baseline, peak RSS.

It builds nothing. Build first (from the repo root):
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
  cmake --build build -j"$(nproc)" --target inari
  python3 bench/json_parse/run.py            # ~1-2 min after the data file exists
The data file is reused while its recorded inputs (zip names and sizes, --min-mb) match;
--regen rebuilds it. $INARI_BIN overrides build/src/cli/inari; $BENCH_PYTHON the interpreter
of the json.loads baseline (default /usr/bin/python3).
"""
import argparse
import json
import os
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(HERE.parent / "common"))
import benchlib  # noqa: E402
from benchlib import MB, fmt_num, fmt_ratio, log, rate  # noqa: E402

OTRF_WINDOWS = "json/otrf/datasets/atomic/windows"


def generate(data_dir, out, min_mb, regen):
    """Writes the JSONL file; returns its metadata (bytes, events, copies, sources)."""
    src = data_dir / OTRF_WINDOWS
    zips = sorted(src.rglob("*.zip"))
    if not zips:
        sys.exit(f"run.py: no zips under {src} (set INARI_SHARED_DATA)")
    want = {"sources": [[str(z.relative_to(src)), z.stat().st_size] for z in zips],
            "min_mb": min_mb}
    meta_path = out.with_name(out.name + ".meta.json")
    if not regen and out.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if {k: meta.get(k) for k in want} == want and meta.get("bytes") == out.stat().st_size:
            log(f"reusing {out} ({meta['bytes'] / MB:.1f} MB, {meta['events']} events)")
            return meta
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    nbytes = events = copies = 0
    log(f"generating {out} from {len(zips)} zips (>= {min_mb} MB)...")
    with open(tmp, "wb") as w:
        while nbytes < min_mb * MB:
            for z in zips:
                # Same bytes as `unzip -p ZIP -x '__MACOSX/*'`, with a newline between members.
                with zipfile.ZipFile(z) as zf:
                    for info in zf.infolist():
                        if info.is_dir() or info.filename.startswith("__MACOSX/"):
                            continue
                        data = zf.read(info)
                        if data and not data.endswith(b"\n"):
                            data += b"\n"
                        w.write(data)
                        nbytes += len(data)
                        events += sum(1 for line in data.splitlines() if line.strip())
            copies += 1
            if nbytes == 0:
                sys.exit("run.py: the zips hold no data")
    tmp.replace(out)
    meta = {**want, "bytes": nbytes, "events": events, "copies": copies}
    meta_path.write_text(json.dumps(meta, indent=1) + "\n")
    log(f"wrote {out}: {nbytes / MB:.1f} MB, {events} events, {copies} copies of the set")
    return meta


def main():
    ap = argparse.ArgumentParser(
        description="json_parse benchmark: inari's JSONL reader vs baselines")
    ap.add_argument("--data", default="/tmp/inari-bench/otrf_windows.jsonl",
                    help="generated JSONL file (outside the repo)")
    ap.add_argument("--min-mb", type=float, default=500.0)
    ap.add_argument("--regen", action="store_true", help="rebuild the data file")
    ap.add_argument("--min-seconds", type=float, default=10.0, help="inari's minimum work")
    ap.add_argument("--only", default="inari,python-json,jq")
    ap.add_argument("--out", default=str(HERE / "results.json"), help="JSON results file")
    args = ap.parse_args()
    only = set(args.only.split(","))

    data_dir = benchlib.shared_data()
    out = Path(args.data).resolve()
    root = benchlib.repo_root().resolve()
    if out == root or root in out.parents:
        sys.exit(f"run.py: --data {out} is inside the repo; generated data stays out of it")
    meta = generate(data_dir, out, args.min_mb, args.regen)
    benchlib.warm_page_cache([out])
    load_before = benchlib.warn_if_busy()

    inari = benchlib.inari_bin()
    results, skipped = [], []
    if "inari" in only:
        if os.access(inari, os.X_OK):
            results.append(benchlib.run_adapter(
                "inari 1T", [sys.executable, HERE.parent / "common" / "inari_adapter.py",
                             "--threads", 1, "--min-seconds", args.min_seconds, out],
                args.min_seconds * 4 + 300))
        else:
            skipped.append(f"inari: {inari} not found (build it or set INARI_BIN)")
    if "python-json" in only:
        results.append(benchlib.run_adapter(
            "python json.loads 1T", [benchlib.debian_python(), HERE / "python_json_adapter.py",
                                     out], 900))
    if "jq" in only:
        if benchlib.which("jq"):
            results.append(benchlib.run_adapter(
                "jq -c . 1T", [sys.executable, HERE / "jq_adapter.py", out], 900))
        else:
            skipped.append("jq: not installed")

    ok = [r for r in results if "error" not in r]
    inari_res = next((r for r in ok if r.get("impl") == "inari"), None)
    headers = ["impl", "threads", "events", "MB", "seconds", "events/s", "MB/s",
               "inari is (MB/s)", "peak RSS MB", "CPU%", "MB/CPU-s", "events/pass"]
    rows = []
    for r in results:
        if "error" in r:
            rows.append([r["name"], "", "FAILED", *[""] * 8, r["error"][:40]])
            continue
        eps, mbps = rate(r, "records"), rate(r, "bytes") / MB
        r["records_per_s"], r["mb_per_s"] = eps, mbps
        cpu = r.get("cpu_seconds")
        r["mb_per_cpu_second"] = r["bytes"] / MB / cpu if cpu else None
        passes = r.get("repeat") or r.get("passes") or 1
        ratio = None
        if inari_res and r is not inari_res and mbps:
            ratio = (rate(inari_res, "bytes") / MB) / mbps
            r["inari_ratio_mb_per_s"] = ratio
            r["inari_ratio_events_per_s"] = rate(inari_res, "records") / eps if eps else None
        rows.append([r["name"], r.get("threads", 1), fmt_num(r["records"]),
                     f"{r['bytes'] / MB:,.1f}", f"{r['seconds']:.2f}", fmt_num(round(eps)),
                     f"{mbps:,.1f}", f"{fmt_ratio(ratio)} this" if ratio else "-",
                     f"{r['peak_rss_kb'] / 1024:.1f}" if r.get("peak_rss_kb") else "-",
                     f"{benchlib.cpu_percent(r):.0f}" if benchlib.cpu_percent(r) else "-",
                     f"{r['mb_per_cpu_second']:,.1f}" if cpu else "-",
                     fmt_num(round(r["records"] / passes))])

    print()
    print(f"json_parse: {out} ({meta['bytes'] / MB:.1f} MB, {meta['events']:,} events), "
          f"{os.cpu_count()} CPUs, load avg before {load_before:.2f}")
    benchlib.print_table(headers, rows)
    for r in ok:
        if r is not inari_res and r.get("inari_ratio_mb_per_s"):
            print(f"  inari 1T = {fmt_ratio(r['inari_ratio_mb_per_s'])} {r['name']} (MB/s), "
                  f"{fmt_ratio(r.get('inari_ratio_events_per_s'))} (events/s)")
    for r in ok:
        passes = r.get("repeat") or r.get("passes") or 1
        if r["records"] != meta["events"] * passes:
            print(f"NOTE: {r['name']} counted {r['records'] / passes:,.0f} events per pass, "
                  f"the file has {meta['events']:,} non-blank lines")
    print("  MB = 1e6 bytes of JSONL; CPU% = CPU time / wall time (~100 when idle); MB/CPU-s =\n"
          "  MB per CPU-second (user+sys), steadier than MB/s on a busy box")
    for s in skipped:
        print(f"SKIPPED {s}")

    benchlib.write_json(args.out, {
        "benchmark": "json_parse",
        "question": "How many MB/s and events/s per core does inari's JSON Lines reader reach?",
        "machine": benchlib.machine_info(), "load_avg_before": load_before,
        "data": {"path": str(out), **{k: meta[k] for k in ("bytes", "events", "copies")},
                 "zips": len(meta["sources"]), "source_dir": str(data_dir / OTRF_WINDOWS)},
        "min_seconds": args.min_seconds, "results": results, "skipped": skipped})


if __name__ == "__main__":
    main()
