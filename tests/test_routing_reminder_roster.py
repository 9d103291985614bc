"""A reminder about an unanswered question goes only to someone who may still answer it.

A question routed to a lead stays addressed to that lead. When the roster changes afterwards (the
lead becomes a worker on another contract), the reminder used to go to that person all the same, with
the worker's question typed out in it, although their answer would now be refused. Real SQLite file,
real roster commands, the real notices pass.
"""
from __future__ import annotations

from conftest import add_contracts
from handlers import conversation, notices, people, routing, workdays
from storage.db import open_db

ASKED = "2026-12-01T10:00:00+09:00"   # a Tuesday
QUESTION = "経費精算のやり方を教えてください（家族の通院の件）"


def _users(db, *argvs):
    for argv in argvs:
        status, reply = people.run_users(db, "cli", argv, "cli")
        assert status == 0, reply.text


def _routed(tmp_path, monkeypatch):
    monkeypatch.setenv("MAMORU_NOW", ASKED)          # the question is asked then; the passes name their own time
    db = open_db(tmp_path / "m.db")
    add_contracts(db, "吉川市", "草加市")
    _users(db, ["add", "UOFF", "--name", "対策三郎", "--role", "officer"],
           ["add", "ULEAD", "--name", "責任花子", "--role", "lead", "--contract", "吉川市"],
           ["add", "UW1", "--name", "作業一郎", "--role", "worker", "--contract", "吉川市", "--lead", "ULEAD"])
    value = conversation.feedback_value(QUESTION, None)
    turn = conversation.route(db, "UW1", value, "terminal")
    assert [o.user_id for o in turn.outgoing] == ["ULEAD"]
    return db


def _reminders(db, at: str) -> dict[str, str]:
    return {n.user_id: n.reply.text for n in notices.run_pass(db, workdays.parse(at), dry_run=True)
            if ":routing:" in n.key}


def test_the_lead_who_still_may_answer_is_reminded(tmp_path, monkeypatch):
    db = _routed(tmp_path, monkeypatch)
    got = _reminders(db, "2026-12-01T16:30:00+09:00")
    assert QUESTION in got["ULEAD"]


def test_a_former_lead_now_a_worker_elsewhere_is_not_reminded_with_the_question(tmp_path, monkeypatch):
    db = _routed(tmp_path, monkeypatch)
    _users(db, ["add", "UW1", "--lead", "UOFF"],        # first: a lead cannot move away from a worker naming them
           ["add", "ULEAD", "--name", "責任花子", "--role", "worker", "--contract", "草加市"])
    rid = routing.store.all_routed(db, answered=False)[0]["id"]
    reply, _ = routing.answer_routed(db, "ULEAD", rid, "総務にお尋ねください。", [], "terminal")
    assert "回答できるのは" in reply.text                     # the roster says: no longer theirs to answer
    got = _reminders(db, "2026-12-01T16:30:00+09:00")
    assert "ULEAD" not in got
    later = _reminders(db, "2026-12-02T16:30:00+09:00")     # the officer is asked instead, a working day on
    assert "ULEAD" not in later and QUESTION in later["UOFF"]


def _team_section(db, user_id: str) -> str:
    from handlers import home

    return next(s for s in home.full_sections(db, people.get_person(db, user_id), user_id) if s["id"] == "team")["text"]


def test_home_lists_a_waiting_question_to_the_lead_who_may_answer_it_now(tmp_path, monkeypatch):
    """The worker moves to another lead, the first lead to another contract: the question waits on
    the new lead's page (who may answer it), no longer on the former lead's (whose answer is refused)."""
    db = _routed(tmp_path, monkeypatch)
    _users(db, ["add", "ULEAD2", "--name", "新任次郎", "--role", "lead", "--contract", "吉川市"],
           ["add", "UW1", "--name", "作業一郎", "--role", "worker", "--contract", "吉川市", "--lead", "ULEAD2"],
           ["add", "ULEAD", "--name", "責任花子", "--role", "lead", "--contract", "草加市"])
    rid = routing.store.all_routed(db, answered=False)[0]["id"]
    assert not routing.may_answer(db, "ULEAD", routing.store.routed(db, rid))
    assert QUESTION not in _team_section(db, "ULEAD") and "回答待ちの質問: 0 件" in _team_section(db, "ULEAD")
    assert QUESTION in _team_section(db, "ULEAD2")
    reply, out = routing.answer_routed(db, "ULEAD2", rid, "総務の規程に従ってください。", [], "terminal")
    assert [o.user_id for o in out] == ["UW1"]
    assert "回答待ちの質問: 0 件" in _team_section(db, "ULEAD2")
