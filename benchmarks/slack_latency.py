"""Slack path latency and throughput, against the local Web API stand-in (run by hand).

1. Latency: one signed DM event at a time through `mamoru serve --http`; time from sending the
   event to chat.postMessage reaching the stand-in; p50/p95 over --questions (default 1,000).
2. Throughput: --burst events (default 2,000) sent by --senders concurrent clients as fast as
   they go; events per second from the first send to the last answer, and a check that every
   event was acked (HTTP 200, under 3 s) and answered exactly once.

    .venv/bin/python benchmarks/slack_latency.py [--questions 1000] [--burst 2000] [--senders 16]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from slack_standin import ServeProcess, SlackStandIn, dm_event  # noqa: E402

QUESTION_FILES = [ROOT / "tests" / "data" / "questions_heldout.jsonl", ROOT.parent / "shared" / "eval" / "questions_dev.jsonl"]


def questions(n: int, rng: random.Random) -> list[str]:
    qs = []
    for f in QUESTION_FILES:
        if f.exists():
            qs += [json.loads(line)["q"] for line in f.open(encoding="utf-8") if line.strip()]
    qs = qs or ["離席するときは画面をロックする必要がありますか", "私物のUSBメモリを使ってもいいですか"]
    return [rng.choice(qs) for _ in range(n)]


def percentile(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, int(round(p / 100 * len(xs))) - 1))]


def latency(server: ServeProcess, slack: SlackStandIn, qs: list[str]) -> list[float]:
    out = []
    for n, q in enumerate(qs):
        user = f"UL{n:06d}"
        t0 = time.time()
        status, _, _ = server.event(dm_event(user, q), f"EvLat{n}")
        assert status == 200, status
        # a question may get more than one message (the answer, then "asked your lead"): the first counts
        calls = slack.wait_for("chat.postMessage", lambda c, ch=f"DL{n:06d}": c.params.get("channel") == ch, timeout=30)
        out.append((min(c.at for c in calls) - t0) * 1000)
    return out


def first_per_channel(slack: SlackStandIn, prefix: str, n: int, timeout: float) -> dict[str, list]:
    """Wait until n channels starting with prefix each got a message; their calls by channel."""
    deadline = time.monotonic() + timeout
    while True:
        by: dict[str, list] = {}
        for c in slack.find("chat.postMessage"):
            ch = str(c.params.get("channel", ""))
            if ch.startswith(prefix):
                by.setdefault(ch, []).append(c)
        if len(by) >= n or time.monotonic() > deadline:
            return by
        time.sleep(0.05)


def burst(server: ServeProcess, slack: SlackStandIn, qs: list[str], senders: int) -> dict:
    acks: list[tuple[int, float]] = []
    lock = threading.Lock()
    before = len(slack.find("chat.postMessage"))

    def send(n: int) -> None:
        status, _, elapsed = server.event(dm_event(f"UB{n:06d}", qs[n]), f"EvBurst{n}")
        with lock:
            acks.append((status, elapsed))

    t0 = time.time()
    with ThreadPoolExecutor(max_workers=senders) as ex:
        list(ex.map(send, range(len(qs))))
    sent_s = time.time() - t0
    by = first_per_channel(slack, "DB", len(qs), timeout=600)
    time.sleep(1.0)                     # the second message of a question (if any) and any stray duplicate
    by = first_per_channel(slack, "DB", len(qs), timeout=0)
    last = max(min(c.at for c in calls) for calls in by.values())
    per_question = statistics.mode(len(calls) for calls in by.values()) if by else 0
    return {
        "events": len(qs), "seconds": last - t0, "send_seconds": sent_s,
        "events_per_s": len(qs) / (last - t0),
        "acked_200": sum(1 for s, _ in acks if s == 200),
        "ack_p50_ms": statistics.median(e for _, e in acks) * 1000,
        "ack_p95_ms": percentile([e for _, e in acks], 95) * 1000,
        "ack_max_ms": max(e for _, e in acks) * 1000,
        "answered": len(by), "messages_per_question": per_question,
        "duplicates": sum(1 for calls in by.values() if len(calls) > per_question),
        "other_posts": len(slack.find("chat.postMessage")) - before - sum(len(c) for c in by.values()),
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--questions", type=int, default=1000)
    ap.add_argument("--burst", type=int, default=2000)
    ap.add_argument("--senders", type=int, default=16)
    a = ap.parse_args()
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp, SlackStandIn() as slack:
        from knowledge import library
        from storage.db import open_db

        db_path = Path(tmp) / "bench.db"
        library.ensure_builtin(open_db(db_path))
        server = ServeProcess(slack, db_path, Path(tmp) / "serve.log", args=["--no-scheduler"])
        try:
            server.wait_ready()
            for n, q in enumerate(questions(20, rng)):  # warm up (index built, threads started)
                server.event(dm_event(f"UW{n:04d}", q), f"EvWarm{n}")
            first_per_channel(slack, "DW", 20, timeout=120)

            lat = latency(server, slack, questions(a.questions, rng))
            print(f"machine: {os.cpu_count()} CPU cores; server and stand-in on 127.0.0.1")
            print(f"signed event → chat.postMessage at the stand-in: p50 {statistics.median(lat):.1f} ms, "
                  f"p95 {percentile(lat, 95):.1f} ms, max {max(lat):.1f} ms over {len(lat)} questions (one at a time)")

            r = burst(server, slack, questions(a.burst, rng), a.senders)
            lost = r["events"] - r["answered"]
            print(f"burst of {r['events']} events from {a.senders} concurrent senders: {r['events_per_s']:.0f} events/s "
                  f"sustained ({r['seconds']:.1f} s to the last answer; sending took {r['send_seconds']:.1f} s)")
            print(f"  acks: {r['acked_200']}/{r['events']} HTTP 200, p50 {r['ack_p50_ms']:.1f} ms, "
                  f"p95 {r['ack_p95_ms']:.1f} ms, max {r['ack_max_ms']:.1f} ms (Slack's limit: 3000 ms)")
            print(f"  answers: {r['answered']} events answered ({r['messages_per_question']} message(s) each), {lost} lost, "
                  f"{r['duplicates']} with more messages than the others")
            if "Traceback" in server.log_text():
                print("  (the server logged errors; see its log)")
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
