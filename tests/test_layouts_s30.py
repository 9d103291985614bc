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
