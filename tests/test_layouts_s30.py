"""Layouts found by the held-out corpus10 (session 30): a city page whose rules are one <ol> with a 別表 of what may
be done after it, a definition said politely."""
from __future__ import annotations

from knowledge.readers import html as html_reader
from tests.test_layouts_s29 import _load, _one

PAGE = """<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>架空市 催し運営業務の遵守事項｜架空市</title></head>
<body><div id="header"><a href="/">架空市</a></div>
<div id="breadcrumb"><a href="/">ホーム</a> &gt; <a href="/kurashi/">くらし</a> &gt; 遵守事項</div>
<div id="main">
<h1>架空市 催し運営業務の遵守事項</h1>
<h2>遵守事項</h2>
<ol class="rule">
  <li>この遵守事項は、架空市（以下「市」といいます。）が委託する催し運営業務において、受託者が参加者の個人情報を取り扱う際に守るべき事項を定めるものです。</li>
  <li>この遵守事項で「参加者情報」とは、参加申込書、名札及びアンケートに記載された情報をいいます。</li>
  <li>受託者は、参加者情報を記録した電子データを次のとおり管理しなければなりません。
    <ol type="a">
      <li>保存するパソコンは受託者の事務所に置き、パスワードを設定すること。</li>
      <li>USBメモリ等の外部記録媒体には保存しないこと。</li>
    </ol>
  </li>
  <li>受託者は、参加者情報を本業務以外の目的に使ってはなりません。</li>
  <li>受託者は、あらかじめ市の書面による承認を得なければ、本業務を第三者に再委託することはできません。</li>
  <li>受託者は、参加者情報の漏えいその他の事故が起きたときは、直ちに市の担当課に電話で報告しなければなりません。</li>
  <li>受託者は、催しごとに、終了後30日以内に参加者情報を市に返還し、電子データを消去しなければなりません。</li>
</ol>
<h2>別表（第3項関係）</h2>
<table class="datatable">
<caption>催し中の撮影の可否</caption>
<thead><tr><th>番号</th><th>行為</th><th>可否</th><th>条件</th></tr></thead>
<tbody>
<tr><td>1</td><td>会場の様子を、参加者の顔が写らないように撮影すること</td><td>可</td><td>撮影前に会場内で告知する</td></tr>
<tr><td>2</td><td>受託者のSNSに催しの写真を投稿すること</td><td>不可</td><td>－</td></tr>
<tr><td>3</td><td>参加者が自分の端末で他の参加者を撮影すること</td><td>不可</td><td>従事者が開始時に禁止を伝える</td></tr>
</tbody>
</table>
<div class="contact"><h2>このページに関するお問い合わせ</h2>
<p>市民協働部　協働推進課<br>電話番号：0263-00-0000</p></div>
<div class="enquete"><h2>このページの情報は役に立ちましたか？</h2><p>アンケートにご協力ください。</p></div>
</div>
<div id="footer">Copyright (C) Kasou City. All Rights Reserved.</div>
</body></html>"""


def test_a_polite_definition_in_a_list_of_rules_is_kept_though_it_names_a_questionnaire(tmp_path):
    """「…及びアンケートに記載された情報をいいます。」: アンケート is a word of a page's feedback box, but a list item that
    defines a term (politely: 「をいいます」) is a rule of the page, not its furniture."""
    clauses = _load(tmp_path, PAGE.encode("utf-8"), "page.html")
    definition = _one(clauses, "この遵守事項で「参加者情報」とは")
    assert definition["label"].endswith("(2)")
    assert _one(clauses, "受託者は、参加者情報を記録した電子データ")["label"].endswith("(3)")
    assert _one(clauses, "受託者は、参加者情報を本業務以外の目的")["label"].endswith("(4)")
    texts = " ".join(c["text"] for c in clauses)
    assert "お問い合わせ" not in texts and "役に立ちましたか" not in texts and "Copyright" not in texts
    assert "ご協力ください" not in texts


def test_a_table_of_what_may_be_done_after_the_list_is_read_row_by_row_with_its_verdicts(tmp_path):
    """The <ol> holds most of the page's text, but the 別表 after it belongs with it: each numbered row (番号 | 行為 | 可否 |
    条件) is one item, its 可否 said first as an NG/OK table's cell is (「不可：…」), its condition after the act."""
    text = html_reader.read(PAGE.encode("utf-8"), "page.html").text
    assert "別表（第3項関係）" in text and "参加者が自分の端末で" in text
    clauses = _load(tmp_path, PAGE.encode("utf-8"), "page.html")
    sns = _one(clauses, "不可：受託者のSNSに催しの写真を投稿すること")
    assert sns["label"].endswith("2") and sns["verdict"] == "prohibited"
    own = _one(clauses, "不可：参加者が自分の端末で他の参加者を撮影すること")
    assert "（従事者が開始時に禁止を伝える）" in own["text"] and own["verdict"] == "prohibited"
    may = _one(clauses, "可：会場の様子を、参加者の顔が写らないように撮影すること")
    assert "（撮影前に会場内で告知する）" in may["text"] and may["verdict"] == "info"
    assert not [c for c in clauses if c["text"] in ("可", "不可", "－")]


MAIL = """件名：Re: 販売業務の遵守事項について
差出人：架空市 観光課 高村 <kanko@city.kasou.example.jp>
宛先：株式会社あかね企画 販売担当 <hanbai@akane.example.co.jp>

株式会社あかね企画　様

いつもお世話になっております。架空市観光課の高村です。

> 契約書に添付されている遵守事項ですが、
> メール本文でいただくことはできますでしょうか。

承知しました。以下に貼り付けます。

━━━━━━━━━━━━━━━━━
販売業務に係る個人情報取扱遵守事項
━━━━━━━━━━━━━━━━━

■１．目的
　この遵守事項は、架空市が委託する販売業務において、受託者が購入者の
個人情報を取り扱う際に守るべき事項を定める。

■２．販売窓口での取扱い
（１）申込書は、記入が終わったら直ちに受け取り、窓口の台の上に置いたま
　　　まにしないこと。
（２）購入者名簿の紙の控えは、閉店後に金庫に入れて施錠すること。

■３．市の確認
　市は、必要と認めるときは、受託者の販売窓口に立ち入り、個人情報の取扱
状況を確認することができる。

以上
━━━━━━━━━━━━━━━━━

> 当日のアルバイトにも、この遵守事項は
> 適用されるのでしょうか。

はい、適用されます。誓約書の様式は追ってお送りします。

****************************
架空市 産業振興部 観光課　高村
TEL 0578-22-3141（内線 412）
****************************

-----Original Message-----
From: 株式会社あかね企画 販売担当
Sent: Tuesday, June 2, 2026 5:18 PM
Subject: 販売業務の遵守事項について

> 架空市観光課
> 高村様
>
> 遵守事項をメール本文でいただけますか。
> また、当日のアルバイトにも適用されるのでしょうか。
"""


def test_rules_pasted_into_a_reply_leave_the_rest_of_the_thread_out(tmp_path):
    """A city's reply with the rules pasted between rules of 「━━━」: 「■１．目的」 heads section 1 (the mark dresses the
    number), and the correspondent's quoted question, the reply after 「以上」, the signature and the earlier message
    below 「-----Original Message-----」 are no clauses."""
    clauses = _load(tmp_path, MAIL.encode("utf-8"), "mail.txt")
    assert _one(clauses, "この遵守事項は、架空市が委託する販売業務")["label"] == "1 目的"
    assert _one(clauses, "申込書は、記入が終わったら")["label"] == "2(1)"
    last = _one(clauses, "市は、必要と認めるときは")
    assert last["label"] == "3 市の確認" and last["text"].endswith("確認することができる。")
    texts = "\n".join(c["text"] for c in clauses)
    for gone in ("でしょうか", "はい、適用されます", "TEL", "Original Message", "いただけますか", "高村様"):
        assert gone not in texts, gone


def test_a_forwarded_notice_quoted_below_the_earlier_message_marker_is_the_rules(tmp_path):
    """「Fw:」 with the city's notice quoted below 「----- Original Message -----」: the quoted notice is the rules and
    stays; only the quoted greeting with no rule in it goes."""
    fw = ("件名: Fw: 遵守事項の送付\n差出人: センター長 早瀬\n\n皆さん\n\n市から遵守事項が届きました。本文を下に貼っておきます。\n\n"
          "----- Original Message -----\nFrom: 架空市健康づくり課\nSent: Tuesday, April 1, 2025 10:14 AM\n\n"
          "> いつもお世話になっております。\n>\n> 遵守事項をお送りします。\n>\n"
          "> １　名簿\n> （１）受注者は、オペレーターの名簿を、業務開始の14日前までに提出すること。\n"
          "> （２）名簿に記載のない者に、予約システムを操作させないこと。\n"
          "> ２　録音\n> （１）通話の録音は、録音した日から90日を経過したら消去すること。\n"
          "> （２）録音データを外部記録媒体に複写しないこと。\n")
    clauses = _load(tmp_path, fw.encode("utf-8"), "fw.txt")
    assert _one(clauses, "受注者は、オペレーターの名簿を")["verdict"] == "required"
    assert _one(clauses, "録音データを外部記録媒体に複写しないこと")["verdict"] == "prohibited"


def test_a_city_page_printed_to_pdf_ends_without_its_contact_box_and_site_footer():
    """A page printed from a browser: under the last rule, 「このページに関するお問い合わせ」, the office, 〒, 電話, the
    site's links and copyright (ten short lines) are the page's, not the 附則's text (corpus11 doc4: junk)."""
    from knowledge import parser

    text = ("第１条　受託者は、指導記録を施錠できる保管庫に保管しなければならない。\n"
            "第２条　市は、受託者における個人情報の管理状況について、随時、実地に調査することができる。\n"
            "附則\nこの特記事項は、令和８年４月１日から施行する。\n"
            "このページに関するお問い合わせ\n環境部　環境政策課　美化推進係\n〒248-0000　架空市本町一丁目1番1号　市役所本庁舎4階\n"
            "電話：0467-00-4410　ファクス：0467-00-4419\nお問い合わせフォーム\nページの先頭へ\n"
            "個人情報の取扱い　ウェブアクセシビリティ方針　リンク集\n架空市役所　法人番号1000020000000\n"
            "Copyright © Kasou City. All Rights Reserved.\n")
    clauses = parser.parse(text, "text").clauses
    last = clauses[-1]
    assert last.label == "附則" and last.text == "この特記事項は、令和８年４月１日から施行する。"
    assert not [c for c in clauses if "お問い合わせ" in c.text or "Copyright" in c.text]


APPENDIX_ROWS = """架空市 配送業務委託に係る個人情報取扱特記事項
（禁止事項）
第１条　受託者は、別表に掲げる行為をしてはならない。
別表（第１条関係）
１　配送物を車両に置いたまま離れること。
２　利用者の予約票を車外に持ち出して確認すること。
３　可：成立した申込みの控えを本人の了解を得て記念に撮影すること（控えは当日中に本人に渡し、受託者は保存しない）
"""


def test_a_row_of_an_appendix_that_reads_as_a_sentence_is_the_row_itself(tmp_path):
    """A 別表 row that is a sentence (「１　…すること。」), or longer than a heading (row 3), is one clause 「別表1」 holding
    its text, as a short row is: not an empty 「別表1」 with a paragraph cited the same under it."""
    clauses = _load(tmp_path, APPENDIX_ROWS.encode("utf-8"), "rules.txt")
    rows = [c for c in clauses if c["label"].startswith("別表")]
    assert [c["label"] for c in rows] == ["別表", "別表1", "別表2", "別表3"]
    assert not [c for c in rows if c["label"] != "別表" and not c["text"]]
    first = _one(clauses, "配送物を車両に置いたまま離れること。")
    assert first["label"] == "別表1" and first["level"] == "section" and first["verdict"] == "prohibited"
    long_row = _one(clauses, "可：成立した申込みの控えを")
    assert long_row["label"] == "別表3" and long_row["text"].endswith("受託者は保存しない）")


TWO_PARTS = """架空市 窓口業務委託に係る遵守事項
（禁止事項）
第１条　受託者は、別表第１に掲げる行為をしてはならない。
（遵守事項）
第２条　受託者は、別表第２に掲げる事項を遵守しなければならない。
（持出し）
第３条　受託者は、別表第３に掲げる場合を除き、申請書を事務所の外に持ち出してはならない。
別表第１（第１条関係）
１　申請書を窓口の外に持ち出すこと。
２　来庁者の氏名を大きな声で読み上げること。
別表第２（第２条関係）
１　申請書は、閉庁時に施錠できる書庫に保管すること。
２　来庁者の本人確認を行うこと。
別表第３（第３条関係）
１　市の指示により申請書を市役所に届けること。
"""


def test_the_rows_of_a_part_an_article_forbids_are_forbidden_and_another_parts_rows_keep_theirs(tmp_path):
    """「別表第１に掲げる行為をしてはならない。」 gives its 禁止 to 別表第１'s bare rows, as a lead-in gives it to its items
    (verdict_rules rule 1): a worker is never told 【義務】 to take the forms out. 別表第２, named by a duty, keeps 義務."""
    clauses = _load(tmp_path, TWO_PARTS.encode("utf-8"), "rules.txt")
    out = _one(clauses, "申請書を窓口の外に持ち出すこと。")
    loud = _one(clauses, "来庁者の氏名を大きな声で読み上げること。")
    assert out["label"] == "別表第1 1"
    assert (out["verdict"], loud["verdict"]) == ("prohibited", "prohibited")
    assert _one(clauses, "申請書は、閉庁時に施錠できる書庫に保管すること。")["verdict"] == "required"
    assert _one(clauses, "来庁者の本人確認を行うこと。")["verdict"] == "required"
    # 別表第３ lists when the forms may leave (「別表第３に掲げる場合を除き、…持ち出してはならない。」): not forbidden
    assert _one(clauses, "市の指示により申請書を市役所に届けること。")["verdict"] != "prohibited"


def test_kb_show_says_which_article_gives_the_part_its_rule():
    """Why a row is 禁止 names the article that refers to the 別表, not a lead-in the row does not have."""
    from knowledge import verdict
    from knowledge.parser import parse
    doc = parse(TWO_PARTS, "text")
    judged = verdict.assign([(c.key, c.parent, c.text, c.heading[-1] if c.heading else "") for c in doc.clauses])
    row = next(c.key for c in doc.clauses if c.text.startswith("申請書を窓口の外に"))
    assert judged[row][0] == "prohibited"
    assert "別表第1に掲げる行為をしてはならない" in judged[row][1] and "条文" in judged[row][1]


DUTY_TO_KEEP_PROHIBITIONS = """架空市 業務委託の遵守事項
第５条　受託者は、別表に定める禁止事項を守らなければならない。
別表
１　個人情報を私物のＵＳＢメモリに保存すること。
２　業務で知った情報を家族に話すこと。
"""


def test_rows_an_article_calls_prohibitions_are_forbidden_though_the_article_is_a_duty():
    """「別表に定める禁止事項を守らなければならない。」 is a duty to keep rows that are each a 禁止: a row is never 【義務】."""
    from knowledge import verdict
    from knowledge.parser import parse
    doc = parse(DUTY_TO_KEEP_PROHIBITIONS, "text")
    judged = verdict.assign([(c.key, c.parent, c.text, c.heading[-1] if c.heading else "") for c in doc.clauses])
    rows = {c.text: judged[c.key][0] for c in doc.clauses if c.text and not c.text.startswith("受託者")}
    assert rows == {"個人情報を私物のＵＳＢメモリに保存すること。": "prohibited", "業務で知った情報を家族に話すこと。": "prohibited"}
    article = next(c.key for c in doc.clauses if c.text.startswith("受託者"))
    assert judged[article][0] == "required"


NOT_TO_BREAK = """架空市 業務委託の遵守事項
第１条　従事者は、次の事項に違反してはならない。
（１）個人情報は施錠できる書庫に保管すること。
（２）離席時は端末をロックすること。
（３）私物のＵＳＢメモリを使用しないこと。
"""


def test_items_a_worker_must_not_break_are_duties():
    """「次の事項に違反してはならない。」 asks the worker to keep what follows: its plain items are 義務, not 禁止 (a worker
    told 【禁止】 over 「施錠できる書庫に保管すること」 reads it backwards); an item that forbids keeps 禁止."""
    from knowledge import verdict
    from knowledge.parser import parse
    doc = parse(NOT_TO_BREAK, "text")
    judged = verdict.assign([(c.key, c.parent, c.text, c.heading[-1] if c.heading else "") for c in doc.clauses])
    by_text = {c.text: judged[c.key][0] for c in doc.clauses if c.text}
    assert by_text["個人情報は施錠できる書庫に保管すること。"] == "required"
    assert by_text["離席時は端末をロックすること。"] == "required"
    assert by_text["私物のＵＳＢメモリを使用しないこと。"] == "prohibited"
