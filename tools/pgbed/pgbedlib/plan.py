"""The simulated organisation and its workload, planned up front in simulated time.

A Plan is a list of events (sim_ns, seq, kind, payload) sorted by simulated time:
  connect      open a connection (payload: conn key; the connection's user/app/client are in
               Plan.conns[conn])
  failconnect  a login with a wrong password (payload: user, app, client, person)
  exec         run statements on an open connection (payload: stmts, txn)
  copy         COPY ... TO STDOUT on an open connection
  close        close a connection
Every exec/copy carries a `tag` (person, day, scenario or None, channel) that the runner
uses to attribute the customers a statement returned.

Randomness comes from independent streams per (person, day) and per scenario, so the
benign workload is the same whichever insider scenarios are switched on.
"""

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from . import dataset, geo

SCENARIOS = ("bulk_paging", "slow_and_low", "export", "benign_heavy_day", "service_account_misuse")

APP_NAME = "support-portal/agent={}"
DBEAVER_MAIN = "DBeaver 23.2.5 - Main <custdb>"
DBEAVER_EDITOR = "DBeaver 23.2.5 - SQLEditor <Script-{}.sql>"
PSQL = "psql"
METABASE = "Metabase v0.47.2"
PGADMIN = "pgAdmin 4 - DB:custdb"

IP_APP_SERVERS = ("10.30.1.11", "10.30.1.12")
IP_BI = "10.30.2.20"
IP_JUMP = "10.22.0.5"
IP_UNKNOWN = "10.40.3.77"

TEAMS = [("EN", ["US", "GB", "CA", "AU", "IE"]), ("DACH", ["DE", "AT", "CH"]),
         ("FR-BENELUX", ["FR", "BE", "NL"]), ("SOUTH", ["IT", "ES"]), ("NORTH-EAST", ["PL", "SE"])]
SLOW_TARGET_COUNTRIES = ["US", "GB", "CA", "AU", "IE"]  # English speakers: tech-support scam calls

CARD = ("customer_id, first_name, last_name, email, phone, street, postal_code, city, region, "
        "country, language, tier, created_at")
SQL_LOOKUP = {
    "id": f"SELECT {CARD} FROM crm.customers WHERE customer_id = %s",
    "email": f"SELECT {CARD} FROM crm.customers WHERE email = %s",
    "phone": f"SELECT {CARD} FROM crm.customers WHERE phone = %s",
}
SQL_SEARCH = ("SELECT customer_id, first_name, last_name, email, city, country FROM crm.customers "
              "WHERE last_name = %s AND country = %s ORDER BY first_name, customer_id LIMIT 20")
SQL_SUBS = ("SELECT subscription_id, product, license_key, status, expires_at, auto_renew "
            "FROM crm.subscriptions WHERE customer_id = %s ORDER BY started_at DESC")
SQL_TICKETS = ("SELECT ticket_id, opened_at, updated_at, status, category, subject FROM crm.tickets "
               "WHERE customer_id = %s ORDER BY opened_at DESC LIMIT 20")
SQL_ORDERS = ("SELECT order_id, product, amount, currency, payment_method, ordered_at FROM crm.orders "
              "WHERE customer_id = %s ORDER BY ordered_at DESC LIMIT 10")
SQL_TICKET_UPDATE = "UPDATE crm.tickets SET status = %s, updated_at = %s, assigned_agent = %s WHERE ticket_id = %s"
SQL_NOTE = "INSERT INTO crm.ticket_notes (ticket_id, author, created_at, body) VALUES (%s, %s, %s, %s)"
SQL_TICKET_NEW = ("INSERT INTO crm.tickets (customer_id, opened_at, updated_at, status, category, channel, "
                  "subject, assigned_agent) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) RETURNING ticket_id")
BULK_COLUMNS = "customer_id, first_name, last_name, email, phone, street, postal_code, city, region, country"

DBEAVER_CONNECT_SQL = [
    "SELECT current_schema(),session_user",
    "SELECT n.oid,n.*,d.description FROM pg_catalog.pg_namespace n\n"
    "LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=n.oid AND d.objsubid=0 "
    "AND d.classoid='pg_namespace'::regclass\n ORDER BY nspname",
]
PSQL_DESCRIBE_CUSTOMERS = (
    "SELECT c.oid,\n  n.nspname,\n  c.relname\nFROM pg_catalog.pg_class c\n"
    "     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n"
    "WHERE c.relname OPERATOR(pg_catalog.~) '^(customers)$' COLLATE pg_catalog.default\n"
    "  AND n.nspname OPERATOR(pg_catalog.~) '^(crm)$' COLLATE pg_catalog.default\nORDER BY 2, 3;")

ANALYST_QUERIES = [
    "SELECT country, count(*) AS customers FROM crm.customers GROUP BY country ORDER BY 2 DESC;",
    "SELECT tier, count(*) AS customers, count(*) FILTER (WHERE marketing_opt_in) AS opt_in\n"
    "FROM crm.customers GROUP BY tier ORDER BY tier;",
    "SELECT date_trunc('week', opened_at) AS week, category, count(*)\nFROM crm.tickets\n"
    "WHERE opened_at >= DATE '{since}'\nGROUP BY 1, 2\nORDER BY 1, 2;",
    "SELECT product, currency, count(*) AS orders, sum(amount) AS revenue\nFROM crm.orders\n"
    "WHERE ordered_at >= DATE '{since}'\nGROUP BY product, currency\nORDER BY revenue DESC;",
    "SELECT s.product, c.country, count(*) AS active\nFROM crm.subscriptions s\n"
    "JOIN crm.customers c USING (customer_id)\nWHERE s.status = 'active'\nGROUP BY 1, 2\nORDER BY 1, 2;",
    "SELECT status, count(*), avg(updated_at - opened_at) AS avg_age\nFROM crm.tickets\n"
    "GROUP BY status;",
    "SELECT c.region, count(DISTINCT t.customer_id) AS customers_with_tickets\nFROM crm.tickets t\n"
    "JOIN crm.customers c ON c.customer_id = t.customer_id\nWHERE t.opened_at >= DATE '{since}'\n"
    "GROUP BY c.region\nORDER BY 2 DESC\nLIMIT 20;",
]
ANALYST_TYPOS = ["SELECT contry, count(*) FROM crm.customers GROUP BY contry;",
                 "SELECT count(*) FROM crm.ticket WHERE status = 'open';"]
REPORT_QUERIES = [
    ("SELECT country, region, count(*) AS customers FROM crm.customers GROUP BY country, region "
     "ORDER BY country, region", None),
    ("SELECT date_trunc('hour', opened_at) AS hour, category, count(*) FROM crm.tickets "
     "WHERE opened_at >= %s AND opened_at < %s GROUP BY 1, 2 ORDER BY 1, 2", "window"),
    ("SELECT product, currency, count(*), sum(amount) FROM crm.orders WHERE ordered_at >= %s "
     "GROUP BY 1, 2", "since"),
    ("SELECT s.product, c.country, count(*) FROM crm.subscriptions s JOIN crm.customers c "
     "USING (customer_id) WHERE s.status = %s GROUP BY 1, 2", "active"),
]
NOTE_TEXTS = ["Explained renewal options; customer will decide.", "Reset activation, license works again.",
              "Sent installer link and steps.", "Refund approved, 5-7 business days.",
              "Whitelisted file after analysis; sample sent to lab.", "Customer confirmed fix.",
              "Escalated to tier 2.", "Moved license to new device.", "Waiting for customer logs."]


class Ref:
    """A value known only at run time: the first column of a saved earlier result."""
    __slots__ = ("key",)

    def __init__(self, key):
        self.key = key

    def __repr__(self):
        return f"Ref({self.key})"


@dataclass
class Person:
    key: str  # stable id, e.g. "jan.doe"
    name: str
    role: str  # agent | analyst | dba
    team: str = ""
    login: str = ""  # support-portal login (agents)
    db_user: str = ""  # personal database account, if any
    workstation: str = ""
    vpn_ip: str = ""
    countries: list = field(default_factory=list)
    mean_cases: float = 0.0
    client_tool: str = "dbeaver"


@dataclass
class Config:
    seed: int = 1
    customers: int = 100_000
    agents: int = 40
    analysts: int = 0  # 0: agents // 10, at least 2
    dbas: int = 2
    days: int = 30
    start: dt.date = dt.date(2026, 10, 19)  # a Monday
    cases_min: float = 20
    cases_max: float = 40
    personal_share: float = 0.3
    scenarios: tuple = SCENARIOS
    bulk_customers: int = 0  # 0: min(45000, 45 % of customers)
    bulk_page: int = 500
    slow_per_day: int = 300
    export_countries: tuple = ("DE", "AT", "CH")
    heavy_factor: float = 6.0

    def resolved(self):
        c = Config(**self.__dict__)
        if c.analysts <= 0:
            c.analysts = max(2, c.agents // 10)
        if c.bulk_customers <= 0:
            c.bulk_customers = min(45_000, int(c.customers * 0.45))
        c.bulk_customers = min(c.bulk_customers, c.customers)
        c.scenarios = tuple(s for s in SCENARIOS if s in c.scenarios)
        return c


STAFF_FIRST = ["Aoife", "Sean", "Niamh", "Ciaran", "Katarzyna", "Tomasz", "Jan", "Eva", "Marek",
               "Julia", "Lukas", "Sophie", "Pierre", "Claire", "Marco", "Giulia", "Carlos", "Lucia",
               "Emma", "Daan", "Sara", "Erik", "Olivia", "Noah", "Hannah", "Felix", "Laura", "Conor",
               "Maja", "Piotr", "Ines", "David", "Anna", "Paul", "Chloe", "Rui", "Nora", "Oskar"]
STAFF_LAST = ["Murphy", "Kowalski", "Novak", "Weber", "Dubois", "Rossi", "Garcia", "Jansen",
              "Lindqvist", "Byrne", "Walsh", "Nowak", "Schneider", "Moreau", "Bianchi", "Lopez",
              "de Vries", "Berg", "Kelly", "Fischer", "Lefebvre", "Romano", "Santos", "Larsen",
              "Doyle", "Wagner", "Martin", "Costa", "Brennan", "Keller", "Horvat", "Quinn"]


class Plan:
    def __init__(self, cfg, data):
        self.cfg = cfg.resolved()
        self.data = data
        self.events = []
        self.conns = {}
        self.people = {}
        self.accounts = {}  # db login -> description (role, person)
        self.memberships = []
        self.scenario_info = {}  # scenario -> subject etc.
        self.notes = {}  # misc facts for the ground truth (incident id, role changes, ...)
        self.failed_logins = []
        self._seq = 0
        self._case = 0
        self._script = 0
        self.days = [self.cfg.start + dt.timedelta(days=k) for k in range(self.cfg.days)]
        self.workdays = [d for d in self.days if d.weekday() < 5]
        self._customer_weights()
        self._staff()
        self._schedule()
        self.events.sort(key=lambda e: (e[0], e[1]))
        self._validate()

    # -- helpers -------------------------------------------------------------
    def rng(self, *parts):
        return random.Random("pgbed:{}:".format(self.cfg.seed) + ":".join(str(p) for p in parts))

    @staticmethod
    def at(day, minutes):
        base = dataset.to_ns(dt.datetime.combine(day, dt.time(), dt.timezone.utc))
        return base + int(round(minutes * 60_000)) * 1_000_000

    def _ev(self, t, kind, **payload):
        self._seq += 1
        self.events.append((t, self._seq, kind, payload))

    def _conn(self, key, user, app, client, person, purpose, scenario=None, tool="app"):
        self.conns[key] = dict(user=user, app=app, client=client, person=person, purpose=purpose,
                               scenario=scenario, tool=tool)
        return key

    def _customer_weights(self):
        counts = {c: len(ix) for c, ix in self.data.by_country.items()}
        self.country_counts = counts
        self.all_countries = sorted(counts)

    def pick_customer(self, r, countries, focus=0.88):
        if r.random() < focus:
            cs = [c for c in countries if self.country_counts.get(c)]
        else:
            cs = self.all_countries
        if not cs:
            cs = self.all_countries
        c = r.choices(cs, weights=[self.country_counts[x] for x in cs])[0]
        return self.data.customers[r.choice(self.data.by_country[c])]

    # -- the organisation ------------------------------------------------------
    def _staff(self):
        cfg = self.cfg
        r = self.rng("staff")
        names = set()
        logins = set()

        def new_person(role):
            while True:
                first, last = r.choice(STAFF_FIRST), r.choice(STAFF_LAST)
                if (first, last) not in names:
                    names.add((first, last))
                    break
            a_first, a_last = geo.ascii_name(first), geo.ascii_name(last)
            login = f"{a_first[0]}.{a_last}"
            n = 2
            while login in logins:
                login = f"{a_first[0]}.{a_last}{n}"
                n += 1
            logins.add(login)
            return Person(key=f"{a_first}.{a_last}", name=f"{first} {last}", role=role,
                          login=login, db_user=login.replace(".", ""))

        # agents per team in proportion to the customers the team serves
        share = [sum(self.country_counts.get(c, 0) for c in cs) for _, cs in TEAMS]
        total = sum(share)
        quota = [cfg.agents * s / total for s in share]
        alloc = [int(q) for q in quota]
        for i in sorted(range(len(TEAMS)), key=lambda i: quota[i] - alloc[i], reverse=True):
            if sum(alloc) >= cfg.agents:
                break
            alloc[i] += 1
        self.agents = []
        for ti, ((team, cs), n) in enumerate(zip(TEAMS, alloc)):
            for k in range(n):
                p = new_person("agent")
                p.team, p.countries = team, cs
                p.workstation = f"10.20.{ti + 1}.{21 + k}"
                p.vpn_ip = f"10.250.{ti + 1}.{21 + k}"
                p.mean_cases = r.uniform(cfg.cases_min, cfg.cases_max)
                p.client_tool = r.choice(["dbeaver", "dbeaver", "psql"])
                self.agents.append(p)
        self.analysts = []
        for k in range(cfg.analysts):
            p = new_person("analyst")
            p.workstation, p.vpn_ip = f"10.21.0.{21 + k}", f"10.250.64.{21 + k}"
            p.client_tool = r.choice(["dbeaver", "psql", "pgadmin"])
            self.analysts.append(p)
        self.dbas = []
        for k in range(cfg.dbas):
            p = new_person("dba")
            p.workstation, p.vpn_ip = f"10.22.0.{21 + k}", f"10.250.65.{21 + k}"
            p.client_tool = "psql"
            self.dbas.append(p)

        # scenario actors (distinct agents where possible)
        sr = self.rng("actors")
        order = list(range(len(self.agents)))
        sr.shuffle(order)
        en = [i for i in order if self.agents[i].team == "EN"] or order
        taken = []

        def take(pref):
            for i in pref + order:
                if i not in taken:
                    taken.append(i)
                    return self.agents[i]
            return self.agents[pref[0] if pref else order[0]]

        self.actor = {}
        if self.agents:
            self.actor["slow_and_low"] = take(en)
            self.actor["bulk_paging"] = take([i for i in order if self.agents[i].team != "EN"])
            self.actor["benign_heavy_day"] = take([])
            self.actor["service_account_misuse"] = take([])
        if self.analysts:
            self.actor["export"] = self.analysts[sr.randrange(len(self.analysts))]

        # personal database accounts: a share of agents (tier 2), all analysts and DBAs
        with_account = set(i for i in order[:max(1, round(cfg.personal_share * len(self.agents)))])
        for s in ("bulk_paging", "slow_and_low"):
            if s in self.actor:
                with_account.add(self.agents.index(self.actor[s]))
        for i, p in enumerate(self.agents):
            if i not in with_account:
                p.db_user = ""
        for p in self.agents + self.analysts + self.dbas:
            self.people[p.key] = p
        self.accounts = {"support_app": ("", "the support portal (service account)"),
                         "reporting": ("", "BI server (service account)"),
                         "privacy_officer": ("", "breach scoping, customer_id -> jurisdiction only")}
        self.account_attrs = {}
        for p in self.agents + self.analysts + self.dbas:
            if p.db_user:
                self.accounts[p.db_user] = (p.key, f"personal account of {p.name} ({p.role})")
                group = {"agent": "support_agents", "analyst": "analysts", "dba": "dba"}[p.role]
                self.memberships.append((group, p.db_user))
                if p.role == "dba":
                    self.account_attrs[p.db_user] = "CREATEROLE"

    # -- schedule ----------------------------------------------------------------
    def _schedule(self):
        cfg = self.cfg
        W = len(self.workdays)
        widx = lambda frac: self.workdays[min(W - 1, max(0, int(round(frac * (W - 1)))))] if W else None
        scen = set(cfg.scenarios)
        if not self.agents:
            scen -= {"bulk_paging", "slow_and_low", "benign_heavy_day", "service_account_misuse"}
        if not self.analysts:
            scen.discard("export")
        self.active_scenarios = [s for s in SCENARIOS if s in scen]

        # scenario days
        self.heavy_day = widx(0.4) if "benign_heavy_day" in scen else None
        slow_days = []
        if "slow_and_low" in scen and W:
            first = int(round(0.25 * (W - 1))) if W > 3 else 0
            slow_days = self.workdays[first:]
        self.slow_days = slow_days
        bulk_days = []
        if "bulk_paging" in scen and W:
            i = int(round(0.6 * (W - 1)))
            bulk_days = self.workdays[i:i + 2]
        self.bulk_days = bulk_days
        self.slow_direct_days = []

        # benign work
        slow_plan = self._plan_slow(slow_days) if slow_days else {}
        for day in self.days:
            weekend = day.weekday() >= 5
            shift = set()
            if weekend:
                r = self.rng("weekend", day)
                shift = set(p.key for p in r.sample(self.agents, max(1, math.ceil(0.15 * len(self.agents))))) if self.agents else set()
            for p in self.agents:
                if weekend and p.key not in shift:
                    continue
                factor, incident = 1.0, None
                if day == self.heavy_day and p.team == self.actor["benign_heavy_day"].team:
                    factor, incident = 1.5, self.incident_id(day)
                if day == self.heavy_day and p is self.actor["benign_heavy_day"]:
                    factor = cfg.heavy_factor
                forced = bool(incident) or (p is self.actor.get("slow_and_low") and day in self.slow_days) or \
                    (p is self.actor.get("bulk_paging") and day in bulk_days) or \
                    (p is self.actor.get("service_account_misuse") and day == widx(0.5))
                extra = slow_plan.get(day) if p is self.actor.get("slow_and_low") else None
                self._agent_day(p, day, weekend, factor, incident, forced, extra)
                if not weekend and p.db_user:
                    self._agent_direct_lookup(p, day)
            if not weekend:
                for p in self.analysts:
                    self._analyst_day(p, day)
                for p in self.dbas:
                    self._dba_day(p, day)
            self._report_job(day)
        self._dba_changes(widx)
        self._unknown_logins(self.days[min(len(self.days) - 1, len(self.days) // 3)])
        if "bulk_paging" in scen:
            self._bulk(bulk_days)
        if "export" in scen:
            self._export(widx(0.75))
        if "service_account_misuse" in scen:
            self._misuse(widx(0.5))
        if "slow_and_low" in scen:
            self.scenario_info["slow_and_low"] = dict(days=[d.isoformat() for d in slow_days])

    def incident_id(self, day):
        return f"INC-{day.strftime('%Y%m%d')}-017"

    # -- agents --------------------------------------------------------------------
    def _agent_day(self, p, day, weekend, factor, incident, forced, extra):
        r = self.rng("agent", p.key, day)
        if weekend:
            sessions = [(9 * 60 + r.uniform(0, 40), 15 * 60 + r.uniform(0, 40))]
            n = max(3, round(r.gauss(p.mean_cases * 0.45, 3)))
        else:
            if r.random() < 0.04 and not forced:
                return  # day off
            start = 7 * 60 + 30 + r.uniform(0, 90)
            lunch = 12 * 60 + r.uniform(-30, 30)
            back = lunch + r.uniform(30, 60)
            end = 16 * 60 + r.uniform(0, 90)
            sessions = [(start, lunch), (back, end)]
            n = max(5, round(r.gauss(p.mean_cases, p.mean_cases * 0.2)))
        n = int(round(n * factor))
        heavy = day == self.heavy_day and p is self.actor.get("benign_heavy_day")
        tag = dict(person=p.key, day=day.isoformat(), scenario="benign_heavy_day" if heavy else None,
                   channel="app", incident=bool(incident))
        spans = [(s + 3, e - 12) for s, e in sessions]
        total = sum(e - s for s, e in spans)
        recent = []
        case_times = sorted(self._time_in(r, spans, total) for _ in range(n))
        extra_times = sorted(self._time_in(r, spans, total) for _ in range(len(extra or [])))
        for si, (s, e) in enumerate(sessions):
            key = f"app:{p.login}:{day}:{si}"
            self._conn(key, "support_app", APP_NAME.format(p.login), r.choice(IP_APP_SERVERS), p.key,
                       "support portal session")
            self._ev(self.at(day, s), "connect", conn=key)
            self._ev(self.at(day, e), "close", conn=key)
            for t in case_times:
                if s < t < e:
                    cust = recent and r.random() < 0.15 and r.choice(recent) or \
                        self.pick_customer(r, p.countries)
                    recent.append(cust)
                    self._case_events(r, p, key, day, t, e, cust, tag, incident)
            if extra:
                stag = dict(tag, scenario="slow_and_low", incident=False)
                for t, cust in zip(extra_times, extra):
                    if s < t < e:
                        self._page_load(r, key, day, t, cust, stag, kind="id")

    @staticmethod
    def _time_in(r, spans, total):
        x = r.uniform(0, total)
        for s, e in spans:
            if x <= e - s:
                return s + x
            x -= e - s
        return spans[-1][1]

    def _page_load(self, r, conn, day, t, cust, tag, kind=None):
        cid = cust[0]
        kind = kind or r.choices(["id", "email", "phone", "search"], weights=[40, 34, 20, 6])[0]
        if kind == "search":
            self._ev(self.at(day, t), "exec", conn=conn, tag=tag,
                     stmts=[(SQL_SEARCH, (cust[2], cust[9]), "list", None)])
            t += r.uniform(0.2, 1.0)
            kind = "id"
        val = {"id": cid, "email": cust[3], "phone": cust[4]}[kind]
        stmts = [(SQL_LOOKUP[kind], (val,), "open", None), (SQL_SUBS, (cid,), None, None),
                 (SQL_TICKETS, (cid,), None, None)]
        if r.random() < 0.35:
            stmts.append((SQL_ORDERS, (cid,), None, None))
        self._ev(self.at(day, t), "exec", conn=conn, tag=tag, stmts=stmts)
        return t

    def _case_events(self, r, p, conn, day, t, session_end, cust, tag, incident):
        t = self._page_load(r, conn, day, t, cust, tag)
        if r.random() > (0.98 if incident else 0.8):
            return
        tu = min(t + r.uniform(1, 12), session_end - 0.5)
        if tu <= t:
            return
        when = dataset.from_ns(self.at(day, tu))
        note = r.choice(NOTE_TEXTS)
        history = self.data.tickets_of.get(cust[0])
        if history and not incident and r.random() < 0.5:
            tid = history[-1]
            stmts = [(SQL_TICKET_UPDATE, (r.choice(["pending", "solved", "open"]), when, p.login, tid), None, None),
                     (SQL_NOTE, (tid, p.login, when, note), None, None)]
        else:
            self._case += 1
            ref = f"ticket:{self._case}"
            if incident:
                cat, subject, note = "license", f"License server outage {incident}", \
                    f"Affected by {incident}; license re-activated after fix."
            else:
                cat = r.choice(dataset.TICKET_CATEGORIES)
                subject = r.choice(dataset.TICKET_SUBJECTS[cat])
            stmts = [(SQL_TICKET_NEW, (cust[0], when, when, "open" if r.random() < 0.3 else "solved", cat,
                                       r.choice(["phone", "chat", "email"]), subject, p.login), None, ref),
                     (SQL_NOTE, (Ref(ref), p.login, when, note), None, None)]
        self._ev(self.at(day, tu), "exec", conn=conn, tag=tag, stmts=stmts, txn=True)

    def _personal_connect(self, p, day, t, app, client, purpose, scenario=None, r=None, typo=0.04):
        """A personal-account session (psql/DBeaver); sometimes after a mistyped password."""
        r = r or self.rng("conn", p.key, day, t)
        self._script += 1
        key = f"{p.db_user}:{day}:{t:.3f}:{self._script}"
        tool = "psql" if app == PSQL else "dbeaver" if app.startswith("DBeaver") else "other"
        self._conn(key, p.db_user, app, client, p.key, purpose, scenario, tool)
        if r.random() < typo:
            self._fail(day, t - r.uniform(0.1, 0.3), p.db_user, app, client, p.key, "mistyped password")
        self._ev(self.at(day, t), "connect", conn=key)
        if tool == "dbeaver":
            self._ev(self.at(day, t + 0.002), "exec", conn=key, tag=None,
                     stmts=[(q, None, None, None) for q in DBEAVER_CONNECT_SQL])
        return key

    def _tool_app(self, p):
        if p.client_tool == "psql":
            return PSQL
        if p.client_tool == "pgadmin":
            return PGADMIN
        self._script += 1
        return DBEAVER_EDITOR.format(1 + self._script % 9)

    def _fail(self, day, t, user, app, client, person, reason):
        self._ev(self.at(day, t), "failconnect", user=user, app=app, client=client, person=person,
                 reason=reason)

    def _agent_direct_lookup(self, p, day):
        """Tier-2 agents sometimes look a customer up directly (benign, but 'direct access')."""
        r = self.rng("direct", p.key, day)
        if r.random() > 0.12:
            return
        t = 13 * 60 + r.uniform(30, 180)
        key = self._personal_connect(p, day, t, self._tool_app(p), p.workstation, "escalation lookup", r=r)
        cust = self.pick_customer(r, p.countries)
        tag = dict(person=p.key, day=day.isoformat(), scenario=None, channel="direct", incident=False)
        self._ev(self.at(day, t + 0.5), "exec", conn=key, tag=tag, stmts=[(
            "SELECT customer_id, first_name, last_name, email, phone, region, country\n"
            f"FROM crm.customers WHERE email = '{cust[3]}';", None, "list", None)])
        self._ev(self.at(day, t + 1.4), "exec", conn=key, tag=tag, stmts=[(
            f"SELECT ticket_id, status, category, subject FROM crm.tickets WHERE customer_id = {cust[0]} "
            "ORDER BY opened_at DESC;", None, None, None)])
        self._ev(self.at(day, t + r.uniform(4, 12)), "close", conn=key)

    # -- analysts, DBAs, BI -----------------------------------------------------------
    def _analyst_day(self, p, day):
        r = self.rng("analyst", p.key, day)
        for _ in range(r.choice((0, 1, 1, 2))):
            t = r.uniform(9 * 60, 16 * 60)
            key = self._personal_connect(p, day, t, self._tool_app(p), p.workstation, "reporting ad hoc", r=r)
            since = (day - dt.timedelta(days=r.choice((7, 14, 28, 90)))).isoformat()
            tag = dict(person=p.key, day=day.isoformat(), scenario=None, channel="direct", incident=False)
            for q in r.sample(ANALYST_QUERIES, r.randint(2, 5)):
                t += r.uniform(1, 8)
                if r.random() < 0.04:
                    self._ev(self.at(day, t), "exec", conn=key, tag=tag,
                             stmts=[(r.choice(ANALYST_TYPOS), None, "error", None)])
                    t += r.uniform(0.3, 1)
                self._ev(self.at(day, t), "exec", conn=key, tag=tag, stmts=[(q.format(since=since), None, None, None)])
            self._ev(self.at(day, t + r.uniform(2, 30)), "close", conn=key)

    def _dba_day(self, p, day):
        r = self.rng("dba", p.key, day)
        tag = dict(person=p.key, day=day.isoformat(), scenario=None, channel="direct", incident=False)
        if p is self.dbas[day.toordinal() % len(self.dbas)]:
            t = 7 * 60 + 40 + r.uniform(0, 15)
            key = self._personal_connect(p, day, t, PSQL, IP_JUMP, "morning health check", r=r)
            stmts = ["SELECT count(*) FROM crm.customers;",
                     "SELECT pid, usename, application_name, client_addr, state, backend_start\n"
                     "FROM pg_stat_activity WHERE datname = 'custdb' ORDER BY backend_start;",
                     "SELECT relname, n_live_tup, n_dead_tup, last_autovacuum\nFROM pg_stat_user_tables "
                     "ORDER BY n_dead_tup DESC LIMIT 10;"]
            for q in stmts:
                t += r.uniform(0.3, 2)
                self._ev(self.at(day, t), "exec", conn=key, tag=tag, stmts=[(q, None, None, None)])
            if day.weekday() == 0:
                t += r.uniform(1, 3)
                self._ev(self.at(day, t), "exec", conn=key, tag=tag,
                         stmts=[("VACUUM (ANALYZE) crm.tickets;", None, None, None)])
            self._ev(self.at(day, t + r.uniform(1, 5)), "close", conn=key)
        if r.random() < 0.3:  # an escalation: look at one customer's data
            t = r.uniform(10 * 60, 16 * 60)
            key = self._personal_connect(p, day, t, PSQL, p.workstation, "escalation", r=r)
            cust = self.pick_customer(r, self.all_countries, focus=1.0)
            self._ev(self.at(day, t + 0.4), "exec", conn=key, tag=tag, stmts=[(
                f"SELECT * FROM crm.customers WHERE customer_id = {cust[0]};", None, "list", None)])
            self._ev(self.at(day, t + 1.1), "exec", conn=key, tag=tag, stmts=[(
                f"SELECT * FROM crm.tickets WHERE customer_id = {cust[0]} ORDER BY opened_at DESC;", None, None, None)])
            self._ev(self.at(day, t + r.uniform(3, 9)), "close", conn=key)

    def _dba_changes(self, widx):
        if not self.dbas or not self.workdays:
            return
        p = self.dbas[0]
        r = self.rng("dba-changes")
        day = widx(0.05)
        t = 10 * 60 + r.uniform(0, 30)
        key = self._personal_connect(p, day, t, PSQL, p.workstation, "new starter account", r=r, typo=0)
        newbie = "rquinn"
        self.notes["role_changes"] = [dict(day=day.isoformat(), by=p.db_user, what=f"created {newbie}")]
        # \password-style: the verifier is computed client side (PQencryptPasswordConn)
        self._ev(self.at(day, t + 0.5), "exec", conn=key, tag=None,
                 stmts=[(f"CREATE ROLE {newbie} LOGIN PASSWORD 'SCRAM:{newbie}';", None, None, None)])
        self._ev(self.at(day, t + 0.8), "exec", conn=key, tag=None,
                 stmts=[(f"GRANT support_agents TO {newbie};", None, None, None)])
        self._ev(self.at(day, t + 2), "close", conn=key)
        day = widx(0.3)
        t = 18 * 60 + 15 + r.uniform(0, 20)
        key = self._personal_connect(p, day, t, PSQL, p.workstation, "schema change", r=r, typo=0)
        self._ev(self.at(day, t + 0.5), "exec", conn=key, tag=None, stmts=[(
            "CREATE INDEX CONCURRENTLY tickets_updated_at_idx ON crm.tickets (updated_at);", None, None, None)])
        self._ev(self.at(day, t + 2), "exec", conn=key, tag=None, stmts=[(
            "ALTER TABLE crm.tickets ADD COLUMN priority smallint;", None, None, None)])
        self._ev(self.at(day, t + 3), "close", conn=key)
        self.notes["role_changes"].append(dict(day=day.isoformat(), by=p.db_user,
                                               what="index tickets_updated_at_idx, column tickets.priority"))
        day = widx(0.85)
        key = self._personal_connect(p, day, 11 * 60, PSQL, p.workstation, "leaver", r=r, typo=0)
        self._ev(self.at(day, 11 * 60 + 0.5), "exec", conn=key, tag=None,
                 stmts=[(f"ALTER ROLE {newbie} NOLOGIN;", None, None, None)])
        self._ev(self.at(day, 11 * 60 + 1), "close", conn=key)
        self.notes["role_changes"].append(dict(day=day.isoformat(), by=p.db_user, what=f"disabled {newbie}"))

    def _report_job(self, day):
        r = self.rng("report", day)
        t = 2 * 60 + 15 + r.uniform(0, 3)
        key = f"reporting:{day}"
        self._conn(key, "reporting", METABASE, IP_BI, "", "nightly BI refresh", tool="bi")
        self._ev(self.at(day, t), "connect", conn=key)
        d0 = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(), dt.timezone.utc)
        tag = dict(person="", day=day.isoformat(), scenario=None, channel="bi", incident=False)
        for q, kind in REPORT_QUERIES:
            params = {None: None, "window": (d0, d0 + dt.timedelta(days=1)),
                      "since": (d0 - dt.timedelta(days=30),), "active": ("active",)}[kind]
            t += r.uniform(0.05, 0.4)
            self._ev(self.at(day, t), "exec", conn=key, tag=tag, stmts=[(q, params, None, None)])
        self._ev(self.at(day, t + 0.5), "close", conn=key)

    def _unknown_logins(self, day):
        r = self.rng("unknown-logins")
        t = 3 * 60 + 12
        users = ["postgres", "admin", "postgres", "sa", "root", "postgres", "dbadmin", "support_app"]
        for u in users:
            t += r.uniform(0.03, 0.1)
            self._fail(day, t, u, PSQL, IP_UNKNOWN, "", "password guessing from an unknown host")

    # -- insider scenarios ---------------------------------------------------------------
    def _plan_slow(self, days):
        p = self.actor["slow_and_low"]
        r = self.rng("scenario", "slow_and_low")
        pool = [i for c in SLOW_TARGET_COUNTRIES for i in self.data.by_country.get(c, [])]
        r.shuffle(pool)
        rest = [i for i in range(len(self.data.customers)) if self.data.customers[i][9] not in SLOW_TARGET_COUNTRIES]
        r.shuffle(rest)
        pool += rest
        plan, k = {}, 0
        direct = {}
        for j, day in enumerate(days):
            n = max(1, int(round(self.cfg.slow_per_day * r.uniform(0.6, 1.4))))
            picks = [self.data.customers[i] for i in pool[k:k + n]]
            k += n
            if p.db_user and j % 4 == 2:
                direct[day] = picks  # this day straight from his DB account, IN-lists of 50
            else:
                plan[day] = picks
        for day, picks in direct.items():
            t = 14 * 60 + r.uniform(0, 60)
            key = self._personal_connect(p, day, t, self._tool_app(p), p.workstation, "direct lookups",
                                         scenario="slow_and_low", r=r, typo=0)
            tag = dict(person=p.key, day=day.isoformat(), scenario="slow_and_low", channel="direct",
                       incident=False)
            for b in range(0, len(picks), 50):
                t += r.uniform(2, 6)
                ids = ", ".join(str(c[0]) for c in picks[b:b + 50])
                self._ev(self.at(day, t), "exec", conn=key, tag=tag, stmts=[(
                    f"SELECT customer_id, first_name, last_name, email, phone, city, region, country\n"
                    f"FROM crm.customers\nWHERE customer_id IN ({ids});", None, "list", None)])
            self._ev(self.at(day, t + r.uniform(1, 4)), "close", conn=key)
        self.slow_direct_days = sorted(direct)
        return plan

    def _bulk(self, days):
        p = self.actor["bulk_paging"]
        r = self.rng("scenario", "bulk_paging")
        total, page = self.cfg.bulk_customers, self.cfg.bulk_page
        offsets = list(range(0, total, page))
        split = max(1, int(round(len(offsets) * 0.45))) if len(days) > 1 else len(offsets)
        chunks = [offsets[:split], offsets[split:]]
        for day, chunk in zip(days, chunks):
            if not chunk:
                continue
            t = 18 * 60 + 50 + r.uniform(0, 20)
            main = self._personal_connect(p, day, t, DBEAVER_MAIN, p.workstation, "DBeaver metadata",
                                          scenario="bulk_paging", r=r, typo=0)
            t += 0.2
            key = self._personal_connect(p, day, t, DBEAVER_EDITOR.format(7), p.workstation, "DBeaver editor",
                                         scenario="bulk_paging", r=r, typo=0)
            tag = dict(person=p.key, day=day.isoformat(), scenario="bulk_paging", channel="direct",
                       incident=False)
            t += r.uniform(0.5, 1.5)
            self._ev(self.at(day, t), "exec", conn=key, tag=tag,
                     stmts=[("SELECT count(*) FROM crm.customers", None, None, None)])
            for off in chunk:
                t += r.uniform(0.4, 1.2)
                n = min(page, total - off)
                self._ev(self.at(day, t), "exec", conn=key, tag=tag, stmts=[(
                    f"SELECT {BULK_COLUMNS}\nFROM crm.customers\nORDER BY customer_id\nLIMIT {n} OFFSET {off}",
                    None, "list", None)], bulk=(n, off))
            t += r.uniform(1, 5)
            self._ev(self.at(day, t), "close", conn=key)
            self._ev(self.at(day, t + 0.05), "close", conn=main)

    def _export(self, day):
        p = self.actor["export"]
        r = self.rng("scenario", "export")
        t = 22 * 60 + 40 + r.uniform(0, 10)
        key = self._personal_connect(p, day, t, PSQL, p.vpn_ip, "late-night export", scenario="export",
                                     r=r, typo=0)
        tag = dict(person=p.key, day=day.isoformat(), scenario="export", channel="direct", incident=False)
        cs = ", ".join(f"'{c}'" for c in self.cfg.export_countries)
        self._ev(self.at(day, t + 0.4), "exec", conn=key, tag=tag, stmts=[(
            f"SELECT count(*) FROM crm.customers WHERE country IN ({cs});", None, None, None)])
        sql = (f"COPY ( SELECT {BULK_COLUMNS} FROM crm.customers WHERE country IN ({cs}) ORDER BY customer_id ) "
               "TO STDOUT csv header")
        self._ev(self.at(day, t + 1.3), "copy", conn=key, tag=tag, sql=sql)
        self._ev(self.at(day, t + 2.0), "close", conn=key)
        self.scenario_info["export"] = dict(sql=sql, countries=list(self.cfg.export_countries))

    def _misuse(self, day):
        p = self.actor["service_account_misuse"]
        r = self.rng("scenario", "service_account_misuse")
        t = 12 * 60 + 5 + r.uniform(0, 10)
        for _ in range(2):
            self._fail(day, t, "support_app", PSQL, p.workstation, p.key, "service account password guessed")
            t += r.uniform(0.2, 0.6)
        key = f"misuse:{day}"
        self._conn(key, "support_app", PSQL, p.workstation, p.key, "service account from a workstation",
                   "service_account_misuse", tool="psql")
        self._ev(self.at(day, t), "connect", conn=key)
        tag = dict(person=p.key, day=day.isoformat(), scenario="service_account_misuse", channel="direct",
                   incident=False)
        region = "US-NY" if self.country_counts.get("US") else self.data.customers[0][8]
        for q, mode in ((PSQL_DESCRIBE_CUSTOMERS, None),
                        ("SELECT customer_id, first_name, last_name, email, phone, city\nFROM crm.customers\n"
                         f"WHERE region = '{region}'\nORDER BY customer_id\nLIMIT 150;", "list"),
                        ("SELECT count(*) FROM crm.tickets WHERE status = 'open';", None)):
            t += r.uniform(0.3, 1.5)
            self._ev(self.at(day, t), "exec", conn=key, tag=tag, stmts=[(q, None, mode, None)])
        self._ev(self.at(day, t + 1), "close", conn=key)

    # -- checks ---------------------------------------------------------------------------
    def _validate(self):
        state = {}
        for t, seq, kind, pl in self.events:
            c = pl.get("conn")
            if kind == "connect":
                assert c not in state, f"connection {c} opened twice"
                state[c] = "open"
            elif kind in ("exec", "copy"):
                assert state.get(c) == "open", f"{kind} on {c} that is not open at {dataset.iso(t)}"
            elif kind == "close":
                assert state.get(c) == "open", f"close of {c} that is not open"
                state[c] = "closed"
        assert all(v == "closed" for v in state.values()), "connection left open"
