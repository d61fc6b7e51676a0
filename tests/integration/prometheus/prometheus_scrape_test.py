#!/usr/bin/env python3
"""A real Prometheus scrapes a running depthmond (demo mode: in-process TLS simulator, every
venue, thinning scenario, October baseline) and answers every PromQL expression of the Grafana
dashboard and of the rules file with data.

    prometheus_scrape_test.py --depthmond PATH --repo ROOT [--timeout S]

Steps, each bounded in time, everything on 127.0.0.1 and in a temporary directory:
  1. depthmond --demo on a free port (DEPTHMON_DEMO_LISTEN), state in the temporary directory;
  2. `promtool check metrics` on its live /metrics (any complaint fails);
  3. prometheus (the Debian package's server) with a 1 s scrape and rule evaluation interval,
     loading config/prometheus/depthmon.rules.yml;
  4. through Prometheus' HTTP API: the target is up and depthmon_depth_usd series arrive;
  5. every expression of config/grafana/*.json and of the rules file (scripts/dashboard_exprs.py
     extract()) returns a non-empty result. An alerting rule's condition is healthy-false in a
     healthy run (no feed is down), so when one returns nothing its comparison is removed and the
     series it compares must exist instead; that is reported per rule.
Exit 0 when all hold, 1 with the failing expressions listed otherwise.
"""
import argparse
import glob
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, timeout=5):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")
    except (urllib.error.URLError, OSError):
        return 0, ""


def wait_for(what, pred, timeout, step=0.5):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = pred()
        if v:
            return v
        time.sleep(step)
    raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")


# A top-level trailing comparison with a number: "expr < 0.7", "x == 0", "time() - y > 60".
_CMP = re.compile(r"^(?P<lhs>.*?)\s*(?:<=|>=|==|!=|<|>)\s*(?:bool\s+)?-?[0-9.e+]+\s*$", re.S)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--depthmond", required=True)
    ap.add_argument("--repo", required=True)
    ap.add_argument("--timeout", type=float, default=150)
    a = ap.parse_args()
    sys.path.insert(0, os.path.join(a.repo, "scripts"))
    import dashboard_exprs  # noqa: E402

    for tool in ("prometheus", "promtool"):
        if not shutil.which(tool):
            print(f"FAIL: {tool} is not installed (scripts/install-deps.sh installs it)")
            return 1

    tmp = tempfile.mkdtemp(prefix="depthmon_prom_")
    procs = []
    failures = []
    try:
        dport, pport = free_port(), free_port()
        env = dict(os.environ, DEPTHMON_DEMO_LISTEN=f"127.0.0.1:{dport}")
        dlog = open(os.path.join(tmp, "daemon.log"), "w")
        daemon = subprocess.Popen([a.depthmond, "--demo", "--state-dir", os.path.join(tmp, "state")],
                                  stdout=dlog, stderr=subprocess.STDOUT, env=env)
        procs.append(daemon)
        base = f"http://127.0.0.1:{dport}"
        wait_for("the daemon's /-/healthy", lambda: get(base + "/-/healthy")[0] == 200, 30)
        # Depth series exist once books are live; the demo baseline gives ratio series.
        wait_for("a live book on /metrics",
                 lambda: "depthmon_depth_usd{" in get(base + "/metrics")[1], 60)

        status, body = get(base + "/metrics")
        chk = subprocess.run(["promtool", "check", "metrics"], input=body, text=True,
                             capture_output=True, timeout=30)
        if chk.returncode != 0 or chk.stdout.strip() or chk.stderr.strip():
            failures.append("promtool check metrics on live /metrics: " +
                            (chk.stdout + chk.stderr).strip()[:2000])
        else:
            print(f"ok   promtool check metrics: {len(body.splitlines())} lines, no complaint")

        rules = os.path.join(a.repo, "config", "prometheus", "depthmon.rules.yml")
        dashboards = sorted(glob.glob(os.path.join(a.repo, "config", "grafana", "*.json")))
        cfg = os.path.join(tmp, "prometheus.yml")
        with open(cfg, "w") as f:
            f.write(f"""global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - {rules}
scrape_configs:
  - job_name: depthmon
    static_configs:
      - targets: ["127.0.0.1:{dport}"]
""")
        plog = open(os.path.join(tmp, "prometheus.log"), "w")
        prom = subprocess.Popen(["prometheus", f"--config.file={cfg}",
                                 f"--storage.tsdb.path={os.path.join(tmp, 'tsdb')}",
                                 f"--web.listen-address=127.0.0.1:{pport}"],
                                stdout=plog, stderr=subprocess.STDOUT)
        procs.append(prom)
        papi = f"http://127.0.0.1:{pport}/api/v1"

        def query(expr):
            st, b = get(papi + "/query?" + urllib.parse.urlencode({"query": expr}), timeout=10)
            if st != 200:
                return None, f"HTTP {st}: {b[:300]}"
            d = json.loads(b)["data"]
            res = d["result"]
            n = len(res) if isinstance(res, list) else 1
            return n, None

        wait_for("Prometheus' API", lambda: get(papi + "/status/buildinfo")[0] == 200, 30)
        wait_for("the depthmon target up",
                 lambda: (query('up{job="depthmon"} == 1')[0] or 0) > 0, 30)
        n = wait_for("depthmon_depth_usd series in Prometheus",
                     lambda: query("depthmon_depth_usd")[0], 30)
        print(f"ok   Prometheus scraped depthmon_depth_usd: {n} series")
        # Rates need two scrapes inside their window; recording rules need an evaluation.
        time.sleep(5)

        exprs = dashboard_exprs.extract([rules] + dashboards, interval="1m")
        print(f"     {len(exprs)} expressions from {1 + len(dashboards)} files")
        deadline = time.monotonic() + 60
        pending = list(exprs)
        results = {}
        # Some series appear a few evaluations late (recorded series of recorded series): retry
        # the empty ones until the deadline.
        while pending and time.monotonic() < deadline:
            still = []
            for e in pending:
                n, err = query(e["expr"])
                if err or not n:
                    still.append(e)
                    results[id(e)] = (n, err)
                else:
                    results[id(e)] = (n, None)
            pending = still
            if pending:
                time.sleep(2)
        for e in exprs:
            n, err = results[id(e)]
            label = f'{e["kind"]} {e["name"]} ({os.path.basename(e["file"])})'
            if n:
                print(f"ok   {label}: {n} series")
                continue
            if not err and e["kind"] == "alert":
                m = _CMP.match(e["expr"])
                if m:
                    n2, err2 = query(m.group("lhs"))
                    if n2:
                        print(f"ok   {label}: condition false (healthy); compared series: {n2}")
                        continue
                    err = err2
            failures.append(f"{label}: {err or 'no data'}: {e['expr']}")
    except (TimeoutError, OSError, subprocess.SubprocessError) as ex:
        failures.append(str(ex))
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in reversed(procs):
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        if failures:
            for name in ("daemon.log", "prometheus.log"):
                path = os.path.join(tmp, name)
                if os.path.exists(path):
                    with open(path) as f:
                        tail = f.read()[-3000:]
                    print(f"--- {name} (tail)\n{tail}")
        shutil.rmtree(tmp, ignore_errors=True)
    for f in failures:
        print("FAIL " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
