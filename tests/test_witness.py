"""The chain's head leaves the server: in each status report's figures, and once a day to the officer."""
from __future__ import annotations

import datetime as _dt

from handlers import notices, people, witness
from handlers.report import draft
from storage import audit, auditkey
from storage.db import open_db
from conftest import add_contracts

JST = _dt.timezone(_dt.timedelta(hours=9))


def test_daily_head_line_to_the_officer_and_in_the_report(db_path, monkeypatch):
    db = open_db(db_path)
    add_contracts(db, "吉川市")
    for argv in (["add", "UOFF", "--name", "対策花子", "--role", "officer", "--contract", "吉川市"],
                 ["add", "UW", "--name", "山田太郎", "--contract", "吉川市"]):
        assert people.run_users(db, "cli", argv, "cli")[0] == 0
    head = audit.head(db)
    monkeypatch.setenv(witness.TIME_ENV, "17:00")
    friday = _dt.datetime(2026, 11, 20, 16, 0, tzinfo=JST)
    assert not [o for o in notices.run_pass(db, friday, dry_run=True) if witness.SOURCE in o.key]   # not yet
    outs = [o for o in notices.run_pass(db, friday.replace(hour=17, minute=5)) if witness.SOURCE in o.key]
    assert [o.user_id for o in outs] == ["UOFF"]
    assert head["hash"] in outs[0].reply.text and "audit verify --head" in outs[0].reply.text
    notices.deliver(db, outs, lambda o: True)
    assert not [o for o in notices.run_pass(db, friday.replace(hour=17, minute=30)) if witness.SOURCE in o.key]
    w = auditkey.last_witnessed(str(db_path))
    assert w and w["seq"] >= head["seq"]
    assert '"why": "daily"' in auditkey.witness_path().read_text() and str(db_path) in auditkey.witness_path().read_text()
    r = draft.build(db, "吉川市", _dt.date(2026, 10, 1), _dt.date(2026, 10, 31), today=_dt.date(2026, 11, 20))
    assert r["chain_head"].startswith("記録の連鎖の先頭: 連番") and r["chain_head"] in draft.summary(r)
