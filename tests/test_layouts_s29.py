"""Layouts of the attachments of corpus4, corpus5 and corpus6 (session 29), each in a small file written for the test:
a 別表 whose rows are typed as cells apart by full-width spaces (a records table: 番号　記録の種類　保存期間), where a
row reads like a heading and another ends without 。; a Word rules table whose first column numbers the rows 「（１）」
beside a scene and its rule; a forwarded e-mail's closing words after the last section; Word outline numbering whose
articles run on through the chapters, with titles after the numbers and a footnote; a self-check sheet asking its
rules; 1) / (a) / i. numbering; articles laid out in a table and rules kept in a spreadsheet, both printed to PDF."""
from __future__ import annotations

import json
from pathlib import Path

from knowledge import library
from knowledge.readers import pdf
from storage.db import open_db
from tests.test_layouts_s15 import _docx, _one, _p


def _load(tmp_path, data: bytes, name: str):
    db = open_db(tmp_path / "kb.db")
    library.load_file(db, data, name=name, slug="d", title=None, municipality="架空市")
    return list(db["clauses"].rows_where("doc_slug = 'd'"))


RECORDS = """公用車運行管理業務委託に係る個人情報取扱特記事項
（記録の保存）
第１条　受託者は、別表に掲げる記録を、同表に定める期間保存しなければならない。
（調査）
第２条　市は、必要があると認めるときは、受託者の事務所に立ち入り、調査することができる。
別表（第１条関係）
番号　記録の種類　保存期間
１　運行日誌　契約期間の終了後5年間
２　鍵の貸出し及び返却の記録　貸し出した日から1年間
３　ドライブレコーダーの映像　録画した日から30日間。ただし、事故に係るものは、市の指示があるまで
４　GPS端末の走行記録　走行した日の属する月の翌月末まで
"""


def test_each_row_of_a_table_typed_with_spaces_is_its_own_row_of_the_appendix(tmp_path):
    """Row ２ reads like a heading (no 。) and row ３ like its body; row ３ ends without 。, so row ４ looked like
    its wrapped line. Each numbered line under the 別表 is its next row, cited 別表N, its cells kept as text."""
    clauses = _load(tmp_path, RECORDS.encode("utf-8"), "records.txt")
    rows = {c["label"]: c["text"] for c in clauses if c["label"].startswith("別表") and c["text"]}
    assert rows == {
        "別表1": "運行日誌　契約期間の終了後5年間",
        "別表2": "鍵の貸出し及び返却の記録　貸し出した日から1年間",
        "別表3": "ドライブレコーダーの映像　録画した日から30日間。ただし、事故に係るものは、市の指示があるまで",
        "別表4": "GPS端末の走行記録　走行した日の属する月の翌月末まで",
    }
    assert not [c for c in clauses if "第3項" in c["label"] or "記録の種類" in c["text"]]


def test_near_case_numbered_sections_outside_an_appendix_keep_their_headings_and_bodies(tmp_path):
    """Outside a 別表, 「２　見出し」 over a sentence is still a section with its body, and the next number a section."""
    text = ("架空市 遵守事項\n１　目的\nこの遵守事項は、個人情報の取扱いについて定める。\n２　事故の報告\n"
            "受託者は、事故を知ったときは、直ちに市に報告すること。\n３　再委託\n受託者は、再委託してはならない。\n")
    clauses = _load(tmp_path, text.encode("utf-8"), "sections.txt")
    assert _one(clauses, "この遵守事項は")["label"] == "1 目的"
    assert _one(clauses, "受託者は、事故を知ったときは")["label"] == "2 事故の報告"
    assert _one(clauses, "受託者は、再委託して")["label"] == "3 再委託"


def _rules_table(rows: list[tuple[str, str, str]]) -> str:
    out = "<w:tbl>" + "".join(f"<w:tr><w:tc>{_p(a)}</w:tc><w:tc>{_p(b)}</w:tc><w:tc>{_p(c)}</w:tc></w:tr>" for a, b, c in rows)
    return out + "</w:tbl>"


SCENES = _docx(
    _p("放課後児童クラブ運営業務委託における個人情報等取扱要領")
    + _p("１　児童の情報の取扱い")
    + _p("（１）　児童の名簿は、クラブ室の施錠できる書庫に保管すること。")
    + _p("２　場面ごとの遵守事項")
    + _rules_table([("番号", "場面", "守ること"),
                    ("（１）", "保護者からの電話", "電話で他の児童の出欠を聞かれても答えない。"),
                    ("（２）", "学校との連絡", "児童の情報をやり取りするときは、保護者の同意を得る。"),
                    ("（３）", "退所", "退所した児童の書類は、年度末に市へ引き渡す。")])
    + _p("３　事故が起きたとき")
    + _p("（１）　名簿を紛失したときは、直ちに市に電話で報告すること。"))


def test_a_numbered_row_of_scene_and_rule_is_one_item_cited_by_its_number(tmp_path):
    """「（１）｜保護者からの電話｜電話で…答えない。」: one item 2(1) holding the scene and its rule (it was the scene
    alone as 2(1), and the rule a paragraph 「第1段落」 of section 2), with the rule's verdict."""
    clauses = _load(tmp_path, SCENES, "scenes.docx")
    phone = _one(clauses, "保護者からの電話")
    assert phone["label"] == "2(1)" and phone["text"] == "保護者からの電話：電話で他の児童の出欠を聞かれても答えない。"
    assert phone["verdict"] == "prohibited"
    consent = _one(clauses, "学校との連絡")
    assert consent["label"] == "2(2)" and consent["verdict"] == "required"       # 「…同意を得る。」 used as a rule
    assert _one(clauses, "退所")["label"] == "2(3)" and _one(clauses, "退所")["verdict"] == "required"
    assert not [c for c in clauses if "段落" in c["label"] or c["text"] in ("番号", "場面", "守ること")]
    assert _one(clauses, "名簿を紛失したときは")["label"] == "3(1)"


def test_near_case_an_article_row_keeps_its_heading_cell_apart(tmp_path):
    """A row numbered 「第１条」 beside a heading cell and its text is an article, read as before (not joined)."""
    data = _docx(_p("架空市 入力業務 特記事項")
                 + _rules_table([("第１条", "管理責任者", "受託者は、管理責任者を選任し、市に届け出なければならない。"),
                                 ("第２条", "従事者", "受託者は、届け出た従事者以外の者に申請書を取り扱わせてはならない。")]))
    clauses = _load(tmp_path, data, "articles.docx")
    assert not [c for c in clauses if "：" in c["text"]]
    assert [c["label"] for c in clauses if "受託者は、管理責任者を選任し" in c["text"]] == ["第1条"]


def test_an_emails_closing_words_are_no_paragraph_of_the_last_section(tmp_path):
    text = ("架空市 乳幼児健診予約受付業務 遵守事項\n1.　目的\nこの遵守事項は、予約受付の個人情報について定める。\n"
            "2.　契約終了時の措置\n受注者は、契約が終了したときは、予約データを全て消去し、消去証明書を提出すること。\n\n"
            "ご不明な点がありましたら、下記までお問い合わせください。\nよろしくお願いいたします。\n")
    clauses = _load(tmp_path, text.encode("utf-8"), "mail.txt")
    last = _one(clauses, "受注者は、契約が終了したときは")
    assert last["label"] == "2 契約終了時の措置" and last["verdict"] == "required"
    assert not [c for c in clauses if "お問い合わせ" in c["text"] or "よろしく" in c["text"]]
    # a rule that tells the worker whom to ask stays a rule
    (tmp_path / "rule").mkdir()
    rule = "架空市 遵守事項\n1.　照会\n受注者は、取扱いに疑義があるときは、市に問い合わせること。\n"
    asked = _one(_load(tmp_path / "rule", rule.encode("utf-8"), "rule.txt"), "受注者は、取扱いに疑義")
    assert asked["label"] == "1 照会" and asked["verdict"] == "required"


# --- corpus6's layouts -------------------------------------------------------------------------------------------

def _numbered_docx(body: str, numbering: str) -> bytes:
    import io
    import zipfile

    from tests.test_layouts_s15 import NS
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", f"<w:document {NS}><w:body>{body}</w:body></w:document>")
        z.writestr("word/numbering.xml", f"<w:numbering {NS}>{numbering}</w:numbering>")
    return buf.getvalue()


def _np(text: str, ilvl: int) -> str:
    return (f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="1"/></w:numPr></w:pPr>'
            f"<w:r><w:t>{text}</w:t></w:r></w:p>")


def _chapters(restart: str) -> str:
    return ('<w:abstractNum w:abstractNumId="0">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimalFullWidth"/><w:lvlText w:val="第%1章"/>'
            '<w:suff w:val="space"/></w:lvl>'
            f'<w:lvl w:ilvl="1"><w:start w:val="1"/>{restart}<w:numFmt w:val="decimalFullWidth"/>'
            '<w:lvlText w:val="第%2条"/><w:suff w:val="space"/></w:lvl></w:abstractNum>'
            '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>')


CHAPTERED = (_p("架空市 美術館受付業務 個人情報取扱特記事項")
             + _np("総則", 0) + _np("目的", 1) + _p("この特記事項は、受付業務の個人情報の取扱いについて定める。")
             + _np("定義", 1) + _p("この特記事項において「個人情報」とは、来館者の氏名及び連絡先をいう。")
             + _p("（注1）来館者の購入履歴を含む。")
             + _np("管理体制", 0) + _np("責任者", 1)
             + _p("受注者は、情報セキュリティ責任者を定め、市に届け出なければならない。")
             + _p("２　受注者は、責任者を変更したときは、その旨を市に届け出なければならない。"))


def test_word_article_numbers_that_never_restart_run_on_through_the_chapters(tmp_path):
    """w:lvlRestart 0 on 第%2条: Word numbers the articles 第1条…第3条 straight through 第1章 and 第2章 (LibreOffice
    restarts them, and so did mamoru: two 第1条). The title after the number heads the article; a footnote-like
    note under its one paragraph leaves it 第2条."""
    clauses = _load(tmp_path, _numbered_docx(CHAPTERED, _chapters('<w:lvlRestart w:val="0"/>')), "chaptered.docx")
    purpose = _one(clauses, "この特記事項は、受付業務の")
    assert purpose["label"] == "第1条" and purpose["text"] == "この特記事項は、受付業務の個人情報の取扱いについて定める。"
    assert json.loads(purpose["heading"])[-1] == "目的"
    assert _one(clauses, "この特記事項において")["label"] == "第2条"
    assert _one(clauses, "来館者の購入履歴を含む")["label"] == "第2条※"
    assert _one(clauses, "受注者は、情報セキュリティ責任者を定め")["label"] == "第3条第1項"
    assert _one(clauses, "受注者は、責任者を変更したときは")["label"] == "第3条第2項"


def test_near_case_without_the_setting_articles_restart_under_each_chapter(tmp_path):
    clauses = _load(tmp_path, _numbered_docx(CHAPTERED, _chapters("")), "restarting.docx")
    assert _one(clauses, "受注者は、情報セキュリティ責任者を定め")["label"] == "第1条第1項"


SELF_CHECK_BODY = (
    _p("ふれあい収集業務における個人情報取扱い自己点検チェックシート")
    + "<w:tbl>" + "".join(
        f"<w:tr>{''.join(f'<w:tc>{_p(c)}</w:tc>' for c in cells)}</w:tr>" for cells in (
            ("点検対象月", "令和　　年　　月分"), ("事業者名", ""), ("点検日", "令和　　年　　月　　日")))
    + "</w:tbl>"
    + _p("【記入方法】各項目を点検し、実施できている場合は確認欄の「□」を「■」にしてください。")
    + "<w:tbl>" + "".join(
        f"<w:tr>{''.join(f'<w:tc>{_p(c)}</w:tc>' for c in cells)}</w:tr>" for cells in (
            ("No.", "点検項目", "根拠", "確認欄"),
            ("1", "収集に従事する者の名簿を市に提出しているか。", "特記事項第3条", "□"),
            ("2", "収集車に利用者名簿を持ち込んでいないか。", "特記事項第6条", "□"),
            ("3", "利用者名簿を複写するときは、事前に市の承認を得ているか。", "特記事項第8条", "□"),
            ("4", "新しい従事者には、収集に出る前に研修を行ったか。", "特記事項第5条", "□")))
    + "</w:tbl>")
SELF_CHECK = _docx(_p("架空市環境部") + SELF_CHECK_BODY)


def test_a_self_check_sheet_asking_its_rules_is_read_as_rules(tmp_path):
    """A チェックシート with fields to fill in above its rows was cut out whole as a blank form (no clause loaded):
    its rows ask 「…しているか。」 「…していないか。」, which are its rules; the fields are no clauses."""
    clauses = _load(tmp_path, SELF_CHECK, "selfcheck.docx")
    verdicts = {c["label"]: c["verdict"] for c in clauses if c["text"]}
    assert {k: verdicts.get(k) for k in ("1", "2", "3", "4")} == {
        "1": "required", "2": "prohibited", "3": "approval", "4": "required"}
    texts = "\n".join(c["text"] for c in clauses)
    assert "令和" not in texts and "事業者名" not in texts


ASCII_LISTS = """架空市 学習支援事業 遵守事項
3.　情報の管理
1)　生徒の個人票は、教室のロッカーに保管し、教室の外に持ち出さないこと。
2)　受託者は、貸与するタブレットについて、次の事項を守ること。
(a)　タブレットは、教室の終了後に保管庫に戻すこと。
(b)　次の用途に使わないこと。
i.　学習支援員の私的な連絡
ii.　生徒の顔写真の撮影及び保存
(c)　パスワードは、他人に教えないこと。
"""


def test_ascii_numbers_are_cited_as_a_path_and_dotted_roman_numbers_are_items(tmp_path):
    clauses = _load(tmp_path, ASCII_LISTS.encode("utf-8"), "ascii.txt")
    assert _one(clauses, "生徒の個人票は")["label"] == "3(1)"
    assert _one(clauses, "タブレットは、教室の終了後")["label"] == "3(2)(a)"
    assert _one(clauses, "学習支援員の私的な連絡")["label"] == "3(2)(b)(i)"      # (「ii.」 was glued onto 「i.」)
    assert _one(clauses, "生徒の顔写真の撮影")["label"] == "3(2)(b)(ii)"
    assert _one(clauses, "パスワードは")["label"] == "3(2)(c)"
    # a letter list that reaches 「i.」 keeps it a letter
    letters = "架空市 遵守事項\n1.　対策\n" + "".join(f"{c}.　対策その{k}をとること。\n" for k, c in enumerate("abcdefghij", 1))
    (tmp_path / "l").mkdir()
    assert _one(_load(tmp_path / "l", letters.encode("utf-8"), "letters.txt"), "対策その9")["label"] == "1i"


# --- corpus5's PDF layouts (fixtures made by tests/fixtures/layouts_s29/make_fixtures.py with LibreOffice) ---------

FIX = Path(__file__).parent / "fixtures" / "layouts_s29"


def test_articles_laid_out_in_a_table_keep_their_captions_at_their_numbers(tmp_path):
    """「第２条」 and 「（秘密の保持）」 in a narrow left cell, the text in the right one: PDFium gives the left cell's lines
    first, so the caption was read into the text (「（アドバイザー　に届け出なければ…」) and 第1条 into the title."""
    lines = pdf.read((FIX / "label_column.pdf").read_bytes(), "label_column.pdf").text.splitlines()
    assert "第２条（秘密の保持）　受託者は、本業務で知り得た会員の家庭の事情を他に漏らしてはならない。契約が終了した後も、同様とする。" in lines
    assert any(ln.startswith("第３条（アドバイザーの届出）　受託者は、本業務に従事する") for ln in lines)
    clauses = _load(tmp_path, (FIX / "label_column.pdf").read_bytes(), "label_column.pdf")
    assert _one(clauses, "この特記事項は、架空市が委託する")["label"] == "第1条"
    assert _one(clauses, "受託者は、本業務で知り得た")["label"] == "第2条第1項"
    assert _one(clauses, "受託者は、従事者に対しても")["label"] == "第2条第2項"
    keys = _one(clauses, "受託者は、提供会員が依頼会員の自宅の鍵")
    assert keys["label"] == "第4条" and json.loads(keys["heading"])[-1] == "鍵の預かりの禁止"
    assert keys["verdict"] == "prohibited"
    assert not [c for c in clauses if "（" in c["text"][:3]]


def test_rules_kept_in_a_spreadsheet_printed_over_two_pages_are_read_row_by_row(tmp_path):
    """番号 / 項目 / 内容 / 根拠 with nothing to tick: the 内容 cells that wrap come after the page's other cells; each
    row is put back with its number (1-1 … 3-3), on the second page too, where the header row repeats."""
    lines = pdf.read((FIX / "sheet_rules.pdf").read_bytes(), "sheet_rules.pdf").text.splitlines()
    assert "1-2\t管理責任者\t受託者は、管理事務所ごとに個人情報管理責任者を置き、その氏名を市に届け出ること。\t特記事項第3条" in lines
    assert "3-1\t電子データ\t利用者台帳の電子データは、市が貸与するパソコン以外に保存しないこと。\t特記事項第8条" in lines
    clauses = _load(tmp_path, (FIX / "sheet_rules.pdf").read_bytes(), "sheet_rules.pdf")
    rows = {c["label"]: c for c in clauses if c["text"]}
    for label, start, verdict in (("1-2", "受託者は、管理事務所ごとに", "required"), ("2-2", "他の区画の利用者の連絡先", "prohibited"),
                                  ("3-2", "電子データをUSBメモリ", "approval"), ("3-3", "利用者に一斉に", "required")):
        assert start in rows[label]["text"] and rows[label]["verdict"] == verdict, label
    assert not [c for c in clauses if "特記事項第8条" in c["text"] and "パソコン" not in c["text"] and "USB" not in c["text"]]


def test_a_heading_in_larger_type_is_not_wrapped_into_the_text_under_it():
    """corpus5's leaflet: 「８　当番の終わりに」 (11.5 pt, bold) in the second column over its text, which starts under the
    heading's words, was joined to it and read as a paragraph of section ７."""
    data = (Path(__file__).parent / "data" / "corpus5" / "doc2.pdf").read_bytes()
    lines = pdf.read(data, "doc2.pdf").text.splitlines()
    assert "８　当番の終わりに" in lines
    assert "当番が終わったら、その日の問診票の枚数を数えて金庫に入れ、金庫の鍵を当番医に返す。" in lines
    assert "７　困ったとき" in lines


def test_an_office_line_above_the_title_is_not_part_of_it():
    """「朱鷺沢市環境部清掃事務所」 over the sheet's name was read as the title's first line (an office ending in 所 was
    not known as one, as 課 and 室 were)."""
    from knowledge import readers
    from knowledge.parser import parse

    r = readers.read(_docx(_p("架空市環境部清掃事務所") + SELF_CHECK_BODY), "selfcheck.docx")
    assert parse(r.text, r.fmt).title == "ふれあい収集業務における個人情報取扱い自己点検チェックシート"


def test_an_article_row_split_by_the_page_break_keeps_its_caption_out_of_the_text(tmp_path):
    """label_split.pdf: 「第６条」 and its text's first lines end page 1; 「（返還等）」 opens page 2 in the left cell, beside
    the rest of the text. The caption heads the article and the sentence reads on without it (corpus5's doc3 read
    「…センター（返還等）　のパソコンの…」)."""
    text = pdf.read((FIX / "label_split.pdf").read_bytes(), "label_split.pdf").text
    assert "第６条（返還等）　受託者は、契約が終了したときは" in text
    clauses = _load(tmp_path, (FIX / "label_split.pdf").read_bytes(), "label_split.pdf")
    first = _one(clauses, "受託者は、契約が終了したときは")
    assert first["label"] == "第6条第1項" and "返還等" not in first["text"]
    assert "事務所のパソコンに保存した会員の電子データを消去しなければならない。" in first["text"].replace("\n", "")
    assert json.loads(first["heading"])[-1] == "返還等"
    assert _one(clauses, "受託者は、退会した会員の申込書")["label"] == "第6条第2項"
    assert _one(clauses, "受託者は、本業務で知り得た")["label"] == "第2条第1項"
