"""App Home content: each person's own page, as plain data the Slack layer renders.

`home(db, user_id)` returns::

    {
      "user_id": "U123",
      "registered": True,                 # False: the page explains how to register
      "title": "mamoru（守る）",
      "intro": "山田太郎さん（作業従事者）のページです。…",   # one complete paragraph
      "sections": [                        # in display order
        {"id": "profile",   "title": "あなたの登録情報", "text": "…", "buttons": [Button, …]},
        {"id": "checklist", "title": "今日のチェックリスト", "text": "…", "buttons": []},
        {"id": "training",  "title": "研修", …},
        {"id": "incidents", "title": "事故・インシデントの報告", …},
        {"id": "questions", "title": "担当者に確認中の質問", …},
        {"id": "team",      "title": "チームの状況", …},   # leads, officers, admins only
      ],
      "buttons": [Button, …],             # page-level actions (e.g. 「登録を申請する」)
    }

Every `text` is complete Japanese on its own (plain text with line breaks, no Slack markup);
`buttons` are `handlers.replies.Button` (label ≤ 75 characters, value ≤ 2000). A renderer
may split a long text across blocks; it never needs to know what a section means.

Phone-sized: each section shows its first SHORT_LINES lines and at most SHORT_BUTTONS of its
buttons; the rest is one tap away (「…を詳しく見る」, action `home_detail`, which answers with the whole
section). Sections are in order of what a person acts on most (today's checklist, training,
incidents …); the registration details come last.

Sections come from providers: `register_section(id, title, provider, order)`; a provider is
`provider(db, person, user_id) -> dict | None` returning {"text", "buttons"} (None hides the
section). Checklist, training and incidents are placeholders here, each saying politely that the
feature is not available yet; the capabilities that bring them call `register_section` with the
same id to replace them (their module is listed in handlers.capabilities.CAPABILITY_MODULES).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import sqlite_utils

from handlers import capabilities, people, routing, workdays
from handlers.replies import Button
from storage import people as pstore

MAX_LISTED = 10   # items listed per section before "ほか N 件" (Home views hold 100 blocks)
TITLE = "mamoru（守る）"
SHORT_LINES = 4   # lines of a section shown on Home (a phone screen); the rest behind 「詳しく見る」
SHORT_BUTTONS = 3
ACTION_DETAIL = "home_detail"


@dataclass(frozen=True)
class SectionProvider:
    id: str
    title: str
    provider: Callable[[sqlite_utils.Database, dict | None, str], dict | None]
    order: int


_SECTIONS: dict[str, SectionProvider] = {}

# Modules that register Home sections when imported (one line per capability, e.g.
# "handlers.checklist"); imported before a page is built.


def register_section(section_id: str, title: str, provider, order: int) -> None:
    """Add or replace a Home section (same id replaces: that is how capabilities fill a slot)."""
    _SECTIONS[section_id] = SectionProvider(section_id, title, provider, order)


def section_providers() -> list[SectionProvider]:
    capabilities.load()  # capabilities register their sections at import
    return sorted(_SECTIONS.values(), key=lambda s: s.order)


def _more(items: list, shown: int) -> list[str]:
    return [f"ほか {len(items) - shown} 件あります。"] if len(items) > shown else []


# ---- built-in sections ----------------------------------------------------------------------

def _profile(db, person: dict | None, user_id: str) -> dict | None:
    if person is None:
        return None
    lines = [f"お名前: {person['name']}", f"役割: {people.ROLES[person['role']]}",
             f"案件: {'、'.join(person['contracts']) or '未設定（管理者にご確認ください）'}"]
    if person["lead_id"]:
        lines.append(f"作業責任者: {people.display_name(db, person['lead_id'])}さん")
    if person["start_date"]:
        lines.append(f"作業開始日: {workdays.format_date(person['start_date'])}")
    from handlers import days_off

    off = days_off.ahead(person, workdays.now().date())
    if off:
        shown = "、".join(workdays.format_date(d) for d in off[:5]) + (f" ほか {len(off) - 5} 日" if len(off) > 5 else "")
        lines.append(f"お休みの予定: {shown}（「明日やっぱり出勤します」のように送ると取り消せます）")
    slugs = people.contract_slugs(db, user_id)
    if slugs:
        from storage import kb as kb_store

        titles = []
        for s in slugs:
            d = kb_store.document(db, s)
            if d:
                titles.append(f"{d['municipality'] + ' ' if d['municipality'] else ''}{d['title']}")
        if titles:
            lines.append("あなたの案件の規定: " + "、".join(titles) + "（ご質問にはこの規定から優先してお答えします）")
    return {"text": "\n".join(lines), "buttons": []}


def _placeholder(what: str):
    def provide(db, person, user_id):
        if person is None:
            return None
        return {"text": f"{what}は、まだご利用いただけません。準備が整いましたら、このページからご利用いただけるようになります。",
                "buttons": []}
    return provide


def _questions(db, person: dict | None, user_id: str) -> dict | None:
    rows = routing.open_questions(db, user_id)
    if not rows:
        return {"text": "担当者に確認中の質問はありません。決まりについての質問は、メッセージでいつでもどうぞ。", "buttons": []}
    lines = [f"回答待ちの質問が {len(rows)} 件あります。回答が届きましたらメッセージでお知らせします。"]
    for r in rows[-MAX_LISTED:][::-1]:
        who = "、".join(f"{people.display_name(db, u)}さん" for u in r["recipients"]) or "担当者未定"
        lines.append(f"・{r['question']}（{workdays.format_jst(r['at'])}、{who}に確認中）")
    return {"text": "\n".join(lines + _more(rows, MAX_LISTED)), "buttons": []}


def _team(db, person: dict | None, user_id: str) -> dict | None:
    if person is None or person["role"] not in people.APPROVERS:
        return None
    overview = person["role"] in ("officer", "admin")
    members = pstore.active(db) if overview else pstore.active(db, lead_id=user_id)
    members = [m for m in members if m["user_id"] != user_id]
    pending = pstore.pending_requests(db) if overview else pstore.pending_requests(db, recipient=user_id)
    # the questions this person may answer as the roster stands now (routing.may_answer): their team's, and
    # those sent to them while still theirs; not a former team's after the roster changed
    waiting = [r for r in routing.unanswered(db) if overview or routing.may_answer(db, user_id, r)]
    # what waits for this person first (approvals, answers), the list of members after
    lines: list[str] = []
    buttons: list[Button] = []
    lines.append(f"承認待ちの登録申請: {len(pending)} 件")
    for r in pending[:MAX_LISTED]:
        lines.append(f"・{r['name']}さん（{r['user_id']}、{workdays.format_jst(r['at'])} 申請）")
        buttons.append(Button(f"{r['name']}さんを承認する"[:75], people.ACTION_APPROVE, r["user_id"], "primary"))
    lines += _more(pending, MAX_LISTED)
    lines.append(f"回答待ちの質問: {len(waiting)} 件")
    for r in waiting[:MAX_LISTED]:
        lines.append(f"・{people.display_name(db, r['asker_id'])}さん: {r['question']}（{workdays.format_jst(r['at'])}）")
        buttons.append(Button(f"回答する: {r['question']}"[:75], routing.ACTION_ANSWER, str(r["id"])))
    lines += _more(waiting, MAX_LISTED)
    lines.append(f"{'登録されている方' if overview else 'あなたのチーム'}: {len(members)} 名")
    for m in members[:MAX_LISTED]:
        lines.append(f"・{m['name']}（{people.ROLES[m['role']]}、{'、'.join(m['contracts']) or '案件未設定'}）")
    lines += _more(members, MAX_LISTED)
    return {"text": "\n".join(lines), "buttons": buttons}


register_section("profile", "あなたの登録情報", _profile, 90)
register_section("checklist", "今日のチェックリスト", _placeholder("毎日のチェックリスト"), 20)
register_section("training", "研修", _placeholder("研修（受講状況と期限の確認）"), 30)
register_section("incidents", "事故・インシデントの報告", _placeholder("事故・インシデントの報告"), 40)
register_section("questions", "担当者に確認中の質問", _questions, 50)
register_section("team", "チームの状況", _team, 60)


def full_sections(db: sqlite_utils.Database, person: dict | None, user_id: str) -> list[dict]:
    out = []
    for sp in section_providers():
        body = sp.provider(db, person, user_id)
        if body is not None:
            out.append({"id": sp.id, "title": body.get("title") or sp.title, "text": body.get("text", ""),
                        "buttons": list(body.get("buttons") or [])})
    return out


def short(section: dict) -> dict:
    """A section as Home shows it on a phone: its first lines and first buttons, then 「詳しく見る」."""
    lines = (section["text"] or "").splitlines()
    buttons = section["buttons"]
    if len(lines) <= SHORT_LINES and len(buttons) <= SHORT_BUTTONS:
        return section
    more = f"（ほか {len(lines) - SHORT_LINES} 行）" if len(lines) > SHORT_LINES else ""
    text = "\n".join(lines[:SHORT_LINES]) + (f"\n{more}" if more else "")
    detail = Button(f"{section['title']}を詳しく見る"[:75], ACTION_DETAIL, section["id"])
    return {**section, "text": text, "buttons": buttons[:SHORT_BUTTONS] + [detail]}


def detail(db: sqlite_utils.Database, user_id: str, section_id: str, via: str):
    """「…を詳しく見る」: the whole section, with all its buttons."""
    from handlers.replies import Reply, Turn

    person = people.get_person(db, user_id)
    s = next((x for x in full_sections(db, person, user_id) if x["id"] == section_id), None)
    if s is None:
        return Turn().add(Reply("この項目はいまは表示できません。ホームを開き直してください。"))
    return Turn().add(Reply(f"■ {s['title']}\n{s['text']}", s["buttons"]))


capabilities.register_action(ACTION_DETAIL, detail)


def home(db: sqlite_utils.Database, user_id: str) -> dict:
    """The person's App Home content (see the module docstring for the shape)."""
    person = people.get_person(db, user_id)
    sections = [short(s) for s in full_sections(db, person, user_id)]
    if person is None:
        gate = people.registration_info(
            db, user_id, opening="チェックリスト・研修・事故報告は、登録された作業従事者の方だけがご利用いただけます。")
        intro = ("mamoru は、契約の情報セキュリティの決まりについての質問にお答えし、チェックリスト・研修・事故報告を"
                 "お手伝いします。決まりについての質問は、登録していなくてもメッセージでいつでもどうぞ。\n" + gate.text)
        return {"user_id": user_id, "registered": False, "title": TITLE, "intro": intro, "sections": sections,
                "buttons": list(gate.buttons)}
    intro = (f"{person['name']}さん（{people.ROLES[person['role']]}）のページです。"
             "決まりについての質問は、メッセージでいつでもどうぞ。")
    return {"user_id": user_id, "registered": True, "title": TITLE, "intro": intro, "sections": sections,
            "buttons": []}
