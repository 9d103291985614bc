"""Training: assignment as a function of state, reminders, the draw, answers, pledge, settings, CLI, terminal.

Real SQLite files, the real handlers and notices pass, the real `mamoru` entry point for the
command line and the terminal chat. The Slack path is in test_training_slack.py; the content
checks are in test_quiz_content.py.
"""
from __future__ import annotations

import csv
import io
import json
import queue
import random
import re
import subprocess
import threading

import pytest

from conftest import MAMORU, ROOT, run_mamoru
from handlers import conversation, home, notices, people, workdays
from handlers.training import content, quiz, state, views
from knowledge import library
from storage import audit
from storage import training as store
from storage.db import open_db
from conftest import add_contracts

D = "2026-12-01"            # a Tuesday


def at(s: str):
    return workdays.parse(s)


def T(hm: str, d: str = D):
    return at(f"{d}T{hm}:00+09:00")


def users(db, *argvs):
    for argv in argvs:
        status, reply = people.run_users(db, "cli", list(argv), "cli")
        assert status == 0, reply.text


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.delenv("MAMORU_NOW", raising=False)
    d = open_db(tmp_path / "m.db")
    library.ensure_builtin(d)
    add_contracts(d, "吉川市")
    users(d, ["add", "UOFF", "--name", "対策三郎", "--role", "officer"],
          ["add", "ULEAD", "--name", "責任花子", "--role", "lead"],
          ["add", "UW1", "--name", "作業一郎", "--contract", "吉川市", "--lead", "ULEAD", "--start-date", "2026-12-15"])
    return d


def keys(outs) -> list[str]:
    return sorted(o.key for o in outs)


def run(db, when) -> list:
    """One notices pass, every notice delivered (as the scheduler would)."""
    outs = notices.run_pass(db, when)
    notices.deliver(db, outs, lambda o: True, now=when)
    return outs


def mine(outs, user="UW1", kind=""):
    return [o for o in outs if o.user_id == user and f":{kind}" in o.key and o.key.startswith("notice:training:")]


def play(db, user: str, right=lambda i: True, via="terminal", now=None) -> conversation.Turn:
    """Start (or resume) and answer every question by pressing a choice."""
    turn = quiz.start(db, user, None, via, now=now)
    i = 0
    while turn.replies and turn.replies[-1].buttons and turn.replies[-1].buttons[0].action == quiz.ACTION_ANSWER:
        r = turn.replies[-1]
        aid, idx, _ = r.buttons[0].value.split(":")
        q = store.attempt(db, int(aid))["questions"][int(idx)]
        k = q["answer"] if right(i) else (q["answer"] + 1) % len(q["choices"])
        turn = quiz.answer(db, user, r.buttons[k].value, via, now=now)
        i += 1
    return turn


# ---- assignment ---------------------------------------------------------------------------


def test_assignment_is_written_right_before_the_dm_and_a_dry_run_writes_nothing(db):
    dry = notices.run_pass(db, T("10:00"), dry_run=True)
    assert keys(mine(dry)) == ["notice:training:assign:UW1:yoshikawa:initial:2026-12-15"]
    assert store.assignments(db) == []                                   # nothing written by reading
    outs = run(db, T("10:00"))
    [o] = mine(outs)
    assert "期限: 2026年12月15日(火)（作業開始日）" in o.reply.text and o.reply.buttons[0].action == quiz.ACTION_START
    [a] = store.assignments(db, "UW1")
    assert (a["due_date"], a["reason"], a["actor"], a["via"], a["at"]) == (
        "2026-12-15", "registration", "scheduler", "scheduler", "2026-12-01T10:00:00+09:00")
    assert mine(run(db, T("10:05"))) == []                              # once
    assert not [o for o in outs if o.user_id in ("ULEAD", "UOFF") and "training" in o.key]   # no contract, no course


def test_notices_wait_for_working_hours(db):
    assert mine(run(db, T("20:00"))) == []
    assert mine(run(db, at("2026-12-05T10:00+09:00"))) == []            # Saturday
    assert mine(run(db, at("2026-12-07T09:00+09:00")))


def test_first_interaction_assigns_at_once_and_no_begin_dm_follows(db):
    turn = conversation.message(db, "UW1", "研修", "slack_dm")
    assert "第1問／全10問" in turn.replies[0].text
    [a] = store.assignments(db, "UW1")
    assert (a["actor"], a["via"]) == ("UW1", "slack_dm")
    assert mine(run(db, T("10:00"))) == []


def test_a_failed_dm_is_offered_again_with_the_same_key(db):
    outs = notices.run_pass(db, T("10:00"))
    counts = notices.deliver(db, outs, lambda o: "training" not in o.key, now=T("10:00"))
    assert counts["failed"] >= 1
    assert len(store.assignments(db, "UW1")) == 1                        # written before the send
    again = mine(run(db, T("10:05")))
    assert keys(again) == ["notice:training:assign:UW1:yoshikawa:initial:2026-12-15"]
    assert len(store.assignments(db, "UW1")) == 1


def test_a_worker_registered_today_is_in_the_export_before_any_notices_pass(db, tmp_path, monkeypatch):
    """The export listed only the assignments written: a worker registered after the last notices pass
    was missing from the record an officer hands the city, with nothing saying so. The export now assigns
    what is owed first, by the notices pass's own rule: the worker is there with the course and deadline
    the pass would give, every row is a stored record, and a second export and the notices pass after it
    add or change nothing (the "please begin" DM still goes out, once, with the deadline written)."""
    status, reply = people.run_users(db, "cli", ["add", "UW2", "--name", "作業二郎", "--contract", "吉川市",
                                                 "--lead", "ULEAD"], "cli", now=T("09:00"))
    assert status == 0, reply.text
    owed = {t.user_id: (t.course.id, t.due.isoformat()) for t in state.everyone(state.Context(db, T("09:30")))}
    assert owed == {"UW1": ("yoshikawa", "2026-12-15"), "UW2": ("yoshikawa", "2026-12-08")}
    out = tmp_path / "t.csv"
    r = run_mamoru(["export", "training", "--contract", "吉川市", "--format", "csv", "-o", str(out)], tmp_path / "m.db",
                   env={"MAMORU_NOW": "2026-12-01T09:30:00+09:00"})
    assert r.returncode == 0, r.stderr
    assert "研修の記録 2 件（2 名）" in r.stdout and "まだ割り当てられていなかった研修 2 件" in r.stdout
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [(x["利用者ID"], x["研修ID"].split("（")[0], x["期限"], x["状況"]) for x in rows] == [
        ("UW1", "yoshikawa", "2026年12月15日(火)", "未受講"), ("UW2", "yoshikawa", "2026年12月8日(火)", "未受講")]
    written = store.assignments(db)
    assert {a["user_id"]: (a["course_id"], a["due_date"]) for a in written} == owed        # the pass's rule
    assert {(a["reason"], a["actor"], a["via"], a["at"]) for a in written} == {
        ("registration", "cli", "cli", "2026-12-01T09:30:00+09:00")}
    # the export is the stored rows, exactly
    assert [(x["利用者ID"], x["期限"]) for x in rows] == [(a["user_id"], workdays.format_date(a["due_date"]))
                                                        for a in written]
    assert rows == views.export_rows(db, "吉川市", T("09:30"))
    # a second export (the officer's, in the chat) writes nothing and lists the same
    monkeypatch.setenv("MAMORU_NOW", "2026-12-01T09:45:00+09:00")
    turn = conversation.message(db, "UOFF", "研修の記録を出して", "slack_dm")
    assert "2 件、2 名" in turn.replies[0].text and "割り当てられていなかった" not in turn.replies[0].text
    monkeypatch.delenv("MAMORU_NOW")
    assert store.assignments(db) == written
    # the notices pass afterwards: the DM once each, with the deadline written, and no record added or changed
    outs = run(db, T("10:00"))
    assert keys(mine(outs, "UW1") + mine(outs, "UW2")) == ["notice:training:assign:UW1:yoshikawa:initial:2026-12-15",
                                                           "notice:training:assign:UW2:yoshikawa:initial:"]
    [dm] = mine(outs, "UW2")
    assert "期限: 2026年12月8日(火)\n" in dm.reply.text
    later = run(db, T("10:05"))
    assert mine(later, "UW1") == mine(later, "UW2") == []
    assert store.assignments(db) == written
    assert views.export(db, "吉川市", actor="cli", via="cli", now=T("10:10"))[1] == 0
    assert store.assignments(db) == written


def test_no_start_date_gives_due_days_and_a_later_start_date_corrects_the_deadline(db):
    users(db, ["add", "UW2", "--name", "作業二郎", "--contract", "吉川市", "--lead", "ULEAD"])
    [o] = mine(run(db, T("10:00")), "UW2")
    assert "期限: 2026年12月8日(火)\n" in o.reply.text
    users(db, ["add", "UW2", "--start-date", "2026-12-21"])
    [c] = mine(run(db, T("11:00")), "UW2")
    assert "期限を 2026年12月21日(月) に変更しました" in c.reply.text
    rows = store.assignments(db, "UW2")
    assert [(r["due_date"], r["reason"], r["prev_id"]) for r in rows] == [
        ("2026-12-08", "registration", None), ("2026-12-21", "start_date_changed", rows[0]["id"])]
    assert state.tracks_of(db, "UW2", T("11:00"))[0].due.isoformat() == "2026-12-21"
    assert mine(run(db, T("11:05")), "UW2") == []


def test_reminders_seven_three_one_day_before_then_one_overdue_notice(db):
    run(db, at("2026-12-01T10:00+09:00"))                                # assigned, due 12/15 (Tue)
    seen = []
    for day in ("2026-12-07", "2026-12-08", "2026-12-09", "2026-12-10", "2026-12-11", "2026-12-14", "2026-12-15",
                "2026-12-16", "2026-12-17"):
        for o in mine(run(db, at(f"{day}T10:00+09:00"))):
            seen.append((day, o.key.split(":", 2)[2].split(":")[0], o.key.rsplit(":", 1)[-1]))
    [a] = store.assignments(db, "UW1")
    assert seen == [("2026-12-08", "remind", "7"), ("2026-12-14", "remind", "1"), ("2026-12-16", "overdue", str(a["id"]))]
    # 12/12 (Sat) was 3 days before: the nearest threshold reached on the next working day is 1.
    text = notices.run_pass(db, at("2026-12-16T11:00+09:00"), dry_run=True)
    assert mine(text) == []


def test_reminders_that_had_passed_when_assigned_are_not_sent(db):
    users(db, ["add", "UW3", "--name", "作業三郎", "--contract", "吉川市", "--lead", "ULEAD", "--start-date", "2026-12-04"])
    run(db, T("10:00"))                                                  # due in 3 days: no 7-day reminder
    got = [o.key.rsplit(":", 1)[-1] for d in ("2026-12-02", "2026-12-03") for o in mine(run(db, T("10:00", d)), "UW3")]
    assert got == ["1"]                                                  # 12/3 is one day before


def test_removed_person_gets_nothing_and_a_claimed_notice_is_dropped(db):
    outs = notices.run_pass(db, T("10:00"))
    users(db, ["remove", "UW1"])
    counts = notices.deliver(db, outs, lambda o: True, now=T("10:00"))
    assert counts["dropped"] >= 1 and store.assignments(db, "UW1") == []
    assert mine(run(db, T("10:05"))) == []


# ---- the quiz -----------------------------------------------------------------------------


def test_unregistered_person_is_told_how_to_register(db):
    turn = conversation.message(db, "UNOBODY", "研修", "slack_dm")
    assert "登録を申請する" in [b.label for b in turn.replies[0].buttons]
    assert store.assignments(db) == []


def test_someone_else_cannot_answer_and_a_wrong_value_records_nothing(db):
    users(db, ["add", "UW2", "--name", "作業二郎", "--contract", "吉川市", "--lead", "ULEAD"])
    t = quiz.start(db, "UW1", None, "terminal")
    value = t.replies[0].buttons[0].value
    other = quiz.answer(db, "UW2", value, "terminal")
    assert "ご利用いただけません" in other.replies[0].text
    assert "ご利用いただけません" in quiz.answer(db, "UW1", "garbage", "terminal").replies[0].text
    aid = int(value.split(":")[0])
    assert store.answers(db, aid) == []
    future = quiz.answer(db, "UW1", f"{aid}:5:0", "terminal")
    assert "いまの問題ではありません" in future.replies[0].text and "第1問／全10問" in future.replies[0].text
    assert store.answers(db, aid) == []


def test_a_double_start_does_not_start_two_attempts(db):
    a = quiz.start(db, "UW1", "yoshikawa", "slack_button")
    b = quiz.start(db, "UW1", "yoshikawa", "slack_button")
    assert "研修を再開します" in b.replies[0].text
    assert a.replies[0].buttons[0].value == b.replies[0].buttons[0].value
    assert len(store.attempts(db, "UW1")) == 1


def test_draw_covers_topics_shuffles_choices_and_retries_weighted_to_what_was_missed(db):
    course = content.load().courses["hozen"]
    first = quiz.draw(db, course, [], random.Random(1))
    assert len(first) == 10 and len({q["id"] for q in first}) == 10
    assert len({q["topic"] for q in first}) >= 7                          # as many topics as it can
    for q in first:
        src = content.load().question(q["id"])
        assert q["choices"][q["answer"]] == src.answer and sorted(q["choices"]) == sorted(src.choices)
    orders = {tuple(q["choices"]) for _ in range(8) for q in quiz.draw(db, course, [], random.Random(_))
              if q["id"] == "hozen-desk-lock"}
    assert len(orders) > 1                                                # choices are shuffled per attempt
    missed = [q["id"] for q in first[:4]]
    prev = [{"total": 10, "answers": [{"question_id": q["id"], "correct": q["id"] not in missed} for q in first]}]
    for seed in range(20):
        again = [q["id"] for q in quiz.draw(db, course, prev, random.Random(seed))]
        assert set(missed) <= set(again)
        assert again != [q["id"] for q in first]
    # The rest favour questions never asked (weight 3 against 1 for those answered right).
    fresh = sum(len(set(q["id"] for q in quiz.draw(db, course, prev, random.Random(s))) - {q["id"] for q in first})
                for s in range(40))
    assert fresh / 40 >= 4.5


def test_pass_mark_and_questions_per_contract_up_to_one_hundred_percent(db, tmp_path):
    r = run_mamoru(["training", "contract", "吉川市", "--pass-percent", "120"], tmp_path / "m.db")
    assert r.returncode == 2 and "1〜100" in r.stderr
    r = run_mamoru(["training", "contract", "吉川市", "--pass-percent", "100", "--questions", "5"], tmp_path / "m.db")
    assert r.returncode == 0, r.stderr
    assert "一回 5 問、合格点 100%" in r.stdout
    turn = play(db, "UW1", right=lambda i: i < 4)                        # 4 of 5: 80 % is not enough now
    assert "5問中4問正解（80%）。合格点は100%です。今回は不合格です。" in turn.replies[-1].text
    turn = play(db, "UW1")
    assert "5問中5問正解（100%）" in turn.replies[-1].text and turn.replies[-1].buttons[0].action == quiz.ACTION_PLEDGE
    [(s,)] = db.execute("SELECT settings FROM training_settings").fetchall()
    assert json.loads(s) == {"pass_percent": 100, "questions_per_attempt": 5}


def test_pledge_records_version_and_text_once_and_an_old_text_is_shown_again(db):
    turn = play(db, "UW1")
    b = turn.replies[-1].buttons[0]
    rid, version, short = b.value.split(":")
    stale = quiz.pledge(db, "UW1", f"{rid}:0:{short}", "terminal")
    assert "誓約書の内容が更新されています" in stale.replies[0].text and store.pledges(db) == []
    done = quiz.pledge(db, "UW1", b.value, "terminal")
    assert "誓約を記録しました" in done.replies[0].text
    assert [o.user_id for o in done.outgoing] == ["ULEAD"]
    again = quiz.pledge(db, "UW1", b.value, "terminal")
    assert "記録済み" in again.replies[0].text
    [p] = store.pledges(db, "UW1")
    assert (p["pledge_id"], p["pledge_version"], p["via"]) == ("confidentiality", "1", "terminal")
    row = db.execute("SELECT text, text_sha256 FROM training_pledges").fetchone()
    assert quiz.text_hash(row[0]) == row[1] and row[1].startswith(short)
    assert "修了しています" in quiz.start(db, "UW1", None, "terminal").replies[0].text   # nothing more to do
    assert audit.verify(db).ok                                           # the records are chained


def test_a_contract_bound_by_two_documents_takes_both_banks(db):
    users(db, ["contract", "統合案件", "--doc", "yoshikawa", "--doc", "hozen"],
          ["add", "UW5", "--name", "作業五郎", "--contract", "統合案件", "--lead", "ULEAD"])
    t = quiz.start(db, "UW5", None, "terminal")
    [a] = store.attempts(db, "UW5")
    assert a["course_id"] == "yoshikawa+hozen"
    banks = {q["bank"] for q in store.attempt(db, a["id"])["questions"]}
    assert banks == {"yoshikawa", "hozen"}
    assert "吉川市 情報セキュリティ特記仕様書 研修・セキュリティ保全に係る事項 研修" in t.replies[0].text


def test_home_and_status_by_role(db):
    users(db, ["add", "UW2", "--name", "作業二郎", "--contract", "吉川市", "--lead", "ULEAD", "--start-date", "2026-11-20"])
    run(db, at("2026-11-16T10:00+09:00"))
    now = T("10:00")
    page = {s["id"]: s for s in home.home(db, "UW1")["sections"]}["training"]
    assert "状況: 未受講" in page["text"] and page["buttons"][0].label == "研修を始める"
    lead = {s["id"]: s for s in home.home(db, "ULEAD")["sections"]}["training"]
    assert "チームの研修: 修了 0 件／未修了 2 件（うち期限超過 1 件）" in lead["text"]
    assert "作業二郎さん" in lead["text"] and "作業一郎さん" in lead["text"]
    off = {s["id"]: s for s in home.home(db, "UOFF")["sections"]}["training"]
    assert "全員の研修" in off["text"] and "作業二郎さん" in off["text"] and "作業一郎さん" not in off["text"]
    assert "作業二郎さん" not in views.status_text(db, "UW1", now)
    assert "作業二郎さん" in views.status_text(db, "ULEAD", now)
    text = views.digest_part(db, "ULEAD", now)
    assert "研修の期限超過 — 1 件" in text and "作業二郎さん" in text and "第7条" in text
    assert views.digest_part(db, "UOFF", now) is not None               # the officer oversees everyone
    assert views.digest_part(db, "ULEAD", T("10:00", "2026-11-18")) is None


# ---- the command line and the terminal chat -------------------------------------------------


def test_training_status_and_courses_on_the_command_line(db, tmp_path):
    run(db, T("10:00"))
    r = run_mamoru(["training", "status", "--at", "2026-12-16T10:00+09:00"], tmp_path / "m.db")
    assert r.returncode == 0, r.stderr
    assert "作業一郎さん: 吉川市 情報セキュリティ特記仕様書 研修 — 未受講・期限超過" in r.stdout
    r = run_mamoru(["training", "status", "--overdue", "--at", "2026-12-02T10:00+09:00"], tmp_path / "m.db")
    assert "期限を過ぎている方はいません" in r.stdout
    r = run_mamoru(["training", "courses"], tmp_path / "m.db")
    assert "吉川市 情報セキュリティ特記仕様書 第7条" in r.stdout and "誓約書: confidentiality" in r.stdout


class Chat:
    """`mamoru chat --as U…` as a process, read line by line while it runs."""

    def __init__(self, db_path, user):
        import os

        env = dict(os.environ, MAMORU_DB=str(db_path), PYTHONIOENCODING="utf-8")
        for k in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_URL", "MAMORU_NOW"):
            env.pop(k, None)
        self.p = subprocess.Popen([MAMORU, "chat", "--as", user], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True, encoding="utf-8", env=env, cwd=ROOT, bufsize=1)
        self.q: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.p.stdout:
            self.q.put(line.rstrip("\n"))
        self.q.put(None)

    def send(self, text: str):
        self.p.stdin.write(text + "\n")
        self.p.stdin.flush()

    def until(self, pred, timeout=60) -> list[str]:
        lines = []
        while True:
            line = self.q.get(timeout=timeout)
            if line is None:
                raise AssertionError("chat ended:\n" + "\n".join(lines))
            lines.append(line)
            if pred(line):
                return lines

    def close(self):
        self.send("終了")
        self.p.wait(30)


def test_terminal_chat_takes_the_quiz_by_number_and_pledges(db, tmp_path):
    prompts = {q.prompt: q for b in content.load().banks.values() for q in b.questions}
    chat = Chat(tmp_path / "m.db", "UW1")
    try:
        chat.until(lambda s: "終了するには" in s)
        chat.send("研修")
        answered = 0
        while True:
            lines = chat.until(lambda s: "番号を入力すると押せます" in s)
            choices = lines[-1]
            if "誓約します" in choices:
                break
            q = next(prompts[s] for s in lines if s in prompts)
            labels = dict(re.findall(r"\[(\d+)\] (.+?)(?=  \[\d+\]|  ←)", choices))
            n = next(k for k, label in labels.items()
                     if label.endswith(q.answer) or (q.kind == "truefalse" and label.startswith(q.answer)))
            chat.send(n)
            answered += 1
        assert answered == 10
        assert any("10問中10問正解（100%）" in s for s in lines)
        chat.send("1")
        lines = chat.until(lambda s: "責任花子さん［ULEAD］への通知" in s)
        assert any("誓約を記録しました" in s for s in lines)
    finally:
        chat.close()
    [p] = store.pledges(db, "UW1")
    assert p["via"] == "terminal"
    assert [r["via"] for r in store.results(db, "UW1")] == ["terminal"]


def test_a_deployment_adds_its_own_course_for_a_named_contract(db, tmp_path, monkeypatch):
    extra = tmp_path / "own"
    extra.mkdir()
    (extra / "bank-own.toml").write_text(
        '[bank]\nid = "own"\ntitle = "自社追加"\ndocument = "hozen"\n\n'
        + "".join(f'[[questions]]\nid = "own-{n}"\ntopic = "desk"\nkind = "truefalse"\nclauses = ["hozen:s3.p1.i1.s7"]\n'
                  f'prompt = "席を離れるときは端末をロックする（場面{n}）。"\nanswer = "○"\n'
                  'explanation = "「離席時における端末機等ロックの励行」が定められています。"\n\n' for n in range(3)),
        encoding="utf-8")
    (extra / "course-own.toml").write_text(
        '[course]\nid = "own"\ntitle = "自社の案件の研修"\ncontracts = ["自社案件"]\nbanks = ["own"]\n'
        'questions_per_attempt = 3\npass_percent = 100\nbasis = ["hozen:s3.p1"]\n', encoding="utf-8")
    monkeypatch.setenv("MAMORU_TRAINING_DIR", str(extra))
    users(db, ["contract", "自社案件", "--doc", "hozen"],
          ["add", "UW6", "--name", "作業六郎", "--contract", "自社案件", "--lead", "ULEAD"])
    first = quiz.start(db, "UW6", None, "terminal")
    assert "研修「自社の案件の研修」を始めます。全3問、合格点は100%です" in first.replies[0].text
    turn = play(db, "UW6")
    assert "3問中3問正解（100%）" in turn.replies[-1].text
    assert [a["course_id"] for a in store.assignments(db, "UW6")] == ["own"]


def test_the_overdue_list_is_shared_by_a_pass_and_dropped_by_any_write(db, tmp_path):
    from handlers.training import views

    run(db, at("2026-12-01T10:00+09:00"))                                # assigned, due 12/15
    late = at("2026-12-16T10:00+09:00")
    first = views._overdue(db, late)
    assert [t.user_id for t in first] == ["UW1"]
    assert views._overdue(db, late) is first                              # the same pass: computed once
    assert "作業一郎さん" in views.digest_part(db, "ULEAD", late)
    users(db, ["remove", "UW1"])                                          # this connection writes
    assert views._overdue(db, late) == []
    other = open_db(tmp_path / "m.db")                                    # another process writes
    users(other, ["add", "UW1", "--name", "作業一郎", "--contract", "吉川市", "--lead", "ULEAD",
                  "--start-date", "2026-12-15"])
    assert [t.user_id for t in views._overdue(db, late)] == ["UW1"]


def test_a_deadline_not_yet_written_counts_from_the_registration_and_stays_put(db):
    """Nobody ran a notices pass: the deadline shown is the registration day + due_days whatever the day
    it is asked (it was the day asked + due_days), a rename of the contract does not restart it, and the
    assignment written later carries the same date."""
    from handlers import contracts

    status, reply = people.run_users(db, "cli", ["add", "UW5", "--name", "作業五郎", "--contract", "吉川市",
                                                 "--lead", "ULEAD"], "cli", now=T("15:00", "2026-11-20"))
    assert status == 0, reply.text
    dues = {d: state.tracks_of(db, "UW5", T("10:00", d))[0].due.isoformat()
            for d in ("2026-11-20", "2026-11-23", "2026-11-26", "2026-11-27")}
    assert set(dues.values()) == {"2026-11-27"}, dues
    contracts.rename(db, "吉川市", "吉川市役所", actor="cli", via="cli", at=T("09:00", "2026-11-25").isoformat())
    assert state.tracks_of(db, "UW5", T("10:00", "2026-11-26"))[0].due.isoformat() == "2026-11-27"
    run(db, T("10:00", "2026-11-26"))
    assert [a["due_date"] for a in store.assignments(db, "UW5")] == ["2026-11-27"]
    # written, it stays, and past it the person is overdue
    assert state.tracks_of(db, "UW5", T("10:00", "2026-12-01"))[0].due.isoformat() == "2026-11-27"


def test_a_roster_registered_long_before_the_training_starts_gets_a_deadline_ahead(db):
    """Registered on 11/2, first seen by the notices pass on 11/24 (mamoru went live, or the training was
    switched on, after the roster was loaded): the deadline written is 11/24 + due_days, not 11/9, which
    would greet the worker with an overdue notice; a start date still ahead stays the deadline."""
    for uid, name, extra in (("UW6", "作業六郎", []), ("UW7", "作業七子", ["--start-date", "2026-11-28"])):
        status, reply = people.run_users(db, "cli", ["add", uid, "--name", name, "--contract", "吉川市",
                                                     "--lead", "ULEAD", *extra], "cli", now=T("15:00", "2026-11-02"))
        assert status == 0, reply.text
    assert state.tracks_of(db, "UW6", T("10:00", "2026-11-05"))[0].due.isoformat() == "2026-11-09"
    run(db, T("10:00", "2026-11-24"))
    assert [a["due_date"] for a in store.assignments(db, "UW6")] == ["2026-12-01"]
    assert [a["due_date"] for a in store.assignments(db, "UW7")] == ["2026-11-28"]
    assert views._overdue(db, T("10:00", "2026-11-24")) == []
