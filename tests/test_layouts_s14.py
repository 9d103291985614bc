"""Layouts the twelfth set of attachments brought (session 14), read from the delivered files in
tests/data/verdicts (made by LibreOffice and python-docx as cities make them, see the README there):
a checklist printed from a spreadsheet with a 備考 column, 「○・×」 to circle and categories at the top of their
merged cells (vd45); a handbook set in two columns (vd46); a Word table 区分 / してよいこと / してはいけないこと whose
cells hold several lines (vd47); a wiki page with an info panel and an OK例 / NG例 table (vd48)."""
from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import library
from storage.db import open_db

DATA = Path(__file__).parent / "data" / "verdicts"


def _clauses(tmp_path, name):
    db = open_db(tmp_path / "kb.db")
    p = DATA / name
    library.load_file(db, p.read_bytes(), name=p.name, slug="d", title=None, municipality="架空市")
    return [c for c in db["clauses"].rows_where("doc_slug = 'd'") if c["text"]]


def _one(clauses, start):
    found = [c for c in clauses if c["text"].startswith(start)]
    assert len(found) == 1, [c["text"][:40] for c in clauses if start[:6] in c["text"]]
    return found[0]


def test_a_spreadsheet_checklist_with_notes_and_circles_reads_one_row_per_number(tmp_path):
    clauses = _clauses(tmp_path, "vd45.pdf")
    rows = {c["label"]: c for c in clauses if c["label"].isdigit()}
    assert sorted(map(int, rows)) == list(range(1, 50))
    # the 備考 cell is the row's note after its item, not glued into it; 「○・×」 is no text
    assert rows["16"]["text"] == ("作業場所に私物の携帯電話、カメラその他の撮影機器を持ち込まないこと。"
                                  "ただし、市の承認を得た場合はこの限りでない。。市の承認があれば可") \
        or rows["16"]["text"].endswith("市の承認があれば可")
    assert not any("○・×" in c["text"] for c in clauses)
    assert rows["16"]["verdict"] == "approval" and rows["17"]["verdict"] == "prohibited"
    # categories written at the top of their merged cells, one over the page break
    assert '"総則"' in rows["5"]["heading"] and '"体制・教育"' in rows["6"]["heading"]
    assert all('"端末・記録媒体"' in rows[str(n)]["heading"] for n in range(27, 38))
    assert all('"再委託・事故対応"' in rows[str(n)]["heading"] for n in range(38, 45))


def test_a_handbook_in_two_columns_keeps_its_paragraphs_apart(tmp_path):
    clauses = _clauses(tmp_path, "vd46.pdf")
    photo = _one(clauses, "院内で患者さんや来院者を撮影することは禁止です。")
    assert photo["text"] == "院内で患者さんや来院者を撮影することは禁止です。" and photo["verdict"] == "prohibited"
    screen = _one(clauses, "作業中は、患者情報が表示された画面が")
    assert screen["verdict"] == "required"
    # a paragraph ending at the column's edge, the next one indented: two clauses
    assert _one(clauses, "作業が終わったら、速やかに接続を切断してください。")["text"].endswith("切断してください。")
    # the purpose before the first heading (beside the right column's edition line)
    purpose = [c for c in clauses if "このハンドブックは、真砂川市立総合病院" in c["text"]]
    assert len(purpose) == 1 and purpose[0]["verdict"] == "info"


def test_a_word_table_of_what_may_and_may_not_be_done_gives_each_line_its_columns_verdict(tmp_path):
    clauses = _clauses(tmp_path, "vd47.docx")
    assert _one(clauses, "してはいけないこと：作業場所外への持ち出し")["verdict"] == "prohibited"
    assert _one(clauses, "してはいけないこと：個人のメールアドレスへの送信")["verdict"] == "prohibited"
    # two lines of one cell (a line break in Word) are two rules
    assert _one(clauses, "してはいけないこと：私物のＵＳＢメモリその他の記録媒体の接続")["verdict"] == "prohibited"
    assert _one(clauses, "してはいけないこと：離席時の画面ロックの省略")["verdict"] == "prohibited"
    # the city's way out in the cell itself
    assert _one(clauses, "してはいけないこと：甲の許可なく行う保護者への直接の照会")["verdict"] == "approval"
    assert _one(clauses, "してはいけないこと：電話による口座番号の聞き取り")["verdict"] == "approval"
    assert _one(clauses, "してよいこと：甲の承認を得た上での金融機関への送付")["verdict"] == "approval"
    assert not any("してよいこと" in c["text"] and "してはいけないこと" in c["text"] for c in clauses)  # column names


def test_a_wiki_page_keeps_its_info_panel_and_reads_ok_and_ng_examples(tmp_path):
    clauses = _clauses(tmp_path, "vd48.html")
    # a class word (「panel info」) and a rule's own word (「音声読み上げ担当者」) are no furniture
    assert _one(clauses, "ヒヤリとした出来事は")["verdict"] == "encouraged"
    assert _one(clauses, "「原稿データ」とは")["verdict"] == "info"
    assert _one(clauses, "このページの内容と契約書の原文が食い違う場合は")["verdict"] == "info"
    assert _one(clauses, "NG例：受け取った原稿の封筒を開けたまま机に置いておく。")["verdict"] == "prohibited"
    assert _one(clauses, "OK例：原稿を受け取ったら、その場で受領簿に日時と件数を記入する。")["verdict"] == "required"
    assert _one(clauses, "OK例：選管の承認を得てから")["verdict"] == "approval"


@pytest.mark.parametrize("html, kept, gone", [
    ('<div class="panel info"><p>作業前に、端末の定義ファイルを更新するよう努めてください。</p></div>',
     "定義ファイルを更新", None),
    ('<div class="info"><p>最終更新日：2026年4月1日</p></div>', None, "最終更新日"),
    ('<p>このページに関するお問い合わせは情報政策課へ。電話：000-000-0000</p>', None, "お問い合わせ"),
])
def test_the_page_frame_goes_and_the_rules_stay(tmp_path, html, kept, gone):
    page = ("<html><body><main><h1>架空市 遵守事項</h1><h2>1 作業</h2>"
            "<p>作業は、市が指定する場所で行ってください。</p><p>私物の機器を持ち込まないでください。</p>"
            f"{html}<p>離席するときは画面をロックしてください。</p></main></body></html>")
    db = open_db(tmp_path / "kb.db")
    library.load_file(db, page.encode(), name="p.html", slug="p", title=None, municipality="架空市")
    text = " ".join(c["text"] for c in db["clauses"].rows_where("doc_slug = 'p'"))
    assert "私物の機器を持ち込まない" in text
    if kept:
        assert kept in text
    if gone:
        assert gone not in text


# --- the thirteenth set: an amendment's 新旧対照表, a Q&A printed from a spreadsheet, a 可否 table with △ ---------

def test_an_amendment_table_gives_only_the_text_in_force(tmp_path):
    """vd50.pdf: 改正後 | 改正前, each cell an article. The old text is no rule a worker should be shown."""
    db = open_db(tmp_path / "kb.db")
    p = DATA / "vd50.pdf"
    report = library.load_file(db, p.read_bytes(), name=p.name, slug="d", title=None, municipality="架空市")
    clauses = [c for c in db["clauses"].rows_where("doc_slug = 'd'") if c["text"]]
    assert not any(c["text"].startswith("乙は") for c in clauses)          # the old wording (甲/乙) is gone
    assert _one(clauses, "受注者は、本業務に関して知り得た情報を第三者に漏らしてはならない。")["label"] == "第4条第2項"
    labels = [c["label"] for c in clauses]
    assert len(labels) == len(set(labels))                                 # no article twice
    assert any("新旧対照表の改正前の欄" in d for d in report.dropped)


@pytest.mark.parametrize("name, text", [
    ("amend.txt", "架空市 特記事項 新旧対照表\n改正後\t改正前\n"
                  "第１条（持出し）<br>受注者は、市の承認を得ないで資料を持ち出してはならない。<br>２　受注者は、資料を施錠して保管しなければならない。"
                  "\t第１条（持出し）<br>乙は、資料を持ち出してはならない。\n"),
    ("amend.html", "<html><body><h1>架空市 特記事項 新旧対照表</h1><table><tr><th>改正後</th><th>改正前</th></tr>"
                   "<tr><td><p>第１条（持出し）</p><p>受注者は、市の承認を得ないで資料を持ち出してはならない。</p>"
                   "<p>２　受注者は、資料を施錠して保管しなければならない。</p></td>"
                   "<td><p>第１条（持出し）</p><p>乙は、資料を持ち出してはならない。</p></td></tr></table></body></html>"),
])
def test_an_amendment_table_from_word_or_a_page_gives_only_the_text_in_force(tmp_path, name, text):
    db = open_db(tmp_path / "kb.db")
    library.load_file(db, text.encode(), name=name, slug="a", title=None, municipality="架空市")
    got = {c["label"]: (c["text"], c["verdict"]) for c in db["clauses"].rows_where("doc_slug = 'a'") if c["text"]}
    assert got["第1条第1項"] == ("受注者は、市の承認を得ないで資料を持ち出してはならない。", "approval")
    assert got["第1条第2項"][1] == "required"
    assert not any("乙は" in t for t, _ in got.values())


def test_a_q_and_a_printed_from_a_spreadsheet_reads_each_answer_as_the_rule(tmp_path):
    clauses = _clauses(tmp_path, "vd51.pdf")
    rows = {c["label"]: c for c in clauses if c["label"].isdigit()}
    assert sorted(map(int, rows)) == list(range(1, 44))
    family = rows["3"]
    assert family["text"].startswith("Q. 業務で知った内容を家族に話してもよいですか。A. いいえ、話してはいけません。")
    assert family["verdict"] == "prohibited"
    # a long answer's last line stays with it, not with the next row
    assert not rows["25"]["text"].split("A. ", 1)[1].startswith("伝えてください")
    assert rows["14"]["verdict"] == "prohibited"       # allowed in the break room; ただし not at the desk
    assert rows["23"]["verdict"] == "approval"         # 「市の許可を得た資料に限り、…印刷できます」


def test_a_table_of_what_may_be_done_reads_a_triangle_as_allowed_only_on_its_condition(tmp_path):
    clauses = _clauses(tmp_path, "vd52.html")
    usb = [c for c in clauses if "USBメモリ等の電磁的記録媒体の使用" in c["text"]]
    assert len(usb) == 1 and usb[0]["verdict"] == "approval"


def test_a_sheet_saved_by_excel_as_tab_separated_text_keeps_a_quoted_cell_with_a_line_break_on_its_row(tmp_path):
    """Excel writes a cell holding a line break in double quotes over two lines, a quote inside doubled; vd55.txt
    (Shift_JIS, CRLF rows, LF inside the cell) and a small one written here."""
    clauses = _clauses(tmp_path, "vd55.txt")
    row = [c for c in clauses if "ファイルにパスワードを設定しなければ" in c["text"]]
    assert len(row) == 1 and row[0]["text"].endswith("これを持ち出してはならない。") and row[0]["verdict"] == "required"
    assert not any(c["text"].startswith('"') or c["text"].endswith('"') for c in clauses)
    text = ('架空市 点検表\r\n番号\t項目\t確認内容\r\n1\t媒体\t"媒体は施錠して保管すること。\n'
            '""持出簿""に記録すること。"\r\n2\t端末\t私物の端末を接続しないこと。\r\n')
    db = open_db(tmp_path / "t.db")
    library.load_file(db, text.encode("cp932"), name="t.txt", slug="t", title=None, municipality="架空市")
    texts = [c["text"] for c in db["clauses"].rows_where("doc_slug = 't'") if c["text"]]
    assert any('媒体は施錠して保管すること。' in t and '"持出簿"に記録すること。' in t for t in texts), texts
    assert any(t.endswith("私物の端末を接続しないこと。") for t in texts), texts


# --- the fifteenth set: lines apart by <br> in one block, a table's ※ notes in a PDF --------------------------------

def test_lines_apart_by_br_and_indented_are_paragraphs_of_their_own(tmp_path):
    clauses = _clauses(tmp_path, "vd58.html")          # EUC-JP, rules in one <div> as <br> lines
    name = _one(clauses, "受注者は、業務責任者を定め、その者の氏名及び連絡先を")
    assert name["text"].endswith("市に届け出ること。") and name["verdict"] == "required"
    assert _one(clauses, "名簿に記載されていない者を親局又は中継局の機械室に立ち入らせないこと。")["verdict"] == "prohibited"
    page = ("<html><body><div>２．体制<br>　受注者は、業務責任者を定めること。<br>"
            "　名簿に記載されていない者を立ち入らせないこと。<br></div></body></html>")
    db = open_db(tmp_path / "b.db")
    library.load_file(db, page.encode(), name="b.html", slug="b", title=None, municipality="架空市")
    got = [(c["text"], c["verdict"]) for c in db["clauses"].rows_where("doc_slug = 'b'") if c["text"]]
    assert ("名簿に記載されていない者を立ち入らせないこと。", "prohibited") in got


def test_a_note_below_a_table_in_a_pdf_is_no_row_of_it(tmp_path):
    clauses = _clauses(tmp_path, "vd57.pdf")           # a landscape 別表 with ※１ ※２ under it
    assert not any("清掃" in c["text"] and "確認方法欄に掲げる" in c["text"] for c in clauses)
    assert any(c["text"].startswith("確認方法欄に掲げる点検の結果は") for c in clauses)


def test_a_wiki_pages_own_record_line_is_no_rule_and_no_part_of_the_next(tmp_path):
    text = ("# 架空市 点検チェックリスト\n\n最終更新: 2025-06-02 / 編集: 業務管理チーム\n\n"
            "このチェックリストは、受託者が遵守事項の履行状況を日々確認するためのものである。\n\n"
            "## 1. 基本事項\n\n- [ ] 私物のUSBメモリを接続していないこと。\n")
    db = open_db(tmp_path / "w.db")
    library.load_file(db, text.encode(), name="w.md", slug="w", title=None, municipality="架空市")
    got = [(c["text"], c["verdict"]) for c in db["clauses"].rows_where("doc_slug = 'w'") if c["text"]]
    assert not any("最終更新" in t for t, _ in got)
    assert ("このチェックリストは、受託者が遵守事項の履行状況を日々確認するためのものである。", "info") in got
