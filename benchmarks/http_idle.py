"""Idle connections against `mamoru serve --http` (run by hand): threads before, with 300 idle
connections open, and 30 s later; how many connections the server closed, and whether it still
answers. Uses the offline Slack stand-in of the tests (loopback only).

    .venv/bin/python benchmarks/http_idle.py [--connections 300] [--wait 30]

Measured 2026-12-04 on a 2-core machine shared with other jobs (defaults: 16 workers, 64 queued,
idle 10 s, request 20 s): 300 idle connections → server threads 4 before, 19 one second after
opening them, 19 after 30 s (the pool's 16 workers stay, idle); 80 connections closed by the server
(idle timeout), 220 answered 503 at once (pool and queue full), none still open; /healthz 200 in 24 ms.
Before issue 13 (ThreadingHTTPServer, no timeouts): 300 connections → 303 threads, for ever.
"""
from __future__ import annotations

import argparse
import os
import socket
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def threads(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    return -1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--connections", type=int, default=300)
    ap.add_argument("--wait", type=float, default=30)
    args = ap.parse_args()
    from slack_standin import ServeProcess, SlackStandIn

    with tempfile.TemporaryDirectory() as tmp, SlackStandIn() as slack:
        os.environ.setdefault("MAMORU_AUDIT_KEY", str(Path(tmp) / "audit.key"))
        server = ServeProcess(slack, Path(tmp) / "m.db", Path(tmp) / "serve.log", args=["--no-scheduler"])
        try:
            server.wait_ready()
            pid = server.proc.pid
            time.sleep(1)
            before = threads(pid)
            socks = []
            for _ in range(args.connections):
                s = socket.create_connection(("127.0.0.1", server.port), timeout=5)
                s.setblocking(False)
                socks.append(s)
            time.sleep(1)
            during = threads(pid)
            time.sleep(max(0.0, args.wait - 1))
            after = threads(pid)
            closed = refused = 0
            for s in socks:
                try:
                    data = s.recv(4096)
                    if data.startswith(b"HTTP/1.1 503"):
                        refused += 1
                    elif data == b"":
                        closed += 1
                    else:
                        refused += 1
                except BlockingIOError:
                    pass
                except OSError:
                    closed += 1
                s.close()
            t0 = time.perf_counter()
            with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/healthz", timeout=10) as r:
                ok = r.status == 200
            health = time.perf_counter() - t0
            print(f"{args.connections} idle connections: server threads {before} before, {during} one second after "
                  f"opening them, {after} after {args.wait:.0f} s; closed by the server {closed}, answered 503 "
                  f"{refused}, still open {args.connections - closed - refused}; /healthz afterwards "
                  f"{'200' if ok else 'failed'} in {health * 1000:.0f} ms")
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
