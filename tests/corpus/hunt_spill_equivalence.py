#!/usr/bin/env python3
"""`inari hunt` gives the same timeline whether detections stay in memory or are
spilled to temporary files as sorted runs and merged (docs/decisions.md #35).

1. The demo logs with inari's rules, the demo correlation rules (hidden base
   rules, correlation rows citing earlier detections) and the analytics
   (findings merged into the timeline): JSON Lines, CSV and the table, each with
   the default memory and with --sort-memory 1 (a run per event), on 1 and 2
   threads: byte-identical timelines and equal summaries.
2. All SigmaHQ rules over the EVTX attack corpus (thousands of detections), 2
   threads, --sort-memory 2M: byte-identical JSON Lines.
3. An unwritable --temp-dir: reported once on stderr, exit code unchanged,
   timeline still identical (the detections stayed in memory).

usage: hunt_spill_equivalence.py --inari BIN --source DIR --data DIR
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile


def hunt(inari, args, out_path):
    p = subprocess.run([inari, "hunt", "-q", "--color", "never", "--summary", "json", "-o", out_path] + args,
                       capture_output=True, text=True)
    if p.returncode not in (0, 1):
        sys.exit("inari hunt %s failed (%d): %s" % (" ".join(args), p.returncode, p.stderr))
    summary = json.loads(p.stdout.strip().splitlines()[-1])
    with open(out_path, "rb") as f:
        return p.returncode, summary, f.read(), p.stderr


def comparable(summary):
    s = {k: v for k, v in summary.items()
         if k not in ("seconds", "rules_seconds", "report_seconds", "events_per_second", "mb_per_second",
                      "threads", "spool")}
    s["correlations"] = {k: v for k, v in summary["correlations"].items() if k != "seconds"}
    return s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--inari", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--data", required=True)
    a = ap.parse_args()
    failures = []
    tmp = tempfile.mkdtemp(prefix="inari-spill-test-")
    out = os.path.join(tmp, "timeline")

    # 1. Demo logs, correlations and analytics.
    demo = ["-r", os.path.join(a.source, "rules"),
            "-r", os.path.join(a.source, "tests/logic/correlation/demo/demo_correlations.yml"),
            "--warmup", "1d", os.path.join(a.source, "demo/data")]
    for fmt in ("jsonl", "csv", "table"):
        code0, sum0, ref, _ = hunt(a.inari, ["--format", fmt, "--threads", "1"] + demo, out)
        if sum0["correlations"]["shown"] == 0 or sum0["correlations"]["hidden_detections"] == 0:
            failures.append("demo: expected correlation rows and hidden detections, got %s" % sum0["correlations"])
        for threads in ("1", "2"):
            code, s, got, _ = hunt(a.inari, ["--format", fmt, "--threads", threads, "--sort-memory", "1"] + demo, out)
            runs = s["spool"]["runs"]
            print("demo %-5s threads %s: %d detections, %d runs spilled, %d bytes" %
                  (fmt, threads, s["detections"], runs, s["spool"]["spilled_bytes"]))
            if runs < 10:
                failures.append("demo %s: --sort-memory 1 spilled only %d runs" % (fmt, runs))
            if got != ref:
                failures.append("demo %s threads %s: spilled timeline differs from the in-memory one" % (fmt, threads))
            if comparable(s) != comparable(sum0) or code != code0:
                failures.append("demo %s threads %s: summaries differ:\n  %s\n  %s" %
                                (fmt, threads, comparable(sum0), comparable(s)))

    # 2. SigmaHQ rules over the EVTX corpus.
    sigma = os.path.join(a.data, "sigma")
    corpus = ["-r", os.path.join(sigma, "rules"), "-r", os.path.join(sigma, "rules-emerging-threats"),
              "-r", os.path.join(sigma, "rules-threat-hunting"), "--no-analytics", "--format", "jsonl",
              "--threads", "2", os.path.join(a.data, "evtx")]
    code0, sum0, ref, _ = hunt(a.inari, corpus, out)
    code, s, got, _ = hunt(a.inari, ["--sort-memory", "2M"] + corpus, out)
    print("corpus: %d detections in memory; with --sort-memory 2M %d runs, %d bytes spilled" %
          (sum0["detections"], s["spool"]["runs"], s["spool"]["spilled_bytes"]))
    if sum0["detections"] < 1000 or s["spool"]["runs"] < 4:
        failures.append("corpus: too few detections (%d) or runs (%d) to show anything" %
                        (sum0["detections"], s["spool"]["runs"]))
    if got != ref or comparable(s) != comparable(sum0) or code != code0:
        failures.append("corpus: spilled timeline or summary differs from the in-memory one")

    # 3. A temporary directory that cannot be written.
    code, s, got, err = hunt(a.inari, ["--sort-memory", "1", "--temp-dir", os.path.join(tmp, "missing"),
                                       "--format", "jsonl", "--threads", "1"] + demo, out)
    _, _, ref, _ = hunt(a.inari, ["--format", "jsonl", "--threads", "1"] + demo, out)
    if "could not spill detections" not in err or err.count("could not spill") != 1:
        failures.append("unwritable --temp-dir: not reported once on stderr: %r" % err)
    if s["spool"]["runs"] != 0 or got != ref or code != 0:
        failures.append("unwritable --temp-dir: runs %d, exit %d, timeline %s" %
                        (s["spool"]["runs"], code, "same" if got == ref else "differs"))
    else:
        print("unwritable --temp-dir: reported, detections kept in memory, same timeline")

    for name in os.listdir(tmp):
        os.unlink(os.path.join(tmp, name))
    os.rmdir(tmp)
    if failures:
        print("\n".join("FAIL: " + f for f in failures))
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
