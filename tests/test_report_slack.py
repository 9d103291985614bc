"""The status report end to end through Slack: `mamoru serve --http` against the Web API stand-in.

A month of records (October 2026) on 吉川市; an officer, a lead and workers; a second contract
(草加市) with its own lead, for the access rules. The scheduled report is triggered as in
tests/test_checklist_slack.py: one notices pass run here, at a chosen time, with the real Slack
sender (bot.slack.send.make_sender) pointed at the stand-in — what the scheduler's job does.
(`mamoru notices run --at …` prints in the terminal instead of sending to Slack.) The server runs
with MAMORU_NOW on the first working day after the month, so `/mamoru report` defaults to October.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import sqlite3
import time

import pytest

from conftest import run_mamoru
from slack_standin import BOT_TOKEN, dm_event, serve_env
from conftest import add_contracts

C = "吉川市"
OTHER = "草加市"
SERVER_NOW = "2026-11-02T10:00:00+09:00"          # Monday, the first working day after October
OCT_FILE = "保全状況報告_吉川市_20261001-20261031.docx"
OCT_PERIOD = "報告対象期間: 2026年10月1日(木) 〜 2026年10月31日(土)"
WORKING_DAYS = ["2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"]
START_ITEMS = ["badge", "ic_card", "no_personal_device"]
CONFIRMED = len(WORKING_DAYS) * len(START_ITEMS)   # the はい answers recorded below


def _t(d: str, hm: str = "10:00") -> str:
    return f"{d}T{hm}:00+09:00"


def _month(db) -> None:
    """October 2026: 15 はい on the 始業時 checklist (UW1), one いいえ (UW2), two incidents, one closed."""
    from handlers import people
    from storage import checklists as cstore
    from storage import incidents as istore
    from storage.db import transaction

    before = dt.datetime.fromisoformat(_t("2026-09-20", "08:00"))
    add_contracts(db, C, OTHER, at=before.isoformat())
    for argv in (["add", "UROFF", "--name", "対策三郎", "--role", "officer"],
                 ["add", "URLEAD", "--name", "責任花子", "--role", "lead", "--contract", C],
                 ["add", "URW1", "--name", "作業一郎", "--role", "worker", "--contract", C, "--lead", "URLEAD"],
                 ["add", "URW2", "--name", "作業二郎", "--role", "worker", "--contract", C, "--lead", "URLEAD"],
                 ["add", "URLEAD2", "--name", "草加次郎", "--role", "lead", "--contract", OTHER]):
        status, reply = people.run_users(db, "cli", argv, "cli", now=before)
        assert status == 0, reply.text
    with transaction(db):
        for d in WORKING_DAYS:
            for item in START_ITEMS:
                cstore.answer(db, user_id="URW1", contract=C, checklist_id="start", item_id=item, answer="yes",
                              needs_reason=False, work_date=d, clause_ids=[], source="", via="slack_button",
                              at=_t(d, "09:10"))
        cstore.answer(db, user_id="URW2", contract=C, checklist_id="start", item_id="badge", answer="no",
                      needs_reason=False, work_date="2026-10-01", clause_ids=[], source="", via="slack_button",
                      at=_t("2026-10-01", "09:10"))
        for n, close in enumerate((True, False)):
            at = _t(f"2026-10-{8 + n:02d}")
            sid = istore.new_session(db, user_id="URW1", kind="report", incident_id=None, preset={}, via="slack_dm", at=at)
            inc = istore.insert_incident(db, year=2026, session_id=sid, reporter_id="URW1", lead_ids=["URLEAD"],
                                         notified=[], type="ic_card", contract=C, answers={}, clause_ids=[], masked=[],
                                         escalate=False, flow_version=1, via="slack_dm", at=at)
            istore.add_event(db, incident_id=inc["id"], kind="reported", actor="URW1", via="slack_dm", at=at)
            istore.add_event(db, incident_id=inc["id"], kind="acknowledged", actor="URLEAD", via="slack_button", at=at)
            if close:
                istore.add_event(db, incident_id=inc["id"], kind="closed", actor="UROFF", via="slack_button",
                                 at=_t("2026-10-20"))


@pytest.fixture(scope="module")
def env(slack, tmp_path_factory):
    yield from serve_env(slack, tmp_path_factory.mktemp("report_slack"), [], now=SERVER_NOW, setup=_month)


@pytest.fixture
def server(env):
    return env["server"]


@contextlib.contextmanager
def _clock(when: str):
    old = os.environ.get("MAMORU_NOW")
    os.environ["MAMORU_NOW"] = when
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("MAMORU_NOW", None)
        else:
            os.environ["MAMORU_NOW"] = old


def notices_pass(env, slack, when: str, *, fail_uploads: bool = False) -> dict:
    """One notices pass at `when`, sent to Slack by the real sender (what the scheduler's job does).
    fail_uploads: every file of this pass (the reports, and any other capability's) fails at
    files.completeUploadExternal."""
    from bot.slack.send import make_client, make_sender
    from handlers import notices, workdays

    with _clock(when):
        now = workdays.parse(when)
        db = env["db"]
        outs = notices.run_pass(db, now)
        files = [o for o in outs if o.file is not None]
        if fail_uploads:
            assert files, "this pass has no file to fail"
            slack.fail("files.completeUploadExternal", "internal_error", count=len(files))
        sender = make_sender(make_client(BOT_TOKEN, slack.api_url), lambda: db)
        return notices.deliver(db, outs, sender, now=now)


def report_dms(slack, user: str, contract: str = C, period: str = "2026年10月1日(木)〜2026年10月31日(土)"):
    """The scheduled report messages to a person, for one contract and period."""
    return slack.find("chat.postMessage", lambda c: c.params.get("channel") == user
                      and f"案件「{contract}」の報告対象期間（{period}）が終わりました" in c.text_of_blocks())


def _entries(call) -> list[dict]:
    files = call.params.get("files")
    return json.loads(files) if isinstance(files, str) else (files or [])


def _drafts(call) -> list[dict]:
    """The status report drafts (title 「…（下書き）」) of one files.completeUploadExternal call."""
    return [f for f in _entries(call) if str(f.get("title") or "").endswith("（下書き）")]


def uploaded(slack, user: str) -> list[tuple[dict, bytes]]:
    """The status report drafts uploaded (successfully) into the person's DM (title 「…（下書き）」; other
    capabilities send files too): (the file entry, its bytes)."""
    data = {c.params["file_id"]: c.params["data"] for c in slack.find() if c.method.startswith("upload:")}
    out = []
    for c in slack.find("files.completeUploadExternal", lambda c: c.params.get("channel_id") == "D" + user[1:]
                        and c.error is None):
        out += [(f, data.get(f["id"], b"")) for f in _drafts(c)]
    return out


def docx_text(data: bytes) -> tuple[list[str], str]:
    import docx

    doc = docx.Document(io.BytesIO(data))
    paras = [p.text for p in doc.paragraphs]
    return paras, "\n".join(paras)


def files_of(slack, user: str, contract: str = C, period: str = OCT_PERIOD) -> list[tuple[dict, str, list[str]]]:
    """The uploaded drafts of one contract and period in the person's DM: (entry, text, paragraphs)."""
    out = []
    for f, data in uploaded(slack, user):
        assert data[:2] == b"PK", f                                           # a zip, as .docx are
        paras, text = docx_text(data)
        if f"受託業務名（案件）: {contract}" in text and period in text:
            out.append((f, text, paras))
    return out


def wait_files(slack, user: str, count: int, timeout: float = 15, **kw) -> list[tuple[dict, str, list[str]]]:
    """Wait until `count` drafts (of files_of(…, **kw)) have arrived in the person's DM."""
    deadline = time.monotonic() + timeout
    while True:
        got = files_of(slack, user, **kw)
        if len(got) >= count or time.monotonic() > deadline:
            assert len(got) == count, f"{len(got)} drafts in the DM of {user}, expected {count}"
            return got
        time.sleep(0.05)


# ------------------------------------------------------------------ the scheduled report


def test_scheduled_report_reaches_officer_and_lead_once_with_figures_and_the_docx(env, slack):
    counts = notices_pass(env, slack, SERVER_NOW)
    assert counts["sent"] >= 4, counts                                     # 吉川市 ×2, 草加市 ×2 (and others)
    for u in ("UROFF", "URLEAD"):
        [dm] = report_dms(slack, u)
        text = dm.text_of_blocks()
        assert "チェックリスト: 確認率" in text and f"（{CONFIRMED} / " in text       # the 15 はい recorded
        assert "事故: 期間中の報告 2 件、対応中 1 件" in text
        assert "根拠: 吉川市 情報セキュリティ特記仕様書" in text and "【要確認】" in text
        [(entry, body, paras)] = files_of(slack, u)
        assert paras[0] == "情報の取扱い状況に関する定期報告（下書き）"            # the title (heading 0)
        assert OCT_PERIOD in body and "【記録から下書き】" in body
        assert f"チェックリストの確認 {CONFIRMED} / " in body and "期間中に報告された事故 2 件" in body
        assert entry["title"] == "情報の取扱い状況に関する定期報告（下書き）"
    names = [c.params.get("filename") for c in slack.find("files.getUploadURLExternal")]
    assert names.count(OCT_FILE) == 2
    assert int(next(c for c in slack.find("files.getUploadURLExternal")
                    if c.params.get("filename") == OCT_FILE).params["length"]) > 1000
    # the other contract's report goes to its own lead and the officer; workers get none
    assert len(report_dms(slack, "URLEAD2", OTHER)) == 1 and len(report_dms(slack, "UROFF", OTHER)) == 1
    assert not report_dms(slack, "URLEAD2") and not report_dms(slack, "URLEAD", OTHER)
    assert not files_of(slack, "URLEAD2") and len(files_of(slack, "URLEAD2", OTHER)) == 1
    for w in ("URW1", "URW2"):
        assert not slack.find("chat.postMessage", lambda c: c.params.get("channel") == w
                              and "報告対象期間" in c.text_of_blocks())
        assert not uploaded(slack, w)


def test_a_second_pass_sends_nothing_twice(env, slack):
    before = (len(slack.find("chat.postMessage", lambda c: "報告対象期間" in c.text_of_blocks())),
              len(slack.find("files.completeUploadExternal")), len(slack.find("files.getUploadURLExternal")))
    notices_pass(env, slack, "2026-11-02T10:30:00+09:00")
    notices_pass(env, slack, "2026-11-04T11:00:00+09:00")
    after = (len(slack.find("chat.postMessage", lambda c: "報告対象期間" in c.text_of_blocks())),
             len(slack.find("files.completeUploadExternal")), len(slack.find("files.getUploadURLExternal")))
    assert after == before
    for u in ("UROFF", "URLEAD"):
        assert len(report_dms(slack, u)) == 1 and len(files_of(slack, u)) == 1
    with sqlite3.connect(env["db_path"]) as c:
        keys = [r[0] for r in c.execute("SELECT key FROM notice_log WHERE key LIKE 'notice:report:吉川市:2026-10-01:%'")]
    assert sorted(k.rsplit(":", 1)[1] for k in set(keys)) == ["URLEAD", "UROFF"]


def test_a_failed_upload_tells_the_person_and_keeps_the_message(env, slack):
    from bot.slack.send import FILE_FAILED

    nov = "2026年11月1日(日)〜2026年11月30日(月)"
    uploads = len(slack.find("files.completeUploadExternal"))
    notices_pass(env, slack, "2026-12-01T10:00:00+09:00", fail_uploads=True)
    failed = [c for c in slack.find("files.completeUploadExternal")[uploads:] if _drafts(c)]
    assert all(c.error == "internal_error" for c in failed)
    assert len(failed) == 4                                                # 吉川市 ×2, 草加市 ×2: all refused
    for u in ("UROFF", "URLEAD"):
        [dm] = report_dms(slack, u, period=nov)                          # the message is not lost
        assert "事故: 期間中の報告 0 件、対応中 1 件" in dm.text_of_blocks()
        told = FILE_FAILED.format(name="保全状況報告_吉川市_20261101-20261130.docx",
                                  elsewhere="`/mamoru report 吉川市 2026-11-01 2026-11-30` で改めてお受け取りいただけます。")
        [sorry] = slack.find("chat.postMessage", lambda c: c.params.get("channel") == u and c.params.get("text") == told)
        assert sorry.at >= dm.at
        assert not files_of(slack, u, period="報告対象期間: 2026年11月1日(日) 〜 2026年11月30日(月)")
    # recorded as sent (the message went out): the next pass does not repeat it
    notices_pass(env, slack, "2026-12-01T11:00:00+09:00")
    for u in ("UROFF", "URLEAD"):
        assert len(report_dms(slack, u, period=nov)) == 1
    assert len([c for c in slack.find("files.completeUploadExternal")[uploads:]
                if _drafts(c)]) == 4


# ------------------------------------------------------------------ `/mamoru report` on request


def test_officer_asks_by_slash_command_and_gets_figures_and_the_docx_in_the_dm(env, slack, server):
    before = len(files_of(slack, "UROFF"))
    status, _, _ = server.command("UROFF", f"report {C}", slack.hook_url("rep-off"))
    assert status == 200   # the 3 s ack is measured in benchmarks/slack_latency.py
    [reply] = slack.wait_for("hook:/hooks/rep-off")
    text = reply.text_of_blocks()
    assert f"案件「{C}」の状況報告の数値です" in text
    assert "報告対象期間: 2026年10月1日(木)〜2026年10月31日(土)（直近に終わった月）" in text
    assert f"（{CONFIRMED} / " in text and "事故: 期間中の報告 2 件、対応中 1 件" in text
    assert "DM でお送りします" in text and "根拠: 吉川市 情報セキュリティ特記仕様書" in text
    slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "UROFF"
                   and "状況報告の下書き（Word 形式" in c.text_of_blocks())
    got = wait_files(slack, "UROFF", before + 1)
    assert f"チェックリストの確認 {CONFIRMED} / " in got[-1][1]
    # asked again: a second file (each request is its own delivery)
    server.command("UROFF", f"report {C}", slack.hook_url("rep-off-2"))
    slack.wait_for("hook:/hooks/rep-off-2")
    wait_files(slack, "UROFF", before + 2)


def test_lead_asks_in_a_dm_for_a_chosen_period_of_their_own_contract(env, slack, server):
    status, _, _ = server.event(dm_event("URLEAD", "状況報告 2026-10-01 2026-10-07"), "EvRepLead1")
    assert status == 200
    [reply] = slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "DRLEAD"
                             and "状況報告の数値です" in c.text_of_blocks())
    text = reply.text_of_blocks()
    assert "報告対象期間: 2026年10月1日(木)〜2026年10月7日(水)（ご指定の期間）" in text
    assert f"（{CONFIRMED} / " in text                                     # every はい was in the first week
    period = "報告対象期間: 2026年10月1日(木) 〜 2026年10月7日(水)"
    [(entry, body, paras)] = wait_files(slack, "URLEAD", 1, period=period)
    assert paras[0].endswith("（下書き）")
    names = [c.params.get("filename") for c in slack.find("files.getUploadURLExternal")]
    assert "保全状況報告_吉川市_20261001-20261007.docx" in names


def test_a_worker_and_another_contracts_lead_are_refused_politely_and_it_is_recorded(env, slack, server):
    server.command("URW1", f"report {C}", slack.hook_url("rep-w1"))
    [refused] = slack.wait_for("hook:/hooks/rep-w1")
    text = refused.text_of_blocks()
    assert "申し訳ありませんが、状況報告は作業責任者・情報セキュリティ対策責任者・管理者の方だけ" in text
    assert "（根拠: 吉川市 情報セキュリティ特記仕様書" in text and "このお断りは記録されました" in text
    assert "確認率" not in text
    server.command("URLEAD2", f"report {C}", slack.hook_url("rep-l2"))
    [refused] = slack.wait_for("hook:/hooks/rep-l2")
    text = refused.text_of_blocks()
    assert f"案件「{C}」の状況報告はご覧いただけません" in text and f"「{OTHER}」" in text
    assert "このお断りは記録されました" in text and "確認率" not in text
    server.command("URLEAD2", "report", slack.hook_url("rep-l2-own"))          # their own contract: allowed
    [own] = slack.wait_for("hook:/hooks/rep-l2-own")
    assert f"案件「{OTHER}」の状況報告の数値です" in own.text_of_blocks()
    with sqlite3.connect(env["db_path"]) as c:
        rows = c.execute("SELECT viewer_id, what, reason, via FROM access_refusals WHERE viewer_id IN"
                         " ('URW1', 'URLEAD2') ORDER BY id").fetchall()
    assert rows == [("URW1", "状況報告", "needs_team", "slack_command"),
                    ("URLEAD2", f"案件「{C}」の状況報告", "not_contract", "slack_command")]
    assert not uploaded(slack, "URW1")
    assert not files_of(slack, "URLEAD2", C)


# ------------------------------------------------------------------ the terminal chat


def test_terminal_chat_gives_the_figures_and_saves_the_draft(env, tmp_path):
    r = run_mamoru(["chat", "--as", "URLEAD"], env["db_path"], input="report\nhelp\n",
                   env={"MAMORU_NOW": SERVER_NOW, "MAMORU_FILES_DIR": str(tmp_path)})
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert f"案件「{C}」の状況報告の数値です" in out and f"（{CONFIRMED} / " in out
    saved = tmp_path / f"保全状況報告_{C}_20261001-20261031.docx"     # where the terminal can open it
    assert f"添付ファイルを保存しました: {saved}" in out and saved.read_bytes()[:2] == b"PK"
    assert "/mamoru report" in out                                             # listed in the help
    r = run_mamoru(["chat", "--as", "URW2"], env["db_path"], input="状況報告\n", env={"MAMORU_NOW": SERVER_NOW})
    assert "作業責任者・情報セキュリティ対策責任者・管理者の方だけ" in r.stdout and "確認率" not in r.stdout
    r = run_mamoru(["chat", "--as", "URLEAD"], env["db_path"], input="report 2026-10-31 2026-10-01\n",
                   env={"MAMORU_NOW": SERVER_NOW})
    assert "終了日が開始日より前" in r.stdout
    with sqlite3.connect(env["db_path"]) as c:
        assert c.execute("SELECT reason, via FROM access_refusals WHERE viewer_id = 'URW2'").fetchall() == [
            ("needs_team", "terminal")]


def test_the_dates_people_write_in_a_slash_command_and_a_dm(env, slack, server):
    status, _, _ = server.command("URLEAD", f"report {C} 10/1 10/7", slack.hook_url("rep-typed"))
    assert status == 200
    [reply] = slack.wait_for("hook:/hooks/rep-typed")
    assert "報告対象期間: 2026年10月1日(木)〜2026年10月7日(水)（ご指定の期間）" in reply.text_of_blocks()
    server.event(dm_event("URLEAD", "先月の状況報告をください"), "EvRepTyped1")
    slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "DRLEAD"
                   and "報告対象期間: 2026年10月1日(木)〜2026年10月31日(土)（ご指定の月）" in c.text_of_blocks())


def test_the_checklist_records_asked_for_in_a_dm_arrive_as_a_workbook_in_that_dm(env, slack, server):
    """「10月のチェックリストの記録をエクセルでほしい」 from the lead: the export's workbook, their team only."""
    from openpyxl import load_workbook

    server.event(dm_event("URLEAD", f"{C} 2026-10-01 2026-10-31 のチェックリストの記録"), "EvRecords1")
    slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "DRLEAD"
                   and "のチェックリストの記録（2026年10月1日(木)〜2026年10月31日(土)" in c.text_of_blocks())
    [call] = slack.wait_for("files.completeUploadExternal", lambda c: c.params.get("channel_id") == "DRLEAD"
                            and any(str(f.get("title")).endswith("のチェックリストの記録") for f in _entries(c)))
    data = {c.params["file_id"]: c.params["data"] for c in slack.find() if c.method.startswith("upload:")}
    [entry] = [f for f in _entries(call) if str(f.get("title")).endswith("のチェックリストの記録")]
    wb = load_workbook(io.BytesIO(data[entry["id"]]))
    assert [ws.title for ws in wb.worksheets] == ["記録", "集計", "列の説明"]      # the same workbook as the CLI export
    header = [c.value for c in next(wb["記録"].iter_rows(max_row=1))]
    assert header[:4] == ["記録ID", "日付", "日時", "利用者ID"]
