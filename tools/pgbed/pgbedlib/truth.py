"""Ground truth: what each insider scenario read, per agent-day volumes, sessions, staff.

Customer sets come from the rows the server actually returned to the client (first
column customer_id of every customer-returning statement, the CSV of a COPY), not
from the plan. Access times are the simulated start of the statement (the
AUDIT line that logs it is stamped between that and the simulated end, usually
within the same millisecond).
"""

import collections
import csv
import datetime as dt
import json
import os

from . import dataset, geo

DESCRIPTIONS = {
    "bulk_paging": "An agent pages through the customer table from DBeaver under his personal DB "
                   "account (SELECT ... ORDER BY customer_id LIMIT n OFFSET m) on two evenings.",
    "slow_and_low": "An agent opens a few hundred extra customers a day through the support portal "
                    "(lookups by id, no ticket work) and, every fourth day, straight from DBeaver/psql "
                    "with IN (...) lists, for weeks.",
    "export": "An analyst exports customers of some countries with psql \\copy "
              "(COPY (SELECT ...) TO STDOUT) late at night over VPN.",
    "benign_heavy_day": "NOT malicious: during an incident an agent legitimately opens many more "
                        "customers than usual through the portal, each with a ticket.",
    "service_account_misuse": "An agent guesses the support_app password from his workstation and "
                              "reads customers with psql as the service account.",
}
MALICIOUS = {"bulk_paging": True, "slow_and_low": True, "export": True, "benign_heavy_day": False,
             "service_account_misuse": True}


def scenario_reads(runner):
    """scenario -> {customer_id: [first_rec, last_rec]} from the recorded statements."""
    out = collections.defaultdict(dict)
    for rec in runner.statements:
        sc = rec.tag and rec.tag.get("scenario")
        if not sc or not rec.cids:
            continue
        d = out[sc]
        for cid in rec.cids:
            e = d.get(cid)
            if e is None:
                d[cid] = [rec, rec]
            else:
                e[1] = rec
    return out


class Truth:
    def __init__(self, cfg, plan, data, runner, retimer):
        self.cfg, self.plan, self.data, self.runner, self.rt = cfg, plan, data, runner, retimer
        self.map = retimer.map
        self.conn_attempt = {a.conn: a for a in runner.attempts if a.ok}

    def t(self, rec):
        return self.map.sim(rec.real_before_ms, rec.anchor)

    def sid(self, conn):
        a = self.conn_attempt.get(conn)
        return a._sid if a else None

    # -----------------------------------------------------------------------------------
    def write(self, out, meta):
        gt_dir = os.path.join(out, "gt")
        os.makedirs(gt_dir, exist_ok=True)
        reads = scenario_reads(self.runner)
        scen = []
        for s in self.plan.active_scenarios:
            scen.append(self._scenario(s, reads.get(s, {}), gt_dir))
        doc = dict(meta)
        doc["scenarios"] = scen
        doc["failed_logins"] = self._failed_logins()
        doc["agent_days"] = self._agent_days()
        doc["people"] = [self._person(p) for p in self.plan.people.values()]
        doc["accounts"] = {u: dict(owner=o, description=d) for u, (o, d) in self.plan.accounts.items()}
        doc["role_and_schema_changes"] = self.plan.notes.get("role_changes", [])
        doc["files"] = {"customers_geo": "customers_geo.csv", "sessions": "sessions.csv", "staff": "staff.csv",
                        "raw_logs": ["raw/postgresql.log", "raw/postgresql.csv", "raw/postgresql.json"],
                        "anchors": "raw/time_anchors.csv"}
        with open(os.path.join(out, "ground_truth.json"), "w") as f:
            json.dump(doc, f, indent=1, ensure_ascii=False, default=str)
            f.write("\n")
        self._sessions_csv(os.path.join(out, "sessions.csv"))
        self._staff_csv(os.path.join(out, "staff.csv"))
        self.data.write_geo_csv(os.path.join(out, "customers_geo.csv"))
        with open(os.path.join(out, "raw", "time_anchors.csv"), "w") as f:
            f.write("anchor,real_ms,sim_ns,sim,action\n")
            for i, (r, s, k) in enumerate(zip(self.runner.R, self.runner.S, self.runner.kinds)):
                f.write(f"{i},{r},{s},{dataset.iso(s)},{k}\n")
        return doc

    def _person(self, p):
        return dict(person=p.key, name=p.name, role=p.role, team=p.team or None,
                    portal_login=p.login if p.role == "agent" else None, db_user=p.db_user or None,
                    workstation=p.workstation, vpn_ip=p.vpn_ip)

    def _scenario(self, s, reads, gt_dir):
        recs = [r for r in self.runner.statements if r.tag and r.tag.get("scenario") == s]
        geo_of = self.data.geo
        by_country = collections.Counter(geo_of[c][0] for c in reads)
        by_region = collections.Counter(geo_of[c][1] for c in reads)
        conns = sorted(set(r.conn for r in recs), key=lambda c: self.conn_attempt[c].anchor)
        actor = self.plan.actor.get(s)
        # DBeaver's metadata connection belongs to the same act
        extra = [c for c, info in self.plan.conns.items() if info.get("scenario") == s and c not in conns]
        conns += extra
        sessions = []
        for c in conns:
            a = self.conn_attempt[c]
            sessions.append(dict(session_id=a._sid, db_user=a.user, application=a.app, client=a.client,
                                 connected=dataset.iso(self.map.sim(self.runner.R[a.anchor], a.anchor)),
                                 shared_with_benign_work=self.plan.conns[c].get("scenario") is None))
        failed = [self._failed(a) for a in self.runner.attempts
                  if not a.ok and actor and a.person == actor.key and s == "service_account_misuse"]
        times = [self.t(r) for r in recs]
        # customers file
        cust_file = f"gt/{s}.customers.csv"
        with open(os.path.join(gt_dir, f"{s}.customers.csv"), "w") as f:
            f.write("customer_id,country,region,first_access,last_access\n")
            for cid in sorted(reads):
                a, b = reads[cid]
                f.write(f"{cid},{geo_of[cid][0]},{geo_of[cid][1]},{dataset.iso(self.t(a))},{dataset.iso(self.t(b))}\n")
        stmt_file = f"gt/{s}.statements.csv"
        seen = set()
        with open(os.path.join(gt_dir, f"{s}.statements.csv"), "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["time", "time_end", "session_id", "db_user", "application", "client", "rows",
                        "new_customers", "cumulative_customers", "statement", "parameters"])
            for r in recs:
                new = 0
                for c in r.cids or ():
                    if c not in seen:
                        seen.add(c)
                        new += 1
                a = self.conn_attempt[r.conn]
                w.writerow([dataset.iso(self.t(r)), dataset.iso(self.map.sim(r.real_after_ms, None)), a._sid,
                            a.user, a.app, a.client, r.rows, new, len(seen), r.sql,
                            "" if r.params is None else ",".join(str(p) for p in r.params)])
        eu = sum(n for c, n in by_country.items() if c in geo.EU_MEMBER_STATES)
        entry = dict(
            id=s, malicious=MALICIOUS[s], description=DESCRIPTIONS[s],
            subject=dict(person=actor.key if actor else None, name=actor.name if actor else None,
                         role=actor.role if actor else None,
                         portal_login=actor.login if actor and actor.role == "agent" else None,
                         db_users=sorted(set(self.conn_attempt[c].user for c in conns)),
                         clients=sorted(set(self.conn_attempt[c].client for c in conns)),
                         applications=sorted(set(self.conn_attempt[c].app for c in conns)),
                         session_ids=[x["session_id"] for x in sessions]),
            start=dataset.iso(min(times)) if times else None,
            end=dataset.iso(max(times)) if times else None,
            customers=dict(count=len(reads), file=cust_file,
                           first_access=dataset.iso(min(self.t(v[0]) for v in reads.values())) if reads else None,
                           last_access=dataset.iso(max(self.t(v[1]) for v in reads.values())) if reads else None),
            by_country=dict(sorted(by_country.items(), key=lambda kv: (-kv[1], kv[0]))),
            by_region=dict(sorted(by_region.items(), key=lambda kv: (-kv[1], kv[0]))),
            eu_customers=eu,
            statements=dict(count=len(recs), customer_rows=sum(len(r.cids) for r in recs if r.cids),
                            file=stmt_file,
                            examples=list(dict.fromkeys(_shape(r.sql) for r in recs))[:6]),
            per_day=self._per_day(recs),
            sessions=sessions,
        )
        if failed:
            entry["failed_logins"] = failed
        if s == "benign_heavy_day":
            entry.update(self._heavy(actor))
        if s == "slow_and_low":
            entry["days"] = self.plan.scenario_info["slow_and_low"]["days"]
            entry["direct_days"] = [d.isoformat() for d in getattr(self.plan, "slow_direct_days", [])]
        if s == "bulk_paging":
            entry["pages"] = [dict(limit=r.bulk[0], offset=r.bulk[1], rows=r.rows) for r in recs if r.bulk]
        if s == "export":
            entry["copy_statement"] = self.plan.scenario_info["export"]["sql"]
        return entry

    def _per_day(self, recs):
        days = collections.OrderedDict()
        seen = set()
        for r in recs:
            d = r.tag["day"]
            e = days.setdefault(d, dict(date=d, statements=0, customer_rows=0, customers=0, new_customers=0))
            e["statements"] += 1
            if r.cids is not None:
                e["customer_rows"] += len(r.cids)
            if r.cids:
                e.setdefault("_set", set()).update(r.cids)
                for c in r.cids:
                    if c not in seen:
                        seen.add(c)
                        e["new_customers"] += 1
        for e in days.values():
            e["customers"] = len(e.pop("_set", ()))
        return list(days.values())

    def _heavy(self, actor):
        day = self.plan.heavy_day.isoformat()
        rows = [d for d in self._agent_days() if d["person"] == actor.key]
        others = [d["customers_opened"] for d in rows if d["date"] != day and not d["weekend"]]
        mine = [d for d in rows if d["date"] == day]
        return dict(date=day, incident=self.plan.incident_id(self.plan.heavy_day),
                    customers_opened=mine[0]["customers_opened"] if mine else 0,
                    cases=mine[0]["cases"] if mine else 0,
                    baseline_mean_opened_other_workdays=round(sum(others) / len(others), 1) if others else None,
                    expected_alert="no high-severity alert (medium at most)")

    def _agent_days(self):
        if hasattr(self, "_ad"):
            return self._ad
        rows = {}
        for t, _, kind, pl in self.plan.events:
            tag = pl.get("tag")
            if kind in ("exec", "copy") and tag and tag.get("person"):
                rows.setdefault((tag["person"], tag["day"]), dict(
                    opened=set(), read=set(), app=set(), direct=set(), scenario=collections.defaultdict(set),
                    cases=0, incident=False))
        for r in self.runner.statements:
            tag = r.tag
            if not tag or not tag.get("person"):
                continue
            e = rows[(tag["person"], tag["day"])]
            e["incident"] |= bool(tag.get("incident"))
            if not r.cids:
                continue
            if tag.get("scenario"):
                e["scenario"][tag["scenario"]].update(r.cids)
            if r.mode == "open" and not MALICIOUS.get(tag.get("scenario"), False):
                e["opened"].update(r.cids)
                e["cases"] += 1
            e["read"].update(r.cids)
            (e["app"] if tag["channel"] == "app" else e["direct"]).update(r.cids)
        out = []
        for (person, day), e in sorted(rows.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            p = self.plan.people[person]
            benign = set(e["read"])
            for k, v in e["scenario"].items():
                if MALICIOUS[k]:
                    benign -= v
            out.append(dict(date=day, person=person, role=p.role, portal_login=p.login if p.role == "agent" else None,
                            db_user=p.db_user or None, weekend=dt.date.fromisoformat(day).weekday() >= 5,
                            cases=e["cases"], customers_opened=len(e["opened"]), customers_read=len(e["read"]),
                            customers_read_app=len(e["app"]), customers_read_direct=len(e["direct"]),
                            customers_read_benign=len(benign), incident_day=e["incident"],
                            scenario_reads={k: len(v) for k, v in sorted(e["scenario"].items())}))
        self._ad = out
        return out

    def _failed(self, a):
        return dict(time=dataset.iso(self.map.sim(self.runner.R[a.anchor], a.anchor)), session_id=a._sid,
                    db_user=a.user, client=a.client, person=a.person or None, reason=a.reason)

    def _failed_logins(self):
        return [self._failed(a) for a in self.runner.attempts if not a.ok]

    def _sessions_csv(self, path):
        with open(path, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["session_id", "pid", "login_ok", "db_user", "application", "client", "person", "purpose",
                        "scenario", "connected", "closed", "disconnection_logged"])
            by_sid = self.rt.sessions
            for a in self.runner.attempts:
                info = self.plan.conns.get(a.conn, {}) if a.conn else {}
                s = by_sid.get(a._sid.encode()) if a._sid else None
                w.writerow([a._sid, s.pid if s else "", "yes" if a.ok else "no", a.user, a.app, a.client,
                            a.person, info.get("purpose", a.reason), info.get("scenario") or "",
                            dataset.iso(self.map.sim(self.runner.R[a.anchor], a.anchor)),
                            dataset.iso(self.map.sim(self.runner.R[a.close_anchor], a.close_anchor))
                            if a.close_anchor is not None else "",
                            dataset.iso(s.disc_sim) if s and s.disc_sim else ""])

    def _staff_csv(self, path):
        with open(path, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["person", "name", "role", "team", "portal_login", "db_user", "workstation", "vpn_ip"])
            for p in self.plan.people.values():
                w.writerow([p.key, p.name, p.role, p.team, p.login if p.role == "agent" else "", p.db_user,
                            p.workstation, p.vpn_ip])


def _shape(sql):
    """A statement with long literal lists shortened, for the examples list."""
    import re
    s = re.sub(r"IN \(([0-9, ]{60,})\)", lambda m: "IN (" + m.group(1)[:40] + ", ...)", sql)
    s = re.sub(r"OFFSET \d+", "OFFSET m", re.sub(r"LIMIT \d+", "LIMIT n", s))
    return s
