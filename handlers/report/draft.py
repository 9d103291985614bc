"""The status report drafted from records: per section 変更なし/変更あり with what mamoru knows,
【記録から下書き】 for what records evidence and 【要確認】 for what a person must fill in."""
from __future__ import annotations

import datetime as _dt
import io

import sqlite_utils

from handlers import markdown_text, office_text, people, workdays
from handlers.report import content, figures
from storage import kb

FROM_RECORDS = "【記録から下書き】"
NEEDS_PERSON = "【要確認】"


def _pct(r: float | None) -> str:
    return "-" if r is None else f"{r * 100:.1f}%"


def _cite(db, ids) -> str:
    cs = [c["citation"] for c in (kb.clause(db, i) for i in ids) if c]
    return "、".join(cs)


def type_label(type_id: str | None) -> str:
    """An incident type as the city reads it (「ICカードの紛失・盗難」), never its internal id."""
    from handlers.incident import content as icontent

    t = icontent.flow().type(type_id) if type_id else None
    return t.label if t else "その他の事故"


def evidence_lines(kind: str, f: dict) -> tuple[bool, list[str]]:
    """(changed, lines) for one kind of record."""
    if kind == "roster":
        r = f["roster"]
        lines = [f"名簿の変更 {r['count']} 件（追加 {r['joined']} 名、削除 {r['left']} 名、作業責任者の変更 {r['lead_changed']} 件、"
                 f"役割の変更 {r['role_changed']} 件、うち情報セキュリティ対策責任者に関わるもの {r['officer_changes']} 件）。"
                 f"期間末の従事者・責任者 {f['members_at_end']} 名。"]
        lines += [f"・{s}" for s in r["sentences"]]
        return r["count"] > 0, lines
    if kind == "incidents":
        i = f["incidents"]
        lines = [f"期間中に報告された事故 {i['reported']} 件、期間中に完了したもの {i['closed_in_period']} 件、"
                 f"期間末に対応中のもの {i['open']} 件。"]
        for x in i["incidents"]:
            state = "完了" if x["closed"] else ("対応中（確認済み）" if x["acknowledged"] else "対応中（未確認）")
            lines.append(f"・{x['ref']}（{type_label(x['type'])}）{workdays.format_jst(x['at'])} 報告、{state}"
                         f"{'、市へ報告済み' if x['city_reported'] else ''}")
        return bool(i["incidents"]), lines
    if kind == "training":
        t = f["training"]
        lines = [f"期間末の対象者 {t['members']} 名のうち修了 {t['done']} 名、未修了 {t['pending']} 名、期限切れ {t['overdue_count']} 名。"
                 f"期間中に修了（誓約まで）した方 {t['completed_in_period']} 名。"]
        lines += [f"・期限切れ: {o['name']}さん（期限 {workdays.format_date(o['due_date'])}）" for o in t["overdue"]]
        return t["completed_in_period"] > 0 or t["overdue_count"] > 0, lines
    c = f["checklists"]
    lines = [f"チェックリストの確認 {c['confirmed']} / {c['expected']} 件（確認率 {_pct(c['rate'])}、"
             f"いいえ {c['no']} 件、未回答 {c['unanswered']} 件、{workdays.format_date(c['through'])} まで）。"]
    missed = [m for m in c["items_missed"] if m["missed"]][:3]
    if missed:
        lines.append("確認できなかった回数の多い項目: " + "、".join(f"{m['label']} {m['missed']} 件" for m in missed))
    return False, lines


def build(db: sqlite_utils.Database, contract: str, d0: _dt.date, d1: _dt.date, today: _dt.date | None = None) -> dict:
    slugs = people.contract_docs(db, contract)
    layout = content.for_docs(db, slugs)
    f = figures.compute(db, contract, d0, d1, today)
    sections = []
    for s in (layout.sections if layout else ()):
        changed, lines = False, []
        for kind in s.evidence:
            ch, ls = evidence_lines(kind, f)
            changed |= ch
            lines += ls
        if s.evidence:
            status = "変更あり" if changed else "変更なし"
            mark = FROM_RECORDS + (f" {NEEDS_PERSON}{s.ask}" if s.ask else "")
        else:
            status = "変更なし／変更あり（ご記入ください）"
            mark = f"{NEEDS_PERSON}{s.ask or '記録からは判断できません。ご記入ください。'}"
        sections.append({"no": s.no, "title": s.title, "status": status, "lines": lines, "mark": mark,
                         "from_records": bool(s.evidence), "citation": _cite(db, s.clauses)})
    generated = workdays.now()       # 作成 and the chain head's 時点: one reading of the clock
    # the contract's own officer first; an officer with no contract listed oversees them all
    officers = people.store.active(db, role="officer")
    officer = ([p for p in officers if contract in (p["contracts"] or [])]
               or [p for p in officers if not p["contracts"]])
    return {"contract": contract, "from": d0.isoformat(), "to": d1.isoformat(),
            "title": layout.title if layout else "情報セキュリティ対策の状況報告", "layout": layout.file if layout else "",
            "basis": _cite(db, layout.basis) if layout else "", "officer": officer[0]["name"] if officer else "",
            "figures": f, "sections": sections, "generated_at": workdays.iso(generated),
            "chain_head": _chain_head(db, generated)}


def _chain_head(db: sqlite_utils.Database, now: _dt.datetime) -> str | None:
    """The audit chain's head at drafting time, witnessed outside the database (handlers.witness)."""
    from handlers import witness

    return witness.head_line(db, "report", now)


def markdown(r: dict) -> str:
    """The draft as a .md file: every text from the records (names, the contract, headings and
    citations of a loaded document, the evidence lines) goes through markdown_text.escape, so a
    Markdown viewer shows it as text, never as HTML or as the report's own structure."""
    return _lines(r, markdown_text.escape)


def _lines(r: dict, t) -> str:
    """The draft in Markdown's shape, each text from the records through `t`: escaped for the .md,
    as it is for the .docx (which reads the shape back and writes the text plainly)."""
    out = [f"# {t(r['title'])}（下書き）", "",
           f"- 受託業務名（案件）: {t(r['contract'])}",
           f"- 報告対象期間: {workdays.format_date(r['from'])} 〜 {workdays.format_date(r['to'])}",
           f"- 情報セキュリティ対策責任者: {t(r['officer']) if r['officer'] else NEEDS_PERSON}",
           f"- 受託期間: {NEEDS_PERSON}", f"- 作成: mamoru の記録から {workdays.format_jst(r['generated_at'])} に下書き", ""]
    if r["basis"]:
        out += [f"根拠: {t(r['basis'])}", ""]
    out += [f"{FROM_RECORDS} の箇所は mamoru の記録から下書きしたもの、{NEEDS_PERSON} の箇所は担当者の確認・記入が必要なものです。"
            "提出前に必ず内容をご確認ください。", "", "## セキュリティ保全のための対策", ""]
    for s in r["sections"]:
        out += [f"### {t(s['no'])} {t(s['title'])}　【{s['status']}】", "", t(s["mark"]), ""]
        out += [f"《変更内容》" if s["from_records"] else "《変更内容》（ご記入ください）"]
        out += [t(line) for line in s["lines"]] or [""]       # names and refs inside the evidence sentences
        out += ["", f"（根拠: {t(s['citation'])}）" if s["citation"] else "", ""]
    out.append("以上")
    return "\n".join(out) + "\n"


def docx(r: dict) -> bytes:
    from docx import Document

    d = Document()
    d.add_heading(office_text.clean(f"{r['title']}（下書き）"), 0)
    for line in office_text.clean(_lines(r, str)).splitlines()[2:]:
        if line.startswith("### "):
            d.add_heading(line[4:], 2)
        elif line.startswith("## "):
            d.add_heading(line[3:], 1)
        elif line.startswith("- "):
            d.add_paragraph(line[2:], style="List Bullet")
        elif line.strip():
            d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def summary(r: dict) -> str:
    """The figures in a message (the scheduled DM)."""
    f = r["figures"]
    c, t, i, ro = f["checklists"], f["training"], f["incidents"], f["roster"]
    return "\n".join([
        f"名簿の変更: {ro['count']} 件（追加 {ro['joined']}、削除 {ro['left']}、作業責任者の変更 {ro['lead_changed']}）",
        f"事故: 期間中の報告 {i['reported']} 件、対応中 {i['open']} 件",
        f"教育: 修了 {t['done']} / {t['members']} 名、期限切れ {t['overdue_count']} 名",
        f"チェックリスト: 確認率 {_pct(c['rate'])}（{c['confirmed']} / {c['expected']} 件）"]
        + ([r["chain_head"]] if r.get("chain_head") else []))


def filename(r: dict, fmt: str) -> str:
    return f"保全状況報告_{r['contract']}_{r['from'].replace('-', '')}-{r['to'].replace('-', '')}.{fmt}"
