"""Reading layouts of the twenty-sixth set (session 18), each built here anew: an Excel checklist saved as a web page
(blank margin columns, a title row, a merged cell of three sentences on <br> lines, rows 「No. | 確認項目 | □ | 備考」
with a sentence wrapped by Alt+Enter and a note giving the way out), and a Word article written as one paragraph of
manual line breaks whose 「２　…」 follows its items."""
from __future__ import annotations

import io
import zipfile

from knowledge import library
from storage.db import open_db

NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
BR = '<br style="mso-data-placement:same-cell">\n    '
PAD = '<td class="xl63"></td>'


def _load(tmp_path, data: bytes, name: str) -> list[dict]:
    db = open_db(tmp_path / "kb.db")
    library.load_file(db, data, name=name, slug="d", title=None, municipality="架空市")
    return list(db["clauses"].rows_where("doc_slug = 'd' and text != ''", order_by="ord"))


def _row(*cells: str) -> str:
    return "<tr>" + PAD + "".join(cells) + PAD + PAD + "</tr>\n"


def _sheet() -> bytes:
    blank = "<tr>" + PAD * 7 + "</tr>\n"
    rows = [
        blank,
        _row('<td colspan="4">架空市総務課</td>'),
        blank,
        _row('<td colspan="4">窓口端末保守業務　情報セキュリティ遵守状況チェックシート</td>'),
        blank,
        _row('<td colspan="4">このチェックシートは、架空市（以下「市」という。）が委託する窓口端末保守業務の受託者が遵守すべき事項を'
             f'定めるものである。{BR}このチェックシートにおいて「端末」とは、市が貸与する端末をいう。{BR}'
             '作業責任者は、毎月末日に確認欄に記入し、市に提出すること。</td>'),
        blank,
        _row("<td>No.</td>", "<td>確認項目</td>", "<td>確認欄</td>", "<td>備考</td>"),
        _row('<td colspan="4">１　作業場所</td>'),
        _row("<td x:num>1</td>", f"<td>作業場所に私物の記録媒体を持ち込まないこと。{BR}ただし、市の承認を得た場合は、この限りでない。</td>",
             "<td>□</td>", "<td></td>"),
        _row("<td x:num>2</td>", "<td>作業場所への私物のスマートフォンの持込みは、禁止する。</td>", "<td>□</td>",
             "<td>市の承認を得た場合は可</td>"),
        _row("<td x:num>3</td>", f"<td>交換した部品は、管理番号及び交換の日時を作業記録に{BR}記載すること。</td>", "<td>□</td>",
             "<td>様式第２号</td>"),
        _row("<td x:num>4</td>", f"<td>回収時には、次の事項を記録すること。{BR}①回収日時{BR}②端末の管理番号</td>", "<td>□</td>",
             "<td></td>"),
    ]
    page = ('<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head><meta charset="utf-8"></head><body>'
            '<div x:publishsource="Excel"><table>' + "".join(rows) + "</table></div></body></html>")
    return page.encode("utf-8")


def test_an_excel_sheet_saved_as_a_web_page_reads_its_title_sentences_and_rows(tmp_path):
    rows = _load(tmp_path, _sheet(), "sheet.html")
    texts = [r["text"] for r in rows]
    # the three sentences of the merged cell are three units, none glued to the title
    assert "このチェックシートは、架空市（以下「市」という。）が委託する窓口端末保守業務の受託者が遵守すべき事項を定めるものである。" in texts
    assert "このチェックシートにおいて「端末」とは、市が貸与する端末をいう。" in texts
    assert "作業責任者は、毎月末日に確認欄に記入し、市に提出すること。" in texts
    assert not any("チェックシートこの" in t for t in texts)
    by_label = {r["label"]: r for r in rows}
    # the row's number (after the blank margin column) is its label; the proviso on the next line stays with it
    assert by_label["1"]["text"] == "作業場所に私物の記録媒体を持ち込まないこと。ただし、市の承認を得た場合は、この限りでない。"
    assert by_label["1"]["verdict"] == "approval"
    # the note beside the item is the row's: it gives the way out
    assert by_label["2"]["text"].startswith("作業場所への私物のスマートフォンの持込みは、禁止する。")
    assert "市の承認を得た場合は可" in by_label["2"]["text"]
    assert by_label["2"]["verdict"] == "approval"
    # a sentence wrapped by Alt+Enter is one line; the tick box and the column names are no text
    assert by_label["3"]["text"].startswith("交換した部品は、管理番号及び交換の日時を作業記録に記載すること。")
    assert not any(t in ("□", "様式第２号", "No.") or t.startswith("確認項目") for t in texts)
    # the items in the cell are the row's items
    items = [r for r in rows if r["parent_id"] == by_label["4"]["id"]]
    assert [r["text"] for r in items] == ["回収日時", "端末の管理番号"]


def _docx(body: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", f"<w:document {NS}><w:body>{body}</w:body></w:document>")
    return buf.getvalue()


def _lines(*lines: str) -> str:
    runs = "<w:r><w:br/></w:r>".join(f"<w:r><w:t>{x}</w:t></w:r>" if not x.startswith("\t")
                                     else f"<w:r><w:tab/></w:r><w:r><w:t>{x[1:]}</w:t></w:r>" for x in lines)
    return f"<w:p>{runs}</w:p>"


def test_a_paragraph_number_after_items_on_a_manual_line_break_starts_a_paragraph(tmp_path):
    body = _lines("（作業用端末）", "第１条　受注者は、端末について、次の措置を講じなければならない。",
                  "\t(1)　ウイルス対策ソフトウェアの導入", "\t(2)　離席時の画面ロックの励行",
                  "２　受注者は、市の許可なく、ソフトウェアを端末にインストールしてはならない。") + "<w:p/>" + \
        _lines("（印刷）", "第２条　受注者は、書類を印刷するときは、市の承認を得た部数に", "限り印刷しなければならない。")
    rows = _load(tmp_path, _docx(body), "a.docx")
    by_label = {r["label"]: r for r in rows}
    assert by_label["第1条第1項第2号"]["text"] == "離席時の画面ロックの励行"
    assert by_label["第1条第2項"]["text"] == "受注者は、市の許可なく、ソフトウェアを端末にインストールしてはならない。"
    assert by_label["第1条第2項"]["verdict"] == "approval"
    # a break in the middle of a sentence is still joined
    assert any(r["text"] == "受注者は、書類を印刷するときは、市の承認を得た部数に限り印刷しなければならない。" for r in rows)
