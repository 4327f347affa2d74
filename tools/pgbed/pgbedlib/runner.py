"""Executes a Plan against the server, in simulated-time order, and records anchors.

Before every action (connect, statements, close...) the runner waits until the
wall clock has entered a millisecond later than the one in which the previous
action finished, then records an anchor (real ms, simulated ns). PostgreSQL
stamps log lines with the wall time truncated to milliseconds, so every line an
action causes synchronously falls into that action's segment
[anchor_i, anchor_i+1) and nothing from the previous action does. The re-timer
(retime.py) uses these anchors; the only asynchronous line, a session's
"disconnection", is attributed to the action that closed the session.

Results recorded per statement: the action (anchor index), real ms before and after,
connection key, row count and -- for statements that return customer rows
(mode "open"/"list", first column customer_id) -- the customer ids.
"""

import time

import psycopg

from . import dataset
from .plan import Ref


class Attempt:
    __slots__ = ("anchor", "conn", "ok", "pid", "user", "app", "client", "person", "reason", "close_anchor",
                 "_sid")

    def __init__(self, anchor, conn, ok, pid, user, app, client, person, reason=""):
        self.anchor, self.conn, self.ok, self.pid = anchor, conn, ok, pid
        self.user, self.app, self.client, self.person, self.reason = user, app, client, person, reason
        self.close_anchor = None
        self._sid = None  # session id, set by the re-timer from the log


class StatementRecord:
    __slots__ = ("anchor", "real_before_ms", "real_after_ms", "conn", "sql", "params", "rows", "mode",
                 "tag", "cids", "bulk")

    def __init__(self, anchor, rb, ra, conn, sql, params, rows, mode, tag, cids, bulk=None):
        self.anchor, self.real_before_ms, self.real_after_ms = anchor, rb, ra
        self.conn, self.sql, self.params, self.rows, self.mode = conn, sql, params, rows, mode
        self.tag, self.cids, self.bulk = tag, cids, bulk


class Runner:
    def __init__(self, server, plan, passwords, log=None, progress_every=10.0):
        self.server = server
        self.plan = plan
        self.passwords = passwords
        self.log = log or (lambda m: None)
        self.R = []  # anchor real time, ms since epoch
        self.S = []  # anchor simulated time, ns since epoch
        self.kinds = []  # action kind per anchor
        self.last_done_ms = 0
        self.attempts = []
        self.by_anchor = {}  # anchor index -> Attempt (connection attempts only)
        self.open = {}  # conn key -> (psycopg.Connection, Attempt)
        self.statements = []
        self.saved = {}
        self.progress_every = progress_every
        self.fail_at = None  # testing: raise after this many events

    # -- anchors ----------------------------------------------------------------
    def anchor(self, sim_ns, kind="mark"):
        while True:
            now = time.time_ns()
            ms = now // 1_000_000
            if ms > self.last_done_ms:
                break
            # sleep to just past the next millisecond boundary
            time.sleep(((self.last_done_ms + 1) * 1_000_000 - now + 20_000) / 1e9)
        if self.S and sim_ns < self.S[-1]:
            raise AssertionError("simulated time went backwards")
        self.R.append(ms)
        self.S.append(sim_ns)
        self.kinds.append(kind)
        return len(self.R) - 1

    def done(self):
        self.last_done_ms = time.time_ns() // 1_000_000

    # -- execution ------------------------------------------------------------------
    def _connect(self, user, password, app, tool):
        params = self.server.tcp_params(user, password, dataset.DB, app)
        prepare = None if tool in ("psql", "dbeaver", "other") else 5
        c = psycopg.connect(**params, autocommit=True)
        c.prepare_threshold = prepare
        return c

    def run(self, events):
        t0 = time.time()
        last_report = t0
        n = len(events)
        for i, (sim, _seq, kind, pl) in enumerate(events):
            if self.fail_at is not None and i >= self.fail_at:
                raise RuntimeError(f"injected failure after {i} events (--fail-at)")
            a = self.anchor(sim, kind)
            getattr(self, "_do_" + kind)(a, pl)
            self.done()
            now = time.time()
            if now - last_report >= self.progress_every:
                last_report = now
                self.log(f"workload {i + 1}/{n} events, simulated {dataset.iso(sim)[:16]}, "
                         f"{now - t0:.0f} s")
        self.log(f"workload: {n} events, {len(self.statements)} statements, "
                 f"{sum(1 for a in self.attempts if a.ok)} sessions in {time.time() - t0:.1f} s")

    def _do_connect(self, a, pl):
        info = self.plan.conns[pl["conn"]]
        c = self._connect(info["user"], self.passwords[info["user"]], info["app"], info["tool"])
        at = Attempt(a, pl["conn"], True, c.info.backend_pid, info["user"], info["app"], info["client"],
                     info["person"])
        self.attempts.append(at)
        self.by_anchor[a] = at
        self.open[pl["conn"]] = (c, at)

    def _do_failconnect(self, a, pl):
        wrong = "not-" + self.passwords.get(pl["user"], "x")[:6]
        try:
            c = psycopg.connect(**self.server.tcp_params(pl["user"], wrong, dataset.DB, pl["app"]))
            c.close()
            raise AssertionError(f"login of {pl['user']} with a wrong password succeeded")
        except psycopg.OperationalError:
            pass
        at = Attempt(a, None, False, None, pl["user"], pl["app"], pl["client"], pl["person"], pl["reason"])
        self.attempts.append(at)
        self.by_anchor[a] = at

    def _do_close(self, a, pl):
        c, at = self.open.pop(pl["conn"])
        c.close()
        at.close_anchor = a

    def _resolve(self, params):
        if params is None:
            return None
        return tuple(self.saved[p.key] if isinstance(p, Ref) else p for p in params)

    def _do_exec(self, a, pl):
        c, _ = self.open[pl["conn"]]
        if pl.get("txn"):
            with c.transaction():
                self._stmts(a, c, pl)
        else:
            self._stmts(a, c, pl)

    def _stmts(self, a, c, pl):
        for sql, params, mode, save in pl["stmts"]:
            params = self._resolve(params)
            if "PASSWORD 'SCRAM:" in sql:  # \password: the client computes the SCRAM verifier
                user = sql.split("'SCRAM:")[1].split("'")[0]
                verifier = c.pgconn.encrypt_password(b"initial-" + user.encode(), user.encode(),
                                                     b"scram-sha-256").decode()
                sql = sql.replace(f"'SCRAM:{user}'", f"'{verifier}'")
            rb = time.time_ns() // 1_000_000
            if mode == "error":
                try:
                    c.execute(sql)
                except psycopg.Error:
                    pass
                else:
                    raise AssertionError(f"statement expected to fail did not: {sql}")
                continue
            cur = c.execute(sql, params) if params is not None else c.execute(sql)
            rows = cur.fetchall() if cur.description is not None else []
            ra = time.time_ns() // 1_000_000
            if save:
                self.saved[save] = rows[0][0]
            cids = [r[0] for r in rows] if mode in ("open", "list") else None
            if mode == "open" and len(rows) != 1:
                raise AssertionError(f"customer lookup returned {len(rows)} rows: {sql} {params}")
            tag = pl.get("tag")
            if mode or (tag and tag.get("scenario")):
                self.statements.append(StatementRecord(a, rb, ra, pl["conn"], sql, params,
                                                       cur.rowcount if cur.rowcount >= 0 else len(rows),
                                                       mode, pl.get("tag"), cids, pl.get("bulk")))

    def _do_copy(self, a, pl):
        c, _ = self.open[pl["conn"]]
        rb = time.time_ns() // 1_000_000
        with c.cursor() as cur:
            with cur.copy(pl["sql"]) as cp:
                data = b"".join(bytes(b) for b in cp)
        ra = time.time_ns() // 1_000_000
        lines = data.decode().splitlines()[1:]  # header
        cids = [int(line.split(",", 1)[0]) for line in lines if line]
        self.statements.append(StatementRecord(a, rb, ra, pl["conn"], pl["sql"], None, len(cids), "list",
                                               pl.get("tag"), cids))

    def close_all(self):
        for c, _ in list(self.open.values()):
            try:
                c.close()
            except Exception:
                pass
        self.open.clear()
