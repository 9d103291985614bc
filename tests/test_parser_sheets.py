"""What the parser learned for workbooks (knowledge/readers/xlsx.py), on its own input forms: a checklist whose 確認欄 is
an empty drop-down rather than 「□」, and a second sheet of rules starting a part of its own (the reader's _PART_MARK)."""
from __future__ import annotations

from knowledge.parser import parse
from knowledge.parser.tokens import _PART_MARK


def _page(*rows: str) -> str:
    return "<html><body><table>" + "".join(rows) + "</table></body></html>"


def _tr(*cells: str) -> str:
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def test_an_empty_cell_under_the_column_to_tick_is_the_box_as_a_drawn_box_is():
    page = _page(_tr("No.", "確認項目", "確認欄", "備考"),
                 '<tr><td colspan="4">１　作業場所</td></tr>',
                 _tr("1", "作業場所に私物の記録媒体を持ち込まないこと。", "□", ""),
                 _tr("2", "作業場所への私物のスマートフォンの持込みは、禁止する。", "", "市の承認を得た場合は可"),
                 _tr("3", "離席するときは、端末の画面をロックすること。", "", ""))
    doc = parse(page, "html")
    by_label = {c.label: c for c in doc.clauses}
    # each numbered row is one unit under its section, with its note: not paragraphs of the section
    assert by_label["2"].text == "作業場所への私物のスマートフォンの持込みは、禁止する。市の承認を得た場合は可"
    assert by_label["3"].text == "離席するときは、端末の画面をロックすること。"
    assert by_label["2"].parent == by_label["1"].parent == by_label["3"].parent


def test_a_column_that_holds_text_is_no_column_to_tick():
    page = _page(_tr("No.", "項目", "確認", "内容"),
                 _tr("1", "持出し", "", "情報を持ち出さないこと。"),
                 _tr("2", "複写", "市の承認", "情報を複写しないこと。"))
    texts = [c.text for c in parse(page, "html").clauses]
    assert "□" not in "".join(texts)


def test_a_part_mark_starts_a_part_that_no_article_before_it_runs_into():
    text = "\n".join(["情報セキュリティ特記事項", "第１条　受注者は、情報を第三者に漏らしてはならない。",
                      "２　受注者は、従事者に研修を行わなければならない。",
                      f"{_PART_MARK}チェックシート{_PART_MARK}作業状況チェックシート",
                      "１　作業場所に私物を持ち込まないこと。", "２　離席時は画面をロックすること。"])
    doc = parse(text)
    by_text = {c.text: c for c in doc.clauses}
    by_key = {c.key: c for c in doc.clauses}
    row = by_text["作業場所に私物を持ち込まないこと。"]
    chain = []
    while row.parent:
        row = by_key[row.parent]
        chain.append(row)
    assert chain[-1].label == "チェックシート" and chain[-1].heading == ("チェックシート", "作業状況チェックシート")
    assert not any(c.level == "article" for c in chain)
    assert by_text["離席時は画面をロックすること。"].label.startswith("チェックシート")
    assert doc.title == "情報セキュリティ特記事項" and not doc.forms


def test_a_number_column_after_a_category_is_found_below_a_title_and_the_row_naming_the_columns():
    page = _page('<tr><td colspan="4">委託業務セキュリティ点検表</td></tr>', _tr("区分", "No.", "確認項目", "確認欄"),
                 '<tr><td rowspan="2">人的対策</td><td>1</td><td>従事者に守秘義務を課していること。</td><td></td></tr>',
                 "<tr><td>2</td><td>従事者の名簿を市に届け出ていること。</td><td>□</td></tr>",
                 "<tr><td>物理的対策</td><td>3</td><td>書類を施錠できる書庫に保管していること。</td><td></td></tr>")
    doc = parse(page, "html")
    assert [(c.label, c.heading, c.text) for c in doc.clauses] == [
        ("1", ("人的対策",), "従事者に守秘義務を課していること。"), ("2", ("人的対策",), "従事者の名簿を市に届け出ていること。"),
        ("3", ("物理的対策",), "書類を施錠できる書庫に保管していること。")]
    assert doc.title == "委託業務セキュリティ点検表"


def test_a_cell_spanning_rows_stays_in_its_column_beside_a_cell_spanning_columns():
    page = _page('<tr><td rowspan="2">No.</td><td rowspan="2">点検項目</td><td colspan="3">点検結果</td>'
                 '<td rowspan="2">備考</td></tr>', _tr("4月", "5月", "6月"),
                 _tr("1", "離席時は画面をロックしていること。", "○", "", "", ""),
                 _tr("2", "私物の記録媒体を持ち込んでいないこと。", "", "", "", "市の承認を得た場合は可"))
    by_label = {c.label: c for c in parse(page, "html").clauses}
    assert by_label["2"].text == "私物の記録媒体を持ち込んでいないこと。市の承認を得た場合は可"
    assert by_label["1"].text == "離席時は画面をロックしていること。"
