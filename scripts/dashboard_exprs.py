#!/usr/bin/env python3
"""Every PromQL expression of depthmon's Grafana dashboards and Prometheus rule files.

    scripts/dashboard_exprs.py FILE...                   one expression per line
    scripts/dashboard_exprs.py --json FILE...            one JSON object per line:
        {"file", "kind" (panel|variable|record|alert), "name", "expr"}
    scripts/dashboard_exprs.py --check FILE...           parse every expression with promtool and
        check metric names against DESIGN.md's list (exit 1 on a problem)

FILE is a dashboard (*.json) or a rules file (*.yml/*.yaml). Grafana variables are substituted so
the text is plain PromQL: interval variables ($__rate_interval, $__interval, $__range) by
--interval (default 5m), every other $var / ${var} / ${var:fmt} / [[var]] by ".*" (the dashboard
uses =~ for variables, so ".*" means "All"). A variable's label_values(metric, label) query
contributes its metric selector.

promtool 2.42 has no parse-only command for expressions, so --check writes each expression as a
recording rule of a temporary rules file and runs `promtool check rules` on it.

Reusable: the integration test imports extract() and runs each expression against a real
Prometheus scraping the daemon.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

# DESIGN.md "Metrics" (all prefixed depthmon_); histograms add _bucket/_sum/_count.
DESIGN_METRICS = {
    "build_info", "feed_up", "feed_messages_total", "feed_reconnects_total", "book_live",
    "book_resyncs_total", "book_last_update_timestamp_seconds", "book_levels", "mid_price",
    "spread_bps", "depth_usd", "depth_band_complete", "depth_baseline_usd",
    "depth_baseline_ratio", "asset_depth_usd", "asset_depth_baseline_ratio", "price_impact_bps",
    "processing_duration_seconds", "feed_latency_seconds", "alerts_firing",
    "notifications_total", "outbox_pending", "config_last_reload_successful",
    "config_last_reload_success_timestamp_seconds",
}
# Beyond DESIGN.md's list, rendered by lib/metrics so that losses are visible to alerting.
EXTRA_METRICS = {
    "recording_dropped_frames_total", "history_rows_written_total",
    "history_write_failures_total", "history_rows_dropped_total",
}
HISTOGRAMS = {"processing_duration_seconds", "feed_latency_seconds"}
# "plus the standard process_* set" (DESIGN.md).
PROCESS_METRICS = {
    "process_cpu_seconds_total", "process_open_fds", "process_max_fds",
    "process_virtual_memory_bytes", "process_virtual_memory_max_bytes",
    "process_resident_memory_bytes", "process_start_time_seconds", "process_threads",
    "process_heap_bytes", "process_network_receive_bytes_total",
    "process_network_transmit_bytes_total",
}

INTERVAL_VARS = ("__rate_interval", "__interval", "__range", "__interval_ms", "__range_s")
_VAR = re.compile(r"\$\{(\w+)(?::[^}]*)?\}|\$(\w+)|\[\[(\w+)(?::[^\]]*)?\]\]")
_LABEL_VALUES = re.compile(r"^\s*label_values\(\s*(.+?)\s*,\s*\w+\s*\)\s*$", re.S)


def substitute(expr, interval="5m"):
    def repl(m):
        name = m.group(1) or m.group(2) or m.group(3)
        return interval if name in INTERVAL_VARS else ".*"
    return _VAR.sub(repl, expr)


def one_line(expr):
    return " ".join(expr.split())


def _panel_exprs(panels, path):
    for p in panels or []:
        for t in p.get("targets", []) or []:
            e = t.get("expr")
            if e:
                yield {"file": path, "kind": "panel",
                       "name": f'{p.get("title", "")} [{t.get("refId", "")}]', "expr": e}
        yield from _panel_exprs(p.get("panels"), path)  # rows hold nested panels


def _dashboard(path):
    with open(path, encoding="utf-8") as f:
        d = json.load(f)
    yield from _panel_exprs(d.get("panels"), path)
    for v in d.get("templating", {}).get("list", []):
        if v.get("type") != "query":
            continue
        q = v.get("query")
        q = q.get("query", "") if isinstance(q, dict) else (q or "")
        m = _LABEL_VALUES.match(q)
        expr = m.group(1) if m else q
        if expr:
            yield {"file": path, "kind": "variable", "name": v.get("name", ""), "expr": expr}


def _rules(path):
    import yaml  # Debian python3-yaml
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    if "groups" not in (doc or {}):
        return  # a promtool test file, not a rules file
    for g in doc["groups"]:
        for r in g.get("rules", []):
            kind = "alert" if "alert" in r else "record"
            yield {"file": path, "kind": kind, "name": r.get(kind, ""), "expr": r["expr"]}


def extract(paths, interval="5m"):
    """[{"file","kind","name","expr"}] with variables substituted, expressions on one line."""
    out = []
    for p in paths:
        gen = _dashboard(p) if p.endswith(".json") else _rules(p)
        for e in gen:
            e["expr"] = one_line(substitute(e["expr"], interval))
            out.append(e)
    return out


def recorded_names(paths):
    return {e["name"] for e in extract([p for p in paths if not p.endswith(".json")])
            if e["kind"] == "record"}


def name_problems(exprs, recorded):
    """Metric names not in DESIGN.md (or EXTRA_METRICS, the process_* set, or a recording rule
    defined here)."""
    bad = []
    allowed = set()
    for m in DESIGN_METRICS | EXTRA_METRICS:
        allowed.add("depthmon_" + m)
        if m in HISTOGRAMS:
            allowed |= {f"depthmon_{m}_bucket", f"depthmon_{m}_sum", f"depthmon_{m}_count"}
    for e in exprs:
        # Recording-rule names (level:metric:ops) must be defined by the rules files given.
        for rec in re.findall(r"\b[a-z_]+:[a-z_]+:[a-z_]+\b", e["expr"]):
            if rec not in recorded:
                bad.append((e, f"recording rule {rec} is not defined"))
        text = re.sub(r"\b[a-z_]+:[a-z_]+:[a-z_]+\b", "", e["expr"])
        text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)  # label values are not names
        for n in re.findall(r"\b(depthmon_\w+|process_\w+)\b", text):
            if n not in allowed and n not in PROCESS_METRICS:
                bad.append((e, f"metric {n} is not in DESIGN.md"))
    return bad


def promtool_check(exprs, promtool="promtool"):
    """(ok, output): every expression parsed by `promtool check rules` as a recording rule."""
    rules = {"groups": [{"name": "expression_check", "rules": [
        {"record": f"depthmon_expr_check:expr_{i}:check", "expr": e["expr"]}
        for i, e in enumerate(exprs)]}]}
    with tempfile.TemporaryDirectory(prefix="depthmon-exprs-") as d:
        path = os.path.join(d, "exprs.rules.yml")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(rules, f, indent=1)  # JSON is YAML
        r = subprocess.run([promtool, "check", "rules", path], capture_output=True, text=True)
    out = r.stdout + r.stderr
    # Map "group ..., rule N" style errors back to the source expression.
    for m in re.finditer(r"expr_(\d+)", out):
        i = int(m.group(1))
        if i < len(exprs):
            out += f'\n  expr_{i} = {exprs[i]["file"]}: {exprs[i]["kind"]} {exprs[i]["name"]}: {exprs[i]["expr"]}'
    return r.returncode == 0, out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+")
    ap.add_argument("--json", action="store_true", help="one JSON object per expression")
    ap.add_argument("--interval", default="5m", help="value for $__rate_interval etc.")
    ap.add_argument("--check", action="store_true",
                    help="parse with promtool and check metric names; exit 1 on a problem")
    ap.add_argument("--promtool", default="promtool")
    a = ap.parse_args(argv)
    exprs = extract(a.files, a.interval)
    if not a.check:
        for e in exprs:
            print(json.dumps(e, ensure_ascii=False) if a.json else e["expr"])
        return 0
    if not exprs:
        print("no expressions found", file=sys.stderr)
        return 1
    ok = True
    for e, why in name_problems(exprs, recorded_names(a.files)):
        ok = False
        print(f'{e["file"]}: {e["kind"]} {e["name"]}: {why}', file=sys.stderr)
    parsed, out = promtool_check(exprs, a.promtool)
    if not parsed:
        ok = False
        print(out, file=sys.stderr)
    print(f"{len(exprs)} expressions: " + ("all parse, names as DESIGN.md" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
