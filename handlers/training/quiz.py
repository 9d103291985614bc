"""The quiz in a DM: start or resume, one question at a time, immediate feedback, result, pledge.

Every function takes (db, user_id, …, via, now=None) and returns a Turn; nothing here knows Slack.
Button values:
- `training_start`: the course id (start, resume, retry or show the pledge — whatever is next);
- `training_answer`: "<attempt id>:<question index>:<choice index as shown>" — a press for a
  question already answered (an old message, a double tap, a retried delivery) records nothing and
  shows where the person really is;
- `training_pledge`: "<result id>:<pledge version>:<hash of the text shown>" — a press on a text
  that has changed since is not recorded: the current text is shown again.

The questions of an attempt are drawn when it starts and stored with it (choices in the order
shown, the right one, the clauses), so a restart resumes exactly and the record says what was asked.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import math
import random
import secrets

import sqlite_utils

from handlers import people, workdays
from handlers.replies import Button, Outgoing, Reply, Turn
from handlers.training import content, state
from handlers.training.state import Track
from storage import kb as kb_store
from storage import training as store

ACTION_START = "training_start"
ACTION_ANSWER = "training_answer"
ACTION_PLEDGE = "training_pledge"
LETTERS = "ABCDEFGHIJ"
TF_LABELS = {"○": "○ 正しい", "×": "× 誤り"}
MISSED_SHARE = 0.5        # of a retry's questions, up to this share are ones missed last time
WEIGHT_UNSEEN, WEIGHT_MISSED, WEIGHT_KNOWN = 3.0, 4.0, 1.0


# ---- clauses ------------------------------------------------------------------------------------

def clause(db: sqlite_utils.Database, clause_id: str) -> dict | None:
    return kb_store.clause(db, clause_id)


def quotes(db: sqlite_utils.Database, clause_ids, limit: int = 400) -> list[str]:
    """「clause text」（citation） for each clause that is loaded."""
    out = []
    for cid in clause_ids:
        c = clause(db, cid)
        if c and c["text"]:
            text = c["text"] if len(c["text"]) <= limit else c["text"][: limit - 1] + "…"
            out.append(f"「{text}」（{c['citation']}）")
    return out


def basis_citation(db: sqlite_utils.Database, course: content.Course) -> str:
    """The clauses requiring the training, cited (e.g. 吉川市 情報セキュリティ特記仕様書 第7条)."""
    cites = [c["citation"] for c in (clause(db, cid) for cid in course.basis) if c]
    return "、".join(cites)


def _rule(db, course: content.Course) -> str:
    cite = basis_citation(db, course)
    return f"（根拠: {cite}）" if cite else ""


# ---- drawing an attempt -------------------------------------------------------------------------

def _usable(db: sqlite_utils.Database, q: content.Question) -> bool:
    return all(clause(db, cid) is not None for cid in q.clauses)


def draw(db: sqlite_utils.Database, course: content.Course, previous: list[dict],
         rng: random.Random | None = None) -> list[dict]:
    """The questions of a new attempt, each with its choices in the order to show.

    `previous`: the earlier attempts of this cycle (with their answers). A retry after failing
    takes up to half of its questions from those missed last time, and fills the rest by a
    weighted draw (never asked 3, missed before 4, answered right before 1) that first covers as
    many topics as it can with questions not yet answered right. The order of questions and of choices is shuffled every time.
    """
    rng = rng or random.Random(secrets.randbits(64))
    pool = [q for q in content.load().questions(course) if _usable(db, q)]
    n = min(course.questions_per_attempt, len(pool))
    asked, wrong_ever, right_ever = set(), set(), set()
    for a in previous:
        for ans in a.get("answers", []):
            asked.add(ans["question_id"])
            (right_ever if ans["correct"] else wrong_ever).add(ans["question_id"])
    finished = [a for a in previous if len(a.get("answers", [])) >= a["total"]]
    missed = {x["question_id"] for x in finished[-1]["answers"] if not x["correct"]} if finished else set()

    chosen: list[content.Question] = []
    if missed:
        m = [q for q in pool if q.id in missed]
        rng.shuffle(m)
        chosen += m[: min(len(m), max(1, math.ceil(n * MISSED_SHARE)), n)]

    def weight(q):
        if q.id not in asked:
            return WEIGHT_UNSEEN
        return WEIGHT_MISSED if q.id in wrong_ever and q.id not in right_ever else WEIGHT_KNOWN

    rest = [q for q in pool if q not in chosen]
    keyed = sorted(rest, key=lambda q: rng.random() ** (1.0 / weight(q)), reverse=True)
    covered = {q.topic for q in chosen}
    for q in keyed:                              # first one per topic not yet covered (not already known)
        if len(chosen) >= n:
            break
        if q.topic not in covered and weight(q) > WEIGHT_KNOWN:
            chosen.append(q)
            covered.add(q.topic)
    for q in keyed:                              # then the best of the rest
        if len(chosen) >= n:
            break
        if q not in chosen:
            chosen.append(q)
    rng.shuffle(chosen)

    out = []
    for q in chosen:
        order = list(range(len(q.choices)))
        if q.kind == "choice":
            rng.shuffle(order)
        shown = [q.choices[i] for i in order]
        out.append({"id": q.id, "bank": q.bank, "topic": q.topic, "kind": q.kind, "prompt": q.prompt,
                    "choices": shown, "answer": shown.index(q.answer), "clauses": list(q.clauses),
                    "explanation": q.explanation})
    return out


# ---- messages -----------------------------------------------------------------------------------

def _label(q: dict, k: int) -> str:
    if q["kind"] == "truefalse":
        return TF_LABELS.get(q["choices"][k], q["choices"][k])
    return f"{LETTERS[k]}. {q['choices'][k]}"


def answer_value(attempt_id: int, idx: int, choice: int) -> str:
    return f"{attempt_id}:{idx}:{choice}"


def course_title(db, att: dict) -> str:
    """The course's title (a merged course's id is its courses' ids joined by "+")."""
    courses = content.load().courses
    titles = [courses[i].title for i in att["course_id"].split("+") if i in courses]
    return "・".join(titles) or att["course_id"]


def question_reply(db: sqlite_utils.Database, att: dict, idx: int, lead: str = "") -> Reply:
    q = att["questions"][idx]
    head = f"【研修】{course_title(db, att)}　第{idx + 1}問／全{att['total']}問"
    lines = [lead, head, "", q["prompt"], ""] if lead else [head, "", q["prompt"], ""]
    if q["kind"] == "truefalse":
        lines.append("この説明は正しいですか。「○ 正しい」か「× 誤り」のボタンで（「○」「×」と送っても）お答えください。")
    else:
        lines += [_label(q, k) for k in range(len(q["choices"]))]
        lines += ["", "正しいものを一つ、ボタンで選んでください（「B」や「2」のように記号か番号を送っても回答できます）。"]
    buttons = [Button(_label(q, k), ACTION_ANSWER, answer_value(att["id"], idx, k)) for k in range(len(q["choices"]))]
    return Reply("\n".join(lines), buttons=buttons)


def feedback_text(db: sqlite_utils.Database, att: dict, idx: int, choice: int) -> str:
    q = att["questions"][idx]
    right = q["answer"]
    if choice == right:
        head = f"第{idx + 1}問: 正解です。"
    else:
        head = f"第{idx + 1}問: 不正解です。正解は「{_label(q, right)}」です（あなたの回答: {_label(q, choice)}）。"
    lines = [head, f"解説: {q['explanation']}"]
    cited = quotes(db, q["clauses"])
    if cited:
        lines.append("根拠の条文:")
        lines += [f"・{c}" for c in cited]
    return "\n".join(lines)


def _percent(correct: int, total: int) -> int:
    return math.floor(correct * 100 / total) if total else 0


def score_text(r: dict) -> str:
    return f"{r['total']}問中{r['correct']}問正解（{_percent(r['correct'], r['total'])}%）"


def result_text(db, att: dict, r: dict, answers: list[dict]) -> str:
    lines = [f"研修の結果: {score_text(r)}。合格点は{r['pass_percent']}%です。"]
    if r["passed"]:
        lines[0] += "合格です。おつかれさまでした。"
        lines.append(f"合格の有効期限: {workdays.format_date(r['valid_until'])}")
    else:
        lines[0] += "今回は不合格です。"
        missed = [att["questions"][a["idx"]] for a in answers if not a["correct"]]
        topics = list(dict.fromkeys(content.TOPICS.get(q["topic"], q["topic"]) for q in missed))
        if topics:
            lines.append(f"間違えた問題の分野: {'、'.join(topics)}")
        lines.append("もう一度受講できます。次の回は、間違えた問題を中心に、新しく抽選した問題を出題します。")
    return "\n".join(lines)


# ---- the pledge ---------------------------------------------------------------------------------

def pledge_of(course: content.Course) -> content.Pledge:
    return content.load().pledges[course.pledge]


def pledge_text(db: sqlite_utils.Database, contract: str, pledge: content.Pledge) -> str:
    """The pledge as shown: title and version, the text for this contract, the clauses of the
    contract's own documents quoted (knowledge/basis.py: theirs on keeping secrets when they hold none of
    the listed ones; all listed ones for a contract with no document)."""
    from knowledge import basis

    slugs = people.contract_docs(db, contract)
    mine = (basis.clauses(db, pledge.clauses, slugs)       # every listed one of theirs (all, without documents)
            or basis.clauses(db, (), slugs, concepts=pledge.concepts, text=pledge.text, limit=3))
    mine = [c for c in mine if c["text"]]
    lines = [f"{pledge.title}（第{pledge.version}版）", "", pledge.text.replace("{contract}", contract), ""]
    if mine:
        lines.append("根拠となる規定:")
        lines += [f"・「{c['text']}」（{c['citation']}）" for c in mine]
    return "\n".join(lines)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def pledge_reply(db, t: Track, result: dict, opening: str = "") -> Reply:
    pledge = pledge_of(t.course)
    text = pledge_text(db, t.contract, pledge)
    value = f"{result['id']}:{pledge.version}:{text_hash(text)[:16]}"
    intro = (opening + "\n\n" if opening else "") + (
        "続いて、秘密保持に関する誓約をお願いします。次の誓約書をお読みいただき、内容に同意される場合は"
        "「誓約します」を押してください。誓約した日時と誓約書の版が記録されます。\n\n")
    return Reply(intro + text, buttons=[Button("誓約します", ACTION_PLEDGE, value, "primary")])


# ---- gate and lookup ----------------------------------------------------------------------------

def _gate(db, user_id: str) -> Turn | None:
    refusal = people.require_worker(db, user_id)
    return Turn().add(refusal) if refusal else None


def no_course_text(db, person: dict) -> str:
    if not person["contracts"]:
        return ("研修は、案件ごとの規定から出題します。まだ案件が設定されていないため、研修を始められません。"
                "管理者に案件の設定をご依頼ください。")
    return (f"案件「{'、'.join(person['contracts'])}」の規定に対応する研修は、まだ用意されていません。"
            "研修の準備については作業責任者にお問い合わせください。")


def _pick(tracks: list[Track], course_id: str | None) -> Track:
    if course_id:
        for t in tracks:
            if t.course.id == course_id:
                return t
    for t in tracks:
        if not t.complete or t.need is not None:
            return t
    return tracks[0]


def _now(now):
    return workdays.local(now or state.clock())


# ---- start / resume -----------------------------------------------------------------------------

def start(db: sqlite_utils.Database, user_id: str, course_id: str | None, via: str,
          now: _dt.datetime | None = None) -> Turn:
    """「研修を始める」/「研修を続ける」/「もう一度受ける」/「研修」: whatever comes next for the person."""
    gate = _gate(db, user_id)
    if gate:
        return gate
    now = _now(now)
    person = people.get_person(db, user_id)
    tracks = state.tracks_of(db, user_id, now)
    if not tracks:
        return Turn().add(Reply(no_course_text(db, person)))
    t = _pick(tracks, (course_id or "").strip() or None)
    with store.transaction(db):
        if t.need is not None:
            state.ensure(db, t, actor=user_id, via=via, now=now)
            t = _pick(state.tracks_of(db, user_id, now), t.course.id)
        st = t.state
        if st == "done":
            return Turn().add(Reply(done_text(db, t)))
        if st == "pledge":
            return Turn().add(pledge_reply(db, t, t.passed, "研修には合格されています。"))
        if st == "in_progress":
            att = store.attempt(db, t.open_attempt["id"])
            idx = store.answer_count(db, att["id"])
            lead = f"研修の続きから再開します（{idx}問まで回答済み）。" if idx else "研修を再開します。"
            return Turn().add(question_reply(db, att, idx, lead), (), user_id)
        previous = store.attempts_full(db, user_id, t.course.id, t.cycle)
        number = len(previous) + 1
        questions = draw(db, t.course, previous)
        if not questions:
            return Turn().add(Reply("申し訳ありません。この研修の問題が読み込めないため、研修を始められません。"
                                    "作業責任者または管理者にお知らせください。"))
        aid, created = store.create_attempt(
            db, assignment_id=t.assignment["id"], user_id=user_id, course_id=t.course.id, cycle=t.cycle,
            number=number, questions=questions, pass_percent=t.course.pass_percent, via=via, at=workdays.iso(now))
        att = store.attempt(db, aid)
    idx = store.answer_count(db, aid)
    if not created:
        return Turn().add(question_reply(db, att, idx, "研修を再開します。"), (), user_id)
    if number == 1:
        lead = (f"研修「{course_title(db, att)}」を始めます。全{att['total']}問、合格点は{att['pass_percent']}%です"
                f"{_rule(db, t.course)}。\n一問ずつお答えください。途中でやめても、「研修」と送るかホームタブの"
                "「研修を続ける」で続きから再開できます。期限は"
                f" {workdays.format_date(t.due)} です。")
    else:
        lead = (f"研修「{course_title(db, att)}」の{number}回目を始めます。全{att['total']}問、合格点は"
                f"{att['pass_percent']}%です。前回間違えた問題を中心に、新しく抽選しました。")
    return Turn().add(question_reply(db, att, 0, lead), (), user_id)


def done_text(db, t: Track) -> str:
    p, pl = t.passed, t.pledge
    return (f"研修「{t.course.title}」は修了しています（{workdays.format_jst(p['at'])} 合格、{score_text(p)}、"
            f"{workdays.format_jst(pl['at'])} 誓約）。合格の有効期限は {workdays.format_date(p['valid_until'])} です。"
            "期限が近づきましたら、更新の研修をご案内します。")


# ---- an answer ----------------------------------------------------------------------------------

def _parse_answer(value: str) -> tuple[int, int, int] | None:
    try:
        a, i, c = (int(x) for x in (value or "").split(":"))
        return a, i, c
    except ValueError:
        return None


def _where_now(db, user_id: str, att: dict, note: str, now) -> Turn:
    """A press that records nothing: say so, and show what comes next."""
    turn = Turn()
    res = store.result_of_attempt(db, att["id"])
    if res is None:
        idx = store.answer_count(db, att["id"])
        return turn.add(question_reply(db, att, idx, note))
    tracks = state.tracks_of(db, user_id, now)
    t = _pick(tracks, att["course_id"]) if tracks else None
    if t and t.state == "pledge" and t.cycle == att["cycle"]:
        return turn.add(pledge_reply(db, t, t.passed, note + "\n" + result_text(db, att, res, store.answers(db, att["id"]))))
    if t and t.state == "done" and t.cycle == att["cycle"]:
        return turn.add(Reply(note + "\n" + done_text(db, t)))
    if t and t.open_attempt and t.open_attempt["id"] != att["id"]:
        return turn.add(Reply(note + "\n新しい回の研修が進行中です。「研修を続ける」で続きをどうぞ。",
                              buttons=[Button("研修を続ける", ACTION_START, t.course.id, "primary")]))
    buttons = [Button("もう一度受ける", ACTION_START, att["course_id"], "primary")] if not res["passed"] else []
    return turn.add(Reply(note + "\n" + result_text(db, att, res, store.answers(db, att["id"])), buttons=buttons))


def answer(db: sqlite_utils.Database, user_id: str, value: str, via: str, now: _dt.datetime | None = None) -> Turn:
    """A choice button: record the answer once, give feedback, then the next question or the result."""
    now = _now(now)
    parsed = _parse_answer(value)
    att = store.attempt(db, parsed[0]) if parsed else None
    if att is None or att["user_id"] != user_id:
        return Turn().add(Reply("このボタンはご利用いただけません（この研修はあなたのものではないか、見つかりませんでした）。"
                                "「研修」と送ると、ご自身の研修を始められます。"))
    _, idx, choice = parsed
    with store.transaction(db):
        answered = store.answer_count(db, att["id"])
        done = store.result_of_attempt(db, att["id"]) is not None
        if done or idx != answered or not 0 <= choice < len(att["questions"][idx]["choices"]):
            stale = True
        else:
            q = att["questions"][idx]
            stale = not store.record_answer(db, attempt_id=att["id"], user_id=user_id, idx=idx, question_id=q["id"],
                                            choice=choice, choice_text=q["choices"][choice],
                                            correct=choice == q["answer"], via=via, at=workdays.iso(now))
        result = None
        if not stale and idx + 1 == att["total"]:
            rows = store.answers(db, att["id"])
            correct = sum(r["correct"] for r in rows)
            passed = correct * 100 >= att["pass_percent"] * att["total"]
            course = content.course_by_id(db, att["course_id"], store.assignment(db, att["assignment_id"])["contract"])
            valid_days = course.valid_days if course else content.DEFAULTS["valid_days"]
            until = (now.date() + _dt.timedelta(days=valid_days)).isoformat() if passed else None
            rid, _ = store.record_result(db, attempt_id=att["id"], user_id=user_id, course_id=att["course_id"],
                                         cycle=att["cycle"], correct=correct, total=att["total"],
                                         pass_percent=att["pass_percent"], passed=passed, valid_until=until, via=via,
                                         at=workdays.iso(now))
            result = store.result(db, rid)
    if stale:
        if idx < answered:
            note = f"第{idx + 1}問には既に回答済みです（回答は最初の一回だけが記録されます）。"
        else:
            note = "このボタンの問題は、いまの問題ではありません。"
        return _where_now(db, user_id, att, note, now)
    fb = feedback_text(db, att, idx, choice)
    turn = Turn()
    if result is None:
        return turn.add(question_reply(db, att, idx + 1, fb), (), user_id)
    summary = result_text(db, att, result, store.answers(db, att["id"]))
    if result["passed"]:
        t = _pick(state.tracks_of(db, user_id, now), att["course_id"])
        return turn.add(pledge_reply(db, t, result, fb + "\n\n" + summary), (), user_id)
    return turn.add(Reply(fb + "\n\n" + summary,
                          buttons=[Button("もう一度受ける", ACTION_START, att["course_id"], "primary")]), (), user_id)


# ---- the pledge button --------------------------------------------------------------------------

def _lead_of(db, person: dict) -> list[str]:
    lead = people.get_person(db, person["lead_id"]) if person.get("lead_id") else None
    return [lead["user_id"]] if lead and lead["role"] in people.APPROVERS else []


def pledge(db: sqlite_utils.Database, user_id: str, value: str, via: str, now: _dt.datetime | None = None) -> Turn:
    """「誓約します」: record who pledged to which version of which text, and when (once)."""
    gate = _gate(db, user_id)
    if gate:
        return gate
    now = _now(now)
    try:
        rid_s, version, short = (value or "").split(":", 2)
        rid = int(rid_s)
    except ValueError:
        rid, version, short = 0, "", ""
    res = store.result(db, rid) if rid else None
    if res is None or res["user_id"] != user_id or not res["passed"]:
        return Turn().add(Reply("このボタンはご利用いただけません。「研修」と送ると、ご自身の研修の状況をご確認いただけます。"))
    tracks = state.tracks_of(db, user_id, now)
    t = next((x for x in tracks if x.course.id == res["course_id"]), None)
    already = store.pledge_of_result(db, rid)
    if already:
        return Turn().add(Reply(f"この合格については、{workdays.format_jst(already['at'])} に誓約を記録済みです"
                                f"（{pledge_of_title(already)}）。重ねて記録はしていません。"))
    if t is None or t.cycle != res["cycle"]:
        return Turn().add(Reply("この合格は、現在の研修（ご担当の案件の、いまの回）のものではないため、誓約を記録できませんでした。"
                                "「研修」と送ると、いまの研修の状況をご確認いただけます。"))
    pl = pledge_of(t.course)
    text = pledge_text(db, t.contract, pl)
    if version != pl.version or text_hash(text)[:16] != short:
        return Turn().add(pledge_reply(db, t, res, "誓約書の内容が更新されています。お手数ですが、最新の誓約書をお読みのうえ、"
                                                 "改めて「誓約します」を押してください。"))
    person = t.person
    with store.transaction(db):
        created = store.record_pledge(db, result_id=rid, user_id=user_id, pledge_id=pl.id, pledge_version=pl.version,
                                      text_sha256=text_hash(text), text=text, via=via, at=workdays.iso(now))
    row = store.pledge_of_result(db, rid)
    if not created:
        return Turn().add(Reply(f"誓約は {workdays.format_jst(row['at'])} に記録済みです。重ねて記録はしていません。"))
    cite = basis_citation(db, t.course)
    out = [Outgoing(lead, Reply(
        f"{person['name']}さんが研修「{t.course.title}」を修了しました（{score_text(res)}、合格点 {res['pass_percent']}%、"
        f"{workdays.format_jst(row['at'])} に{pl.title}（第{pl.version}版）へ誓約）。"
        + (f"事前の教育・研修と記録の保管が求められています（{cite}）。" if cite else "")),
        key=f"training:done:{rid}:{lead}") for lead in _lead_of(db, person)]
    return Turn().add(Reply(
        f"誓約を記録しました（{workdays.format_jst(row['at'])}、{pl.title} 第{pl.version}版）。"
        f"これで研修「{t.course.title}」はすべて完了です。ご協力ありがとうございました。\n"
        f"合格の有効期限は {workdays.format_date(res['valid_until'])} です。期限が近づきましたら、更新の研修をご案内します。"),
        out, user_id)


def pledge_of_title(row: dict) -> str:
    p = content.load().pledges.get(row["pledge_id"])
    return f"{p.title if p else row['pledge_id']} 第{row['pledge_version']}版"
