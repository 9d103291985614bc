"""Incident alert latency: from the worker's 「送信」 to the lead's notification leaving the bot (run by hand).

`mamoru serve --http` runs against the local Web API stand-in. Each report is written up to its
summary beforehand (through the same handlers, in this process, on the same database); then the
「送信」 button press is sent as a signed interactive request and the clock runs until the
stand-in records the chat.postMessage to the lead that carries the new INC number.

1. Sequential: --reports presses one after another, --gap seconds apart (default 200, 0.3 s; the gap lets
   the previous report's Home refreshes finish): p50 / p95 / max (also the p95 of
   the HTTP ack and of the worker's receipt, which the runtime posts before the notices).
2. Concurrent: --burst presses at once by --senders clients (default 50 by 10): the same figures,
   and a check that every report got exactly one number and its lead exactly one notice.

    .venv/bin/python benchmarks/incident_alert.py [--reports 200] [--burst 50] [--senders 10] [--gap 0.3]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from slack_standin import ServeProcess, SlackStandIn, block_actions  # noqa: E402

LEADS = 20


def percentile(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, int(round(p / 100 * len(xs))) - 1))]


def prepare(db_path: Path, n: int, prefix: str) -> list[tuple[str, str, str]]:
    """n workers, each with a report at its summary: [(worker, lead, 送信 button value)]."""
    from handlers import conversation, people
    from handlers.incident import common as C
    from handlers.incident import draft
    from storage import incidents as store
    from storage.db import open_db

    db = open_db(db_path)
    out = []
    for i in range(n):
        uid, lead = f"U{prefix}{i:05d}", f"ULEAD{i % LEADS:03d}"
        people.users_command(db, "cli", ["add", uid, "--name", f"作業{i:05d}", "--role", "worker",
                                         "--contract", "吉川市", "--lead", lead], "cli")
        draft.start(db, uid, "terminal", {"type": "malware"})
        for text in ("不明", "さっき", "はい", "自席", "切り離した", "業務用PCのファイル", "分からない", "不明",
                     "不審な添付ファイルを開いた", "まだ何もしていません", "吉川市"):
            conversation.message(db, uid, text, "terminal")
        sid = store.open_sessions(db, uid)[0]["id"]
        assert draft.load(db, sid).cursor == "summary", (uid, draft.load(db, sid).cursor)
        out.append((uid, lead, C.value(s=sid)))
    return out


def press_and_time(server: ServeProcess, slack: SlackStandIn, uid: str, lead: str, value: str) -> dict:
    t0 = time.time()
    status, _, ack_s = server.interactive(block_actions(uid, "incident_submit", value, response_url=slack.hook_url(f"b-{uid}")))
    assert status == 200, status
    [receipt] = slack.wait_for(f"hook:/hooks/b-{uid}", timeout=60)
    ref = receipt.text_of_blocks().split("受付番号は ")[1][:13]
    [note] = slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == lead and ref in c.text_of_blocks(),
                            timeout=60)
    return {"ms": (note.at - t0) * 1000, "ack_ms": ack_s * 1000, "receipt_ms": (receipt.at - t0) * 1000, "ref": ref,
            "lead": lead}


def report(name: str, rows: list[dict]) -> dict:
    ms = [r["ms"] for r in rows]
    acks = [r["ack_ms"] for r in rows]
    receipts = [r["receipt_ms"] for r in rows]
    return {"run": name, "n": len(ms), "p50_ms": round(statistics.median(ms), 1), "p95_ms": round(percentile(ms, 95), 1),
            "max_ms": round(max(ms), 1), "ack_p95_ms": round(percentile(acks, 95), 1),
            "receipt_p95_ms": round(percentile(receipts, 95), 1)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=200)
    ap.add_argument("--burst", type=int, default=50)
    ap.add_argument("--senders", type=int, default=10)
    ap.add_argument("--gap", type=float, default=0.3, help="seconds between sequential presses (default 0.3)")
    args = ap.parse_args()
    from handlers import people
    from knowledge import library
    from storage.db import open_db

    with tempfile.TemporaryDirectory() as d, SlackStandIn() as slack:
        db_path = Path(d) / "bench.db"
        db = open_db(db_path)
        library.ensure_builtin(db)
        people.users_command(db, "cli", ["contract", "吉川市"], "cli")      # contracts are explicit
        people.users_command(db, "cli", ["add", "UOFF", "--name", "責任者", "--role", "officer"], "cli")
        for i in range(LEADS):
            people.users_command(db, "cli", ["add", f"ULEAD{i:03d}", "--name", f"リーダー{i}", "--role", "lead",
                                             "--contract", "吉川市"], "cli")
        t = time.time()
        seq = prepare(db_path, args.reports, "S")
        burst = prepare(db_path, args.burst, "B")
        print(f"prepared {len(seq) + len(burst)} reports at their summary in {time.time() - t:.1f}s", file=sys.stderr)
        server = ServeProcess(slack, db_path, Path(d) / "serve.log", args=["--no-scheduler"])
        try:
            server.wait_ready()
            for uid, lead, value in seq[:5]:       # warm-up (not counted)
                press_and_time(server, slack, uid, lead, value)
            rows = []
            for x in seq[5:]:
                rows.append(press_and_time(server, slack, *x))
                time.sleep(args.gap)               # let the previous report's Home refreshes finish

            results = [report("sequential", rows)]
            t0 = time.time()
            with ThreadPoolExecutor(max_workers=args.senders) as ex:
                brows = list(ex.map(lambda x: press_and_time(server, slack, *x), burst))
            results.append(dict(report(f"burst x{args.senders}", brows), seconds=round(time.time() - t0, 2)))
            refs = [r["ref"] for r in rows + brows]
            assert len(set(refs)) == len(refs), "two reports got the same number"
            for r in brows:
                got = slack.find("chat.postMessage", lambda c, r=r: c.params.get("channel") == r["lead"]
                                 and r["ref"] in c.text_of_blocks() and "届きました" in c.text_of_blocks())
                assert len(got) == 1, (r["ref"], len(got))
        finally:
            server.stop()
    for r in results:
        print(json.dumps(r, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
