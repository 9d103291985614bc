"""What a worker does: answer items, say why for "no", leave the desk and come back, IC card events.

Every function takes (db, user_id, …, via, now=None) and returns a Turn; nothing here knows Slack.
Button values are JSON: {"c": checklist id, "i": item id, "d": the day the message was for,
"k": the message's key (IC card events)}. A button from another day records nothing: the person
is told the message has expired and gets today's checklist instead.
"""
from __future__ import annotations

import datetime as _dt
import json
import secrets
import unicodedata

import sqlite_utils

from handlers import capabilities, people, workdays
from handlers.checklist import content, plan, state
from handlers.checklist.content import Checklist, Item
from handlers.replies import Button, Outgoing, Reply, Turn
from knowledge import basis
from storage import checklists as store

ACTION_YES = "checklist_yes"
ACTION_NO = "checklist_no"
ACTION_ALL = "checklist_all"
ACTION_OPEN = "checklist_open"
ACTION_AWAY = "checklist_away"
ACTION_BACK = "checklist_back"
ACTION_IC = "checklist_ic"

# A "no" waits this long for its reason in the person's next DM (after 30 minutes the notices pass
# tells the lead without it; a reason within the hour still follows). Kept short so that a DM meant
# for something else (a question, another capability's conversation) is not taken for a reason.
REASON_WINDOW = _dt.timedelta(hours=1)
CANCEL_WORDS = {"キャンセル", "やめる", "取り消し", "取消", "cancel", "なし"}
ANSWER_LABELS = {"yes": "はい", "no": "いいえ", "event": "報告"}


# ---- small helpers ---------------------------------------------------------------------------

def value(checklist_id: str, d: _dt.date | str, item_id: str | None = None, key: str | None = None) -> str:
    v = {"c": checklist_id, "d": d if isinstance(d, str) else d.isoformat()}
    if item_id:
        v["i"] = item_id
    if key:
        v["k"] = key
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))


def parse_value(raw: str | None) -> dict:
    try:
        v = json.loads(raw or "")
        return v if isinstance(v, dict) else {}
    except ValueError:
        return {}


def _hm(t: _dt.datetime | _dt.time | None) -> str:
    return f"{t.hour}:{t.minute:02d}" if t is not None else "-"


def cited(db: sqlite_utils.Database, item: Item, slugs: list[str]) -> dict | None:
    """The clause to show for an item, from the person's own contract documents (knowledge/basis.py)."""
    return (cited_all(db, item, slugs, 1) or [None])[0]


def cited_all(db: sqlite_utils.Database, item: Item, slugs: list[str], limit: int | None = None) -> list[dict]:
    return basis.clauses(db, item.clauses, slugs, concepts=item.concepts, text=item.text, limit=limit)


def _none_text(db: sqlite_utils.Database, item: Item, slugs: list[str]) -> str:
    """Their documents say nothing of it: said so, with the clause of another document it comes from named
    apart (reference, not their rule)."""
    if not slugs:
        return "（根拠の条項が読み込まれていません）"
    ref = basis.others(db, item.clauses, slugs, 1)
    return ("（ご自身の案件の文書には、この項目にあたる条項がありません"
            + (f"。参考: ほかの文書の定め {ref[0]['citation']}" if ref else "") + "）")


def citation(db: sqlite_utils.Database, item: Item, slugs: list[str]) -> str:
    c = cited(db, item, slugs)
    return c["citation"] if c else _none_text(db, item, slugs)


def quote(db: sqlite_utils.Database, item: Item, slugs: list[str], limit: int = 160) -> str:
    """「条文」（出典）: the clause's words and where they are."""
    return (quotes(db, item, slugs, 1, limit) or [f"根拠: {_none_text(db, item, slugs)}"])[0]


def quotes(db: sqlite_utils.Database, item: Item, slugs: list[str], n: int, limit: int = 160) -> list[str]:
    # 「…してはならない。」のうち「…外へ出すこと。」, never the bare item
    return [f"根拠: {basis.quoted(db, c, limit)}" for c in cited_all(db, item, slugs, n)]


def _person(db, user_id: str) -> dict | None:
    return people.get_person(db, user_id)


def _gate(db, user_id: str) -> Turn | None:
    r = people.require_worker(db, user_id)
    return Turn().add(r) if r else None


def _slugs(db, contract: str | None) -> list[str]:
    return people.contract_docs(db, contract) if contract else []


def _today(now: _dt.datetime) -> _dt.date:
    return workdays.local(now).date()


# ---- the checklist message -------------------------------------------------------------------

def item_buttons(c: Checklist, d: _dt.date, items=None) -> list[Button]:
    items = c.checks if items is None else items
    out = []
    for i in items:
        v = value(c.id, d, i.id)
        out.append(Button(f"{i.label}：はい", ACTION_YES, v, "primary"))
        out.append(Button(f"{i.label}：いいえ", ACTION_NO, v))
    if len(items) > 1:
        out.append(Button("すべて確認しました", ACTION_ALL, value(c.id, d), "primary"))
    return out


def checklist_reply(db: sqlite_utils.Database, c: Checklist, d: _dt.date, slugs: list[str], *,
                    deadline: _dt.datetime | None = None, opening: str | None = None, items=None) -> Reply:
    """The checklist as a message: every item with its rule, a はい / いいえ pair per item, and
    「すべて確認しました」."""
    items = c.checks if items is None else list(items)
    head = opening or f"{c.title}のチェックリストです（{workdays.format_date(d)}）。"
    lines = [head, "各項目について「はい」または「いいえ」を押してください。"
             + ("すべて問題なければ「すべて確認しました」を押してください。" if len(items) > 1 else "")]
    if deadline is not None:
        lines.append(f"確認の期限は {_hm(deadline)} です。")
    lines.append("")
    for n, i in enumerate(items, 1):
        lines.append(f"{n}. {i.text}")
        lines.append(f"　{quote(db, i, slugs, 80)}")
    return Reply("\n".join(lines), buttons=item_buttons(c, d, items))


def _context(db, person: dict, checklist_id: str):
    return plan.checklist_for(plan.settings(db), person, checklist_id)


def today_reply(db: sqlite_utils.Database, person: dict, c: Checklist, now: _dt.datetime,
                opening: str = "") -> Reply:
    """Today's checklist `c` for the person: what is left to answer, or that it is done."""
    d = _today(now)
    ctx = _context(db, person, c.id)
    if ctx is None:
        return Reply(f"{opening}{c.title}のチェックリストは、あなたの案件では使われていません。")
    _, contract, sched = ctx
    slugs = _slugs(db, contract)
    if c.id == "ic_card":
        return ic_menu_reply(db, person, now, slugs, opening)
    day = state.day(db, d)
    left = day.missing(person["user_id"], c)
    if not left:
        noes = day.noes(person["user_id"], c)
        extra = ("「いいえ」と回答した項目: " + "、".join(i.label for i, _ in noes) + "。") if noes else ""
        return Reply(f"{opening}本日（{workdays.format_date(d)}）の{c.title}のチェックリストは、すべて回答済みです。{extra}"
                     f"回答を変える場合は、もう一度お知らせください（「チェックリスト {c.title} すべて」）。")
    deadline = (_dt.datetime.combine(d, sched.deadline, workdays.tz()) if sched.scheduled and sched.deadline else None)
    head = f"{opening}{c.title}のチェックリストです（{workdays.format_date(d)}）。" + (
        f"未回答の項目が {len(left)} 件あります。" if len(left) < len(c.checks) else "")
    return checklist_reply(db, c, d, slugs, deadline=deadline, opening=head, items=left)


def open_checklist(db: sqlite_utils.Database, user_id: str, rest: str, via: str,
                   now: _dt.datetime | None = None) -> Turn:
    """「チェックリスト [始業時|終業時|離席時|ICカード] [すべて]」: today's checklist (the one due now by default)."""
    gate = _gate(db, user_id)
    if gate:
        return gate
    now = plan.at_or_now(now)
    person = _person(db, user_id)
    words = unicodedata.normalize("NFKC", rest or "").split()
    everything = any(w in ("すべて", "全部", "all") for w in words)
    named = next((content.find(w) for w in words if content.find(w)), None)
    if named is not None:
        if everything:   # all items again (to change an answer)
            ctx = _context(db, person, named.id)
            if ctx is None:
                return Turn().add(Reply(f"{named.title}のチェックリストは、あなたの案件では使われていません。"))
            return Turn().add(checklist_reply(db, named, _today(now), _slugs(db, ctx[1])))
        return Turn().add(today_reply(db, person, named, now))
    d = _today(now)
    slots = plan.slots(plan.settings(db), person, d)
    day = state.day(db, d)
    if not slots:
        why = plan.day_off_reason(person, d) or "定時のチェックリストはありません"
        return Turn().add(Reply(f"本日（{workdays.format_date(d)}）は{why}。定時のチェックリストはありません。"
                                "離席の記録（「離席」）と ICカードの記録（「ICカード」）は、いつでもご利用いただけます。",
                                buttons=home_buttons(db, person, now)))
    # the latest scheduled checklist still open whose time has come, else the next one, else a summary
    open_now = [s for s in slots if day.missing(user_id, s.checklist) and s.send_at <= now]
    upcoming = [s for s in slots if day.missing(user_id, s.checklist)]
    pick = open_now[-1] if open_now else (upcoming or [None])[0]
    if pick is None:
        return Turn().add(Reply(f"本日（{workdays.format_date(d)}）の定時のチェックリスト"
                                f"（{'、'.join(s.checklist.title for s in slots)}）は、すべて回答済みです。ありがとうございます。"))
    return Turn().add(today_reply(db, person, pick.checklist, now))


def expired(db: sqlite_utils.Database, person: dict, c: Checklist, old: str, now: _dt.datetime) -> Turn:
    """A button from another day's message: nothing is recorded; today's checklist instead."""
    try:
        old_text = workdays.format_date(old)
    except ValueError:
        old_text = "以前"
    opening = (f"このメッセージは{old_text}のもので、有効期限が切れています。このボタンでは記録していません。\n")
    d = _today(now)
    if c.schedule.scheduled:
        sl = [s for s in plan.slots(plan.settings(db), person, d) if s.checklist.id == c.id]
        if not sl:
            why = plan.day_off_reason(person, d) or f"{c.title}のチェックリストはありません"
            return Turn().add(Reply(f"{opening}本日（{workdays.format_date(d)}）は{why}。{c.title}のチェックリストはありません。"))
    return Turn().add(today_reply(db, person, c, now, opening=opening + "本日分をお送りします。\n"))


# ---- answering ---------------------------------------------------------------------------------

def _resolve(db, user_id: str, raw: str, now: _dt.datetime, need_item: bool = True):
    """(person, checklist, item, contract, turn) — turn is set when the press cannot be recorded."""
    gate = _gate(db, user_id)
    if gate:
        return None, None, None, None, gate
    person = _person(db, user_id)
    v = parse_value(raw)
    c = content.get(str(v.get("c") or ""))
    item = c.item(str(v.get("i") or "")) if c else None
    if c is None or (need_item and item is None):
        return person, None, None, None, Turn().add(Reply(
            "このボタンの項目は、現在のチェックリストにはありません（チェックリストが改訂された可能性があります）。"
            "「チェックリスト」と送ると、本日のチェックリストをお送りします。"))
    if str(v.get("d") or "") != _today(now).isoformat():
        return person, c, item, None, expired(db, person, c, str(v.get("d") or ""), now)
    ctx = _context(db, person, c.id)
    if ctx is None:
        return person, c, item, None, Turn().add(Reply(f"{c.title}のチェックリストは、あなたの案件では使われていません。"))
    return person, c, item, ctx[1], None


def _progress(db, person: dict, c: Checklist, now: _dt.datetime) -> tuple[str, list[Button]]:
    d = _today(now)
    left = state.day(db, d).missing(person["user_id"], c)
    if not left:
        return f"本日の{c.title}のチェックリストは、これですべて回答済みです。ありがとうございました。", []
    return (f"残りの項目（{len(left)} 件）: {'、'.join(i.label for i in left)}", item_buttons(c, d, left))


def answer(db: sqlite_utils.Database, user_id: str, raw: str, yes: bool, via: str,
           now: _dt.datetime | None = None) -> Turn:
    """「はい」/「いいえ」 on one item. A repeat of the same answer records nothing; a changed
    answer is a new record. "No" asks for the reason (when the item needs one) or tells the lead."""
    now = plan.at_or_now(now)
    person, c, item, contract, turn = _resolve(db, user_id, raw, now)
    if turn is not None:
        return turn
    slugs = _slugs(db, contract)
    d = _today(now)
    ans = "yes" if yes else "no"
    cl = cited(db, item, slugs)
    with store.transaction(db):
        rid = store.answer(db, user_id=user_id, contract=contract, checklist_id=c.id, item_id=item.id, answer=ans,
                           needs_reason=(not yes and item.reason_required), work_date=d.isoformat(),
                           clause_ids=[cl["id"]] if cl else [], source=f"button:{c.id}:{d}", via=via,
                           at=workdays.iso(now))
    progress, buttons = _progress(db, person, c, now)
    moved = moved_on(db, person, now, via, keep_id=rid) if rid is not None else []
    if rid is None:
        prev = store.latest(db, user_id, c.id, item.id, d.isoformat())
        return Turn().add(Reply(f"「{item.label}」は、{workdays.format_jst(prev['at'])} に「{ANSWER_LABELS[ans]}」として"
                                f"記録済みです（二重には記録していません）。\n{progress}", buttons=buttons), (), user_id)
    done = f"「{item.label}」を「{ANSWER_LABELS[ans]}」として記録しました（{workdays.format_jst(now)}）。"
    if yes:
        return Turn().add(Reply(f"{done}\n{progress}", buttons=buttons), moved, user_id)
    if item.reason_required:
        ask = (f"{done}\nお手数ですが、理由を 1 行で入力して、このまま送信してください（例: 社員証を自宅に忘れたため、"
               f"受付で一時証を借りています）。いただいた理由は作業責任者にお伝えします。"
               f"理由を書かない場合は「キャンセル」と送ってください。\n{quote(db, item, slugs)}")
        turn = Turn().add(Reply(ask), moved, user_id)
        return turn.add(Reply(progress, buttons=buttons)) if buttons else turn
    out = notify_no(db, person, store.confirmation(db, rid), None, slugs)
    return Turn().add(Reply(f"{done}{_told(db, out)}\n{progress}", buttons=buttons), out + moved, user_id)


def answer_all(db: sqlite_utils.Database, user_id: str, raw: str, via: str, now: _dt.datetime | None = None) -> Turn:
    """「すべて確認しました」: はい for every item not yet answered today (answers given stay)."""
    now = plan.at_or_now(now)
    person, c, _, contract, turn = _resolve(db, user_id, raw, now, need_item=False)
    if turn is not None:
        return turn
    slugs = _slugs(db, contract)
    d = _today(now)
    recorded = []
    # The clauses first, outside the write lock: finding one in an attachment may load the search index (seconds
    # on a first call), and fifty people confirming at once would each wait that long for the lock.
    cites = {item.id: cited(db, item, slugs) for item in c.checks}
    with store.transaction(db):
        for item in c.checks:
            if store.latest(db, user_id, c.id, item.id, d.isoformat()) is not None:
                continue
            cl = cites[item.id]
            if store.answer(db, user_id=user_id, contract=contract, checklist_id=c.id, item_id=item.id, answer="yes",
                            needs_reason=False, work_date=d.isoformat(), clause_ids=[cl["id"]] if cl else [],
                            source=f"button:{c.id}:{d}", via=via, at=workdays.iso(now)):
                recorded.append(item)
    if not recorded:
        return Turn().add(Reply(f"本日の{c.title}のチェックリストは、すでにすべて回答済みです（二重には記録していません）。"),
                          (), user_id)
    noes = state.day(db, d).noes(user_id, c)
    tail = ("「いいえ」と回答済みの項目（" + "、".join(i.label for i, _ in noes) + "）はそのままです。") if noes else ""
    return Turn().add(Reply(f"{c.title}のチェックリストの {len(recorded)} 項目（{'、'.join(i.label for i in recorded)}）を"
                            f"「はい」として記録しました（{workdays.format_jst(now)}）。{tail}ありがとうございました。"),
                      moved_on(db, person, now, via), user_id)


# ---- the reason for "no", and telling the lead ---------------------------------------------------

def recipients(db: sqlite_utils.Database, person: dict) -> list[str]:
    from storage import people as pstore

    everyone = {p["user_id"]: p for p in pstore.active(db, role="officer") + pstore.active(db, role="admin")}
    lead = people.get_person(db, person.get("lead_id") or "") if person.get("lead_id") else None
    if lead:
        everyone[lead["user_id"]] = lead
    return state.recipients_from(everyone, person)


def _told(db, out: list[Outgoing]) -> str:
    if not out:
        return "（お知らせできる作業責任者・責任者が登録されていません。管理者にご連絡ください。）"
    return f"{'、'.join(people.display_name(db, o.user_id) + 'さん' for o in out)}にお知らせしました。"


def notify_no(db: sqlite_utils.Database, person: dict, conf: dict, reason: dict | None, slugs: list[str],
              *, late: bool = False) -> list[Outgoing]:
    """The message to the lead about a "no", with the reason (or that none came) and the rule."""
    c = content.get(conf["checklist_id"])
    item = c.item(conf["item_id"]) if c else None
    if item is None:
        return []
    who = f"{person['name']}さん（{person['user_id']}）"
    if reason is None:
        why = "理由: （まだ届いていません）" if late else ""
    elif reason["declined"]:
        why = "理由: （ご本人は理由の入力を見送りました）"
    else:
        why = f"理由: {reason['reason']}"
    text = (f"{who}が、{workdays.format_jst(conf['at'])} に{c.title}のチェックリストの項目に「いいえ」と回答しました。\n"
            f"項目: {item.text}\n" + (f"{why}\n" if why else "") + f"{quote(db, item, slugs)}\n"
            "状況をご確認のうえ、必要なご対応をお願いします。")
    kind = "late" if late else "no"
    return [Outgoing(u, Reply(text), key=f"checklist:{kind}:{conf['id']}:{u}") for u in recipients(db, person)]


def moved_on(db: sqlite_utils.Database, person: dict, now: _dt.datetime, via: str,
             keep_id: int | None = None) -> list[Outgoing]:
    """A "no" whose reason was asked, and the person pressed on to another item instead: the lead
    hears of the "no" now (the reason follows if it comes), not when the notices pass finds it
    later. Recorded under the notices pass's own key, so the lead is told once."""
    from handlers import notices
    from handlers.checklist import due

    d = _today(now)
    out = []
    for conf in store.awaiting_reason(db, user_id=person["user_id"], work_date=d.isoformat()):
        if conf["id"] == keep_id:
            continue
        for o in notify_no(db, person, conf, None, _slugs(db, conf["contract"]), late=True):
            if notices.mark_sent(db, f"{due._prefix(d)}noreason:{conf['id']}:{o.user_id}", via=via,
                                 user_id=o.user_id, text=o.reply.text):
                out.append(o)
    return out


INCIDENT_START = "incident_start"   # handlers.incident's start button, offered when a reason reads like an incident


def _awaited_reasons(db: sqlite_utils.Database, user_id: str, now: _dt.datetime) -> list[dict]:
    return store.awaiting_reason(db, user_id, since_at=workdays.iso(now - REASON_WINDOW),
                                 work_date=_today(now).isoformat())


def reason_asked_at(db: sqlite_utils.Database, user_id: str, now: _dt.datetime | None = None) -> str | None:
    """When the latest reason still awaited was asked for (the "no" that asked it), or None."""
    waiting = _awaited_reasons(db, user_id, plan.at_or_now(now))
    return max(r["at"] for r in waiting) if waiting else None


def reason_resume(db: sqlite_utils.Database, user_id: str, via: str, now: _dt.datetime | None = None) -> Turn | None:
    """The reason still awaited, asked again with what is left of its checklist (the terminal chat's start)."""
    now = plan.at_or_now(now)
    waiting = _awaited_reasons(db, user_id, now)
    person = _person(db, user_id)
    if not waiting or person is None:
        return None
    conf = waiting[0]
    c = content.get(conf["checklist_id"])
    item = c.item(conf["item_id"]) if c else None
    turn = Turn().add(Reply(f"「{item.label if item else conf['item_id']}」に「いいえ」と回答された理由をお待ちしています。"
                            "理由を 1 行で入力して、このまま送信してください（書かない場合は「キャンセル」）。"))
    return _with_progress(turn, db, person, c, conf, now)


def _with_progress(turn: Turn, db: sqlite_utils.Database, person: dict, c, conf: dict, now: _dt.datetime) -> Turn:
    """The turn with today's checklist progress and its buttons after it, when the reason is for today's list."""
    if c is not None and conf["work_date"] == _today(now).isoformat():
        progress, buttons = _progress(db, person, c, now)
        if buttons:
            turn.add(Reply(progress, buttons=buttons))
    return turn


def reason_session(db: sqlite_utils.Database, user_id: str, text: str, via: str,
                   now: _dt.datetime | None = None) -> Turn | None:
    """After a "no", the person's next DM is its reason (None when no reason is awaited)."""
    now = plan.at_or_now(now)
    waiting = _awaited_reasons(db, user_id, now)
    if not waiting:
        return None
    t = unicodedata.normalize("NFKC", text or "").strip()
    if not t or t.startswith("/") or capabilities.is_command(t):
        return None     # 「離席」「インシデント報告」 and the like keep working while a reason is awaited
    person = _person(db, user_id)
    if person is None:
        return None
    conf = waiting[0]
    declined = t.lower() in CANCEL_WORDS
    from handlers.incident import mask   # here: the incident package imports the checklist's neighbours

    hidden = mask.mask(" ".join(t.split())[:500]) if not declined else None
    reason_text = hidden.text if hidden else ""     # personal data hidden before it is stored or sent
    with store.transaction(db):
        if not store.add_reason(db, confirmation_id=conf["id"], user_id=user_id, reason=reason_text,
                                declined=declined, via=via, at=workdays.iso(now)):
            return None
    slugs = _slugs(db, conf["contract"])
    out = notify_no(db, person, conf, store.reason(db, conf["id"]), slugs)
    c = content.get(conf["checklist_id"])
    item = c.item(conf["item_id"]) if c else None
    label = item.label if item else conf["item_id"]
    head = (f"「{label}」の理由の入力を見送りました。「いいえ」の回答は記録されています。" if declined
            else f"「{label}」の理由を記録しました: {reason_text}")
    if hidden and hidden.changed:
        head += f"\n※ {hidden.labels()}と思われる部分は伏せ字にして記録しました。"
    turn = Turn().add(Reply(f"{head}\n{_told(db, out)}"), out, user_id)
    if not declined and capabilities.matches_trigger(t) and INCIDENT_START in capabilities.action_ids():
        # the reason reads like an incident (「紛失した」): it stays a reason, and the report is one tap away
        turn.add(Reply("ご入力の内容は、事故やその恐れ（紛失・盗難・誤送信など）に当たるかもしれません。当たる場合は、"
                       "直ちに報告してください。", [Button("インシデント報告を始める", INCIDENT_START, "", "danger")]))
    more = waiting[1:]
    if more:
        nxt = content.get(more[0]["checklist_id"])
        nitem = nxt.item(more[0]["item_id"]) if nxt else None
        turn.add(Reply(f"続けて、「{nitem.label if nitem else more[0]['item_id']}」に「いいえ」と回答された理由を"
                       "1 行で入力してください（書かない場合は「キャンセル」）。"))
    else:
        _with_progress(turn, db, person, c, conf, now)
    return turn


# ---- leaving the desk -----------------------------------------------------------------------------

def leave(db: sqlite_utils.Database, user_id: str, via: str, now: _dt.datetime | None = None) -> Turn:
    """「離席」: records leaving the desk and the screen-lock confirmation, with the time."""
    gate = _gate(db, user_id)
    if gate:
        return gate
    now = plan.at_or_now(now)
    person = _person(db, user_id)
    ctx = _context(db, person, "leave")
    c = content.get("leave")
    if c is None or ctx is None:
        return Turn().add(Reply("離席時のチェックリストは、あなたの案件では使われていません。"))
    item = c.checks[0]
    slugs = _slugs(db, ctx[1])
    d = _today(now)
    cl = cited(db, item, slugs)          # outside the write lock (answer_all says why)
    with store.transaction(db):
        current = store.open_away(db, user_id)
        if current:
            a = current[0]
            return Turn().add(Reply(f"{workdays.format_jst(a['at'])} から離席中として記録しています（二重には記録していません）。"
                                    "席に戻られたら「戻りました」と送るか、下のボタンを押してください。",
                                    buttons=[Button("戻りました", ACTION_BACK, str(a["id"]), "primary")]))
        aid = store.start_away(db, user_id=user_id, via=via, at=workdays.iso(now))
        store.record(db, user_id=user_id, contract=ctx[1], checklist_id=c.id, item_id=item.id, answer="yes",
                     work_date=d.isoformat(), clause_ids=[cl["id"]] if cl else [], source=f"away:{aid}",
                     dedupe=f"{user_id}|{c.id}|{d}|{item.id}|away:{aid}", via=via, at=workdays.iso(now))
    text = (f"離席を記録しました（{workdays.format_jst(now)}）。「{item.text}」の確認として記録しています。\n"
            f"{quote(db, item, slugs)}\n"
            "席に戻られたら「戻りました」と送るか、下のボタンを押してください。"
            "ロックできていない場合は「ロックできていません」を押してください。")
    return Turn().add(Reply(text, buttons=[Button("戻りました", ACTION_BACK, str(aid), "primary"),
                                           Button("ロックできていません", ACTION_NO, value(c.id, d, item.id))]),
                      (), user_id)


def back(db: sqlite_utils.Database, user_id: str, via: str, away_id: str | None = None,
         now: _dt.datetime | None = None) -> Turn:
    """「戻りました」: closes the open leaving-desk record (once)."""
    gate = _gate(db, user_id)
    if gate:
        return gate
    now = plan.at_or_now(now)
    with store.transaction(db):
        target = None
        if away_id and str(away_id).isdigit():
            target = store.away_record(db, int(away_id))
            if target and (target["user_id"] != user_id or target["event"] != "start"):
                target = None
            if target:
                ended = store.away_end(db, target["id"])
                if ended:
                    return Turn().add(Reply(f"{workdays.format_jst(target['at'])} からの離席は、"
                                            f"{workdays.format_jst(ended['at'])} に戻りを記録済みです（二重には記録していません）。"))
        if target is None:
            current = store.open_away(db, user_id)
            if not current:
                return Turn().add(Reply("離席中の記録はありません。席を離れるときは「離席」と送ってください。"))
            target = current[0]
        store.end_away(db, user_id=user_id, start_id=target["id"], via=via, at=workdays.iso(now))
    minutes = max(0, int((now - workdays.parse(target["at"])).total_seconds() // 60))
    return Turn().add(Reply(f"おかえりなさい。戻りを記録しました（{workdays.format_jst(now)}、離席時間 {minutes} 分）。"),
                      (), user_id)


# ---- IC card ----------------------------------------------------------------------------------

def ic_menu_reply(db, person: dict, now: _dt.datetime, slugs: list[str], opening: str = "") -> Reply:
    c = content.get("ic_card")
    d = _today(now)
    key = secrets.token_hex(4)
    lines = [f"{opening}ICカードについて、記録する出来事を選んでください。"]
    for i in c.items:
        lines.append(f"・{i.label}: {i.text}")
    lines.append(quote(db, c.items[0], slugs))
    lines.append("紛失（盗難・紛失のおそれを含みます）は、事故報告として直ちに作業責任者と情報セキュリティ対策責任者に伝わります。")
    return Reply("\n".join(lines), buttons=[
        Button(f"ICカードを{i.label}" if not i.label.startswith("ICカード") else i.label, ACTION_IC,
               value(c.id, d, i.id, key), "danger" if i.action == "incident" else None) for i in c.items])


def ic_menu(db: sqlite_utils.Database, user_id: str, rest: str, via: str, now: _dt.datetime | None = None) -> Turn:
    """「ICカード [受け取り|返却|紛失]」: the IC card events, or one of them at once."""
    gate = _gate(db, user_id)
    if gate:
        return gate
    now = plan.at_or_now(now)
    person = _person(db, user_id)
    ctx = _context(db, person, "ic_card")
    if ctx is None:
        return Turn().add(Reply("ICカードの記録は、あなたの案件では使われていません。"))
    word = unicodedata.normalize("NFKC", rest or "").strip()
    picks = {"受け取": "received", "受取": "received", "受領": "received", "返却": "returned", "返し": "returned",
             "紛失": "lost", "なくし": "lost", "無くし": "lost", "失くし": "lost", "盗難": "lost", "落とし": "lost"}
    item_id = next((v for k, v in picks.items() if k in word), None)
    if item_id:
        return ic_event(db, user_id, value("ic_card", _today(now), item_id, f"cmd:{secrets.token_hex(6)}"), via, now)
    return Turn().add(ic_menu_reply(db, person, now, _slugs(db, ctx[1])))


def ic_event(db: sqlite_utils.Database, user_id: str, raw: str, via: str, now: _dt.datetime | None = None) -> Turn:
    now = plan.at_or_now(now)
    person, c, item, contract, turn = _resolve(db, user_id, raw, now)
    if turn is not None:
        return turn
    v = parse_value(raw)
    key = str(v.get("k") or secrets.token_hex(6))
    slugs = _slugs(db, contract)
    d = _today(now)
    cl = cited(db, item, slugs)
    with store.transaction(db):
        rid = store.record(db, user_id=user_id, contract=contract, checklist_id=c.id, item_id=item.id, answer="event",
                           work_date=d.isoformat(), clause_ids=[cl["id"]] if cl else [], source=f"ic:{key}",
                           dedupe=f"{user_id}|{c.id}|{d}|{item.id}|{key}", via=via, at=workdays.iso(now))
    if rid is None:
        return Turn().add(Reply(f"「{item.text}」は、このメッセージから記録済みです（二重には記録していません）。"))
    if item.action == "incident":
        return lost(db, person, rid, item, slugs, via, now)
    return Turn().add(Reply(f"「{item.text}」を記録しました（{workdays.format_jst(now)}）。\n{quote(db, item, slugs)}"),
                      (), user_id)


def _incident_start():
    """handlers.incident.start when the incident capability is installed, else None."""
    import importlib

    try:
        mod = importlib.import_module("handlers.incident")
    except ModuleNotFoundError as e:
        if e.name in ("handlers.incident",):
            return None
        raise
    return getattr(mod, "start", None)


def lost(db, person: dict, rid: int, item: Item, slugs: list[str], via: str, now: _dt.datetime) -> Turn:
    """An IC card lost: the record, the lead and the officers told at once (whatever the person
    presses next — a report cancelled halfway must not leave them unaware), then the incident
    report with the card filled in."""
    from storage import people as pstore

    user_id = person["user_id"]
    head = f"ICカードの紛失を記録しました（{workdays.format_jst(now)}）。"
    start = _incident_start()
    targets = list(dict.fromkeys(recipients(db, person) + [p["user_id"] for p in pstore.active(db, role="officer")]))
    targets = [t for t in targets if t != user_id]
    follow = ("ご本人には続けて事故報告の入力をお願いしています。報告が届くまでの間も、" if start is not None else "")
    text = (f"【至急】{person['name']}さん（{user_id}）から、貸与されたICカードを紛失した（盗難・紛失のおそれを含む）との"
            f"報告がありました（{workdays.format_jst(now)}）。\n{follow}直ちにご本人に状況（最後に確認した日時・場所、"
            "カードの利用停止の要否）を確認し、事故として市へ報告してください。\n"
            + "\n".join(quotes(db, item, slugs, 3) or [quote(db, item, slugs)]))
    out = [Outgoing(t, Reply(text), key=f"checklist:ic_lost:{rid}:{t}") for t in targets]
    told = _told(db, out) if out else "（お知らせできる作業責任者・責任者が登録されていません。管理者に直接ご連絡ください。）"
    if start is not None:
        inc = start(db, user_id, via, preset={"type": "ic_card", "from": "checklist"})
        turn = Turn().add(Reply(f"{head}{told}続けて、事故報告をお願いします。\n{quote(db, item, slugs)}"), out, user_id)
        turn.replies += inc.replies
        turn.outgoing += inc.outgoing
        turn.refresh |= inc.refresh
        if getattr(inc, "answer", None) is not None and turn.answer is None:
            turn.answer = inc.answer
        return turn
    reply = (f"{head}\n{told}\n"
             "事故は直ちに報告する決まりです。作業責任者の指示に従い、最後に確認した日時と場所を思い出してお伝えください。\n"
             f"{quote(db, item, slugs)}")
    return Turn().add(Reply(reply), out, user_id)


# ---- Home buttons ---------------------------------------------------------------------------------

def home_buttons(db, person: dict, now: _dt.datetime) -> list[Button]:
    away = store.open_away(db, person["user_id"])
    b = [Button("戻りました", ACTION_BACK, str(away[0]["id"]), "primary") if away
         else Button("離席します", ACTION_AWAY, "")]
    if plan.slots(plan.settings(db), person, _today(now)):
        b.append(Button("チェックリストを開く", ACTION_OPEN, ""))
    if plan.checklist_for(plan.settings(db), person, "ic_card"):
        b.append(Button("ICカードの記録", ACTION_OPEN, "ic_card"))
    return b
