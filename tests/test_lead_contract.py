"""A worker's lead must be on the worker's contract.

A lead receives the worker's checklist reasons, questions and incident alerts. A lead registered
only on ANOTHER contract would receive them too: information of one contract reaching someone who
works on another. Every way a lead is assigned (`users add`, the Slack forms, an approval, a roster
import) refuses it with the reason, and nothing is recorded. Officers and admins oversee every
contract and may still be named. The reverse too: a lead cannot be moved (or a roster import leave
them) on none of the contracts of the workers who still name them. Real SQLite files, no mocks.
"""
from __future__ import annotations

import pytest

from handlers import people, roster_import
from storage import people as pstore
from storage.db import open_db
from conftest import add_contracts

REASON = "別の案件（草加市）の作業責任者"


@pytest.fixture
def db(tmp_path):
    d = open_db(tmp_path / "l.db")
    add_contracts(d, "吉川市", "草加市")
    for argv in (["add", "UADM", "--name", "管理 花子", "--role", "admin"],
                 ["add", "UOFF", "--name", "対策 責任", "--role", "officer"],
                 ["add", "ULY", "--name", "吉川 責任", "--role", "lead", "--contract", "吉川市"],
                 ["add", "ULS", "--name", "草加 責任", "--role", "lead", "--contract", "草加市"],
                 ["add", "UW1", "--name", "山田太郎", "--contract", "吉川市", "--lead", "ULY"]):
        status, reply = people.run_users(d, "cli", argv, "cli")
        assert status == 0, reply.text
    return d


def rows(db) -> int:
    return db.execute("SELECT COUNT(*) FROM people").fetchone()[0]


def test_users_add_refuses_a_lead_of_another_contract_and_records_nothing(db):
    before = rows(db)
    status, r = people.run_users(db, "cli", ["add", "UW2", "--name", "佐藤", "--contract", "吉川市", "--lead", "ULS"],
                                 "cli")
    assert status == 1 and REASON in r.text and "草加 責任さん（ULS）" in r.text, r.text
    assert "使い方" not in r.text                                 # a refusal, not a typing mistake
    r = people.users_command(db, "UADM", ["add", "UW2", "--name", "佐藤", "--contract", "吉川市", "--lead", "ULS"],
                             "slack_command")
    assert REASON in r.text
    assert rows(db) == before and pstore.current(db, "UW2") is None
    # the lead of the same contract, an officer and an admin (who oversee every contract) are accepted
    for uid, lead in (("UW2", "ULY"), ("UW3", "UOFF"), ("UW4", "UADM")):
        status, r = people.run_users(db, "cli", ["add", uid, "--name", uid, "--contract", "吉川市", "--lead", lead], "cli")
        assert status == 0, r.text
    # nor a worker of the other contract named as lead: incident alerts reach whoever is named
    people.run_users(db, "cli", ["add", "UWS", "--name", "草加 作業", "--contract", "草加市", "--lead", "ULS"], "cli")
    status, r = people.run_users(db, "cli", ["add", "UW6", "--name", "鈴木", "--contract", "吉川市", "--lead", "UWS"],
                                 "cli")
    assert status == 1 and "別の案件（草加市）の作業従事者" in r.text and pstore.current(db, "UW6") is None, r.text
    # a worker on both contracts may have the lead of either
    status, r = people.run_users(db, "cli", ["add", "UW5", "--name", "両方", "--contract", "吉川市,草加市", "--lead", "ULS"],
                                 "cli")
    assert status == 0, r.text


def test_a_worker_moved_to_another_contract_cannot_keep_the_old_contracts_lead(db):
    history = pstore.history(db, "UW1")
    status, r = people.run_users(db, "cli", ["add", "UW1", "--contract", "草加市"], "cli")
    assert status == 1 and "吉川 責任さん（ULY）は別の案件（吉川市）の作業責任者" in r.text, r.text
    assert pstore.history(db, "UW1") == history                        # nothing changed
    status, r = people.run_users(db, "cli", ["add", "UW1", "--contract", "草加市", "--lead", "ULS"], "cli")
    assert status == 0, r.text
    p = people.get_person(db, "UW1")
    assert (p["contracts"], p["lead_id"]) == (["草加市"], "ULS")


def test_the_slack_forms_refuse_it_and_offer_only_leads_who_may_be_named(db):
    errs = people.form_errors(db, user_id="UNEW", role="worker", contract="吉川市", lead="ULS")
    assert REASON in errs["lead"]
    assert people.form_errors(db, user_id="UNEW", role="worker", contract="吉川市", lead="ULY") == {}
    status, r = people.add_from_form(db, "UADM", user_id="UNEW", name="新人", role="worker", contract="吉川市",
                                     lead="ULS", start_date=None)
    assert status != 0 and REASON in r.text and pstore.current(db, "UNEW") is None
    offered = [p["user_id"] for p in people.lead_choices(db, "UNEW", "吉川市")]
    assert "ULS" not in offered and {"ULY", "UOFF", "UADM"} <= set(offered)


def test_an_approval_refuses_it_and_the_request_stays_pending(db):
    people.request_registration(db, "UNEW", "新人 太郎")
    errs = people.approval_errors(db, "UNEW", name="新人 太郎", contract="吉川市", lead="ULS", start_date="2026-12-01")
    assert REASON in errs["lead"]
    with pytest.raises(people.Refusal, match=REASON):
        people.approve(db, "UOFF", "UNEW", "slack_button", name="新人 太郎", contract="吉川市", lead="ULS",
                       start_date="2026-12-01")
    assert pstore.pending_request(db, "UNEW") and pstore.current(db, "UNEW") is None
    reply, out = people.approve(db, "UOFF", "UNEW", "slack_button", name="新人 太郎", contract="吉川市", lead="ULY",
                                start_date="2026-12-01")
    assert out and people.get_person(db, "UNEW")["lead_id"] == "ULY"


def test_an_approval_with_nothing_to_fill_in_refuses_a_lead_now_on_another_contract(db):
    """Returning after a removal: the lead on record has since moved to another contract. Approved
    with a button alone, the request is refused and stays pending; the form asks for a lead again."""
    from handlers import conversation

    people.run_users(db, "cli", ["remove", "UW1"], "cli")
    assert people.run_users(db, "cli", ["add", "ULY", "--contract", "草加市"], "cli")[0] == 0
    people.request_registration(db, "UW1", "山田太郎")
    turn = conversation.approve(db, "ULY", "UW1", "slack_button")
    assert "吉川 責任さん（ULY）は別の案件（草加市）の作業責任者" in turn.replies[0].text
    assert pstore.pending_request(db, "UW1") and people.get_person(db, "UW1") is None
    form = people.approval_form(db, "UOFF", "UW1")
    assert form["lead"] is None and "作業責任者" in form["lacks"] and form["contract"] == "吉川市"


def test_a_roster_import_refuses_it_on_the_row(db):
    def row(line, name, role, contract, lead, uid):
        return roster_import.Row(line, {roster_import.NAME: name, roster_import.ROLE: role,
                                        roster_import.CONTRACT: contract, roster_import.LEAD: lead,
                                        roster_import.USER_ID: uid})

    p = roster_import.plan(db, [row(2, "吉川 責任", "作業責任者", "吉川市", "", "ULY"),
                                row(3, "山田太郎", "作業従事者", "吉川市", "ULS", "UW1")])
    assert len(p.errors) == 1 and p.errors[0].startswith("3 行目（山田太郎）: ") and REASON in p.errors[0], p.errors
    # a lead the same file puts on the worker's contract is accepted
    p = roster_import.plan(db, [row(2, "吉川 責任", "作業責任者", "吉川市", "", "ULY"),
                                row(3, "草加 責任", "作業責任者", "吉川市", "", "ULS"),
                                row(4, "山田太郎", "作業従事者", "吉川市", "ULS", "UW1")])
    assert p.errors == [], p.errors


# ---- the reverse: a lead moved away from the workers who still name them ---------------------

MOVED = "吉川 責任さん（ULY、案件「草加市」）がご本人と同じ案件にいなくなります: 山田太郎さん（UW1、吉川市）"


def test_a_lead_moved_to_another_contract_is_refused_while_workers_still_name_them(db):
    history = pstore.history(db, "ULY")
    status, r = people.run_users(db, "cli", ["add", "ULY", "--contract", "草加市"], "cli")
    assert status == 1 and MOVED in r.text and "何も記録していません" in r.text, r.text
    assert "`users add UW1 --lead " in r.text and "使い方" not in r.text
    # made a worker on the way (whoever is named still gets the incident alerts): refused too
    status, r = people.run_users(db, "cli", ["add", "ULY", "--role", "worker", "--contract", "草加市"], "cli")
    assert status == 1 and "山田太郎さん（UW1、吉川市）" in r.text, r.text
    r = people.users_command(db, "UADM", ["add", "ULY", "--contract", "草加市"], "slack_command")
    assert MOVED in r.text
    assert pstore.history(db, "ULY") == history                         # nothing recorded
    # a second contract keeps the first: allowed; and once the worker has a lead of their own
    # contract, the move is too
    assert people.run_users(db, "cli", ["add", "ULY", "--contract", "吉川市,草加市"], "cli")[0] == 0
    assert people.run_users(db, "cli", ["add", "UW1", "--lead", "UOFF"], "cli")[0] == 0
    status, r = people.run_users(db, "cli", ["add", "ULY", "--contract", "草加市"], "cli")
    assert status == 0, r.text
    assert people.get_person(db, "ULY")["contracts"] == ["草加市"]


def test_the_slack_forms_refuse_moving_a_lead_away_from_their_workers(db):
    errs = people.form_errors(db, user_id="ULY", role="lead", contract="草加市", lead=None)
    assert MOVED in errs["contract"], errs
    assert people.form_errors(db, user_id="ULY", role="lead", contract="吉川市", lead=None) == {}
    assert people.form_errors(db, user_id="ULY", role="officer", contract="草加市", lead=None) == {}   # every contract
    history = pstore.history(db, "ULY")
    status, r = people.add_from_form(db, "UADM", user_id="ULY", name="吉川 責任", role="lead", contract="草加市",
                                     lead=None, start_date=None)
    assert status != 0 and MOVED in r.text and pstore.history(db, "ULY") == history
    # a removed lead approved back onto another contract would receive them again: refused, still pending
    people.run_users(db, "cli", ["remove", "ULY"], "cli")
    people.request_registration(db, "ULY", "吉川 責任")
    errs = people.approval_errors(db, "ULY", name="吉川 責任", contract="草加市", lead="ULS", start_date="2026-12-01")
    assert "山田太郎さん（UW1、吉川市）" in errs["contract"], errs
    with pytest.raises(people.Refusal, match="山田太郎さん（UW1、吉川市）"):
        people.approve(db, "UOFF", "ULY", "slack_button", name="吉川 責任", contract="草加市", lead="ULS",
                       start_date="2026-12-01")
    assert pstore.pending_request(db, "ULY") and people.get_person(db, "ULY") is None


def test_a_roster_import_refuses_moving_a_lead_away_from_people_it_keeps(db):
    """UW6 works on 吉川市 and 長野市 under ULY. A file for 吉川市 that leaves UW6 out keeps UW6 on
    長野市 with ULY: refused whether the file moves ULY to 草加市 or keeps ULY on 吉川市 alone."""
    add_contracts(db, "長野市")
    assert people.run_users(db, "cli", ["add", "UW6", "--name", "両方 六郎", "--contract", "吉川市,長野市",
                                        "--lead", "ULY"], "cli")[0] == 0

    def row(line, name, role, contract, lead, uid):
        return roster_import.Row(line, {roster_import.NAME: name, roster_import.ROLE: role,
                                        roster_import.CONTRACT: contract, roster_import.LEAD: lead,
                                        roster_import.USER_ID: uid})

    kept = "両方 六郎さん（UW6、長野市）"
    for lead_row in (row(2, "吉川 責任", "作業責任者", "草加市", "", "ULY"),
                     row(2, "吉川 責任", "作業責任者", "吉川市", "", "ULY")):
        p = roster_import.plan(db, [lead_row, row(3, "山田太郎", "作業従事者", "吉川市", "UOFF", "UW1")],
                               contracts=["吉川市"])
        assert len(p.errors) == 1 and p.errors[0].startswith("2 行目（吉川 責任）: ") and kept in p.errors[0], p.errors
        assert "山田太郎" not in p.errors[0]                            # the file gives UW1 a lead of 吉川市
    # UW6 given a lead of their own contract first: the same file is accepted
    assert people.run_users(db, "cli", ["add", "UW6", "--lead", "UOFF"], "cli")[0] == 0
    p = roster_import.plan(db, [row(2, "吉川 責任", "作業責任者", "草加市", "", "ULY"),
                                row(3, "山田太郎", "作業従事者", "吉川市", "UOFF", "UW1")], contracts=["吉川市"])
    assert p.errors == [], p.errors


def test_closing_a_contract_takes_its_workers_off_before_their_lead(db):
    """A lead also on another contract leaves the closed one once the workers naming them have left."""
    from handlers.report import close

    assert people.run_users(db, "cli", ["add", "ULY", "--contract", "吉川市,草加市"], "cli")[0] == 0
    assert close.remove_all(db, "吉川市", "cli", "cli") == (["UW1", "ULY"], [])
    assert people.get_person(db, "ULY")["contracts"] == ["草加市"] and people.get_person(db, "UW1") is None


def test_closing_says_who_could_not_be_taken_off_and_fails(db, tmp_path):
    """A worker also on 草加市 whose lead is only on 吉川市 cannot drop 吉川市 (the lead would be apart):
    `contract close --yes` names them and why, and does not say the contract was emptied."""
    from conftest import run_mamoru

    assert people.run_users(db, "cli", ["add", "UW1", "--contract", "吉川市,草加市", "--lead", "ULY"], "cli")[0] == 0
    path = tmp_path / "l.db"            # the fixture's file: the command line works on it as a deployment would
    r = run_mamoru(["contract", "close", "吉川市", "--yes"], path)
    assert r.returncode == 1 and "山田太郎さん（UW1）" in r.stderr and "吉川 責任さん（ULY）" in r.stderr, r.stderr
    assert "解除できませんでした" in r.stderr
    left = open_db(path)
    assert pstore.current(left, "UW1")["contracts"] == ["吉川市", "草加市"]


def test_doctor_lists_the_pairs_an_older_database_holds(db, tmp_path):
    """A worker whose lead is on another contract, written as a database from before the checks holds
    it: `mamoru doctor`'s check names both and how to mend it; without such a pair it says all is well."""
    from types import SimpleNamespace

    from bot import health
    from storage.db import transaction

    settings = SimpleNamespace(db_path=str(tmp_path / "l.db"))
    assert [c.level for c in health.team_checks(settings)] == ["ok"]
    with transaction(db):
        pstore.append(db, user_id="UWX", change="add", name="古い登録", role="worker", contracts=["吉川市"], lead_id="ULS",
                      start_date=None, days_off=[], active=True, actor="cli", via="cli", at="2026-01-05T09:00:00+09:00")
    [check] = health.team_checks(settings)
    assert check.level == "warn" and "古い登録さん（UWX、吉川市）" in check.detail and "草加 責任さん（ULS、草加市）" in check.detail
    assert "users add UWX --lead" in check.fix and "山田太郎" not in check.detail
