"""Sending a report, telling the lead and the officers at once, acknowledging, escalating.

- submit: the incident gets its number (INC-YYYY-NNNN, taken inside the write transaction), the
  「送信」 is a step of the draft (so a second 「送信」 finds it sent), the timeline gets
  "reported", and Outgoings go at once to the reporter's lead(s) and the officers (else admins),
  each with 「確認しました」; to the alert channel too when an officer set one (a short alert
  without the details).
- escalation (notice source "incident"): an incident nobody acknowledged N minutes
  (MAMORU_INCIDENT_ESCALATE_MINUTES, default 15) after it was reported goes to the officers and
  admins, and again every N minutes until someone acknowledges or closes it; round r of an
  incident has the keys `notice:incident:escalate:<ref>:<r>:<user>` (each sent once). Incidents
  do not wait for working hours. Types with escalate = false (ヒヤリハット) are not escalated.
- acknowledge: 「確認しました」 by a lead, an officer or an admin stops the escalation; the
  reporter and the others told are informed once.
"""
from __future__ import annotations

import datetime as _dt

import sqlite_utils

from handlers import notices, people, workdays
from handlers.incident import answers as ans
from handlers.incident import common as C
from handlers.incident import content, rights
from handlers.replies import Button, Outgoing, Reply, Turn
from storage import incidents as store

SOURCE = "incident"


# ---- how an incident reads ------------------------------------------------------------------

def type_label(inc: dict) -> str:
    t = content.flow().type(inc["type"])
    return t.label if t else inc["type"]


def answer_lines(inc: dict, full: bool = False) -> list[str]:
    fl = content.flow()
    out = []
    for q in fl.sequence(inc["type"]):
        a = inc["answers"].get(q.id)
        if a is None:
            continue
        out.append(f"・{q.label}: {a['d'] if full else ans.short(a['d'])}")
    return out


def status(db: sqlite_utils.Database, inc: dict, events: list[dict] | None = None) -> str:
    ev = events if events is not None else store.events(db, inc["id"])
    kinds = [e["kind"] for e in ev]
    last_close = max((i for i, k in enumerate(kinds) if k == "closed"), default=-1)
    last_reopen = max((i for i, k in enumerate(kinds) if k == "reopened"), default=-1)
    if last_close > last_reopen:
        return "完了"
    if "city_reported" in kinds:
        return "市へ報告済み"
    acks = [e for e in ev if e["kind"] == "acknowledged"]
    if acks:
        return f"確認済み（{C.name(db, acks[0]['actor'])}さん）"
    return "未確認"


def status_of(db, row: dict) -> str:
    """The status of a row of storage.incidents.index (no further query but the acknowledger's name)."""
    if row["closed"]:
        return "完了"
    if row["city"]:
        return "市へ報告済み"
    if row["acked_by"]:
        return f"確認済み（{C.name(db, row['acked_by'])}さん）"
    return "未確認"


def acknowledged(db: sqlite_utils.Database, inc: dict, events: list[dict] | None = None) -> bool:
    ev = events if events is not None else store.events(db, inc["id"])
    return any(e["kind"] in ("acknowledged", "closed") for e in ev)


def manage_buttons(inc: dict) -> list[Button]:
    ref = inc["ref"]
    return [Button("市へ報告した", C.A_CITY, ref), Button("対応を記録", C.A_MEASURE, ref),
            Button("メモを残す", C.A_NOTE, ref), Button("完了にする", C.A_CLOSE, ref),
            Button("報告書ファイル", C.A_FILE, ref)]


def _rule_line(db, inc: dict) -> str:
    rule = C.report_rule(db, C.slugs_for_contract(db, inc["contract"], inc["reporter_id"]))
    if not rule:
        return ""
    return f"契約上、事故やその恐れがあるときは、直ちに市へ報告する決まりです（{rule['citation']}）。"


def notice_text(db, inc: dict, urgent: bool) -> str:
    reporter = f"{C.name(db, inc['reporter_id'])}さん（{inc['reporter_id']}）"
    head = (f"{'【至急】' if urgent else ''}事故・インシデントの報告 {inc['ref']}（{type_label(inc)}）が届きました。"
            if urgent else f"ヒヤリハットの報告 {inc['ref']} が届きました。")
    lines = [head, f"報告者: {reporter}　報告日時: {workdays.format_jst(inc['at'])}", *answer_lines(inc)]
    if inc["masked"]:
        lines.append("※ 個人情報と思われる部分は伏せ字にして記録しています。")
    rule = _rule_line(db, inc)
    if urgent:
        lines.append(f"内容をご確認のうえ「確認しました」を押してください。{C.escalate_minutes()}分以内に確認がない場合は、"
                     "情報セキュリティ対策責任者と管理者にもお知らせします。" + rule)
    else:
        lines.append("内容をご確認のうえ「確認しました」を押してください。" + rule)
    return "\n".join(lines)


# ---- submit ---------------------------------------------------------------------------------

def submit(db: sqlite_utils.Database, st, via: str) -> Turn:
    """「送信」 on the summary (called inside the draft's write transaction)."""
    from handlers.incident import draft

    fl = content.flow()
    with store.transaction(db):
        st = draft.load(db, st.sid)
        if st.status == "submit":
            inc = store.by_session(db, st.sid)
            return Turn().add(Reply(f"この報告は {inc['ref'] if inc else st.ref} として送信済みです（二重には送信していません）。"))
        if st.status == "cancel":
            return draft._turn(db, st)
        if st.cursor != "summary":
            return draft._turn(db, st, lead="まだ回答していない質問があります。\n\n")
        now = C.now()
        person = people.get_person(db, st.user_id)
        t = fl.type(st.type_id)
        seq_ids = [q.id for q in fl.sequence(st.type_id)]
        answers = {k: v for k, v in st.answers.items() if k in seq_ids}
        contract = (answers.get("contract") or {}).get("v") or None
        leads = C.leads_of(db, person, contract)
        others = C.managers(db, exclude={st.user_id, *leads})
        told = list(dict.fromkeys([*leads, *others]))
        slugs = C.slugs_for_contract(db, contract, st.user_id)
        rule = C.report_rule(db, slugs)
        cited = list(dict.fromkeys([*([rule["id"]] if rule else []), *(c["id"] for c in C.type_rows(db, t, slugs))]))
        inc = store.insert_incident(
            db, year=workdays.local(now).astimezone(workdays.JST).year, session_id=st.sid, reporter_id=st.user_id,
            lead_ids=leads, notified=told, type=st.type_id, contract=contract, answers=answers, clause_ids=cited,
            masked=draft.masked_kinds(st), escalate=t.escalate, flow_version=fl.version, via=C.via_of(via),
            at=workdays.iso(now))
        store.append_step(db, session_id=st.sid, op="submit", value={"ref": inc["ref"]}, via=C.via_of(via),
                          at=workdays.iso(now))
        channel = store.alert_channel(db)
        store.add_event(db, incident_id=inc["id"], kind="reported", actor=st.user_id,
                        detail={"notified": told, "alert_channel": channel}, dedupe=f"reported:{inc['id']}",
                        via=C.via_of(via), at=workdays.iso(now))
    out = [Outgoing(u, Reply(notice_text(db, inc, t.escalate),
                             [Button("確認しました", C.A_ACK, inc["ref"], "primary"),
                              Button("詳細・記録", C.A_SHOW, inc["ref"])]),
                    key=f"incident:reported:{inc['ref']}:{u}") for u in told]
    if channel:
        out.append(Outgoing(channel, Reply(
            f"{'【至急】' if t.escalate else ''}{type_label(inc)}の報告 {inc['ref']} がありました"
            f"（{workdays.format_jst(inc['at'])}）。詳細は作業責任者と情報セキュリティ対策責任者に DM でお送りしています。"
            "この通知には個人情報や詳細を載せていません。"), key=f"incident:alert:{inc['ref']}"))
    if told:
        who = f"{C.names(db, told)}にお知らせしました。"
    else:
        who = ("ただ、お知らせできる作業責任者・情報セキュリティ対策責任者が登録されていません。"
               "作業責任者に電話などで直接ご連絡ください。")
    lines = [f"報告を送信しました。受付番号は {inc['ref']} です（{workdays.format_jst(inc['at'])}）。{who}"]
    if t.escalate:
        lines.append("作業責任者の指示があるまで、最初にお伝えした応急の対応を続けてください。"
                     "状況が変わった場合（見つかった、相手から削除の連絡があった等）は、"
                     f"`/mamoru incident {inc['ref']} note 内容` で追記できます。")
    lines.append("ご自身の報告と対応の状況は、ホームタブの「事故・インシデントの報告」でご覧いただけます。")
    return Turn().add(Reply("\n".join(lines)), out, st.user_id, *told)


# ---- acknowledge ----------------------------------------------------------------------------

def ack(db: sqlite_utils.Database, user_id: str, ref: str, via: str) -> Turn:
    inc = store.by_ref(db, (ref or "").strip().upper())
    if inc is None:
        return Turn().add(Reply(f"事故報告「{ref}」は見つかりませんでした。"))
    if not rights.can_manage(db, user_id, inc):
        return Turn().add(rights.refuse(db, user_id, inc, f"事故報告 {inc['ref']} の確認", via, manage=True))
    now = C.now()
    with store.transaction(db):
        before = [e for e in store.events(db, inc["id"]) if e["kind"] == "acknowledged"]
        eid = store.add_event(db, incident_id=inc["id"], kind="acknowledged", actor=user_id, detail={},
                              dedupe=f"ack:{inc['id']}:{user_id}", via=C.via_of(via), at=workdays.iso(now))
    buttons = manage_buttons(inc)
    if eid is None:
        mine = next((e for e in before if e["actor"] == user_id), None)
        when = workdays.format_jst(mine["at"]) if mine else ""
        return Turn().add(Reply(f"{inc['ref']} は {when} に確認済みとして記録されています（二重には記録していません）。", buttons))
    lines = [f"{inc['ref']}（{type_label(inc)}）を確認済みとして記録しました（{C.name(db, user_id)}さん、"
             f"{workdays.format_jst(now)}）。"]
    if not before:
        lines.append("督促のお知らせは止まります。")
    rule = C.report_rule(db, C.slugs_for_contract(db, inc["contract"], inc["reporter_id"]))
    if inc["escalate"]:
        lines.append("次に、市への報告（直ちに、書面で。情報の内容、件数、発生場所、発生状況）をお願いします"
                     + (f"（{rule['citation']}）" if rule else "") + "。報告書は「報告書ファイル」で受け取れます。"
                     "報告や対応を行ったら、下のボタンで記録してください。")
    out: list[Outgoing] = []
    if not before:
        out.append(Outgoing(inc["reporter_id"], Reply(
            f"ご報告の {inc['ref']} を、{C.name(db, user_id)}さんが確認しました（{workdays.format_jst(now)}）。"
            "今後の対応は、作業責任者の指示に従ってください。"), key=f"incident:acked:{inc['ref']}:reporter"))
        for u in inc["notified"]:
            if u != user_id:
                out.append(Outgoing(u, Reply(f"{inc['ref']}（{type_label(inc)}）は {C.name(db, user_id)}さんが確認しました"
                                             f"（{workdays.format_jst(now)}）。", [Button("詳細・記録", C.A_SHOW, inc["ref"])]),
                                    key=f"incident:acked:{inc['ref']}:{u}"))
    return Turn().add(Reply("\n".join(lines), buttons), out, user_id)


# ---- escalation (a notices source) ----------------------------------------------------------

def escalation_targets(db, inc: dict) -> list[str]:
    ids = C.officers_and_admins(db, exclude={inc["reporter_id"]})
    from handlers.incident import rights

    return ids or [u for u in inc["lead_ids"] if rights.can_view(db, u, inc)]


def _due(db: sqlite_utils.Database, now: _dt.datetime):
    n = C.escalate_minutes()
    period = _dt.timedelta(minutes=n)
    for inc in store.unacknowledged(db):
        if not inc["escalate"]:
            continue
        elapsed = now - workdays.parse(inc["at"])
        if elapsed < period:
            continue
        rnd = int(elapsed / period)
        minutes = int(elapsed.total_seconds() // 60)
        for u in escalation_targets(db, inc):
            text = (f"【至急・未確認】事故・インシデントの報告 {inc['ref']}（{type_label(inc)}）が、報告から {minutes} 分たっても"
                    f"まだ誰にも確認されていません（報告: {C.name(db, inc['reporter_id'])}さん、"
                    f"{workdays.format_jst(inc['at'])}）。\n" + "\n".join(answer_lines(inc)) +
                    f"\n至急ご確認のうえ「確認しました」を押してください。確認されるまで {n} 分ごとにお知らせします。"
                    + _rule_line(db, inc))
            yield notices.Notice(f"{notices.PREFIX}{SOURCE}:escalate:{inc['ref']}:{rnd}:{u}", u,
                                 Reply(text, [Button("確認しました", C.A_ACK, inc["ref"], "primary"),
                                              Button("詳細・記録", C.A_SHOW, inc["ref"])]),
                                 "incident_escalation", f"{inc['ref']} round {rnd}")


def _still_due(db: sqlite_utils.Database, key: str, now: _dt.datetime) -> bool:
    parts = key.split(":")
    if len(parts) < 4:
        return True
    inc = store.by_ref(db, parts[3])
    return bool(inc and not acknowledged(db, inc))


def register() -> None:
    notices.register_source(SOURCE, _due, _still_due, urgent=True)   # escalation on the minute
