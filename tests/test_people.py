"""People, roles, contracts, registration and App Home: real SQLite files, no mocks."""
from __future__ import annotations

import json
import shutil
import threading

import pytest

from handlers import home, people
from storage import people as pstore
from storage.db import open_db
from conftest import add_contracts


@pytest.fixture
def db(tmp_path):
    return open_db(tmp_path / "p.db")


@pytest.fixture
def kbdb(tmp_path, kb_db):
    """A writable copy of the database with the shipped documents loaded."""
    kb_db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    src = kb_db.execute("PRAGMA database_list").fetchone()[2]
    shutil.copy(src, tmp_path / "kb.db")
    return open_db(tmp_path / "kb.db")


def cli(db, *argv):
    return people.run_users(db, "cli", list(argv), "cli")


def seed(db):
    add_contracts(db, "吉川市")
    assert cli(db, "add", "UADM", "--name", "管理 花子", "--role", "admin")[0] == 0
    assert cli(db, "add", "UOFF", "--name", "対策 責任", "--role", "officer")[0] == 0
    assert cli(db, "add", "ULEAD", "--name", "鈴木一郎", "--role", "lead", "--contract", "吉川市")[0] == 0
    assert cli(db, "add", "UW1", "--name", "山田太郎", "--role", "worker", "--contract", "吉川市", "--lead", "ULEAD",
               "--start-date", "2026-12-01")[0] == 0


# ---- users command --------------------------------------------------------------------------

def test_add_list_remove_as_cli(db):
    argv = ["add", "U123", "--name", "山田太郎", "--role", "worker", "--contract", "吉川市", "--lead", "U999",
            "--start-date", "2026-12-01"]
    status, r = cli(db, *argv)        # a contract comes from `contract add` only, even one named like a city
    assert status == 1 and "案件「吉川市」は登録されていません" in r.text and "mamoru contract add 吉川市" in r.text
    assert pstore.contract(db, "吉川市") is None and pstore.current(db, "U123") is None
    add_contracts(db, "吉川市")
    status, r = cli(db, *argv)
    assert status == 0 and "登録しました" in r.text and "山田太郎" in r.text
    assert "U999 はまだ登録されていません" in r.text
    p = people.get_person(db, "U123")
    assert (p["name"], p["role"], p["contracts"], p["lead_id"], p["start_date"]) == (
        "山田太郎", "worker", ["吉川市"], "U999", "2026-12-01")
    assert p["actor"] == "cli" and p["via"] == "cli" and p["at"].endswith("+09:00")
    assert people.is_registered_worker(db, "U123")
    assert pstore.contract(db, "吉川市")["municipality"] == "吉川市"

    status, r = cli(db, "list")
    assert status == 0 and "山田太郎（作業従事者）" in r.text and "2026年12月1日(火)" in r.text

    status, r = cli(db, "remove", "U123")
    assert status == 0 and "登録を解除しました" in r.text
    assert people.get_person(db, "U123") is None and not people.is_registered_worker(db, "U123")
    assert "山田太郎" not in cli(db, "list")[1].text
    assert "登録解除済み" in cli(db, "list", "--all")[1].text
    # Append-only: the removal is a new record, the original is untouched.
    hist = pstore.history(db, "U123")
    assert [h["change"] for h in hist] == ["add", "remove"] and hist[0]["active"] and not hist[1]["active"]
    assert cli(db, "remove", "U123")[0] == 1


def test_update_keeps_unspecified_fields_and_appends(db):
    add_contracts(db, "吉川市")
    cli(db, "add", "U1", "--name", "山田太郎", "--contract", "吉川市", "--lead", "UL", "--start-date", "2026-12-01")
    status, r = cli(db, "add", "U1", "--role", "lead")
    assert status == 0 and "登録内容を更新しました" in r.text
    p = people.get_person(db, "U1")
    assert (p["role"], p["contracts"], p["lead_id"], p["start_date"], p["name"]) == (
        "lead", ["吉川市"], "UL", "2026-12-01", "山田太郎")
    assert [h["change"] for h in pstore.history(db, "U1")] == ["add", "update"]


def test_list_json(db):
    seed(db)
    status, r = cli(db, "list", "--json")
    rows = json.loads(r.text)
    assert status == 0 and {x["user_id"] for x in rows} == {"UADM", "UOFF", "ULEAD", "UW1"}
    w = next(x for x in rows if x["user_id"] == "UW1")
    assert w == {**w, "role": "worker", "contracts": ["吉川市"], "lead_id": "ULEAD", "start_date": "2026-12-01",
                 "active": True, "updated_by": "cli", "via": "cli"}


def test_admin_may_manage_users_in_slack_others_are_refused(db):
    seed(db)
    r = people.users_command(db, "UADM", ["add", "UW2", "--name", "佐藤", "--contract", "吉川市", "--lead", "ULEAD"],
                             "slack_command")
    assert "登録しました" in r.text and r.ephemeral
    assert people.get_person(db, "UW2")["via"] == "slack_command"
    assert people.get_person(db, "UW2")["actor"] == "UADM"
    for actor in ("UW1", "ULEAD", "UOFF", "USTRANGER"):
        before = len(pstore.history(db, "UW3"))
        r = people.users_command(db, actor, ["add", "UW3", "--name", "田中"], "slack_command")
        assert "管理者の方だけ" in r.text
        assert len(pstore.history(db, "UW3")) == before == 0
        assert "管理者の方だけ" in people.users_command(db, actor, ["list"], "slack_command").text


@pytest.mark.parametrize("argv, reason", [
    ([], ""),
    (["frobnicate"], "サブコマンドはありません"),
    (["add"], "ユーザーIDを指定してください"),
    (["add", "UNEW"], "--name で指定してください"),
    (["add", "UNEW", "--name"], "「--name」の後に値を指定してください"),
    (["add", "UNEW", "--name", "x", "--role", "boss"], "役割「boss」はありません"),
    (["add", "UNEW", "--name", "x", "--start-date", "2026-13-01"], "日付として読めません"),
    (["add", "UNEW", "--name", "x", "--start-date", "来週"], "日付として読めません"),
    (["add", "UNEW", "--name", "x", "--colour", "red"], "使えないオプション"),
    (["add", "ユーザー!", "--name", "x"], "形式が正しくありません"),
    (["add", "UNEW", "--name", "x", "--lead", "UNEW"], "ご本人を自分の作業責任者にはできません"),
    (["list", "--json=yes"], "値を付けられません"),
    (["remove"], "ユーザーIDを指定してください"),
    (["remove", "U1", "U2"], "余分な引数「U2」"),
    (["add UNEW --name '山田"], "引用符"),
    (["contract", "吉川市", "--doc", "no-such-doc"], "読み込まれていません"),
])
def test_bad_arguments_give_japanese_usage_never_a_traceback(db, argv, reason):
    status, r = cli(db, *argv)
    assert status == 2
    assert reason in r.text and "使い方:" in r.text and "users add" in r.text
    assert pstore.history(db, "UNEW") == []


def test_help_is_not_an_error(db):
    for argv in (["help"], ["--help"], ["add", "--help"]):
        status, r = cli(db, *argv)
        assert status == 0 and r.text.startswith("使い方:")


def test_slack_style_text_mentions_dashes_and_spaces(db):
    add_contracts(db, "吉川市", "草加市")
    # Slack gives one string; mentions look like <@U…|name>; autocorrect turns -- into —.
    r = people.users_command(db, "cli", ["add <@U777|yamada> —name 山田 太郎 —role 作業責任者 --contract 吉川市,草加市"],
                             "slack_command")
    assert "登録しました" in r.text, r.text
    p = people.get_person(db, "U777")
    assert (p["name"], p["role"], p["contracts"]) == ("山田 太郎", "lead", ["吉川市", "草加市"])


def test_contract_sources_decide_the_preferred_document(kbdb):
    add_contracts(kbdb, "吉川市")
    cli(kbdb, "add", "U1", "--name", "山田太郎", "--contract", "吉川市")
    assert people.contract_sources(kbdb, "U1") == "吉川市"
    assert people.contract_slugs(kbdb, "U1") == ["yoshikawa"]
    assert people.contract_sources(kbdb, "UNKNOWN") is None
    # A contract bound to named documents.
    status, r = cli(kbdb, "contract", "吉川市", "--doc", "yoshikawa", "--doc", "hozen")
    assert status == 0 and "セキュリティ保全に係る事項" in r.text
    assert people.contract_slugs(kbdb, "U1") == ["yoshikawa", "hozen"]
    assert people.contract_sources(kbdb, "U1") == "yoshikawa,hozen"
    cli(kbdb, "contract", "草加市")
    cli(kbdb, "add", "U2", "--name", "佐藤", "--contract", "草加市")
    assert people.contract_slugs(kbdb, "U2") == ["soka"]
    # ask.answer accepts what contract_sources gives.
    from handlers import ask

    a = ask.answer(kbdb, "私物のUSBメモリを使ってもいいですか", prefer=people.contract_sources(kbdb, "U2"))
    assert a.found


def test_new_contract_note_names_its_documents(kbdb):
    status, r = cli(kbdb, "add", "U1", "--name", "山田太郎", "--contract", "長野市")
    assert status == 1 and "案件「長野市」は登録されていません" in r.text and pstore.contract(kbdb, "長野市") is None
    status, r = cli(kbdb, "contract", "長野市")       # the admin's explicit add (Slack and terminal chat)
    assert status == 0 and "案件「長野市」の対象文書: 長野市 情報セキュリティ要件" in r.text
    status, r = cli(kbdb, "add", "U1", "--name", "山田太郎", "--contract", "長野市")
    assert status == 0 and "案件「長野市」の対象文書: 長野市 情報セキュリティ要件" in r.text
    status, r = cli(kbdb, "add", "U2", "--name", "佐藤", "--contract", "架空市")
    assert status == 1 and "案件「架空市」は登録されていません" in r.text and pstore.current(kbdb, "U2") is None
    assert "使い方" not in r.text
    status, r = cli(kbdb, "contract", "架空市")
    assert status == 0 and "まだ読み込まれていません" in r.text
    assert cli(kbdb, "add", "U2", "--name", "佐藤", "--contract", "架空市")[0] == 0


def test_contract_typo_is_refused_with_the_closest_names_never_created(kbdb):
    seed(kbdb)
    status, r = cli(kbdb, "add", "U9", "--name", "佐藤", "--contract", "吉川")
    assert status == 1 and "案件「吉川」は登録されていません" in r.text and "もしかして: 「吉川市」" in r.text
    assert [c["name"] for c in pstore.contracts(kbdb)] == ["吉川市"] and pstore.current(kbdb, "U9") is None


def test_names_are_nfkc_normalised(db):
    status, r = cli(db, "add", "U1", "--name", "ﾀﾅｶ　 ｹﾝﾀ", "--email", "Tanaka@Example.JP")
    p = pstore.current(db, "U1")
    assert status == 0 and p["name"] == "タナカ ケンタ" and p["email"] == "tanaka@example.jp"
    assert cli(db, "add", "U1", "--role", "lead")[0] == 0 and pstore.current(db, "U1")["email"] == "tanaka@example.jp"


# ---- registration ---------------------------------------------------------------------------

def test_require_worker_explains_and_cites(kbdb):
    seed(kbdb)
    assert people.require_worker(kbdb, "UW1") is None
    r = people.require_worker(kbdb, "UNEW")
    assert r is not None and "登録された作業従事者の方だけ" in r.text
    assert [(b.label, b.action, b.value) for b in r.buttons] == [("登録を申請する", "people_request_registration", "UNEW")]
    # The citation names a real clause about registered workers.
    cited = [c for c in kbdb.query("SELECT citation, text FROM clauses") if c["citation"] in r.text]
    assert cited and any("従事者" in c["text"] for c in cited), r.text


def test_request_and_approve_by_officer_double_click_records_once(db):
    seed(db)
    reply, out = people.request_registration(db, "UNEW", "新人 次郎")
    assert "受け付けました" in reply.text and "対策 責任さん" in reply.text
    assert [o.user_id for o in out] == ["UOFF"]        # no known lead: the officer
    o = out[0]
    assert "新人 次郎さん（UNEW）" in o.reply.text and o.key
    assert [(b.label, b.action, b.value) for b in o.reply.buttons] == [("承認する", "people_approve", "UNEW", )]

    again, out2 = people.request_registration(db, "UNEW", "新人 次郎")
    assert out2 == [] and "受け付け済み" in again.text
    assert "受け付けています" in people.require_worker(db, "UNEW").text

    refused, none = people.approve(db, "UW1", "UNEW", "slack_button")
    assert none == [] and "だけが行えます" in refused.text and people.get_person(db, "UNEW") is None

    ok, notify = people.approve(db, "UOFF", "UNEW", "slack_button")
    assert "作業従事者として登録しました" in ok.text
    assert [n.user_id for n in notify] == ["UNEW"] and "承認されました" in notify[0].reply.text
    p = people.get_person(db, "UNEW")
    assert (p["role"], p["name"], p["actor"], p["via"], p["change"]) == ("worker", "新人 次郎", "UOFF", "slack_button",
                                                                        "approve")
    rows_before = len(pstore.history(db, "UNEW"))
    dup, notify2 = people.approve(db, "UOFF", "UNEW", "slack_button")
    assert notify2 == [] and "既に" in dup.text
    dup, notify3 = people.approve(db, "UADM", "UNEW", "slack_button")
    assert notify3 == [] and len(pstore.history(db, "UNEW")) == rows_before == 1
    assert db.execute("SELECT COUNT(*) FROM registration_decisions").fetchone()[0] == 1
    assert people.request_registration(db, "UNEW", "x")[1] == []   # registered now: nothing to send


def test_concurrent_approvals_record_once(tmp_path):
    p = tmp_path / "c.db"
    db = open_db(p)
    seed(db)
    people.request_registration(db, "UNEW", "新人")
    results = []

    def click(actor):
        conn = open_db(p)   # separate connections, as separate processes or workers would have
        results.append(people.approve(conn, actor, "UNEW", "slack_button"))

    threads = [threading.Thread(target=click, args=(a,)) for a in ("UOFF", "UADM", "UOFF", "UADM")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(len(out) for _, out in results) == 1
    assert len(pstore.history(db, "UNEW")) == 1


def test_request_goes_to_known_lead_who_may_approve(db):
    seed(db)
    cli(db, "add", "ULEAD2", "--name", "別の リーダー", "--role", "lead")
    cli(db, "remove", "UW1")                            # removed, asks to come back
    reply, out = people.request_registration(db, "UW1", "山田太郎", via="slack_button")
    assert [o.user_id for o in out] == ["ULEAD"]
    assert "鈴木一郎さん" in reply.text
    r, none = people.approve(db, "ULEAD2", "UW1", "slack_button")   # a lead it was not sent to
    assert none == [] and "あなた宛てではない" in r.text
    r, notify = people.approve(db, "ULEAD", "UW1", "slack_button")
    assert notify and "承認: 鈴木一郎さん" in notify[0].reply.text
    p = people.get_person(db, "UW1")
    assert (p["lead_id"], p["contracts"], p["start_date"]) == ("ULEAD", ["吉川市"], "2026-12-01")


def test_request_with_nobody_to_approve_is_recorded_and_says_so(db):
    reply, out = people.request_registration(db, "UNEW", "")
    assert out == [] and "承認できる担当者" in reply.text
    assert pstore.pending_request(db, "UNEW")["name"] == "UNEW"
    cli(db, "add", "UADM", "--name", "管理", "--role", "admin")
    assert [r["user_id"] for r in pstore.pending_requests(db)] == ["UNEW"]
    r, notify = people.approve(db, "UADM", "UNEW", "slack_button")
    assert notify and "案件がまだ設定されていません" in r.text


# ---- App Home -------------------------------------------------------------------------------

def test_home_for_unregistered_person(db):
    h = home.home(db, "UNEW")
    assert h["registered"] is False and h["user_id"] == "UNEW"
    assert "登録を申請する" in h["intro"]
    assert [(b.label, b.action) for b in h["buttons"]] == [("登録を申請する", "people_request_registration")]
    assert [s["id"] for s in h["sections"]] == ["questions"]


def test_home_for_worker_and_lead(db):
    seed(db)
    h = home.home(db, "UW1")
    assert h["registered"] and "山田太郎さん（作業従事者）" in h["intro"]
    ids = [s["id"] for s in h["sections"]]
    assert ids == ["checklist", "training", "incidents", "questions", "profile"]   # what one acts on first
    sec = {s["id"]: s for s in h["sections"]}
    assert "案件: 吉川市" in sec["profile"]["text"] and "作業責任者: 鈴木一郎さん" in sec["profile"]["text"]
    for sid in ("checklist", "training", "incidents"):  # filled by their capabilities now
        assert sec[sid]["text"] and "まだご利用いただけません" not in sec[sid]["text"]
    assert "確認中の質問はありません" in sec["questions"]["text"]

    from handlers import routing

    routing.route_question(db, "UW1", "USBメモリを持ち帰ってもいいですか", [], "not_found")
    people.request_registration(db, "UNEW", "新人")
    lead = home.home(db, "ULEAD")
    sec = {s["id"]: s for s in lead["sections"]}
    assert "回答待ちの質問: 1 件" in sec["team"]["text"]
    # phone-sized: the first lines and buttons, the whole section one tap away
    assert [b.action for b in sec["team"]["buttons"]] == ["routing_answer", home.ACTION_DETAIL]
    assert len(sec["team"]["text"].splitlines()) <= home.SHORT_LINES + 1
    full = home.detail(db, "ULEAD", "team", "slack_button").replies[0]
    assert "回答待ちの質問: 1 件" in full.text and "USBメモリを持ち帰って" in full.text
    assert "あなたのチーム: 1 名" in full.text and "山田太郎" in full.text
    assert [b.action for b in full.buttons] == ["routing_answer"]
    w = {s["id"]: s for s in home.home(db, "UW1")["sections"]}
    assert "USBメモリを持ち帰って" in w["questions"]["text"] and "鈴木一郎さんに確認中" in w["questions"]["text"]
    off = {s["id"]: s for s in home.home(db, "UOFF")["sections"]}
    assert "承認待ちの登録申請: 1 件" in off["team"]["text"]
    assert ("people_approve", "UNEW") in [(b.action, b.value) for b in off["team"]["buttons"]]


def test_home_sections_are_a_registry_other_capabilities_fill(db):
    seed(db)
    original = home._SECTIONS["checklist"]
    try:
        home.register_section("checklist", "今日のチェックリスト",
                              lambda db, person, uid: {"text": "本日の確認は 3 件です。", "buttons": []}, 20)
        sec = {s["id"]: s for s in home.home(db, "UW1")["sections"]}
        assert sec["checklist"]["text"] == "本日の確認は 3 件です。"
    finally:
        home._SECTIONS["checklist"] = original


def test_registration_rule_is_cited_from_the_persons_own_contract(kbdb):
    seed(kbdb)
    add_contracts(kbdb, "草加市")
    assert cli(kbdb, "add", "UX", "--name", "草加 一郎", "--contract", "草加市")[0] == 0
    cli(kbdb, "remove", "UX")
    assert "草加市 外部委託における情報セキュリティ遵守事項" in people.require_worker(kbdb, "UX").text
    assert "吉川市 情報セキュリティ特記仕様書 第11条第1項第1号" in people.require_worker(kbdb, "UNEW").text


def test_admins_home_offers_the_add_form_and_the_terminal_says_what_to_type(db):
    seed(db)
    adm = {s["id"]: s for s in home.home(db, "UADM")["sections"]}
    assert "登録されている方: 4 名、案件: 1 件" in adm["people_admin"]["text"]
    assert [(b.action, b.value) for b in adm["people_admin"]["buttons"]] == [("people_add_open", "add")]
    assert "people_admin" not in {s["id"] for s in home.home(db, "UW1")["sections"]}
    from handlers import capabilities

    turn = capabilities.action(db, "UADM", "people_add_open", "add", "terminal")
    assert "`users add ユーザーID --name 氏名" in turn.replies[0].text
    r = people.users_command(db, "UADM", [], "slack_command")
    assert [b.action for b in r.buttons] == ["people_add_open"]
    assert not people.users_command(db, "UW1", [], "slack_command").buttons


def test_with_no_contract_yet_the_forms_say_how_to_add_one(tmp_path):
    """Slack refuses a select with no options: on a fresh install (no contract added) the add form
    has no contract field but says how to add one, a worker submitted there is told the same on a
    field the form has, and an approval that needs a contract is not opened (nothing is decided)."""
    from bot.slack import flows, people_modals

    db = open_db(tmp_path / "m.db")
    assert people.run_users(db, "cli", ["add", "UADM", "--name", "管理", "--role", "admin"], "cli")[0] == 0
    view = people_modals.add_view(people.form_choices(db))
    selects = [b["element"] for b in view["blocks"] if b.get("type") == "input"
               and b["element"]["type"] == "static_select"]
    assert selects and all(s["options"] for s in selects)              # the role select, never an empty one
    assert "contract" not in {b.get("block_id") for b in view["blocks"]}
    assert "mamoru contract add 案件名" in json.dumps(view, ensure_ascii=False)
    errs = flows.add_person_errors(db, {"user": "U0NEW", "role": "worker", "lead": "UADM"})
    assert set(errs) == {"role"} and "/mamoru users contract 案件名" in errs["role"]
    people.request_registration(db, "U0NEW", "新人")
    r = flows.approve_view(db, "UADM", "U0NEW", "新人 太郎")
    assert isinstance(r, flows.Result) and "案件がまだ登録されていないため" in json.dumps(
        r.messages, ensure_ascii=False)
    assert pstore.pending_request(db, "U0NEW") and pstore.current(db, "U0NEW") is None
    add_contracts(db, "吉川市")
    view = people_modals.add_view(people.form_choices(db))
    assert [o["value"] for b in view["blocks"] if b.get("block_id") == "contract" for o in b["element"]["options"]] \
        == ["吉川市"]
    assert isinstance(flows.approve_view(db, "UADM", "U0NEW", "新人 太郎"), dict)    # the form opens now
