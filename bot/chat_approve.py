"""Approving a registration request in the terminal chat: the Slack approval form, asked line by line.

Slack opens a form (bot/slack/people_modals.approve_view) with the name, contract, lead and start
date; the terminal asks the same four, with the same defaults (what is on record, the approving
lead's own, today) and the same checks (handlers.people.approval_errors), so an approval records the
same fields whichever way it was given. 「キャンセル」 or the end of input leaves the request pending.
"""
from __future__ import annotations

import unicodedata
from typing import Callable

import sqlite_utils

from handlers import contracts as contract_names
from handlers import conversation, people, workdays
from handlers.conversation import Turn
from handlers.replies import Reply

CANCEL = {"キャンセル", "やめる", "中止", "cancel"}
TRIES = 3
KEPT = "申請はそのまま承認をお待ちしています。"

Ask = Callable[[str], "str | None"]     # shows a prompt, returns the line typed (None at the end of input)


class _Stop(Exception):
    def __init__(self, text: str):
        self.text = text


def _line(ask: Ask, prompt: str) -> str:
    v = ask(prompt)
    if v is None:
        raise _Stop(f"入力が終わったため、承認を取りやめました。{KEPT}")
    v = unicodedata.normalize("NFKC", v).strip()
    if v.lower() in CANCEL:
        raise _Stop(f"承認を取りやめました。{KEPT}")
    return v


def _field(ask: Ask, say: Callable[[str], None], prompt: str, default: str | None,
           read: Callable[[str], str]) -> str:
    """One field: Enter keeps the default; what cannot be read is explained and asked again."""
    for _ in range(TRIES):
        typed = _line(ask, prompt + (f"［Enter で {default}］" if default else "") + ":")
        try:
            return read(typed or default or "")
        except ValueError as e:
            say(str(e))
    raise _Stop(f"{TRIES} 回続けて読み取れなかったため、承認を取りやめました。{KEPT}")


def _pick(typed: str, choices: list[str]) -> str:
    """A number from the list shown, or the value itself."""
    if typed.isdigit() and choices:
        if 1 <= int(typed) <= len(choices):
            return choices[int(typed) - 1]
        raise ValueError(f"番号 {typed} は一覧にありません（1〜{len(choices)} から選んでください）。")
    return typed


def approve(db: sqlite_utils.Database, actor_id: str, user_id: str, via: str, ask: Ask,
            say: Callable[[str], None]) -> Turn:
    form = people.approval_form(db, actor_id, user_id)
    if not isinstance(form, dict):   # refused (recorded, as the button press always was), or already done
        return conversation.approve(db, actor_id, user_id, via)
    contracts = people.form_choices(db)["contracts"]
    if not contracts:
        return Turn().add(Reply("案件がまだ登録されていないため、承認の前に `/mamoru users contract 案件名`"
                                f"（サーバーでは `mamoru contract add 案件名`）で案件を登録してください。{KEPT}"))
    if not form["lacks"]:
        return conversation.approve(db, actor_id, user_id, via)
    lacks = "、".join(form["lacks"])
    say(f"{form['name']}さん（{user_id}）の登録を承認します。申請にない項目（{lacks}）を入力してください。\n"
        "各項目は Enter で表示の値のまま進めます。「キャンセル」でいつでも取りやめられます。")

    def errors(**v) -> dict[str, str]:
        base = {"name": "-", "contract": None, "lead": None, "start_date": "-"}
        return people.approval_errors(db, user_id, **{**base, **v})

    try:
        def read_name(t: str) -> str:
            n = people.normalise_name(t)[:150]
            if not n:
                raise ValueError("氏名を入力してください。")
            return n
        name = _field(ask, say, "氏名（名簿に載る名前）を入力してください", form["name"] if form["name"] != user_id else None, read_name)

        say("案件: " + "  ".join(f"[{i}] {c}" for i, c in enumerate(contracts, 1)))

        def read_contract(t: str) -> str:
            try:
                return contract_names.known(db, _pick(t, contracts))
            except contract_names.UnknownContract as e:
                raise ValueError(str(e)) from None
        contract = _field(ask, say, "案件を番号か名前で入力してください", form["contract"], read_contract)

        leads = people.lead_choices(db, user_id, contract)
        if leads:
            say("作業責任者: " + "  ".join(f"[{i}] {p['name']}（{people.ROLES[p['role']]}、{p['user_id']}）"
                                         for i, p in enumerate(leads, 1)))

        def read_lead(t: str) -> str:
            lead = _pick(t, [p["user_id"] for p in leads]).lstrip("<@").rstrip(">").split("|")[0]
            err = errors(contract=contract, lead=lead or None).get("lead")
            if err:
                raise ValueError(err)
            return lead
        lead = _field(ask, say, "作業責任者を番号かユーザーID（U…）で入力してください", form["lead"], read_lead)

        def read_start(t: str) -> str:
            try:
                return people.read_date(t, "開始日")
            except people.UsageError as e:
                raise ValueError(str(e)) from None
        start = _field(ask, say, "開始日を入力してください（例: 2026-12-01）", form["start_date"] or workdays.now().date().isoformat(),
                       read_start)
    except _Stop as s:
        return Turn().add(Reply(s.text))
    left = errors(name=name, contract=contract, lead=lead, start_date=start)
    if left:   # the same checks as the form, all together (nothing recorded)
        return Turn().add(Reply("承認できませんでした: " + " ".join(left.values()) + KEPT))
    try:
        reply, out = people.approve(db, actor_id, user_id, via, name=name, contract=contract, lead=lead,
                                    start_date=start)
    except people.UsageError as e:
        return Turn().add(Reply(str(e)))
    return Turn().add(reply, out, actor_id, user_id)
