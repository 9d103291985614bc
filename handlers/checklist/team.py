"""What a lead sees: today's state of the team (`/mamoru team`, App Home) and the digest part."""
from __future__ import annotations

import datetime as _dt

import sqlite_utils

from handlers import people, workdays
from handlers.checklist import core, plan, state
from handlers.replies import Reply, Turn

MAX_LISTED_HOME = 15

LEAD_ROLES = people.APPROVERS     # lead, officer, admin


def members(day: state.Day, viewer: dict) -> list[dict]:
    """Whose checklists the viewer oversees: a lead their team (and anyone who reports to them for
    want of a lead); officers and admins everyone taking part."""
    if viewer["role"] in ("officer", "admin"):
        return [p for p in day.participants() if p["user_id"] != viewer["user_id"]]
    return day.team_of(viewer["user_id"])


def _duration(since: str, now: _dt.datetime) -> str:
    minutes = max(0, int((now - workdays.parse(since)).total_seconds() // 60))
    return f"{minutes // 60} 時間 {minutes % 60} 分" if minutes >= 60 else f"{minutes} 分"


def member_line(db: sqlite_utils.Database, day: state.Day, p: dict, now: _dt.datetime,
                cite: dict | None = None) -> tuple[str, bool]:
    """One line for one person, and whether something needs attention (overdue, いいえ, away).

    The items needing attention are added to `cite` ({label: (item, slugs)}) for the rules shown below."""
    uid = p["user_id"]
    cite = {} if cite is None else cite
    parts: list[str] = []
    attention = False
    slots = day.slots(p)
    if not slots:
        parts.append(f"本日は対象外（{plan.day_off_reason(p, day.date) or '定時のチェックリストなし'}）")
    for s in slots:
        c = s.checklist
        left = day.missing(uid, c)
        noes = day.noes(uid, c)
        if not left:
            times = [day.answer(uid, c.id, i.id).at for i in c.checks]
            text = f"{c.title} 確認済み（{core._hm(workdays.parse(max(times)))}）"
        elif now < s.send_at:
            text = f"{c.title} {core._hm(s.send_at)} から"
        elif now < s.deadline_at:
            text = f"{c.title} 未確認（期限 {core._hm(s.deadline_at)}）"
        else:
            attention = True
            text = f"{c.title} 期限切れ・未確認: {'、'.join(i.label for i in left)}"
            for i in left:
                cite.setdefault(i.label, (i, day.slugs(db, s.contract)))
        if noes:
            attention = True
            why = []
            for i, a in noes:
                cite.setdefault(i.label, (i, day.slugs(db, s.contract)))
                r = a.reason if a.reason_recorded and not a.declined else ("理由なし" if a.reason_recorded else "理由未回答")
                why.append(f"{i.label}（{r}）")
            text += f"／いいえ: {'、'.join(why)}"
        parts.append(text)
    away = day.away.get(uid)
    if away:
        attention = True
        parts.append(f"離席中（{core._hm(workdays.parse(away['at']))} から {_duration(away['at'], now)}）")
        from handlers.checklist import content

        leave = content.get("leave")
        if leave:
            cite.setdefault(leave.checks[0].label, (leave.checks[0], day.slugs(db, (p["contracts"] or [None])[0])))
    return f"・{p['name']}さん: " + "／".join(parts), attention


def team_text(db: sqlite_utils.Database, viewer: dict, now: _dt.datetime, limit: int | None = None) -> str:
    day = state.day(db, now.date())
    team = members(day, viewer)
    scope = "登録されている方全員" if viewer["role"] in ("officer", "admin") else "あなたのチーム"
    head = f"{workdays.format_jst(now)} 時点の{scope}のチェックリストの状況です（{len(team)} 名）。"
    if not team:
        return head + "\n対象の方はいません（作業従事者の登録で、作業責任者にあなたが指定されるとここに表示されます）。"
    lines = []
    cite: dict = {}
    counts = {"away": 0, "attention": 0}
    for p in sorted(team, key=lambda p: p["user_id"]):
        line, attention = member_line(db, day, p, now, cite)
        counts["attention"] += attention
        counts["away"] += p["user_id"] in day.away
        lines.append((not attention, line))
    lines.sort(key=lambda t: t[0])   # people needing attention first
    shown = [l for _, l in lines[:limit]] if limit else [l for _, l in lines]
    summary = f"対応が必要な方: {counts['attention']} 名、離席中: {counts['away']} 名。"
    more = [f"ほか {len(lines) - len(shown)} 名（`/mamoru team` で全員を表示します）。"] if len(shown) < len(lines) else []
    if not cite:   # nothing to flag: the rule behind the leaving-desk records shown here
        from handlers.checklist import content

        leave = content.get("leave")
        if leave:
            cite[leave.checks[0].label] = (leave.checks[0], [])
    rules = ["根拠:"] + [f"・{label}: {core.citation(db, i, slugs)}" for label, (i, slugs) in cite.items()]
    return "\n".join([head, summary, *shown, *more, *rules])


def team(db: sqlite_utils.Database, user_id: str, rest: str, via: str, now: _dt.datetime | None = None) -> Turn:
    """`/mamoru team`: today's checklists and who is away, for leads, officers and admins."""
    from handlers import access

    viewer = people.get_person(db, user_id)
    if viewer is None:
        access.record(db, user_id, what="チームの状況", reason="unregistered", via=via, now=now)
        return Turn().add(people.require_worker(db, user_id))
    if viewer["role"] not in LEAD_ROLES:
        access.record(db, user_id, what="チームの状況", reason="needs_team", via=via, now=now)
        return Turn().add(Reply("申し訳ありませんが、チームの状況は作業責任者・情報セキュリティ対策責任者・管理者の方だけが"
                                "ご覧いただけます。ご自身の状況はホームタブ、または「チェックリスト」でご確認ください。"))
    return Turn().add(Reply(team_text(db, viewer, plan.at_or_now(now))))


# ---- App Home -------------------------------------------------------------------------------------

def own_text(db: sqlite_utils.Database, person: dict, now: _dt.datetime) -> str:
    d = now.date()
    day = state.day(db, d)
    lines = [f"{workdays.format_date(d)}"]
    slots = day.slots(person)
    if not slots:
        lines.append(f"本日は{plan.day_off_reason(person, d) or '定時のチェックリストはありません'}。")
    for s in slots:
        c = s.checklist
        left = day.missing(person["user_id"], c)
        if not left:
            noes = day.noes(person["user_id"], c)
            lines.append(f"・{c.title}: 確認済み" + (f"（いいえ: {'、'.join(i.label for i, _ in noes)}）" if noes else ""))
        elif now < s.send_at:
            lines.append(f"・{c.title}: {core._hm(s.send_at)} にお送りします（期限 {core._hm(s.deadline_at)}）")
        elif now < s.deadline_at:
            lines.append(f"・{c.title}: 未確認 {len(left)} 項目（期限 {core._hm(s.deadline_at)}）")
        else:
            lines.append(f"・{c.title}: 期限を過ぎています。未確認: {'、'.join(i.label for i in left)}")
    away = day.away.get(person["user_id"])
    if away:
        lines.append(f"離席中です（{workdays.format_jst(away['at'])} から）。戻られたら「戻りました」を押してください。")
    else:
        lines.append("席を離れるときは「離席します」を押してください（画面ロックの確認として記録します）。")
    from handlers.checklist import content

    leave = content.get("leave")
    if leave:
        lines.append(core.quote(db, leave.checks[0], people.contract_slugs(db, person["user_id"]), 60))
    return "\n".join(lines)


def home_section(db, person: dict | None, user_id: str) -> dict | None:
    if person is None:
        return None
    now = plan.now()
    return {"text": own_text(db, person, now), "buttons": core.home_buttons(db, person, now)}


def home_team_section(db, person: dict | None, user_id: str) -> dict | None:
    if person is None or person["role"] not in LEAD_ROLES:
        return None
    return {"text": team_text(db, person, plan.now(), limit=MAX_LISTED_HOME), "buttons": []}


# ---- the digest part -----------------------------------------------------------------------------

def digest_part(db: sqlite_utils.Database, lead_id: str, now: _dt.datetime) -> str | None:
    """Who reporting to this lead has not answered a checklist whose grace time has ended today."""
    now = workdays.local(now)
    day = state.day(db, now.date())
    lead = day.person(lead_id)
    if lead is None:
        return None
    groups: dict[str, list[str]] = {}
    items: dict[str, tuple] = {}
    titles: dict[str, str] = {}
    from handlers.report.figures import registered_since

    for p in sorted(day.team_of(lead_id), key=lambda p: p["user_id"]):
        since = registered_since(db, p["user_id"], now)
        for s in day.slots(p):
            if s.grace_end_at is None or now < s.grace_end_at:
                continue
            if since is not None and (s.deadline_at or s.send_at) < since:
                continue      # registered after this checklist's deadline: nothing was owed
            left = day.missing(p["user_id"], s.checklist)
            if not left:
                continue
            key = f"{s.checklist.id}|{core._hm(s.deadline_at)}"
            titles[key] = f"{s.checklist.title}（期限 {core._hm(s.deadline_at)}）"
            groups.setdefault(key, []).append(f"・{p['name']}さん: {'、'.join(i.label for i in left)}")
            for i in left:
                items.setdefault(i.label, (i, day.slugs(db, s.contract)))
    if not groups:
        return None
    lines = ["■ チェックリストの未確認"]
    for key, rows in groups.items():
        lines.append(f"{titles[key]} — {len(rows)} 名")
        lines += rows
    lines.append("根拠:")
    lines += [f"・{label}: {core.citation(db, i, slugs)}" for label, (i, slugs) in items.items()]
    return "\n".join(lines)


def digest_times(db: sqlite_utils.Database, lead_id: str, d: _dt.date) -> set[_dt.time]:
    """The digest goes out when the grace time of the lead's team's checklists ends."""
    day = state.day(db, d)
    contracts = set()
    for p in day.team_of(lead_id):
        if plan.works_on(p, d):
            contracts.update(p["contracts"])
    return plan.digest_times(day.settings, contracts)
