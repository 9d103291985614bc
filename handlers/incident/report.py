"""The written report the contract asks for: Markdown or Word (.docx), in Japanese.

吉川市 情報セキュリティ特記仕様書 第18条第1項 asks for 情報の内容、件数、事故の発生場所、発生状況
「等を書面により」: the report holds every answer of the report (those four first), the
timeline (reported, who was told, escalations, acknowledged by whom, reported to the city —
when, by whom, how —, measures, notes, closed), and the clauses that apply, quoted and cited.
Both formats are built from the same `document(db, inc)`.
"""
from __future__ import annotations

import io

import sqlite_utils

from handlers import office_text, people, workdays
from handlers.incident import common as C
from handlers.incident import content, letter, notify
from handlers.markdown_text import escape as _md
from storage import incidents as store
from storage import kb as kb_store

CONTRACT_FIELDS = ("info", "count", "place", "what_happened")     # 情報の内容、件数、事故の発生場所、発生状況
VIA_LABELS = {"slack_button": "Slack（ボタン）", "slack_command": "Slack（/mamoru）", "slack_dm": "Slack（DM）",
              "slack_mention": "Slack（メンション）", "terminal": "端末チャット", "cli": "コマンドライン", "scheduler": "自動通知"}
TITLE = "情報セキュリティ事故（インシデント）報告書"
FORMATS = ("md", "docx")


def _who(db, uid: str | None) -> str:
    if not uid:
        return "-"
    if uid == people.CLI_ACTOR:
        return "管理者（コマンドライン）"
    p = people.get_person(db, uid)
    role = f"、{people.ROLES[p['role']]}" if p else ""
    return f"{people.display_name(db, uid)}（{uid}{role}）"


def timeline(db: sqlite_utils.Database, inc: dict) -> list[dict]:
    """Every entry, oldest first: {"at", "what", "who", "via"}."""
    rows = []
    for e in store.events(db, inc["id"]):
        d = e["detail"]
        if e["kind"] == "reported":
            told = "、".join(_who(db, u) for u in d.get("notified") or []) or "（お知らせできる担当者が未登録）"
            what = f"報告を受け付け、直ちに通知しました（通知先: {told}）"
            if d.get("alert_channel"):
                what += f"。通知チャンネル {d['alert_channel']} に概要のみ通知"
        elif e["kind"] == "acknowledged":
            what = "確認しました"
        elif e["kind"] == "city_reported":
            when = d.get("display") or workdays.format_jst(d.get("when") or e["at"])
            what = f"市へ報告しました（方法: {d.get('method') or '-'}、報告日時: {when}）"
            if d.get("text"):
                what += f"。{d['text']}"
        elif e["kind"] == "measure":
            what = f"対応・対策: {d.get('text', '')}"
        elif e["kind"] == "note":
            what = f"メモ: {d.get('text', '')}"
        elif e["kind"] == "closed":
            what = "完了としました" + (f"（{d['text']}）" if d.get("text") else "")
        else:
            what = "再開しました" + (f"（{d['text']}）" if d.get("text") else "")
        rows.append({"at": e["at"], "what": what, "who": _who(db, e["actor"]), "via": VIA_LABELS.get(e["via"], e["via"])})
    for n in store.escalations(db, inc["ref"]):
        rows.append({"at": n["at"], "what": f"未確認のため督促を送りました（宛先: {_who(db, n['user_id'])}）",
                     "who": "mamoru", "via": VIA_LABELS.get(n["via"], n["via"])})
    rows.sort(key=lambda r: workdays.parse(r["at"]))
    return rows


def document(db: sqlite_utils.Database, inc: dict) -> dict:
    fl = content.flow()
    seq = fl.sequence(inc["type"])
    by_id = {q.id: q for q in seq}
    # A contract renamed since the report: its name now heads the letter and finds its officer; the
    # name the incident was recorded under is kept beside it (the record itself is not rewritten).
    from handlers import contracts

    called = contracts.current_names(db)
    contract, recorded = contracts.now_called(called, inc["contract"])
    slugs = C.slugs_for_contract(db, contract, inc["reporter_id"])
    paper = letter.for_incident(db, contract or None, slugs, recorded=recorded or None)
    named = paper.fields or CONTRACT_FIELDS
    order = [q for q in (by_id.get(i) for i in named) if q] + [q for q in seq if q.id not in named]
    fields = [("受付番号", inc["ref"]), ("種別", notify.type_label(inc))]
    for q in order:
        if q.id == "type":
            continue
        a = inc["answers"].get(q.id)
        shown = a["d"] if a else "（未回答）"
        if q.kind == "contract" and a and a.get("v") in called:   # the answer named a name since changed
            shown = f"{called[a['v']]}（記録時の案件名: {a['v']}）"
        fields.append((q.label, shown))
    reporter = people.get_person(db, inc["reporter_id"])
    leads = inc["lead_ids"] or ([reporter["lead_id"]] if reporter and reporter["lead_id"] else [])
    docs = []
    for s in slugs:
        d = kb_store.document(db, s)
        if d:
            docs.append(f"{d['municipality'] + ' ' if d['municipality'] else ''}{d['title']}")
    clauses = [c for c in (kb_store.clause(db, cid) for cid in inc["clause_ids"]) if c]
    events = store.events(db, inc["id"])
    city = [e for e in events if e["kind"] == "city_reported"]
    meta = [("報告日時", workdays.format_jst(inc["at"])), ("報告者", _who(db, inc["reporter_id"])),
            ("作業責任者", "、".join(_who(db, u) for u in leads) or "-"), ("案件", (contract + (f"（記録時の案件名: {recorded}）" if recorded else "")) or "-"),
            ("適用される規定", "、".join(docs) or "-"), ("状態", notify.status(db, inc, events)),
            ("作成日時", workdays.format_jst(C.now()))]
    notes = ["この報告書は mamoru の記録（追記のみ。訂正は新しい記録として残ります）から作成しました。"]
    if inc["masked"]:
        from handlers.incident import mask

        notes.append(f"報告者の入力に含まれていた個人情報（{'、'.join(mask.LABELS[k] for k in inc['masked'])}）と"
                     "思われる部分は、記録する前に伏せ字にしています。")
    officer = letter.officer_of(db, contract or None)
    names = {"報告者": people.display_name(db, inc["reporter_id"]),
             "作業責任者": "、".join(people.display_name(db, u) for u in leads),
             "情報セキュリティ対策責任者": officer["name"] if officer else ""}
    head = {"date": workdays.format_date(C.now()), "addressee": paper.addressee, "contractor": paper.contractor,
            "contract": paper.contract, "documents": "、".join(paper.documents) or "-", "opening": paper.opening,
            "basis": paper.basis}
    signatures = [(role, names.get(role) or letter.TO_FILL) for role in paper.signatures]
    return {"title": paper.title or TITLE, "ref": inc["ref"], "head": head, "signatures": signatures,
            "meta": meta, "fields": fields, "timeline": timeline(db, inc),
            "city": [{"when": e["detail"].get("display") or workdays.format_jst(e["detail"].get("when") or e["at"]),
                      "method": e["detail"].get("method") or "-", "who": _who(db, e["actor"]),
                      "text": e["detail"].get("text") or ""} for e in city],
            "clauses": [{"citation": c["citation"], "text": c["text"]} for c in clauses], "notes": notes}


def letter_lines(d: dict) -> list[str]:
    """The 書面's top (date, addressee, contractor, contract, opening) as lines."""
    h = d["head"]
    out = [f"報告日: {_md(h['date'])}", "", _md(h["addressee"]), "", f"受託者: {_md(h['contractor'])}",
           f"件名（案件）: {_md(h['contract'])}", f"契約の規定: {_md(h['documents'])}", ""]
    if h["opening"]:
        out += [_md(h["opening"]), ""]
    for b in h["basis"]:
        out.append(f"（根拠: {_md(b['citation'])}「{_md(b['text'])}」）")
    return out


def markdown(db: sqlite_utils.Database, inc: dict) -> str:
    """Every text from the records (answers, notes, names, clauses) goes through _md."""
    d = document(db, inc)
    out = [f"# {_md(d['title'])}（{_md(d['ref'])}）", ""] + letter_lines(d) + ["", "記", ""]
    out += [f"- {_md(k)}: {_md(v)}" for k, v in d["meta"]]
    out += ["", "## 1. 事故の内容", "", "| 項目 | 内容 |", "|---|---|"]
    out += [f"| {_md(k)} | {_md(v)} |" for k, v in d["fields"]]
    out += ["", "## 2. 経過", "", "| 日時 | 内容 | 記録者 | 経路 |", "|---|---|---|---|"]
    out += [f"| {workdays.format_jst(r['at'])} | {_md(r['what'])} | {_md(r['who'])} | {_md(r['via'])} |"
            for r in d["timeline"]]
    out += ["", "## 3. 市への報告", ""]
    if d["city"]:
        out += [f"- {_md(c['when'])}　方法: {_md(c['method'])}　報告者: {_md(c['who'])}"
                + (f"　{_md(c['text'])}" if c["text"] else "") for c in d["city"]]
    else:
        out.append("- まだ記録されていません。")
    out += ["", "## 4. 適用される規定", ""]
    for c in d["clauses"]:
        out += [f"- {_md(c['citation'])}", f"  > {_md(c['text'])}"]
    if not d["clauses"]:
        out.append("- （該当する規定が読み込まれていません）")
    out += ["", "## 5. 備考", ""] + [f"- {_md(n)}" for n in d["notes"]]
    out += ["", "## 6. 確認欄", "", "| 役職 | 氏名 | 署名・押印 |", "|---|---|---|"]
    out += [f"| {_md(role)} | {_md(name)} |  |" for role, name in d["signatures"]]
    out += ["", "以上"]
    return "\n".join(out) + "\n"


def docx_bytes(db: sqlite_utils.Database, inc: dict) -> bytes:
    from docx import Document
    from docx.shared import Pt

    d = office_text.clean(document(db, inc))     # a control character pasted into an answer: no crash
    doc = Document()
    style = doc.styles["Normal"]
    style.font.size = Pt(10.5)
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    h = d["head"]
    doc.add_paragraph(f"報告日: {h['date']}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph(h["addressee"])
    for line in (f"受託者: {h['contractor']}", f"件名（案件）: {h['contract']}"):
        doc.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_heading(f"{d['title']}（{d['ref']}）", level=1)
    if h["opening"]:
        doc.add_paragraph(h["opening"])
    for b in h["basis"]:
        doc.add_paragraph(f"（根拠: {b['citation']}「{b['text']}」）")
    doc.add_paragraph(f"契約の規定: {h['documents']}")
    doc.add_paragraph("記").alignment = WD_ALIGN_PARAGRAPH.CENTER
    for k, v in d["meta"]:
        doc.add_paragraph(f"{k}: {v}")

    def table(headers: list[str], rows: list[list[str]]):
        t = doc.add_table(rows=1, cols=len(headers))
        t.style = "Table Grid"
        for i, h in enumerate(headers):
            t.rows[0].cells[i].text = h
        for r in rows:
            cells = t.add_row().cells
            for i, v in enumerate(r):
                cells[i].text = str(v)
        return t

    doc.add_heading("1. 事故の内容", level=2)
    table(["項目", "内容"], [[k, v] for k, v in d["fields"]])
    doc.add_heading("2. 経過", level=2)
    table(["日時", "内容", "記録者", "経路"],
          [[workdays.format_jst(r["at"]), r["what"], r["who"], r["via"]] for r in d["timeline"]])
    doc.add_heading("3. 市への報告", level=2)
    if d["city"]:
        for c in d["city"]:
            doc.add_paragraph(f"{c['when']}　方法: {c['method']}　報告者: {c['who']}" + (f"　{c['text']}" if c["text"] else ""),
                              style="List Bullet")
    else:
        doc.add_paragraph("まだ記録されていません。")
    doc.add_heading("4. 適用される規定", level=2)
    for c in d["clauses"]:
        doc.add_paragraph(c["citation"], style="List Bullet")
        doc.add_paragraph(c["text"])
    doc.add_heading("5. 備考", level=2)
    for n in d["notes"]:
        doc.add_paragraph(n, style="List Bullet")
    doc.add_heading("6. 確認欄", level=2)
    table(["役職", "氏名", "署名・押印"], [[role, name, ""] for role, name in d["signatures"]])
    doc.add_paragraph("以上").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def render(db: sqlite_utils.Database, inc: dict, fmt: str) -> bytes:
    if fmt == "md":
        return markdown(db, inc).encode("utf-8")
    if fmt == "docx":
        return docx_bytes(db, inc)
    raise ValueError(f"format must be one of {FORMATS}")


def filename(inc: dict, fmt: str) -> str:
    return f"{inc['ref']}.{fmt}"
