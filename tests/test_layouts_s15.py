"""Layouts the seventeenth set of attachments brought (session 15), each in a small file written for the test: a
Word table 「項目 | 遵守事項」 whose rule cell holds several paragraphs (several rules, ※ notes among them); a Word
file's sections titled 「■総則」 with 「・」 and 「（１）」 paragraphs at one level, and a 3-column 新旧対照表
「条項 | 改正後 | 改正前」, as Word and as the PDF LibreOffice makes of it (tests/fixtures/layouts_s15)."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from knowledge import library
from storage.db import open_db

NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx(body: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", f"<w:document {NS}><w:body>{body}</w:body></w:document>")
    return buf.getvalue()


def _p(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def _table(rows: list[tuple[str, list[str]]]) -> str:
    out = "<w:tbl>"
    for label, paras in rows:
        out += f"<w:tr><w:tc>{_p(label)}</w:tc><w:tc>{''.join(_p(x) for x in paras)}</w:tc></w:tr>"
    return out + "</w:tbl>"


def _load(tmp_path, data: bytes, name: str):
    db = open_db(tmp_path / "kb.db")
    library.load_file(db, data, name=name, slug="d", title=None, municipality="架空市")
    return list(db["clauses"].rows_where("doc_slug = 'd'"))


def _one(clauses, start):
    found = [c for c in clauses if c["text"].startswith(start)]
    assert len(found) == 1, [c["text"][:40] for c in clauses if start[:6] in c["text"]]
    return found[0]


WORD_TABLE = _docx(
    _p("図書館窓口業務委託 情報セキュリティ特記事項")
    + _p("（遵守事項）")
    + _p("第１条　受注者は、次表に掲げる事項を遵守しなければならない。")
    + _table([
        ("項目", ["遵守事項"]),
        ("書庫の管理", ["書庫への入室は、貸与された鍵により行うこと。",
                       "鍵は、他人に貸与しないこと。",
                       "※鍵を紛失したときは、直ちに市に届け出ること。",
                       "書庫を離れるときは、施錠を確認すること。"]),
        ("私物の持込み", ["原則禁止。ただし、市の承認を得た場合はこの限りでない。",
                        "※私物とは、個人所有の携帯電話、カメラ等をいう。",
                        "承認を得て持ち込んだ私物は、指定の棚に置くこと。"]),
        ("媒体", ["ＵＳＢメモリ等をいう。", "ＣＤを含む。"]),
        ("研修", ["従事者に対し、業務開始前に研修を実施すること。"]),
    ])
    + _p("（秘密の保持）")
    + _p("第２条　受注者は、本業務で知り得た秘密を他に漏らしてはならない。"))


def test_each_paragraph_of_a_word_rule_cell_is_a_rule_of_its_own(tmp_path):
    clauses = _load(tmp_path, WORD_TABLE, "t.docx")
    key = _one(clauses, "鍵は、他人に貸与しないこと。")
    assert key["text"] == "鍵は、他人に貸与しないこと。" and key["verdict"] == "prohibited"
    assert key["label"] == "第1条第1項（書庫の管理）第2段落"
    first = _one(clauses, "書庫への入室は、")
    assert first["text"] == "書庫への入室は、貸与された鍵により行うこと。" and first["verdict"] == "required"
    assert first["label"] == "第1条第1項（書庫の管理）第1段落"
    # the ※ note is the row's, with its own rule; the paragraph after it is not glued into it
    note = _one(clauses, "鍵を紛失したときは、")
    assert note["label"] == "第1条第1項（書庫の管理）※" and note["text"].endswith("届け出ること。")
    assert _one(clauses, "書庫を離れるときは、")["label"] == "第1条第1項（書庫の管理）第3段落"
    # 「原則禁止。ただし、…承認…この限りでない。」: the route is in the paragraph (許可・承認が必要)
    assert _one(clauses, "原則禁止。ただし、")["verdict"] == "approval"
    assert _one(clauses, "私物とは、")["verdict"] == "info"
    assert _one(clauses, "承認を得て持ち込んだ私物は、")["verdict"] == "required"


def test_a_cell_of_one_paragraph_and_a_term_with_its_meaning_stay_one_unit(tmp_path):
    clauses = _load(tmp_path, WORD_TABLE, "t.docx")
    training = _one(clauses, "研修: ")
    assert training["label"] == "第1条第1項（研修）" and training["verdict"] == "required"
    term = [c for c in clauses if "ＵＳＢメモリ等をいう。" in c["text"]]
    assert len(term) == 1 and "ＣＤを含む。" in term[0]["text"] and term[0]["label"] == "第1条第1項（媒体）"


def test_a_web_page_cell_of_several_paragraphs_gives_each_its_verdict(tmp_path):
    page = ("<html><body><h1>窓口業務の遵守事項</h1><h2>1 基本事項</h2><p>受託者は、次の表のとおり取り扱うこと。</p>"
            "<table><tr><th>項目</th><th>遵守事項</th></tr>"
            "<tr><td>申請書</td><td><p>申請書は、施錠できる書庫に保管すること。</p>"
            "<p>申請書を、市の許可なく複写しないこと。</p><p>不要となった申請書は、裁断すること。</p></td></tr>"
            "<tr><td>来客</td><td>来客の氏名は、受付簿に記録すること。<br>受付簿は、来客の目に触れない場所に置くこと。</td></tr>"
            "</table></body></html>").encode()
    clauses = _load(tmp_path, page, "p.html")
    assert _one(clauses, "申請書は、施錠できる")["verdict"] == "required"
    copy = _one(clauses, "申請書を、市の許可なく")
    assert copy["verdict"] == "approval" and copy["text"] == "申請書を、市の許可なく複写しないこと。"
    assert _one(clauses, "受付簿は、")["text"] == "受付簿は、来客の目に触れない場所に置くこと。"


# --- a Word file's sections 「■基本事項」 with 「・」 and 「（１）」 at one level, and a 3-column 新旧対照表 ------------

FIXTURES = Path(__file__).parent / "fixtures" / "layouts_s15"    # amend3.docx and the PDF LibreOffice made of it


@pytest.mark.parametrize("name", ["amend3.pdf", "amend3.docx"])
def test_marked_titles_head_sections_and_bullets_and_numbers_are_siblings(tmp_path, name):
    clauses = _load(tmp_path, (FIXTURES / name).read_bytes(), name)
    # 「■総則」 is a section's title, not an item holding the text after it
    assert not any(c["text"].startswith(("総則", "■")) for c in clauses)
    assert _one(clauses, "この遵守事項は、")["label"] == "総則・1"
    # 「（１）」 after a finished 「・…。」 is the section's item, not the bullet's
    roster = _one(clauses, "受託者は、業務開始前に、")
    assert roster["label"] == "総則(1)"
    assert _one(clauses, "名簿に記載されていない者は、")["verdict"] == "prohibited"
    assert _one(clauses, "従事者は、窓口マニュアル")["label"] == "総則・2"
    # 「・…」 after 「（２）…複写しないこと。」 does not take the item's approval
    found = _one(clauses, "返却された資料に挟まれた私物は、")
    assert found["verdict"] == "required" and found["label"].startswith("利用者情報の取扱い")


@pytest.mark.parametrize("name", ["amend3.pdf", "amend3.docx"])
def test_a_three_column_amendment_table_gives_the_text_in_force_under_its_place(tmp_path, name):
    db = open_db(tmp_path / "kb.db")
    report = library.load_file(db, (FIXTURES / name).read_bytes(), name=name, slug="d", title=None,
                               municipality="架空市")
    clauses = [c for c in db["clauses"].rows_where("doc_slug = 'd'") if c["text"]]
    mail = _one(clauses, "利用者情報を電子メールで送信することは")
    assert mail["text"] == ("利用者情報を電子メールで送信することは、原則として禁止します。ただし、市の承認を得た場合は"
                            "この限りではありません。")
    assert mail["verdict"] == "approval" and mail["label"] == "利用者情報の取扱い（３）"
    password = _one(clauses, "端末のパスワードは、")
    assert password["text"] == "端末のパスワードは、１２文字以上の英数字記号を組み合わせたものとし、９０日ごとに変更すること。"
    assert password["label"] == "総則（３）" and password["verdict"] == "required"
    # the text it replaced is no rule: gone, and said so
    assert not any("宛先を二人で確認" in c["text"] or "８文字以上" in c["text"] for c in clauses)
    assert not any("改正前" in c["text"] or c["text"].startswith("条項") for c in clauses)     # the column names
    if name.endswith(".pdf"):
        assert any("新旧対照表の改正前の欄" in d for d in report.dropped)


@pytest.mark.parametrize("name, text", [
    ("amend3.txt", "架空市 遵守事項 改正対照表\n条項\t改正後\t改正前\n"
                   "第２条第１項\t受注者は、市の承認を得ないで資料を持ち出してはならない。\t乙は、資料を持ち出してはならない。\n"),
    ("amend3.html", "<html><body><h1>架空市 遵守事項 改正対照表</h1><table><tr><th>条項</th><th>改正後</th><th>改正前</th></tr>"
                    "<tr><td>第２条第１項</td><td><p>受注者は、市の承認を得ないで資料を持ち出してはならない。</p></td>"
                    "<td><p>乙は、資料を持ち出してはならない。</p></td></tr></table></body></html>"),
])
def test_a_three_column_amendment_table_from_text_or_a_page(tmp_path, name, text):
    clauses = _load(tmp_path, text.encode(), name)
    rule = _one(clauses, "受注者は、市の承認を得ないで")
    assert rule["verdict"] == "approval" and rule["label"] == "第２条第１項"
    assert not any("乙は" in c["text"] for c in clauses)


def test_a_mark_before_items_under_a_lead_in_stays_an_item():
    """「次の行為は禁止します。」 over 「■私物のUSBメモリの使用」: the marked lines are the lead-in's items, not titles."""
    from knowledge.parser import parse
    doc = parse("架空市 遵守事項\n１　禁止事項\n業務中は、次の行為は禁止します。\n■私物のUSBメモリの使用\n■窓口の撮影\n"
                "２　報告\n事故が起きたときは、直ちに報告すること。\n", "text")
    texts = [c.text for c in doc.clauses]
    assert "私物のUSBメモリの使用" in texts and "窓口の撮影" in texts
    item = next(c for c in doc.clauses if c.text == "窓口の撮影")
    assert item.level == "item"


# Word's 「Webページ（フィルター後）」 in Shift_JIS wraps each paragraph in the source at about 40 characters
# (CRLF): a browser shows the paragraph whole, and so must the clauses (「本\r\n人以外」 had been 「本 / 人以外」,
# which no search for 本人 meets).
WORD_HTML = ("<html><head><meta http-equiv=Content-Type content=\"text/html; charset=shift_jis\">"
             "<meta name=Generator content=\"Microsoft Word 15 (filtered)\"></head><body>\r\n"
             "<p class=MsoNormal><b>第１条（目的）</b></p>\r\n"
             "<p class=MsoNormal>この遵守事項\r\nは、市が委託する予約受付業務の受託者が遵守すべき事項を定め\r\nる。</p>\r\n"
             "<p class=MsoNormal><b>第２条（受付）</b></p>\r\n"
             "<p class=MsoNormal>オペレーターは、次に掲げる事項を守らなければならない。</p>\r\n"
             "<p class=MsoNormal>（１）本\r\n人以外の者からの予約の申込みには応じないこと。</p>\r\n"
             "<p class=MsoNormal>（２）録音デー\r\nタは、Windows\r\nの共有フォルダに保存しないこと。</p>\r\n"
             "</body></html>")


def test_a_line_break_in_the_page_source_is_no_break_in_the_clause(tmp_path):
    texts = [c["text"] for c in _load(tmp_path, WORD_HTML.encode("cp932"), "rules.html")]
    assert any(t.startswith("この遵守事項は、市が委託する") and t.endswith("定める。") for t in texts), texts
    assert "本人以外の者からの予約の申込みには応じないこと。" in texts, texts
    # between Japanese characters the break goes; beside a Latin word it is a space, as a browser shows it
    assert "録音データは、Windows の共有フォルダに保存しないこと。" in texts, texts
    assert not any("\n" in t for t in texts), texts


def test_lines_in_pre_keep_their_breaks(tmp_path):
    page = ("<html><body><h2>遵守事項</h2><pre>\n１　受託者は、市の承認を得ずに資料を複写してはならない。\n"
            "２　受託者は、資料を施錠できる保管庫に保管しなければならない。\n</pre></body></html>")
    texts = [c["text"] for c in _load(tmp_path, page.encode("utf-8"), "pre.html")]
    assert "受託者は、市の承認を得ずに資料を複写してはならない。" in texts, texts
    assert "受託者は、資料を施錠できる保管庫に保管しなければならない。" in texts, texts


# --- the eighteenth and nineteenth sets (session 15): a slide deck printed to PDF, a measures table in a PDF, a
# text printout with ＜禁止＞＜必須＞＜推奨＞ marks (tests/fixtures/layouts_s15/make_deck_measures.py) ---------------

FIX = Path(__file__).parent / "fixtures" / "layouts_s15"


def test_a_slide_deck_printed_to_pdf(tmp_path):
    """Landscape pages, each a slide whose title (in a larger font) heads a section; 「OK」「NG」 captions head parts
    of it, their bullets one item each (「×…」 never glued to the line before); bare noun bullets under the title
    「やってはいけないこと」 are forbidden (rule 10, the title read as their lead-in), one with 「許可のない」 needs approval."""
    clauses = _load(tmp_path, (FIX / "deck.pdf").read_bytes(), "deck.pdf")
    assert _one(clauses, "席を離れるときは画面をロックする")["verdict"] == "required"
    assert _one(clauses, "印刷物は、その日のうちに回収する")["verdict"] == "required"
    assert _one(clauses, "×付箋にパスワードを書いて")["verdict"] == "prohibited"
    assert _one(clauses, "×私物のスマートフォンで")["verdict"] == "prohibited"
    noun = _one(clauses, "窓口端末の利用者IDの共有")
    assert noun["verdict"] == "prohibited" and noun["heading"] == '["やってはいけないこと"]'
    assert _one(clauses, "来庁者情報の私的な検索")["verdict"] == "prohibited"
    assert _one(clauses, "市の許可のない申請書のコピー")["verdict"] == "approval"
    titles = {c["text"] or c["label"] for c in clauses if not c["text"]}
    assert {"窓口での基本", "端末の操作", "OK", "NG", "やってはいけないこと"} <= titles, titles


def test_a_table_of_the_citys_measures_in_a_pdf(tmp_path):
    """「違反の内容 | 市がとる措置」: its cells are what the city does (規定), read with their column's name; the numbered
    paragraphs right after the table (「3-2　3-1の措置は、…」) are no part of its last row."""
    clauses = _load(tmp_path, (FIX / "measures.pdf").read_bytes(), "measures.pdf")
    measure = _one(clauses, "市がとる措置：契約の全部又は一部を解除する")
    assert measure["verdict"] == "info" and "同じ違反を繰り返したとき" in measure["label"]
    assert _one(clauses, "市がとる措置：文書により改善を指示し")["verdict"] == "info"
    assert _one(clauses, "3-1の措置は、受託者の損害賠償責任")["label"] == "3-2"
    assert _one(clauses, "受託者は、事故が起きたときは")["verdict"] == "required"


PRINTOUT = ("架空市 窓口データ作成業務 遵守事項\r\n"
            "■１　作業場所\r\n"
            "□作業室\r\n"
            "＜必須＞作業は、市に届け出た作業室の中でのみ行うこと。\r\n"
            "＜禁止＞作業室への私物のスマートフォンの持込み\r\n"
            "＜必須＞作業室の鍵は、作業責任者が管理し、その貸出しを記録簿に記録するこ\r\n"
            "　　　　と。\r\n"
            "＜推奨＞退室の際は、机の上に書類を残さないよう心がけること。\r\n"
            "・作業室の窓は、外から画面が見えないよう、ブラインドを下ろしておくこと。\r\n"
            "＜禁止＞業務用の媒体を作業室の外へ持ち出すこと。\r\n"
            "・作業を中断するときは、媒体を施錠できる保管庫に収納すること。\r\n")


def test_a_printout_whose_lines_start_with_their_force(tmp_path):
    """A Shift_JIS printout: 「＜禁止＞」「＜必須＞」「＜推奨＞」 at the start of a line begin an item of their own (a
    line with no 「。」 is no wrap into the next), the wrapped line indented under it carries on, and a 「・」 line after
    it is its sibling, not an item under it (the 「・…収納すること。」 after a ＜禁止＞ line is a duty)."""
    clauses = _load(tmp_path, PRINTOUT.encode("cp932"), "printout.txt")
    assert _one(clauses, "＜禁止＞作業室への私物のスマートフォンの持込み")["verdict"] == "prohibited"
    key = _one(clauses, "＜必須＞作業室の鍵は")
    assert key["text"].endswith("記録簿に記録すること。") and key["verdict"] == "required"
    assert _one(clauses, "＜推奨＞退室の際は")["verdict"] == "encouraged"
    assert _one(clauses, "作業室の窓は、外から画面が見えないよう")["verdict"] == "required"
    assert _one(clauses, "＜禁止＞業務用の媒体を")["verdict"] == "prohibited"
    assert _one(clauses, "作業を中断するときは")["verdict"] == "required"


PANEL_PAGE = ("<html><body><h1>窓口業務の情報取扱いルール</h1>"
              "<h2>窓口での取扱い</h2>"
              '<div class="confluence-information-macro confluence-information-macro-warning"><p class="title">窓口</p>'
              '<div class="confluence-information-macro-body"><p>書類を窓口に放置しないでください。</p></div></div>'
              "<ul><li>受付票は、記入後すぐに施錠できる箱に入れてください。</li>"
              "<li>本人確認は、次のいずれかで行ってください。<ul><li>顔写真付き身分証明書の提示</li>"
              "<li>委任状の確認</li></ul></li>"
              "<li>受付票の写しを取るときは、相談者の同意を得たうえで、市の担当職員の許可を得ること。<ul>"
              "<li>取った写しは、その日のうちに廃棄し、廃棄簿に記録すること。</li></ul></li>"
              "<li>相談者の連絡先を他の相談者に教えないでください。</li></ul>"
              "<h2>記録</h2><p>相談記録は、市が指定するシステムにのみ保存するものとする。</p>"
              "</body></html>")


def test_a_list_after_a_panels_rule_is_no_list_of_its_own(tmp_path):
    """A wiki's warning panel (title, then 「…放置しないでください。」) right before a list: the panel's finished rule
    introduces nothing, so the list's sentences keep their own labels (「…入れてください。」 is a duty, not forbidden) and
    a lead-in among them (「次のいずれかで行ってください。」) gives its bare items its own; a sentence under an item that
    needs approval keeps its own duty; 「…は、市が指定する…に保存するものとする。」 is the worker's act (rule 9)."""
    clauses = _load(tmp_path, PANEL_PAGE.encode("utf-8"), "page.html")
    assert _one(clauses, "書類を窓口に放置しない")["verdict"] == "prohibited"
    assert _one(clauses, "受付票は、記入後すぐに")["verdict"] == "required"
    assert _one(clauses, "本人確認は、次のいずれかで")["verdict"] == "required"
    assert _one(clauses, "顔写真付き身分証明書の提示")["verdict"] == "required"
    assert _one(clauses, "受付票の写しを取るときは")["verdict"] == "approval"
    assert _one(clauses, "取った写しは、その日のうちに")["verdict"] == "required"
    assert _one(clauses, "相談者の連絡先を他の")["verdict"] == "prohibited"
    assert _one(clauses, "相談記録は、市が指定する")["verdict"] == "required"


SLASH_LIST = _docx(
    _p("窓口業務 遵守事項")
    + _p("1) 受託者は、作業責任者を置き、市に届け出ること。")
    + _p("2) 以下の行為は禁止とする：申請書類の作業室外への持ち出し／申請書類の複写／市の許可のない入力データの外部への送信")
    + _p("3) 受託者は、従事者に研修を行うこと。"))


def test_a_lead_in_with_its_acts_on_the_same_line(tmp_path):
    """「以下の行為は禁止とする：A／B／C」 on one line: each act is an item under the lead-in (禁止), one with its own
    approval route (「市の許可のない…」) keeps it; the next numbered rule is no item of it."""
    clauses = _load(tmp_path, SLASH_LIST, "slash.docx")
    lead = _one(clauses, "以下の行為は禁止とする")
    assert lead["text"] == "以下の行為は禁止とする："
    take = _one(clauses, "申請書類の作業室外への持ち出し")
    assert take["verdict"] == "prohibited" and take["parent_id"] == lead["id"] and take["text"] == "申請書類の作業室外への持ち出し"
    assert _one(clauses, "申請書類の複写")["verdict"] == "prohibited"
    assert _one(clauses, "市の許可のない入力データ")["verdict"] == "approval"
    assert _one(clauses, "受託者は、従事者に研修を")["verdict"] == "required"


NOTE_AFTER_ITEM = ("架空市 プール監視業務 特記仕様書\n\n"
                   "第１条（禁止行為）\n"
                   "受託者は、次に掲げる行為をしてはならない。\n"
                   "一　利用者情報を目的外に利用すること。\n"
                   "二　市の許可なく、利用者情報を記載した書類を持ち出すこと。\n"
                   "【注意】救護のために聞き取った既往歴は、監視日誌に記載してはならない。\n"
                   "第２条（報告）\n"
                   "受託者は、事故を知ったときは、直ちに市に報告しなければならない。\n")


def test_a_boxed_note_after_an_item_is_a_unit_of_its_own(tmp_path):
    """「【注意】…記載してはならない。」 after an item (a boxed note, read as a line after it): a note of its own with its own
    verdict, not the rest of the item (whose 「許可なく」 would make it 許可・承認が必要)."""
    clauses = _load(tmp_path, NOTE_AFTER_ITEM.encode("utf-8"), "note.txt")
    item = _one(clauses, "市の許可なく、利用者情報")
    assert "【注意】" not in item["text"] and item["verdict"] == "approval"
    note = _one(clauses, "【注意】救護のために")
    assert note["verdict"] == "prohibited"
