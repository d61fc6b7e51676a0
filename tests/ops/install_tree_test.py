#!/usr/bin/env python3
"""cmake --install BUILD --prefix TMP puts every file where systemd/README.md says, and the
installed unit names TMP's binaries and config (the unit is rendered at install time).

    install_tree_test.py CMAKE BUILD_DIR SOURCE_DIR [--expect-daemon]
"""
import os
import subprocess
import sys
import tempfile


def main():
    cmake, build, src = sys.argv[1:4]
    expect_daemon = "--expect-daemon" in sys.argv[4:]
    problems = []
    with tempfile.TemporaryDirectory(prefix="depthmon-install-") as tmp:
        prefix = os.path.join(tmp, "prefix")
        r = subprocess.run([cmake, "--install", build, "--prefix", prefix],
                           capture_output=True, text=True)
        if r.returncode != 0:
            print(r.stdout, r.stderr, sep="\n")
            return 1
        expected = [
            "bin/depthmon",
            "share/depthmon/prometheus/depthmon.rules.yml",
            "share/depthmon/prometheus/depthmon.rules.test.yml",
            "share/depthmon/grafana/depthmon.json",
            "share/doc/depthmon/README.md",
            "share/doc/depthmon/systemd.md",
            "lib/systemd/system/depthmon.service",
        ]
        if expect_daemon:
            expected.append("bin/depthmond")
        for cfg in ("depthmon.toml", "demo.toml"):  # written by the config work; optional
            if os.path.exists(os.path.join(src, "config", cfg)):
                expected.append("etc/depthmon/" + cfg)
        for rel in expected:
            if not os.path.isfile(os.path.join(prefix, rel)):
                problems.append("missing " + rel)
        unit_path = os.path.join(prefix, "lib/systemd/system/depthmon.service")
        if os.path.isfile(unit_path):
            unit = open(unit_path, encoding="utf-8").read()
            want = [
                f"ExecStart={prefix}/bin/depthmond --config {prefix}/etc/depthmon/depthmon.toml",
                f"ExecReload={prefix}/bin/depthmond --check-config --config {prefix}/etc/depthmon/depthmon.toml",
                "ExecReload=/bin/kill -HUP $MAINPID",
                "Type=notify",
            ]
            for w in want:
                if w not in unit:
                    problems.append(f"unit lacks: {w}")
            if "@" + "BINDIR@" in unit or "@SYSCONFDIR@" in unit:
                problems.append("unit has unsubstituted @VARS@")
        # A second install keeps an operator's edited config.
        cfg = os.path.join(prefix, "etc/depthmon/depthmon.toml")
        if os.path.isfile(cfg):
            with open(cfg, "a", encoding="utf-8") as f:
                f.write("\n# operator edit\n")
            subprocess.run([cmake, "--install", build, "--prefix", prefix], check=True,
                           capture_output=True)
            if "# operator edit" not in open(cfg, encoding="utf-8").read():
                problems.append("reinstall overwrote etc/depthmon/depthmon.toml")
    for p in problems:
        print(p)
    print("install tree OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
