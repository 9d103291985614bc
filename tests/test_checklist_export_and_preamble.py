"""Attachments as cities send them (session 13): a checklist exported from a spreadsheet as tab-separated
rows, the sentences before an attachment's first heading (its 前文), and a polite page's introduction and
list of violations. Each file is written here and loaded through the real loader into a real SQLite file."""
from __future__ import annotations

from pathlib import Path

from knowledge import library
from storage.db import open_db

CHECKLIST = "\r\n".join([
    "架空市窓口業務　情報セキュリティ確認チェックリスト\t\t\t",
    "【目的】このチェックリストは、受託者の作業員が守るべき対策の実施状況を確認するために用いる。\t\t\t",
    "作業責任者は、記入済みのチェックリストを毎月末日までに市へ提出すること。\t\t\t",
    "\t\t\t",
    "No.\t区分\t確認項目\t備考",
    "1\t入退室\t入館時に社員証を着用していること\t",
    "2\t入退室\t執務室への私物の持込み禁止\t市の承認があれば可",
    "3\t入退室\t許可された者以外の者を執務室に同伴しない\t入退室簿で確認",
    "4\t媒体\t媒体への個人情報の保存（要承認）\t暗号化必須",
    "5\t媒体\tウイルスチェックを実施せずに媒体を端末に接続しない\t",
    "6\t体制\t不審メールの事例の共有に努めていること\t",
]) + "\r\n"

TEXT = "\n".join([
    "架空市介護認定調査業務委託　情報セキュリティ特記事項",
    "この特記事項は、架空市（以下「市」という。）が委託する介護認定調査業務について、受注者が守るべき事項を定める。",
    "この特記事項において「調査票」とは、認定調査の結果を記入した帳票をいう。",
    "（秘密の保持）",
    "第１条　受注者は、業務上知り得た情報を他に漏らしてはならない。",
    "（持出しの禁止）",
    "第２条　受注者は、調査票を事務所の外に持ち出してはならない。",
])

LEAD_IN_ONLY = "\n".join([
    "架空市窓口業務委託　遵守事項",
    "受注者は、本業務の実施に当たり、次の事項を遵守すること。",
    "１　作業場所を施錠すること。",
    "２　私物の媒体を持ち込まないこと。",
])

PAGE = """<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>架空市</title></head><body>
<header><p>架空市公式ホームページ</p></header>
<main><h1>窓口業務の受託事業者の皆さまへ</h1>
<p>このページは、架空市から窓口業務を受託している事業者の皆さまに守っていただくルールをまとめたものです。</p>
<h2>1　守っていただくルール</h2>
<p>受付の画面が来館者に見られないよう、画面の向きを変えてください。</p>
<p>申込書を受付の外に持ち出さないでください。</p>
<h2>2　よくある違反例</h2>
<p>次のような行為は、このページのルールに違反します。絶対に行わないでください。</p>
<ul><li>申込書を机の上に置いたまま帰宅した</li><li>来館者の名前を私用の携帯電話に登録した</li></ul>
</main>
<footer><p>このページに関するお問い合わせは、市民課へ。</p></footer></body></html>"""


def _load(tmp_path: Path, name: str, data: bytes):
    db = open_db(tmp_path / "kb.db")
    library.load_file(db, data, name=name, slug="x", title=None, municipality="架空市")
    return [(c["label"], c["text"], c["verdict"]) for c in db["clauses"].rows_where("doc_slug = 'x'")]


def test_a_spreadsheet_checklist_gives_one_clause_per_numbered_row_with_its_note(tmp_path):
    got = _load(tmp_path, "checklist.txt", CHECKLIST.encode("cp932"))
    rows = {label: (text, verdict) for label, text, verdict in got}
    assert not any("確認項目" in text and "備考" in text for _, text, _ in got)      # the header row is no rule
    assert rows["1"] == ("入館時に社員証を着用していること", "required")
    assert rows["2"] == ("執務室への私物の持込み禁止。市の承認があれば可", "approval")   # the note's way out
    assert rows["3"] == ("許可された者以外の者を執務室に同伴しない。入退室簿で確認", "prohibited")
    assert rows["4"][1] == "approval"
    assert rows["5"][1] == "required"          # the step to take first (rule 7)
    assert rows["6"][1] == "encouraged"
    # the sentences before the table are the checklist's own: purpose (規定) and a duty
    assert rows["前文 第1段落"][1] == "info"
    assert rows["前文 第2段落"] == ("作業責任者は、記入済みのチェックリストを毎月末日までに市へ提出すること。", "required")


def test_the_sentences_before_the_first_article_are_clauses_cited_as_the_preamble(tmp_path):
    got = _load(tmp_path, "tokki.txt", TEXT.encode("utf-8"))
    assert [label for label, _, _ in got][:2] == ["前文 第1段落", "前文 第2段落"]
    assert got[1][1].startswith("この特記事項において「調査票」とは") and got[1][2] == "info"
    assert ("第2条", "受注者は、調査票を事務所の外に持ち出してはならない。", "prohibited") in got


def test_a_lead_in_before_the_first_item_is_no_clause_of_its_own(tmp_path):
    got = _load(tmp_path, "junshu.txt", LEAD_IN_ONLY.encode("utf-8"))
    assert not any(label.startswith("前文") for label, _, _ in got)
    assert [text for _, text, _ in got if text] == ["作業場所を施錠すること。", "私物の媒体を持ち込まないこと。"]


def test_a_polite_page_keeps_its_introduction_and_its_list_of_violations(tmp_path):
    got = _load(tmp_path, "page.html", PAGE.encode("utf-8"))
    texts = {text: verdict for _, text, verdict in got}
    assert texts["このページは、架空市から窓口業務を受託している事業者の皆さまに守っていただくルールをまとめたものです。"] == "info"
    assert texts["申込書を机の上に置いたまま帰宅した"] == "prohibited"
    assert texts["来館者の名前を私用の携帯電話に登録した"] == "prohibited"
    assert texts["受付の画面が来館者に見られないよう、画面の向きを変えてください。"] == "required"
    assert not any("お問い合わせ" in t for t in texts)         # the footer is still the page's


RULE_TABLE_PAGE = """<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>架空市</title></head><body>
<header><nav><a href="/">ホーム</a> &gt; <a href="/jigyo/">事業者の方へ</a></nav></header>
<main><h1>架空市 窓口業務委託 情報セキュリティ遵守事項</h1>
<p>このページは、窓口業務を受託する事業者の皆さまに守っていただくルールをまとめたものです。</p>
<h2>遵守事項の一覧</h2>
<table><thead><tr><th>項目</th><th>内容</th></tr></thead><tbody>
<tr><th scope="row">研修</th><td>スタッフは、窓口に立つ前に市の研修を受講してください。</td></tr>
<tr><th scope="row">ICカード</th><td>入館用のICカードを他人に貸さないでください。</td></tr>
<tr><th scope="row">持ち出し</th><td><p>次のことは、市の許可がない限り行わないでください。</p><ul><li>申請データの印刷</li><li>画面の撮影</li></ul></td></tr>
<tr><th scope="row">記録の保全</th><td>事故を市に報告するまで、関係する記録を消さないでください。</td></tr>
</tbody></table></main>
<footer><p>このページに関するお問い合わせは、市民課へ。</p></footer></body></html>"""


def test_a_page_whose_rules_are_a_table_keeps_its_heading_and_each_row(tmp_path):
    got = _load(tmp_path, "rules.html", RULE_TABLE_PAGE.encode("utf-8"))
    rows = {label: (text, verdict) for label, text, verdict in got}
    assert rows["遵守事項の一覧（研修）"] == ("研修: スタッフは、窓口に立つ前に市の研修を受講してください。", "required")
    assert rows["遵守事項の一覧（ICカード）"][1] == "prohibited"
    assert rows["遵守事項の一覧（持ち出し）1"] == ("申請データの印刷", "approval")
    assert rows["遵守事項の一覧（記録の保全）"][1] == "required"      # waiting for the worker's own report (rule 7)
    assert any(label.startswith("前文") for label in rows)             # the page's introduction, above the table
