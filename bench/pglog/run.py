#!/usr/bin/env python3
"""bench/pglog/run.py — driver for the pglog benchmark (Python 3 stdlib only).

QUESTION: How many pgaudit log lines per second per core does inari's PostgreSQL log reader
          turn into events, in each of the three log formats, and how does that compare with
          the tools an analyst would otherwise use?
  Compared: inari's reader (bench_pglog: OpenReader → events into a reused batch; format and
            log_line_prefix detected from the content), `inari dump -o /dev/null` (reader + JSON
            rendering, for scale), Python's csv module on the csvlog (each row split, and the
            AUDIT message inside split again: the minimum a Python script does), and pgBadger
            (Debian package, Perl; -j 1) on a prefix of each file. All single-threaded.
  Data:     a synthetic but realistic pgaudit log generated in /tmp (never in the repo): a CRM
            database with 200 users over sessions of connect / authorized / AUDIT records
            (SESSION and OBJECT, READ/WRITE/MISC, pgaudit.log_parameter and log_rows on,
            log_relation on: one record per table), durations, some multi-line statements
            (~8 % of the audit records: 2–4 lines), errors with STATEMENT lines, failed logins
            and disconnections. The same entries are written as stderr (Debian's
            log_line_prefix '%m [%p] %q%u@%d '), csvlog (PostgreSQL 15, 26 columns) and jsonlog.
  Sizes:    --lines (default 3,000,000) physical lines of the stderr file; the csv and json
            files hold the same entries. pgBadger reads the first --badger-lines (300,000).
  Reports:  lines/s (physical lines of the file), MB/s, events/s per implementation and format.

Build first (from the repo root):
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DINARI_BUILD_BENCH=ON
  ninja -C build inari bench_pglog
  python3 bench/pglog/run.py [--build build] [--lines N] [--regen]
"""
import argparse
import csv
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.dont_write_bytecode = True
MB = 1e6

TABLES = ["public.customers", "public.orders", "public.invoices", "public.tickets", "public.contacts",
          "public.addresses", "public.payments"]
APPS = ["crm-web", "psql", "DBeaver 23.1.0 - Main", "support-portal", "pgAdmin 4 - DB:crm"]


def ts_text(t):
    s = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(int(t)))
    return f"{s}.{int((t % 1) * 1000):03d} UTC"


def csv_quote(s):
    if s is None:
        return ""
    return '"' + s.replace('"', '""') + '"'


def audit_csv_field(s):
    # pgaudit's append_valid_csv: quote when the text has " , \r or \n
    if any(c in s for c in '",\r\n'):
        return '"' + s.replace('"', '""') + '"'
    return s


class Entry:
    __slots__ = ("t", "pid", "user", "db", "host", "port", "app", "sev", "state", "msg", "detail", "stmt",
                 "sid", "line", "start", "tag")


def entries(rng, target_lines):
    """Yields Entry objects until the stderr rendering would reach target_lines."""
    t = 1714640400.0  # 2024-05-02 09:00:00 UTC
    pid = 20000
    lines = 0
    while lines < target_lines:
        pid += 1
        user = f"support{rng.randrange(200)}"
        host = f"10.0.{rng.randrange(256)}.{rng.randrange(256)}"
        port = 40000 + rng.randrange(20000)
        app = rng.choice(APPS)
        start = t
        sid = f"{int(start):x}.{pid:x}"
        n = 0

        def mk(sev, msg, detail=None, stmt=None, authed=True, state="00000", tag="SELECT"):
            nonlocal t, n, lines
            t += rng.random() * 0.01
            n += 1
            e = Entry()
            e.t, e.pid, e.sev, e.msg, e.detail, e.stmt, e.state, e.tag = t, pid, sev, msg, detail, stmt, state, tag
            e.user, e.db = (user, "crm") if authed else (None, None)
            e.host, e.port, e.app = host, port, app if authed else ""
            e.sid, e.line, e.start = sid, n, start
            lines += 1 + msg.count("\n") + (1 + detail.count("\n") if detail else 0) + \
                (1 + stmt.count("\n") if stmt else 0)
            return e

        yield mk("LOG", f"connection received: host={host} port={port}", authed=False, tag="")
        if rng.random() < 0.03:
            yield mk("FATAL", f'password authentication failed for user "{user}"',
                     detail=f'Connection matched pg_hba.conf line 95: "host all all all scram-sha-256"',
                     state="28P01", tag="authentication")
            continue
        yield mk("LOG", f"connection authorized: user={user} database=crm application_name={app}",
                 tag="authentication")
        for stmt_id in range(1, rng.randrange(5, 60)):
            k = rng.random()
            tables = rng.sample(TABLES, rng.choice([1, 1, 1, 2, 3]))
            if k < 0.08:
                sql = ("SELECT c.id, c.name, c.email, c.phone\n  FROM customers c\n"
                       "  JOIN orders o ON o.customer_id = c.id\n WHERE c.id = $1")[: rng.choice([60, 90, 200])]
            elif k < 0.7:
                sql = f"SELECT id, name, email FROM {tables[0].split('.')[1]} WHERE id = $1"
            elif k < 0.9:
                sql = f"UPDATE {tables[0].split('.')[1]} SET note = $2, updated = now() WHERE id = $1"
            else:
                sql = "SET application_name = 'crm-web'"
            params = f'{rng.randrange(1, 10**6)},"note, with comma"' if "$2" in sql else \
                (str(rng.randrange(1, 10**6)) if "$1" in sql else "<none>")
            cls, cmd = ("READ", "SELECT") if sql.startswith("SELECT") else \
                (("WRITE", "UPDATE") if sql.startswith("UPDATE") else ("MISC", "SET"))
            rows = rng.randrange(0, 50) if cls != "MISC" else 0
            for i, tb in enumerate(tables if cls != "MISC" else [None]):
                kind = "OBJECT" if (cls == "READ" and tb == "public.customers" and i == 0) else "SESSION"
                fields = [kind, str(stmt_id), "1", cls, cmd, "TABLE" if tb else "", tb or "",
                          audit_csv_field(sql), audit_csv_field(params), str(rows)]
                yield mk("LOG", "AUDIT: " + ",".join(fields), tag=cmd)
            if rng.random() < 0.2:
                yield mk("LOG", f"duration: {rng.random() * 30:.3f} ms  execute <unnamed>: {sql}",
                         detail=f"parameters: $1 = '{rng.randrange(10**6)}'", tag=cmd)
            if rng.random() < 0.01:
                yield mk("ERROR", 'relation "secret_table" does not exist', stmt="SELECT * FROM secret_table;",
                         state="42P01", tag="SELECT")
        dur = t - start
        yield mk("LOG", f"disconnection: session time: {int(dur // 3600)}:{int(dur % 3600 // 60):02d}:"
                        f"{dur % 60:06.3f} user={user} database=crm host={host} port={port}", tag="idle")


def tabbed(s):
    return s.replace("\n", "\n\t")


def write_all(out_dir, target_lines, seed=7):
    rng = random.Random(seed)
    paths = {f: out_dir / f"pgaudit.{f}" for f in ("log", "csv", "json")}
    files = {f: open(p, "w", encoding="utf-8", newline="") for f, p in paths.items()}
    buf = {f: [] for f in files}
    count = 0
    for e in entries(rng, target_lines):
        count += 1
        stamp = ts_text(e.t)
        who = f"{e.user}@{e.db}" if e.user else "[unknown]@[unknown]"
        pre = f"{stamp} [{e.pid}] {who} "
        s = pre + f"{e.sev}:  {tabbed(e.msg)}\n"
        if e.detail:
            s += pre + f"DETAIL:  {tabbed(e.detail)}\n"
        if e.stmt:
            s += pre + f"STATEMENT:  {tabbed(e.stmt)}\n"
        buf["log"].append(s)
        start = ts_text(e.start)[:19] + " UTC"
        row = [stamp, csv_quote(e.user), csv_quote(e.db), str(e.pid), csv_quote(f"{e.host}:{e.port}"), e.sid,
               str(e.line), csv_quote(e.tag), start, "3/%d" % e.line, "0", e.sev, e.state, csv_quote(e.msg),
               csv_quote(e.detail), "", "", "", "", csv_quote(e.stmt), "", "", csv_quote(e.app), "client backend",
               "", "0"]
        buf["csv"].append(",".join(row) + "\n")
        j = {"timestamp": stamp, "user": e.user, "dbname": e.db, "pid": e.pid, "remote_host": e.host,
             "remote_port": e.port, "session_id": e.sid, "line_num": e.line, "ps": e.tag, "session_start": start,
             "vxid": "3/%d" % e.line, "txid": 0, "error_severity": e.sev, "state_code": e.state,
             "message": e.msg, "detail": e.detail, "statement": e.stmt, "application_name": e.app,
             "backend_type": "client backend", "query_id": 0}
        buf["json"].append(json.dumps({k: v for k, v in j.items() if v is not None}, separators=(",", ":")) + "\n")
        if len(buf["log"]) >= 20000:
            for f in files:
                files[f].write("".join(buf[f]))
                buf[f].clear()
    for f in files:
        files[f].write("".join(buf[f]))
        files[f].close()
    return paths, count


def count_lines(path):
    n = 0
    with open(path, "rb") as f:
        while True:
            b = f.read(1 << 24)
            if not b:
                return n
            n += b.count(b"\n")


def run_inari_reader(bench_bin, path, min_seconds):
    repeat = 1
    while True:
        out = subprocess.run([str(bench_bin), "--repeat", str(repeat), str(path)], capture_output=True, text=True,
                             check=True).stdout
        r = json.loads(out)
        if r["seconds"] >= min_seconds or repeat >= 64:
            r["repeat"] = repeat
            return r
        repeat = max(repeat + 1, int(repeat * min_seconds / max(r["seconds"], 1e-3) * 1.1))


def run_inari_dump(inari_bin, path):
    t0 = time.perf_counter()
    subprocess.run([str(inari_bin), "dump", "--threads", "1", "-q", "-o", "/dev/null", str(path)], check=True,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def run_python_csv(path):
    t0 = time.perf_counter()
    rows = audits = 0
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.reader(f):
            rows += 1
            msg = row[13]
            if msg.startswith("AUDIT: "):
                next(csv.reader([msg[7:]]))
                audits += 1
    return time.perf_counter() - t0, rows, audits


def run_pgbadger(path, fmt, lines, work):
    exe = shutil.which("pgbadger")
    if not exe:
        return None
    part = work / f"badger_part.{fmt}"
    with open(path, "rb") as src, open(part, "wb") as dst:
        for i, line in enumerate(src):
            if i >= lines:
                # finish the entry: continuation lines start with a tab
                if fmt == "log" and line.startswith(b"\t"):
                    dst.write(line)
                    continue
                break
            dst.write(line)
    n = count_lines(part)
    size = part.stat().st_size
    args = {"log": ["-f", "stderr", "--prefix", "%m [%p] %q%u@%d "], "csv": ["-f", "csv"], "json": ["-f", "jsonlog"]}
    cmd = [exe, *args[fmt], "-j", "1", "--quiet", "-o", str(work / f"badger_{fmt}.html"), str(part)]
    t0 = time.perf_counter()
    cp = subprocess.run(cmd, capture_output=True, text=True)
    s = time.perf_counter() - t0
    part.unlink()
    if cp.returncode != 0:
        return {"error": cp.stderr.strip()[-300:]}
    return {"seconds": s, "lines": n, "bytes": size}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=str(REPO / "build"))
    ap.add_argument("--lines", type=int, default=3_000_000)
    ap.add_argument("--badger-lines", type=int, default=300_000)
    ap.add_argument("--out", default="/tmp/inari-bench-pglog")
    ap.add_argument("--min-seconds", type=float, default=3.0)
    ap.add_argument("--regen", action="store_true")
    a = ap.parse_args()
    build = Path(a.build)
    bench_bin = build / "bench" / "bench_pglog"
    inari_bin = Path(os.environ.get("INARI_BIN", build / "src" / "cli" / "inari"))
    for b in (bench_bin, inari_bin):
        if not b.exists():
            sys.exit(f"run.py: {b} not built (see the docstring)")
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    meta_path = out / "meta.json"
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    if a.regen or meta.get("lines_target") != a.lines:
        print(f"generating ~{a.lines:,} stderr lines into {out} ...", file=sys.stderr)
        paths, n = write_all(out, a.lines)
        meta = {"lines_target": a.lines, "entries": n,
                "lines": {f: count_lines(p) for f, p in paths.items()},
                "bytes": {f: p.stat().st_size for f, p in paths.items()}}
        meta_path.write_text(json.dumps(meta))
    paths = {f: out / f"pgaudit.{f}" for f in ("log", "csv", "json")}
    print(f"data: {meta['entries']:,} entries; lines {meta['lines']}; MB "
          f"{ {f: round(b / MB) for f, b in meta['bytes'].items()} }", file=sys.stderr)
    results = []
    for f, p in paths.items():
        lines, size = meta["lines"][f], meta["bytes"][f]
        r = run_inari_reader(bench_bin, p, a.min_seconds)
        k = r["repeat"]
        assert r["events"] == meta["entries"] * k, (r, meta)
        results.append((f, "inari reader", lines * k / r["seconds"], size * k / r["seconds"] / MB,
                        r["events"] / r["seconds"], r["issues"]))
        s = run_inari_dump(inari_bin, p)
        results.append((f, "inari dump (+JSON out)", lines / s, size / s / MB, meta["entries"] / s, ""))
        if f == "csv":
            s, rows, audits = run_python_csv(p)
            assert rows == meta["entries"], (rows, meta["entries"])
            results.append((f, f"python {sys.version.split()[0]} csv", lines / s, size / s / MB, rows / s, ""))
        b = run_pgbadger(p, f, a.badger_lines, out)
        if b and "error" not in b:
            results.append((f, f"pgbadger -j 1 ({b['lines']:,} lines)", b["lines"] / b["seconds"],
                            b["bytes"] / b["seconds"] / MB, None, ""))
        elif b:
            print(f"pgbadger {f}: {b['error']}", file=sys.stderr)
    print("| format | impl | lines/s | MB/s | events/s | issues |")
    print("|---|---|---:|---:|---:|---:|")
    for f, impl, lps, mbs, eps, iss in results:
        ev = f"{eps:,.0f}" if eps else "—"
        print(f"| {f} | {impl} | {lps:,.0f} | {mbs:,.0f} | {ev} | {iss} |")


if __name__ == "__main__":
    main()
