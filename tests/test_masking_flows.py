"""Masking where people type: a checklist reason (terminal chat), incident counts and dates, a routed question.

What was hidden is said in the reply; nothing masked reaches the lead, the records or the chain.
"""
from __future__ import annotations

import sqlite3

from conftest import run_mamoru
from test_checklist import D, register

from handlers.incident import answers, dates
from storage.db import open_db


def test_a_checklist_reason_is_masked_before_it_is_stored_or_sent(db_path):
    db = open_db(db_path)
    register(db)
    env = {"MAMORU_NOW": f"{D}T09:05:00+09:00"}
    script = "チェックリスト\n1\n6\n鞄に住民名簿（０９０ー１２３４ー５６７８、〒342-0038 吉川市きよみ野1-2-3）が入っていました\n"
    r = run_mamoru(["chat", "--as", "UW1"], db_path, input=script, env=env)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "責任花子さん［ULEAD］への通知" in out
    for secret in ("１２３４", "1234", "342-0038", "1-2-3"):
        assert secret not in out, secret
    assert "電話番号、郵便番号、住所と思われる部分は伏せ字にして記録しました" in out
    with sqlite3.connect(db_path) as c:
        [(reason,)] = c.execute("SELECT reason FROM checklist_reasons").fetchall()
    assert "伏せ字" in reason and "1234" not in reason and "１２３４" not in reason


def test_incident_counts_and_dates_keep_no_personal_data():
    v = answers.count_value("約3件（連絡先 090-1234-5678 の方の分）")
    assert v["v"] == 3 and "5678" not in v["text"] and v["masked"] == ["phone"]
    import datetime as _dt

    now = _dt.datetime(2026, 12, 1, 10, 0, tzinfo=_dt.timezone(_dt.timedelta(hours=9)))
    w = dates.parse("昨日15時頃 taro@example.jp から連絡", now)
    v = answers.when_value(w)
    assert "example" not in v["text"] and "taro" not in v["text"] and "email" in v["masked"]
