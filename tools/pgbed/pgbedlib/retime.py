"""Re-timing and client rewriting of the server's logs (stderr, csvlog, jsonlog).

The server stamps wall time and sees every client as 127.0.0.1. The runner
recorded anchors (real ms, simulated ns), one per action. This module

  * maps a log line stamped at real ms t to simulated time through the monotone,
    piecewise-linear map  f(t) = S[i] + min(t - R[i], S[i+1] - S[i])  for
    R[i] <= t < R[i+1]  (slope 1 inside a segment, i.e. a statement that took 3 ms
    still takes 3 ms; capped so a segment never runs into the next one);
  * attributes each TCP session to the connection attempt whose segment holds its
    "connection received" line and rewrites the client host (stderr %r, csvlog
    connection_from, jsonlog remote_host, and the host= in the connection-received
    and disconnection messages) to the simulated client's address;
  * maps a session's "disconnection" line -- which the backend writes
    asynchronously after the client has gone -- through the segment of the action
    that closed the session, and rewrites its "session time" to the simulated
    duration; rewrites csvlog/jsonlog session_start to the simulated start.

Every other byte is kept as the server wrote it.
"""

import bisect
import calendar
import re
import time

CSV_FIELD = rb'("[^"]*(?:""[^"]*)*"|[^,"\n]*)'
CSV_RECORD = re.compile(CSV_FIELD + (rb"," + CSV_FIELD) * 25 + rb"\n")
# csvlog columns (PostgreSQL 15)
CSV_COLUMNS = ["log_time", "user_name", "database_name", "process_id", "connection_from", "session_id",
               "session_line_num", "command_tag", "session_start_time", "virtual_transaction_id",
               "transaction_id", "error_severity", "sql_state_code", "message", "detail", "hint",
               "internal_query", "internal_query_pos", "context", "query", "query_pos", "location",
               "application_name", "backend_type", "leader_pid", "query_id"]
C_TIME, C_FROM, C_SID, C_LINE, C_START, C_MSG = 0, 4, 5, 6, 8, 13

STDERR_HEAD = re.compile(rb"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\.(\d{3}) UTC \[(\d+)\] ")
STDERR_SESSION = re.compile(rb"(\S*)@(\S*) (\[local\]|[0-9.]+\(\d+\)|) ([0-9a-f]+\.[0-9a-f]+):(\d+) ")
JSON_TS = re.compile(rb'^\{"timestamp":"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\.(\d{3}) UTC"')
JSON_HOST = re.compile(rb',"remote_host":"([^"]*)"')
JSON_SID = re.compile(rb',"session_id":"([0-9a-f]+\.[0-9a-f]+)"')
JSON_START = re.compile(rb',"session_start":"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC"')
JSON_MSG = re.compile(rb',"message":"((?:[^"\\]|\\.)*)"')
MSG_RECEIVED = re.compile(rb"^connection received: host=127\.0\.0\.1 ")
MSG_DISC = re.compile(rb"^disconnection: session time: (\d+:\d\d:\d\d\.\d{3}) (.*? )host=127\.0\.0\.1 ")
LOOPBACK = b"127.0.0.1"

_sec_cache = {}


def parse_sec(b):
    """b'YYYY-MM-DD HH:MM:SS' (UTC) -> epoch seconds."""
    v = _sec_cache.get(b)
    if v is None:
        v = calendar.timegm(time.strptime(b.decode(), "%Y-%m-%d %H:%M:%S"))
        if len(_sec_cache) > 200000:
            _sec_cache.clear()
        _sec_cache[b] = v
    return v


def fmt_sec(sec):
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(sec)).encode()


def fmt_ms(sim_ns):
    ms = sim_ns // 1_000_000
    return fmt_sec(ms // 1000) + b".%03d UTC" % (ms % 1000)


def fmt_duration(ns):
    ms = max(0, ns // 1_000_000)
    s, ms = divmod(ms, 1000)
    m, s = divmod(s, 60)
    h, m = divmod(m, 60)
    return b"%d:%02d:%02d.%03d" % (h, m, s, ms)


def unquote_csv(b):
    if b.startswith(b'"'):
        return b[1:-1].replace(b'""', b'"')
    return b


def iter_csv(data):
    """Yields regex matches, one per csvlog record (26 groups, raw bytes)."""
    pos, n = 0, len(data)
    while pos < n:
        m = CSV_RECORD.match(data, pos)
        if m is None:
            raise ValueError(f"csvlog: cannot parse record at byte {pos}: {data[pos:pos + 120]!r}")
        yield m
        pos = m.end()


class TimeMap:
    def __init__(self, R, S):
        self.R, self.S = R, S

    def segment(self, t_ms):
        return bisect.bisect_right(self.R, t_ms) - 1

    def sim(self, t_ms, seg=None):
        R, S = self.R, self.S
        i = self.segment(t_ms) if seg is None else seg
        if i < 0:
            return S[0] - (R[0] - t_ms) * 1_000_000
        d = max(0, (t_ms - R[i]) * 1_000_000)
        if i + 1 < len(S):
            d = min(d, S[i + 1] - S[i])
        return S[i] + d


class Session:
    __slots__ = ("sid", "pid", "attempt", "client", "first_ms", "first_sim", "close_seg", "loopback",
                 "last_sim", "disc_sim", "leaked")

    def __init__(self, sid):
        self.sid, self.pid, self.attempt, self.client = sid, None, None, None
        self.first_ms = self.first_sim = self.close_seg = self.last_sim = self.disc_sim = None
        self.loopback = False
        self.leaked = False


class Retimer:
    def __init__(self, runner, workload_end_anchor):
        self.map = TimeMap(runner.R, runner.S)
        self.by_anchor = runner.by_anchor
        self.end_anchor = workload_end_anchor
        self.sessions = {}
        self.unattributed = []

    # pass 1: sessions, from the raw csvlog
    def learn(self, csv_bytes):
        for m in iter_csv(csv_bytes):
            sid = m.group(C_SID + 1)
            if not sid:
                continue
            s = self.sessions.get(sid)
            if s is None:
                s = self.sessions[sid] = Session(sid.decode())
                s.pid = int(m.group(4) or 0)
            t_ms = parse_sec(m.group(1)[:19]) * 1000 + int(m.group(1)[20:23])
            msg = unquote_csv(m.group(C_MSG + 1))
            if s.first_ms is None:
                s.first_ms = t_ms
            if MSG_RECEIVED.match(msg):
                s.loopback = True
                seg = self.map.segment(t_ms)
                at = self.by_anchor.get(seg)
                if at is None or at._sid is not None:
                    if seg >= self.end_anchor:
                        self.unattributed.append(s.sid)
                        continue
                    raise AssertionError(f"session {s.sid}: no unique connection attempt in segment {seg}")
                if at.ok and at.pid != s.pid:
                    raise AssertionError(f"session {s.sid}: pid {s.pid} != backend pid {at.pid}")
                at._sid = s.sid
                s.attempt, s.client, s.close_seg = at, at.client.encode(), at.close_anchor
        for s in self.sessions.values():
            s.first_sim = self.map.sim(s.first_ms)
        missing = [a for a in self.by_anchor.values() if a._sid is None]
        if missing:
            raise AssertionError(f"{len(missing)} connection attempts without a session in the log")

    def sim_of(self, t_ms, sid, is_disc):
        s = self.sessions.get(sid) if sid else None
        if is_disc and s is not None and s.close_seg is not None:
            if self.map.segment(t_ms) != s.close_seg:
                s.leaked = True
            return self.map.sim(t_ms, s.close_seg)
        return self.map.sim(t_ms)

    def session_start(self, s, real_start_sec):
        if s.attempt is not None:
            return s.first_sim // 1_000_000_000
        return min(self.map.sim(real_start_sec * 1000), s.first_sim) // 1_000_000_000

    def _message(self, msg, s, sim):
        """Rewrites host (and session time) in connection-received/disconnection messages."""
        if s is None or s.client is None:
            return None
        if MSG_RECEIVED.match(msg):
            return msg.replace(b"host=127.0.0.1 ", b"host=" + s.client + b" ", 1)
        m = MSG_DISC.match(msg)
        if m:
            s.disc_sim = sim
            return (b"disconnection: session time: " + fmt_duration(sim - s.first_sim) + b" " + m.group(2) +
                    b"host=" + s.client + b" " + msg[m.end():])
        return None

    # pass 2: the three formats
    def rewrite_csv(self, data):
        out = []
        for m in iter_csv(data):
            g = m.group
            sid = g(C_SID + 1)
            s = self.sessions.get(sid)
            t_ms = parse_sec(g(1)[:19]) * 1000 + int(g(1)[20:23])
            msg_raw = g(C_MSG + 1)
            msg = unquote_csv(msg_raw)
            sim = self.sim_of(t_ms, sid, msg.startswith(b"disconnection: "))
            rep = [(C_TIME, fmt_ms(sim))]
            if s is not None and s.client is not None:
                host, _, port = unquote_csv(g(C_FROM + 1)).rpartition(b":")
                rep.append((C_FROM, b'"' + s.client + b":" + port + b'"'))
            if sid and g(C_START + 1):
                real_start = parse_sec(g(C_START + 1)[:19])
                rep.append((C_START, fmt_sec(self.session_start(s, real_start)) + b" UTC"))
            new_msg = self._message(msg, s, sim)
            if new_msg is not None:
                rep.append((C_MSG, b'"' + new_msg.replace(b'"', b'""') + b'"'))
            out.append(_splice(data, m, rep))
        return b"".join(out)

    def rewrite_json(self, data):
        out = []
        for line in data.splitlines(keepends=True):
            m = JSON_TS.match(line)
            if not m:
                raise ValueError(f"jsonlog: unexpected line {line[:120]!r}")
            t_ms = parse_sec(m.group(1)) * 1000 + int(m.group(2))
            ms = JSON_SID.search(line)
            sid = ms.group(1) if ms else None
            s = self.sessions.get(sid) if sid else None
            mm = JSON_MSG.search(line)
            msg = mm.group(1) if mm else b""
            sim = self.sim_of(t_ms, sid, msg.startswith(b"disconnection: "))
            reps = [(m.start(1), m.end(2) + 4, fmt_ms(sim))]
            if s is not None and s.client is not None:
                mh = JSON_HOST.search(line)
                if mh:
                    reps.append((mh.start(1), mh.end(1), s.client))
            mst = JSON_START.search(line)
            if mst and s is not None:
                reps.append((mst.start(1), mst.end(1),
                             fmt_sec(self.session_start(s, parse_sec(mst.group(1))))))
            if mm:
                new_msg = self._message(msg, s, sim)  # these messages contain no JSON escapes
                if new_msg is not None:
                    reps.append((mm.start(1), mm.end(1), new_msg))
            out.append(_splice_spans(line, reps))
        return b"".join(out)

    def rewrite_stderr(self, data):
        out = []
        for line in data.splitlines(keepends=True):
            m = STDERR_HEAD.match(line)
            if not m:
                out.append(line)  # continuation line (tab-indented) of the record above
                continue
            t_ms = parse_sec(m.group(1)) * 1000 + int(m.group(2))
            ms = STDERR_SESSION.match(line, m.end())
            sid = ms.group(4) if ms else None
            s = self.sessions.get(sid) if sid else None
            rest_at = ms.end() if ms else m.end()
            # the severity word follows the prefix; %a (last) may contain spaces
            k = line.find(b"LOG:  ", rest_at)
            msg = line[k + 6:] if k >= 0 else b""
            sim = self.sim_of(t_ms, sid, msg.startswith(b"disconnection: "))
            reps = [(m.start(1), m.end(2) + 4, fmt_ms(sim))]
            if s is not None and s.client is not None and ms.group(3).startswith(LOOPBACK + b"("):
                reps.append((ms.start(3), ms.start(3) + len(LOOPBACK), s.client))
            if k >= 0:
                new_msg = self._message(msg, s, sim)
                if new_msg is not None:
                    reps.append((k + 6, len(line), new_msg))
            out.append(_splice_spans(line, reps))
        return b"".join(out)


def _splice(data, m, rep):
    spans = [(m.start(i + 1), m.end(i + 1), b) for i, b in rep]
    spans.sort()
    parts, pos = [], m.start()
    for a, e, b in spans:
        parts.append(data[pos:a])
        parts.append(b)
        pos = e
    parts.append(data[pos:m.end()])
    return b"".join(parts)


def _splice_spans(line, reps):
    reps.sort()
    parts, pos = [], 0
    for a, e, b in reps:
        parts.append(line[pos:a])
        parts.append(b)
        pos = e
    parts.append(line[pos:])
    return b"".join(parts)
