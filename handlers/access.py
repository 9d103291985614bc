"""Who may see whose records: a worker their own, a lead their team's, the officer and admins all.

The policy, for every capability that shows records (checklists, training, incidents, reports):

    scope(db, viewer_id) -> Scope            # what the viewer may see (Scope.everyone, Scope.members)
    can_see(db, viewer_id, subject_id) -> bool
    require(db, viewer_id, *, what, via, need="self", subject_id=None, now=None) -> Reply | None
        None when allowed; otherwise a polite Japanese refusal (citing the rule) that has
        already been recorded in `access_refusals` (a chained record: who, what, when, via).
        need="self": any registered person; "team": leads and above; "all": officer and admins.
        subject_id: the person whose records are asked for (must be within the viewer's scope).
    visible(db, viewer_id, rows, key="user_id") -> rows   # keep the rows the viewer may see
    record_subjects(record) -> set[str]      # the people a stored record concerns

Everything follows the viewer's CURRENT registration, read at every call: a removed person sees
nothing, a lead moved to another contract no longer sees the old contract's people. A lead's team
is everyone whose latest registration names them as lead AND shares one of the lead's current
contracts (removed people included: their past records stay the team's). The actor "cli" (the
`mamoru` command on the server) sees everything, as in handlers.people. An unregistered person
sees nothing. A refusal names nobody (not the person asked about, not their id): it only says
what was refused and why.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Iterable

import sqlite_utils

from handlers import people, workdays
from handlers.replies import Reply
from knowledge import oversight
from storage import audit as store
from storage import people as pstore

CLI_ACTOR = people.CLI_ACTOR
EVERYTHING_ROLES = ("officer", "admin")
NEEDS = ("self", "team", "all")
UNREGISTERED_REFUSALS = 20      # refusals recorded a day for someone not registered

# The clauses behind "only those entitled see the information" (knowledge/oversight/clauses.toml).
ACCESS_CLAUSES = oversight.clauses("access")

# Keys of a stored record that name the people it concerns.
SUBJECT_KEYS = ("user_id", "asker_id", "responder_id", "assignee_id", "actor", "viewer_id", "subject_id",
                "reporter_id", "lead_id")


@dataclass(frozen=True)
class Scope:
    viewer_id: str
    role: str | None            # None: not registered (and not "cli")
    everyone: bool
    members: frozenset[str]     # who the viewer may see when not everyone (self, team)

    def allows(self, subject_id: str | None) -> bool:
        return self.everyone or (subject_id is not None and subject_id in self.members)


def scope(db: sqlite_utils.Database, viewer_id: str) -> Scope:
    if viewer_id == CLI_ACTOR:
        return Scope(viewer_id, "admin", True, frozenset())
    p = people.get_person(db, viewer_id)
    if p is None:
        return Scope(viewer_id, None, False, frozenset())
    if p["role"] in EVERYTHING_ROLES:
        return Scope(viewer_id, p["role"], True, frozenset())
    members = {viewer_id}
    if p["role"] == "lead":
        members |= team_of(db, p)
    return Scope(viewer_id, p["role"], False, frozenset(members))


def team_of(db: sqlite_utils.Database, lead: dict) -> set[str]:
    """The lead's team NOW: whose latest registration names them as lead and who was on one of the
    lead's CURRENT contracts under them (a lead moved to another contract leaves the old team
    behind; a member who moved on stays in the team for the records made under this lead)."""
    named = {q["user_id"] for q in pstore.everyone(db) if q["lead_id"] == lead["user_id"]}
    return named & pstore.led_on(db, lead["user_id"], list(lead.get("contracts") or []))


def same_team(db: sqlite_utils.Database, lead: dict, member_id: str) -> bool:
    return member_id in team_of(db, lead)


def can_see(db: sqlite_utils.Database, viewer_id: str, subject_id: str) -> bool:
    return scope(db, viewer_id).allows(subject_id)


def _level_ok(s: Scope, need: str) -> bool:
    if s.role is None:
        return False
    if need == "all":
        return s.everyone
    if need == "team":
        return s.everyone or s.role == "lead"
    return True


def citation(db: sqlite_utils.Database, viewer_id: str) -> str | None:
    """The clause to cite in a refusal: from the viewer's own contract documents (none when they say
    nothing of it: another contract's rule is not theirs); the first listed for someone with none."""
    from knowledge import basis

    slugs = people.contract_slugs(db, viewer_id) if viewer_id != CLI_ACTOR else []
    concepts, why = oversight.about("access")
    found = basis.clauses(db, ACCESS_CLAUSES, slugs, concepts=concepts, text=why, limit=1)
    return found[0]["citation"] if found else None


def refusal_text(db: sqlite_utils.Database, s: Scope, *, what: str, reason: str, subject_id: str | None) -> str:
    # Nobody is named: not the person asked about, not their id (a refusal must not tell who
    # reported an incident, or that a person is registered at all).
    who = "ご指定の方の" if subject_id else ""
    if reason == "unregistered":
        body = (f"申し訳ありませんが、{who}{what}はご覧いただけません。mamoru に登録された方だけが記録をご覧いただけます。"
                "登録については作業責任者または管理者にご相談ください。")
    elif reason == "needs_all":
        body = (f"申し訳ありませんが、{what}は情報セキュリティ対策責任者と管理者の方だけがご利用いただけます。"
                "必要な場合は情報セキュリティ対策責任者にご依頼ください。")
    elif reason == "needs_team":
        body = (f"申し訳ありませんが、{what}は作業責任者・情報セキュリティ対策責任者・管理者の方だけがご利用いただけます。"
                "ご自身の記録は、ご自身のページ（App Home）でご確認いただけます。")
    elif reason == "not_team":
        body = (f"申し訳ありませんが、{who}{what}はご覧いただけません。作業責任者の方がご覧いただけるのは、ご自身と"
                "ご自身のチームの方の記録です。必要な場合は情報セキュリティ対策責任者にご依頼ください。")
    else:   # not_self
        body = (f"申し訳ありませんが、{who}{what}はご覧いただけません。作業従事者の方がご覧いただけるのは、ご自身の"
                "記録だけです。必要な場合は作業責任者にご依頼ください。")
    cite = citation(db, s.viewer_id)
    rule = f"（根拠: {cite}）" if cite else ""
    return f"{body}記録は業務上必要な方だけが閲覧できるよう管理しています{rule}。このお断りは記録されました。"


def require(db: sqlite_utils.Database, viewer_id: str, *, what: str, via: str, need: str = "self",
            subject_id: str | None = None, now: _dt.datetime | None = None) -> Reply | None:
    """None if `viewer_id` may do this; else the refusal, already recorded."""
    if need not in NEEDS:
        raise ValueError(f"need must be one of {NEEDS}")
    s = scope(db, viewer_id)
    reason = None
    if s.role is None:
        reason = "unregistered"
    elif not _level_ok(s, need):
        reason = "needs_all" if need == "all" else "needs_team"
    elif subject_id is not None and not s.allows(subject_id):
        reason = "not_team" if s.role == "lead" else "not_self"
    if reason is None:
        return None
    text = refusal_text(db, s, what=what, reason=reason, subject_id=subject_id)
    record(db, viewer_id, what=what, reason=reason, via=via, subject_id=subject_id, now=now)
    return Reply(text, ephemeral=True)


def record(db: sqlite_utils.Database, viewer_id: str, *, what: str, reason: str, via: str,
           subject_id: str | None = None, now: _dt.datetime | None = None) -> None:
    """Record a refusal (also those decided elsewhere: users, team, approvals, answering): every
    refusal is evidence. An unregistered person's refusals are recorded up to UNREGISTERED_REFUSALS
    a day (what they cause to be stored is bounded)."""
    if viewer_id != CLI_ACTOR and people.get_person(db, viewer_id) is None:
        since = workdays.iso((now or workdays.now()) - _dt.timedelta(days=1))
        if store.refusal_count_since(db, viewer_id, since) >= UNREGISTERED_REFUSALS:
            return
    store.add_refusal(db, viewer_id=viewer_id, subject_id=subject_id, what=what, reason=reason,
                      via=via if via in people.VIAS else "cli", at=workdays.iso(now))


def record_subjects(record: dict) -> set[str]:
    """The people a record concerns (its user, asker, responder, actor, …)."""
    return {str(record[k]) for k in SUBJECT_KEYS if record.get(k)}


def visible(db: sqlite_utils.Database, viewer_id: str, rows: Iterable[dict], key: str | None = "user_id",
            s: Scope | None = None) -> list[dict]:
    """The rows the viewer may see: by `key`, or (key=None) by any of the record's subjects."""
    s = s or scope(db, viewer_id)
    if s.everyone:
        return list(rows)
    if key is None:
        return [r for r in rows if record_subjects(r) & s.members]
    return [r for r in rows if r.get(key) in s.members]


def scope_note(s: Scope) -> str:
    """One sentence saying what a filtered list holds (empty when nothing was filtered)."""
    if s.everyone:
        return ""
    if s.role == "lead":
        return "作業責任者の方には、ご自身とチームの方の記録だけを表示しています。"
    return "ご自身の記録だけを表示しています。"
