"""A throw-away PostgreSQL 15 server with pgaudit, for tests and demos.

PgServer creates a bed directory (a fresh temp dir or --dir), runs initdb in
it, writes the logging/pgaudit configuration, starts `postgres` on a free
127.0.0.1 port (plus a private Unix socket) and stops it and removes the
directory again on close() -- also when the caller fails, is interrupted
(Ctrl-C, SIGTERM) or dies (the postmaster gets SIGINT through
PR_SET_PDEATHSIG, and the next PgServer sweeps the orphaned directory).

PostgreSQL refuses to run as root: when we are root, initdb and postgres run
as an unprivileged account (`postgres` if it exists, else `nobody`) and the bed
directory is handed to it. As a normal user everything runs as that user.

Settings (see docs/pgbed.md): logging_collector with stderr, csvlog and
jsonlog written side by side; LOG_LINE_PREFIX below; connections and
disconnections logged; pgaudit read,write,ddl,role with parameters, rows and
one line per relation; scram-sha-256 over TCP; trust over the 0700 Unix
socket for the bed's own setup and control sessions (which switch pgaudit off).
"""

import ctypes
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time

PG_BIN = os.environ.get("PGBED_PG_BIN", "/usr/lib/postgresql/15/bin")
LOG_LINE_PREFIX = "%m [%p] %q%u@%d %r %c:%l %a "
SUPERUSER = "postgres"
BED_PREFIX = "pgbed-"
MARKER = "pgbed.owner"  # holds the pid of the pgbed process that owns a bed dir

PGAUDIT_SETTINGS = {
    "pgaudit.log": "read,write,ddl,role",
    "pgaudit.log_parameter": "on",
    "pgaudit.log_rows": "on",
    "pgaudit.log_relation": "on",
    "pgaudit.log_catalog": "on",
}


def _conf_value(v):
    if isinstance(v, bool):
        return "on" if v else "off"
    if isinstance(v, int):
        return str(v)
    return "'" + str(v).replace("'", "''") + "'"


def free_port():
    """A TCP port that is free on 127.0.0.1 right now (there is a race; start() retries)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def processes_using(path):
    """PIDs whose command line mentions `path` (to prove that nothing is left behind)."""
    out = []
    for name in os.listdir("/proc"):
        if name.isdigit() and int(name) != os.getpid() and path in _cmdline(int(name)):
            out.append(int(name))
    return out


def sweep_orphans(log=None):
    """Removes bed dirs under the temp dir whose owning pgbed process is gone."""
    tmp = tempfile.gettempdir()
    for name in os.listdir(tmp):
        d = os.path.join(tmp, name)
        marker = os.path.join(d, MARKER)
        if not name.startswith(BED_PREFIX) or not os.path.isfile(marker):
            continue
        try:
            with open(marker) as f:
                owner = int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            continue
        if _pid_alive(owner):
            continue
        for pid in processes_using(os.path.join(d, "data")):
            try:
                os.kill(pid, signal.SIGQUIT)
            except OSError:
                pass
        time.sleep(0.2)
        shutil.rmtree(d, ignore_errors=True)
        if log:
            log(f"removed orphaned bed {d} (owner pid {owner} gone)")


def _set_pdeathsig():
    # Runs in the child after setuid (CPython changes credentials before
    # preexec_fn), so the kernel keeps the setting.
    libc = ctypes.CDLL(None, use_errno=True)
    PR_SET_PDEATHSIG = 1
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGINT, 0, 0, 0)


class PgServer:
    def __init__(self, directory=None, log=None, extra_settings=None):
        self.requested_dir = directory
        self.log = log or (lambda msg: None)
        self.extra_settings = extra_settings or {}
        self.dir = None
        self.data = None
        self.sockdir = None
        self.port = None
        self.proc = None
        self.owned_dir = False
        self.run_as = None  # (uid, gid, name) when we are root
        self.version = None
        self.last_pid = None
        self.settings = {}

    # -- paths -------------------------------------------------------------
    @property
    def log_dir(self):
        return os.path.join(self.data, "log")

    def log_files(self):
        return {fmt: os.path.join(self.log_dir, "postgresql." + ext)
                for fmt, ext in (("stderr", "log"), ("csvlog", "csv"), ("jsonlog", "json"))}

    # -- lifecycle ---------------------------------------------------------
    def start(self):
        sweep_orphans(self.log)
        if os.geteuid() == 0:
            for name in ("postgres", "nobody"):
                try:
                    pw = pwd.getpwnam(name)
                    self.run_as = (pw.pw_uid, pw.pw_gid, name)
                    break
                except KeyError:
                    continue
            if self.run_as is None:
                raise RuntimeError("running as root but neither 'postgres' nor 'nobody' exists")
        if self.requested_dir:
            os.makedirs(self.requested_dir, exist_ok=True)
            if os.listdir(self.requested_dir):
                raise RuntimeError(f"--dir {self.requested_dir} is not empty")
            self.dir = os.path.abspath(self.requested_dir)
            self.owned_dir = False
        else:
            self.dir = tempfile.mkdtemp(prefix=BED_PREFIX)
            self.owned_dir = True
        with open(os.path.join(self.dir, MARKER), "w") as f:
            f.write(f"{os.getpid()}\n")
        self.data = os.path.join(self.dir, "data")
        self.sockdir = os.path.join(self.dir, "sock")
        os.mkdir(self.sockdir, 0o700)
        if self.run_as:
            os.chmod(self.dir, 0o711)
            os.chown(self.sockdir, self.run_as[0], self.run_as[1])
            os.chown(self.dir, self.run_as[0], self.run_as[1])
        self.log(f"bed at {self.dir}" + (f" (server runs as {self.run_as[2]})" if self.run_as else ""))
        self._initdb()
        for attempt in range(5):
            self.port = free_port()
            self._write_conf()
            if self._launch():
                break
            if attempt == 4:
                raise RuntimeError("postgres did not start; see " + os.path.join(self.dir, "startup.log"))
        return self

    def _popen_kwargs(self):
        kw = {"env": dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8", TZ="UTC")}
        kw["env"].pop("PGDATA", None)
        if self.run_as:
            kw.update(user=self.run_as[0], group=self.run_as[1], extra_groups=[])
            kw["env"]["HOME"] = self.dir
        return kw

    def _initdb(self):
        cmd = [os.path.join(PG_BIN, "initdb"), "-D", self.data, "-U", SUPERUSER, "-E", "UTF8",
               "--locale=C.UTF-8", "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync"]
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **self._popen_kwargs())
        if r.returncode != 0:
            raise RuntimeError("initdb failed:\n" + r.stdout.decode(errors="replace"))

    def _write_conf(self):
        settings = {
            "listen_addresses": "127.0.0.1",
            "port": self.port,
            "unix_socket_directories": self.sockdir,
            "unix_socket_permissions": "0700",
            "max_connections": 300,
            "shared_buffers": "64MB",
            "fsync": False,  # a test bed: durability is not the point, speed is
            "synchronous_commit": False,
            "full_page_writes": False,
            "jit": False,
            "timezone": "UTC",
            "log_timezone": "UTC",
            "password_encryption": "scram-sha-256",
            "logging_collector": True,
            "log_destination": "stderr,csvlog,jsonlog",
            "log_directory": "log",
            "log_filename": "postgresql.log",
            "log_file_mode": "0640",
            "log_rotation_age": 0,
            "log_rotation_size": 0,
            "log_line_prefix": LOG_LINE_PREFIX,
            "log_connections": True,
            "log_disconnections": True,
            "log_checkpoints": True,
            "shared_preload_libraries": "pgaudit",
        }
        settings.update(PGAUDIT_SETTINGS)
        settings.update(self.extra_settings)
        self.settings = settings
        path = os.path.join(self.data, "postgresql.conf")
        with open(path) as f:
            base = f.read().split("\n# --- pgbed ---\n")[0]
        with open(path, "w") as f:
            f.write(base + "\n# --- pgbed ---\n")
            for k, v in settings.items():
                f.write(f"{k} = {_conf_value(v)}\n")
        with open(os.path.join(self.data, "pg_hba.conf"), "w") as f:
            f.write("# pgbed: the bed's own sessions over the 0700 socket; everyone else with a password\n"
                    "local   all   all                  trust\n"
                    "host    all   all   127.0.0.1/32   scram-sha-256\n")

    def _launch(self):
        startup = open(os.path.join(self.dir, "startup.log"), "ab")
        self.proc = subprocess.Popen([os.path.join(PG_BIN, "postgres"), "-D", self.data],
                                     stdin=subprocess.DEVNULL, stdout=startup, stderr=subprocess.STDOUT,
                                     start_new_session=True, preexec_fn=_set_pdeathsig,
                                     **self._popen_kwargs())
        startup.close()
        deadline = time.time() + 60
        import psycopg
        while time.time() < deadline:
            if self.proc.poll() is not None:
                self.proc = None
                return False
            try:
                with psycopg.connect(**self.admin_params("postgres"), connect_timeout=2) as c:
                    self.version = c.execute("SHOW server_version").fetchone()[0]
                self.last_pid = self.proc.pid
                self.log(f"postgres {self.version} up on 127.0.0.1:{self.port} (pid {self.proc.pid})")
                return True
            except psycopg.OperationalError:
                time.sleep(0.1)
        raise RuntimeError("postgres did not accept connections within 60 s")

    def admin_params(self, dbname="postgres", application_name="pgbed-control", audit=False):
        """Superuser over the private socket; pgaudit off unless audit=True."""
        p = {"host": self.sockdir, "port": self.port, "user": SUPERUSER, "dbname": dbname,
             "application_name": application_name}
        if not audit:
            p["options"] = "-c pgaudit.log=none"
        return p

    def tcp_params(self, user, password, dbname, application_name):
        return {"host": "127.0.0.1", "port": self.port, "user": user, "password": password,
                "dbname": dbname, "application_name": application_name,
                "sslmode": "disable", "gssencmode": "disable", "connect_timeout": 10}

    def stop(self):
        """Fast shutdown; escalates to immediate shutdown and SIGKILL if needed."""
        if self.proc is None:
            return
        pid = self.proc.pid
        for sig, wait in ((signal.SIGINT, 30), (signal.SIGQUIT, 10), (signal.SIGKILL, 10)):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                break
            try:
                self.proc.wait(wait)
                break
            except subprocess.TimeoutExpired:
                continue
        self.proc = None
        # Backends exit with the postmaster; wait for stragglers to be gone.
        deadline = time.time() + 10
        while self.data and processes_using(self.data) and time.time() < deadline:
            time.sleep(0.05)

    def close(self, keep_dir=False):
        try:
            self.stop()
        finally:
            if self.dir and not keep_dir:
                if self.owned_dir:
                    shutil.rmtree(self.dir, ignore_errors=True)
                else:
                    for name in ("data", "sock", "startup.log", MARKER):
                        p = os.path.join(self.dir, name)
                        if os.path.isdir(p):
                            shutil.rmtree(p, ignore_errors=True)
                        elif os.path.exists(p):
                            os.unlink(p)
                self.log(f"removed {self.dir}")

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()
        return False


def install_signal_handlers():
    """SIGTERM/SIGHUP raise like Ctrl-C does, so `finally` blocks clean up."""
    def handler(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")
    for s in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, handler)
