"""One person asked about by name (handlers/member_status.py), through the terminal chat (the same handlers as
Slack): a lead sees their team, the officer everyone, a worker nobody else; a name nobody the asker may see is
a rule question, and says nothing of whether such a person exists."""
from __future__ import annotations

import io

import pytest

from bot import chat
from handlers import capabilities, people
from knowledge import library
from storage.db import open_db
from conftest import add_contracts

NOW = "2026-12-07T10:30:00+09:00"      # a Monday, after the start-of-day checklist's deadline


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("MAMORU_NOW", NOW)
    monkeypatch.setenv("MAMORU_FILES_DIR", str(tmp_path / "files"))
    d = open_db(tmp_path / "m.db")
    library.ensure_builtin(d)
    add_contracts(d, "吉川市")
    for argv in (["add", "UOFF", "--name", "対策三郎", "--role", "officer"],
                 ["add", "ULEAD", "--name", "責任花子", "--role", "lead", "--contract", "吉川市"],
                 ["add", "ULEAD2", "--name", "別班次郎", "--role", "lead", "--contract", "吉川市"],
                 ["add", "UW1", "--name", "山田太郎", "--contract", "吉川市", "--lead", "ULEAD"],
                 ["add", "UW2", "--name", "山田花子", "--contract", "吉川市", "--lead", "ULEAD"],
                 ["add", "UW3", "--name", "佐藤一郎", "--contract", "吉川市", "--lead", "ULEAD2"]):
        status, reply = people.run_users(d, "cli", argv, "cli")
        assert status == 0, reply.text
    return d


def talk(db, user: str, *lines: str) -> str:
    out = io.StringIO()
    chat.run(db, user, stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("said", ["山田太郎さんの研修どうなってる？", "山田太郎さんチェックリスト出した？", "山田太郎さんの状況",
                                  "山田 太郎さんの様子教えて"])
def test_a_lead_sees_one_of_their_team_by_name(db, said):
    out = talk(db, "ULEAD", said)
    assert "山田太郎さん（2026年12月7日(月) 10:30 時点）" in out
    assert "始業時 期限切れ・未確認" in out                  # today's checklist, in the team view's words
    assert "研修 — 未受講、期限" in out                      # and the training
    assert "山田花子さん（" not in out


def test_a_family_name_alone_shows_everyone_of_that_name_the_lead_may_see(db):
    out = talk(db, "ULEAD", "山田さんの状況は？")
    assert "「山田」さんに当たる方が 2 名います" in out
    assert "山田太郎さん（" in out and "山田花子さん（" in out


def test_someone_outside_the_team_is_not_shown_and_not_confirmed(db):
    out = talk(db, "ULEAD", "佐藤一郎さんの研修どうなってる？")
    assert "佐藤一郎さん（" not in out and "当たる方" not in out
    out = talk(db, "UW1", "山田花子さんの状況")            # a worker: nobody else
    assert "山田花子さん（" not in out and "当たる方" not in out


def test_the_officer_sees_anyone(db):
    out = talk(db, "UOFF", "佐藤一郎さんの状況")
    assert "佐藤一郎さん（2026年12月7日(月) 10:30 時点）" in out


def test_a_kind_of_person_is_still_a_rule_question(db):
    assert capabilities.understand("派遣さんの研修は必要？") is None
    out = talk(db, "ULEAD", "派遣さんの研修どう？")        # the pattern matches, nobody is called 派遣: the rules answer
    assert "派遣さん（" not in out and "第" in out


def test_asked_in_the_middle_of_a_report_the_report_waits(db):
    from handlers.incident import draft

    talk(db, "ULEAD", "インシデント報告")
    out = talk(db, "ULEAD", "山田太郎さんの状況")
    assert "山田太郎さん（" in out
    sess = draft.open_draft(db, "ULEAD")
    assert sess is not None and not draft.load(db, sess["id"]).answers


def notices(out: str) -> dict[str, str]:
    """{user id: the first line after the notice header} of the DMs the chat printed."""
    import re

    return {uid: text for uid, text in re.findall(r"（.+?さん［(\w+)］への通知）\n(.+)", out)}


def test_a_lead_nudges_one_of_their_team_by_dm_with_the_open_checklist(db):
    out = talk(db, "ULEAD", "山田太郎さんに催促して")
    assert "DM でお知らせしました: 山田太郎さん（始業時のチェックリスト、研修）" in out
    sent = notices(out)
    assert set(sent) == {"UW1"} and sent["UW1"] == "責任花子さんから、確認のお願いです。"
    assert "始業時のチェックリストです（2026年12月7日(月)）" in out


def test_nobody_with_nothing_open_is_nudged(db):
    from handlers.checklist import content, core

    c = content.get("start")
    core.answer_all(db, "UW2", core.value(c.id, "2026-12-07"), "terminal")
    out = talk(db, "ULEAD", "山田花子さんにリマインドして")
    assert "DM でお知らせしました: 山田花子さん（研修）" in out          # the checklist is done; the training is not
    assert "UW2" in notices(out) and "始業時のチェックリストです" not in out


def test_everyone_with_something_open_in_the_leads_team_only(db):
    out = talk(db, "ULEAD", "未提出の人に催促して")
    assert set(notices(out)) == {"UW1", "UW2"}                           # not 佐藤一郎 of another team
    out = talk(db, "UOFF", "みんなに催促して")
    assert set(notices(out)) >= {"UW1", "UW2", "UW3"}


def test_a_worker_nudges_nobody(db):
    out = talk(db, "UW1", "未提出の人に催促して")
    assert "作業責任者と情報セキュリティ対策責任者の方が送れます" in out and not notices(out)
    out = talk(db, "UW1", "山田花子さんに催促して")                      # not theirs to see: a rule question, no DM
    assert not notices(out)
    out = talk(db, "ULEAD", "佐藤一郎さんに催促して")                    # another lead's team
    assert not notices(out)


def test_a_double_click_nudges_once(db):
    """The DM's idempotency key is the same within the minute (the Slack runtime sends a key once)."""
    from handlers.capabilities import Meaning
    from handlers import member_status

    keys = []
    for _ in range(2):
        turn = member_status.nudge(db, "ULEAD", Meaning("member.nudge", "", "", ("山田太郎",)), "slack_dm")
        keys.append([o.key for o in turn.outgoing])
    assert keys[0] == keys[1] and len(keys[0]) == 1
