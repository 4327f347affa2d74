"""bench/common/benchlib.py — helpers shared by the bench/*/run.py drivers (Python 3 stdlib only).

Locating the repo and the shared data, running one adapter under GNU time to get its peak RSS,
reading an adapter's JSON result line, and printing tables. Nothing here measures anything by
itself; every number comes from an adapter's own JSON line.
"""
import json
import os
import platform
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent.parent
GNU_TIME = "/usr/bin/time"
MB = 1e6  # tables use decimal megabytes: MB/s = bytes / 1e6 / seconds


def repo_root():
    """`git rev-parse --show-toplevel` from bench/, falling back to bench/.. outside git."""
    try:
        out = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=BENCH_DIR,
                             capture_output=True, text=True, timeout=10)
        if out.returncode == 0 and out.stdout.strip():
            return Path(out.stdout.strip())
    except (OSError, subprocess.SubprocessError):
        pass
    return BENCH_DIR.parent


def shared_data():
    """$INARI_SHARED_DATA, else <repo root>/../shared/data."""
    env = os.environ.get("INARI_SHARED_DATA")
    return Path(env).resolve() if env else (repo_root() / ".." / "shared" / "data").resolve()


def inari_bin():
    """$INARI_BIN, else <repo root>/build/src/cli/inari."""
    env = os.environ.get("INARI_BIN")
    return Path(env) if env else repo_root() / "build" / "src" / "cli" / "inari"


def debian_python():
    """Interpreter for adapters that need Debian packages (python3-evtx): $BENCH_PYTHON or
    /usr/bin/python3 (a pyenv `python3` on PATH does not see /usr/lib/python3/dist-packages)."""
    env = os.environ.get("BENCH_PYTHON")
    if env:
        return env
    return "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def machine_info():
    info = {"nproc": os.cpu_count(), "platform": platform.platform(),
            "python": sys.version.split()[0], "date": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        info["mem_total_kb"] = int(Path("/proc/meminfo").read_text().split()[1])
    except OSError:
        pass
    info["loadavg_1m"] = os.getloadavg()[0]
    return info


def warn_if_busy(limit_fraction=0.25):
    """Other processes on the box skew every number: say so instead of silently measuring noise."""
    load = os.getloadavg()[0]
    ncpu = os.cpu_count() or 1
    if load > limit_fraction * ncpu:
        log(f"WARNING: 1-minute load average is {load:.2f} on {ncpu} CPUs; "
            "other work is running and results will be noisy")
    return load


def warm_page_cache(paths):
    """Reads every file once so all implementations start from a warm page cache."""
    total = 0
    for p in paths:
        with open(p, "rb") as f:
            while chunk := f.read(1 << 20):
                total += len(chunk)
    return total


def parse_json_result(stdout):
    """The adapter's result: the last JSON object on stdout (one line, or pretty-printed)."""
    text = stdout.strip()
    if not text:
        raise ValueError("no output")
    try:
        obj = json.loads(text)
        if isinstance(obj, dict):
            return obj
    except json.JSONDecodeError:
        pass
    decoder = json.JSONDecoder()
    # Try every line that starts an object, last first; accept one that parses to the end.
    starts = [i for i, ch in enumerate(text) if ch == "{" and (i == 0 or text[i - 1] == "\n")]
    for i in reversed(starts):
        try:
            obj, end = decoder.raw_decode(text, i)
        except json.JSONDecodeError:
            continue
        if isinstance(obj, dict) and not text[end:].strip():
            return obj
    raise ValueError("no JSON object at the end of stdout: " + text[-300:])


def _kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def run_measured(cmd, timeout, cwd=None, env=None):
    """Runs cmd; returns (completed_process, stats) with stats = {"peak_rss_kb", "cpu_seconds",
    "wall_seconds"} of cmd and the children it waited for.

    Peak RSS comes from GNU time (`/usr/bin/time -v`, "Maximum resident set size"), written to a
    side file so the command's stdout/stderr stay untouched; without GNU time it is os.wait4()'s
    ru_maxrss, the same number. CPU (user + sys) comes from os.wait4(). cpu/wall below 1 for a
    single-threaded run means the machine was busy. A timeout kills the command and raises."""
    cmd = [str(c) for c in cmd]
    use_time = os.access(GNU_TIME, os.X_OK)
    with tempfile.TemporaryDirectory(prefix="inari-bench-run-") as tmp:
        time_out, out_path, err_path = (os.path.join(tmp, n) for n in ("time", "out", "err"))
        full = [GNU_TIME, "-v", "-o", time_out, *cmd] if use_time else cmd
        with open(out_path, "wb") as out_f, open(err_path, "wb") as err_f:
            start = time.monotonic()
            proc = subprocess.Popen(full, cwd=cwd, env=env, stdout=out_f, stderr=err_f,
                                    start_new_session=True)
            # Kill the session we started (GNU time and the command under it) on timeout.
            timer = threading.Timer(timeout, _kill_group, (proc.pid,))
            timer.start()
            try:
                _, status, usage = os.wait4(proc.pid, 0)
            finally:
                timer.cancel()
            wall = time.monotonic() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode == -signal.SIGKILL and wall >= timeout:
            raise RuntimeError(f"timed out after {timeout:.0f}s: {shlex.join(cmd)[:200]}")
        rss_kb = usage.ru_maxrss
        if use_time and os.path.exists(time_out):
            for line in Path(time_out).read_text(errors="replace").splitlines():
                if "Maximum resident set size" in line:
                    rss_kb = int(line.rsplit(":", 1)[1])
        out = Path(out_path).read_text(errors="replace")
        err = Path(err_path).read_text(errors="replace")
    cp = subprocess.CompletedProcess(cmd, proc.returncode, out, err)
    stats = {"peak_rss_kb": rss_kb, "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 3),
             "wall_seconds": round(wall, 3)}
    return cp, stats


def run_adapter(name, cmd, timeout, cwd=None, env=None):
    """Runs one adapter and returns its JSON result with peak_rss_kb/wall_seconds added, or a
    dict with "error" when it failed (the drivers keep going and show the failure)."""
    log(f"[{name}] $ {shlex.join(str(c) for c in cmd)[:400]}")
    try:
        cp, stats = run_measured(cmd, timeout, cwd=cwd, env=env)
    except (RuntimeError, OSError) as e:
        log(f"[{name}] FAILED: {e}")
        return {"name": name, "error": str(e)}
    if cp.returncode != 0:
        log(f"[{name}] FAILED: exit {cp.returncode}\n{cp.stderr[-2000:]}")
        return {"name": name, "error": f"exit {cp.returncode}: {cp.stderr.strip()[-300:]}"}
    try:
        res = parse_json_result(cp.stdout)
    except ValueError as e:
        log(f"[{name}] FAILED: {e}")
        return {"name": name, "error": str(e)}
    res["name"] = name
    # An adapter that wraps another process (inari_adapter.py, jq_adapter.py) reports that
    # process's RSS and CPU itself.
    res.setdefault("peak_rss_kb", stats["peak_rss_kb"])
    res.setdefault("cpu_seconds", stats["cpu_seconds"])
    res["wall_seconds_outer"] = stats["wall_seconds"]
    log(f"[{name}] {json.dumps(res)[:400]}")
    return res


def cpu_percent(res):
    """CPU time / wall time of a run, in %: ~100 x threads on an idle machine."""
    wall = res.get("wall_seconds") or res.get("wall_seconds_outer")
    cpu = res.get("cpu_seconds")
    return 100.0 * cpu / wall if cpu is not None and wall else None


def rate(res, key):
    s = res.get("seconds") or 0
    return res.get(key, 0) / s if s > 0 else 0.0


def fmt_num(x, digits=1):
    if x is None:
        return "-"
    if isinstance(x, int) or (isinstance(x, float) and x.is_integer() and abs(x) >= 1000):
        return f"{int(x):,}"
    return f"{x:,.{digits}f}"


def fmt_ratio(x):
    """1.00x, 23.4x, 0.0123x: three significant digits however small."""
    if x is None:
        return "-"
    return f"{x:.2f}x" if 0.1 <= x < 100 else f"{x:.3g}x"


def print_table(headers, rows, out=sys.stdout):
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) if rows else len(str(h))
              for i, h in enumerate(headers)]
    line = "  ".join(str(h).ljust(w) for h, w in zip(headers, widths))
    print(line, file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for r in rows:
        print("  ".join(str(c).rjust(w) if i else str(c).ljust(w)
                        for i, (c, w) in enumerate(zip(r, widths))), file=out)


def write_json(path, obj):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(obj, indent=2) + "\n")
    tmp.replace(path)
    log(f"results written to {path}")


def which(name):
    return shutil.which(name)
