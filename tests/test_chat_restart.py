"""The terminal chat started again in the middle of a conversation (an incident report, a quiz) shows the
waiting question again, with its numbers, before anything is typed.

The numbers of the buttons live in the chat process: after a restart 「2」 meant 「キャンセル」 on the screen
but was recorded as the incident's 発生場所 (「✔ 事故の発生場所: 2」), and sent on to the lead so.
Real `mamoru chat`, real SQLite file, one process per run as a person would start it.
"""
from __future__ import annotations

import sqlite3

from conftest import register_team, run_mamoru

NOW = {"MAMORU_NOW": "2026-12-01T10:00:00+09:00"}   # a Tuesday


def _register(db_path):
    register_team(db_path)


def _chat(db_path, script: str) -> str:
    r = run_mamoru(["chat", "--as", "UW1"], db_path, input=script, env=NOW)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_an_incident_report_half_done_is_shown_again_and_its_numbers_press_its_buttons(db_path):
    _register(db_path)
    first = _chat(db_path, "インシデント報告\n2\n1\n1\n")      # 端末・媒体の紛失, さっき, 発見もさっき
    assert "質問 4/12（事故の発生場所）" in first and "[1] 戻る  [2] キャンセル" in first
    again = _chat(db_path, "2\n")                               # the restart: 「2」 as shown before it
    before_typing = again.split("ご利用ありがとうございました")[0]
    assert "書きかけの報告の続きです" in before_typing and "質問 4/12（事故の発生場所）" in before_typing
    assert "✔ 事故の発生場所: 2" not in again
    assert "事故・インシデントの報告をキャンセルしました" in again
    with sqlite3.connect(db_path) as c:
        places = c.execute("SELECT value FROM incident_steps WHERE op = 'answer' AND question = 'place'").fetchall()
    assert places == []


def test_a_quiz_half_done_is_shown_again_and_nothing_else_is_said_without_one(db_path):
    _register(db_path)
    first = _chat(db_path, "研修\n1\n")
    assert "第2問／全" in first
    again = _chat(db_path, "")
    assert "研修の続きです" in again and "第2問／全" in again and "← 番号を入力すると押せます" in again
    assert "第1問" not in again
    # nobody waiting: the chat opens with its banner alone
    r = run_mamoru(["chat", "--as", "ULEAD"], db_path, input="", env=NOW)
    assert r.stdout.count("\n") <= 5 and "続きです" not in r.stdout


def test_a_checklist_reason_awaited_is_asked_again_and_a_number_is_never_taken_as_the_reason(db_path):
    _register(db_path)
    env = {"MAMORU_NOW": "2026-12-01T09:05:00+09:00"}
    r = run_mamoru(["chat", "--as", "UW1"], db_path, input="チェックリスト\n4\n", env=env)
    assert "理由を 1 行で入力して" in r.stdout
    r = run_mamoru(["chat", "--as", "UW1"], db_path, input="3\n", env=env)      # the restart
    before_typing = r.stdout.split("を「はい」として記録しました")[0]
    assert "「ICカードの管理」に「いいえ」と回答された理由" in before_typing
    assert "[3] 私物の持込みなし：はい" in before_typing
    assert "「私物の持込みなし」を「はい」として記録しました" in r.stdout
    with sqlite3.connect(db_path) as c:
        assert c.execute("SELECT reason FROM checklist_reasons").fetchall() == []
