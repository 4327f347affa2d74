#!/usr/bin/python3
"""pgbed: a real PostgreSQL 15 + pgaudit test bed with a customer-support workload.

  pgbed.py run --out out [--customers 100000 --agents 40 --days 30 --seed 1 ...]
  pgbed.py demo DIR          small, fast demo dataset (20,000 customers, 12 agents, 14 days)
  pgbed.py selftest          the ctest (label dbbed): real server, small workload, checks
  pgbed.py plan [...]        print the plan (staff, scenario days, event counts) without a server

See docs/pgbed.md for the log format, conventions, ground truth and the re-timing.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def _ensure_interpreter():
    try:
        import psycopg  # noqa: F401
    except ImportError:
        if os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") and \
                os.path.exists("/usr/bin/python3") and not os.environ.get("PGBED_REEXEC"):
            os.environ["PGBED_REEXEC"] = "1"
            os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
        sys.exit("pgbed: psycopg 3 is missing; install python3-psycopg (scripts/setup.sh --test) "
                 "and run with /usr/bin/python3")


_ensure_interpreter()
sys.path.insert(0, HERE)

import argparse  # noqa: E402
import datetime as dt  # noqa: E402

from pgbedlib import plan as planmod  # noqa: E402


def add_workload_args(ap, d):
    ap.add_argument("--customers", type=int, default=d.customers)
    ap.add_argument("--agents", type=int, default=d.agents)
    ap.add_argument("--analysts", type=int, default=d.analysts, help="0: agents/10, at least 2")
    ap.add_argument("--dbas", type=int, default=d.dbas)
    ap.add_argument("--days", type=int, default=d.days)
    ap.add_argument("--start", type=dt.date.fromisoformat, default=d.start, help="first simulated day (UTC)")
    ap.add_argument("--seed", type=int, default=d.seed)
    ap.add_argument("--cases", type=float, nargs=2, metavar=("MIN", "MAX"), default=(d.cases_min, d.cases_max),
                    help="range of an agent's mean customers opened per workday")
    ap.add_argument("--scenarios", default="all",
                    help="comma list of " + ",".join(planmod.SCENARIOS) + " | all | none")
    ap.add_argument("--bulk-customers", type=int, default=d.bulk_customers,
                    help="customers the paging insider reads (0: min(45000, 45%% of customers))")
    ap.add_argument("--bulk-page", type=int, default=d.bulk_page)
    ap.add_argument("--slow-per-day", type=int, default=d.slow_per_day)
    ap.add_argument("--export-countries", default=",".join(d.export_countries))
    ap.add_argument("--heavy-factor", type=float, default=d.heavy_factor)


def config_from(args):
    sc = args.scenarios.strip()
    if sc == "all":
        scen = planmod.SCENARIOS
    elif sc in ("none", ""):
        scen = ()
    else:
        scen = tuple(x.strip() for x in sc.split(","))
        bad = [x for x in scen if x not in planmod.SCENARIOS]
        if bad:
            sys.exit(f"pgbed: unknown scenario(s) {bad}; known: {', '.join(planmod.SCENARIOS)}")
    return planmod.Config(seed=args.seed, customers=args.customers, agents=args.agents, analysts=args.analysts,
                          dbas=args.dbas, days=args.days, start=args.start, cases_min=args.cases[0],
                          cases_max=args.cases[1], scenarios=scen, bulk_customers=args.bulk_customers,
                          bulk_page=args.bulk_page, slow_per_day=args.slow_per_day,
                          export_countries=tuple(c.strip().upper() for c in args.export_countries.split(",")),
                          heavy_factor=args.heavy_factor)


DEMO = dict(customers=20_000, agents=12, days=14)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="pgbed.py", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = planmod.Config()
    r = sub.add_parser("run", help="full run into --out")
    add_workload_args(r, d)
    r.add_argument("--out", default="out")
    r.add_argument("--dir", help="bed directory (default: a fresh temp dir)")
    r.add_argument("--keep-dir", action="store_true", help="keep the bed directory (server data) afterwards")
    r.add_argument("--exec", dest="exec_cmd",
                   help="shell command to run after the workload while the server is up "
                        "(env: PGHOST PGPORT PGDATABASE PGUSER=privacy_officer PGPASSWORD PGBED_OUT)")
    r.add_argument("--fail-at", type=int, help=argparse.SUPPRESS)

    dm = sub.add_parser("demo", help="small demo dataset into DIR")
    dm.add_argument("dir")
    dm.add_argument("--seed", type=int, default=1)

    st = sub.add_parser("selftest", help="start a real server, run a small workload, check everything")
    st.add_argument("--work", help="directory for outputs (default: a temp dir, removed on success)")
    st.add_argument("--keep", action="store_true", help="keep the outputs")
    st.add_argument("--customers", type=int, default=10_000)
    st.add_argument("--agents", type=int, default=6)
    st.add_argument("--days", type=int, default=6)

    pl = sub.add_parser("plan", help="print the plan without a server")
    add_workload_args(pl, d)

    args = ap.parse_args(argv)
    from pgbedlib import server as srv
    srv.install_signal_handlers()
    if args.cmd == "run":
        from pgbedlib import bed
        cfg = config_from(args)
        os.makedirs(args.out, exist_ok=True)
        bed.run(cfg, args.out, bed_dir=args.dir, keep_dir=args.keep_dir, exec_cmd=args.exec_cmd,
                fail_at=args.fail_at)
        print(os.path.abspath(args.out))
        return 0
    if args.cmd == "demo":
        from pgbedlib import bed
        cfg = planmod.Config(seed=args.seed, **DEMO)
        os.makedirs(args.dir, exist_ok=True)
        bed.run(cfg, args.dir)
        print(os.path.abspath(args.dir))
        return 0
    if args.cmd == "selftest":
        from pgbedlib import selftest
        return selftest.main(args)
    if args.cmd == "plan":
        from pgbedlib import dataset
        cfg = config_from(args).resolved()
        data = dataset.Dataset(cfg.customers, cfg.seed, cfg.start)
        p = planmod.Plan(cfg, data)
        kinds = {}
        for e in p.events:
            kinds[e[2]] = kinds.get(e[2], 0) + 1
        stmts = sum(len(e[3].get("stmts", ())) for e in p.events)
        print(f"events: {kinds}, statements: {stmts}")
        for s, a in p.actor.items():
            if s in p.active_scenarios:
                print(f"{s}: {a.name} ({a.role}, team {a.team or '-'}, db user {a.db_user or '-'})")
        print(f"heavy day {p.heavy_day}, bulk days {[str(x) for x in p.bulk_days]}, "
              f"slow days {len(p.slow_days)} from {p.slow_days[0] if p.slow_days else '-'}")
        return 0
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("pgbed: interrupted; cleaned up", file=sys.stderr)
        sys.exit(130)
    except RuntimeError as e:  # our own failures (initdb, --exec, --fail-at): no traceback
        print(f"pgbed: error: {e}", file=sys.stderr)
        sys.exit(1)
