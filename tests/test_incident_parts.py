"""Incident reports, part by part: the question flow (content), times, masking, numbering, the flow
engine (real SQLite, the real handlers; no Slack)."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import textwrap
import threading

import pytest

from handlers import conversation, people, workdays
from handlers.incident import answers, content, dates, draft, mask
from knowledge import library
from storage import incidents as store
from storage.db import open_db
from conftest import add_contracts

NOW = dt.datetime(2026, 11, 21, 14, 5, tzinfo=workdays.JST)    # a Saturday afternoon


@pytest.fixture
def db(tmp_path):
    d = open_db(tmp_path / "m.db")
    library.ensure_builtin(d)
    add_contracts(d, "吉川市")
    for argv in (["add", "UADMIN", "--name", "管理太郎", "--role", "admin"],
                 ["add", "UOFF", "--name", "責任者花子", "--role", "officer"],
                 ["add", "ULEAD", "--name", "佐藤リーダー", "--role", "lead", "--contract", "吉川市"],
                 ["add", "UW", "--name", "山田太郎", "--role", "worker", "--contract", "吉川市", "--lead", "ULEAD"]):
        people.users_command(d, "cli", argv, "cli")
    return d


# ---------------------------------------------------------------- content


def test_every_clause_the_flow_cites_exists(db):
    fl = content.flow()
    assert content.missing_clauses(db, fl) == []
    assert [t.label for t in fl.types] == ["ICカードの紛失・盗難", "端末・媒体の紛失・盗難", "メール・FAXの誤送信",
                                           "情報漏えい・その恐れ", "ウイルス感染・不正アクセス", "その他", "ヒヤリハット"]
    for t in fl.types:
        assert t.first_aid and t.clauses and all(s.clauses for s in t.first_aid)
    for q in fl.questions:
        assert q.clauses, q.id
    labels = {q.label for q in fl.questions}
    assert {"情報の内容", "件数", "事故の発生場所", "発生状況"} <= labels          # what 第18条第1項 names
    assert [q.id for q in fl.sequence("mail")].count("recipient_domain") == 1
    assert "recipient_domain" not in [q.id for q in fl.sequence("ic_card")]
    assert "last_seen" in [q.id for q in fl.sequence("ic_card")]


def test_bad_content_is_refused_with_a_reason():
    with pytest.raises(content.ContentError, match="kind"):
        content.parse({"types": [{"id": "a", "label": "A"}], "questions": [{"id": "type", "kind": "nope"}]})
    with pytest.raises(content.ContentError, match="未定義の種別"):
        content.parse({"types": [{"id": "a", "label": "A"}],
                       "questions": [{"id": "type", "kind": "choice", "label": "種別", "prompt": "?"},
                                     {"id": "x", "kind": "text", "label": "X", "prompt": "?", "types": ["zz"]}]})


# ---------------------------------------------------------------- times


@pytest.mark.parametrize("typed, shown", [
    ("今日10時頃", "2026年11月21日(土) 10:00頃"),
    ("さっき", "2026年11月21日(土) 14:05頃"),
    ("11/20 15:30", "2026年11月20日(金) 15:30"),
    ("１１／２０　１５：３０", "2026年11月20日(金) 15:30"),
    ("11月20日15時30分", "2026年11月20日(金) 15:30"),
    ("昨日の夕方", "2026年11月20日(金) 17:00頃"),
    ("3時間前", "2026年11月21日(土) 11:05頃"),
    ("今朝9時半", "2026年11月21日(土) 09:30"),
    ("12/30", "2025年12月30日(火)（時刻不明）"),          # no year: the most recent 12/30
    ("不明", "不明"),
])
def test_times_as_workers_type_them(typed, shown):
    assert dates.parse(typed, NOW).display() == shown


@pytest.mark.parametrize("typed, why", [
    ("あいうえお", "読み取れませんでした"),
    ("今日18時", "未来"),
    ("2/30", "存在しない日付"),
    ("", "空"),
])
def test_unreadable_times_say_why(typed, why):
    with pytest.raises(dates.Unreadable, match=why):
        dates.parse(typed, NOW)


# ---------------------------------------------------------------- masking


@pytest.mark.parametrize("typed, kind, kept", [
    ("マイナンバーは123456789012です", "mynumber", "マイナンバーは"),
    ("番号 1234-5678-9012 を記載", "mynumber", "番号"),
    ("電話 03-1234-5678 に", "phone", "電話"),
    ("携帯 09012345678", "phone", "携帯"),
    ("taro.yamada@example.co.jp 宛", "email", " 宛"),
    ("カード 4111 1111 1111 1111", "card", "カード"),
    ("１２３４５６７８９０１２", "mynumber", ""),
])
def test_personal_data_is_masked(typed, kind, kept):
    m = mask.mask(typed)
    assert m.kinds == (kind,)
    assert kept in m.text and not any(ch.isdigit() for ch in m.text.replace("@example.co.jp", ""))


def test_ordinary_numbers_are_kept():
    for t in ("件数は120件、2026/11/20 15:30", "庁舎3階", "第11条第1項第6号", "12/1 18:30"):
        assert mask.mask(t).text == t and not mask.mask(t).kinds


@pytest.mark.parametrize("typed, shown, n", [("約120件", "約120件", 120), ("3人", "3人", 3), ("1,200", "1,200件", 1200),
                                             ("不明", "不明", None), ("なし", "0件", 0), ("百件くらい", "約100件", 100)])
def test_counts(typed, shown, n):
    v = answers.count_value(typed)
    assert (v["d"], v["v"]) == (shown, n)


def test_count_and_domain_need_something_readable():
    with pytest.raises(answers.Invalid):
        answers.count_value("たくさん")
    v, note = answers.domain_value("Taro@Example.CO.JP")
    assert v["v"] == "example.co.jp" and "@ より前" in note


# ---------------------------------------------------------------- the flow engine (handlers)


def _say(db, user, text):
    return conversation.message(db, user, text, "terminal")


def _press(db, user, turn, label):
    b = next(b for r in turn.replies for b in r.buttons if b.label == label)
    return conversation.press(db, user, b.action, b.value, "terminal")


def test_preset_type_from_the_checklist_gives_first_aid_and_skips_the_type(db):
    from handlers import incident

    t = incident.start(db, "UW", "slack_button", preset={"type": "ic_card"})
    text = "\n".join(r.text for r in t.replies)
    assert "種別: ICカードの紛失・盗難（入力済み）" in text
    assert "利用停止" in text and "セキュリティ保全に係る事項 3(2)" in text          # first aid, cited
    assert "吉川市 情報セキュリティ特記仕様書 第18条第1項" in text                    # the duty to report, cited
    assert "質問 2/" in t.replies[-1].text and "発生日時" in t.replies[-1].text


def test_unregistered_people_are_told_how_to_register(db):
    t = _say(db, "UNOBODY", "ICカードをなくしました")
    assert "登録された作業従事者" in t.replies[0].text and "作業責任者に電話などで直接" in t.replies[0].text


def test_a_question_about_incidents_is_answered_with_a_start_button(db):
    t = _say(db, "UW", "事故が起きたらどうすればいいですか")
    assert t.answer is not None and t.answer.found
    assert any(b.label == "報告を始める" for r in t.replies for b in r.buttons)
    assert store.open_sessions(db, "UW") == []                                 # nothing started


def test_numbers_are_unique_under_concurrent_processes(tmp_path):
    """Four processes submit five reports each at the same time: twenty numbers, no gaps, no twins."""
    path = tmp_path / "c.db"
    d = open_db(path)
    people.users_command(d, "cli", ["add", "UW", "--name", "山田太郎", "--role", "worker"], "cli")
    script = textwrap.dedent(f"""
        import sys
        from storage.db import open_db
        from storage import incidents as store
        db = open_db({str(path)!r})
        for n in range(5):
            with store.transaction(db):
                sid = store.new_session(db, user_id="UW", kind="report", incident_id=None, preset={{}}, via="cli",
                                        at="2026-11-21T10:00:00+09:00")
                store.insert_incident(db, year=2026, session_id=sid, reporter_id="UW", lead_ids=[], notified=[],
                                      type="other", contract=None, answers={{}}, clause_ids=[], masked=[],
                                      escalate=True, flow_version=1, via="cli", at="2026-11-21T10:00:00+09:00")
    """)
    env = dict(os.environ, PYTHONPATH=str(__import__("pathlib").Path(__file__).resolve().parent.parent))
    procs = [subprocess.Popen([sys.executable, "-c", script], env=env) for _ in range(4)]
    assert [p.wait(60) for p in procs] == [0, 0, 0, 0]
    refs = [i["ref"] for i in store.incidents(d)]
    assert sorted(refs) == [f"INC-2026-{n:04d}" for n in range(1, 21)]


def test_the_same_answer_twice_at_once_is_one_step(db):
    """Two deliveries of one DM racing on two connections: one answers, the other sees the next question."""
    from handlers import incident

    incident.start(db, "UW", "terminal", preset={"type": "other"})
    sid = store.open_sessions(db, "UW")[0]["id"]
    path = db.conn.execute("PRAGMA database_list").fetchone()[2]
    results = []

    def send():
        c = open_db(path)
        results.append(_say(c, "UW", "11/20 15:30"))

    ts = [threading.Thread(target=send) for _ in range(2)]
    [t.start() for t in ts]
    [t.join() for t in ts]
    steps = store.steps(db, sid)
    assert [s["op"] for s in steps].count("pending") == 2       # the second re-read the state: same question
    st = draft.load(db, sid)
    assert st.pending and st.pending[1]["d"] == "2026年11月20日(金) 15:30" and "occurred_at" not in st.answers


def test_state_is_the_replay_of_steps(db):
    from handlers import incident

    incident.start(db, "UW", "terminal", preset={"type": "mail"})
    sid = store.open_sessions(db, "UW")[0]["id"]
    _say(db, "UW", "不明")
    t = _say(db, "UW", "戻る")
    assert "前の質問に戻りました" in t.replies[0].text and "現在の回答: 不明" in t.replies[0].text
    st = draft.load(db, sid)
    assert st.cursor == "occurred_at" and st.answers["occurred_at"]["d"] == "不明"
    assert [s["op"] for s in store.steps(db, sid)] == ["answer", "answer", "back"]
    assert json.loads(db.execute("SELECT value FROM incident_steps WHERE session_id = ? AND seq = 2", [sid])
                      .fetchone()[0])["d"] == "不明"


def _aged_draft(db, user, hours: float) -> int:
    """A report whose last step was `hours` ago (steps are appended with their own times)."""
    then = workdays.iso(workdays.now() - dt.timedelta(hours=hours))
    with store.transaction(db):
        sid = store.new_session(db, user_id=user, kind="report", incident_id=None, preset={}, via="slack_dm", at=then)
        store.append_step(db, session_id=sid, op="answer", question="type", value={"v": "leak", "d": "情報漏えい・その恐れ"},
                          via="slack_dm", at=then)
    return sid


def test_an_hour_away_resumes_but_a_draft_left_overnight_no_longer_captures_messages(db):
    sid = _aged_draft(db, "UW", 1)
    t = _say(db, "UW", "不明")
    assert "✔ 発生日時: 不明" in t.replies[0].text and draft.load(db, sid).answers["occurred_at"]["d"] == "不明"
    people.users_command(db, "cli", ["add", "UW2", "--name", "鈴木", "--role", "worker", "--lead", "ULEAD"], "cli")
    old = _aged_draft(db, "UW2", 13)
    t = _say(db, "UW2", "離席するときは画面をロックしないといけないですか")
    assert t.answer is not None and t.answer.found                     # a question, answered as such
    assert len(store.steps(db, old)) == 1
    t = _say(db, "UW2", "インシデント報告")                               # starting again offers the draft
    assert "書きかけの事故・インシデント報告があります" in t.replies[0].text
    assert any(b.label == "書きかけを破棄して新しく始める" for b in t.replies[-1].buttons)


def test_escalation_does_not_wait_for_working_hours(db):
    """Reported on a Saturday at 23:00: escalated at 23:16 and 23:31, not at 23:14."""
    from handlers import notices

    sat = dt.datetime(2026, 11, 21, 23, 0, tzinfo=workdays.JST)
    with store.transaction(db):
        sid = store.new_session(db, user_id="UW", kind="report", incident_id=None, preset={}, via="slack_dm",
                                at=workdays.iso(sat))
        inc = store.insert_incident(db, year=2026, session_id=sid, reporter_id="UW", lead_ids=["ULEAD"],
                                    notified=["ULEAD", "UOFF"], type="malware", contract="吉川市", answers={},
                                    clause_ids=[], masked=[], escalate=True, flow_version=1, via="slack_dm",
                                    at=workdays.iso(sat))
    keys = lambda outs: sorted(o.key for o in outs if inc["ref"] in o.key)       # noqa: E731
    assert keys(notices.run_pass(db, sat + dt.timedelta(minutes=14), dry_run=True)) == []
    first = notices.run_pass(db, sat + dt.timedelta(minutes=16))
    assert keys(first) == [f"notice:incident:escalate:{inc['ref']}:1:UADMIN", f"notice:incident:escalate:{inc['ref']}:1:UOFF"]
    notices.deliver(db, first, lambda o: True, now=sat + dt.timedelta(minutes=16))
    assert keys(notices.run_pass(db, sat + dt.timedelta(minutes=29))) == []
    second = notices.run_pass(db, sat + dt.timedelta(minutes=31))
    assert [k.split(":")[4] for k in keys(second)] == ["2", "2"]
    from handlers.incident import notify

    notify.ack(db, "UOFF", inc["ref"], "slack_button")
    assert notices.deliver(db, second, lambda o: True)["dropped"] == 2             # acknowledged meanwhile: dropped
    assert keys(notices.run_pass(db, sat + dt.timedelta(minutes=46))) == []



def test_a_restart_before_sending_builds_the_search_index_outside_the_write_transaction(db, monkeypatch):
    """The rules a report cites are looked up inside 「送信」's write transaction. In a process that has no search index
    yet (restarted while the report waited at its summary, or a document loaded meanwhile), building it there kept
    every other person's report, checklist and answer waiting: it is built before the transaction. The report still
    cites the duty to report of the worker's own contract first (an attachment: found by searching it)."""
    import io

    from bot import chat
    from knowledge import basis, search
    from storage import kb as kb_store

    rules = ("架空市 窓口業務委託 個人情報取扱特記事項\n"
             "第１条　受注者は、個人情報を電子メールで送信するときは、宛先を複数の者で確認しなければならない。\n"
             "第２条　受注者は、個人情報の漏えい等の事故が発生し、又は発生したおそれがあるときは、直ちに市に報告しなければならない。\n")
    library.load_file(db, rules.encode("utf-8"), name="kasou.txt", slug="kasou", title="架空市 窓口業務委託 個人情報取扱特記事項",
                      municipality="架空市")
    add_contracts(db, "架空市", docs={"架空市": ["kasou"]})
    for argv in (["add", "ULEAD2", "--name", "鈴木リーダー", "--role", "lead", "--contract", "架空市"],
                 ["add", "UW2", "--name", "田中次郎", "--role", "worker", "--contract", "架空市", "--lead", "ULEAD2"]):
        people.users_command(db, "cli", argv, "cli")
    lines = ["メールを誤送信しました", "3", "昨日15時頃", "1", "1", "自席", "hanako@example.org", "見積書（個人情報なし）",
             "2", "1通", "1", "1", "1"]
    out = io.StringIO()
    chat.run(db, "UW2", stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out)
    assert "送信" in out.getvalue() and "受付番号は" not in out.getvalue()    # waiting at its summary
    monkeypatch.setattr(search, "_cache", {})                              # a new process
    monkeypatch.setattr(basis, "_found", {})
    built = []
    real = kb_store.clauses_for_index

    def recording(d):
        built.append(d.conn.in_transaction)
        return real(d)

    monkeypatch.setattr(kb_store, "clauses_for_index", recording)
    out = io.StringIO()
    chat.run(db, "UW2", stdin=io.StringIO("1\n"), stdout=out)
    assert "受付番号は INC-" in out.getvalue()
    assert built == [False]
    cited = json.loads(db.execute("select clause_ids from incidents").fetchone()[0])
    assert cited[0] == "kasou:a2"                # 架空市 第2条: report at once
