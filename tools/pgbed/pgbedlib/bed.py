"""One bed run: server up, data loaded, workload replayed, logs re-timed, truth written."""

import datetime as dt
import json
import os
import secrets
import shutil
import subprocess
import sys
import time

from . import dataset, server as srv
from .plan import Plan
from .retime import Retimer
from .runner import Runner
from .truth import Truth


def log(msg):
    print(f"pgbed: {msg}", file=sys.stderr, flush=True)


class Result:
    pass


def run(cfg, out, bed_dir=None, keep_dir=False, on_ready=None, exec_cmd=None, fail_at=None):
    """Runs the whole bed. on_ready(ctx) is called with the server still up after the workload.

    Returns a Result with plan, data, runner, retimer, truth doc, timings and the bed dir.
    """
    res = Result()
    timings = {}
    t0 = time.time()
    cfg = cfg.resolved()
    data = dataset.Dataset(cfg.customers, cfg.seed, cfg.start)
    timings["generate_data_s"] = round(time.time() - t0, 2)
    t1 = time.time()
    plan = Plan(cfg, data)
    timings["plan_s"] = round(time.time() - t1, 2)
    log(f"{cfg.customers} customers, {len(plan.agents)} agents, {len(plan.analysts)} analysts, "
        f"{len(plan.dbas)} DBAs, {cfg.days} days from {cfg.start}, {len(plan.events)} events; "
        f"scenarios: {', '.join(plan.active_scenarios) or 'none'}")
    passwords = {u: secrets.token_urlsafe(15) for u in plan.accounts}
    accounts = {u: (pw, plan.account_attrs.get(u, "")) for u, pw in passwords.items()}
    server = srv.PgServer(bed_dir, log=log)
    runner = Runner(server, plan, passwords, log=log)
    runner.fail_at = fail_at
    res.server, res.plan, res.data, res.runner, res.cfg = server, plan, data, runner, cfg
    sim_start = dataset.to_ns(dt.datetime.combine(cfg.start, dt.time(), dt.timezone.utc))
    sim_end = sim_start + cfg.days * 86_400 * 1_000_000_000
    try:
        runner.anchor(sim_start - 6 * 3_600_000_000_000, "setup")
        t1 = time.time()
        server.start()
        res.bed_dir = server.dir
        timings["server_start_s"] = round(time.time() - t1, 2)
        t1 = time.time()
        data.load(server, accounts, plan.memberships)
        timings["load_s"] = round(time.time() - t1, 2)
        runner.done()
        t1 = time.time()
        runner.run(plan.events)
        timings["workload_s"] = round(time.time() - t1, 2)
        end_anchor = runner.anchor(sim_end, "end")
        runner.done()
        runner.close_all()
        if on_ready:
            on_ready(res)
        if exec_cmd:
            env = dict(os.environ, PGHOST="127.0.0.1", PGPORT=str(server.port), PGDATABASE=dataset.DB,
                       PGUSER="privacy_officer", PGPASSWORD=passwords["privacy_officer"],
                       PGBED_OUT=os.path.abspath(out), PGBED_SOCKET=server.sockdir)
            log(f"running: {exec_cmd}")
            rc = subprocess.call(exec_cmd, shell=True, env=env)
            if rc != 0:
                raise RuntimeError(f"--exec command failed with exit code {rc}")
        server.stop()
        t1 = time.time()
        raw = os.path.join(out, "raw")
        os.makedirs(raw, exist_ok=True)
        files = {}
        for fmt, path in server.log_files().items():
            dst = os.path.join(raw, os.path.basename(path))
            shutil.copyfile(path, dst)
            files[fmt] = dst
        rt = Retimer(runner, end_anchor)
        with open(files["csvlog"], "rb") as f:
            rt.learn(f.read())
        for fmt, method in (("csvlog", rt.rewrite_csv), ("jsonlog", rt.rewrite_json), ("stderr", rt.rewrite_stderr)):
            with open(files[fmt], "rb") as f:
                data_bytes = f.read()
            with open(os.path.join(out, os.path.basename(files[fmt])), "wb") as f:
                f.write(method(data_bytes))
        timings["retime_s"] = round(time.time() - t1, 2)
        res.retimer = rt
        leaked = sum(1 for s in rt.sessions.values() if s.leaked)
        t1 = time.time()
        meta = dict(
            generator=dict(tool="pgbed", format_version=1, seed=cfg.seed, customers=cfg.customers,
                           agents=len(plan.agents), analysts=len(plan.analysts), dbas=len(plan.dbas),
                           days=cfg.days, start=dataset.iso(sim_start), end=dataset.iso(sim_end),
                           scenarios=plan.active_scenarios, command=" ".join(sys.argv)),
            server=dict(version=server.version, log_line_prefix=srv.LOG_LINE_PREFIX,
                        log_destination=server.settings["log_destination"],
                        pgaudit={k: server.settings[k] for k in srv.PGAUDIT_SETTINGS},
                        database=dataset.DB, customer_table="crm.customers", customer_key="customer_id"),
            time_map=dict(anchors=len(runner.R), setup=dataset.iso(runner.S[0]),
                          real_start_ms=runner.R[0], real_end_ms=runner.R[end_anchor],
                          disconnections_logged_after_next_action=leaked,
                          unattributed_sessions=rt.unattributed),
            ip_plan={"10.20.<team>.<n>": "agent workstations (team 1 EN, 2 DACH, 3 FR-BENELUX, 4 SOUTH, 5 NORTH-EAST)",
                     "10.21.0.<n>": "analyst workstations", "10.22.0.<n>": "DBA workstations",
                     "10.22.0.5": "admin jump host", "10.30.1.11, 10.30.1.12": "support-portal app servers",
                     "10.30.2.20": "BI server (Metabase)", "10.250.0.0/16": "VPN pool",
                     "10.40.3.77": "unknown host (password guessing)", "[local]": "the bed's own setup sessions"},
            conventions=dict(application_name_app="support-portal/agent=<portal login>",
                             customer_read="a customer_id returned in a row from crm.customers (lookup, "
                                           "search result, page, IN-list, COPY)",
                             customer_opened="a customer card opened in the portal (one lookup by id, "
                                             "email or phone)"),
            timings=timings,
        )
        truth = Truth(cfg, plan, data, runner, rt)
        res.doc = truth.write(out, meta)
        timings["truth_s"] = round(time.time() - t1, 2)
        timings["total_s"] = round(time.time() - t0, 2)
        with open(os.path.join(out, "ground_truth.json"), "r+") as f:  # final timings
            doc = json.load(f)
            doc["timings"] = timings
            f.seek(0)
            json.dump(doc, f, indent=1, ensure_ascii=False)
            f.write("\n")
            f.truncate()
        res.doc["timings"] = timings
        res.timings = timings
        log(f"done in {timings['total_s']} s: " + ", ".join(f"{k}={v}" for k, v in timings.items()))
        return res
    finally:
        runner.close_all()
        server.close(keep_dir=keep_dir)
