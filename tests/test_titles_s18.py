"""The title an attachment is cited by when `mamoru kb add` gets no --title (「自治体 表題 条項」 in every answer):
an e-mail notice is cited by its 件名 (no 「FW:」「【重要】」), not by 「通知」 or a name in a quoted reply; a mainframe
print export by the title in its box, not by its 「ZEIK0310　ﾍﾟｰｼﾞ 1」 page header; an amendment notice by the
document it amends, not by its file name; a title a line's end cut short, or run on with a page number, a field or
the first heading, whole; a department above the title is no title; a web page by its own heading."""
from __future__ import annotations

from pathlib import Path

from knowledge import library
from knowledge.parser import parse
from storage.db import open_db

DATA = Path(__file__).parent / "data" / "verdicts"


def _load(tmp_path, name: str, data: bytes, slug: str = "doc"):
    db = open_db(tmp_path / "kb.db")
    report = library.load_file(db, data, name=name, slug=slug, title=None, municipality="架空市")
    rows = list(db["clauses"].rows_where("doc_slug = ? and text != ''", [slug]))
    return report, rows


MAIL = """差出人: 架空市 環境衛生課 <eisei@city.kaku.example.jp>
送信日時: 2026年4月3日 (金) 9:12
宛先: gyomu@uketsuke.example.co.jp
CC: eisei@city.kaku.example.jp
件名: FW: 【重要】集合注射会場受付業務における個人情報の取扱いについて
　　　　（通知）

株式会社受付サービス
業務責任者　様

いつもお世話になっております。環境衛生課の川端です。
　本業務の実施に当たり、個人情報の取扱いについて、下記のとおり定めましたので、通知します。

　　　　　　　　　　　　　　　　　　記

１　受託者は、飼い主の個人情報を本業務以外の目的に利用してはならない。
２　受託者は、受付名簿を会場から持ち出してはならない。

> 田中
"""


def test_an_e_mail_notice_is_cited_by_its_subject(tmp_path):
    report, rows = _load(tmp_path, "notice.txt", MAIL.encode("cp932"))
    want = "集合注射会場受付業務における個人情報の取扱いについて（通知）"
    assert report.title == want
    assert rows and all(r["citation"].startswith(f"架空市 {want} ") for r in rows)


def test_a_subject_alone_on_the_first_line_is_the_title():
    text = "件名：【重要】入力業務における情報セキュリティ遵守事項について（通知）\n\n受託事業者　各位\n\n" \
           "お疲れ様です。保育課の山田です。\n\n記\n\n1.　受託者は、申込書を複写してはならない。\n"
    assert parse(text).title == "入力業務における情報セキュリティ遵守事項について（通知）"


PRINT = """ZEIK0310                                            ﾍﾟｰｼﾞ 1
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
┃　　　　　　　　　　　　　　　　　　　　　　　　　　　　　　┃
┃　架空市　市税口座振替データ作成業務　　　　　　　　　　　　┃
┃　情報セキュリティ遵守事項（受託者用）　　　　　　　　　　　┃
┗━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┛

　本業務の受託者は、次の事項を遵守すること。

■１　総則
□適用範囲
　この遵守事項は、架空市が委託する市税口座振替データ作成業務に従事する受託者に適用する。
□持出しの禁止
　受託者は、振替データを作業室の外に持ち出してはならない。
"""


def test_a_print_export_is_cited_by_the_title_in_its_box_not_its_page_header(tmp_path):
    report, rows = _load(tmp_path, "ZEIK0310.txt", PRINT.replace("\n", "\r\n").encode("cp932"))
    assert report.title == "架空市　市税口座振替データ作成業務　情報セキュリティ遵守事項（受託者用）"
    assert rows and not [r for r in rows if "ZEIK" in r["citation"] or "ﾍﾟｰｼﾞ" in r["citation"]]


AMENDMENT = """白上下第１２３号
令和８年３月１６日
受注者　各位
架空市上下水道部料金課長
下水道使用料賦課システム運用保守業務委託情報セキュリティ特記仕様書の一部改正について（通知）
日頃より本市下水道事業の運営に御協力いただき、ありがとうございます。
改正後の特記仕様書は、令和８年４月１日から適用します。
別紙　新旧対照表
下水道使用料賦課システム運用保守業務委託情報セキュリティ特記仕様書
第１条（目的）
この特記仕様書は、架空市が発注する下水道使用料賦課システム運用保守業務の情報セキュリティを確保するために定める。
第２条（持出し）
受注者は、保守端末を市の許可なく庁舎外に持ち出してはならない。
"""


def test_an_amendment_notice_is_cited_by_the_document_it_amends(tmp_path):
    report, rows = _load(tmp_path, "vd50.txt", AMENDMENT.encode("utf-8"))
    assert report.title == "下水道使用料賦課システム運用保守業務委託情報セキュリティ特記仕様書"
    assert report.title != "vd50"
    assert any(r["citation"].endswith("特記仕様書 第2条") for r in rows)


def test_a_title_cut_at_the_line_end_or_run_on_is_whole():
    # a PDF's line wrap: 「…特記」 / 「仕様書」
    cut = "架空市後期高齢者健康診査結果データ入力業務委託情報セキュリティ特記\n仕様書\n第１条（目的）\n" \
          "この特記仕様書は、架空市が委託する業務について定める。\n第２条（禁止）\n受託者は、データを複写してはならない。\n"
    assert parse(cut).title == "架空市後期高齢者健康診査結果データ入力業務委託情報セキュリティ特記仕様書"
    # a title over two centred lines
    two = "\n　　架空市公共施設予約システム運用保守業務委託契約\n　　　　　　　　　　情報セキュリティ特記事項\n\n" \
          "　（目的）\n第一条　この特記事項は、情報の保護について定める。\n"
    assert parse(two).title == "架空市公共施設予約システム運用保守業務委託契約　情報セキュリティ特記事項"
    # the page number printed after the title, the first chapter run onto it
    page = "学校給食配送業務委託　個人情報等取扱特記事項　－1－\n学校給食配送業務委託　個人情報等取扱特記事項\n" \
           "令和８年４月１日　架空市教育委員会学務課\n1　総則\n1-1　この特記事項は、個人情報の取扱いについて定める。\n"
    assert parse(page).title == "学校給食配送業務委託　個人情報等取扱特記事項"
    chapter = "市立病院移行業務における情報セキュリティ特記事項第１章　総則\n（目的）\n" \
              "第１条　この特記事項は、移行データの保護について定める。\n"
    assert parse(chapter).title == "市立病院移行業務における情報セキュリティ特記事項"


def test_a_department_or_a_date_above_the_title_is_no_title():
    text = "架空市総務部資産税課\n令和８年４月\n評価図面デジタル化業務委託　情報セキュリティ遵守事項チェックリスト\n" \
           "　このチェックリストは、架空市が委託する業務について確認するために用いる。\n" \
           "1\t評価図面を複写していない。\t□\n2\t評価図面を持ち出していない。\t□\n"
    assert parse(text).title == "評価図面デジタル化業務委託　情報セキュリティ遵守事項チェックリスト"


PAGE = """<html><head><meta charset="utf-8"><title>粗大ごみ受付業務に係る情報セキュリティ特記事項｜架空市公式ウェブサイト</title></head>
<body><div id="header"><a href="/">架空市</a></div>
<h1 class="c-title">粗大ごみ受付業務に係る情報セキュリティ特記事項</h1>
<div class="body">
<h3>（目的）</h3>
<p>第１条　この特記事項は、粗大ごみ受付業務に係る情報の保護について定める。市民の個人情報を適正に取り扱うために必要な事項を定めるものである。</p>
<h3>（禁止）</h3>
<p>第２条　受託者は、申込者の個人情報を本業務以外の目的に利用してはならない。受託者は、市の承認なく複写してはならない。</p>
<p>２　受託者は、申込者の個人情報を第三者に提供してはならない。受託者は、これを従事者に周知しなければならない。</p>
</div></body></html>"""


def test_a_web_page_is_cited_by_its_own_heading(tmp_path):
    report, _ = _load(tmp_path, "an12.html", PAGE.encode("utf-8"))
    assert report.title == "粗大ごみ受付業務に係る情報セキュリティ特記事項"


def test_the_real_print_export_and_e_mail_notice(tmp_path):
    r71, _ = _load(tmp_path, "vd71.txt", (DATA / "vd71.txt").read_bytes(), slug="vd71")
    assert r71.title == "西浦市　市税口座振替データ作成業務　情報セキュリティ遵守事項（受託者用）"
    r80, _ = _load(tmp_path, "vd80.txt", (DATA / "vd80.txt").read_bytes(), slug="vd80")
    assert r80.title == "狂犬病予防集合注射会場受付業務における個人情報の取扱いについて（通知）"
    r67, _ = _load(tmp_path, "vd67.txt", (DATA / "vd67.txt").read_bytes(), slug="vd67")
    assert r67.title == "特別徴収税額通知書の印刷封入業務に係る情報セキュリティ遵守事項について"
    # an Excel sheet saved as a web page, a department over the 「…チェックシート」 it names (it was the file name)
    r90, _ = _load(tmp_path, "vd90.html", (DATA / "vd90.html").read_bytes(), slug="vd90")
    assert r90.title == "児童生徒用タブレット端末修理受付・回収配送業務　情報セキュリティ遵守状況チェックシート"
