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
