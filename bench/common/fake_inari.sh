#!/bin/sh
# bench/common/fake_inari.sh — a stand-in for the inari binary, to test the bench drivers before
# inari exists:  INARI_BIN=bench/common/fake_inari.sh python3 bench/evtx_parse/run.py --quick
# Implements only the benchmark contract: `hunt --threads N --quiet --summary json PATH...` prints
# {"events","bytes","seconds","files","errors","channels"} (pretty-printed, after a noise line) and
# exits 1 as inari does when some input is damaged; events = bytes/2500, seconds simulate 150 MB/s
# per thread. It reads nothing but file sizes: its numbers mean nothing.
exec python3 - "$@" <<'PY'
import json, os, sys
args = sys.argv[1:]
assert args[:1] == ["hunt"], args
threads, paths, i = 1, [], 1
while i < len(args):
    a = args[i]
    if a == "--threads": threads = int(args[i + 1]); i += 2; continue
    if a == "--summary": assert args[i + 1] == "json"; i += 2; continue
    if a.startswith("--"): i += 1; continue
    paths.append(a); i += 1
size = sum(os.path.getsize(p) for p in paths)
print("fake inari: this line is noise the adapter must ignore")
print(json.dumps({"events": size // 2500, "bytes": size, "seconds": size / (150e6 * threads),
                  "files": len(paths), "files_failed": 0, "errors": {"evtx_bad_record": 1},
                  "channels": {"Security": size // 5000, "System": size // 5000}}, indent=2))
sys.exit(1)  # like inari on a corpus with damaged records: "some input damaged"
PY
