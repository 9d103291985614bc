"""The status report on request: `/mamoru report [案件] [from] [to]` (and the same words in a DM or
the terminal chat).

The reply holds the figures (handlers.report.draft.summary) and the basis of the report; in Slack
the draft (.docx) goes to the person's DM as a file (an Outgoing with `file=`, its key unique per
request). The terminal cannot carry a file: it names the `mamoru report status` command instead.

Period: both dates (YYYY-MM-DD), one month (YYYY-MM), or nothing: the last completed period of the
contract (handlers.report.every / last_period; a contract whose schedule is off counts monthly).
Contract: may be left out when the person can see exactly one.

Access: officers and admins, any contract; leads, the contracts they are registered on; anyone
else gets a polite refusal, recorded like every refusal (handlers.access, table access_refusals).
"""
from __future__ import annotations

import datetime as _dt
import re
import time
import unicodedata
from dataclasses import dataclass
from typing import Callable

import sqlite_utils

from handlers import access, capabilities, people, workdays
from handlers.report import periods
from handlers.replies import Attachment, Outgoing, Reply, Turn
from storage import audit as astore
from storage import reports as rstore
from storage import people as pstore

WORDS = ["report", "reports", "状況報告", "保全状況報告", "保全状況報告書"]
WHAT = "状況報告"
MAX_DAYS = 400
_DAY = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
_MONTH = re.compile(r"^(\d{4})[-/](\d{1,2})$")


def _reply(text: str) -> Turn:
    return Turn().add(Reply(text, ephemeral=True))


def _usage(example_contract: str = "吉川市") -> str:
    return (f"使い方: `/mamoru report {example_contract}`（直近に終わった報告対象期間）、"
            f"`/mamoru report {example_contract} 2026-10-01 2026-12-31`（期間を指定）、"
            f"`/mamoru report {example_contract} 2026-10`（月を指定）。")


def _parse(rest: str, today: _dt.date | None = None) -> tuple[str, list[_dt.date], list[tuple[_dt.date, _dt.date]]]:
    """(contract words, days, months) from the words after the command; ValueError when a date-like
    word is not a date. The dates people write (12/1, 12月1日, 今月, 先月, 〜) are read first."""
    words, days, months = [], [], []
    for w in periods.iso_words(unicodedata.normalize("NFKC", rest), today or workdays.now().date()).split():
        m = _DAY.match(w)
        if m:
            try:
                days.append(_dt.date(int(m[1]), int(m[2]), int(m[3])))
            except ValueError:
                raise ValueError(f"「{w}」は日付として読めません（例: 2026-10-01）。") from None
            continue
        m = _MONTH.match(w)
        if m:
            y, mo = int(m[1]), int(m[2])
            if not 1 <= mo <= 12:
                raise ValueError(f"「{w}」は年月として読めません（例: 2026-10）。")
            first = _dt.date(y, mo, 1)
            nxt = _dt.date(y + (mo == 12), mo % 12 + 1, 1)
            months.append((first, nxt - _dt.timedelta(days=1)))
            continue
        words.append(w)
    return " ".join(words).strip(), days, months


def allowed_contracts(db: sqlite_utils.Database, viewer: str) -> list[str] | None:
    """The contracts whose report the viewer may ask for; None when they may ask for none."""
    s = access.scope(db, viewer)
    if s.everyone:
        return [c["name"] for c in pstore.contracts(db)]
    if s.role == "lead":
        p = people.get_person(db, viewer) or {}
        return list(p.get("contracts") or [])
    return None


def _refuse_contract(db: sqlite_utils.Database, viewer: str, contract: str, via: str, thing: str = WHAT) -> Turn:
    """A lead asking for a contract they do not lead: refused and recorded like handlers.access does."""
    what = f"案件「{contract}」の{thing}"
    mine = "、".join(f"「{c}」" for c in (allowed_contracts(db, viewer) or [])) or "ありません"
    cite = access.citation(db, viewer)
    rule = f"（根拠: {cite}）" if cite else ""
    text = (f"申し訳ありませんが、{what}はご覧いただけません。作業責任者の方がご覧いただけるのは、ご自身が担当する"
            f"案件（{mine}）の{thing}です。必要な場合は情報セキュリティ対策責任者にご依頼ください。"
            f"記録は業務上必要な方だけが閲覧できるよう管理しています{rule}。このお断りは記録されました。")
    astore.add_refusal(db, viewer_id=viewer, subject_id=None, what=what, reason="not_contract",
                       via=via if via in people.VIAS else "cli", at=workdays.iso())
    return _reply(text)


def last_completed_period(db: sqlite_utils.Database, contract: str, today: _dt.date) -> tuple[_dt.date, _dt.date, str]:
    """The contract's last completed report period (a schedule that is off counts monthly)."""
    from handlers import report

    quarterly = report.every(db, contract) == "quarter"
    d0, d1 = report.last_period(today, "quarter" if quarterly else "month")
    return d0, d1, "直近に終わった" + ("四半期" if quarterly else "月")


def _period(db: sqlite_utils.Database, contract: str, days: list[_dt.date],
            months: list[tuple[_dt.date, _dt.date]], today: _dt.date) -> tuple[_dt.date, _dt.date, str]:
    """(from, to, how it was chosen); ValueError with a Japanese reason."""
    if months and days or len(months) > 1 or len(days) > 2:
        raise ValueError("期間は「開始日 終了日」の 2 つの日付か、「年-月」の 1 つで指定してください。")
    if months:
        return months[0][0], months[0][1], "ご指定の月"
    if len(days) == 1:
        raise ValueError("期間は開始日と終了日の両方を指定してください（例: 2026-10-01 2026-10-31）。")
    if days:
        d0, d1 = days
        if d1 < d0:
            raise ValueError("終了日が開始日より前になっています。日付の順番をご確認ください。")
        if (d1 - d0).days + 1 > MAX_DAYS:
            raise ValueError(f"一度に作成できる期間は {MAX_DAYS} 日までです。期間を分けてご依頼ください。")
        return d0, d1, "ご指定の期間"
    return last_completed_period(db, contract, today)


_PLACE = ("市", "町", "村", "区", "都", "道", "府", "県")


def _looks_like_contract(db: sqlite_utils.Database, name: str) -> bool:
    """A registered contract, or a word shaped like one (a municipality's name): worth an answer
    about contracts rather than a rule search."""
    return name in {c["name"] for c in pstore.contracts(db)} or name.endswith(_PLACE)


@dataclass(frozen=True)
class Request:
    contract: str
    days: list[_dt.date]
    months: list[tuple[_dt.date, _dt.date]]


def open_request(db: sqlite_utils.Database, viewer: str, rest: str, via: str, thing: str,
                 usage: Callable[[str], str]) -> Request | Turn | None:
    """What `/mamoru report` and `/mamoru roster` share: None when the words are a rule question
    (「状況報告 いつまで」), a Turn when the answer is a refusal or a correction, else the request
    (the contract the viewer may see, and the dates given)."""
    if "?" in rest or "？" in rest:
        return None          # 「状況報告 はいつ出す？」 is a rule question
    try:
        name, days, months = _parse(rest)
        error = ""
    except ValueError as e:
        name, days, months, error = "", [], [], str(e)
    if name and not days and not months and not error and not _looks_like_contract(db, name):
        return None          # 「状況報告 いつまで」: a question about the rule, not a contract's name
    refused = access.require(db, viewer, what=thing, via=via, need="team")
    if refused:
        return Turn().add(refused)
    allowed = allowed_contracts(db, viewer) or []
    example = allowed[0] if allowed else "吉川市"
    if error:
        return _reply(f"{error}\n{usage(example)}")
    if not name:
        if len(allowed) == 1:
            name = allowed[0]
        elif not allowed:
            return _reply(f"{thing}をご依頼いただける案件が登録されていません。案件はサーバーで `mamoru contract add 案件名` で登録し、"
                          "`mamoru users add … --contract 案件名` でその案件の方を登録できます。")
        else:
            return _reply(f"どの案件の{thing}でしょうか。案件名を付けてご依頼ください（"
                          + "、".join(f"「{c}」" for c in allowed) + "）。\n" + usage(example))
    if pstore.contract(db, name) is None:
        from handlers import contracts

        return _reply(contracts.unknown_message(db, name, among=allowed) + "\n" + usage(example))
    if name not in allowed:
        return _refuse_contract(db, viewer, name, via, thing)
    return Request(name, days, months)


def report_command(db: sqlite_utils.Database, viewer: str, rest: str, via: str) -> Turn | None:
    req = open_request(db, viewer, rest, via, WHAT, _usage)
    if not isinstance(req, Request):
        return req
    now = workdays.now()
    try:
        d0, d1, how = _period(db, req.contract, req.days, req.months, now.date())
    except ValueError as e:
        return _reply(f"{e}\n{_usage(req.contract)}")
    since = rstore.contract_since(db, req.contract)
    born = workdays.local(workdays.parse(since)).date() if since else None
    if born and d1 < born:
        return _reply(f"案件「{req.contract}」は {workdays.format_date(born)} に登録されました。それより前の期間"
                      f"（{workdays.format_date(d0)}〜{workdays.format_date(d1)}）の記録はないため、状況報告は作成できません。")
    return _build(db, viewer, req.contract, d0, d1, how, via, now)


def _build(db: sqlite_utils.Database, viewer: str, contract: str, d0: _dt.date, d1: _dt.date, how: str, via: str,
           now: _dt.datetime) -> Turn:
    from handlers.report import draft

    r = draft.build(db, contract, d0, d1, today=now.date())
    period = f"{workdays.format_date(d0)}〜{workdays.format_date(d1)}"
    head = (f"案件「{contract}」の状況報告の数値です。\n報告対象期間: {period}（{how}）\n"
            f"{workdays.format_jst(r['generated_at'])} 時点の記録から集計しました。")
    if d1 >= now.date():
        head += "期間はまだ終わっていないため、本日までの記録による途中の数値です。"
    lines = [head, "", draft.summary(r), ""]
    tail = f"下書きの{draft.NEEDS_PERSON}の箇所は記録からは判断できないため、提出前に担当者の確認・記入が必要です。"
    basis = f"根拠: {r['basis']}" if r["basis"] else ""
    if via in ("terminal", "cli"):
        lines += [tail, "下書き（Word 形式）を添付します（端末ではファイルとして保存します）。"]
    else:
        lines += [tail, "下書き（Word 形式）を DM でお送りします。"]
    if basis:
        lines.append(basis)
    att = Attachment(draft.filename(r, "docx"), draft.docx(r), f"{r['title']}（下書き）",
                     f"管理者に `mamoru report status --contract {contract} --from {d0.isoformat()} --to {d1.isoformat()}` "
                     "での書き出しをご依頼ください。")
    out = Outgoing(viewer, Reply(f"案件「{contract}」の状況報告の下書き（Word 形式、報告対象期間: {period}）をお送りします"
                                 f"（{workdays.format_jst(r['generated_at'])} 時点の記録）。"
                                 f"【要確認】の箇所をご記入のうえ、提出前に内容をご確認ください。"),
                   key=f"report:file:{contract}:{d0.isoformat()}:{d1.isoformat()}:{viewer}:{time.time_ns()}", file=att)
    return Turn().add(Reply("\n".join(lines), ephemeral=True), [out])


capabilities.register_command(WORDS, report_command)
capabilities.register_intent("report", lambda db, u, m, via: report_command(db, u, m.args[0], via))
