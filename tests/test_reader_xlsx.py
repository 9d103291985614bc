"""Excel workbooks as cities send them (built in tests/xlsx_books.py with openpyxl), loaded through the real loader:
`mamoru kb add` on a SQLite file, or knowledge.library.load_file, as the Slack upload calls it. What is read (clauses,
citations, verdicts), what is left out and said so (cover, 記入例, form, hidden sheets, rows and columns, comments,
struck-through rows, a header copied at a page break), Excel 方眼紙 read as whole sentences under their paragraphs,
values as the cells show them, formulas with no saved result, the caps, and the refusals."""
from __future__ import annotations

import io
import json
import zipfile

import pytest
from openpyxl import Workbook

import xlsx_books as books
from conftest import run_mamoru
from knowledge import library
from knowledge.readers import LoadRefused, read
from knowledge.readers import xlsx as xlsx_reader
from storage import kb as kb_store
from storage.db import open_db

TOWN = "霞ヶ台市"


@pytest.fixture
def db(tmp_path):
    return open_db(tmp_path / "kb.db")


def _load(db, data: bytes, name: str = "book.xlsx", slug: str = "d"):
    report = library.load_file(db, data, name=name, slug=slug, title=None, municipality=TOWN)
    rows = list(db["clauses"].rows_where("doc_slug = ?", [slug], order_by="ord"))
    return report, rows


def _save(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- a checklist workbook, through `mamoru kb add` ---------------------------------------------------------------

def test_a_city_checklist_workbook_loads_its_rules_once_and_says_what_it_left_out(db_path, tmp_path):
    f = tmp_path / "チェックシート.xlsx"
    f.write_bytes(books.checklist_book())
    r = run_mamoru(["kb", "add", str(f), "--slug", "kasumi", "--municipality", TOWN, "--json"], db_path)
    assert r.returncode == 0, r.stderr
    rep = json.loads(r.stdout)
    assert rep["kind"] == "xlsx" and rep["title"] == books.TITLE          # the cover's title, as typed (full-width space)
    assert rep["sheets"] == [{"name": "チェックシート", "read_as": "表"}]
    dropped = "\n".join(rep["dropped"])
    for said in ("シート「表紙」: 表紙", "シート「記入例」: 記入例", "シート「様式１」: 記入用の様式（作業従事者届出書）",
                 "非表示のシート「リスト」「旧チェックシート」", "非表示の行 1 行と列 1 列", "セルのメモ（コメント）1 件",
                 "取り消し線の付いた行（削除された規定、1 行）", "繰り返された表の見出し行（1 行）"):
        assert said in dropped, said
    assert any("数式のセル 6 個" in w["message"] for w in rep["warnings"])
    assert "読み込んだシート: 「チェックシート」（表）" in rep["report"]
    assert rep["report"][0].startswith(f"kasumi: {TOWN} {books.TITLE}（Excel、シート 1 枚）を読み込みました。")

    db = open_db(db_path)
    rows = list(db["clauses"].rows_where("doc_slug = 'kasumi' and text != ''", order_by="ord"))
    by_label = {c["label"]: c for c in rows}
    texts = "\n".join(c["text"] for c in rows)
    # one unit per numbered row, its note with it; the numbers the formulas give (5–10) as well as the typed ones
    assert [str(n) in by_label for n in range(1, 11)] == [True] * 10
    assert by_label["1"]["text"] == ("作業場所に私物のＵＳＢメモリその他の記録媒体を持ち込まないこと。"
                                     "ただし、市の承認を得た場合は、この限りでない。")        # full-width as typed
    assert by_label["2"]["text"] == "作業場所への私物のスマートフォンの持込みは、禁止する。市の承認を得た場合は可"
    assert by_label["2"]["verdict"] == "approval" and by_label["6"]["verdict"] == "prohibited"
    assert by_label["8"]["verdict"] == "required" and by_label["2"]["citation"] == f"{TOWN} {books.TITLE} 2"
    assert by_label["4"]["text"] == "交換した部品は、管理番号及び交換の日時を作業記録に記載すること。様式第２号"
    assert by_label["7"]["text"] == "ﾊﾟｽﾜｰﾄﾞを付箋に書いて端末に貼らないこと。"                 # half-width as typed
    items = [c["text"] for c in rows if c["parent_id"] == by_label["5"]["id"]]
    assert items == ["回収日時", "端末の管理番号", "回収した者の氏名"]
    assert any(c["text"].startswith("このチェックシートにおいて「端末」とは") for c in rows)
    # read once: the 記入例 repeats every rule, filled in
    assert texts.count("離席するときは、端末の画面をロックすること。") == 1 and "確認済み" not in texts
    # nothing of what was left out
    for gone in ("ＦＡＸで市に送付", "内部メモ", "令和６年度に追加", "作業場所の外で行うことができる", "令和６年度で廃止",
                 "私物のパソコンを使用してよい", "翌営業日", "作業従事者届出書", "No.", "□", "00:00:00"):
        assert gone not in texts, gone
    # the blank form is kept apart, as a form found in a PDF is
    forms = list(db["forms"].rows_where("doc_slug = 'kasumi'"))
    assert [f["title"] for f in forms] == ["作業従事者届出書"] and "代表者氏名" in forms[0]["text"]
    # the same file again changes nothing
    again = run_mamoru(["kb", "add", str(f), "--slug", "kasumi", "--municipality", TOWN], db_path)
    assert "変更はありません" in again.stdout


def test_the_example_sheet_is_read_when_it_is_the_only_copy_of_the_rules_and_a_filled_in_copy_is_read_once(db):
    # a workbook holding the checklist twice under names that do not say 記入例 (this month's copy, filled in)
    wb = Workbook()
    books.checklist_sheet(wb.active, formulas=False, note=False)
    wb.active.title = "４月"
    books.checklist_sheet(wb.create_sheet("５月"), filled=True, formulas=False)
    report, rows = _load(db, _save(wb))
    assert report.sheets == [("４月", "表")]
    assert any("シート「５月」: シート「４月」と同じ項目の繰り返し" in d for d in report.dropped)
    assert sum("離席するときは" in c["text"] for c in rows) == 1
    # a cover and a 記入例 only: the example is the only copy of the rules, read and said so
    wb = Workbook()
    books._cover(wb)
    books.checklist_sheet(wb.create_sheet("記入例"), filled=True, formulas=False)
    report, rows = _load(db, _save(wb), slug="only")
    assert report.sheets == [("記入例", "表")] and report.title == books.TITLE
    assert any("記入例のシート「記入例」しかないため、これを読みました" in w for _, w in report.warnings)
    assert sum("離席するときは" in c["text"] for c in rows) == 1


# --- Excel 方眼紙 -------------------------------------------------------------------------------------------------

def test_grid_paper_reads_each_sentence_whole_and_each_item_under_its_paragraph(db):
    reading = read(books.grid_book(), "tokki.xlsx")
    assert reading.fmt == "auto" and reading.sheets == [("特記事項", "方眼紙、行をまたぐ文 5 か所をつなぎました")]
    lines = reading.text.split("\n")
    # the reader joined the rows the author broke at the right edge: each sentence is one line, indented by its column
    assert "　２　受注者は、本業務に従事する者（以下「従事者」という。）に対し、前項の義務を遵守させるため、必要な教育及び監督を" \
           "行わなければならない。" in lines
    assert any(ln.startswith("　　　(3)　作業場所に私物の電磁的記録媒体を持ち込まないこと。ただし、") for ln in lines)
    report, rows = _load(db, books.grid_book(), "tokki.xlsx")
    assert report.title == "情報セキュリティ特記事項" and report.counts["articles"] == 4
    by_label = {c["label"]: c for c in rows}
    assert by_label["第1条"]["text"].endswith("受注者が遵守すべき情報セキュリティ対策を定めるものとする。")
    assert by_label["第3条第1項第3号"]["verdict"] == "approval"
    # the items after 「２　…次に掲げる場合には…」 are that paragraph's, not the first paragraph's
    assert by_label["第3条第2項第1号"]["parent_id"] == by_label["第3条第2項"]["id"]
    assert by_label["第3条第2項第1号"]["text"] == "本業務の全部又は一部を第三者に再委託する場合"
    assert by_label["第4条第2項"]["citation"] == f"{TOWN} 情報セキュリティ特記事項 第4条第2項"


def test_grid_paper_with_numbers_in_cells_of_their_own_and_a_line_broken_short_of_the_edge(db):
    reading = read(books.hard_grid_book(), "tokki.xlsx")
    lines = reading.text.split("\n")
    # broken at 「、」 a few characters before the edge, and after an opening bracket's 「。」: still one sentence
    assert "　２　受注者は、前項ただし書の承認を得て再委託するときは、再委託先に対し、次に掲げる措置を講じさせなければならない。" in lines
    assert any(ln.endswith("（以下「本業務」という。）の実施に当たり、受注者が遵守すべき事項を定めるものとする。") for ln in lines)
    report, rows = _load(db, books.hard_grid_book(), "tokki.xlsx")
    by_label = {c["label"]: c for c in rows}
    assert report.title == "窓口受付業務委託　情報セキュリティ特記事項"
    assert by_label["第2条第1項"]["verdict"] == "approval"
    assert by_label["第2条第2項第2号ア"]["parent_id"] == by_label["第2条第2項第2号"]["id"]
    assert by_label["第2条第2項第2号イ"]["text"] == "入退室の記録が作成され、保存されていること。"
    assert by_label["第2条第3項"]["text"] == "受注者は、再委託先の行為について、市に対し全ての責任を負うものとする。"
    bullets = [c for c in rows if c["parent_id"] == by_label["第3条第1項"]["id"]]
    assert [c["verdict"] for c in bullets] == ["prohibited", "approval"]


def test_a_second_sheet_of_rules_starts_a_part_of_its_own(db):
    report, rows = _load(db, books.mixed_book())
    assert report.sheets == [("特記事項", "方眼紙、行をまたぐ文 5 か所をつなぎました"), ("チェックシート", "表")]
    assert report.title == "情報セキュリティ特記事項"
    by_id = {c["id"]: c for c in rows}
    row = next(c for c in rows if c["text"] == "離席するときは、端末の画面をロックすること。")
    chain = []
    while row["parent_id"]:
        row = by_id[row["parent_id"]]
        chain.append(row["label"])
    assert chain[-1] == "チェックシート" and not any(x.startswith("第4条") for x in chain)
    last = by_id[next(c["id"] for c in rows if c["label"] == "第4条第2項")]
    assert last["text"] == "前項の報告は、情報の内容、件数、発生場所及び発生状況を明らかにして行うものとする。"
    assert any("シート「チェックシート」の表題の上の行（作成した課・日付など、2 行）" in d for d in report.dropped)
    assert not any("霞ヶ台市総務部情報政策課" == c["text"] for c in rows)


def test_a_sentence_typed_on_into_the_next_row_of_a_table_goes_back_into_its_cell(db):
    report, rows = _load(db, books.typed_on_book())
    by_label = {c["label"]: c for c in rows}
    assert by_label["1"]["text"] == "個人情報を含む書類は、施錠できる書庫に保管し、使用後は速やかに書庫に戻すこと。"
    assert by_label["2"]["text"] == "個人情報を含む電子データは、市が貸与した暗号化機能付きのＵＳＢメモリ以外の記録媒体に保存しないこと。"
    assert by_label["2"]["verdict"] == "prohibited" and len(rows) == 3


# --- values as shown; formulas --------------------------------------------------------------------------------------

def test_cells_read_as_excel_shows_them_and_formulas_without_a_saved_result():
    import datetime as dt

    wb = Workbook()
    ws = wb.active
    ws.title = "遵守事項"
    ws["B2"] = "情報セキュリティ遵守事項"
    cells = [(dt.datetime(2026, 4, 1), "yyyy/m/d", "2026/4/1"),
             (dt.datetime(2026, 4, 1), '[$-ja-JP]ggge"年"m"月"d"日"', "令和8年4月1日"),
             (dt.datetime(2026, 4, 1, 9, 30), 'm"月"d"日"(aaa) h:mm', "4月1日(水) 9:30"),
             (3, '"第"0"条"', "第3条"), (0.125, "0.0%", "12.5%"), (1200, "#,##0", "1,200"), (2.5, "General", "2.5")]
    for i, (v, fmt, _) in enumerate(cells, 4):
        ws.cell(i, 2, v).number_format = fmt
        ws.cell(i, 3, "のセル")
    ws["B12"] = "=ROW()-11"                            # no saved result: worked out (1)
    ws["C12"] = '="受注者は、"&"情報を漏らさないこと。"'
    ws["B13"] = "=B12+1"
    ws["C13"] = "=VLOOKUP(B13,Sheet2!A:B,2,FALSE)"    # not worked out: said so, with the cell
    reading = read(_save(wb), "v.xlsx")
    for _, _, want in cells:
        assert f"<td>{want}</td>" in reading.text, want
    assert "00:00:00" not in reading.text and "46113" not in reading.text
    assert "<td>1</td><td>受注者は、情報を漏らさないこと。</td>" in reading.text and "<td>2</td>" in reading.text
    assert any("数式のセル 3 個は計算結果が保存されていなかったため" in w for w in reading.warnings)
    assert any("数式のセル 1 個（C13）は計算結果が保存されておらず、読めませんでした" in w for w in reading.warnings)


# --- caps, macros, refusals --------------------------------------------------------------------------------------

def test_a_huge_sheet_is_cut_at_the_cap_and_the_report_says_so(db, monkeypatch):
    monkeypatch.setattr(xlsx_reader, "MAX_ROWS", 16)
    report, rows = _load(db, books.checklist_book())
    assert any("16 行目までだけを読みました" in w and "それより下は読んでいません" in w for _, w in report.warnings)
    labels = [c["label"] for c in rows if c["text"]]
    # the rows above the cut read as before (its merged title and sections too), none below it
    assert labels[:3] == ["前文 第1段落", "前文 第2段落", "前文 第3段落"] and labels[3:7] == ["1", "2", "3", "4"]
    assert not {"5", "6", "10"} & set(labels)
    monkeypatch.setattr(xlsx_reader, "MAX_ROWS", 20_000)
    monkeypatch.setattr(xlsx_reader, "MAX_CELLS", 30)
    report, _ = _load(db, books.checklist_book(), slug="d2")
    assert any("セルの上限（30 セル）に達したため、シート「記入例」「様式１」は読んでいません" in w for _, w in report.warnings)


def test_a_macro_enabled_workbook_reads_the_same_and_its_macros_are_neither_read_nor_run(db):
    report, rows = _load(db, books.as_xlsm(books.checklist_book()), "チェックシート.xlsm")
    plain = library.load_file(db, books.checklist_book(), name="c.xlsx", slug="plain", title=None, municipality=TOWN)
    assert report.counts == plain.counts and report.kind == "xlsx"
    assert "マクロ（VBA）: 読み込まず、実行もしていません" in report.dropped


def _empty() -> bytes:
    return _save(Workbook())


def _numbers_only() -> bytes:
    wb = Workbook()
    for i in range(1, 10):
        wb.active.cell(i, 1, i)
        wb.active.cell(i, 2, i * 1.5)
    return _save(wb)


def _hidden_only() -> bytes:
    wb = Workbook()
    wb.active["A1"] = "受注者は、情報を第三者に漏らしてはならない。"
    wb.active.sheet_state = "hidden"
    wb.create_sheet("Sheet2")
    return _save(wb)


def _broken_sheet() -> bytes:
    good = books.checklist_book()
    src = zipfile.ZipFile(io.BytesIO(good))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for item in src.infolist():
            body = src.read(item.filename)
            z.writestr(item, b"<worksheet><sheetData><row><c" if item.filename == "xl/worksheets/sheet2.xml" else body)
    return buf.getvalue()


def _xlsb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.bin", b"\x83\x01\x00")
    return buf.getvalue()


@pytest.mark.parametrize("make,name,words", [
    (_empty, "empty.xlsx", "文字の入ったセルが見つかりませんでした"),
    (_numbers_only, "numbers.xlsx", "数字や日付だけのセルは規定として読めません"),
    (_hidden_only, "hidden.xlsx", "非表示のシート「Sheet」は読み込みません。そこに規定があるときは、シートを再表示して"),
    (lambda: books.ole_file({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\x00" * 9000}),
     "パスワード付き.xlsx", "パスワードで保護された Office のファイル"),
    (lambda: books.ole_file({"Workbook": b"\x09\x08\x10\x00"}), "旧形式.xls", "古い形式の Excel（.xls）"),
    (lambda: books.checklist_book()[:3000], "truncated.xlsx", "Excel のファイルですが壊れているため"),
    (_broken_sheet, "broken.xlsx", "保存し直してから"),
    (_xlsb, "binary.xlsb", "Excel バイナリブック（.xlsb）"),
])
def test_workbooks_that_cannot_be_read_are_refused_clearly_and_nothing_is_loaded(db, make, name, words):
    with pytest.raises(LoadRefused) as e:
        library.load_file(db, make(), name=name, slug="bad", title=None, municipality=TOWN)
    assert words in e.value.message_ja
    assert e.value.message_ja.startswith(name + ": ")
    assert kb_store.document(db, "bad") is None
    assert not list(db["clauses"].rows_where("doc_slug = 'bad'"))


def test_the_password_refusal_tells_how_to_save_without_a_password(db_path, tmp_path):
    f = tmp_path / "特記事項.xlsx"
    f.write_bytes(books.ole_file({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\x00" * 9000}))
    r = run_mamoru(["kb", "add", str(f), "--slug", "pw"], db_path)
    assert r.returncode == 1 and "パスワードを消して保存し直して" in r.stderr
    assert run_mamoru(["kb", "show", "pw"], db_path).returncode == 1


def test_a_category_merged_down_over_its_rows_heads_them_and_the_number_stays_the_label(db):
    report, rows = _load(db, books.category_book())
    # the title typed in one cell runs over the empty cells beside it: the document's title, no clause
    assert report.title == "委託業務セキュリティ点検表"
    assert [(c["label"], json.loads(c["heading"])) for c in rows] == [
        ("1", ["人的対策"]), ("2", ["人的対策"]), ("3", ["物理的対策"]), ("4", ["物理的対策"]), ("5", ["物理的対策"])]
    assert rows[4]["text"] == "私物の記録媒体を作業場所に持ち込んでいないこと。" and rows[4]["verdict"] == "prohibited"
    assert rows[0]["citation"] == f"{TOWN} 委託業務セキュリティ点検表 1"


def test_a_text_box_over_the_sheet_is_not_read_and_the_report_says_so(db):
    report, rows = _load(db, books.with_text_box(books.typed_on_book(), "※　点検結果が×の項目は、直ちに市に報告すること。"))
    assert not any("点検結果が×" in c["text"] for c in rows) and len(rows) == 3
    assert any("シート「点検表」の図形（テキストボックスなど）1 個の文字は読み込んでいません" in w for _, w in report.warnings)


def test_a_second_sheet_named_sheet2_is_cited_by_the_title_it_shows(db):
    wb = Workbook()
    books.grid_sheet(wb.active)
    books.checklist_sheet(wb.create_sheet("Sheet2"), formulas=False, note=False)
    _, rows = _load(db, _save(wb))
    part = next(c for c in rows if c["level"] == "section" and c["parent_id"] is None)
    assert part["label"] == books.TITLE and "Sheet2" not in "".join(c["label"] for c in rows)


def test_a_table_drawn_on_grid_paper_with_merged_cells_is_read_as_a_table(db):
    report, rows = _load(db, books.merged_grid_table_book())
    assert report.sheets == [("チェックリスト", "表")] and report.title == "庁舎清掃業務　情報セキュリティチェックリスト"
    by_label = {c["label"]: c for c in rows}
    assert by_label["3"]["text"] == "清掃中に見つけた書類やＵＳＢメモリは、職員に届けること。その場で渡す"
    assert by_label["1"]["verdict"] == "prohibited" and by_label["4"]["parent_id"] == by_label["2 退出時"]["id"]


def test_a_monthly_checklist_reads_one_unit_a_row_with_its_note(db):
    report, rows = _load(db, books.monthly_book())
    assert [(c["label"], c["text"], c["verdict"]) for c in rows] == [
        ("1", "離席時は画面をロックしていること。", "required"),
        ("2", "私物の記録媒体を持ち込んでいないこと。市の承認を得た場合は可", "approval"),
        ("3", "書類を施錠できる書庫に保管していること。", "required")]
    assert report.title == "情報セキュリティ月次点検表"


def test_grid_paper_a_sentence_ending_right_at_the_edge_is_followed_by_its_paragraph_s_next_sentence(db):
    s1 = "第５条　受注者は、本業務に係る全ての情報を、市の承認を得ないで作業場所の外へ持ち出してはならない。"
    assert len(s1) == books._cap(2)          # the sentence fills the row to the edge
    entries = books.GRID + [None, (2, "（持出しの禁止）"), (2, s1 + "電子メールにより送信する場合も、同様とする。"),
                            None, (2, "第６条　受注者は、本業務を誠実に行う。"), (3, "受注者は、市の指示に従うものとする。")]
    lines = read(books.grid_book(entries), "t.xlsx").text.split("\n")
    # the next row starts where this author carries a paragraph on (one column right): the paragraph goes on
    assert s1 + "電子メールにより送信する場合も、同様とする。" in lines
    # a short row ending its sentence is no row broken at the edge: the row below is a paragraph of its own
    assert "第６条　受注者は、本業務を誠実に行う。" in lines and "　受注者は、市の指示に従うものとする。" in lines
    _, rows = _load(db, books.grid_book(entries))
    assert {c["label"]: c["text"] for c in rows}["第5条"] == s1[4:] + "電子メールにより送信する場合も、同様とする。"
