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

from handlers import access, capabilities, workdays
from handlers.checklist import plan
from handlers.checklist import state as cstate
from handlers.checklist import team as cteam
from handlers.replies import Reply, Turn
from handlers.training import state as tstate
from handlers.training import views as tviews
from storage import people as pstore

MAX_MATCHES = 5


def _plain(name: str) -> str:
    return unicodedata.normalize("NFKC", name or "").replace(" ", "").replace("\u3000", "").lower()


def matches(db: sqlite_utils.Database, viewer_id: str, said: str) -> list[dict]:
    """The people the viewer may see whose name is `said`, or starts with it (a family name alone)."""
    said = _plain(said)
    if not said:
        return []
    s = access.scope(db, viewer_id)
    if s.role is None:
        return []
    seen = [p for p in pstore.active(db) if s.allows(p["user_id"])]
    exact = [p for p in seen if _plain(p["name"]) == said]
    if exact:
        return exact
    return [p for p in seen if len(said) >= 2 and _plain(p["name"]).startswith(said)]


def person_text(db: sqlite_utils.Database, p: dict, now) -> str:
    """Today's checklists and the training of one person, in the words of the team and training views."""
    lines = [f"{p['name']}さん（{workdays.format_jst(now)} 時点）"]
    day = cstate.day(db, now.date())
    if plan.is_participant(p):
        line, _ = cteam.member_line(db, day, p, now)
        lines.append("◆ 今日のチェックリスト")
        lines.append(line)
    ctx = tstate.Context(db, now)
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
    parts = [person_text(db, p, now) for p in found]
    if len(found) > 1:
        parts.insert(0, f"「{meaning.args[0]}」さんに当たる方が {len(found)} 名います。")
    return Turn().add(Reply("\n\n".join(parts)))


capabilities.register_intent("member", status)
