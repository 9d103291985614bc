"""Checklist confirmations: 始業時, 離席時, 終業時 and ICカード — recorded, reminded, escalated.

The checklists are content (knowledge/checklists/*.toml, see handlers.checklist.content); a
contract picks its checklists and their times (handlers.checklist.plan). This module plugs the
capability into the runtime at import (it is listed in handlers.capabilities.CAPABILITY_MODULES):

- buttons (handlers.capabilities.register_action):
  `checklist_yes` / `checklist_no` (value {"c","i","d"}: one item, はい / いいえ),
  `checklist_all` (「すべて確認しました」, value {"c","d"}), `checklist_open` (Home: today's
  checklist, or value "ic_card"), `checklist_away` / `checklist_back` (離席 / 戻りました, value the
  leaving-desk record id), `checklist_ic` (IC card event, value {"c","i","d","k"});
- words (DM, `/mamoru …`, the terminal): 「チェックリスト [始業時|終業時|…] [すべて]」, 「離席」,
  「戻りました」, 「ICカード [受け取り|返却|紛失]」, 「team」/「チーム」 (leads and above);
  「チェックリストまだ出してない」「昨日の分のチェック忘れてた」 (handlers.checklist.missed: today's
  opens, a past day's is not filled in afterwards and the person is told what was recorded and sent);
- a session: after 「いいえ」 on an item that needs a reason, the person's next DM is the reason,
  which goes to their lead at once with the clause (a reason that has not come within 30 minutes:
  the lead is told without it by the notices pass);
- notices (handlers.notices.register_source "checklist", handlers.checklist.due): the scheduled
  DM, one reminder after the deadline; the lead's digest part (handlers.digest, part "checklist",
  sent when the grace time has ended);
- App Home: section "checklist" (the person's day, with 離席 / チェックリスト / ICカード buttons)
  and "checklist_team" (leads, officers, admins: the team's day and who is away).

Records (storage.checklists): every answer is a row — who, contract, checklist, item, はい / いいえ
/ 報告, the reason (its own row, linked), work date, time, via, the message it came from — and a
double tap, a retried event or yesterday's button records nothing twice.
"""
from __future__ import annotations

from handlers import capabilities, digest, home, notices
from handlers.checklist import content, core, due, missed, plan, team
from handlers.checklist.core import (ACTION_ALL, ACTION_AWAY, ACTION_BACK, ACTION_IC, ACTION_NO, ACTION_OPEN,  # noqa: F401
                                     ACTION_YES)
from handlers.checklist.plan import now  # noqa: F401

WORDS = {
    "open": ["チェックリスト", "ちぇっくりすと", "checklist", "チェック"],
    "leave": ["離席", "離席します", "りせき", "離席中"],
    "back": ["戻りました", "もどりました", "戻り", "戻ります", "復帰", "復帰しました", "ただいま"],
    "ic": ["ICカード", "icカード", "ＩＣカード", "アイシーカード"],
    "team": ["team", "チーム"],
}


def _open(db, user_id, rest, via):
    return core.open_checklist(db, user_id, rest, via)


def _leave(db, user_id, rest, via):
    # 「離席 ロックは必要？」 is a question, not a record: only the bare word (or a short note) records.
    if rest and ("?" in rest or "？" in rest or len(rest) > 20):
        return None
    return core.leave(db, user_id, via)


def _back(db, user_id, rest, via):
    if rest and ("?" in rest or "？" in rest or len(rest) > 20):
        return None
    return core.back(db, user_id, via)


def _ic(db, user_id, rest, via):
    if rest and ("?" in rest or "？" in rest or len(rest) > 20):
        return None
    return core.ic_menu(db, user_id, rest, via)


def _team(db, user_id, rest, via):
    if rest.strip():
        return None
    return team.team(db, user_id, rest, via)


def _ic_said(item_id: str | None):
    """「icｶｰﾄﾞ返却しました」: the event at once. A contract without IC card records lets a loss go on
    to the incident report (the trigger), and says so for the others."""
    def fn(db, user_id, meaning, via):
        person = core._person(db, user_id)
        if person is None and item_id == "lost":
            return None        # the incident report tells an unregistered person whom to call
        if person is not None and not plan.checklist_for(plan.settings(db), person, "ic_card"):
            return None if item_id in (None, "lost") else core.ic_menu(db, user_id, "", via)
        return core.ic_menu(db, user_id, {"received": "受け取り", "returned": "返却", "lost": "紛失"}.get(item_id, ""), via)
    return fn


# 「今日の作業終わりました」「これから作業始めます」: the day's end or start, said rather than asked for.
_ENDS = ("終業", "終わ", "おわ", "終了", "しゅうりょう", "終え", "おえ")
_STARTS = ("始業", "開始", "かいし", "始め", "はじめ", "始ま", "はじま")


def _which(said: str) -> str:
    """「終業チェック」「作業終わりました」 open the 終業時 checklist, 「始業」「作業を始めます」 the 始業時 one;
    anything else today's first open one."""
    if any(w in said for w in _ENDS):
        return "終業"
    return "始業" if any(w in said for w in _STARTS) else ""


def _press_open(db, user_id, value, via):
    if value == "ic_card":
        return core.ic_menu(db, user_id, "", via)
    return core.open_checklist(db, user_id, value or "", via)


capabilities.register_action(ACTION_YES, lambda db, u, v, via: core.answer(db, u, v, True, via))
capabilities.register_action(ACTION_NO, lambda db, u, v, via: core.answer(db, u, v, False, via))
capabilities.register_action(ACTION_ALL, lambda db, u, v, via: core.answer_all(db, u, v, via))
capabilities.register_action(ACTION_OPEN, _press_open)
capabilities.register_action(ACTION_AWAY, lambda db, u, v, via: core.leave(db, u, via))
capabilities.register_action(ACTION_BACK, lambda db, u, v, via: core.back(db, u, via, away_id=v))
capabilities.register_action(ACTION_IC, lambda db, u, v, via: core.ic_event(db, u, v, via))
capabilities.register_command(WORDS["open"], _open)
capabilities.register_command(WORDS["leave"], _leave)
capabilities.register_command(WORDS["back"], _back)
capabilities.register_command(WORDS["ic"], _ic)
capabilities.register_command(WORDS["team"], _team)
capabilities.register_intent("ic.received", _ic_said("received"))
capabilities.register_intent("ic.returned", _ic_said("returned"))
capabilities.register_intent("ic.lost", _ic_said("lost"))
capabilities.register_intent("ic.menu", _ic_said(None))
capabilities.register_intent("away", lambda db, u, m, via: core.leave(db, u, via))
capabilities.register_intent("back", lambda db, u, m, via: core.back(db, u, via))
capabilities.register_intent("checklist.open", lambda db, u, m, via: core.open_checklist(db, u, _which(m.plain), via))
capabilities.register_intent("team", lambda db, u, m, via: team.team(db, u, "", via))
capabilities.register_intent("checklist.missed", lambda db, u, m, via: missed.missed(db, u, m, via))
capabilities.register_session(lambda db, u, t, via: core.reason_session(db, u, t, via),
                              lambda db, u: core.reason_asked_at(db, u), lambda db, u, via: core.reason_resume(db, u, via))

notices.register_source(due.SOURCE, due.due, due.still_due)
digest.register_digest_part("checklist", team.digest_part, order=10)
digest.register_digest_times("checklist", team.digest_times)

home.register_section("checklist", "今日のチェックリスト", team.home_section, 20)
home.register_section("checklist_team", "チームのチェックリスト・離席の状況", team.home_team_section, 65)
