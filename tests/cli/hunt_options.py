#!/usr/bin/env python3
"""`inari hunt` command line: repeatable options take one value each, so the
paths after them stay paths (`-r rules/ logs1 logs2` scans both logs), and
--sort-memory accepts sizes and rejects what is not one.

usage: hunt_options.py INARI SOURCE_DIR
"""
import json
import os
import subprocess
import sys


def hunt(inari, args):
    p = subprocess.run([inari, "hunt", "-q", "--no-analytics", "--summary", "json"] + args,
                       capture_output=True, text=True)
    summary = json.loads(p.stdout.strip().splitlines()[-1]) if p.returncode in (0, 1) else None
    return p.returncode, summary, p.stderr


def main():
    inari, source = sys.argv[1], sys.argv[2]
    rules = os.path.join(source, "rules")
    data = os.path.join(source, "demo", "data")
    one, two = os.path.join(data, "dc01-security.jsonl"), os.path.join(data, "fs01-evtx.jsonl")
    failures = []

    _, alone1, _ = hunt(inari, ["-r", rules, one])
    _, alone2, _ = hunt(inari, ["-r", rules, two])
    code, both, err = hunt(inari, ["-r", rules, "-r", rules + "/windows/rdp", one, two])
    if code != 0 or both["files"] != 2 or both["events"] != alone1["events"] + alone2["events"]:
        failures.append("-r RULES -r RULES A B: expected both files read (%d + %d events), got %s %s" %
                        (alone1["events"], alone2["events"], both and (both["files"], both["events"]), err))

    _, everything, _ = hunt(inari, [data])
    code, none, err = hunt(inari, ["--exclude-status", "deprecated", "--exclude-status", "experimental", one, two])
    if everything["detections"] == 0 or code != 0 or none["files"] != 2 or none["detections"] != 0:
        failures.append("--exclude-status X --exclude-status Y A B: expected both files and no detection "
                        "(inari's rules are experimental), got %s %s" % (none and (none["files"], none["detections"]), err))

    for good in ("1", "64K", "512k", "3M", "1G"):
        code, s, err = hunt(inari, ["--sort-memory", good, one])
        if code != 0:
            failures.append("--sort-memory %s rejected: %s" % (good, err))
    for bad in ("", "0", "12X", "M", "-5", "1.5G", "99999999999999999999"):
        code, _, err = hunt(inari, ["--sort-memory", bad, one])
        if code != 2 or "--sort-memory" not in err:
            failures.append("--sort-memory %r: expected a usage error, got exit %d: %s" % (bad, code, err.strip()))

    if failures:
        print("\n".join("FAIL: " + f for f in failures))
        return 1
    print("OK: repeatable options keep the paths; --sort-memory sizes checked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
