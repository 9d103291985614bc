"""Questions the rules do not answer: routed to a person, answered, remembered; feedback and gaps.

Public API (Slack-agnostic):
    route_question(db, asker_id, question, clause_ids, reason, *, via="slack_button") -> (Reply, [Outgoing])
    answer_routed(db, responder_id, routed_id, answer_text, clause_ids, via) -> (Reply, [Outgoing])
    prior_answer(db, question) -> dict | None
    record_feedback(db, user_id, question, clause_id, helpful, via) -> Reply
    gaps(db) -> list[dict]
    open_questions(db, asker_id) / unanswered(db) -> list[dict]   (for App Home)
    may_answer(db, responder_id, routed) -> bool   (the current roster: answering, reminders, App Home)
    similarity(a, b) -> float, normalize_question(q) -> str

`reason` is one of REASONS: "asked" (the person pressed 「担当者に聞く」), "not_found" (no matching
rule), "unhelpful" (the answer did not help). Every optional `now=` exists for tests and replays.
"""
from __future__ import annotations

import datetime as _dt
import re

import sqlite_utils
from rapidfuzz import fuzz

from handlers import people, workdays
from handlers.replies import Button, Outgoing, Reply
from knowledge.textnorm import word_chars
from storage import kb as kb_store
from storage import questions as store
from storage.people import transaction

ACTION_ANSWER = "routing_answer"
REASONS = {"asked": "担当者への確認を希望されました", "not_found": "該当する規定が見つかりませんでした",
           "unhelpful": "規定の回答が役に立たなかったとのことです"}

# Two questions count as "the same question" at SIMILAR_THRESHOLD or above (0–100).
# similarity() averages rapidfuzz's ratio on the whole normalised question with the ratio on its
# content characters alone (kanji, katakana, latin: hiragana particles and endings dropped).
# The whole-text ratio alone scores shared boilerplate high: 「USBメモリをなくしたら…」 vs
# 「ICカードをなくしたら…」 is 70, 「個人のスマホで業務メールを…」 vs 「個人のスマホで写真を…」 71;
# the content ratio pulls those to 35 and 62. Paraphrases of one question (を/は, 紛失/なくした,
# 個人の/私用, an added 市の) score 84–95. 75 keeps a margin of 9+ on both sides on our samples
# (tests/test_routing.py pins them). Offering a stored answer to a different question would
# mislead, so the threshold errs towards precision; synonyms the characters do not share
# (テレワーク/在宅勤務) are missed and simply get routed again.
SIMILAR_THRESHOLD = 75.0

# Limits on what a person's words may cost others (issue 13): a question is capped everywhere; an
# unregistered person may ask (the answers are public rules) but what they write reaches a person
# and the records only this far and this often.
MAX_QUESTION = 1000
UNREGISTERED_MAX_QUESTION = 300
UNREGISTERED_PER_DAY = 3
MAX_FEEDBACK_PER_DAY = 200          # feedback clicks a person may record in 24 hours
UNREGISTERED_FEEDBACK_PER_DAY = 10

_ENDING = re.compile(r"(のでしょうか|でしょうか|ですか|ますか|ませんか|でしょう|ですよね|よね|か|ね|よ)$")
_HIRAGANA = re.compile(r"[\u3041-\u3096]+")


def _mask(text: str):
    """handlers.incident.mask.mask (imported here: the incident package imports the notices, which import us)."""
    from handlers.incident import mask

    return mask.mask(text)


def normalize_question(question: str) -> str:
    """NFKC, lower case, separators and punctuation dropped, polite question endings stripped."""
    t = "".join(word_chars(question or ""))
    prev = None
    while prev != t:
        prev, t = t, _ENDING.sub("", t)
    return t


def similarity(a: str, b: str) -> float:
    """0–100; see SIMILAR_THRESHOLD. Arguments are raw or normalised questions."""
    na, nb = normalize_question(a), normalize_question(b)
    if not na or not nb:
        return 0.0
    ca, cb = _HIRAGANA.sub("", na), _HIRAGANA.sub("", nb)
    content = fuzz.ratio(ca, cb) if ca and cb else fuzz.ratio(na, nb)
    return (fuzz.ratio(na, nb) + content) / 2


def _ids(clause_ids) -> list[str]:
    if not clause_ids:
        return []
    if isinstance(clause_ids, str):
        clause_ids = re.split(r"[\s,、，]+", clause_ids)
    return list(dict.fromkeys(c.strip() for c in clause_ids if c and c.strip()))


def _citations(db, clause_ids: list[str]) -> list[str]:
    out = []
    for cid in clause_ids:
        c = kb_store.clause(db, cid)
        out.append(c["citation"] if c else cid)
    return out


def _routed_id(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


# ---- routing --------------------------------------------------------------------------------

def _about(db, person: dict | None, clause_ids: list[str]) -> list[str]:
    """The asker's contracts a question is about: those whose documents hold a clause the asker was shown
    (a worker on 吉川市 and 草加市 shown 草加市's clause asks about 草加市); all of them when the clauses
    say nothing (a declined question) or belong to none of them."""
    mine = list(person["contracts"]) if person else []
    slugs = {c.split(":", 1)[0] for c in clause_ids}
    about = [c for c in mine if slugs & set(people.contract_docs(db, c))]
    return about or mine


def _recipients(db, asker_id: str, contracts: list[str]) -> tuple[str | None, list[str]]:
    """(assignee, recipients): the asker's lead, else officers, else admins (never the asker). Not a lead on
    none of the contracts the question is about: another contract's question is not theirs to read."""
    p = people.get_person(db, asker_id)
    lead = p["lead_id"] if p else None
    lp = people.get_person(db, lead) if lead else None
    if lp and lp["role"] in people.APPROVERS and lead != asker_id and not people.lead_apart(lp, contracts):
        return lead, [lead]
    from storage import people as pstore

    for role in ("officer", "admin"):
        ids = [q["user_id"] for q in pstore.active(db, role=role) if q["user_id"] != asker_id]
        if ids:
            return None, ids
    return None, []


def _question_text(db, r: dict, *, lead_in: str) -> str:
    lines = [lead_in, "", f"質問: {r['question']}", f"理由: {REASONS.get(r['reason'], r['reason'])}"]
    if r["clause_ids"]:
        lines.append("案内した条項: " + "、".join(_citations(db, r["clause_ids"])))
    lines.append(f"受付: {workdays.format_jst(r['at'])}")
    return "\n".join(lines)


def route_question(db: sqlite_utils.Database, asker_id: str, question: str, clause_ids, reason: str,
                   *, via: str = "slack_button", now: _dt.datetime | None = None,
                   about_clauses=()) -> tuple[Reply, list[Outgoing]]:
    """Send the question to the asker's lead (else officers) with a 「回答する」 button.

    The same unanswered question from the same person is routed once (a double click sends nothing).
    about_clauses: clauses that tell which of the asker's contracts the question is about when none was
    shown to them (a question typed as 「担当者に聞く：…」); they are not shown to whoever answers.
    """
    asker_p = people.get_person(db, asker_id)
    limit = MAX_QUESTION if asker_p else UNREGISTERED_MAX_QUESTION
    raw = (question or "").strip()
    # personal data hidden before anything is stored, sent or chained; the text capped
    hidden = _mask(raw[:limit])
    question = hidden.text.strip()
    notes = []
    if len(raw) > limit:
        notes.append(f"ご質問が長いため、先頭の {limit:,} 文字だけをお送りしました。")
    if hidden.changed:
        notes.append(f"{hidden.labels()}と思われる部分は伏せ字にしてお送りしました。")
    note = ("\n※ " + "\n※ ".join(notes)) if notes else ""
    norm = normalize_question(question)
    if not norm:
        return Reply("質問の文章が空のため、担当者にお送りできませんでした。質問を文章で入力してください。", ephemeral=True), []
    reason = reason if reason in REASONS else "asked"
    clause_ids = _ids(clause_ids)
    with transaction(db):
        if asker_p is None:
            since = workdays.iso((now or workdays.now()) - _dt.timedelta(days=1))
            if store.routed_count_since(db, asker_id, since) >= UNREGISTERED_PER_DAY:
                return Reply("本日は担当者へのご質問をこれ以上お送りできません（mamoru に登録されていない方は1日 "
                             f"{UNREGISTERED_PER_DAY} 件までです）。規定についてのご質問には、引き続き規定からお答えします。"
                             "登録については作業責任者または管理者にご相談ください。", ephemeral=True), []
        dup = store.open_by_asker_norm(db, asker_id, norm)
        if dup:
            who = "、".join(f"{people.display_name(db, r)}さん" for r in dup["recipients"]) or "担当者"
            return Reply(f"この質問は {workdays.format_jst(dup['at'])} に{who}へお送りしています。"
                         "回答が届くまでお待ちください。", ephemeral=True), []
        about = _about(db, asker_p, clause_ids or _ids(about_clauses))
        assignee, recipients = _recipients(db, asker_id, about)
        rid = store.add_routed(db, asker_id=asker_id, question=question, norm=norm, clause_ids=clause_ids,
                               reason=reason, assignee_id=assignee, recipients=recipients,
                               via=people._via(via), at=workdays.iso(now), contracts=about)
    r = store.routed(db, rid)
    if not recipients:
        return Reply("ご質問を記録しました。ただ、回答できる担当者（作業責任者・情報セキュリティ対策責任者）がまだ"
                     "登録されていないため、お送りできませんでした。管理者にご相談ください。" + note, ephemeral=True), []
    asker = people.display_name(db, asker_id)
    text = _question_text(db, r, lead_in=f"{asker}さんから、決まりについての質問が届きました。回答をお願いします。")
    out = [Outgoing(u, Reply(text, buttons=[Button("回答する", ACTION_ANSWER, str(rid), "primary")]),
                    key=f"routing:ask:{rid}:{u}") for u in recipients]
    who = "、".join(f"{people.display_name(db, u)}さん" for u in recipients)
    return Reply(f"ご質問を{who}にお送りしました。回答が届きましたらお知らせします。" + note, ephemeral=True), out


def may_answer(db, responder_id: str, r: dict) -> bool:
    """Who may answer, read from the CURRENT roster: officers and admins, and the asker's lead now
    (or the lead it was sent to, while still a lead on the asker's contract)."""
    if responder_id == people.CLI_ACTOR:
        return True
    p = people.get_person(db, responder_id)
    if not p:
        return False
    if p["role"] in ("officer", "admin"):
        return True
    if p["role"] != "lead":
        return False
    from handlers import access

    if access.same_team(db, p, r["asker_id"]) and not people.lead_apart(p, _contracts_of(db, r)):
        return True
    return (responder_id == r["assignee_id"] or responder_id in r["recipients"]) and bool(
        not p["contracts"] or _with_earlier(db, p["contracts"]) & set(_contracts_of(db, r)))


def refuse_answer(db: sqlite_utils.Database, responder_id: str, rid: int, via: str, *,
                  now: _dt.datetime | None = None) -> Reply:
    """The refusal to someone who may not answer (nor open the answer form of) routed question `rid`; recorded."""
    from storage import audit as astore

    astore.add_refusal(db, viewer_id=responder_id, subject_id=None, what=f"質問（番号 {rid}）への回答",
                       reason="not_concerned", via=people._via(via), at=workdays.iso(now))
    return Reply("申し訳ありませんが、この質問に回答できるのは、質問した方の作業責任者・情報セキュリティ対策責任者・"
                 "管理者の方です。このお断りは記録されました。", ephemeral=True)


def _with_earlier(db, contracts) -> set[str]:
    """A person's contracts with the names they had before a rename (questions keep the old name)."""
    from storage import people as pstore

    return pstore.with_earlier_names(db, contracts)


def _contracts_of(db, r: dict) -> list[str]:
    """The contracts a routed question belongs to: stored with it, else (older rows) the asker's latest."""
    if r.get("contracts"):
        return list(r["contracts"])
    from storage import people as pstore

    p = pstore.current(db, r["asker_id"])
    return list(p["contracts"]) if p else []


def answer_routed(db: sqlite_utils.Database, responder_id: str, routed_id, answer_text: str, clause_ids,
                  via: str, *, now: _dt.datetime | None = None) -> tuple[Reply, list[Outgoing]]:
    """Store the answer (linked to the clauses given, possibly none) and send it to the asker.

    A later different answer is a correction (a new record, sent again); the same answer twice
    is recorded once.
    """
    rid = _routed_id(routed_id)
    r = store.routed(db, rid) if rid is not None else None
    if r is None:
        return Reply(f"質問（番号 {routed_id}）が見つかりませんでした。", ephemeral=True), []
    if not may_answer(db, responder_id, r):
        return refuse_answer(db, responder_id, rid, via, now=now), []
    answer_text = _mask((answer_text or "").strip()[:MAX_QUESTION * 2]).text.strip()
    if not answer_text:
        return Reply("回答の文章が空です。回答を入力してください。", ephemeral=True), []
    ids = _ids(clause_ids)
    unknown = [c for c in ids if kb_store.clause(db, c) is None]
    if unknown:
        return Reply(f"条項「{'、'.join(unknown)}」が見つかりませんでした。条項IDは `mamoru kb show 文書スラッグ` で確認"
                     "できます（例: yoshikawa:a11.p1）。条項を付けずに回答することもできます。", ephemeral=True), []
    with transaction(db):
        prev = store.answers(db, rid)
        last = prev[-1] if prev else None
        if last and last["answer"] == answer_text and last["clause_ids"] == ids:
            return Reply("この回答は既にお送りしています。", ephemeral=True), []
        aid = store.add_answer(db, routed_id=rid, responder_id=responder_id, answer=answer_text, clause_ids=ids,
                               via=people._via(via), at=workdays.iso(now))
    asker = people.display_name(db, r["asker_id"])
    responder = f"{people.display_name(db, responder_id)}さん" if responder_id != people.CLI_ACTOR else "管理者"
    head = "ご質問への回答が更新されました。" if last else "ご質問への回答が届きました。"
    lines = [head, "", f"質問: {r['question']}", f"回答（{responder}）: {answer_text}"]
    if ids:
        lines.append("根拠: " + "、".join(_citations(db, ids)))
    lines.append(f"回答日時: {workdays.format_jst(workdays.iso(now))}")
    out = [Outgoing(r["asker_id"], Reply("\n".join(lines)), key=f"routing:answer:{aid}")]
    return Reply(f"回答を{asker}さんにお送りしました。似た質問が寄せられたときは、この回答を最初にご案内します。",
                 ephemeral=True), out


def prior_answer(db: sqlite_utils.Database, question: str, viewer_id: str | None = None, *,
                 channel: bool = False) -> dict | None:
    """The stored answer to the most similar earlier routed question OF THE VIEWER'S CONTRACTS, if
    similar enough. None in a channel (a lead's answer is the contract's, not the channel's), for an
    unregistered viewer, or when no viewer is given.

    Only the answer travels: never the earlier question, nor who asked it. Keys: routed_id, answer,
    clause_ids, citations, responder_id, responder_name, answered_at (ISO), score (0–100), text
    (a complete Japanese message to show first).
    """
    if channel or not viewer_id:
        return None
    me = people.get_person(db, viewer_id)
    mine = _with_earlier(db, me["contracts"]) if me else set()
    if not mine:
        return None
    norm = normalize_question(question)
    if not norm:
        return None
    scored = [(similarity(norm, r["norm"]), workdays.parse(r["answered_at"]), r)
              for r in store.all_routed(db, answered=True) if mine & set(_contracts_of(db, r))]
    scored = [t for t in scored if t[0] >= SIMILAR_THRESHOLD]
    if not scored:
        return None
    best_score, _, best = max(scored, key=lambda t: (t[0], t[1]))
    cites = _citations(db, best["answer_clause_ids"])
    name = people.display_name(db, best["responder_id"])
    text = (f"以前、似た質問に担当者が回答しています（{name}さん、{workdays.format_jst(best['answered_at'])}）。\n"
            f"回答: {best['answer']}" + (f"\n根拠: {'、'.join(cites)}" if cites else ""))
    return {"routed_id": best["id"], "answer": best["answer"],
            "clause_ids": best["answer_clause_ids"], "citations": cites, "responder_id": best["responder_id"],
            "responder_name": name, "answered_at": best["answered_at"], "score": round(best_score, 1), "text": text}


# ---- feedback and gaps ----------------------------------------------------------------------

def record_feedback(db: sqlite_utils.Database, user_id: str, question: str, clause_id: str | None, helpful: bool,
                    via: str, *, now: _dt.datetime | None = None) -> Reply:
    """「役に立った」/「役に立たなかった」. A double click records once; changing one's mind is a new record.
    The question is masked and capped; a person records at most so many a day (fewer if unregistered)."""
    registered = people.get_person(db, user_id) is not None
    cap = MAX_FEEDBACK_PER_DAY if registered else UNREGISTERED_FEEDBACK_PER_DAY
    since = workdays.iso((now or workdays.now()) - _dt.timedelta(days=1))
    if store.feedback_count_since(db, user_id, since) >= cap:
        return Reply("ご評価ありがとうございます。本日はこれ以上の評価を記録できません。", ephemeral=True)
    question = _mask((question or "").strip()[:MAX_QUESTION if registered else UNREGISTERED_MAX_QUESTION]).text
    store.add_feedback(db, user_id=user_id, question=(question or "").strip(), norm=normalize_question(question),
                       clause_id=(clause_id or "").strip(), helpful=bool(helpful), via=people._via(via),
                       at=workdays.iso(now))
    if helpful:
        return Reply("ご評価ありがとうございます。今後の回答の改善に役立てます。", ephemeral=True)
    return Reply("ご意見ありがとうございます。規定の案内が足りない点として、担当者が確認します。"
                 "回答が必要な場合は「担当者に聞く」を押してください。", ephemeral=True)


def gaps(db: sqlite_utils.Database) -> list[dict]:
    """Where the rules fall short: unhelpful feedback and routed questions, grouped by similarity.

    Each group: question (the latest wording), questions (distinct wordings), count, unhelpful,
    routed, not_found, askers (distinct people), clause_ids, latest_at (ISO), latest (JST text),
    answered (a routed question of the group has an answer), routed_ids.
    Unanswered groups first, then by count and recency.
    """
    items = []
    for f in store.current_feedback(db):
        if not f["helpful"]:
            items.append({"kind": "unhelpful", "question": f["question"], "norm": f["norm"], "user_id": f["user_id"],
                          "clause_ids": [f["clause_id"]] if f["clause_id"] else [], "at": f["at"]})
    for r in store.all_routed(db):
        items.append({"kind": "routed", "reason": r["reason"], "question": r["question"], "norm": r["norm"],
                      "user_id": r["asker_id"], "clause_ids": r["clause_ids"] + r["answer_clause_ids"], "at": r["at"],
                      "answered": r["answered"], "routed_id": r["id"]})
    items.sort(key=lambda i: workdays.parse(i["at"]))
    groups: list[dict] = []
    for it in items:
        if not it["norm"]:
            continue
        home = next((g for g in groups if any(similarity(it["norm"], n) >= SIMILAR_THRESHOLD for n in g["norms"])), None)
        if home is None:
            home = {"norms": [], "items": []}
            groups.append(home)
        home["norms"].append(it["norm"])
        home["items"].append(it)
    out = []
    for g in groups:
        its = g["items"]
        latest = max(its, key=lambda i: workdays.parse(i["at"]))
        routed = [i for i in its if i["kind"] == "routed"]
        out.append({
            "question": latest["question"],
            "questions": list(dict.fromkeys(i["question"] for i in its)),
            "count": len(its),
            "unhelpful": sum(1 for i in its if i["kind"] == "unhelpful"),
            "routed": len(routed),
            "not_found": sum(1 for i in routed if i["reason"] == "not_found"),
            "askers": len({i["user_id"] for i in its}),
            "clause_ids": sorted({c for i in its for c in i["clause_ids"]}),
            "latest_at": latest["at"],
            "latest": workdays.format_jst(latest["at"]),
            "answered": any(i["answered"] for i in routed),
            "routed_ids": [i["routed_id"] for i in routed],
        })
    out.sort(key=lambda g: (g["answered"], -g["count"], -workdays.parse(g["latest_at"]).timestamp()))
    return out


def gaps_text(db: sqlite_utils.Database, rows: list[dict] | None = None) -> str:
    rows = gaps(db) if rows is None else rows
    if not rows:
        return "規定の不足を示す記録（役に立たなかった回答、担当者への質問）はまだありません。"
    lines = [f"規定の不足の候補: {len(rows)} 件（未回答のものから順に表示しています）"]
    for n, g in enumerate(rows, 1):
        state = "回答済み" if g["answered"] else "未回答"
        lines.append(f"{n}. 【{state}】{g['question']}")
        lines.append(f"   件数 {g['count']}（役に立たなかった {g['unhelpful']}、担当者への質問 {g['routed']}"
                     f"（うち該当規定なし {g['not_found']}）、{g['askers']} 名）／最終 {g['latest']}")
        if len(g["questions"]) > 1:
            lines.append("   ほかの言い方: " + "／".join(q for q in g["questions"] if q != g["question"]))
        if g["clause_ids"]:
            lines.append("   関係する条項: " + "、".join(_citations(db, g["clause_ids"])))
    return "\n".join(lines)


# ---- for App Home and notices ---------------------------------------------------------------

def open_questions(db: sqlite_utils.Database, asker_id: str) -> list[dict]:
    """The person's own routed questions still waiting for an answer."""
    return store.all_routed(db, answered=False, asker_id=asker_id)


def unanswered(db: sqlite_utils.Database) -> list[dict]:
    return store.all_routed(db, answered=False)
