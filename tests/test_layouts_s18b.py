"""Clauses that are not the attachment's text, found by tests/data/verdicts/junk.py (every clause compared with the
writer's clean copy of the text in force): a page footer 「1 / 2　取扱注意」 read as a section heading in a two-page
PDF, the table's row of column names repeated where the table runs onto the next page, an e-mail notice's sender
block under a rule of 「―――」 (TEL, E-mail) and a 「問い合わせ先: …（内線）」 line, each read as a rule; and a notice
whose sections are 「◆１　総則」, read as one list under its last small title."""
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


def _dropped(report) -> str:
    return " ".join(getattr(report, "dropped", None) or [])


def test_a_page_counter_footer_in_a_two_page_pdf_is_no_section(tmp_path):
    # 「1 / 2　取扱注意」「2 / 2　取扱注意」: lines that differ only in their numbers must otherwise recur on three pages
    report, rows = _load(tmp_path, "vd75.pdf", (DATA / "vd75.pdf").read_bytes())
    assert not [r for r in rows if "取扱注意" in r["text"] or "取扱注意" in r["label"]]
    labels = [r["label"] for r in rows]
    assert "27" in labels and "43" in labels            # the rows on page 2 keep their own numbers
    assert not [label for label in labels if label.startswith("1※")]   # the notes are no longer under 「1 / 2」
    assert "1 / 2" in _dropped(report) or "取扱注意" in _dropped(report)


def test_the_repeated_row_of_column_names_is_kept_once(tmp_path):
    _, rows = _load(tmp_path, "vd75.pdf", (DATA / "vd75.pdf").read_bytes())
    assert not [r for r in rows if "確認欄" in r["text"] or r["label"].startswith("No")]


def test_a_table_row_that_repeats_a_rule_is_not_dropped():
    text = ("チェックリスト\n\nNo.\t区分\t遵守事項\n1\t管理\t名簿を提出すること。\n2\t管理\t名簿を提出すること。\n"
            "No.\t区分\t遵守事項\n3\t管理\t鍵を返却すること。\n")
    rules = [c.text for c in parse(text, "text").clauses]
    assert sum("名簿を提出すること" in t for t in rules) == 2
    assert not [t for t in rules if "遵守事項" in t and "区分" in t]


MAIL = """件名: 【重要】集合注射会場受付業務における個人情報の取扱いについて

株式会社こまち受付サービス
業務責任者　様

いつもお世話になっております。

記

◆１　総則
・この取扱いは、受託者が取り扱う登録情報を適正に管理するため、受託者が守るべき事項を定めるものである。

◆２　受付体制
・受託者は、会場ごとに会場責任者を置き、その氏名を市に届け出ること。
・受付従事者は、市が交付する腕章を着用すること。

◆３　写真撮影
・会場での写真撮影は、原則として禁止する。
・受託者は、登録情報を記録した書類を会場外に持ち出してはならない。

　　　　　　　　　　　　　　　　　　以上

ご不明な点がありましたら、下記までご連絡ください。

――――――――――――――――――――――――
小夜川市 環境部 環境衛生課 狂犬病予防係
川端 美咲（かわばた みさき）
TEL: 0XXX-12-3456（内線 2418）
E-mail: kyoken@city.sayogawa.example.jp
――――――――――――――――――――――――
"""


def test_an_e_mail_notice_sender_block_is_no_rule(tmp_path):
    report, rows = _load(tmp_path, "notice.txt", MAIL.encode("utf-8"))
    texts = " ".join(r["text"] for r in rows)
    assert "持ち出してはならない" in texts
    for gone in ("TEL", "E-mail", "川端", "――――", "ご不明な点"):
        assert gone not in texts
    assert "連絡先" in _dropped(report)


def test_sections_dressed_with_a_mark_keep_their_numbers(tmp_path):
    _, rows = _load(tmp_path, "notice.txt", MAIL.encode("utf-8"))
    by_text = {r["text"]: r["label"] for r in rows}
    label = next(v for k, v in by_text.items() if "持ち出してはならない" in k)
    assert label.startswith("3")                          # cited under ◆３, not as an item of ◆２'s list
    assert next(v for k, v in by_text.items() if "腕章" in k).startswith("2")


def test_a_contact_line_under_its_label_goes_and_a_handbook_contact_item_stays(tmp_path):
    checklist = ("点検表\n\n１　管理体制\n・名簿を作成すること。\n・鍵を返却すること。\n\n---\n"
                 "問い合わせ先: 業務管理チーム（内線 2301） / 市担当: 都市整備部 住宅政策課\n")
    _, rows = _load(tmp_path, "check.md", checklist.encode("utf-8"))
    assert not [r for r in rows if "内線" in r["text"]]
    handbook = ("従事者研修資料\n\n１　わからないときは\n・自分で判断せず、作業責任者に相談すること。\n・夜間は当直に連絡すること。\n"
                "・連絡先：市民課斎場担当　内線1234（平日8:30～17:15）\n")
    (tmp_path / "h").mkdir()
    _, rows = _load(tmp_path / "h", "hand.txt", handbook.encode("utf-8"), slug="hand")
    assert [r for r in rows if "内線1234" in r["text"]]     # a list item of the handbook's own: no sender block


RULE_PAGE = """<html><head><meta charset="utf-8"><title>講座申込受付業務　情報セキュリティ遵守事項｜架空市</title></head><body>
<div id="header"><a href="/">架空市</a></div>
<main><h1>講座申込受付業務　情報セキュリティ遵守事項</h1>
<p class="lead">見出しを選ぶと、内容が開きます。</p>
<h2>申込みの受付</h2>
<p>電話で申込みを受け付けるときは、本人であることを氏名と生年月日で確認してください。</p>
<p>申込者からの問い合わせには、丁寧かつ正確に対応するよう心がけてください。</p>
<h2>よくある質問</h2>
<p class="q">Q　警察から、受講者について問い合わせがありました。答えてもよいですか。</p>
<p class="a">A　法令に基づく照会の場合を除き、受講者の情報を第三者に提供してはいけません。</p>
<div class="contact"><h2>お問い合わせ</h2><p>架空市　生涯学習課</p><p>電話：0000-00-0000</p>
<p>個人情報の事故が起きたときは、時間帯にかかわらず、まず電話でご一報ください。</p>
<p>ご不明な場合は、生涯学習課までお問い合わせください。</p></div>
</main>
<div class="plugin"><p>PDF形式のファイルをご覧いただく場合には、Adobe Acrobat Readerが必要です。</p></div>
</body></html>"""


def test_a_page_keeps_its_rules_and_questions_that_speak_of_enquiries(tmp_path):
    # 「…問い合わせには、…心がけてください。」 and an FAQ question holding 「問い合わせ」 were dropped as the page's contact
    # box; a rule for a situation said inside the contact box (「…ときは、…まず電話でご一報ください。」) went with the box
    _, rows = _load(tmp_path, "page.html", RULE_PAGE.encode("utf-8"))
    texts = " ".join(r["text"] for r in rows)
    assert "丁寧かつ正確に対応する" in texts
    assert "警察から、受講者について問い合わせがありました" in texts
    assert "まず電話でご一報ください" in texts
    # (how to work the page's accordions is no rule: it was a clause shown as 義務)
    for gone in ("0000-00-0000", "お問い合わせください", "Adobe", "内容が開きます"):
        assert gone not in texts
