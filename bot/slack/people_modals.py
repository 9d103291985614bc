"""Block Kit for the roster forms: add a person (admins), approve a registration request with the
details it lacks (contract, lead, start date). Only building and reading views; the decisions are
handlers.people's (form_errors, add_from_form, approval_form, approve)."""
from __future__ import annotations

import datetime as _dt

from bot import render_blocks as rb

ADD_CALLBACK = "people_add_modal"
APPROVE_CALLBACK = "people_approve_modal"


def _text(t: str) -> dict:
    return {"type": "plain_text", "text": t}


def _input(block_id: str, label: str, element: dict, optional: bool = False, hint: str | None = None) -> dict:
    b = {"type": "input", "block_id": block_id, "label": _text(label), "element": element, "optional": optional}
    if hint:
        b["hint"] = _text(hint)
    return b


def _contract_select(contracts: list[str], initial: str | None) -> dict:
    el = {"type": "static_select", "action_id": "value", "placeholder": _text("案件を選ぶ"),
          "options": [rb.option(c, c) for c in contracts[:100]]}
    if initial in contracts:
        el["initial_option"] = rb.option(initial, initial)
    return el


def _user_select(placeholder: str, initial: str | None = None) -> dict:
    el = {"type": "users_select", "action_id": "value", "placeholder": _text(placeholder)}
    if initial:
        el["initial_user"] = initial
    return el


def _date(initial: str | None) -> dict:
    el = {"type": "datepicker", "action_id": "value", "placeholder": _text("日付を選ぶ")}
    if initial:
        el["initial_date"] = initial
    return el


NO_CONTRACT = ("案件はまだ登録されていません。作業従事者・作業責任者を登録する前に、`/mamoru users contract 案件名`"
               "（サーバーでは `mamoru contract add 案件名`）で案件を登録してください。")


def add_view(choices: dict) -> dict:
    roles = choices["roles"]
    role_el = {"type": "static_select", "action_id": "value",
               "options": [rb.option(f"{label}（{code}）", code) for code, label in roles.items()],
               "initial_option": rb.option(f"{roles['worker']}（worker）", "worker")}
    blocks = [
        _input("user", "登録する方", _user_select("Slack のメンバーから選ぶ"),
               hint="氏名は Slack のプロフィールから登録します（半角カナなどは全角にそろえます）。"),
        _input("role", "役割", role_el),
        (_input("contract", "案件", _contract_select(choices["contracts"], None), optional=True,
                hint="案件は `mamoru contract add` で登録したものから選びます。") if choices["contracts"]
         # Slack refuses a select with no options: with no contract yet, say how to add one
         else {"type": "context", "elements": [{"type": "mrkdwn", "text": NO_CONTRACT}]}),
        _input("lead", "作業責任者", _user_select("作業責任者を選ぶ"), optional=True, hint="作業従事者の場合に選びます。"),
        _input("start", "開始日", _date(None), optional=True),
    ]
    return {"type": "modal", "callback_id": ADD_CALLBACK, "title": _text("利用者を追加"),
            "submit": _text("登録する"), "close": _text("キャンセル"), "blocks": blocks}


def approve_view(user_id: str, form: dict, choices: dict, today: _dt.date) -> dict:
    lacks = "、".join(form["lacks"])
    blocks = rb.sections(f"*{rb.escape(form['name'])}さん*（<@{user_id}>）の登録を承認します。"
                         + (f"申請にない項目（{lacks}）を入力してください。" if lacks else ""), escaped=True)
    blocks += [
        _input("name", "氏名", {"type": "plain_text_input", "action_id": "value", "initial_value": form["name"][:150],
                                "max_length": 150}, hint="Slack のプロフィールの氏名です。名簿に載る名前に直せます。"),
        _input("contract", "案件", _contract_select(choices["contracts"], form["contract"])),
        _input("lead", "作業責任者", _user_select("作業責任者を選ぶ", form["lead"])),
        _input("start", "開始日", _date(form["start_date"] or today.isoformat())),
    ]
    return {"type": "modal", "callback_id": APPROVE_CALLBACK, "private_metadata": user_id,
            "title": _text("登録の承認"), "submit": _text("承認する"), "close": _text("キャンセル"), "blocks": blocks}


def values(view: dict) -> dict:
    """{block_id: value} from a submitted view (selected user, option value, date or text)."""
    out = {}
    for block_id, actions in ((view.get("state") or {}).get("values") or {}).items():
        v = actions.get("value") or {}
        out[block_id] = (v.get("selected_user") or (v.get("selected_option") or {}).get("value")
                         or v.get("selected_date") or (v.get("value") or "").strip() or None)
    return out
