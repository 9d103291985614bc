"""Incident reports in a guided conversation, escalated at once, written up as the contract requires.

The question flow is content (knowledge/incident/flow.toml: types, questions, branches by type,
first-aid steps and clauses per type). This package plugs the capability into the runtime at
import (listed in handlers.capabilities.CAPABILITY_MODULES):

- start: `start(db, user_id, via, preset=None) -> Turn` (the checklist's 「ICカード 紛失」 calls
  it with preset={"type": "ic_card"}); DM words 「インシデント報告」「事故」「紛失した」「なくした」
  「誤送信」… (a trigger: a question about incidents is answered, with a button to start a report);
  `/mamoru incident`; the Home button; Slack's global and message shortcuts (bot/slack/app.py
  presses `incident_start` with the posted message as the proposed 「発生状況」).
- the conversation (handlers.incident.draft): a session; each DM answers the current question;
  buttons where choices exist; 「戻る」「キャンセル」 everywhere; a summary with 「送信」「修正」;
  stored at every step; personal data masked before it is stored (handlers.incident.mask);
  times read from 「今日10時頃」「さっき」「11/20 15:30」 and confirmed (handlers.incident.dates).
- on 「送信」 (handlers.incident.notify): INC-YYYY-NNNN, the lead and the officers told at once
  with 「確認しました」; the notices source "incident" escalates to officers and admins every
  MAMORU_INCIDENT_ESCALATE_MINUTES (default 15) until acknowledged, at any hour.
- afterwards (handlers.incident.timeline): the timeline (acknowledged, reported to the city,
  measures, notes, closed) by buttons or `/mamoru incident INC-… note …`; the written report
  (handlers.incident.report; `mamoru incident export INC-… --format docx|md`, or as a file in Slack).
- Home: section "incidents" (the person's draft and reports; for leads and above, the reports
  they may see, with 「確認しました」).
"""
from __future__ import annotations

import datetime as _dt
import re
import unicodedata

import sqlite_utils

from handlers import capabilities, home, workdays
from handlers.incident import common as C
from handlers.incident import content, draft, notify, rights, timeline
from handlers.incident.common import (A_ACK, A_BACK, A_CANCEL, A_CHOOSE, A_CITY, A_CLOSE, A_EDIT,  # noqa: F401
                                      A_ENTRY, A_ENTRY_CANCEL, A_FILE, A_FIX, A_KEEP, A_MEASURE, A_NEW, A_NOTE, A_NOW,
                                      A_QUICK, A_REOPEN, A_RESUME, A_RETRY, A_SAME, A_SHOW, A_START, A_SUBMIT,
                                      A_SUMMARY, A_UNKNOWN, A_YES)
from handlers.replies import Button, Reply, Turn
from storage import incidents as store

COMMAND_WORDS = ["incident", "incidents", "インシデント", "インシデント報告", "事故報告", "事故", "いんしでんと"]
ENTRY_STALE = _dt.timedelta(minutes=30)

# DM words that start a report (a question about them is answered instead, with a start button).
TRIGGER = (r"インシデント|事故|紛失|無くし|失くし|なくし|なくな|落とし|置き忘れ|盗まれ|盗難|誤送信|誤って送|間違えて送|"
           r"間違って送|宛先を間違|漏えい|漏洩|流出|感染し|不正アクセス|乗っ取られ|ヒヤリハット")
_QUESTION_END = re.compile(r"(か|かな|かね|の|っけ|は|って|とは|について|には|たら|れば|場合|方法|手順|やり方|べき|"
                           r"いい|良い|よい|必要|教えて|知りたい|でしょう)$")
_QUESTION_IN = re.compile(r"[?？]|どう|どの|何を|何が|なに|いつまで|誰に|だれに|なぜ|どこに|べき|ですか|ますか|でしょうか|"
                          r"場合は|してもいい|てもよい|ていい|とは")


def start(db: sqlite_utils.Database, user_id: str, via: str, preset: dict | None = None) -> Turn:
    """Start an incident report for this person (preset: {"type": "ic_card"} and the like)."""
    return draft.start(db, user_id, via, preset)


# ---- words, commands, session ---------------------------------------------------------------

def looks_like_question(text: str) -> bool:
    t = unicodedata.normalize("NFKC", text or "").strip().rstrip("。.!！ 　")
    return bool(_QUESTION_IN.search(t) or _QUESTION_END.search(t))


def guess_type(text: str) -> str | None:
    fl = content.flow()
    q = fl.question("type")
    from handlers.incident import answers as ans

    return ans.match_choice(q, text, {t.id: t.keywords for t in fl.types})


def _preset_from_text(text: str, source: str) -> dict:
    p: dict = {"from": source}
    g = guess_type(text)
    if g:
        p["guess"] = g
    if len(text.strip()) > 8:
        p["what_happened"] = text.strip()
        p["proposal_note"] = "最初にお送りいただいた内容"
    return p


def _trigger(db: sqlite_utils.Database, user_id: str, text: str, via: str) -> Turn | None:
    first, _, rest = unicodedata.normalize("NFKC", text).replace("\u3000", " ").strip().partition(" ")
    first = first.lower()
    if first in getattr(capabilities, "_commands", {}) and first not in [w.lower() for w in COMMAND_WORDS]:
        return None   # 「ICカード 紛失」 belongs to the checklist (which then starts the report itself)
    if looks_like_question(text):
        from handlers import conversation

        turn = conversation.question(db, user_id, text, via)
        preset = _preset_from_text(text, "dm_question")
        preset.pop("what_happened", None)
        turn.replies.append(Reply("実際に事故やその恐れがある場合は、すぐに報告してください。「報告を始める」で、"
                                  "質問に答えるだけで報告できます。",
                                  [Button("報告を始める", A_START, C.value(**preset), "danger")]))
        return turn
    if rest.strip() and first in [w.lower() for w in COMMAND_WORDS]:
        return _command(db, user_id, rest, via)   # 「インシデント 一覧」「incident INC-2026-0001」: the command, not a new report
    return draft.start(db, user_id, via, _preset_from_text(text, "dm"))


# What is done to one incident: `incident INC-… <verb> …`, or `incident <verb> INC-… …` as the CLI writes it.
_SHOW = ("show", "表示", "詳細")
_ACK = ("ack", "確認", "確認しました")
_FILE = ("report", "file", "報告書", "export")
_VERBS = {*_SHOW, *_ACK, *_FILE, *timeline.TYPED_VERBS}


def _command(db: sqlite_utils.Database, user_id: str, rest: str, via: str) -> Turn:
    rest = (rest or "").replace("\u3000", " ").strip()
    if not rest:
        return draft.start(db, user_id, via, {"from": "command"})
    first, _, tail = rest.partition(" ")
    word = unicodedata.normalize("NFKC", first).lower()
    tail = tail.strip()
    if word in ("help", "ヘルプ", "使い方", "-h", "--help"):
        return Turn().add(Reply(timeline.USAGE, ephemeral=True))
    if word in ("list", "一覧", "ls"):
        return timeline.list_turn(db, user_id, via)
    if word in ("alert", "通知", "通知チャンネル"):
        return timeline.alert(db, user_id, tail, via)
    after, _, more = tail.partition(" ")
    if word in _VERBS and timeline.normalize_ref(after):       # the CLI's word order: `incident ack INC-…`
        first, tail = after, f"{first} {more}".strip()
    ref = timeline.normalize_ref(first)
    if ref:
        sub, _, more = tail.partition(" ")
        sub = unicodedata.normalize("NFKC", sub).lower()
        if sub in ("", *_SHOW):
            return timeline.show(db, user_id, ref, via)
        if sub in _ACK:
            return notify.ack(db, user_id, ref, via)
        if sub in _FILE:
            return timeline.file(db, user_id, ref, via)
        return timeline.typed(db, user_id, ref, sub, more.strip(), via)
    if re.match(r"^inc-", word):
        return Turn().add(Reply(f"受付番号「{first}」の形式が正しくありません（例：INC-2026-0001）。", ephemeral=True))
    # `/mamoru incident ICカードをなくしました`: start, with the words as the proposed answer
    return draft.start(db, user_id, via, _preset_from_text(rest, "command"))


# What a person may do while a report waits for its next answer (an IC card event or a typed choice
# may well be the answer, so those stay with the report).
_OTHER_BUSINESS = {"away", "back", "pledge", "training.start", "training.status", "checklist.open", "team", "report",
                   "incident.show", "incident.list", "member", "member.nudge", "records", "roster", "days_off.add",
                   "days_off.remove", "days_off.working", "days_off.ask", "days_off.list", "checklist.missed"}
_PASS_THROUGH = re.compile(r"^(?:/mamoru\s+)?(?:incident|インシデント)\s+(?:list|一覧|help|(?:\S+\s+)?inc-\d)", re.I)


def _live_session(db: sqlite_utils.Database, user_id: str) -> dict | None:
    now = C.now()
    return next((s for s in store.open_sessions(db, user_id)
                 if now - workdays.parse(s["last_at"]) <= (ENTRY_STALE if s["kind"] == "entry" else C.STALE_AFTER)), None)


def _last_prompt(db: sqlite_utils.Database, user_id: str) -> str | None:
    sess = _live_session(db, user_id)
    return sess["last_at"] if sess else None


def _session(db: sqlite_utils.Database, user_id: str, text: str, via: str) -> Turn | None:
    sess = _live_session(db, user_id)
    if sess is None:
        return None
    if _PASS_THROUGH.match(unicodedata.normalize("NFKC", text or "").strip()):
        return None
    meant = capabilities.understand(text)
    if meant is not None and meant.name in _OTHER_BUSINESS:
        return None      # 「ちょっと席外しまーす」 mid-report is recorded as such, not taken as the report's answer
    if sess["kind"] == "entry":
        return timeline.entry_text(db, user_id, sess, text, via)
    return draft.text(db, user_id, sess, text, via)


def _resume(db: sqlite_utils.Database, user_id: str, via: str) -> Turn | None:
    """The report in progress: its waiting question again (as 「書きかけの報告を続ける」 shows it)."""
    sess = _live_session(db, user_id)
    if sess is None or sess["kind"] != "report":
        return None
    return draft.press(db, user_id, A_RESUME, C.value(s=sess["id"]), via)


# ---- buttons --------------------------------------------------------------------------------

def _start_button(db, user_id: str, raw: str, via: str) -> Turn:
    preset = C.parse(raw) if raw else {}
    preset.pop("raw", None)
    return draft.start(db, user_id, via, preset or {"from": "button"})


def _draft_button(action: str):
    return lambda db, user_id, raw, via: draft.press(db, user_id, action, raw, via)


def _register_actions() -> None:
    capabilities.register_action(A_START, _start_button)
    capabilities.register_action(A_NEW, lambda db, u, raw, via: draft.restart(db, u, raw, via))
    for a in (A_RESUME, A_CHOOSE, A_KEEP, A_NOW, A_UNKNOWN, A_SAME, A_QUICK, A_YES, A_RETRY, A_BACK, A_CANCEL,
              A_SUBMIT, A_FIX, A_EDIT, A_SUMMARY, A_REOPEN):
        capabilities.register_action(a, _draft_button(a))
    capabilities.register_action(A_ACK, lambda db, u, raw, via: notify.ack(db, u, raw, via))
    capabilities.register_action(A_CITY, lambda db, u, raw, via: timeline.begin(db, u, raw, "city", via))
    capabilities.register_action(A_MEASURE, lambda db, u, raw, via: timeline.begin(db, u, raw, "measure", via))
    capabilities.register_action(A_NOTE, lambda db, u, raw, via: timeline.begin(db, u, raw, "note", via))
    capabilities.register_action(A_CLOSE, lambda db, u, raw, via: timeline.begin(db, u, raw, "close", via))
    capabilities.register_action(A_FILE, lambda db, u, raw, via: timeline.file(db, u, raw, via))
    capabilities.register_action(A_SHOW, lambda db, u, raw, via: timeline.show(db, u, raw, via))
    capabilities.register_action(A_ENTRY, lambda db, u, raw, via: timeline.entry_press(db, u, A_ENTRY, raw, via))
    capabilities.register_action(A_ENTRY_CANCEL,
                                 lambda db, u, raw, via: timeline.entry_press(db, u, A_ENTRY_CANCEL, raw, via))


# ---- App Home -------------------------------------------------------------------------------

def _home(db: sqlite_utils.Database, person: dict | None, user_id: str) -> dict | None:
    if person is None:
        return None
    lines: list[str] = []
    buttons: list[Button] = []
    d = draft.open_draft(db, user_id)
    if d:
        lines.append(f"書きかけの報告があります（{workdays.format_jst(d['at'])} 開始、最後の入力 {workdays.format_jst(d['last_at'])}）。")
        first = Button("書きかけの報告を続ける", A_RESUME, C.value(s=d["id"]), "primary")
    else:
        first = Button("事故・インシデントを報告する", A_START, "", "danger")
    rows = timeline.visible(db, user_id)
    mine = [i for i in rows if i["reporter_id"] == user_id]
    if mine:
        lines.append(f"あなたの報告（{len(mine)} 件）:")
        for i in list(reversed(mine))[:home.MAX_LISTED]:
            lines.append(f"・{i['ref']} {notify.type_label(i)}（{workdays.format_jst(i['at'])}）: {notify.status_of(db, i)}")
        lines += home._more(mine, home.MAX_LISTED)
    if person["role"] in ("lead", "officer", "admin"):
        others = [i for i in rows if i["reporter_id"] != user_id]
        waiting = [i for i in others if not i["acknowledged"]]
        if others:
            lines.append(f"確認が必要な報告: {len(waiting)} 件（ご覧いただける報告 {len(others)} 件）")
            for i in list(reversed(waiting))[:home.MAX_LISTED]:
                lines.append(f"・【未確認】{i['ref']} {notify.type_label(i)}（{C.name(db, i['reporter_id'])}さん、"
                             f"{workdays.format_jst(i['at'])}）")
                buttons.append(Button(f"{i['ref']} を確認しました", A_ACK, i["ref"], "primary"))
            lines += home._more(waiting, home.MAX_LISTED)
            done = [x for x in reversed(others) if x["acknowledged"]]
            for i in done[:home.MAX_LISTED]:
                lines.append(f"・{i['ref']} {notify.type_label(i)}（{C.name(db, i['reporter_id'])}さん）: {notify.status_of(db, i)}")
                buttons.append(Button(f"{i['ref']} の詳細", A_SHOW, i["ref"]))
    rule = C.report_citations(db, user_id)
    lines.append("事故やその恐れ（ICカードの紛失、メール・FAXの誤送信、端末の紛失、ウイルス感染など）があったときは、"
                 "直ちに報告してください" + (f"（{rule}）" if rule else "") +
                 "。下のボタン、DM の「インシデント報告」、または `/mamoru incident` で始められます。")
    return {"text": "\n".join(lines), "buttons": [first, *buttons][:21]}


# ---- registration ---------------------------------------------------------------------------

capabilities.register_command(COMMAND_WORDS, _command)
capabilities.register_session(_session, _last_prompt, _resume)
capabilities.register_trigger(TRIGGER, _trigger)
capabilities.register_intent("incident.list", lambda db, u, m, via: timeline.list_turn(db, u, via))
capabilities.register_intent("incident.show", lambda db, u, m, via: timeline.show(db, u, timeline.normalize_ref(m.args[0])
                                                                                   or m.args[0].upper(), via))
_register_actions()
notify.register()
home.register_section("incidents", "事故・インシデントの報告", _home, 40)
