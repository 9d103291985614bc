"""An acknowledgement, an emoji or a stray key typed while the report waits is not recorded as the answer.

After the first-aid steps people reply 「了解です」 or 👍 out of habit; the report recorded them as the next
answers (「✔ 事故の発生場所: 👍」「✔ 情報の内容: 了解」, a lone 「ａ」 as the recipient's domain) and sent
them to the lead and into the written report for the city. Real terminal chat, real SQLite file.
"""
from __future__ import annotations

import sqlite3

from conftest import register_team, run_mamoru

NOW = {"MAMORU_NOW": "2026-12-01T10:05:00+09:00"}   # a Tuesday


def _register(db_path):
    register_team(db_path)


def _answers(db_path) -> dict[str, str]:
    with sqlite3.connect(db_path) as c:
        rows = c.execute("SELECT question, value FROM incident_steps WHERE op = 'answer' ORDER BY id").fetchall()
    return dict(rows)


def test_small_talk_and_stray_keys_are_asked_again_not_recorded(db_path):
    _register(db_path)
    script = "インシデント報告\n3\n1\n1\n了解です\n👍\n3\n自社の作業場所\nａ\nありがとうございます\nexample.jp\n住民票の写し\n"
    r = run_mamoru(["chat", "--as", "UW1"], db_path, input=script, env=NOW)
    assert r.returncode == 0, r.stderr
    got = _answers(db_path)
    assert '"自社の作業場所"' in got["place"] and '"example.jp"' in got["recipient_domain"] and '"住民票の写し"' in got["info"]
    for said in ("了解です", "👍", '"3"', '"ａ"', "ありがとう"):
        assert not any(said in v for v in got.values()), said
    assert "✔ 事故の発生場所: 自社の作業場所" in r.stdout and r.stdout.count("✔ 事故の発生場所") == 1
    assert "回答として記録しませんでした" in r.stdout


def test_yes_no_and_ordinary_short_answers_still_count(db_path):
    _register(db_path)
    script = "インシデント報告\n3\n1\n1\n不明\nexample.jp\nいいえ\n"
    r = run_mamoru(["chat", "--as", "UW1"], db_path, input=script, env=NOW)
    got = _answers(db_path)
    assert '"不明"' in got["place"] and '"いいえ"' in got["info"], r.stdout[-1500:]
