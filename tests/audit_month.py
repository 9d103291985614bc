"""A month of a real team, built only through the code people use: the `mamoru users` / `contract`
commands (their functions, as the command line runs them) and the terminal chat (bot.chat.Chat,
the same handlers as Slack), with the clock pinned by MAMORU_NOW at every step. No SQL writes.

November 2026 (11/3 文化の日 and 11/23 勤労感謝の日 are holidays; 11/1 is a Sunday, 11/30 a Monday):
- contract 吉川市; another contract 草加市 with one worker (UX), outside every lead's scope;
- officer UO; leads UL1 (team A: UA1–UA5) and UL2 (team B: UB1–UB5), all on 吉川市;
- UA5 joins on Monday 11/16 at 13:00 (the start-of-day checklist of that day is not owed);
- UB5 leaves on Wednesday 11/18 at 12:00 (owes nothing from 11/18 on);
- days off: UA2 says 「11/12 休みます」 on 11/10; UB2 is given 11/20 with `users add --days-off`;
- checklists answered in the chat with gaps (a seeded choice), 「いいえ」 with a reason, late
  answers, UA3's end-of-day on 11/30 at 23:58 and UA4's start-of-day of 12/1 at 00:01;
- training: UA1 passes and pledges, UA2 fails then retakes and passes, UB1 fails only,
  UB3 passes without pledging;
- two incidents: one by UA1 (closed by its lead), one by UB2 whose typed details hold Slack markup.
"""
from __future__ import annotations

import datetime as _dt
import io
import os
import random
import re

from bot.chat import Chat
from handlers import people
from handlers.checklist import core
from handlers.training import quiz
from storage import training as tstore

C, OTHER = "吉川市", "草加市"
JST = _dt.timezone(_dt.timedelta(hours=9))
D0, D1 = _dt.date(2026, 11, 1), _dt.date(2026, 11, 30)
TEAM_A = ["UA1", "UA2", "UA3", "UA4", "UA5"]
TEAM_B = ["UB1", "UB2", "UB3", "UB4", "UB5"]
NAMES = {"UO": "対策太郎", "UL1": "青木リーダー", "UL2": "馬場リーダー", "UX": "草加次郎",
         "UA1": "青山一郎", "UA2": "青井二郎", "UA3": "青田三郎", "UA4": "青野四郎", "UA5": "青島五郎",
         "UB1": "馬場一子", "UB2": "馬場二子", "UB3": "馬場三子", "UB4": "馬場四子", "UB5": "馬場五子"}
SECRET = "<!channel> *至急* 住民票の写し 12件"


def at(d: _dt.date, hm: str) -> _dt.datetime:
    h, m = hm.split(":")[:2]
    s = int(hm.split(":")[2]) if hm.count(":") == 2 else 0
    return _dt.datetime(d.year, d.month, d.day, int(h), int(m), s, tzinfo=JST)


class World:
    def __init__(self, db):
        self.db = db
        self.chats: dict[str, Chat] = {}
        self.out: dict[str, io.StringIO] = {}

    def clock(self, when: _dt.datetime) -> None:
        os.environ["MAMORU_NOW"] = when.isoformat()

    def cli_users(self, argv: list[str], when: _dt.datetime) -> None:
        self.clock(when)
        status, reply = people.run_users(self.db, "cli", argv, "cli", now=when)
        assert status == 0, (argv, reply.text)

    def chat(self, uid: str) -> Chat:
        if uid not in self.chats:
            self.out[uid] = io.StringIO()
            self.chats[uid] = Chat(self.db, uid, io.StringIO(), self.out[uid])
        return self.chats[uid]

    def say(self, uid: str, text: str, when: _dt.datetime) -> str:
        """Type a line in uid's terminal chat at `when`; what the chat printed for it."""
        self.clock(when)
        c = self.chat(uid)
        buf = self.out[uid]
        start = buf.tell()
        c.handle(text)
        buf.seek(start)
        printed = buf.read()
        buf.seek(0, io.SEEK_END)
        return printed

    def press(self, uid: str, label_part: str, when: _dt.datetime) -> str:
        """Press, by its number, the button shown whose label holds `label_part`."""
        c = self.chat(uid)
        hits = [n for n, b in c.board.items() if label_part in b.label]
        assert hits, (uid, label_part, [b.label for b in c.board.values()])
        return self.say(uid, str(hits[0]), when)

    # ---- checklists ------------------------------------------------------------------------
    def checklist(self, uid: str, which: str, when: _dt.datetime, noes: dict[str, str] | None = None,
                  skip: list[str] | None = None) -> str:
        """Open 「チェックリスト 始業時|終業時」 and answer: 「いいえ」 with a reason for `noes`
        (label → reason), nothing for `skip`, 「はい」 for the rest (「すべて確認しました」 when all)."""
        out = self.say(uid, f"チェックリスト {which}", when)
        if "のチェックリストです" not in out:        # a day off, a holiday: nothing to answer
            return out
        noes, skip = noes or {}, skip or []
        if not noes and not skip:
            return out + self.press(uid, "すべて確認しました", when)
        labels = [b.label.split("：")[0] for b in self.chat(uid).board.values() if b.action == core.ACTION_YES]
        for label in labels:
            if label in skip:
                continue
            if label in noes:
                out += self.press(uid, f"{label}：いいえ", when)
                out += self.say(uid, noes[label], when)
                self.say(uid, f"チェックリスト {which}", when)        # the buttons again
            else:
                out += self.press(uid, f"{label}：はい", when)
        return out


def working(d: _dt.date) -> bool:
    import jpholiday

    return d.weekday() < 5 and not jpholiday.is_holiday(d)


def build(db) -> World:
    from knowledge import library

    w = World(db)
    library.ensure_builtin(db)
    w.clock(at(_dt.date(2026, 10, 20), "09:00"))
    from conftest import add_contracts

    add_contracts(db, C, OTHER, at=at(_dt.date(2026, 10, 20), "09:00").isoformat())
    first = _dt.date(2026, 10, 26)
    w.cli_users(["add", "UO", "--name", NAMES["UO"], "--role", "officer"], at(first, "08:00"))
    for lead in ("UL1", "UL2"):
        w.cli_users(["add", lead, "--name", NAMES[lead], "--role", "lead", "--contract", C], at(first, "08:05"))
    for team, lead in ((TEAM_A, "UL1"), (TEAM_B, "UL2")):
        for u in team:
            if u == "UA5":
                continue
            w.cli_users(["add", u, "--name", NAMES[u], "--role", "worker", "--contract", C, "--lead", lead],
                        at(first, "08:10"))
    w.cli_users(["add", "UX", "--name", NAMES["UX"], "--role", "worker", "--contract", OTHER], at(first, "08:20"))

    rnd = random.Random(11)
    d = D0
    while d <= _dt.date(2026, 12, 1):
        if d == _dt.date(2026, 11, 10):
            w.say("UA2", "11/12 休みます", at(d, "08:30"))
        if d == _dt.date(2026, 11, 16):
            w.cli_users(["add", "UA5", "--name", NAMES["UA5"], "--role", "worker", "--contract", C, "--lead", "UL1"],
                        at(d, "13:00"))
        if d == _dt.date(2026, 11, 17):
            w.cli_users(["add", "UB2", "--days-off", "2026-11-20"], at(d, "18:30"))
        if d == _dt.date(2026, 11, 18):
            w.cli_users(["remove", "UB5"], at(d, "12:00"))
        if working(d) and d <= D1:
            for u in TEAM_A + TEAM_B + ["UL1", "UL2", "UX"]:
                x = rnd.random()
                if (u == "UA5" and d < _dt.date(2026, 11, 16)) or (u == "UB5" and d >= _dt.date(2026, 11, 18)):
                    continue                                 # not registered yet / left
                if x < 0.08:
                    continue                                 # forgot the whole day
                start_time = "09:05" if x < 0.85 else "11:40"   # late
                try_start = x >= 0.12 and not (u == "UA5" and d == _dt.date(2026, 11, 16))
                if try_start:
                    if x < 0.16:
                        w.checklist(u, "始業時", at(d, start_time), noes={"社員証の着用": "社員証を自宅に忘れたため"})
                    elif x < 0.20:
                        w.checklist(u, "始業時", at(d, start_time), skip=["ICカードの管理"])
                    else:
                        w.checklist(u, "始業時", at(d, start_time))
                if x > 0.93 or (u == "UA3" and d == D1):
                    continue                                 # end-of-day forgotten (UA3: answered at 23:58)
                w.checklist(u, "終業時", at(d, "17:45"))
        d += _dt.timedelta(days=1)
    # around midnight at the month's end
    w.checklist("UA3", "終業時", at(_dt.date(2026, 11, 30), "23:58:30"))
    w.checklist("UA4", "始業時", at(_dt.date(2026, 12, 1), "00:01"))

    # training
    train(w, "UA1", [True], pledge=True, when=at(_dt.date(2026, 11, 5), "10:00"))
    train(w, "UA2", [False, True], pledge=True, when=at(_dt.date(2026, 11, 6), "10:00"))
    train(w, "UB1", [False], pledge=False, when=at(_dt.date(2026, 11, 9), "10:00"))
    train(w, "UB3", [True], pledge=False, when=at(_dt.date(2026, 11, 9), "11:00"))

    # incidents
    w.incident("UA1", at(_dt.date(2026, 11, 10), "14:00"), "見積書（個人情報なし）")
    w.incident("UB2", at(_dt.date(2026, 11, 24), "15:00"), SECRET)
    ref = re.search(r"INC-\d{4}-\d{4}", w.incidents[0]).group(0)
    w.say("UL1", f"incident {ref} ack", at(_dt.date(2026, 11, 10), "14:20"))
    w.say("UL1", f"incident {ref} close 相手先に削除を依頼し、削除を確認しました", at(_dt.date(2026, 11, 12), "10:00"))
    os.environ.pop("MAMORU_NOW", None)
    return w


def train(w: World, uid: str, passes: list[bool], pledge: bool, when: _dt.datetime) -> None:
    db = w.db
    for n, ok in enumerate(passes):
        t = when + _dt.timedelta(hours=n)
        w.clock(t)
        turn = quiz.start(db, uid, None, "terminal", now=t)
        while turn.replies and turn.replies[-1].buttons and turn.replies[-1].buttons[0].action == quiz.ACTION_ANSWER:
            r = turn.replies[-1]
            aid, idx, _ = r.buttons[0].value.split(":")
            q = tstore.attempt(db, int(aid))["questions"][int(idx)]
            k = q["answer"] if ok else (q["answer"] + 1) % len(q["choices"])
            turn = quiz.answer(db, uid, r.buttons[k].value, "terminal", now=t)
    if pledge:
        w.say(uid, "誓約します", when + _dt.timedelta(hours=len(passes), minutes=5))


def _incident(self: World, uid: str, when: _dt.datetime, what: str) -> None:
    lines = ["メールを誤送信しました", "3", "今日13時頃", "1", "1", "自席", "example.org", what, "2", "1通",
             "1", "1", "1", "1"]
    out = ""
    for line in lines:
        out += self.say(uid, line, when)
    self.__dict__.setdefault("incidents", []).append(out)


World.incident = _incident
