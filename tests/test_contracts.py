"""Contracts as explicit things: `mamoru contract add|list|rename|remove`, typos refused everywhere,
and the migration that gives every contract name in use a row of its own. Real CLI, real SQLite."""
from __future__ import annotations

import datetime as _dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from handlers import people
from storage import people as pstore
from storage.db import open_db
from conftest import add_contracts

MAMORU = str(Path(sys.executable).with_name("mamoru"))


def run(db_path, *argv):
    env = dict(os.environ, MAMORU_DB=str(db_path), PYTHONIOENCODING="utf-8")
    return subprocess.run([MAMORU, *argv], env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "m.db"


def test_add_list_rename_remove(db_path):
    r = run(db_path, "contract", "add", "草加", "--municipality", "草加市")
    assert r.returncode == 0 and "案件「草加」（自治体: 草加市）を登録しました" in r.stdout
    assert run(db_path, "contract", "add", "草加").returncode == 1          # already there
    db = open_db(db_path)
    assert people.run_users(db, "cli", ["add", "U1", "--name", "山田", "--contract", "草加"], "cli")[0] == 0
    r = run(db_path, "contract", "remove", "草加")
    assert r.returncode == 1 and "使われているため取り消せません（登録されている方 1 名）" in r.stderr
    r = run(db_path, "contract", "rename", "草加", "草加市")
    assert r.returncode == 0 and "登録されている方 1 名" in r.stdout
    assert pstore.current(db, "U1")["contracts"] == ["草加市"]
    listed = json.loads(run(db_path, "contract", "list", "--json").stdout)
    assert [(c["name"], c["people"], c["renamed_from"]) for c in listed] == [("草加市", 1, "草加")]
    assert pstore.contract(db, "草加") is None
    # the old name is gone everywhere: refused, with the new name offered
    r = run(db_path, "roster", "show", "--contract", "草加")
    assert r.returncode == 1 and "もしかして: 「草加市」" in r.stderr
    assert people.run_users(db, "cli", ["remove", "U1"], "cli")[0] == 0
    assert run(db_path, "contract", "remove", "草加市").returncode == 0
    assert json.loads(run(db_path, "contract", "list", "--json").stdout) == []


@pytest.mark.parametrize("argv", [
    ["checklist", "contract", "吉川", "--use", "start"],
    ["training", "contract", "吉川", "--pass-percent", "80"],
    ["report", "status", "--contract", "吉川", "--from", "2026-10-01", "--to", "2026-10-31"],
    ["export", "roster", "--contract", "吉川", "-o", "-", "--format", "csv"],
])
def test_a_typo_is_refused_with_the_closest_name_everywhere(db_path, argv):
    db = open_db(db_path)
    add_contracts(db, "吉川市")
    assert people.run_users(db, "cli", ["add", "U1", "--name", "山田", "--contract", "吉川市"], "cli")[0] == 0
    r = run(db_path, *argv)
    assert r.returncode != 0 and "案件「吉川」は登録されていません" in r.stderr and "「吉川市」" in r.stderr
    assert [c["name"] for c in pstore.contracts(open_db(db_path))] == ["吉川市"]


def test_a_shipped_municipality_is_not_a_contract_until_added(db_path):
    """吉川市 is the municipality of a shipped document, yet naming it creates nothing anywhere:
    a contract comes from `contract add` alone (the one deliberate step of a fresh install)."""
    for argv in (["users", "add", "U1", "--name", "山田", "--contract", "吉川市"],
                 ["checklist", "contract", "吉川市", "--use", "start"],
                 ["training", "contract", "吉川市", "--pass-percent", "80"],
                 ["export", "roster", "--contract", "吉川市", "-o", "-", "--format", "csv"]):
        r = run(db_path, *argv)
        assert r.returncode == 1 and "案件「吉川市」は登録されていません" in r.stderr, (argv, r.stderr)
        assert "mamoru contract add 吉川市" in r.stderr
    db = open_db(db_path)
    assert pstore.contracts(db) == [] and pstore.current(db, "U1") is None
    # a registration approved with a contract that is not there is refused and decides nothing
    people.request_registration(db, "UNEW", "新人")
    with pytest.raises(people.UsageError, match="案件「吉川市」は登録されていません"):
        people.approve(db, "cli", "UNEW", "cli", contract="吉川市")
    assert pstore.contracts(db) == [] and pstore.current(db, "UNEW") is None and pstore.pending_request(db, "UNEW")
    r = run(db_path, "contract", "add", "吉川市")
    assert r.returncode == 0 and "案件「吉川市」の対象文書: 吉川市 情報セキュリティ特記仕様書" in r.stdout
    assert run(db_path, "users", "add", "U1", "--name", "山田", "--contract", "吉川市").returncode == 0
    people.approve(db, "cli", "UNEW", "cli", contract="吉川市")
    assert pstore.current(db, "UNEW")["contracts"] == ["吉川市"]
    assert [c["name"] for c in pstore.contracts(db)] == ["吉川市"]


def test_migration_backfills_contract_names_in_use(tmp_path):
    """A database from before contracts were explicit: a name only settings knew gets its row."""
    from storage import migrations

    db = open_db(tmp_path / "old.db")
    db.execute("DELETE FROM _migrations WHERE id = 10")
    from storage.db import transaction

    with transaction(db):   # written (and chained) by mamoru, as it was then
        db.execute("INSERT INTO checklist_settings (contract, settings, actor, via, at) VALUES"
                   " ('旧案件', '{}', 'cli', 'cli', '2026-01-01T00:00:00+09:00')")
    assert pstore.contract(db, "旧案件") is None
    assert migrations.apply(db) == [10]
    assert pstore.contract(db, "旧案件")["actor"] == "migration"
    from storage import audit

    assert audit.verify(db).ok


def test_a_rename_carries_the_records_made_under_the_old_name(tmp_path):
    """After `contract rename 吉川市 吉川市役所`, the report, the exports, the roster and a lead's view of
    吉川市役所 hold what was recorded while it was 吉川市 (a scripted month: checklists, training,
    incidents, roster changes), nothing is rewritten, and the audit chain still verifies."""
    from knowledge import library
    from test_report import C, D0, D1, script

    from handlers.report import figures

    new = "吉川市役所"
    db_path = tmp_path / "r.db"
    db = open_db(db_path)
    library.ensure_builtin(db)
    script(db)
    today = _dt.date(2026, 11, 2)
    before = figures.compute(db, C, D0, D1, today)
    raw = db.execute("SELECT COUNT(*) FROM checklist_confirmations WHERE contract = ?", [C]).fetchone()[0]
    period = ["--from", "2026-10-01", "--to", "2026-10-31"]
    cli = {"checklists": ["export", "checklists", *period, "--format", "csv", "-o", "-"],
           "training": ["export", "training", "--format", "csv", "-o", "-"],
           "roster": ["roster", "show", "--json"],
           "team roster": ["roster", "show", "--json", "--as", "UL1"]}
    shown = {k: run(db_path, *argv, "--contract", C) for k, argv in cli.items()}
    assert all(r.returncode == 0 for r in shown.values()), {k: r.stderr for k, r in shown.items()}
    assert len(shown["checklists"].stdout.splitlines()) > 10 and "作業UW1" in shown["training"].stdout
    seen_by_lead = _chat(db_path, "UL1", "incident list")
    refs = set(re.findall(r"INC-2026-\d{4}", seen_by_lead))
    assert len(refs) == 2          # their two incidents of 吉川市 (the 草加市 one is not theirs)

    r = run(db_path, "contract", "rename", C, new)
    assert r.returncode == 0 and f"「{new}」の記録として報告・書き出し・状況に含まれます" in r.stdout, r.stdout + r.stderr
    db = open_db(db_path)
    assert people.contract_docs(db, new) == ["yoshikawa"]       # the city and its document stay with it
    after = figures.compute(db, new, D0, D1, today)
    for part in ("checklists", "incidents", "training", "roster"):
        assert after[part] == before[part], part
    assert after["checklists"]["confirmed"] > 0 and after["incidents"]["reported"] == 2
    for k, argv in cli.items():
        r = run(db_path, *argv, "--contract", new)
        assert r.returncode == 0, r.stderr
        if k.endswith("roster"):
            assert ([dict(x, contract=None) for x in json.loads(r.stdout)]
                    == [dict(x, contract=None) for x in json.loads(shown[k].stdout)]), k
        else:   # every row names the contract as it is called now, and the name it was recorded under
            assert _csv(r.stdout) == _renamed(_csv(shown[k].stdout), C, new), k
    assert set(re.findall(r"INC-2026-\d{4}", _chat(db_path, "UL1", "incident list"))) == refs
    r = run(db_path, "report", "status", "--contract", new, *period, "--format", "md", "-o", "-")
    assert r.returncode == 0 and "期間中に報告された事故 2 件" in r.stdout, r.stderr
    # the old name is refused, pointing at the new one; it is never given to another contract
    r = run(db_path, "report", "status", "--contract", C, *period, "--format", "md", "-o", "-")
    assert r.returncode == 1 and f"案件「{C}」は「{new}」に名前が変わりました" in r.stderr
    r = run(db_path, "contract", "add", C)
    assert r.returncode == 1 and f"案件「{new}」の以前の名前" in r.stderr and pstore.contract(db, C) is None
    r = run(db_path, "contract", "remove", new)
    assert r.returncode == 1 and "チェックリストの記録" in r.stderr and "事故報告" in r.stderr
    # nothing was rewritten, and the chain verifies
    assert db.execute("SELECT COUNT(*) FROM checklist_confirmations WHERE contract = ?", [C]).fetchone()[0] == raw
    r = run(db_path, "audit", "verify")
    assert r.returncode == 0, r.stdout + r.stderr
    # renaming back to its own earlier name is allowed, and still carries everything
    assert run(db_path, "contract", "rename", new, C).returncode == 0
    assert figures.compute(open_db(db_path), C, D0, D1, today)["checklists"] == before["checklists"]


def test_after_a_rename_exports_and_reports_name_the_contract_as_it_is_called_now(tmp_path):
    """What a lead, an officer or the city reads names the contract by its name now; where a record
    was written under the earlier name, that name is beside it (記録時の案件名), so an auditor can
    match the row with the audit trail, which keeps the record as written."""
    from knowledge import library
    from test_report import C, script

    new = "吉川市役所"
    db_path = tmp_path / "r.db"
    db = open_db(db_path)
    library.ensure_builtin(db)
    script(db)
    assert run(db_path, "contract", "rename", C, new).returncode == 0
    from storage import training as tstore

    assigned = {a["user_id"] for a in tstore.assignments(db)}       # the training assigned under the earlier name
    period = ["--from", "2026-10-01", "--to", "2026-10-31"]
    for argv in (["export", "checklists", *period], ["export", "training"]):
        r = run(db_path, *argv, "--contract", new, "--format", "csv", "-o", "-")
        assert r.returncode == 0, r.stderr
        rows = _csv(r.stdout)
        head = rows[0]
        body = [x for x in rows[1:] if len(x) == len(head) and x[head.index("案件")]]
        assert len(body) > 3
        want = {(new, C)}
        if argv[1] == "training":   # the training still owed is assigned by the export first, under the name now
            want = {(new, C if x[head.index("利用者ID")] in assigned else "") for x in body}
            assert (new, C) in want
        assert {(x[head.index("案件")], x[head.index("記録時の案件名")]) for x in body} == want, argv[1]
    incidents = json.loads(run(db_path, "incident", "list", "--json").stdout)
    mine = [i for i in incidents if i["contract_as_recorded"] == C]
    assert len(mine) == 2 and {i["contract"] for i in mine} == {new}
    r = run(db_path, "incident", "export", mine[0]["ref"], "--format", "md", "-o", "-")
    assert r.returncode == 0, r.stderr
    assert f"件名（案件）: {new}\n" in r.stdout and f"- 案件: {new}（記録時の案件名: {C}）" in r.stdout
    r = run(db_path, "report", "status", "--contract", new, *period, "--format", "md", "-o", "-")
    assert r.returncode == 0 and f"- 受託業務名（案件）: {new}\n" in r.stdout
    # the records themselves, and the audit trail, keep the name they were written under
    r = run(db_path, "audit", "export", *period, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    recorded = {json.loads(x["payload"])["contract"] for x in map(json.loads, r.stdout.splitlines())
                if x.get("table") == "checklist_confirmations"}
    assert recorded == {C}
    assert run(db_path, "audit", "verify").returncode == 0


def _csv(text: str) -> list[list[str]]:
    import csv
    import io

    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def _renamed(rows: list[list[str]], old: str, new: str) -> list[list[str]]:
    """An export's rows as they read after `old` was renamed `new`: 案件 is the name now, and
    記録時の案件名 (empty while they were the same) keeps the name the record was written under."""
    head = rows[0]
    i, j = head.index("案件"), head.index("記録時の案件名")
    out = [head]
    for r in rows[1:]:
        if len(r) == len(head) and r[i] == old and r[j] == "":
            r = [*r[:i], new, *r[i + 1:j], old, *r[j + 1:]]
        elif len(r) == 1:                                   # the summary line names the contract asked for
            r = [r[0].replace(f"「{old}」", f"「{new}」")]
        out.append(r)
    return out


def _chat(db_path, user: str, *lines: str) -> str:
    env = dict(os.environ, MAMORU_DB=str(db_path), PYTHONIOENCODING="utf-8")
    r = subprocess.run([MAMORU, "chat", "--as", user], env=env, input="\n".join(lines) + "\n", capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_a_new_contract_is_warned_of_a_near_duplicate_not_of_another_city(tmp_path):
    from handlers import contracts
    from storage.db import open_db

    db = open_db(tmp_path / "m.db")
    at = "2026-12-07T10:00:00+09:00"
    assert contracts.add(db, "吉川市", municipality=None, docs=[], actor="cli", via="cli", at=at)[0] == 0
    status, text = contracts.add(db, "七瀬川市", municipality=None, docs=[], actor="cli", via="cli", at=at)
    assert status == 0 and "似た名前" not in text
    status, text = contracts.add(db, "吉川市役所", municipality=None, docs=[], actor="cli", via="cli", at=at)
    assert status == 0 and "似た名前の案件があります: 「吉川市」" in text
