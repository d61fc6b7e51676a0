#!/usr/bin/env python3
"""systemd-analyze verify on systemd/depthmon.service. verify fails when ExecStart='s binary is
missing, so the test verifies a copy whose depthmond paths point at a built binary.

    unit_verify_test.py SYSTEMD_ANALYZE UNIT BINARY
"""
import os
import subprocess
import sys
import tempfile


def main():
    analyze, unit, binary = sys.argv[1:4]
    text = open(unit, encoding="utf-8").read()
    if "/usr/bin/depthmond" not in text:
        print("unit does not start /usr/bin/depthmond")
        return 1
    with tempfile.TemporaryDirectory(prefix="depthmon-unit-") as d:
        copy = os.path.join(d, "depthmon.service")
        with open(copy, "w", encoding="utf-8") as f:
            f.write(text.replace("/usr/bin/depthmond", binary))
        r = subprocess.run([analyze, "verify", "--man=no", copy], capture_output=True, text=True)
    out = (r.stdout + r.stderr).strip()
    print(out or "verify: no findings")
    # verify exits 0 on warnings it does not consider fatal; any output about our unit fails.
    return 1 if r.returncode != 0 or "depthmon.service" in out else 0


if __name__ == "__main__":
    sys.exit(main())
