"""pgbed selftest (ctest dbbed.smoke): a real server, a small workload, every output checked.

Checks, each of which fails the test:
  * cleanup: after a normal run, after an injected failure and after SIGINT, no bed
    directory and no server process is left;
  * all three raw log formats exist and hold pgaudit AUDIT records with parameters and rows;
  * the re-timed logs: per session non-decreasing, spanning the simulated days, identical
    time/client for the same (session, line) across stderr/csvlog/jsonlog, no loopback
    client left in a client field, and every other byte as in the raw log;
  * ground truth against the database: the paging insider's customers equal the union of
    the pages re-queried, the export equals its query, country/region counts equal SQL
    GROUP BYs, customers_geo.csv equals the table; and against the audit log: rows and
    parameters logged by pgaudit account for the ground-truth customers;
  * determinism of the plan for a seed.
"""

import collections
import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import psycopg

from . import bed, dataset, retime, server as srv
from .plan import Config, Plan

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PGBED = os.path.join(HERE, "pgbed.py")


class Failed(Exception):
    pass


class Checker:
    def __init__(self):
        self.n = 0
        self.failures = []

    def check(self, cond, what):
        self.n += 1
        if not cond:
            self.failures.append(what)
            print(f"selftest: FAIL {what}", file=sys.stderr, flush=True)
        return cond

    def eq(self, a, b, what):
        return self.check(a == b, f"{what}: {_short(a)} != {_short(b)}")


def _short(v):
    s = repr(v)
    return s if len(s) < 200 else s[:200] + "..."


def log(msg):
    print(f"selftest: {msg}", file=sys.stderr, flush=True)


# -- DB-side verification, while the server is up ---------------------------------------
def verify_db(res, ck):
    from .truth import scenario_reads
    server, runner = res.server, res.runner
    reads = scenario_reads(runner)
    res.reads = reads
    with psycopg.connect(**server.admin_params("custdb"), autocommit=True) as c:
        # customers_geo export == table
        rows = c.execute("SELECT customer_id, country, region FROM crm.customers ORDER BY 1").fetchall()
        ck.eq({r[0]: (r[1].strip(), r[2]) for r in rows}, res.data.geo, "customers_geo mapping equals crm.customers")
        # bulk paging: the union of the pages he requested, re-queried
        if "bulk_paging" in reads:
            union, pages = set(), 0
            for r in runner.statements:
                if r.bulk:
                    pages += 1
                    n, off = r.bulk
                    union.update(x[0] for x in c.execute(
                        "SELECT customer_id FROM crm.customers ORDER BY customer_id LIMIT %s OFFSET %s",
                        (n, off)).fetchall())
            ck.check(pages > 1, "bulk_paging ran several pages")
            ck.eq(set(reads["bulk_paging"]), union, "bulk_paging customers == union of re-queried pages")
            ck.eq(len(union), res.cfg.bulk_customers, "bulk_paging read --bulk-customers customers")
        if "export" in reads:
            cs = list(res.cfg.export_countries)
            exp = set(x[0] for x in c.execute("SELECT customer_id FROM crm.customers WHERE country = ANY(%s)",
                                              (cs,)).fetchall())
            ck.eq(set(reads["export"]), exp, "export customers == SELECT ... WHERE country IN (...)")
        # per-country/per-region counts of every scenario, by SQL
        res.sql_counts = {}
        for s, d in reads.items():
            ids = list(d)
            bc = dict(c.execute("SELECT country, count(*) FROM crm.customers WHERE customer_id = ANY(%s) "
                                "GROUP BY country", (ids,)).fetchall())
            br = dict(c.execute("SELECT region, count(*) FROM crm.customers WHERE customer_id = ANY(%s) "
                                "GROUP BY region", (ids,)).fetchall())
            res.sql_counts[s] = ({k.strip(): v for k, v in bc.items()}, br)
        res.db_checked = True


# -- log parsing helpers --------------------------------------------------------------------
def csv_rows(path):
    with open(path, "rb") as f:
        data = f.read()
    out = []
    for m in retime.iter_csv(data):
        out.append([retime.unquote_csv(m.group(i + 1)).decode() for i in range(26)])
    return out


def audit_fields(message):
    """pgaudit's CSV after 'AUDIT: ' -> list of fields."""
    return next(csv.reader(io.StringIO(message[len("AUDIT: "):])))


STDERR_RE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) UTC \[(\d+)\] (?:(\S*)@(\S*) (\S*) "
                       r"([0-9a-f]+\.[0-9a-f]+):(\d+) )?")
SEVERITY_RE = re.compile(r"(DEBUG\d|LOG|INFO|NOTICE|WARNING|ERROR|FATAL|PANIC|DETAIL|HINT|QUERY|CONTEXT|"
                         r"LOCATION|STATEMENT):  ")
PRIMARY = {"LOG", "INFO", "NOTICE", "WARNING", "ERROR", "FATAL", "PANIC"} | {f"DEBUG{i}" for i in range(1, 6)}


def stderr_records(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = STDERR_RE.match(line)
            if m:
                sev = SEVERITY_RE.search(line, m.end())
                out.append(m.groups() + (sev.group(1) if sev else "",))
    return out


def ts_ns(s):
    d = dt.datetime.strptime(s[:23], "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=dt.timezone.utc)
    return dataset.to_ns(d)


# -- the checks after the run -------------------------------------------------------------------
def check_outputs(res, out, ck):
    cfg, doc = res.cfg, res.doc
    for name in ("postgresql.log", "postgresql.csv", "postgresql.json", "raw/postgresql.log", "raw/postgresql.csv",
                 "raw/postgresql.json", "ground_truth.json", "customers_geo.csv", "sessions.csv", "staff.csv",
                 "raw/time_anchors.csv"):
        p = os.path.join(out, name)
        ck.check(os.path.isfile(p) and os.path.getsize(p) > 0, f"{name} exists and is not empty")

    raw_csv = csv_rows(os.path.join(out, "raw/postgresql.csv"))
    new_csv = csv_rows(os.path.join(out, "postgresql.csv"))
    ck.eq(len(new_csv), len(raw_csv), "re-timed csvlog has as many records as the raw one")

    # AUDIT lines with parameters and rows, in all three raw formats
    audits = [r for r in raw_csv if r[13].startswith("AUDIT: ")]
    ck.check(len(audits) > 1000, f"raw csvlog holds AUDIT records ({len(audits)})")
    with_param = [a for a in audits if audit_fields(a[13])[8] not in ("<none>", "<not logged>")]
    ck.check(len(with_param) > 100, f"AUDIT records with logged parameters ({len(with_param)})")
    bad_rows = [a for a in audits if not audit_fields(a[13])[9].isdigit()]
    ck.check(not bad_rows, f"every AUDIT record has a row count ({len(bad_rows)} without)")
    with open(os.path.join(out, "raw/postgresql.log"), encoding="utf-8") as f:
        raw_log = f.read()
    ck.check(re.search(r"AUDIT: SESSION,\d+,1,READ,SELECT,TABLE,crm\.customers,\"?SELECT .*WHERE customer_id = "
                       r"\$1\"?,\d+,1\n", raw_log) is not None, "stderr log: parameterized lookup with param and rows")
    with open(os.path.join(out, "raw/postgresql.json"), encoding="utf-8") as f:
        raw_json = [json.loads(line) for line in f]
    ck.check(any(j.get("message", "").startswith("AUDIT: SESSION") and "$1" in j["message"] for j in raw_json),
             "jsonlog holds AUDIT records of parameterized statements")
    ck.eq(len(raw_json), len(raw_csv), "jsonlog and csvlog hold the same number of records")

    # raw vs re-timed: only the documented fields change
    changed_other = 0
    for a, b in zip(raw_csv, new_csv):
        for i in range(26):
            if i in (0, 4, 8):
                continue
            if i == 13 and (a[13].startswith("connection received: host=127.0.0.1 ")
                            or a[13].startswith("disconnection: ")):
                continue
            if a[i] != b[i]:
                changed_other += 1
    ck.eq(changed_other, 0, "re-timed csvlog differs from raw only in time/client/session start")
    with open(os.path.join(out, "postgresql.json"), encoding="utf-8") as f:
        new_json = [json.loads(line) for line in f]
    diff = 0
    for a, b in zip(raw_json, new_json):
        for k in set(a) | set(b):
            if k in ("timestamp", "remote_host", "session_start"):
                continue
            if k == "message" and (a[k].startswith("connection received: host=127.0.0.1 ")
                                   or a[k].startswith("disconnection: ")):
                continue
            if a.get(k) != b.get(k):
                diff += 1
    ck.eq(diff, 0, "re-timed jsonlog differs from raw only in time/client/session start")

    # per (session, line): time and client agree across the three formats
    by_csv = {(r[5], r[6]): (r[0], r[4].rpartition(":")[0] if r[4] != "[local]" else r[4]) for r in new_csv}
    by_json = {(j["session_id"], str(j["line_num"])): (j["timestamp"], j.get("remote_host", "")) for j in new_json}
    st = stderr_records(os.path.join(out, "postgresql.log"))
    # stderr numbers DETAIL/HINT/STATEMENT lines too (%l), csvlog folds them into the record:
    # compare per session the sequence of primary records
    seq_st, seq_csv = collections.defaultdict(list), collections.defaultdict(list)
    for ts, pid, user, db, host, sid, line, sev in st:
        if sid and sev in PRIMARY:
            seq_st[sid].append((ts + " UTC", host.split("(")[0] if host else ""))
    for r in sorted(new_csv, key=lambda r: (r[5], int(r[6] or 0))):
        if r[5]:
            seq_csv[r[5]].append((r[0], r[4].rpartition(":")[0] if r[4] != "[local]" else r[4]))
    ck.eq(by_json, by_csv, "jsonlog time/client == csvlog time/client for every (session, line)")
    ck.eq(dict(seq_st), {k: v for k, v in seq_csv.items() if k in seq_st},
          "stderr time/client == csvlog time/client, record by record per session")
    clients = set(r[5] for r in new_csv if r[23] == "client backend")
    ck.eq(clients - set(seq_st), set(), "every client session is in the stderr log (%q ends others' prefix)")
    loop = [k for k, v in by_csv.items() if v[1] == "127.0.0.1"]
    ck.eq(loop, [], "no 127.0.0.1 left in csvlog connection_from")
    ck.check("127.0.0.1(" not in open(os.path.join(out, "postgresql.log"), encoding="utf-8").read(),
             "no 127.0.0.1 left in the stderr %r")

    # monotone per session, spanning the simulated days
    sim_start = dataset.to_ns(dt.datetime.combine(cfg.start, dt.time(), dt.timezone.utc))
    sim_end = sim_start + cfg.days * 86_400_000_000_000
    per = collections.defaultdict(list)
    for r in new_csv:
        per[r[5]].append((int(r[6]), ts_ns(r[0])))
    nonmono = [s for s, v in per.items() if [t for _, t in sorted(v)] != sorted(t for _, t in v)]
    ck.eq(nonmono, [], "re-timed csvlog is non-decreasing per session")
    per_st = collections.defaultdict(list)
    for ts, pid, user, db, host, sid, line, sev in st:
        if sid:
            per_st[sid].append(ts_ns(ts))
    ck.eq([s for s, v in per_st.items() if v != sorted(v)], [], "re-timed stderr log is non-decreasing per session")
    work = [ts_ns(r[0]) for r in new_csv if r[13].startswith("AUDIT: ")]
    days = sorted(set((t - sim_start) // 86_400_000_000_000 for t in work))
    ck.eq(days, list(range(cfg.days)), "AUDIT records fall on every simulated day and nowhere else")
    all_t = [ts_ns(r[0]) for r in new_csv]
    ck.check(min(all_t) >= sim_start - 6 * 3600 * 10**9 and max(all_t) <= sim_end + 3600 * 10**9,
             "all re-timed records lie between the setup evening and the end of the window")
    # session start <= first line; disconnection session time == simulated duration
    for r in new_csv:
        if r[8] and r[0][:19] < r[8][:19]:
            ck.check(False, f"session_start after a line of session {r[5]}")
            break

    # ground truth vs DB and vs the audit log
    reads = res.reads
    for sc in doc["scenarios"]:
        s = sc["id"]
        ck.eq(sc["customers"]["count"], len(reads.get(s, {})), f"{s}: ground-truth count == recorded reads")
        if s in res.sql_counts:
            ck.eq(sc["by_country"], res.sql_counts[s][0], f"{s}: by_country == SQL GROUP BY country")
            ck.eq(sc["by_region"], res.sql_counts[s][1], f"{s}: by_region == SQL GROUP BY region")
        with open(os.path.join(out, sc["customers"]["file"])) as f:
            ids = [int(line.split(",")[0]) for line in f.readlines()[1:]]
        ck.eq(sorted(ids), sorted(reads.get(s, {})), f"{s}: customers file == recorded set")
        ck.check(sc["customers"]["count"] > 0, f"{s}: scenario read customers")
    scen = {sc["id"]: sc for sc in doc["scenarios"]}
    sess_of = lambda s: set(scen[s]["subject"]["session_ids"])
    audit_new = [r for r in new_csv if r[13].startswith("AUDIT: ")]
    if "bulk_paging" in scen:
        rows = sum(int(audit_fields(r[13])[9]) for r in audit_new
                   if r[5] in sess_of("bulk_paging") and "OFFSET" in audit_fields(r[13])[7])
        ck.eq(rows, scen["bulk_paging"]["customers"]["count"], "bulk_paging: rows logged by pgaudit == customers")
        first = min(ts_ns(r[0]) for r in audit_new if r[5] in sess_of("bulk_paging") and "OFFSET" in r[13])
        gt_first = ts_ns(scen["bulk_paging"]["customers"]["first_access"].replace("T", " ").rstrip("Z"))
        ck.check(0 <= first - gt_first < 1_000_000_000,
                 "bulk_paging: first AUDIT line within 1 s after the ground-truth first access")
        # independent of the time map: the log puts each page at its planned simulated time
        planned = [res.runner.S[r.anchor] for r in res.runner.statements if r.bulk]
        logged = sorted(ts_ns(r[0]) for r in audit_new
                        if r[5] in sess_of("bulk_paging") and "OFFSET" in audit_fields(r[13])[7])
        ck.check(len(planned) == len(logged) and all(0 <= b - a < 1_000_000_000 for a, b in zip(planned, logged)),
                 "bulk_paging: every page's AUDIT line lies within 1 s after its planned simulated time")
    with open(os.path.join(out, "sessions.csv")) as f:
        sess = list(csv.DictReader(f))
    iso_ns = lambda s: ts_ns(s.replace("T", " ").rstrip("Z"))
    late = [s["session_id"] for s in sess if s["disconnection_logged"] and
            not 0 <= iso_ns(s["disconnection_logged"]) - iso_ns(s["closed"]) < 1_000_000_000]
    ck.eq(late, [], "every disconnection is logged within 1 s after the simulated close")
    ck.check(all(s["disconnection_logged"] for s in sess if s["login_ok"] == "yes"),
             "every session's disconnection is in the log")
    if "export" in scen:
        rows = [int(audit_fields(r[13])[9]) for r in audit_new
                if r[5] in sess_of("export") and audit_fields(r[13])[4] == "SELECT" and "COPY" in r[13]]
        ck.eq(rows, [scen["export"]["customers"]["count"]], "export: COPY rows logged by pgaudit == customers")
    if "slow_and_low" in scen:
        agent = scen["slow_and_low"]["subject"]["portal_login"]
        app = f"support-portal/agent={agent}"
        params = set()
        for r in audit_new:
            if r[22] == app:
                f = audit_fields(r[13])
                if f[6] == "crm.customers" and f[7].endswith("WHERE customer_id = $1"):
                    params.add(int(f[8]))
        gt_app = set()
        for rec in res.runner.statements:
            if rec.tag and rec.tag.get("scenario") == "slow_and_low" and rec.tag["channel"] == "app" and rec.cids:
                gt_app.update(rec.cids)
        ck.check(gt_app and gt_app <= params,
                 f"slow_and_low: every portal read is a logged parameter ({len(gt_app - params)} missing)")
        if res.plan.slow_direct_days:
            direct = [r for r in audit_new if r[5] in sess_of("slow_and_low") and "IN (" in r[13]]
            ck.check(len(direct) > 0, "slow_and_low: direct IN-list reads present")
    if "benign_heavy_day" in scen:
        h = scen["benign_heavy_day"]
        ck.check(h["customers_opened"] >= 3 * (h["baseline_mean_opened_other_workdays"] or 1),
                 f"benign heavy day opens >= 3x the agent's usual ({h['customers_opened']} vs "
                 f"{h['baseline_mean_opened_other_workdays']})")
    fatal = [r for r in new_csv if r[11] == "FATAL" and r[12] == "28P01"]
    ck.eq(len(fatal), len(doc["failed_logins"]), "failed logins in the log == ground truth")
    ck.check(len(fatal) >= 5, "some failed logins")
    ad = doc["agent_days"]
    ck.check(any(d["customers_opened"] > 0 for d in ad), "agent_days carries per-agent-day counts")


def proc_alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def check_gone(ck, bed_dir, pid, what):
    ck.check(bed_dir is not None and not os.path.exists(bed_dir), f"{what}: bed dir {bed_dir} removed")
    ck.check(pid is not None and not proc_alive(pid), f"{what}: postmaster {pid} gone")
    if bed_dir:
        ck.eq(srv.processes_using(bed_dir), [], f"{what}: no process uses the bed dir")


def child_cleanup(ck, mode, work):
    """Runs pgbed in a child, breaks it (injected failure or SIGINT), checks that it cleaned up."""
    out = os.path.join(work, f"child-{mode}")
    cmd = ["/usr/bin/python3", PGBED, "run", "--out", out, "--customers", "400", "--agents", "2", "--days", "3",
           "--scenarios", "none"]
    if mode == "failure":
        cmd += ["--fail-at", "30"]
    p = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    bed_dir = pid = None
    lines = []
    deadline = time.time() + 60
    for line in p.stderr:
        lines.append(line)
        m = re.search(r"bed at (\S+)", line)
        if m:
            bed_dir = m.group(1)
        m = re.search(r"up on .* \(pid (\d+)\)", line)
        if m:
            pid = int(m.group(1))
            if mode == "sigint":
                time.sleep(0.3)
                p.send_signal(signal.SIGINT)
        if time.time() > deadline:
            p.kill()
            break
    rc = p.wait(60)
    ck.check(rc != 0, f"{mode}: the child failed as intended (rc {rc})")
    time.sleep(0.2)
    check_gone(ck, bed_dir, pid, f"after {mode}")
    if ck.failures:
        sys.stderr.write("".join(lines[-20:]))


def main(args):
    ck = Checker()
    t0 = time.time()
    work = args.work or tempfile.mkdtemp(prefix="pgbed-selftest-")
    os.makedirs(work, exist_ok=True)
    out = os.path.join(work, "out")
    cfg = Config(seed=7, customers=args.customers, agents=args.agents, days=args.days,
                 start=dt.date(2026, 10, 22),  # Thursday: workdays, a weekend, workdays
                 bulk_customers=max(1000, args.customers * 45 // 100), bulk_page=500, slow_per_day=250)
    ok = False
    try:
        # determinism of data and plan
        d1 = dataset.Dataset(2000, 7, cfg.start)
        d2 = dataset.Dataset(2000, 7, cfg.start)
        h = lambda p: hashlib.sha256(repr([(e[0], e[2], sorted((k, repr(v)) for k, v in e[3].items()))
                                           for e in p.events]).encode()).hexdigest()
        small = Config(seed=7, customers=2000, agents=5, days=3, start=cfg.start)
        ck.eq(h(Plan(small, d1)), h(Plan(small, d2)), "same seed, same plan")
        ck.eq(d1.customers, d2.customers, "same seed, same customers")

        res = bed.run(cfg, out, on_ready=lambda r: verify_db(r, ck))
        ck.check(getattr(res, "db_checked", False), "DB-side checks ran")
        check_gone(ck, res.bed_dir, res.server.last_pid, "after run")
        check_outputs(res, out, ck)
        log(f"main run {res.timings['total_s']} s; workload {res.timings['workload_s']} s")
        child_cleanup(ck, "failure", work)
        child_cleanup(ck, "sigint", work)
        ok = not ck.failures
    finally:
        dt_s = time.time() - t0
        if ok and not args.keep and not args.work:
            shutil.rmtree(work, ignore_errors=True)
        log(f"{ck.n} checks, {len(ck.failures)} failed, {dt_s:.1f} s" +
            ("" if ok and not args.keep else f"; outputs kept in {work}"))
    return 0 if ok else 1
