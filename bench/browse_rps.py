"""Browse page of a province (24 products) vs a minimal FastAPI + Jinja2 page doing one indexed query.

Run by hand on a seeded database (`odop seed-demo --products 100000`):
    ODOP_DATABASE_URL=sqlite:////tmp/seed100k/odop.db .venv/bin/python bench/browse_rps.py
Both servers run side by side (1 uvicorn worker each) and `wrk` (Debian) loads them in turn, twice.
Prints requests/s, p50 and p99 for each and the ratio (goal: ours ≥ 0.6× the minimal page).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(cmd: list[str], url: str, log: Path) -> subprocess.Popen:
    # logs go to a file: a pipe nobody reads fills up and blocks the server
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log.open("wb"), env=os.environ.copy())
    for _ in range(200):
        try:
            urllib.request.urlopen(url, timeout=2)
            return proc
        except Exception:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"server did not start: {' '.join(cmd)}\n{log.read_text()[-2000:]}")


def parse_ms(value: str) -> float:
    match = re.match(r"([\d.]+)(us|ms|s|m)$", value)
    if not match:
        raise ValueError(f"unexpected wrk latency {value!r}")
    number, unit = match.groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def wrk(url: str, seconds: int, connections: int) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Requests/sec" not in out or "50%" not in out:
        raise SystemExit(f"wrk gave no figures for {url}:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = parse_ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = parse_ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": p50, "p99": p99, "errors": float(errors.group(1)) if errors else 0.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--province", default="LA-LP")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("install wrk: apt-get install wrk")
    ours_port, base_port = free_port(), free_port()
    logs = Path(tempfile.mkdtemp(prefix="odop-bench-"))
    ours = start(
        [str(BIN / "odop"), "serve", "--port", str(ours_port)],
        f"http://127.0.0.1:{ours_port}/healthz",
        logs / "ours.log",
    )
    base = start(
        [str(BIN / "uvicorn"), "bench.minimal_browse_app:app", "--port", str(base_port), "--log-level", "warning"],
        f"http://127.0.0.1:{base_port}/browse/{args.province}",
        logs / "minimal.log",
    )
    ours_url = f"http://127.0.0.1:{ours_port}/products?province={args.province}"
    base_url = f"http://127.0.0.1:{base_port}/browse/{args.province}"
    try:
        for url in (ours_url, base_url):  # warm caches
            wrk(url, 2, args.connections)
        results: dict[str, list[dict[str, float]]] = {"ours": [], "minimal": []}
        for _ in range(2):
            results["ours"].append(wrk(ours_url, args.seconds, args.connections))
            results["minimal"].append(wrk(base_url, args.seconds, args.connections))
    finally:
        ours.terminate()
        base.terminate()
    print(f"province {args.province}, {args.connections} connections, {args.seconds} s x 2 runs each, 1 worker each")
    best = {}
    for name, runs in results.items():
        best[name] = max(runs, key=lambda r: r["rps"])
        for r in runs:
            latency = f"p50 {r['p50']:7.1f} ms  p99 {r['p99']:7.1f} ms"
            print(f"  {name:8s} {r['rps']:8.1f} req/s  {latency}  non-2xx {r['errors']:.0f}")
    ratio = best["ours"]["rps"] / best["minimal"]["rps"]
    print(f"ratio ours/minimal (best runs): {ratio:.2f}  (goal ≥ 0.60)")


if __name__ == "__main__":
    main()
