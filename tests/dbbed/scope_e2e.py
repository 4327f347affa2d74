#!/usr/bin/python3
"""End-to-end test of `inari scope` against a real PostgreSQL 15 + pgaudit (ctest dbbed.scope).

  scope_e2e.py --inari BUILD/src/cli/inari [--work DIR] [--keep] [--reuse OUT BED]

1. Runs the test bed (tools/pgbed, docs/pgbed.md) with the selftest's small config and
   `--dir BED --keep-dir`, so that after the run the re-timed logs and ground_truth.json are in
   OUT and the server's data directory is kept in BED.
2. Starts the kept server again on a free 127.0.0.1 port (as the `postgres` account when run as
   root), logging to its own file, not to OUT. Over the bed's trust socket it gives
   `privacy_officer` (SELECT on customer_id, country, region only) a known password and creates
   `scope_auditor` (SELECT on the crm tables) for reads whose filters use other columns. The
   password goes to inari through PGPASSWORD, never on a command line.
3. For each scenario of the ground truth runs `inari scope` and compares with ground_truth.json:
   * scenarios whose sessions hold only that scenario's statements (bulk paging, export,
     service-account misuse, the heavy day): `--session` every session of the scenario; the
     customer count, `by_country` and `by_region` must be **exact** and equal, with `--db` (countries
     from the database) and with `--db` + `--geo customers_geo.csv`; the scenario's gt/*.customers.csv
     must equal the keys inari lists;
   * slow-and-low (its portal sessions also carry the agent's normal cases): per simulated day,
     `--human LOGIN --user DBUSER --from DAY --to DAY` must give exactly the day's
     `agent_days.customers_read`; over all days the scope must contain every ground-truth customer;
   * least privilege: with `privacy_officer` the three scenarios whose reads filter on key,
     country or region only are exact too;
   * nothing of the customer data but keys, countries and regions appears in any output (names and
     e-mail addresses of the customers table are searched for in text, JSON, HTML and CSV).
4. Stops the server; removes everything unless --keep or a check failed.
"""

import argparse
import csv
import json
from datetime import datetime, timedelta
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PGBED = os.path.join(ROOT, "tools", "pgbed", "pgbed.py")
PG_BIN = os.environ.get("PGBED_PG_BIN", "/usr/lib/postgresql/15/bin")
EXACT_BY_SESSION = ("bulk_paging", "export", "service_account_misuse", "benign_heavy_day")
LEAST_PRIVILEGE = ("bulk_paging", "export", "service_account_misuse")

failures = []
checks = 0


def log(msg):
    print(f"scope_e2e: {msg}", file=sys.stderr, flush=True)


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        log(f"FAIL {what}")
    return cond


def eq(a, b, what):
    s = lambda v: (repr(v)[:300] + "...") if len(repr(v)) > 300 else repr(v)
    return check(a == b, f"{what}: {s(a)} != {s(b)}")


def _pdeathsig():
    # The server dies with this script, also when ctest kills it (runs after setuid).
    import ctypes
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGINT, 0, 0, 0)  # PR_SET_PDEATHSIG


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """The kept bed's data directory, started again."""

    def __init__(self, bed, logfile):
        self.bed, self.data, self.sock = bed, os.path.join(bed, "data"), os.path.join(bed, "sock")
        self.port, self.proc, self.logfile = free_port(), None, logfile

    def start(self):
        kw = {}
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            kw = dict(user=pw.pw_uid, group=pw.pw_gid, extra_groups=[])
            open(self.logfile, "ab").close()
            os.chown(self.logfile, pw.pw_uid, pw.pw_gid)
        out = open(self.logfile, "ab")
        # Own port and log: the bed's logs in OUT stay as they are.
        cmd = [os.path.join(PG_BIN, "postgres"), "-D", self.data, "-p", str(self.port),
               "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={self.sock}",
               "-c", "logging_collector=off", "-c", "log_destination=stderr"]
        env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8", TZ="UTC")
        env.pop("PGDATA", None)
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                     start_new_session=True, env=env, preexec_fn=_pdeathsig, **kw)
        out.close()
        import psycopg
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"postgres exited; see {self.logfile}")
            try:
                with psycopg.connect(**self.admin(), connect_timeout=2):
                    return
            except psycopg.OperationalError:
                time.sleep(0.1)
        raise RuntimeError("postgres did not start within 60 s")

    def admin(self, db="postgres"):
        return dict(host=self.sock, port=self.port, user="postgres", dbname=db, options="-c pgaudit.log=none")

    def stop(self):
        if not self.proc:
            return
        for sig, wait in ((signal.SIGINT, 30), (signal.SIGQUIT, 10), (signal.SIGKILL, 10)):
            try:
                self.proc.send_signal(sig)
                self.proc.wait(wait)
                break
            except subprocess.TimeoutExpired:
                continue
            except ProcessLookupError:
                break
        self.proc = None


def run_scope(inari, args, password, work, name):
    """Runs inari scope; returns (exit code, parsed JSON, text stdout, paths of the other outputs)."""
    js, html, cust = (os.path.join(work, f"{name}.{ext}") for ext in ("json", "html", "customers.csv"))
    cmd = [inari, "scope", "--quiet", "--json", js, "--html", html, "--customers-csv", cust,
           "--now", "2026-10-26T12:00:00Z"] + args
    env = dict(os.environ, PGPASSWORD=password) if password else dict(os.environ)
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True, timeout=600)
    if r.returncode not in (0, 4):
        log(f"{name}: exit {r.returncode}\n{r.stderr}")
    doc = None
    if os.path.exists(js):
        with open(js) as f:
            doc = json.load(f)
    return r.returncode, doc, r.stdout + r.stderr, dict(json=js, html=html, csv=cust)


def keys_of(csv_path):
    with open(csv_path, newline="") as f:
        return {row["key"] for row in csv.DictReader(f)}


def gt_keys(out, scenario):
    with open(os.path.join(out, scenario["customers"]["file"]), newline="") as f:
        return {row["customer_id"] for row in csv.DictReader(f)}


def by_country(doc):
    return {c["country"]: c["customers"] for c in doc["by_country"]}


def by_region(doc):
    return {c["region"]: c["customers"] for c in doc["by_region"]}


def plaintext_samples(server, n=400):
    """Names and e-mail addresses of customers: none of them may appear in any output."""
    import psycopg
    with psycopg.connect(**server.admin("custdb"), autocommit=True) as c:
        rows = c.execute("SELECT email, first_name || ' ' || last_name, phone FROM crm.customers "
                         "ORDER BY customer_id LIMIT %s", (n,)).fetchall()
    out = set()
    for email, name, phone in rows:
        out.update((email, name, phone))
    return out


def main():
    def terminate(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGTERM, terminate)
    ap = argparse.ArgumentParser()
    ap.add_argument("--inari", required=True)
    ap.add_argument("--work")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--reuse", nargs=2, metavar=("OUT", "BED"), help="use an earlier run --keep-dir (no new bed)")
    ap.add_argument("--customers", type=int, default=10_000)
    ap.add_argument("--agents", type=int, default=6)
    ap.add_argument("--days", type=int, default=6)
    args = ap.parse_args()
    inari = os.path.abspath(args.inari)
    work = args.work or tempfile.mkdtemp(prefix="inari-scope-e2e-")
    os.makedirs(work, exist_ok=True)
    if os.geteuid() == 0:
        os.chmod(work, 0o755)
    server = None
    try:
        if args.reuse:
            out, bed = (os.path.abspath(p) for p in args.reuse)
        else:
            out, bed = os.path.join(work, "out"), os.path.join(work, "bed")
            cmd = ["/usr/bin/python3", PGBED, "run", "--out", out, "--dir", bed, "--keep-dir",
                   "--customers", str(args.customers), "--agents", str(args.agents), "--days", str(args.days),
                   "--start", "2026-10-22"]
            log("running the test bed: " + " ".join(cmd))
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(out, "ground_truth.json")) as f:
            gt = json.load(f)
        # All three formats of the same server log at once: each record must count once.
        logs = [os.path.join(out, n) for n in ("postgresql.log", "postgresql.csv", "postgresql.json")]
        logs = ["--pg-prefix", gt["server"]["log_line_prefix"]] + logs
        geo = os.path.join(out, "customers_geo.csv")

        server = Server(bed, os.path.join(work, "server.log"))
        server.start()
        log(f"kept bed server up on 127.0.0.1:{server.port}")
        import psycopg
        officer_pw, auditor_pw = "po-" + os.urandom(8).hex(), "au-" + os.urandom(8).hex()
        with psycopg.connect(**server.admin("custdb"), autocommit=True) as c:
            c.execute(f"ALTER ROLE privacy_officer PASSWORD '{officer_pw}'")
            c.execute("DROP ROLE IF EXISTS scope_auditor")
            c.execute(f"CREATE ROLE scope_auditor LOGIN PASSWORD '{auditor_pw}'")
            c.execute("GRANT CONNECT ON DATABASE custdb TO scope_auditor")
            c.execute("GRANT USAGE ON SCHEMA crm TO scope_auditor")
            c.execute("GRANT SELECT ON ALL TABLES IN SCHEMA crm TO scope_auditor")
        db = lambda user: f"host=127.0.0.1 port={server.port} dbname=custdb user={user} sslmode=disable"
        config = os.path.join(work, "scope.yml")
        with open(config, "w") as f:
            f.write("customer_table: crm.customers\nkey_column: customer_id\n"
                    "key_tables: [crm.subscriptions, crm.orders, crm.tickets]\n")
        secrets = plaintext_samples(server)
        outputs = []

        for sc in gt["scenarios"]:
            sid = sc["id"]
            want_n = sc["customers"]["count"]
            want_c = sc["by_country"]
            want_r = sc["by_region"]
            if sid in EXACT_BY_SESSION:
                subject = []
                for s in sc["sessions"]:
                    subject += ["--session", s["session_id"]]
                variants = [("auditor-db", ["--db", db("scope_auditor")], auditor_pw),
                            ("auditor-db-geo", ["--db", db("scope_auditor"), "--geo", geo], auditor_pw)]
                if sid in LEAST_PRIVILEGE:
                    variants.append(("officer-db", ["--db", db("privacy_officer")], officer_pw))
                for name, extra, pw in variants:
                    tag = f"{sid}.{name}"
                    rc, doc, text, files = run_scope(inari, ["--config", config] + subject + extra + logs, pw, work, tag)
                    outputs.append(files)
                    if not check(doc is not None, f"{tag}: JSON written"):
                        continue
                    eq(rc, 0, f"{tag}: exit code (0 = exact)")
                    eq(doc["customers"]["exact"], True, f"{tag}: exact ({doc['customers']['inexact_reasons']})")
                    eq(doc["customers"]["count"], want_n, f"{tag}: customers")
                    eq(by_country(doc), want_c, f"{tag}: by_country")
                    eq(by_region(doc), want_r, f"{tag}: by_region")
                    eq(keys_of(files["csv"]), gt_keys(out, sc), f"{tag}: customer keys")
                    eq(doc["geo"]["unknown"], 0, f"{tag}: customers without country")
                    log(f"{tag}: {doc['customers']['count']} customers, {len(doc['by_country'])} countries, "
                        f"exact={doc['customers']['exact']}")
            elif sid == "slow_and_low":
                subj = sc["subject"]
                ident = ["--human", subj["portal_login"]]
                person = subj["person"]
                rows = [d for d in gt["agent_days"] if d["person"] == person and d["customers_read"] > 0]
                db_user = next((d["db_user"] for d in rows if d["db_user"]), None)
                if db_user:
                    ident += ["--user", db_user]
                log(f"{sid}: {len(rows)} days of {subj['portal_login']}/{db_user} checked day by day")
                for d in rows:
                    tag = f"{sid}.day-{d['date']}"
                    rc, doc, text, files = run_scope(
                        inari, ["--config", config] + ident + ["--from", d["date"], "--to", d["date"],
                                                               "--db", db("scope_auditor")] + logs,
                        auditor_pw, work, tag)
                    outputs.append(files)
                    if check(doc is not None, f"{tag}: JSON written"):
                        eq(doc["customers"]["exact"], True, f"{tag}: exact ({doc['customers']['inexact_reasons']})")
                        eq(doc["customers"]["count"], d["customers_read"], f"{tag}: customers read that day")
                tag = f"{sid}.all"
                # The ground truth times a statement when it starts; the server logs its AUDIT record
                # when it has run (milliseconds later, more on a loaded machine): the window ends a
                # minute after the last statement's start so that statement is inside it.
                end = (datetime.fromisoformat(sc["end"].replace("Z", "+00:00")) + timedelta(minutes=1))
                rc, doc, text, files = run_scope(
                    inari, ["--config", config] + ident + ["--from", sc["start"],
                                                           "--to", end.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                                                           "--db", db("scope_auditor"), "--geo", geo] + logs,
                    auditor_pw, work, tag)
                outputs.append(files)
                if check(doc is not None, f"{tag}: JSON written"):
                    got, want = keys_of(files["csv"]), gt_keys(out, sc)
                    check(want <= got, f"{tag}: every ground-truth customer in the scope ({len(want - got)} missing)")
                    check(all(doc_c >= want_c.get(c, 0) for c, doc_c in by_country(doc).items()) and
                          set(want_c) <= set(by_country(doc)), f"{tag}: by_country covers the ground truth")
                    log(f"{tag}: {doc['customers']['count']} customers (scenario alone {want_n}, the rest his "
                        f"normal cases in the same sessions)")

        # No customer data but keys, countries and regions in any output.
        leaked = 0
        for files in outputs:
            for path in files.values():
                if not os.path.exists(path):
                    continue
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                for s in secrets:
                    if s and s in text:
                        leaked += 1
                        log(f"customer data in {path}")
                        break
        eq(leaked, 0, "outputs holding customer names, e-mail addresses or phone numbers")
    finally:
        if server:
            server.stop()
    ok = not failures
    log(f"{checks} checks, {len(failures)} failed")
    if ok and not args.keep and not args.work:
        shutil.rmtree(work, ignore_errors=True)
    elif not ok or args.keep:
        log(f"outputs kept in {work}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
