"""The daily flows as people type them, through the terminal chat (bot.chat, the same handlers as
Slack): the pledge, IC card events, away/back, the quiz by letter and number, a stale number, a
lost card whose report is cancelled, and a lead's team, report and incident requests."""
from __future__ import annotations

import io
import re

import pytest

from bot import chat
from handlers import people
from knowledge import library
from storage.db import open_db
from conftest import add_contracts

NOW = "2026-12-03T10:00:00+09:00"      # a Thursday


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("MAMORU_NOW", NOW)
    monkeypatch.setenv("MAMORU_FILES_DIR", str(tmp_path / "files"))
    d = open_db(tmp_path / "m.db")
    library.ensure_builtin(d)
    add_contracts(d, "吉川市")
    for argv in (["add", "UOFF", "--name", "対策三郎", "--role", "officer"],
                 ["add", "ULEAD", "--name", "責任花子", "--role", "lead", "--contract", "吉川市"],
                 ["add", "UW", "--name", "作業一郎", "--role", "worker", "--contract", "吉川市", "--lead", "ULEAD",
                  "--start-date", "2026-12-10"]):
        status, reply = people.run_users(d, "cli", argv, "cli")
        assert status == 0, reply.text
    return d


def talk(db, user: str, *lines: str) -> str:
    out = io.StringIO()
    chat.run(db, user, stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out)
    return out.getvalue()


def routed(db) -> int:
    return db.execute("SELECT COUNT(*) FROM routed_questions").fetchone()[0]


def test_typed_words_record_what_the_buttons_record(db):
    out = talk(db, "UW", "icｶｰﾄﾞ受け取りました", "ちょっと席外しまーす", "戻りましたー", "icｶｰﾄﾞ返却しました")
    assert "離席を記録しました" in out and "戻りを記録しました" in out
    items = [r[0] for r in db.execute("SELECT item_id FROM checklist_confirmations WHERE checklist_id = 'ic_card' ORDER BY id")]
    assert items == ["received", "returned"]
    away = [r[0] for r in db.execute("SELECT event FROM checklist_away WHERE user_id = 'UW' ORDER BY id")]
    assert away == ["start", "end"]
    assert routed(db) == 0


def test_the_quiz_is_answered_by_letter_and_number_and_the_pledge_by_words(db):
    out = talk(db, "UW", "研修やりたいです")
    assert "第1問／全" in out
    att = next(db.query("SELECT id, total FROM training_attempts WHERE user_id = 'UW'"))
    from storage import training as tstore

    questions = tstore.attempt(db, att["id"])["questions"]
    said = []
    for n, q in enumerate(questions):     # letters and numbers, half- and full-width, all correct
        k = q["answer"]
        if q["kind"] == "truefalse":
            said.append(["○", "×"][k] if n % 2 else str(k + 1))
        else:
            said.append(["ABCDEFGHIJ"[k], "ＡＢＣＤＥＦＧＨＩＪ"[k], f"{k + 1}番", str(k + 1)][n % 4])
    out = talk(db, "UW", *said)
    assert "合格です" in out, out[-2000:]
    assert routed(db) == 0                       # 「B」「2」 never went to the lead as a question
    out = talk(db, "UW", "誓約します")
    assert "誓約を記録しました" in out
    assert db.execute("SELECT COUNT(*) FROM training_pledges WHERE user_id = 'UW'").fetchone()[0] == 1
    assert "（責任花子さん［ULEAD］への通知）" in out


def test_a_stray_or_stale_number_is_never_a_question(db):
    out = talk(db, "UW", "3")                    # nothing shown, nothing waiting
    assert "何へのお答えか分かりませんでした" in out
    out = talk(db, "UW", "離席", "9")           # [1] [2] shown: 9 is not one of them
    assert "番号 9 の選択肢はいま表示されていません" in out
    assert routed(db) == 0


def test_a_lost_card_is_heard_of_even_when_the_report_is_cancelled(db):
    out = talk(db, "UW", "ICカードなくしました", "キャンセル")
    assert "ICカードの紛失を記録しました" in out
    notices = re.findall(r"（(.+?)さん［(\w+)］への通知）\n(.+)", out)
    to_lead = [text for _, uid, text in notices if uid == "ULEAD"]
    assert any(t.startswith("【至急】") and "ICカード" in t for t in to_lead)           # at once, before any report
    assert any(t.startswith("【要確認】") and "キャンセル" in t for t in to_lead)      # and the cancellation too
    assert {uid for _, uid, _ in notices} >= {"ULEAD", "UOFF"}


def test_a_lead_asks_in_the_words_and_dates_people_write(db, tmp_path):
    out = talk(db, "ULEAD", "チームの状況", "/mamoru report 吉川市 12/1 12/7", "今月の状況報告", "先月の状況報告",
               "/mamoru incident show INC-2026-0042", "incident INC-2026-0042 show")
    assert "のチェックリストの状況です" in out
    assert "報告対象期間: 2026年12月1日(火)〜2026年12月7日(月)" in out
    assert "報告対象期間: 2026年12月1日(火)〜2026年12月31日(木)" in out
    # the contract was created on 12/3: November is before it existed, said so rather than reported
    assert "に登録されました。それより前の期間（2026年11月1日(日)〜2026年11月30日(月)）の記録はないため" in out
    saved = re.findall(r"添付ファイルを保存しました: (\S+)", out)     # the drafts, where a person can open them
    assert len(saved) == 2 and all(p.startswith(str(tmp_path / "files")) and p.endswith(".docx") for p in saved)
    assert out.count("事故報告「INC-2026-0042」は見つかりませんでした") == 2     # shown (here: not found), in either order
    assert db.execute("SELECT COUNT(*) FROM incident_sessions").fetchone()[0] == 0   # no report was started
    assert routed(db) == 0


def test_other_business_mid_report_is_recorded_and_the_report_waits(db):
    out = talk(db, "UW", "インシデント報告", "ちょっと席外しまーす", "戻りました")
    assert "離席を記録しました" in out and "戻りを記録しました" in out
    from handlers.incident import draft

    sess = draft.open_draft(db, "UW")
    assert sess is not None and not draft.load(db, sess["id"]).answers      # nothing taken as the report's answer


def test_a_wish_to_stop_the_report_said_in_a_sentence_is_asked_back_not_read_as_an_answer(db):
    from handlers.incident import draft

    out = talk(db, "UW", "インシデント報告", "メール・FAXの誤送信", "さっきの報告取り消したい")
    sess = draft.open_draft(db, "UW")
    st = draft.load(db, sess["id"])
    assert "occurred_at" not in st.answers and not st.pending        # 「さっき」 was not taken as the time
    assert st.status is None                                          # nor was the report cancelled unasked
    assert "報告をキャンセルしますか" in out and "キャンセルする" in out
    out = talk(db, "UW", "キャンセル")                                 # the exact word still cancels at once
    assert "報告をキャンセルしました" in out
    assert draft.load(db, sess["id"]).status == "cancel"


def test_a_wish_to_go_back_said_in_a_sentence_goes_back(db):
    from handlers.incident import draft

    talk(db, "UW", "インシデント報告", "メール・FAXの誤送信")
    sess = draft.open_draft(db, "UW")
    before = draft.load(db, sess["id"]).cursor
    out = talk(db, "UW", "前の質問に戻りたいです")
    assert "前の質問に戻りました" in out
    assert draft.load(db, sess["id"]).cursor != before


def test_a_sentence_about_cancelling_something_else_is_an_answer(db):
    from handlers.incident import draft

    talk(db, "UW", "インシデント報告", "メール・FAXの誤送信", "さっき")
    out = talk(db, "UW", "はい", "誤送信したメールを取り消したい")
    assert "報告をキャンセルしますか" not in out


@pytest.mark.parametrize("said", ["インシデント一覧", "インシデント 一覧", "事故報告の一覧見せて", "今月のインシデントは？",
                                  "インシデントある？", "incident list"])
def test_asking_for_the_reports_lists_them_and_never_starts_one(db, said):
    talk(db, "UW", "ICカードなくしました", "キャンセル")          # one report the lead may see (cancelled, kept)
    sessions = db.execute("SELECT COUNT(*) FROM incident_sessions").fetchone()[0]
    out = talk(db, "ULEAD", said)
    assert db.execute("SELECT COUNT(*) FROM incident_sessions").fetchone()[0] == sessions
    assert "報告を始めます" not in out
    assert "事故・インシデントの報告" in out and ("件）" in out or "ご覧いただける事故・インシデントの報告はありません" in out)


@pytest.mark.parametrize("said", ["ヒヤリハットがありました", "インシデント報告", "事故 起きました"])
def test_saying_something_happened_still_starts_a_report(db, said):
    out = talk(db, "UW", said)
    assert "報告を始めます" in out
    assert db.execute("SELECT COUNT(*) FROM incident_sessions WHERE user_id = 'UW'").fetchone()[0] == 1
