"""A blank form (様式) from a loaded document as a Word file to fill in.

The form's text is kept as the loader found it: one line per line of the original, the blanks
already gone (「令和 年 月 日」, 「氏 名」, 「1 体制の整備 ・」). This lays it out as a form again:
the title centred and large, the date line and the addressee as on the original, a label that
stands alone (「受託業務名」「氏 名」) followed by a ruled space to write in, 【変更なし/変更あり】 as
two boxes to tick, and every numbered item ending in 「・」 given lines below it.
"""
from __future__ import annotations

import io
import re

_DATE = re.compile(r"^(令和|平成)?\s*年\s*月\s*日$")
_CHOICE = re.compile(r"【([^】/／]+)[/／]([^】]+)】")
_ITEM = re.compile(r"^\d+\s")
_LABEL_MAX = 16     # a line this short with no sentence ending is a field label


def _is_label(line: str) -> bool:
    t = line.strip()
    return (0 < len(t) <= _LABEL_MAX and not t.endswith(("。", "、", "様")) and not _ITEM.match(t)
            and not t.startswith(("(", "（")) and t not in ("記", "以上"))


def build(title: str, text: str, source: str) -> bytes:
    """The .docx bytes: `title` as the heading, `text` laid out as a form, `source` in the footer."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.size = Pt(10.5)
    lines = [ln.rstrip() for ln in text.splitlines()]
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if line == title.strip():
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            r = p.add_run(line)
            r.bold = True
            r.font.size = Pt(16)
            continue
        if _DATE.match(line):
            p = doc.add_paragraph(f"令和　　年　　月　　日")
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            continue
        if line in ("記", "以上"):
            p = doc.add_paragraph(line)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER if line == "記" else WD_ALIGN_PARAGRAPH.RIGHT
            continue
        line = _CHOICE.sub(lambda m: f"□ {m.group(1).strip()}　□ {m.group(2).strip()}", line)
        line = re.sub(r"令和\s+年\s+月\s+日", "令和　　年　　月　　日", line)
        if line.endswith("・"):
            doc.add_paragraph(line[:-1].rstrip())
            for _ in range(2):
                doc.add_paragraph("　・" + "＿" * 30)
            continue
        if _is_label(line):
            t = doc.add_table(rows=1, cols=2)
            t.style = "Table Grid"
            t.rows[0].cells[0].text = line
            t.rows[0].cells[1].text = ""
            continue
        doc.add_paragraph(line)
    section = doc.sections[0]
    section.footer.paragraphs[0].text = f"出典: {source}（mamoru が読み込んだ文書の様式から作成。原本と照合のうえお使いください）"
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
