"""Checklist notices for a large contract (run by hand): time to decide, and Slack calls made.

5,000 workers (default) on one contract, in teams of 100 under 50 leads, one officer. Over one day:

  09:00  the scheduled DM (始業時) to every worker and lead
  09:30  80 % of them confirm (written directly, not timed)
  10:00  the reminder, once, to whoever has not confirmed
  10:31  the digest: one message per lead (and the officer), not one per worker
  10:35  a pass with nothing left to send

For each pass: the time `handlers.notices.run_pass` takes to decide (and claim) what is due, the
time to deliver, and the Slack Web API calls made. Delivery goes through the real Slack sender
(bot.slack.send) to the local Web API stand-in (tests/slack_standin.py), so the calls are the
ones the stand-in counted.

    .venv/bin/python benchmarks/checklist_notices.py [--workers 5000] [--team 100] [--confirm 0.8]

Measured 2026-12-01 on a 2-core machine, defaults (the 09:00 pass also carries the training DMs,
the status report of the month just ended and the weekly digests, as the 1st working day of a
week and of a month does):

   pass     due    decide   deliver  Slack calls
  09:00   10202     1.96s    14.67s        10202   (claims in one transaction; was 2.4-4.3 s to decide)
  10:00    1050     0.39s     1.34s         1050
  10:31      51     0.24s     0.12s           51   (the digest; was 16.6 s + 12.3 s before the per-pass
  10:35       0     0.19s     0.00s            0    records in handlers/training/views.py)
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from slack_standin import BOT_TOKEN, SlackStandIn  # noqa: E402

D = "2026-12-01"


def setup(db, workers: int, team: int) -> list[str]:
    from handlers import workdays
    from storage import people as pstore

    at = workdays.iso(workdays.parse(f"{D}T08:00:00+09:00"))
    ids = []
    with pstore.transaction(db):
        pstore.append_contract(db, name="吉川市", municipality="吉川市", doc_slugs=None, actor="cli", via="cli", at=at)
        pstore.append(db, user_id="UOFFICER", change="add", name="対策責任者", role="officer", contracts=[], lead_id=None,
                      start_date=None, days_off=[], active=True, actor="cli", via="cli", at=at)
        leads = (workers + team - 1) // team
        for n in range(leads):
            pstore.append(db, user_id=f"UL{n:04d}", change="add", name=f"責任者{n:04d}", role="lead",
                          contracts=["吉川市"], lead_id=None, start_date=None, days_off=[], active=True, actor="cli",
                          via="cli", at=at)
        for n in range(workers):
            uid = f"UW{n:05d}"
            ids.append(uid)
            pstore.append(db, user_id=uid, change="add", name=f"作業者{n:05d}", role="worker", contracts=["吉川市"],
                          lead_id=f"UL{n // team:04d}", start_date=None, days_off=[], active=True, actor="cli",
                          via="cli", at=at)
    return ids


def confirm(db, ids: list[str], share: float) -> int:
    from handlers import workdays
    from handlers.checklist import content
    from storage import checklists as store

    c = content.get("start")
    at = workdays.iso(workdays.parse(f"{D}T09:30:00+09:00"))
    # spread over the teams: every lead has someone missing (a digest each)
    chosen = [uid for k, uid in enumerate(ids) if (k % 100) < share * 100]
    n = len(chosen)
    with store.transaction(db):
        for uid in chosen:
            for i in c.checks:
                store.answer(db, user_id=uid, contract="吉川市", checklist_id=c.id, item_id=i.id, answer="yes",
                             needs_reason=False, work_date=D, clause_ids=[], source="bench", via="slack_button", at=at)
    return n


def one_pass(db, slack, sender, when: str) -> dict:
    from handlers import notices, workdays

    now = workdays.parse(when)
    per_source = {}
    for src in notices.sources():        # what each source alone takes to decide (not claimed here)
        t = time.perf_counter()
        list(src.due(db, now))
        per_source[src.name] = time.perf_counter() - t
    before = len(slack.find("chat.postMessage"))
    t0 = time.perf_counter()
    outs = notices.run_pass(db, now)
    t1 = time.perf_counter()
    counts = notices.deliver(db, outs, sender, now=now)
    t2 = time.perf_counter()
    kinds: dict[str, int] = {}
    for o in outs:   # checklist notices by kind (ask, remind, noreason); other sources by name
        parts = o.key.split(":")
        kind = f"checklist {parts[3]}" if parts[1] == "checklist" else parts[1]
        kinds[kind] = kinds.get(kind, 0) + 1
    return {"at": when[11:16], "due": len(outs), "kinds": kinds, "decide_s": t1 - t0, "deliver_s": t2 - t1,
            "sent": counts["sent"], "slack_calls": len(slack.find("chat.postMessage")) - before,
            "per_source": per_source}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workers", type=int, default=5000)
    ap.add_argument("--team", type=int, default=100)
    ap.add_argument("--confirm", type=float, default=0.8)
    args = ap.parse_args()

    from bot.slack.send import make_client, make_sender
    from knowledge import library
    from storage.db import open_db

    with tempfile.TemporaryDirectory() as d, SlackStandIn() as slack:
        db = open_db(Path(d) / "bench.db")
        library.ensure_builtin(db)
        t0 = time.perf_counter()
        ids = setup(db, args.workers, args.team)
        print(f"{args.workers} workers, {(args.workers + args.team - 1) // args.team} leads, 1 officer "
              f"(set up in {time.perf_counter() - t0:.1f} s)")
        sender = make_sender(make_client(BOT_TOKEN, slack.api_url), lambda: db)
        rows = [one_pass(db, slack, sender, f"{D}T09:00:00+09:00")]
        n = confirm(db, ids, args.confirm)
        print(f"{n} workers confirmed 始業時 before the deadline")
        for when in ("10:00", "10:31", "10:35"):
            rows.append(one_pass(db, slack, sender, f"{D}T{when}:00+09:00"))
        print(f"{'pass':>5}  {'due':>6}  {'decide':>8}  {'deliver':>8}  {'Slack calls':>11}  what")
        for r in rows:
            what = ", ".join(f"{k} {v}" for k, v in sorted(r["kinds"].items())) or "-"
            print(f"{r['at']:>5}  {r['due']:>6}  {r['decide_s']:>7.2f}s  {r['deliver_s']:>7.2f}s  {r['slack_calls']:>11}  {what}")
            print("       sources alone: " + ", ".join(f"{k} {v:.2f}s" for k, v in r["per_source"].items()))
        digest = rows[2]
        leads = (args.workers + args.team - 1) // args.team
        print(f"digest pass: {digest['kinds'].get('digest', 0)} digests for {leads} leads + the officer "
              f"({digest['slack_calls']} Slack calls in all)")
        # what each digest part costs, for every recipient once (the pass asks each part twice:
        # when deciding, and again right before sending)
        from handlers import digest as dg, workdays

        now = workdays.parse(f"{D}T10:31:00+09:00")
        recipients = dg.recipients(db)
        for part in dg.parts():
            t0 = time.perf_counter()
            said = sum(1 for r in recipients if part.fn(db, r, now))
            print(f"digest part {part.name!r}: {time.perf_counter() - t0:.2f} s for {len(recipients)} recipients"
                  f" ({said} with something to say)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
