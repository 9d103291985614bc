"""What people see of the training records: App Home, 「研修 状況」, the lead's digest part, the export.

- a worker sees their own courses (status, deadline, score, pledge) with a button to start,
  continue, retry or pledge;
- a lead also sees their team; the officer and admins see everyone who is overdue (Home) and
  everyone (「研修 状況」, `mamoru training status`);
- the digest part lists, once a day, the overdue people a recipient oversees;
- `export` is the record the city asks for: person, course, date, score, pass, pledge date (training
  owed but not yet assigned is assigned first, so a person registered today is in it).
"""
from __future__ import annotations

import datetime as _dt

import sqlite_utils

from handlers import access, people, workdays
from handlers.training import content, due, quiz, state
from handlers.training.state import Track
from storage import people as pstore
from storage import training as store

MAX_LISTED = 10
OVERSEE_ROLES = ("officer", "admin")
VIA_LABELS = people.VIA_LABELS


def _state_label(t: Track) -> str:
    label = state.STATE_LABELS[t.state]
    if t.state == "in_progress" and t.open_attempt:
        label += f"（{t.open_attempt['answered']}／{t.open_attempt['total']}問 回答済み）"
    if t.overdue:
        label += "・期限超過"
    return label


def _due_text(t: Track) -> str:
    d = workdays.format_date(t.due)
    if t.complete:
        return d
    left = t.days_left
    if left > 0:
        return f"{d}（あと{left}日）"
    if left == 0:
        return f"{d}（今日まで）"
    return f"{d}（{-left}日過ぎています）"


def track_lines(db, t: Track) -> list[str]:
    lines = [f"研修「{t.course.title}」（案件: {t.contract}）", f"状況: {_state_label(t)}"]
    if not t.complete:
        lines.append(f"期限: {_due_text(t)}")
    r = t.last_result
    if t.state == "failed" and r:
        lines.append(f"前回の結果: {quiz.score_text(r)}、合格点 {r['pass_percent']}%（不合格）")
    if t.passed:
        p = t.passed
        lines.append(f"合格: {workdays.format_jst(p['at'])}、{quiz.score_text(p)}、有効期限 "
                     f"{workdays.format_date(p['valid_until'])}")
    if t.pledge:
        lines.append(f"誓約: {workdays.format_jst(t.pledge['at'])}（{quiz.pledge_of_title(t.pledge)}）")
    prev = t.still_valid_pass
    if prev and not t.complete:
        lines.append(f"前回の合格は {workdays.format_date(prev['valid_until'])} まで有効です。それまでに更新の研修をお願いします。")
    cite = quiz.basis_citation(db, t.course)
    if cite:
        lines.append(f"根拠: {cite}")
    return lines


def person_line(t: Track) -> str:
    extra = ""
    if t.complete and t.valid_until:
        extra = f"、有効期限 {workdays.format_date(t.valid_until)}"
    elif not t.complete:
        extra = f"、期限 {_due_text(t)}"
    return f"・{t.person['name']}さん: {t.course.title} — {_state_label(t)}{extra}"


def _sort_key(t: Track):
    return (not t.overdue, t.complete, t.due, t.person["user_id"])


# ---- App Home -------------------------------------------------------------------------------

def home_section(db: sqlite_utils.Database, person: dict | None, user_id: str) -> dict | None:
    if person is None:
        return None
    oversees = person["role"] in people.APPROVERS
    ctx = state.Context(db, user_id=None if oversees else user_id)   # a worker's page reads only their records
    mine = ctx.tracks(person)
    lines: list[str] = []
    buttons = []
    for t in mine:
        if lines:
            lines.append("")
        lines += track_lines(db, t)
        if not t.complete or t.need is not None:
            buttons.append(due.action_button(t))
    if not mine and not oversees:
        lines.append(quiz.no_course_text(db, person))
    if oversees:
        others = _overseen(ctx, person)
        if lines:
            lines.append("")
        lines += overview_lines(others, person, limit=MAX_LISTED)
    return {"text": "\n".join(lines), "buttons": buttons}


def _overseen(ctx: state.Context, viewer: dict) -> list[Track]:
    """The tracks of the people this viewer oversees: a lead their team, the officer and admins everyone."""
    everyone = [t for t in state.everyone(ctx) if t.person["user_id"] != viewer["user_id"]]
    if viewer["role"] in OVERSEE_ROLES:
        return everyone
    return [t for t in everyone if t.person.get("lead_id") == viewer["user_id"]]


def overview_lines(tracks: list[Track], viewer: dict, limit: int | None = None) -> list[str]:
    everyone = viewer["role"] in OVERSEE_ROLES
    who = "全員" if everyone else "チーム"
    if not tracks:
        return [f"{who}の研修: 対象の方はいません。"]
    done = sum(t.complete for t in tracks)
    late = [t for t in tracks if t.overdue]
    open_ = [t for t in tracks if not t.complete and not t.overdue]
    lines = [f"{who}の研修: 修了 {done} 件／未修了 {len(tracks) - done} 件（うち期限超過 {len(late)} 件）"]
    shown = sorted(late, key=_sort_key) + ([] if everyone else sorted(open_, key=_sort_key))
    if late:
        lines.append("期限を過ぎている方:" if everyone else "未修了の方（期限を過ぎている方が先）:")
    elif shown:
        lines.append("未修了の方:")
    for t in shown[: limit or len(shown)]:
        lines.append(person_line(t))
    if limit and len(shown) > limit:
        lines.append(f"ほか {len(shown) - limit} 件あります（「研修 状況」ですべて表示します）。")
    return lines


# ---- 「研修 状況」 / `mamoru training status` ----------------------------------------------------

def status_text(db: sqlite_utils.Database, viewer_id: str, now: _dt.datetime | None = None, *,
                contract: str | None = None, overdue_only: bool = False) -> str:
    """The training status the viewer may see (access.scope): themselves, their team, or everyone."""
    ctx = state.Context(db, now)
    s = access.scope(db, viewer_id)
    tracks = [t for t in state.everyone(ctx, contract) if s.allows(t.person["user_id"])]
    if overdue_only:
        tracks = [t for t in tracks if t.overdue]
    when = workdays.format_jst(ctx.now)
    if not tracks:
        what = "期限を過ぎている方" if overdue_only else "研修の対象の方"
        return f"{when} 時点で、{('案件「' + contract + '」の') if contract else ''}{what}はいません。"
    done = sum(t.complete for t in tracks)
    late = sum(t.overdue for t in tracks)
    head = (f"{when} 時点の研修の状況{('（案件「' + contract + '」）') if contract else ''}: "
            f"{len(tracks)} 件（修了 {done}、未修了 {len(tracks) - done}、うち期限超過 {late}）")
    lines = [head]
    note = access.scope_note(s)
    if note:
        lines.append(note)
    for t in sorted(tracks, key=_sort_key):
        lines.append(person_line(t))
        r = t.passed or t.last_result
        if r:
            lines.append(f"　最新の結果: {'合格' if r['passed'] else '不合格'}、{quiz.score_text(r)}、"
                         f"{workdays.format_jst(r['at'])}")
        if t.pledge:
            lines.append(f"　誓約: {workdays.format_jst(t.pledge['at'])}（{quiz.pledge_of_title(t.pledge)}）")
    cites = list(dict.fromkeys(c for c in (quiz.basis_citation(db, t.course) for t in tracks) if c))
    if cites:
        lines.append("根拠: " + "、".join(cites))
    return "\n".join(lines)


def status_json(db: sqlite_utils.Database, now: _dt.datetime | None = None, contract: str | None = None) -> list[dict]:
    ctx = state.Context(db, now)
    out = []
    for t in state.everyone(ctx, contract):
        r = t.passed or t.last_result
        out.append({"user_id": t.user_id, "name": t.person["name"], "contract": t.contract, "course": t.course.id,
                    "course_title": t.course.title, "cycle": t.cycle, "state": t.state, "overdue": t.overdue,
                    "due": t.due.isoformat(), "assigned": t.need is None,
                    "score": {"correct": r["correct"], "total": r["total"], "passed": bool(r["passed"]),
                              "at": r["at"]} if r else None,
                    "valid_until": t.valid_until.isoformat() if t.valid_until else None,
                    "pledged_at": t.pledge["at"] if t.pledge else None})
    return out


# ---- the lead's digest part ------------------------------------------------------------------

def _recipients(everyone: dict[str, dict], person: dict) -> list[str]:
    """Who oversees a person: their lead, else the officers, else the admins (as the checklist does)."""
    lead = everyone.get(person.get("lead_id") or "")
    if lead and lead["role"] in people.APPROVERS and lead["user_id"] != person["user_id"]:
        return [lead["user_id"]]
    for role in OVERSEE_ROLES:
        ids = [u for u, p in everyone.items() if p["role"] == role and u != person["user_id"]]
        if ids:
            return ids
    return []


_overdue_memo: dict = {}
# What overdue depends on. The tables are append-only, so the largest id and the count of each
# change with every write that matters (a purge lowers the count), and with no other write: the
# notice log written between two recipients of one pass does not throw the list away.
_OVERDUE_INPUTS = " UNION ALL ".join(
    f"SELECT '{t}', MAX(rowid), COUNT(*) FROM {t}" for t in (
        "people", "contracts", "training_assignments", "training_attempts", "training_results",
        "training_pledges", "training_settings"))


def _overdue_and_people(db: sqlite_utils.Database, now: _dt.datetime) -> tuple[list[Track], dict[str, dict]]:
    """Every overdue track at `now` and every active person, computed once for all the recipients
    of one notices pass, and kept until a person, contract or training record is written (by any
    process)."""
    conn = db.conn
    key = (id(conn), now, tuple(conn.execute(_OVERDUE_INPUTS).fetchall()))
    hit = _overdue_memo.get("last")
    if hit is not None and hit[0] == key:
        return hit[1]
    late = [t for t in state.everyone(state.Context(db, now)) if t.overdue]
    value = (late, {p["user_id"]: p for p in pstore.active(db)})
    _overdue_memo["last"] = (key, value)
    return value


def _overdue(db: sqlite_utils.Database, now: _dt.datetime) -> list[Track]:
    return _overdue_and_people(db, now)[0]


def digest_part(db: sqlite_utils.Database, lead_id: str, now: _dt.datetime) -> str | None:
    """Overdue training of the people this recipient oversees (officers: everyone), in the first
    digest of the day."""
    from handlers import digest

    viewer = people.get_person(db, lead_id)
    if viewer is None:
        return None
    slot = digest.digest_slot(db, lead_id, now)
    if slot is not None and slot.index != 0:
        return None
    overdue, everyone = _overdue_and_people(db, now)
    late = [t for t in overdue if t.person["user_id"] != lead_id
            and (viewer["role"] == "officer" or lead_id in _recipients(everyone, t.person))]
    if not late:
        return None
    lines = [f"■ 研修の期限超過 — {len(late)} 件"]
    lines += [person_line(t) for t in sorted(late, key=_sort_key)]
    cites = list(dict.fromkeys(c for c in (quiz.basis_citation(db, t.course) for t in late) if c))
    lines.append("作業の前に研修を終えることが求められています。受講を促していただくようお願いします。"
                 + (f"（根拠: {'、'.join(cites)}）" if cites else ""))
    return "\n".join(lines)


# ---- the export ------------------------------------------------------------------------------

COLUMNS = ["利用者ID", "氏名", "役割", "案件", "研修", "研修ID", "回", "割当日", "期限", "受講開始", "受講完了",
           "正答数", "問題数", "得点(%)", "合格点(%)", "判定", "合格の有効期限", "誓約日時", "誓約書", "誓約書の版",
           "経路", "状況", "記録時の案件名"]   # last: added without moving the columns people already use


def export(db: sqlite_utils.Database, contract: str | None = None, *, actor: str, via: str,
           allows=lambda uid: True, now: _dt.datetime | None = None) -> tuple[list[dict], int]:
    """(rows, assignments written): the export as the city reads it. The training owed but not yet
    assigned (someone registered before the next notices pass) is assigned first, by the notices
    pass's own rule, so nobody is missing and every row is a stored record."""
    written = state.assign_owed(db, actor=actor, via=via, now=now, contract=contract, allows=allows)
    return [r for r in export_rows(db, contract, now) if allows(r["利用者ID"])], written


def written_text(written: int) -> str:
    """The sentence telling whoever exports that assignments were written for it (empty when none)."""
    if not written:
        return ""
    return f"まだ割り当てられていなかった研修 {written} 件を、通知と同じ規則で割り当ててから書き出しました。"


def export_rows(db: sqlite_utils.Database, contract: str | None = None, now: _dt.datetime | None = None) -> list[dict]:
    """One row per attempt (and one per assignment nobody has attempted yet), removed people included.
    Reads only: `export` assigns what is owed first."""
    now = workdays.local(now or state.clock())
    courses = content.load().courses
    persons = {p["user_id"]: p for p in pstore.everyone(db)}
    cycles: dict[tuple, list[dict]] = {}
    for a in store.assignments(db):
        cycles.setdefault((a["user_id"], a["course_id"], a["cycle"]), []).append(a)
    attempts: dict[tuple, list[dict]] = {}
    for t in store.attempts(db):
        attempts.setdefault((t["user_id"], t["course_id"], t["cycle"]), []).append(t)
    results = {r["attempt_id"]: r for r in store.results(db)}
    pledges = {p["result_id"]: p for p in store.pledges(db)}
    out = []
    names = set(pstore.names_of(db, contract)) if contract else set()   # assigned before a rename: still its
    from handlers import contracts as contract_names

    called = contract_names.current_names(db)       # and shown under its name now, the recorded one beside it
    for key in sorted(cycles, key=lambda k: (k[0], k[1], cycles[k][0]["id"])):
        rows = cycles[key]
        first, cur = rows[0], rows[-1]
        if contract and cur["contract"] not in names:
            continue
        uid, course_id, _ = key
        p = persons.get(uid)
        title = "・".join(courses[i].title for i in course_id.split("+") if i in courses) or course_id
        now_name, recorded = contract_names.now_called(called, cur["contract"])
        base = {"利用者ID": uid, "氏名": p["name"] if p else uid,
                "役割": people.ROLES.get(p["role"], p["role"]) if p else "", "案件": now_name,
                "記録時の案件名": recorded, "研修": title,
                "研修ID": f"{course_id}（版 {cur['course_version']}）", "割当日": workdays.format_jst(first["at"]),
                "期限": workdays.format_date(cur["due_date"])}
        tries = attempts.get(key, [])
        # past the deadline with no pass pledged in this cycle: every row of it says 期限超過 (as Home does)
        finished = any(r and r["passed"] and r["id"] in pledges for r in (results.get(t["id"]) for t in tries))
        late = "・期限超過" if now.date() > state.date_of(cur["due_date"]) and not finished else ""
        gone = "（登録解除済み）" if p and not p["active"] else ""
        if not tries:
            out.append({**base, **{c: "" for c in COLUMNS if c not in base}, "状況": f"未受講{late}{gone}"})
            continue
        for t in tries:
            r = results.get(t["id"])
            pl = pledges.get(r["id"]) if r else None
            row = dict(base)
            row.update({"回": t["number"], "受講開始": workdays.format_jst(t["at"]),
                        "受講完了": workdays.format_jst(r["at"]) if r else "",
                        "正答数": r["correct"] if r else t["answered"], "問題数": t["total"],
                        "得点(%)": quiz._percent(r["correct"], r["total"]) if r else "",
                        "合格点(%)": t["pass_percent"],
                        "判定": ("合格" if r["passed"] else "不合格") if r else "受講中",
                        "合格の有効期限": workdays.format_date(r["valid_until"]) if r and r["valid_until"] else "",
                        "誓約日時": workdays.format_jst(pl["at"]) if pl else "",
                        "誓約書": quiz.pledge_of_title(pl).rsplit(" 第", 1)[0] if pl else "",
                        "誓約書の版": pl["pledge_version"] if pl else "",
                        "経路": VIA_LABELS.get((r or t)["via"], (r or t)["via"]),
                        "状況": ("修了" if pl else ("誓約待ち" if r and r["passed"] else ("不合格" if r else "受講中")) + late)
                        + gone})
            out.append(row)
    return out
