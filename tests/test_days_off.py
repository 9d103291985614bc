"""A worker registers their own day off by saying so (「明日休みます」「12/24〜12/26 休みます」「来週の月曜は有給です」),
takes it back (「明日やっぱり出勤します」「12/10の休み取り消し」) and lists them (「休みの予定」). These fell through to the
rule search (「ご質問に該当する規定は…見つかりませんでした」); only an admin could register a day off.

Real parts: a real SQLite file, the real conversation handlers and notices pass; the clock stands at
Tuesday 2026-12-01 10:40 JST (MAMORU_NOW).
"""
from __future__ import annotations

import pytest

from conftest import add_contracts, run_mamoru
from handlers import conversation, notices, people, workdays
from storage import people as pstore
from storage.db import open_db

NOW = "2026-12-01T10:40:00+09:00"     # a Tuesday


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("MAMORU_NOW", NOW)
    d = open_db(tmp_path / "m.db")
    add_contracts(d, "吉川市")
    for argv in (["add", "ULEAD", "--name", "責任花子", "--role", "lead", "--contract", "吉川市"],
                 ["add", "UW", "--name", "作業一郎", "--role", "worker", "--contract", "吉川市", "--lead", "ULEAD"],
                 ["add", "UW2", "--name", "作業二郎", "--role", "worker", "--contract", "吉川市", "--lead", "ULEAD"]):
        status, reply = people.run_users(d, "cli", argv, "cli")
        assert status == 0, reply.text
    return d


def say(db, text, who="UW", via="terminal"):
    return conversation.message(db, who, text, via)


def text_of(turn) -> str:
    return "\n".join(r.text for r in turn.replies)


def days_off(db, who="UW") -> list[str]:
    return pstore.current(db, who)["days_off"]


def rows(db, who="UW") -> list[dict]:
    return pstore.history(db, who)


def asked(db, when: str) -> list[str]:
    """Who the notices pass at `when` would send the start-of-day checklist to."""
    return sorted(o.user_id for o in notices.run_pass(db, workdays.parse(when), dry_run=True) if ":ask:start:" in o.key)


@pytest.mark.parametrize("said,dates", [
    ("明日休みます", ["2026-12-02"]),
    ("12/10 休みます", ["2026-12-10"]),
    ("来週の月曜は有給です", ["2026-12-07"]),
    ("今日は休みです", ["2026-12-01"]),
    ("明日お休みいただきます", ["2026-12-02"]),
    ("12月10日は有給を取ります", ["2026-12-10"]),
    ("月曜日休みます", ["2026-12-07"]),                           # the next Monday
    ("１２／２４〜１２／２６　休みます", ["2026-12-24", "2026-12-25"]),   # 12/26 is a Saturday: not registered
    ("1/5 休みます", ["2027-01-05"]),                              # said in December: next January
])
def test_each_phrasing_records_the_day_on_the_persons_record_and_tells_the_lead(db, said, dates):
    turn = say(db, said)
    assert days_off(db) == dates
    last = rows(db)[-1]
    assert (last["change"], last["actor"], last["via"]) == ("days_off", "UW", "terminal")   # who, from where
    assert last["name"] == "作業一郎" and last["lead_id"] == "ULEAD" and last["contracts"] == ["吉川市"]   # the rest kept
    reply = text_of(turn)
    shown = "、".join(workdays.format_date(d) for d in dates)
    assert f"{shown}をお休みとして登録しました" in reply and "チェックリストをお送りしません" in reply
    assert "休み取り消し" in reply and "責任花子さんにお知らせしました" in reply
    [dm] = turn.outgoing
    assert dm.user_id == "ULEAD" and dm.key
    assert "作業一郎さん（UW）" in dm.reply.text and all(workdays.format_date(d) in dm.reply.text for d in dates)
    if said.startswith("１２"):
        assert "2026年12月26日(土)は土曜日" in reply


def test_no_checklist_reminder_or_overdue_notice_comes_on_the_day_off(db):
    assert asked(db, "2026-12-02T09:00:00+09:00") == ["ULEAD", "UW", "UW2"]       # before: everyone
    say(db, "明日休みます")
    assert asked(db, "2026-12-02T09:00:00+09:00") == ["ULEAD", "UW2"]
    late = notices.run_pass(db, workdays.parse("2026-12-02T10:31:00+09:00"), dry_run=True)
    assert not [o for o in late if o.user_id == "UW"]                            # no reminder to them
    digest = [o for o in late if o.key.startswith("notice:digest:") and o.user_id == "ULEAD"]
    assert digest and "作業二郎さん" in digest[0].reply.text and "作業一郎さん" not in digest[0].reply.text
    assert asked(db, "2026-12-03T09:00:00+09:00") == ["ULEAD", "UW", "UW2"]       # the day after: as usual


def test_a_repeat_of_the_same_message_changes_nothing_and_tells_the_lead_once(db):
    first = say(db, "明日休みます")
    n = len(rows(db))
    again = say(db, "明日休みます")
    assert len(rows(db)) == n and days_off(db) == ["2026-12-02"]
    assert again.outgoing == [] and len(first.outgoing) == 1
    assert "既にお休みとして登録されています" in text_of(again)


def test_taking_the_day_back_removes_it_and_tells_the_lead(db):
    say(db, "明日休みます")
    say(db, "12/10 休みます")
    back = say(db, "明日やっぱり出勤します")
    assert days_off(db) == ["2026-12-10"]
    assert rows(db)[-1]["change"] == "days_off" and rows(db)[-1]["actor"] == "UW"
    assert "2026年12月2日(水)のお休みの登録を取り消しました" in text_of(back)
    [dm] = back.outgoing
    assert dm.user_id == "ULEAD" and "取り消しました" in dm.reply.text and "2026年12月2日(水)" in dm.reply.text
    assert "UW" in asked(db, "2026-12-02T09:00:00+09:00")                         # the checklist comes again
    cancel = say(db, "12/10の休み取り消し")
    assert days_off(db) == [] and len(cancel.outgoing) == 1
    n = len(rows(db))
    twice = say(db, "12/10の休み取り消し")
    assert twice.outgoing == [] and len(rows(db)) == n
    assert "登録されていません" in text_of(twice)


def test_the_days_off_to_come_are_listed(db):
    assert "今日以降のお休みは登録されていません" in text_of(say(db, "休みの予定"))
    status, reply = people.run_users(db, "cli", ["add", "UW", "--days-off", "2026-11-20"], "cli")   # past: not listed
    assert status == 0, reply.text
    say(db, "12/10 休みます")
    say(db, "明日休みます")
    listed = text_of(say(db, "私の休み"))
    assert "2026年12月2日(水)" in listed and "2026年12月10日(木)" in listed and "11月20日" not in listed
    assert listed.index("12月2日") < listed.index("12月10日")


@pytest.mark.parametrize("said,why", [
    ("11/30 休みます", "過去の日のため"),
    ("昨日休みました", "過去の日のため"),
    ("2027/6/1 休みます", "90 日より先のため"),
    ("12/5 休みます", "土曜日のため、もともとチェックリストのない日です"),
    ("12/29 休みます", "年末年始のため"),
    ("明日午前休です", "半日のお休み（午前休・午後休・半休）は、お休みの日としては登録していません"),
    ("明後日は半休いただきます", "チェックリストはいつもどおりお送りします"),
    ("2/30 休みます", "2月30日という日付はありません"),
])
def test_days_that_cannot_be_registered_are_refused_and_nothing_is_recorded(db, said, why):
    n = len(rows(db))
    turn = say(db, said)
    assert why in text_of(turn)
    assert turn.outgoing == [] and len(rows(db)) == n and days_off(db) == []


def test_without_a_lead_the_contracts_leads_are_told(db):
    status, reply = people.run_users(db, "cli", ["add", "USOLO", "--name", "単独三郎", "--contract", "吉川市"], "cli")
    assert status == 0, reply.text
    turn = say(db, "明日休みます", who="USOLO")
    assert [o.user_id for o in turn.outgoing] == ["ULEAD"]
    assert days_off(db, "USOLO") == ["2026-12-02"]


def test_someone_not_registered_gets_the_registration_info(db):
    turn = say(db, "明日休みます", who="UNEW")
    assert "登録を申請する" in [b.label for r in turn.replies for b in r.buttons]
    assert "お休みの登録はできません" in text_of(turn) and turn.outgoing == []
    assert pstore.current(db, "UNEW") is None


def test_a_question_about_days_off_stays_a_rule_question(db):
    turn = say(db, "明日休みますがチェックリストは必要ですか？")
    assert turn.answer is not None                      # searched as a rule question
    assert days_off(db) == [] and turn.outgoing == []


def test_the_terminal_chat_registers_it_and_prints_the_leads_message(db_path):
    assert run_mamoru(["contract", "add", "吉川市"], db_path).returncode == 0
    for args in (["ULEAD", "--name", "佐藤花子", "--role", "lead", "--contract", "吉川市"],
                 ["U1", "--name", "山田太郎", "--contract", "吉川市", "--lead", "ULEAD"]):
        assert run_mamoru(["users", "add", *args], db_path).returncode == 0
    r = run_mamoru(["chat", "--as", "U1"], db_path, input="明日休みます\n休みの予定\n", env={"MAMORU_NOW": NOW})
    assert r.returncode == 0, r.stderr
    assert "2026年12月2日(水)をお休みとして登録しました" in r.stdout and "見つかりませんでした" not in r.stdout
    assert "佐藤花子さん［ULEAD］への通知" in r.stdout and "山田太郎さん（U1）が、次の日をお休みとして登録しました" in r.stdout
    listed = run_mamoru(["users", "list", "--json"], db_path)
    assert '"2026-12-02"' in listed.stdout
    assert run_mamoru(["audit", "verify"], db_path).returncode == 0          # the change is sealed in the chain


def test_the_days_off_ahead_are_on_the_persons_own_page_and_a_report_in_progress_waits(db):
    from handlers import home
    from handlers.incident import draft

    say(db, "インシデント報告")
    say(db, "明日休みます")                                   # mid-report: recorded as a day off, not the report's answer
    assert days_off(db) == ["2026-12-02"]
    assert not draft.load(db, draft.open_draft(db, "UW")["id"]).answers
    profile = home.detail(db, "UW", "profile", "terminal")
    assert "お休みの予定: 2026年12月2日(水)" in text_of(profile)
    assert "お休みの予定" not in text_of(home.detail(db, "ULEAD", "profile", "terminal"))


# ---------------------------------------------------------------- a question or a bare phrase records nothing


def buttons(turn) -> list:
    return [b for r in turn.replies for b in r.buttons]


@pytest.mark.parametrize("said", ["明日の休み", "明日の休みは？", "明日って休み？", "明日は休みですか", "明日休み", "明日の休みは",
                                  "明日休みなので"])
def test_a_question_or_the_bare_phrase_records_nothing_and_offers_the_button(db, said):
    n = len(rows(db))
    turn = say(db, said)
    shown = text_of(turn)
    assert "2026年12月2日(水)はお休みとして登録されていません" in shown
    assert "登録しました" not in shown and "見つかりませんでした" not in shown     # answered, not a rule search
    assert turn.outgoing == [] and len(rows(db)) == n and days_off(db) == []
    [button] = buttons(turn)
    assert button.label == "お休みとして登録する" and button.value == "2026-12-02"
    pressed = conversation.press(db, "UW", button.action, button.value, "terminal")   # one tap for who meant it
    assert "2026年12月2日(水)をお休みとして登録しました" in text_of(pressed)
    assert days_off(db) == ["2026-12-02"] and [o.user_id for o in pressed.outgoing] == ["ULEAD"]
    assert rows(db)[-1]["actor"] == "UW"
    again = conversation.press(db, "UW", button.action, button.value, "terminal")    # pressed twice: nothing new
    assert again.outgoing == [] and "既にお休みとして登録されています" in text_of(again)


def test_asking_about_a_registered_day_answers_it_and_lists_the_others(db):
    say(db, "明日休みます")
    say(db, "12/10 休みます")
    n = len(rows(db))
    turn = say(db, "明日の休みは？")
    shown = text_of(turn)
    assert "2026年12月2日(水)はお休みとして登録されています" in shown
    assert "ほかに登録されているお休み（今日以降）: 2026年12月10日(木)" in shown and "12/2の休み取り消し" in shown
    assert buttons(turn) == [] and turn.outgoing == [] and len(rows(db)) == n


@pytest.mark.parametrize("said,why", [
    ("12/5の休みは？", "2026年12月5日(土)は土曜日のため、もともとチェックリストのない日です"),
    ("昨日の休みは？", "2026年11月30日(月)はお休みとして登録されていません"),          # past: no button
    ("明日の午前休は？", "半日のお休み（午前休・午後休・半休）は、お休みの日としては登録していません"),
])
def test_asking_about_a_day_that_cannot_be_registered_offers_no_button(db, said, why):
    turn = say(db, said)
    assert why in text_of(turn)
    assert buttons(turn) == [] and turn.outgoing == [] and days_off(db) == []


# ---------------------------------------------------------------- 「明日出勤します」 undoes only a registered day off


def test_coming_in_on_a_day_with_nothing_registered_is_acknowledged_not_answered_as_an_undo(db):
    n = len(rows(db))
    turn = say(db, "明日出勤します")
    shown = text_of(turn)
    assert shown == "承知しました。2026年12月2日(水)は、いつもどおり始業時・終業時のチェックリストをお送りします。"
    assert "登録されていません" not in shown and "取り消" not in shown
    assert turn.answer is None and buttons(turn) == []                # no rule search, no 「担当者に聞く」
    assert turn.outgoing == [] and len(rows(db)) == n


def test_coming_in_on_a_closed_day_says_there_is_no_checklist(db):
    turn = say(db, "土曜出勤します")
    assert "2026年12月5日(土)は土曜日です。定時のチェックリストはお送りしません" in text_of(turn)
    assert turn.outgoing == []


def test_coming_in_on_a_registered_day_off_takes_it_back(db):
    say(db, "明日休みます")
    say(db, "12/10 休みます")
    turn = say(db, "12/10は出勤です")
    assert "2026年12月10日(木)のお休みの登録を取り消しました" in text_of(turn)
    assert days_off(db) == ["2026-12-02"] and [o.user_id for o in turn.outgoing] == ["ULEAD"]


def test_words_that_undo_still_say_when_nothing_was_registered(db):
    turn = say(db, "明日やっぱり出勤します")
    assert "2026年12月2日(水)はお休みとして登録されていません" in text_of(turn)
    assert turn.outgoing == []


@pytest.mark.parametrize("said", ["明日休みじゃない", "明日は出勤しません", "明日休みたいです"])
def test_a_negation_or_a_wish_records_nothing(db, said):
    say(db, "12/10 休みます")
    n = len(rows(db))
    turn = say(db, said)
    assert turn.outgoing == [] and len(rows(db)) == n and days_off(db) == ["2026-12-10"]


@pytest.mark.parametrize("said", ["明日は出勤しません", "明日休みじゃない？"])
def test_not_coming_in_or_asking_is_answered_with_the_day_and_the_button(db, said):
    """Not a rule question ("no rule found" as before): the day's state and the button that registers it."""
    turn = say(db, said)
    text = text_of(turn)
    assert "2026年12月2日(水)はお休みとして登録されていません" in text and "該当する規定" not in text
    assert any(b.label == "お休みとして登録する" for r in turn.replies for b in (r.buttons or []))
    assert turn.outgoing == [] and days_off(db) == []


def test_the_terminal_chat_asks_back_and_the_number_presses_the_button(db_path):
    assert run_mamoru(["contract", "add", "吉川市"], db_path).returncode == 0
    assert run_mamoru(["users", "add", "U1", "--name", "山田太郎", "--contract", "吉川市"], db_path).returncode == 0
    r = run_mamoru(["chat", "--as", "U1"], db_path, input="明日の休み\n明日出勤します\n明日の休みは？\n1\n",
                   env={"MAMORU_NOW": NOW})
    assert r.returncode == 0, r.stderr
    first, rest = r.stdout.split("2026年12月2日(水)はお休みとして登録されていません", 1)
    assert "お休みとして登録しました" not in first
    assert "承知しました。2026年12月2日(水)は、いつもどおり" in rest
    assert "[1] お休みとして登録する" in rest and "2026年12月2日(水)をお休みとして登録しました" in rest
    assert '"2026-12-02"' in run_mamoru(["users", "list", "--json"], db_path).stdout


def test_a_question_about_a_day_off_or_coming_in_mid_report_is_answered_and_the_report_waits(db):
    from handlers.incident import draft

    say(db, "インシデント報告")
    say(db, "その他")
    sid = draft.open_draft(db, "UW")["id"]
    before = draft.load(db, sid)
    asked_ = say(db, "明日の休みは？")
    assert "2026年12月2日(水)はお休みとして登録されていません" in text_of(asked_)
    coming = say(db, "明日出勤します")
    assert text_of(coming).startswith("承知しました。")
    after = draft.load(db, sid)
    assert after.answers == before.answers and after.cursor == before.cursor == "occurred_at" and not after.pending
    assert days_off(db) == []
