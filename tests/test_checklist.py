"""Checklists: content, schedule, records, reasons, leaving the desk, IC card, digest, export, CLI, terminal.

Real SQLite files, the real handlers and notices pass, the real `mamoru` entry point for the
command line and the terminal chat. The Slack path is in test_checklist_slack.py.
"""
from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest

from conftest import run_mamoru
from handlers import conversation, digest, home, notices, people, workdays
from handlers.checklist import content, core, team
from knowledge import library
from storage import checklists as store
from storage import kb as kb_store
from storage import people as pstore
from storage.db import open_db
from conftest import add_contracts

D = "2026-12-01"            # a Tuesday


def at(s: str):
    return workdays.parse(s)


def T(hm: str, d: str = D):
    return at(f"{d}T{hm}:00+09:00")


def register(db, *extra):
    if pstore.contract(db, "吉川市") is None:
        add_contracts(db, "吉川市")
    for argv in (["add", "UOFF", "--name", "対策三郎", "--role", "officer"],
                 ["add", "ULEAD", "--name", "責任花子", "--role", "lead", "--contract", "吉川市"],
                 ["add", "UW1", "--name", "作業一郎", "--role", "worker", "--contract", "吉川市", "--lead", "ULEAD"],
                 ["add", "UW2", "--name", "作業二郎", "--role", "worker", "--contract", "吉川市", "--lead", "ULEAD"],
                 *extra):
        status, reply = people.run_users(db, "cli", argv, "cli")
        assert status == 0, reply.text


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.delenv("MAMORU_NOW", raising=False)
    d = open_db(tmp_path / "m.db")
    library.ensure_builtin(d)
    register(d)
    return d


def v(checklist: str, item: str | None = None, day: str = D) -> str:
    return core.value(checklist, day, item)


def rows(db, **where) -> list[dict]:
    out = [dict(r) for r in db.query("SELECT * FROM checklist_confirmations ORDER BY id")]
    return [r for r in out if all(r[k] == val for k, val in where.items())]


def send_pass(db, now, sent: list | None = None) -> list:
    """One notices pass delivered by handlers.notices.deliver; returns what was sent."""
    box = [] if sent is None else sent
    notices.deliver(db, notices.run_pass(db, now), lambda o: box.append(o) or True, now=now)
    return box


def keys(outs, part: str) -> list[str]:
    return sorted(o.key for o in outs if f":{part}:" in o.key or o.key.startswith(f"notice:{part}:"))


# ---- content -------------------------------------------------------------------------------------

def test_every_item_cites_clauses_that_exist(kb_db):
    cls = content.checklists()
    assert [c.title for c in cls] == ["始業時", "離席時", "ICカード", "終業時"]
    for c in cls:
        assert c.items and len({i.id for i in c.items}) == len(c.items)
        for i in c.items:
            assert i.text.endswith("。") and len(i.label) <= 30
            for cid in i.clauses:
                assert kb_store.clause(kb_db, cid) is not None, f"{c.file}: {i.id} cites missing {cid}"
    start, end = content.get("start"), content.get("end")
    assert {i.id for i in start.items} == {"badge", "ic_card", "no_personal_device"}
    assert {i.id for i in end.items} == {"logoff", "locked_away", "nothing_taken", "ic_card"}
    assert start.schedule.scheduled and end.schedule.scheduled and not content.get("leave").schedule.scheduled
    assert [i.id for i in content.get("ic_card").items] == ["received", "returned", "lost"]
    assert content.get("ic_card").item("lost").action == "incident"
    assert "hozen:s3.p1.i1.s7" in content.get("leave").items[0].clauses          # 離席時における端末機等ロックの励行


# ---- schedule ---------------------------------------------------------------------------------------

def test_scheduled_dm_skips_holidays_weekends_days_off_and_before_start(db):
    register(db, ["add", "UW3", "--name", "作業三郎", "--role", "worker", "--contract", "吉川市", "--lead", "ULEAD",
                  "--days-off", "2026-12-02"],
             ["add", "UNEW", "--name", "新人四郎", "--role", "worker", "--contract", "吉川市", "--lead", "ULEAD",
              "--start-date", "2026-12-03"])

    def asked(now):
        return sorted(o.user_id for o in notices.run_pass(db, at(now), dry_run=True) if ":ask:start:" in o.key)

    assert asked("2026-11-23T09:00+09:00") == []                     # 勤労感謝の日 (a Monday)
    assert asked("2026-11-28T09:00+09:00") == []                     # Saturday
    assert asked("2026-12-01T08:59+09:00") == []                     # not yet
    assert asked("2026-12-02T09:00+09:00") == ["ULEAD", "UW1", "UW2"]  # UW3's day off, UNEW not started
    assert asked("2026-12-03T09:00+09:00") == ["ULEAD", "UNEW", "UW1", "UW2", "UW3"]
    assert asked("2026-12-29T09:00+09:00") == []                     # year-end closure
    assert "UOFF" not in asked("2026-12-03T09:30+09:00")              # officers are not asked


def test_scheduled_dm_has_a_button_per_item_carrying_checklist_item_and_date(db):
    outs = send_pass(db, T("09:00"))
    [dm] = [o for o in outs if o.user_id == "UW1" and o.key.startswith("notice:checklist:")]
    assert dm.key == f"notice:checklist:{D}:ask:start:UW1"
    labels = [b.label for b in dm.reply.buttons]
    assert labels == ["社員証の着用：はい", "社員証の着用：いいえ", "ICカードの管理：はい", "ICカードの管理：いいえ",
                      "私物の持込みなし：はい", "私物の持込みなし：いいえ", "すべて確認しました"]
    assert json.loads(dm.reply.buttons[0].value) == {"c": "start", "d": D, "i": "badge"}
    assert "吉川市 情報セキュリティ特記仕様書 第6条第2項" in dm.reply.text          # the worker's own contract first
    assert "確認の期限は 10:00" in dm.reply.text
    assert send_pass(db, T("09:05")) == []                                          # sent once


# ---- records ------------------------------------------------------------------------------------------

def test_double_tap_records_once_and_a_changed_answer_is_a_new_record(db):
    t1 = core.answer(db, "UW1", v("start", "badge"), True, "slack_button", now=T("09:05"))
    assert "「はい」として記録しました" in t1.replies[0].text
    t2 = core.answer(db, "UW1", v("start", "badge"), True, "slack_button", now=T("09:05"))
    assert "記録済み" in t2.replies[0].text
    assert len(rows(db, user_id="UW1")) == 1
    core.answer(db, "UW1", v("start", "badge"), False, "slack_button", now=T("09:06"))
    core.answer(db, "UW1", v("start", "badge"), True, "terminal", now=T("09:07"))
    r = rows(db, user_id="UW1")
    assert [(x["answer"], x["via"]) for x in r] == [("yes", "slack_button"), ("no", "slack_button"), ("yes", "terminal")]
    assert r[1]["prev_id"] == r[0]["id"] and r[2]["prev_id"] == r[1]["id"]
    assert r[0]["work_date"] == D and r[0]["at"] == "2026-12-01T09:05:00+09:00" and r[0]["contract"] == "吉川市"
    assert json.loads(r[0]["clause_ids"]) == ["yoshikawa:a6.p2"]
    # the reason awaited for the "no" is no longer awaited once the answer changed back
    assert store.awaiting_reason(db, "UW1") == []


def test_all_confirmed_records_only_what_is_left_and_only_once(db):
    core.answer(db, "UW1", v("start", "ic_card"), False, "slack_button", now=T("09:05"))
    t = core.answer_all(db, "UW1", v("start"), "slack_button", now=T("09:06"))
    assert "2 項目" in t.replies[0].text and "ICカードの管理" in t.replies[0].text
    again = core.answer_all(db, "UW1", v("start"), "slack_button", now=T("09:06"))
    assert "すでにすべて回答済み" in again.replies[0].text
    assert sorted((x["item_id"], x["answer"]) for x in rows(db, user_id="UW1")) == [
        ("badge", "yes"), ("ic_card", "no"), ("no_personal_device", "yes")]


def test_yesterdays_button_is_expired_records_nothing_and_offers_today(db):
    t = core.answer(db, "UW1", v("start", "badge", "2026-11-30"), True, "slack_button", now=T("09:05"))
    text = t.replies[0].text
    assert "有効期限が切れています" in text and "2026年11月30日(月)" in text and "2026年12月1日(火)" in text
    assert json.loads(t.replies[0].buttons[0].value)["d"] == D
    assert rows(db) == []
    t = core.answer_all(db, "UW1", v("start", day="2026-11-30"), "slack_button", now=T("09:05"))
    assert "有効期限が切れています" in t.replies[0].text and rows(db) == []
    # …and on a holiday there is no checklist to offer
    t = core.answer(db, "UW1", v("start", "badge", "2026-11-20"), True, "slack_button", now=at("2026-11-23T09:05+09:00"))
    assert "勤労感謝の日" in t.replies[0].text and not t.replies[0].buttons


def test_no_asks_for_a_reason_in_the_next_dm_and_tells_the_lead_with_the_clause(db):
    t = core.answer(db, "UW1", v("start", "no_personal_device"), False, "slack_button", now=T("09:05"))
    assert "理由を 1 行で入力" in t.replies[0].text and not t.outgoing
    reason = "私用スマートフォンを鞄に入れたまま入室してしまいました"
    turn = core.reason_session(db, "UW1", reason, "slack_dm", now=T("09:07"))
    assert "理由を記録しました" in turn.replies[0].text and "責任花子さんにお知らせしました" in turn.replies[0].text
    [out] = turn.outgoing
    assert out.user_id == "ULEAD" and out.key.startswith("checklist:no:")
    assert reason in out.reply.text and "作業一郎さん" in out.reply.text
    assert "吉川市 情報セキュリティ特記仕様書 第11条第1項第10号オ" in out.reply.text
    [r] = db.query("SELECT * FROM checklist_reasons")
    assert r["reason"] == reason and r["via"] == "slack_dm"
    # the next DM is an ordinary question again
    assert core.reason_session(db, "UW1", "USBメモリを使ってもいいですか", "slack_dm", now=T("09:08")) is None
    # through the conversation entry point (what Slack and the terminal call), words still work
    core.answer(db, "UW1", v("start", "badge"), False, "terminal", now=T("09:09"))
    assert "離席" in conversation.message(db, "UW1", "離席", "terminal").replies[0].text


def test_reason_never_given_the_lead_hears_from_the_notices_pass_once(db):
    core.answer(db, "UW2", v("start", "badge"), False, "slack_button", now=T("09:10"))
    assert [o for o in send_pass(db, T("09:30")) if ":noreason:" in o.key] == []
    outs = [o for o in send_pass(db, T("09:41")) if ":noreason:" in o.key]
    assert [o.user_id for o in outs] == ["ULEAD"] and "まだ届いていません" in outs[0].reply.text
    assert [o for o in send_pass(db, T("09:50")) if ":noreason:" in o.key] == []
    # a reason arriving late still reaches the lead
    turn = core.reason_session(db, "UW2", "社員証を忘れました", "slack_dm", now=T("09:55"))
    assert turn.outgoing and "社員証を忘れました" in turn.outgoing[0].reply.text


def test_unregistered_people_are_told_how_to_register(db):
    t = core.answer(db, "USTRANGER", v("start", "badge"), True, "slack_button", now=T("09:05"))
    assert "登録" in t.replies[0].text and t.replies[0].buttons[0].action == people.ACTION_REQUEST
    assert "登録" in core.leave(db, "USTRANGER", "slack_dm", now=T("09:05")).replies[0].text
    assert rows(db) == []


# ---- leaving the desk --------------------------------------------------------------------------------

def test_leave_records_lock_confirmation_and_lead_sees_who_is_away(db):
    t = core.leave(db, "UW1", "slack_dm", now=T("10:03"))
    assert "離席を記録しました" in t.replies[0].text
    # 吉川市's document says nothing of locking the screen: another document's clause is not their rule
    assert "根拠: （ご自身の案件の文書には、この項目にあたる条項がありません。参考: ほかの文書の定め セキュリティ保全に係る事項 3(1)キ）" \
        in t.replies[0].text
    again = core.leave(db, "UW1", "slack_command", now=T("10:04"))
    assert "離席中として記録しています" in again.replies[0].text
    [r] = rows(db, checklist_id="leave")
    assert (r["item_id"], r["answer"], r["via"]) == ("locked", "yes", "slack_dm")
    lead_view = team.team(db, "ULEAD", "", "slack_command", now=T("10:15")).replies[0].text
    assert "作業一郎さん" in lead_view and "離席中（10:03 から 12 分）" in lead_view
    assert "作業二郎さん" in lead_view
    away_button = t.replies[0].buttons[0]
    assert away_button.label == "戻りました"
    back = core.back(db, "UW1", "slack_button", away_id=away_button.value, now=T("10:20"))
    assert "離席時間 17 分" in back.replies[0].text
    again = core.back(db, "UW1", "slack_button", away_id=away_button.value, now=T("10:21"))
    assert "戻りを記録済み" in again.replies[0].text
    assert "離席中（" not in team.team(db, "ULEAD", "", "slack_command", now=T("10:25")).replies[0].text
    assert db.execute("SELECT event FROM checklist_away ORDER BY id").fetchall() == [("start",), ("end",)]


def test_team_is_for_leads_and_above(db):
    assert "作業責任者・情報セキュリティ対策責任者・管理者の方だけ" in team.team(db, "UW1", "", "terminal").replies[0].text
    officer = team.team(db, "UOFF", "", "terminal", now=T("10:40")).replies[0].text
    assert all(n in officer for n in ("責任花子", "作業一郎", "作業二郎"))
    lead = team.team(db, "ULEAD", "", "terminal", now=T("10:40")).replies[0].text
    assert "作業一郎" in lead and "責任花子さん:" not in lead
    assert "期限切れ・未確認" in lead and "根拠:" in lead


def test_home_shows_the_day_and_the_buttons(db, monkeypatch):
    monkeypatch.setenv("MAMORU_NOW", "2026-12-01T10:40:00+09:00")
    core.leave(db, "UW2", "slack_dm", now=T("10:30"))
    page = home.home(db, "UW1")
    [sec] = [s for s in page["sections"] if s["id"] == "checklist"]
    assert "始業時: 期限を過ぎています" in sec["text"] and "まだご利用いただけません" not in sec["text"]
    assert [b.label for b in sec["buttons"]][:3] == ["離席します", "チェックリストを開く", "ICカードの記録"]
    assert sec["buttons"][3:] in ([], [home.short(sec)["buttons"][-1]])       # the rest: 「詳しく見る」 on a phone
    assert not [s for s in page["sections"] if s["id"] == "checklist_team"]
    lead = home.home(db, "ULEAD")
    [tsec] = [s for s in lead["sections"] if s["id"] == "checklist_team"]
    assert "作業二郎さん" in tsec["text"] and "離席中（10:30 から 10 分）" in tsec["text"]
    [own] = [s for s in home.home(db, "UW2")["sections"] if s["id"] == "checklist"]
    assert own["buttons"][0].label == "戻りました"


# ---- IC card ------------------------------------------------------------------------------------------

def test_ic_card_received_once_per_message(db):
    menu = core.ic_menu(db, "UW1", "", "slack_dm", now=T("09:00")).replies[0]
    assert [b.label for b in menu.buttons] == ["ICカードを受け取りました", "ICカードを返却しました", "ICカードを紛失しました"]
    received = menu.buttons[0]
    assert "記録しました" in core.ic_event(db, "UW1", received.value, "slack_button", now=T("09:01")).replies[0].text
    assert "記録済み" in core.ic_event(db, "UW1", received.value, "slack_button", now=T("09:01")).replies[0].text
    assert [(r["item_id"], r["answer"]) for r in rows(db)] == [("received", "event")]


# 「紛失」 starts handlers.incident's report (issue 6) with the card filled in. (Without that
# capability, core.lost tells the lead and the officers at once instead.)
def test_ic_card_lost_starts_the_incident_report_with_the_card_filled_in(db):
    t = core.ic_menu(db, "UW1", "紛失しました", "slack_dm", now=T("11:00"))
    texts = [r.text for r in t.replies]
    assert "ICカードの紛失を記録しました" in texts[0] and "事故報告をお願いします" in texts[0]
    assert len(texts) > 1 and any("ICカード" in x and "入力済み" in x for x in texts[1:])   # the type is pre-filled
    assert [(r["item_id"], r["answer"]) for r in rows(db)] == [("lost", "event")]


# ---- reminders and the digest --------------------------------------------------------------------------

def test_reminder_once_to_whoever_has_not_answered_and_one_digest_per_lead(db):
    register(db, ["add", "ULEAD2", "--name", "責任次郎", "--role", "lead", "--contract", "吉川市"],
             *[["add", f"UX{n}", "--name", f"別班{n}", "--role", "worker", "--contract", "吉川市", "--lead", "ULEAD2"]
               for n in range(5)])
    send_pass(db, T("09:00"))
    core.answer_all(db, "UW1", v("start"), "slack_button", now=T("09:30"))
    core.answer_all(db, "UX0", v("start"), "slack_button", now=T("09:31"))
    reminded = [o.user_id for o in send_pass(db, T("10:00")) if ":remind:" in o.key]
    assert sorted(reminded) == ["ULEAD", "ULEAD2", "UW2", "UX1", "UX2", "UX3", "UX4"]
    assert [o for o in send_pass(db, T("10:10")) if ":remind:" in o.key] == []
    assert [o for o in send_pass(db, T("10:29")) if o.key.startswith("notice:digest:")] == []
    outs = send_pass(db, T("10:31"))
    digests = {o.user_id: o for o in outs if o.key.startswith("notice:digest:")}
    assert sorted(digests) == ["ULEAD", "ULEAD2", "UOFF"]                # one per lead, not one per worker
    assert digests["ULEAD"].key == f"notice:digest:{D}:1030:ULEAD"
    lead2 = digests["ULEAD2"].reply.text
    assert all(f"別班{n}さん" in lead2 for n in (1, 2, 3, 4)) and "別班0さん" not in lead2   # who confirmed is not listed
    assert "作業二郎さん" in digests["ULEAD"].reply.text and "作業一郎さん" not in digests["ULEAD"].reply.text
    assert "責任花子さん" in digests["UOFF"].reply.text                                       # a lead without a lead
    assert "根拠:" in lead2 and "セキュリティ保全に係る事項 3(2)エ" in lead2
    assert [o for o in send_pass(db, T("11:00")) if o.key.startswith("notice:digest:")] == []   # sent once
    # the end-of-day checklist has its own digest time
    core.answer_all(db, "UX1", v("end"), "slack_button", now=T("17:40"))
    evening = [o for o in send_pass(db, T("18:31")) if o.key.startswith("notice:digest:")]
    assert sorted(o.key for o in evening) == [f"notice:digest:{D}:1830:{u}" for u in ("ULEAD", "ULEAD2", "UOFF")]
    assert "終業時（期限 18:00）" in next(o for o in evening if o.user_id == "ULEAD2").reply.text


def test_digest_is_dropped_when_everyone_confirmed_before_it_went_out(db):
    outs = notices.run_pass(db, T("10:31"))
    for u in ("UW1", "UW2"):
        core.answer_all(db, u, v("start"), "slack_button", now=T("10:32"))
    sent = []
    counts = notices.deliver(db, [o for o in outs if o.user_id == "ULEAD" and "digest" in o.key],
                             lambda o: sent.append(o) or True, now=T("10:32"))
    assert counts["dropped"] == 1 and sent == []


def test_other_capabilities_add_parts_to_the_same_digest(db, monkeypatch):
    monkeypatch.setattr(digest, "_parts", dict(digest._parts))

    def overdue_training(db, lead_id, now):
        return "■ 研修の期限切れ\n・作業二郎さん（根拠: 吉川市 情報セキュリティ特記仕様書 第7条）" if lead_id == "ULEAD" else None

    digest.register_digest_part("training", overdue_training, order=20)
    outs = [o for o in send_pass(db, T("10:31")) if o.user_id == "ULEAD" and o.key.startswith("notice:digest:")]
    assert len(outs) == 1
    text = outs[0].reply.text
    assert text.index("■ チェックリストの未確認") < text.index("■ 研修の期限切れ")
    slot = digest.digest_slot(db, "ULEAD", T("18:45"))
    assert (slot.index, slot.count, slot.key_part) == (1, 2, f"{D}:1830")


# ---- command line and export ----------------------------------------------------------------------------

def test_contract_settings_choose_checklists_and_times(db_path):
    db = open_db(db_path)
    register(db)
    r = run_mamoru(["checklist", "contract", "吉川市", "--use", "start,leave,ic_card", "--time", "start=08:30",
                    "--deadline", "start=09:15", "--grace", "start=15"], db_path)
    assert r.returncode == 0, r.stderr
    assert "始業時: 08:30 送信、期限 09:15、猶予 15 分（作業責任者へのまとめ 09:30）" in r.stdout and "終業時: 使わない" in r.stdout
    bad = run_mamoru(["checklist", "contract", "吉川市", "--deadline", "start=08:00"], db_path)
    assert bad.returncode == 2 and "送信時刻（08:30）より後" in bad.stderr
    assert run_mamoru(["checklist", "contract", "どこか市"], db_path).returncode == 1
    dry = json.loads(run_mamoru(["notices", "run", "--at", f"{D}T08:30+09:00", "--dry-run", "--json"], db_path).stdout)
    assert sorted(n["user_id"] for n in dry["notices"] if ":ask:start:" in n["key"]) == ["ULEAD", "UW1", "UW2"]
    evening = json.loads(run_mamoru(["notices", "run", "--at", f"{D}T17:45+09:00", "--dry-run", "--json"], db_path).stdout)
    assert not [n for n in evening["notices"] if ":end:" in n["key"]]
    digest_at = json.loads(run_mamoru(["notices", "run", "--at", f"{D}T09:31+09:00", "--dry-run", "--json"], db_path).stdout)
    assert [n["key"] for n in digest_at["notices"] if n["key"].startswith("notice:digest:")] == [
        f"notice:digest:{D}:0930:ULEAD", f"notice:digest:{D}:0930:UOFF"]


def test_export_csv_and_xlsx_hold_every_confirmation_and_the_totals(db_path):
    from openpyxl import load_workbook

    db = open_db(db_path)
    register(db)
    core.answer(db, "UW1", v("start", "badge"), True, "slack_button", now=T("09:05"))
    core.answer(db, "UW1", v("start", "ic_card"), False, "slack_button", now=T("09:06"))
    core.reason_session(db, "UW1", "カードを自宅に置き忘れました", "slack_dm", now=T("09:07"))
    core.answer_all(db, "UW2", v("start"), "terminal", now=T("09:10"))
    core.leave(db, "UW2", "slack_command", now=T("11:00"))
    core.back(db, "UW2", "slack_dm", now=T("11:20"))
    core.answer_all(db, "UW2", v("start", day="2026-12-02"), "terminal", now=at("2026-12-02T09:10+09:00"))
    r = run_mamoru(["export", "checklists", "--from", D, "--to", D, "--format", "csv", "-o", str(db_path.parent / "c.csv")],
                   db_path)
    assert r.returncode == 0, r.stderr
    assert "記録 6 件（2 名）" in r.stdout
    raw = (db_path.parent / "c.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")                                  # BOM: Excel reads UTF-8
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, records = lines[0], lines[1:lines.index([])]
    assert header[:4] == ["記録ID", "日付", "日時", "利用者ID"]
    col = {h: n for n, h in enumerate(header)}
    got = [(x[col["利用者ID"]], x[col["項目ID"]], x[col["回答"]], x[col["理由"]], x[col["経路"]]) for x in records]
    assert got == [("UW1", "badge", "はい", "", "Slack のボタン"),
                   ("UW1", "ic_card", "いいえ", "カードを自宅に置き忘れました", "Slack のボタン"),
                   ("UW2", "badge", "はい", "", "端末チャット"), ("UW2", "ic_card", "はい", "", "端末チャット"),
                   ("UW2", "no_personal_device", "はい", "", "端末チャット"),
                   ("UW2", "locked", "はい", "", "Slack の /mamoru")]
    assert records[0][col["日時"]] == "2026年12月1日(火) 09:05"
    assert records[5][col["離席の戻り"]] == "2026年12月1日(火) 11:20"
    i = lines.index(["集計（担当者別）"])
    # registered after these days (the test's records are dated back): nothing was due from them then, so
    # their answers are 予定外の回答, not はい / いいえ (確認すべき項目 = はい + いいえ + 未回答); UW2's 離席 is 随時の確認
    assert lines[i + 1] == ["利用者ID", "氏名", "確認すべき項目", "未回答", "はい", "いいえ", "訂正", "期限前の回答",
                            "予定外の回答", "随時の確認", "報告", "合計"]
    assert lines[i + 2] == ["UW1", "作業一郎", "0", "0", "0", "0", "0", "0", "2", "0", "0", "2"]
    assert lines[i + 3] == ["UW2", "作業二郎", "0", "0", "0", "0", "0", "0", "3", "1", "0", "4"]
    j = lines.index(["集計（項目別）"])
    assert lines[j + 2][:2] == ["始業時", "badge"] and lines[j + 2][3:] == ["0", "0", "0", "0", "0", "0", "2", "0", "0", "2"]
    r = run_mamoru(["export", "checklists", "--from", D, "--to", "2026-12-02", "--contract", "吉川市", "--format", "xlsx",
                    "-o", str(db_path.parent / "c.xlsx")], db_path)
    assert r.returncode == 0, r.stderr
    wb = load_workbook(db_path.parent / "c.xlsx")
    assert wb.sheetnames == ["記録", "集計", "列の説明"]
    legend = {r[0].value: r[1].value for r in wb["列の説明"].iter_rows(min_row=3)}     # how each total is counted
    assert set(legend) >= {"確認すべき項目", "未回答", "訂正", "予定外の回答", "合計"}
    assert "確認すべき項目 = はい + いいえ + 未回答" in legend["確認すべき項目"]
    ws = wb["記録"]                                  # readable as opened: header bold and frozen, columns fitted
    assert ws.freeze_panes == "A2" and all(c.font.bold for c in ws[1])
    assert ws.column_dimensions["I"].width > 40 > ws.column_dimensions["A"].width >= 8      # 項目 vs 記録ID
    assert wb["集計"].freeze_panes == "A3" and wb["集計"].column_dimensions["A"].width < 30   # the heading row aside
    assert wb["記録"].max_row == 1 + 9
    totals = [[c.value for c in row if c.value is not None] for row in wb["集計"].iter_rows()]
    assert ["UW2", "作業二郎", 0, 0, 0, 0, 0, 0, 6, 1, 0, 7] in totals     # 2 days × 3 予定外, 1 離席
    assert run_mamoru(["export", "checklists", "--from", "2026-12-05", "--to", D], db_path).returncode == 2


# ---- the terminal chat ------------------------------------------------------------------------------------

def test_terminal_chat_confirms_gives_a_reason_and_leaves_the_desk(db_path):
    db = open_db(db_path)
    register(db)
    env = {"MAMORU_NOW": f"{D}T09:05:00+09:00"}
    # numbers stay with their buttons: after [1], 私物の持込みなし：いいえ is still [6] and ICカード：はい [3]
    script = "チェックリスト\n1\n6\n鞄に私物のUSBメモリが入っていました\n3\n離席\n1\nチーム\n"
    r = run_mamoru(["chat", "--as", "UW1"], db_path, input=script, env=env)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "[1] 社員証の着用：はい  [2] 社員証の着用：いいえ" in out
    assert "「社員証の着用」を「はい」として記録しました（2026年12月1日(火) 09:05）" in out
    assert "「私物の持込みなし」を「いいえ」として記録しました" in out
    assert "責任花子さん［ULEAD］への通知" in out and "鞄に私物のUSBメモリが入っていました" in out
    assert "本日の始業時のチェックリストは、これですべて回答済みです" in out
    assert "離席を記録しました" in out and "おかえりなさい。戻りを記録しました" in out
    assert "チームの状況は作業責任者・情報セキュリティ対策責任者・管理者の方だけ" in out
    with sqlite3.connect(db_path) as c:
        got = c.execute("SELECT item_id, answer, via FROM checklist_confirmations ORDER BY id").fetchall()
    assert got == [("badge", "yes", "terminal"), ("no_personal_device", "no", "terminal"),
                   ("ic_card", "yes", "terminal"), ("locked", "yes", "terminal")]
    lead = run_mamoru(["chat", "--as", "ULEAD"], db_path, input="/mamoru team\n", env=env)
    assert "作業一郎さん: 始業時 確認済み（9:05）／いいえ: 私物の持込みなし（鞄に私物のUSBメモリが入っていました）" in lead.stdout


def test_confirmations_join_the_audit_chain_and_an_edit_is_detected(db, tmp_path):
    from storage import audit

    core.answer(db, "UW1", v("start", "badge"), True, "slack_button", now=T("09:05"))
    assert audit.verify(db).ok
    db.execute("UPDATE checklist_confirmations SET answer = 'no' WHERE user_id = 'UW1'")
    report = audit.verify(db)
    assert not report.ok and report.first.table == "checklist_confirmations"


def test_the_most_recent_question_gets_the_next_dm(db, monkeypatch):
    """A reason asked at 09:05 must not swallow the answers of an incident report started at 09:06."""
    def clock(hm):
        monkeypatch.setenv("MAMORU_NOW", f"{D}T{hm}:00+09:00")

    clock("09:05")
    t = core.answer(db, "UW1", v("start", "ic_card"), False, "slack_button", now=T("09:05"))
    assert "理由を 1 行で入力" in t.replies[0].text
    clock("09:06")
    started = conversation.message(db, "UW1", "インシデント報告", "terminal")
    assert "事故・インシデントの報告を始めます" in "\n".join(r.text for r in started.replies)
    steps = db.execute("SELECT COUNT(*) FROM incident_steps").fetchone()[0]
    clock("09:07")
    conversation.message(db, "UW1", "メールを誤送信しました", "terminal")
    assert db.execute("SELECT COUNT(*) FROM checklist_reasons").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM incident_steps").fetchone()[0] > steps
    [value] = db.execute("SELECT value FROM incident_steps ORDER BY seq DESC LIMIT 1").fetchone()
    assert json.loads(value)["v"] == "mail"                                 # understood as the report's type
    # once the report is cancelled, the reason still awaited is asked for again by the next DM
    clock("09:08")
    conversation.message(db, "UW1", "キャンセル", "terminal")
    clock("09:09")
    turn = conversation.message(db, "UW1", "カードを自宅に忘れました", "terminal")
    assert "理由を記録しました" in turn.replies[0].text


def test_a_reason_that_reads_like_an_incident_offers_the_report(db):
    core.answer(db, "UW1", v("start", "ic_card"), False, "slack_button", now=T("09:05"))
    turn = core.reason_session(db, "UW1", "ICカードを電車に置き忘れて紛失しました", "slack_dm", now=T("09:06"))
    assert "理由を記録しました" in turn.replies[0].text                     # still recorded as the reason
    offer = turn.replies[1]
    assert "直ちに報告してください" in offer.text
    assert [(b.label, b.action) for b in offer.buttons] == [("インシデント報告を始める", "incident_start")]
    started = conversation.press(db, "UW1", offer.buttons[0].action, offer.buttons[0].value, "slack_button")
    assert "事故・インシデントの報告を始めます" in "\n".join(r.text for r in started.replies)
    # an ordinary reason offers nothing
    core.answer(db, "UW1", v("start", "badge"), False, "slack_button", now=T("09:07"))
    plain = core.reason_session(db, "UW1", "社員証を家に忘れました", "slack_dm", now=T("09:08"))
    assert all(not any(b.action == "incident_start" for b in r.buttons) for r in plain.replies)


def test_a_no_is_told_to_the_lead_when_the_person_presses_on_without_the_reason(db):
    from handlers.checklist import due

    t = core.answer(db, "UW1", v("start", "ic_card"), False, "slack_button", now=T("09:05"))
    assert "理由を 1 行で入力して" in t.replies[0].text and not t.outgoing
    t = core.answer(db, "UW1", v("start", "badge"), True, "slack_button", now=T("09:06"))     # pressed on
    told = [o for o in t.outgoing if o.user_id == "ULEAD"]
    assert told and "「いいえ」と回答しました" in told[0].reply.text and "まだ届いていません" in told[0].reply.text
    later = [n for n in due.due(db, T("10:30")) if ":noreason:" in n.key]
    assert later == []                                                   # told once, not again by the pass
    t = core.answer(db, "UW1", v("start", "no_personal_device"), True, "slack_button", now=T("09:07"))
    assert not [o for o in t.outgoing if o.user_id == "ULEAD"]            # and not at every press after
