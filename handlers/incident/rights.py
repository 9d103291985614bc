"""Who may see and act on an incident. Incidents are confidential.

- see: the reporter, the leads told at the time (and the reporter's current lead), officers,
  admins, and the trusted actor "cli" (the server's own command line);
- act (acknowledge, record the city report, measures, close, get the file): the same people
  except the reporter, unless the reporter is an officer or an admin;
- add a note: anyone who may see it (the reporter too: 「カードが見つかりました」).

A refusal is polite, cites the rule and is recorded (handlers.access: access_refusals).
"""
from __future__ import annotations

import sqlite_utils

from handlers import people
from handlers.incident import common as C
from handlers.replies import Reply
from storage import people as pstore


def _lead_of(db, lead: dict, inc: dict) -> bool:
    """A lead sees an incident of their CURRENT contracts only: told at the time, or the reporter's lead now."""
    from handlers import access

    mine = pstore.with_earlier_names(db, lead["contracts"])   # a renamed contract's earlier incidents too
    if inc.get("contract") and mine and inc["contract"] not in mine:
        return False   # moved to another contract: the old team's incidents stay with the old contract
    if lead["user_id"] in inc["lead_ids"]:
        return True
    return access.same_team(db, lead, inc["reporter_id"])


def can_view(db: sqlite_utils.Database, viewer: str, inc: dict) -> bool:
    """Read at every call from the CURRENT roster: a removed person (even the reporter) sees nothing."""
    if viewer == people.CLI_ACTOR:
        return True
    p = people.get_person(db, viewer)
    if p is None:
        return False
    if viewer == inc["reporter_id"] or p["role"] in C.MANAGER_ROLES:
        return True
    return p["role"] == "lead" and _lead_of(db, p, inc)


def viewer(db: sqlite_utils.Database, viewer_id: str):
    """can_view for many incidents at once: (incident) -> bool, with the roster read once."""
    if viewer_id == people.CLI_ACTOR:
        return lambda inc: True
    me = people.get_person(db, viewer_id)
    if me is None:
        return lambda inc: False
    if me["role"] in C.MANAGER_ROLES:
        return lambda inc: True
    if me["role"] != "lead":
        return lambda inc: inc["reporter_id"] == viewer_id
    from handlers import access

    team = access.team_of(db, me)
    mine = pstore.with_earlier_names(db, me["contracts"])

    def ok(inc) -> bool:
        if inc["reporter_id"] == viewer_id:
            return True
        if inc.get("contract") and mine and inc["contract"] not in mine:
            return False
        return viewer_id in inc["lead_ids"] or inc["reporter_id"] in team
    return ok


def can_manage(db: sqlite_utils.Database, viewer: str, inc: dict) -> bool:
    if not can_view(db, viewer, inc):
        return False
    if viewer == inc["reporter_id"]:
        return C.role(db, viewer) in C.MANAGER_ROLES
    return True


def refuse(db: sqlite_utils.Database, viewer: str, inc: dict | None, what: str, via: str, *, manage: bool = False) -> Reply:
    """The refusal (recorded), citing the rule."""
    from handlers import access

    subject = inc["reporter_id"] if inc else None
    if manage and inc and viewer == inc["reporter_id"]:
        r = access.require(db, viewer, what=what, via=C.via_of(via), need="team")
        if r is not None:
            return Reply(r.text.replace("ご自身の記録は、ご自身のページ（App Home）でご確認いただけます。",
                                        "ご自身の報告への「確認」や市への報告の記録は、作業責任者が行います。"))
    r = access.require(db, viewer, what=what, via=C.via_of(via), need="self", subject_id=subject)
    if r is None:   # access allows more than we do (it never should): refuse all the same, recorded
        from storage import audit
        from handlers import workdays

        audit.add_refusal(db, viewer_id=viewer, subject_id=subject, what=what, reason="not_concerned",
                          via=C.via_of(via), at=workdays.iso())
        return Reply(f"申し訳ありませんが、{what}はご覧いただけません。事故報告は、報告者・作業責任者・"
                     "情報セキュリティ対策責任者・管理者だけが閲覧できます。このお断りは記録されました。")
    return Reply(r.text)
