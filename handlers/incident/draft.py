"""The report conversation: one question at a time, stored at every step, resumable.

A draft is a session (storage.incidents) whose steps are replayed into a State:
answers so far, the question being asked (the cursor), a time awaiting confirmation, and
whether it was sent or cancelled. Every operation — an answer typed or pressed, 「戻る」,
「修正」, 「キャンセル」 — is one appended step, written inside one write transaction after
re-reading the state, so two messages at once, a retried event or an old button can never
answer the wrong question or record anything twice.

Cursor rules: after an answer, the first unanswered question of the type's sequence (so after
「戻る」 and a new answer the worker continues where they were); when none is left, the summary.
「戻る」 moves to the previous question in the sequence (from the summary: the last one).
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

import sqlite_utils

from handlers import people, workdays
from handlers.incident import answers as ans
from handlers.incident import common as C
from handlers.incident import content, dates, mask
from handlers.replies import Button, Outgoing, Reply, Turn
from knowledge import basis
from storage import incidents as store
from storage import people as pstore

BACK_WORDS = {"戻る", "もどる", "戻って", "戻ります", "back", "前へ", "前に戻る", "前の質問", "ひとつ前"}
CANCEL_WORDS = {"キャンセル", "きゃんせる", "中止", "やめる", "やめます", "やめた", "取り消し", "取消", "cancel", "報告をやめる"}
HELP_WORDS = {"help", "ヘルプ", "使い方", "へるぷ"}
SUBMIT_WORDS = {"送信", "送信する", "送信します", "送る", "送って", "submit"}
FIX_WORDS = {"修正", "修正する", "修正します", "直す", "訂正"}
KEEP_WORDS = {"このまま", "そのまま", "変更なし", "変えない"}
START_WORDS = {"インシデント報告", "事故報告", "incident", "インシデント", "事故", "報告したい", "報告します"}
# 「さっきの報告取り消したい」「やっぱりやめます」「前の質問に戻りたい」: a wish to stop or go back said in a sentence,
# not the exact word. It is asked back, never acted on: 「さっき」 had been read as the time of the incident, and
# a sentence about stopping may be an answer (what was tried) as well.
_WANTS_STOP = re.compile(r"^(?:やっぱり|やっぱ|やはり|すみません|すいません|ごめんなさい|あの|えっと|[、,\s])*"
                         r"(?:(?:この|その|さっきの|今の|いまの)?(?:報告|ほうこく|レポート|入力|事故報告|インシデント報告)(?:は|を|、)?)?"
                         r"(?:キャンセル|きゃんせる|取り消|とりけ|取消|やめ|中止|ちゅうし|なかったこと)"
                         r"[ぁ-んー]{0,12}$")
_WANTS_BACK = re.compile(r"^(?:やっぱり|すみません|すいません|[、,\s])*(?:ひとつ|一つ|1つ)?(?:前|まえ)(?:の質問)?(?:に|へ)"
                         r"(?:戻|もど)[ぁ-んー]{0,10}$")


@dataclass
class State:
    sid: int
    user_id: str
    preset: dict
    started_at: str
    last_at: str
    answers: dict[str, dict] = field(default_factory=dict)
    pending: tuple[str, dict] | None = None
    cursor: str = ""
    status: str | None = None          # None (open), "submit", "cancel"
    ref: str | None = None

    @property
    def type_id(self) -> str | None:
        a = self.answers.get("type")
        return a["v"] if a else None

    def proposal(self, qid: str) -> dict | None:
        p = (self.preset.get("proposals") or {}).get(qid)
        return p if p and qid not in self.answers else None


def _first_open(fl: content.Flow, answers: dict, type_id: str | None) -> str:
    for q in fl.sequence(type_id):
        if q.id not in answers:
            return q.id
    return "summary"


def _prev(fl: content.Flow, st: State) -> str:
    seq = [q.id for q in fl.sequence(st.type_id)]
    if st.cursor == "menu":
        return "summary"
    if st.cursor == "summary" or st.cursor not in seq:
        return seq[-1]
    i = seq.index(st.cursor)
    return seq[max(0, i - 1)]


def replay(fl: content.Flow, sess: dict, steps: list[dict]) -> State:
    st = State(sess["id"], sess["user_id"], sess["preset"] or {}, sess["at"], steps[-1]["at"] if steps else sess["at"])
    st.cursor = _first_open(fl, st.answers, None)
    for s in steps:
        op, q, v = s["op"], s["question"], s["value"]
        if op == "answer":
            st.answers[q] = v
            st.pending = None
            st.cursor = _first_open(fl, st.answers, st.type_id)
        elif op == "pending":
            st.pending = (q, v)
        elif op == "retry":
            st.pending = None
        elif op == "back":
            st.pending = None
            st.cursor = _prev(fl, st)
        elif op == "menu":
            st.pending = None
            st.cursor = "menu"
        elif op == "edit":
            st.pending = None
            st.cursor = q
        elif op == "summary":
            st.cursor = _first_open(fl, st.answers, st.type_id)
        elif op == "cancel":
            st.status = "cancel"
        elif op == "reopen":
            st.status = None
            st.cursor = _first_open(fl, st.answers, st.type_id)
        elif op == "submit":
            st.status = "submit"
            st.ref = (v or {}).get("ref")
    if st.cursor not in ("summary", "menu") and fl.question(st.cursor) is None:
        st.cursor = _first_open(fl, st.answers, st.type_id)
    return st


def load(db: sqlite_utils.Database, sid: int) -> State | None:
    sess = store.session(db, sid)
    if sess is None or sess["kind"] != "report":
        return None
    return replay(content.flow(), sess, store.steps(db, sid))


def _step(db, st: State, op: str, question: str = "", value=None, via: str = "cli") -> None:
    store.append_step(db, session_id=st.sid, op=op, question=question, value=value, via=C.via_of(via),
                      at=workdays.iso(C.now()))


# ---- rendering ------------------------------------------------------------------------------

def _nav(st: State, fl: content.Flow, q: str) -> list[Button]:
    seq = [x.id for x in fl.sequence(st.type_id)]
    out = []
    if not (q in seq and seq.index(q) == 0):
        out.append(Button("戻る", C.A_BACK, C.value(s=st.sid, q=q)))
    out.append(Button("キャンセル", C.A_CANCEL, C.value(s=st.sid, q=q), "danger"))
    return out


def contract_choices(db, user_id: str) -> list[str]:
    p = people.get_person(db, user_id)
    names = list(p["contracts"]) if p and p["contracts"] else [c["name"] for c in pstore.contracts(db)]
    return names[:20]


def question_reply(db, st: State, fl: content.Flow, lead: str = "") -> Reply:
    """The current step: a question, a time to confirm, the summary or the 「修正」 menu."""
    if st.cursor == "summary":
        return summary_reply(db, st, fl, lead)
    if st.cursor == "menu":
        return menu_reply(db, st, fl, lead)
    q = fl.question(st.cursor)
    seq = [x.id for x in fl.sequence(st.type_id)]
    if st.pending and st.pending[0] == q.id:
        w = st.pending[1]
        typed = f"「{w.get('text')}」は " if w.get("text") else ""
        text = (f"{lead}{_heading(q, seq)}\n{typed}「{w['d']}」と理解しました。これでよろしいですか。\n"
                "違う場合は「入力し直す」を押すか、日時をもう一度入力してください。")
        return Reply(text, [Button("はい", C.A_YES, C.value(s=st.sid, q=q.id), "primary"),
                            Button("入力し直す", C.A_RETRY, C.value(s=st.sid, q=q.id)), *_nav(st, fl, q.id)])
    lines = [f"{lead}{_heading(q, seq)}", q.prompt]
    buttons: list[Button] = []
    current = st.answers.get(q.id)
    proposal = st.proposal(q.id)
    if q.kind == "choice":
        guess = (st.preset.get("guess") if q.id == "type" else None)
        if guess and fl.type(guess) and current is None:
            lines.append(f"お書きの内容から「{fl.type(guess).label}」のようです。違う場合は、当てはまるものを選んでください。")
        for c in q.choices:
            style = "primary" if (guess == c.id and current is None) or (current and current["v"] == c.id) else None
            buttons.append(Button(c.label, C.A_CHOOSE, C.value(s=st.sid, q=q.id, c=c.id), style))
    elif q.kind == "contract":
        names = contract_choices(db, st.user_id)
        for n in names:
            buttons.append(Button(n[:75], C.A_CHOOSE, C.value(s=st.sid, q=q.id, c=n)))
        buttons.append(Button("分からない・該当なし", C.A_CHOOSE, C.value(s=st.sid, q=q.id, c="")))
        if not names:
            lines.append("（登録されている案件がありません。案件名を入力してください。）")
    elif q.kind == "datetime":
        buttons.append(Button("さっき（いま）", C.A_NOW, C.value(s=st.sid, q=q.id)))
        same = st.answers.get(q.same_as) if q.same_as else None
        if same and same.get("iso"):
            buttons.append(Button(f"{fl.question(q.same_as).label}と同じ", C.A_SAME, C.value(s=st.sid, q=q.id)))
        if q.allow_unknown:
            buttons.append(Button("不明", C.A_UNKNOWN, C.value(s=st.sid, q=q.id)))
    elif q.kind == "count":
        buttons.append(Button("不明", C.A_UNKNOWN, C.value(s=st.sid, q=q.id)))
    elif q.kind == "text":
        for i, qa in enumerate(q.quick):
            buttons.append(Button(qa[:75], C.A_QUICK, C.value(s=st.sid, q=q.id, i=i)))
    if current is not None:
        lines.append(f"現在の回答: {ans.short(current['d'])}\n変更しない場合は「このまま」を押してください。")
        buttons.append(Button("このまま", C.A_KEEP, C.value(s=st.sid, q=q.id), "primary"))
    elif proposal is not None:
        lines.append(f"{st.preset.get('proposal_note') or '最初のメッセージの内容'}:\n{ans.short(proposal['d'])}\n"
                     "この内容でよければ「この内容で回答」を押してください。書き直す場合は、そのまま入力してください。")
        buttons.append(Button("この内容で回答", C.A_KEEP, C.value(s=st.sid, q=q.id), "primary"))
    return Reply("\n".join(x for x in lines if x), buttons + _nav(st, fl, q.id))


def _heading(q: content.Question, seq: list[str]) -> str:
    n = seq.index(q.id) + 1 if q.id in seq else 0
    return f"{C.TITLE}質問 {n}/{len(seq)}（{q.label}）" if n else f"{C.TITLE}（{q.label}）"


def summary_lines(st: State, fl: content.Flow, full: bool = False) -> list[str]:
    out = []
    for q in fl.sequence(st.type_id):
        a = st.answers.get(q.id)
        d = (a["d"] if full else ans.short(a["d"])) if a else "（未回答）"
        out.append(f"・{q.label}: {d}")
    return out


def masked_kinds(st: State) -> list[str]:
    found = {k for a in st.answers.values() for k in (a.get("masked") or [])}
    return [k for k in mask.ORDER if k in found]


def summary_reply(db, st: State, fl: content.Flow, lead: str = "") -> Reply:
    lines = [f"{lead}{C.TITLE}送信前の確認",
             "以下の内容で、作業責任者と情報セキュリティ対策責任者に送信します。よろしければ「送信」を押してください。"
             "直す場合は「修正」を押してください。", *summary_lines(st, fl)]
    mk = masked_kinds(st)
    if mk:
        lines.append(f"※ 個人情報（{'、'.join(mask.LABELS[k] for k in mk)}）と思われる部分は伏せ字にして記録しています。")
    return Reply("\n".join(lines), [Button("送信", C.A_SUBMIT, C.value(s=st.sid), "primary"),
                                    Button("修正", C.A_FIX, C.value(s=st.sid)),
                                    Button("戻る", C.A_BACK, C.value(s=st.sid, q="summary")),
                                    Button("キャンセル", C.A_CANCEL, C.value(s=st.sid, q="summary"), "danger")])


def menu_reply(db, st: State, fl: content.Flow, lead: str = "") -> Reply:
    buttons = [Button(q.label[:75], C.A_EDIT, C.value(s=st.sid, q=q.id)) for q in fl.sequence(st.type_id)]
    buttons.append(Button("確認画面に戻る", C.A_SUMMARY, C.value(s=st.sid), "primary"))
    buttons.append(Button("キャンセル", C.A_CANCEL, C.value(s=st.sid, q="menu"), "danger"))
    return Reply(f"{lead}{C.TITLE}どの項目を修正しますか。項目を選ぶと、その質問をもう一度表示します"
                 "（項目名を入力しても選べます）。", buttons)


def first_aid_text(db, st: State, fl: content.Flow) -> str:
    t = fl.type(st.type_id)
    if t is None:
        return ""
    slugs = C.slugs_for_contract(db, None, st.user_id)
    lines = [f"■ 「{t.label}」のときに、まず行うこと"]
    for n, step in enumerate(t.first_aid, 1):
        rows = basis.clauses(db, step.clauses, slugs, concepts=step.concepts, text=step.text, limit=1)
        ref = [] if rows else basis.others(db, step.clauses, slugs, 1)
        lines.append(f"{n}. {step.text}" + (f"（根拠: {rows[0]['citation']}）" if rows else
                                           f"（参考: ほかの文書の定め {ref[0]['citation']}）" if ref else ""))
    cl = C.type_rows(db, t, slugs, 3)
    if cl:
        lines.append("■ 関係する規定")
        lines += [f"・{C.cite(db, c, 160)}" for c in cl]
    elif slugs and basis.others(db, t.clauses, slugs, 1):
        # none of their own: another document's rules, shown apart and named so, never as theirs
        lines.append("■ 参考: ほかの文書の規定（ご自身の案件の文書には、この種別にあたる規定がありません）")
        lines += [f"・{C.cite(db, c, 160)}" for c in basis.others(db, t.clauses, slugs, 2)]
    return "\n".join(lines)


def _masked_note(db, kinds, user_id: str) -> str:
    if not kinds:
        return ""
    row = C.masking_rule(db, C.slugs_for_contract(db, None, user_id))
    rule = f"（{row['citation']}）" if row else ""
    labels = "、".join(mask.LABELS[k] for k in mask.ORDER if k in kinds)
    return (f"※ お書きの内容に{labels}と思われる部分があったため、伏せ字にして記録しました。報告書は作業責任者や市にも"
            f"渡るため、個人情報そのものは書かずに「住民1名の電話番号」のように種類と件数でお書きください。"
            f"業務で知り得た情報は、必要な方以外に渡らないようにする決まりです{rule}。")


# ---- one turn -------------------------------------------------------------------------------

def _turn(db, st: State, lead: str = "", extra: list[Reply] | None = None) -> Turn:
    fl = content.flow()
    t = Turn()
    for r in extra or []:
        t.add(r)
    if st.status == "submit":
        return t.add(Reply(f"{lead}この報告は {st.ref} として送信済みです。"))
    if st.status == "cancel":
        return t.add(Reply(f"{lead}この報告はキャンセルされています。",
                           [Button("続きから再開する", C.A_REOPEN, C.value(s=st.sid), "primary")]))
    return t.add(question_reply(db, st, fl, lead))


def _ack(q: content.Question, v: dict) -> str:
    return f"✔ {q.label}: {ans.short(v['d'], 120)}\n"


def _open_sessions(db, user_id: str) -> list[dict]:
    return store.open_sessions(db, user_id)


def is_stale(sess: dict, now: _dt.datetime | None = None) -> bool:
    last = workdays.parse(sess.get("last_at") or sess["at"])
    return (now or C.now()) - last > C.STALE_AFTER


def current_session(db, user_id: str, *, include_stale: bool = False) -> dict | None:
    for s in _open_sessions(db, user_id):
        if include_stale or not is_stale(s):
            return s
    return None


def open_draft(db, user_id: str) -> dict | None:
    """The person's report in progress (stale or not), newest first."""
    return next((s for s in _open_sessions(db, user_id) if s["kind"] == "report"), None)


# ---- start ----------------------------------------------------------------------------------

INTRO = ("事故・インシデントの報告を始めます。一つずつ質問しますので、分かる範囲でお答えください。"
         "入力した内容はその都度保存され、途中で中断しても続きから再開できます。"
         "「戻る」で前の質問に、「キャンセル」で中止できます。")


def _clean_preset(db, user_id: str, preset: dict | None) -> dict:
    """Only what a start may preset: type, a guessed type, proposed answers (masked), the source."""
    fl = content.flow()
    p = dict(preset or {})
    out: dict = {}
    if p.get("type") and fl.type(str(p["type"])):
        out["type"] = str(p["type"])
    if p.get("guess") and fl.type(str(p["guess"])):
        out["guess"] = str(p["guess"])
    props = {}
    for qid in ("what_happened", "place", "info", "actions"):
        if p.get(qid) and ans.meaningful(str(p[qid])):
            props[qid] = ans.text_value(str(p[qid]))
    if props:
        out["proposals"] = props
        out["proposal_note"] = str(p.get("proposal_note") or "最初のメッセージの内容")
    if isinstance(p.get("source"), dict):
        out["source"] = {k: str(v)[:200] for k, v in p["source"].items() if k in ("channel", "ts", "user", "kind")}
    if p.get("from"):
        out["from"] = str(p["from"])[:40]
    return out


def start(db: sqlite_utils.Database, user_id: str, via: str, preset: dict | None = None) -> Turn:
    """Start a report (or show the one in progress: one report at a time per person)."""
    if not people.is_registered_worker(db, user_id):
        gate = people.registration_info(db, user_id, opening="事故・インシデントの報告は、登録された作業従事者の方だけがご利用いただけます。")
        return Turn().add(Reply(gate.text + "\n急いで報告が必要な場合は、作業責任者に電話などで直接ご連絡ください。", gate.buttons))
    fl = content.flow()
    clean = _clean_preset(db, user_id, preset)
    _index_ready(db)
    with store.transaction(db):
        existing = open_draft(db, user_id)
        if existing is None:
            sid = store.new_session(db, user_id=user_id, kind="report", incident_id=None, preset=clean,
                                    via=C.via_of(via), at=workdays.iso(C.now()))
            st = load(db, sid)
            if clean.get("type"):
                q = fl.question("type")
                _step(db, st, "answer", "type", ans.choice_value(q, clean["type"]), via)
    if existing is not None:
        return _already(db, existing, clean, via)
    st = load(db, sid)
    rule = C.report_citations(db, user_id)
    intro = INTRO + (f"\n事故やその恐れがあるときは、直ちに報告する決まりです（{rule}）。" if rule else "")
    if clean.get("proposals"):
        intro += "\nお送りいただいた内容は、該当する質問で回答の案としてお見せします。"
    parts = [Reply(intro)]
    if st.type_id:
        parts.append(Reply(f"種別: {fl.type(st.type_id).label}（入力済み）\n" + first_aid_text(db, st, fl)))
    turn = _turn(db, st, extra=parts)
    turn.refresh.add(user_id)                   # Home shows the draft
    if via == "slack_command":
        # The conversation continues in the DM: the first question goes there.
        out = Outgoing(user_id, Reply("\n\n".join(r.text for r in turn.replies[:-1]) + "\n\n" + turn.replies[-1].text,
                                      turn.replies[-1].buttons), key=f"incident:start:{st.sid}")
        return Turn().add(Reply("事故・インシデントの報告を mamoru との DM で始めました。DM の質問にお答えください。",
                                ephemeral=True), [out], user_id)
    return turn


def _already(db, sess: dict, preset: dict, via: str) -> Turn:
    st = load(db, sess["id"])
    fl = content.flow()
    done = sum(1 for q in fl.sequence(st.type_id) if q.id in st.answers)
    head = (f"書きかけの事故・インシデント報告があります（{workdays.format_jst(st.started_at)} 開始、{done} 項目回答済み）。"
            "報告は一件ずつお願いしています。先にこちらを送信するか、キャンセルしてから新しい報告を始めてください。"
            "書きかけの内容はそのまま保存されています。")
    turn = _turn(db, st, lead=head + "\n\n")
    new = Button("書きかけを破棄して新しく始める", C.A_NEW, C.value(s=st.sid, p=_small_preset(preset)), "danger")
    if turn.replies and turn.replies[-1].buttons is not None:
        turn.replies[-1].buttons.append(new)
    return turn


def _small_preset(preset: dict) -> dict:
    """A preset that fits in a button value (proposals are re-read from the text, capped)."""
    out = {k: preset[k] for k in ("type", "guess", "from") if k in preset}
    props = preset.get("proposals") or {}
    if "what_happened" in props:
        out["what_happened"] = props["what_happened"]["v"][:1200]
        out["proposal_note"] = preset.get("proposal_note") or "最初のメッセージの内容"
    return out


def restart(db, user_id: str, raw: str, via: str) -> Turn:
    """「書きかけを破棄して新しく始める」: cancel the old draft (kept as a record), start anew."""
    v = C.parse(raw)
    sid = int(v.get("s") or 0)
    _index_ready(db)
    with store.transaction(db):
        st = load(db, sid)
        if st is None or st.user_id != user_id:
            return Turn().add(Reply("この操作は、ご本人の書きかけの報告に対してだけ行えます。"))
        if st.status is None:
            _step(db, st, "cancel", "", {"reason": "new_report"}, via)
    return start(db, user_id, via, v.get("p") if isinstance(v.get("p"), dict) else None)


# ---- operations -----------------------------------------------------------------------------

def _stale_button(db, st: State, q: str) -> Turn | None:
    """An old button (another question is current): say so and show the current one."""
    if st.status is not None:
        return _turn(db, st)
    if q and q != st.cursor and not (st.cursor == "summary" and q == "summary"):
        return _turn(db, st, lead="このボタンは前に表示した質問のものです（回答は変わっていません）。現在の質問はこちらです。\n\n")
    return None


def _index_ready(db: sqlite_utils.Database) -> None:
    """Build the search index before a step's write transaction, if this process has none for the knowledge base
    as it is (after a restart, or a document loaded meanwhile): the rules a step cites are looked up inside the
    transaction, and building the index there (seconds on a large library) kept every other person's report,
    checklist and answer waiting. Built, it is only looked up."""
    from knowledge.search import searcher_for

    searcher_for(db)


def press(db: sqlite_utils.Database, user_id: str, action: str, raw: str, via: str) -> Turn:
    """A button of the report conversation."""
    v = C.parse(raw)
    try:
        sid = int(v.get("s") or 0)
    except (TypeError, ValueError):
        sid = 0
    fl = content.flow()
    _index_ready(db)
    with store.transaction(db):
        st = load(db, sid)
        if st is None or st.user_id != user_id:
            return Turn().add(Reply("この報告は見つからないか、ご本人の報告ではないため操作できません。"))
        q = str(v.get("q") or "")
        if action == C.A_RESUME:
            return _turn(db, st, lead="書きかけの報告の続きです。\n\n")
        if action == C.A_REOPEN:
            if st.status == "cancel":
                if open_draft(db, user_id) is not None:
                    return Turn().add(Reply("別の報告を書いている途中のため、再開できません。先にそちらを送信するかキャンセルしてください。"))
                _step(db, st, "reopen", via=via)
                st = load(db, sid)
                t = _turn(db, st, lead="報告を再開しました。\n\n")
                t.refresh.add(user_id)
                return t
            return _turn(db, st)
        if action == C.A_SUBMIT:
            if st.status is None and st.cursor != "summary":
                return _turn(db, st, lead="まだ回答していない質問があります。\n\n")
            from handlers.incident import notify

            return notify.submit(db, st, via)
        stale = _stale_button(db, st, q if action not in (C.A_FIX, C.A_SUMMARY, C.A_EDIT) else "")
        if stale is not None:
            return stale
        if action in (C.A_FIX, C.A_SUMMARY) and st.cursor not in ("summary", "menu"):
            return _turn(db, st, lead="このボタンは前に表示した確認画面のものです。現在の質問はこちらです。\n\n")
        if action == C.A_BACK:
            return _back(db, st, via)
        if action == C.A_CANCEL:
            return _cancel(db, st, via)
        if action == C.A_FIX:
            _step(db, st, "menu", via=via)
            return _turn(db, load(db, sid))
        if action == C.A_SUMMARY:
            _step(db, st, "summary", via=via)
            return _turn(db, load(db, sid))
        if action == C.A_EDIT:
            if st.cursor != "menu" or fl.question(q) is None or not fl.question(q).applies(st.type_id):
                return _turn(db, st)
            _step(db, st, "edit", q, via=via)
            return _turn(db, load(db, sid))
        question = fl.question(st.cursor)
        if question is None:
            return _turn(db, st)
        if action == C.A_YES:
            if not (st.pending and st.pending[0] == question.id):
                return _turn(db, st)
            return _record(db, st, question, st.pending[1], via)
        if action == C.A_RETRY:
            _step(db, st, "retry", question.id, via=via)
            return _turn(db, load(db, sid), lead="もう一度、日時を入力してください。\n\n")
        if action == C.A_KEEP:
            cur = st.answers.get(question.id) or st.proposal(question.id)
            if cur is None:
                return _turn(db, st)
            return _record(db, st, question, cur, via)
        if action == C.A_CHOOSE:
            c = str(v.get("c") or "")
            if question.kind == "contract":
                return _record(db, st, question, {"v": c, "d": c or "不明・該当なし"}, via)
            if question.choice(c) is None:
                return _turn(db, st)
            return _record(db, st, question, ans.choice_value(question, c), via)
        if action == C.A_NOW and question.kind == "datetime":
            w = dates.When(C.now().replace(second=0, microsecond=0), "minute", True, "さっき")
            return _record(db, st, question, ans.when_value(w), via)
        if action == C.A_UNKNOWN and question.kind in ("datetime", "count"):
            if question.kind == "datetime" and not question.allow_unknown:
                return _turn(db, st)
            val = ans.when_value(dates.When(None, "unknown", False, "不明")) if question.kind == "datetime" \
                else {"v": None, "d": "不明", "text": "不明"}
            return _record(db, st, question, val, via)
        if action == C.A_SAME and question.same_as:
            same = st.answers.get(question.same_as)
            if not same or not same.get("iso"):
                return _turn(db, st)
            return _record(db, st, question, dict(same, text=f"{fl.question(question.same_as).label}と同じ"), via)
        if action == C.A_QUICK and question.kind == "text":
            try:
                text = question.quick[int(v.get("i"))]
            except (TypeError, ValueError, IndexError):
                return _turn(db, st)
            return _record(db, st, question, ans.text_value(text), via)
        return _turn(db, st)


def _back(db, st: State, via: str) -> Turn:
    fl = content.flow()
    seq = [x.id for x in fl.sequence(st.type_id)]
    if st.cursor in seq and seq.index(st.cursor) == 0:
        return _turn(db, st, lead="これより前の質問はありません。\n\n")
    _step(db, st, "back", st.cursor, via=via)
    return _turn(db, load(db, st.sid), lead="前の質問に戻りました。\n\n")


def _cancel(db, st: State, via: str) -> Turn:
    _step(db, st, "cancel", st.cursor, via=via)
    rule = C.report_rule(db, C.slugs_for_contract(db, answered_contract(st), st.user_id))
    cites = rule["citation"] if rule and answered_contract(st) else C.report_citations(db, st.user_id)
    out = cancel_notice(db, st, cites)
    told = f"\n報告が途中でキャンセルされたことは、{C.names(db, [o.user_id for o in out])}にお知らせしました。" if out else ""
    text = ("事故・インシデントの報告をキャンセルしました。入力した内容は記録として残っており、"
            "「続きから再開する」で再開できます。\n実際に事故やその恐れがある場合は、"
            f"作業責任者に直ちにお知らせください{'（' + cites + '）' if cites else ''}。{told}")
    return Turn().add(Reply(text, [Button("続きから再開する", C.A_REOPEN, C.value(s=st.sid), "primary")]), out, st.user_id)


def answered_contract(st: State) -> str | None:
    """The contract the reporter said the incident is of, when they have said it."""
    v = st.answers.get("contract")
    return (v.get("v") or None) if isinstance(v, dict) else None


def cancel_notice(db, st: State, cites: str) -> list[Outgoing]:
    """A cancelled report about a real incident (a loss, a mis-sent mail — a type that escalates, or
    one begun from a recorded loss) is not silent: the lead and the officers hear what was entered."""
    fl = content.flow()
    type_id = st.type_id or (st.preset.get("type") if st.preset.get("from") == "checklist" else None)
    t = fl.type(type_id) if type_id else None
    if t is None or not t.escalate:
        return []
    person = people.get_person(db, st.user_id)
    leads = C.leads_of(db, person, answered_contract(st))
    told = [u for u in dict.fromkeys([*leads, *C.managers(db, exclude={st.user_id, *leads})]) if u != st.user_id]
    shown = [f"・{fl.question(k).label}: {ans.short(v['d'], 120)}" for k, v in st.answers.items()
             if k != "type" and fl.question(k) is not None and isinstance(v, dict) and v.get("d")]
    text = "\n".join([
        f"【要確認】{C.name(db, st.user_id)}さん（{st.user_id}）が「{t.label}」の事故報告を、送信せずにキャンセルしました"
        f"（{workdays.format_jst(C.now())}）。", *(["入力されていた内容:", *shown] if shown else ["（内容はまだ入力されていません）"]),
        "事故やその恐れがないか、ご本人に直接ご確認ください" + (f"（{cites}）" if cites else "") + "。"])
    return [Outgoing(u, Reply(text), key=f"incident:cancelled:{st.sid}:{len(st.answers)}:{u}") for u in told]


def _record(db, st: State, q: content.Question, val: dict, via: str, note: str = "") -> Turn:
    """Store one answer, then show what was understood and the next step."""
    fl = content.flow()
    old_type = st.type_id
    _step(db, st, "answer", q.id, val, via)
    st = load(db, st.sid)
    lead = _ack(q, val)
    if note:
        lead += note + "\n"
    mk = _masked_note(db, val.get("masked") or [], st.user_id)
    if mk:
        lead += mk + "\n"
    extra: list[Reply] = []
    if q.id == "type" and st.type_id != old_type:
        extra.append(Reply(lead.rstrip() + "\n\n" + first_aid_text(db, st, fl)))
        lead = ""
    elif val.get("chars", 0) > ans.LONG_ANSWER:
        lead += f"（{val['chars']:,} 文字の回答を全文記録しました。確認画面と通知では先頭だけを表示し、全文は報告書に記載します。）\n"
    return _turn(db, st, lead=lead + ("\n" if lead else ""), extra=extra)


def text(db: sqlite_utils.Database, user_id: str, sess: dict, text_in: str, via: str) -> Turn:
    """A DM while a report is in progress: the answer to the current question (or a word such as 「戻る」)."""
    fl = content.flow()
    raw = (text_in or "").strip()
    word = ans.norm(raw)
    _index_ready(db)
    with store.transaction(db):
        st = load(db, sess["id"])
        if st is None or st.status is not None:
            return _turn(db, st) if st else Turn().add(Reply("報告が見つかりませんでした。"))
        if not raw:
            return _turn(db, st, lead="メッセージが空のようです。質問にお答えください。\n\n")
        if word in START_WORDS:
            return _turn(db, st, lead=("書きかけの事故・インシデント報告の続きです（報告は一件ずつお願いしています。"
                                       "新しく始める場合は、先にこの報告を送信するかキャンセルしてください）。\n\n"))
        if word in HELP_WORDS:
            return _turn(db, st, lead=("事故・インシデントの報告の途中です。質問に文章で答えるか、ボタンを押してください。"
                                       "「戻る」で前の質問に、「キャンセル」で中止できます。\n\n"))
        if word in CANCEL_WORDS:
            return _cancel(db, st, via)
        if word in BACK_WORDS:
            return _back(db, st, via)
        if _WANTS_STOP.match(word.replace(" ", "")):
            ask = Reply("報告をキャンセルしますか。キャンセルしても、入力した内容は記録として残ります"
                        "（あとから「続きから再開する」で再開できます）。\n"
                        "キャンセルする場合は下のボタンを押すか「キャンセル」と入力してください。続ける場合は、次の質問にお答えください。",
                        [Button("キャンセルする", C.A_CANCEL, C.value(s=st.sid, q=st.cursor), "danger")])
            return _turn(db, st, extra=[ask])
        if _WANTS_BACK.match(word.replace(" ", "")):
            return _back(db, st, via)
        if st.cursor == "summary":
            if word in SUBMIT_WORDS:
                from handlers.incident import notify

                return notify.submit(db, st, via)
            if word in FIX_WORDS:
                _step(db, st, "menu", via=via)
                return _turn(db, load(db, st.sid))
            return _turn(db, st, lead="内容をご確認のうえ、「送信」または「修正」を押してください（「送信」「修正」と入力しても操作できます）。\n\n")
        if st.cursor == "menu":
            target = next((q for q in fl.sequence(st.type_id) if ans.norm(q.label) == word or
                           (len(word) >= 2 and word in ans.norm(q.label))), None)
            if target is None:
                return _turn(db, st, lead="修正する項目をボタンで選んでください。\n\n")
            _step(db, st, "edit", target.id, via=via)
            return _turn(db, load(db, st.sid))
        q = fl.question(st.cursor)
        if word in KEEP_WORDS and (st.answers.get(q.id) or st.proposal(q.id)):
            return _record(db, st, q, st.answers.get(q.id) or st.proposal(q.id), via)
        try:
            if st.pending and st.pending[0] == q.id:
                if ans.is_yes(raw):
                    return _record(db, st, q, st.pending[1], via)
                if ans.is_no(raw):
                    _step(db, st, "retry", q.id, via=via)
                    return _turn(db, load(db, st.sid), lead="もう一度、日時を入力してください。\n\n")
            return _answer_text(db, st, q, raw, via)
        except ans.Invalid as e:
            return _turn(db, st, lead=f"{e}\n\n")


def _answer_text(db, st: State, q: content.Question, raw: str, via: str) -> Turn:
    fl = content.flow()
    if q.kind == "choice":
        kws = {t.id: t.keywords for t in fl.types} if q.id == "type" else None
        cid = ans.match_choice(q, raw, kws)
        if cid is None:
            raise ans.Invalid("ボタンから選んでください（選択肢の名前を入力しても選べます）。")
        return _record(db, st, q, ans.choice_value(q, cid), via)
    if q.kind == "contract":
        names = contract_choices(db, st.user_id)
        t = ans.norm(raw)
        hit = [n for n in names if ans.norm(n) == t] or [n for n in names if t and (t in ans.norm(n) or ans.norm(n) in t)]
        if len(hit) == 1:
            return _record(db, st, q, {"v": hit[0], "d": hit[0]}, via)
        if any(w in t for w in ("不明", "わから", "分から", "該当なし", "なし")):
            return _record(db, st, q, {"v": "", "d": "不明・該当なし"}, via)
        if names:
            raise ans.Invalid("案件をボタンから選んでください。")
        v = ans.text_value(raw)
        return _record(db, st, q, {"v": v["v"], "d": v["d"], "masked": v["masked"]}, via)
    if q.kind == "datetime":
        w = ans.read_when(raw, C.now(), q.label)
        if w.dt is None and not q.allow_unknown:
            raise ans.Invalid("この質問には日時でお答えください（例：「さっき」「今日10時半」）。")
        val = ans.when_value(w)
        if q.id == "found_at":
            occ = st.answers.get("occurred_at")
            if occ and occ.get("iso") and w.dt and w.dt < workdays.parse(occ["iso"]) - _dt.timedelta(minutes=1) \
                    and w.precision == "minute" and occ.get("precision") == "minute":
                raise ans.Invalid(f"発見日時（{w.display()}）が発生日時（{occ['d']}）より前になっています。"
                                  "発見日時をもう一度入力するか、「戻る」で発生日時を直してください。")
        if w.dt is None:
            return _record(db, st, q, val, via)
        _step(db, st, "pending", q.id, val, via)
        return _turn(db, load(db, st.sid))
    if q.kind == "count":
        return _record(db, st, q, ans.count_value(raw), via)
    if q.kind == "domain":
        val, note = ans.domain_value(raw)
        return _record(db, st, q, val, via, note=note)
    return _record(db, st, q, ans.typed_text_value(raw), via)
