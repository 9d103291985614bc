"""One person's state, asked for by name (capabilities.INTENTS "member"): 「作業二郎さんの研修どうなってる？」
「山田さんチェックリスト出した？」「佐藤さんの状況」. A lead with twenty people asks about one of them; these were
searched as rule questions (「…さんの研修どうなってる？」 got 【義務】 from the training clause).

Only people the asker may see are looked up (handlers.access.scope: a lead their team, the officer and admins
everyone, a worker themselves). A name that matches nobody the asker may see is not ours: the message goes on
as a rule question (「派遣さんの研修は必要？」), and nothing says whether such a person exists.
"""
from __future__ import annotations

import unicodedata

import sqlite_utils

from handlers import access, capabilities, people, workdays
from handlers.checklist import plan
from handlers.checklist import state as cstate
from handlers.checklist import team as cteam
from handlers.replies import Outgoing, Reply, Turn
from handlers.training import state as tstate
from handlers.training import views as tviews
from storage import people as pstore

MAX_MATCHES = 5


def _plain(name: str) -> str:
    return unicodedata.normalize("NFKC", name or "").replace(" ", "").replace("\u3000", "").lower()


def _visible(db: sqlite_utils.Database, viewer_id: str) -> list[dict]:
    """The active people the viewer may see (access.scope: a lead their team and themselves, the officer everyone)."""
    s = access.scope(db, viewer_id)
    return [p for p in pstore.active(db) if s.allows(p["user_id"])] if s.role is not None else []


def matches(db: sqlite_utils.Database, viewer_id: str, said: str) -> list[dict]:
    """The people the viewer may see whose name is `said`, or starts with it (a family name alone)."""
    said = _plain(said)
    if not said:
        return []
    seen = _visible(db, viewer_id)
    exact = [p for p in seen if _plain(p["name"]) == said]
    if exact:
        return exact
    return [p for p in seen if len(said) >= 2 and _plain(p["name"]).startswith(said)]


def person_text(db: sqlite_utils.Database, p: dict, now, day: cstate.Day, ctx: tstate.Context) -> str:
    """Today's checklists and the training of one person, in the words of the team and training views."""
    lines = [f"{p['name']}さん（{workdays.format_jst(now)} 時点）"]
    if plan.is_participant(p):
        line, _ = cteam.member_line(db, day, p, now)
        lines.append("◆ 今日のチェックリスト")
        lines.append(line)
    tracks = ctx.tracks(p)
    if tracks:
        lines.append("◆ 研修")
        for t in tracks:
            lines.append(tviews.person_line(t))
            if t.pledge:
                lines.append(f"　誓約: {workdays.format_jst(t.pledge['at'])}")
    return "\n".join(lines)


def status(db: sqlite_utils.Database, user_id: str, meaning, via: str) -> Turn | None:
    found = matches(db, user_id, meaning.args[0])
    if not found:
        return None          # nobody the asker may see: a rule question after all
    now = plan.now()
    if len(found) > MAX_MATCHES:
        names = "、".join(f"{p['name']}さん" for p in found[:MAX_MATCHES])
        return Turn().add(Reply(f"「{meaning.args[0]}」さんに当たる方が {len(found)} 名います（{names} ほか）。"
                                "フルネームでお尋ねください。"))
    day, ctx = cstate.day(db, now.date()), tstate.Context(db, now)
    parts = [person_text(db, p, now, day, ctx) for p in found]
    if len(found) > 1:
        parts.insert(0, f"「{meaning.args[0]}」さんに当たる方が {len(found)} 名います。")
    return Turn().add(Reply("\n\n".join(parts)))


# ---- 「山田さんに催促して」: a nudge by DM ------------------------------------------------------------

NUDGE_EVERYONE = "*"      # 「未提出の人に催促して」: everyone the asker oversees with something open


def _pending(day: cstate.Day, ctx: tstate.Context, p: dict, now) -> tuple[list, list]:
    """(checklists whose time has come and which are not fully answered today, training tracks not complete)."""
    lists = [s.checklist for s in day.slots(p) if s.send_at <= now and day.missing(p["user_id"], s.checklist)]
    tracks = [t for t in ctx.tracks(p) if not t.complete]
    return lists, tracks


def _training_text(tracks: list) -> str:
    return ("研修がまだ終わっていません（" + "、".join(f"{t.course.title}: 期限 {workdays.format_date(t.due)}" for t in tracks)
            + "）。「研修」と送ると始められます。")


def _nudge_reply(db, sender: str, p: dict, lists: list, tracks: list, now) -> Reply:
    from handlers.checklist import core

    opening = f"{sender}さんから、確認のお願いです。\n"
    if lists:
        r = core.today_reply(db, p, lists[-1], now, opening=opening)
        return Reply(r.text + ("\n" + _training_text(tracks) if tracks else ""), buttons=r.buttons)
    return Reply(opening + _training_text(tracks))


def nudge(db: sqlite_utils.Database, user_id: str, meaning, via: str) -> Turn | None:
    s = access.scope(db, user_id)
    said = meaning.args[0] if meaning.args and meaning.args[0] else NUDGE_EVERYONE
    if said == NUDGE_EVERYONE:
        if s.role is None or (not s.everyone and s.role != "lead"):
            return Turn().add(Reply("催促のお知らせは、作業責任者と情報セキュリティ対策責任者の方が送れます。"))
        found = [p for p in _visible(db, user_id) if p["user_id"] != user_id]
    else:
        found = [p for p in matches(db, user_id, said) if p["user_id"] != user_id]
        if not found:
            return None      # nobody the asker oversees by that name: not ours
    now = plan.now()
    sender = (people.get_person(db, user_id) or {}).get("name") or user_id
    day, ctx = cstate.day(db, now.date()), tstate.Context(db, now)
    out, told, nothing = [], [], []
    for p in found:
        lists, tracks = _pending(day, ctx, p, now)
        if not lists and not tracks:
            nothing.append(p["name"])
            continue
        what = [f"{c.title}のチェックリスト" for c in lists] + (["研修"] if tracks else [])
        told.append(f"{p['name']}さん（{'、'.join(what)}）")
        # one nudge per person a minute: a double click or a retried event sends it once
        out.append(Outgoing(p["user_id"], _nudge_reply(db, sender, p, lists, tracks, now),
                            key=f"nudge:{user_id}:{p['user_id']}:{now:%Y%m%d%H%M}"))
    lines = []
    if told:
        lines.append("DM でお知らせしました: " + "、".join(told) + "。")
    if nothing:
        lines.append("いまお願いすることはありません（本日のチェックリストは回答済みまたは時刻前、研修は修了）: "
                     + "、".join(f"{n}さん" for n in nothing) + "。")
    if not lines:
        lines.append("お知らせする方はいません。")
    return Turn().add(Reply("\n".join(lines)), out)


capabilities.register_intent("member", status)
capabilities.register_intent("member.nudge", nudge)
