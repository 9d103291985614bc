"""knowledge.parser: the four shipped documents, documents of other shapes, and bad input."""
from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.parser import ParsedClause, ParsedDocument, ParsedForm, parse

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "knowledge" / "sources"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "parser"
SHIPPED = ["yoshikawa_tokki_shiyosho.txt", "nagano_security_yoken.txt",
           "soka_gaibu_itaku_junshu_jiko.txt", "hozen_jiko.txt"]
FIXTURE_FILES = ["kanji_articles.txt", "html_table_ol.html", "markdown_cloud.md",
                 "plain_youryou_with_form.txt", "nested_markers.txt"]
MARKUP = ["<", ">", "&nbsp;", "&amp;", "**", "#", "➤", "|", "\t"]


def load(name: str) -> ParsedDocument:
    base = SOURCES if name in SHIPPED else FIXTURES
    return parse((base / name).read_text(encoding="utf-8"))


def by_label(doc: ParsedDocument) -> dict[str, ParsedClause]:
    """Label -> first clause with it (a section and its only paragraph share their label)."""
    out: dict[str, ParsedClause] = {}
    for c in doc.clauses:
        out.setdefault(c.label, c)
    return out


def by_key(doc: ParsedDocument) -> dict[str, ParsedClause]:
    return {c.key: c for c in doc.clauses}


def children(doc: ParsedDocument, key: str) -> list[ParsedClause]:
    return [c for c in doc.clauses if c.parent == key]


def levels(doc: ParsedDocument, level: str) -> list[ParsedClause]:
    return [c for c in doc.clauses if c.level == level]


# ---------------------------------------------------------------------------
# Properties every parsed document must have
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", SHIPPED + FIXTURE_FILES)
def test_tree_is_well_formed(name):
    doc = load(name)
    assert doc.clauses
    keys = [c.key for c in doc.clauses]
    assert len(keys) == len(set(keys)), "keys are unique"
    assert all(k.isascii() and " " not in k for k in keys)
    seen: set[str] = set()
    for i, c in enumerate(doc.clauses):
        assert c.order == i
        assert c.parent is None or c.parent in seen, "parents come before their children"
        assert c.level in {"article", "section", "paragraph", "item", "subitem", "subsubitem"}
        assert c.label
        seen.add(c.key)
    parents = {c.parent for c in doc.clauses}
    for c in doc.clauses:
        if c.key not in parents:
            assert c.text, f"a leaf clause carries text: {c.label}"


@pytest.mark.parametrize("name", SHIPPED + FIXTURE_FILES)
def test_clause_text_is_clean(name):
    doc = load(name)
    for c in doc.clauses:
        for mark in MARKUP:
            assert mark not in c.text, f"{mark!r} in {c.label}: {c.text}"
        assert not c.text.startswith(("- ", "(1)", "・", "ア ")), c.text
        assert c.text == c.text.strip()


@pytest.mark.parametrize("name", SHIPPED + FIXTURE_FILES)
def test_parsing_is_deterministic(name):
    assert load(name) == load(name)


# ---------------------------------------------------------------------------
# 吉川市 情報セキュリティ特記仕様書: 第N条, (見出し), 2.., (1)..(10), ア..キ, wraps
# ---------------------------------------------------------------------------

def test_yoshikawa_counts():
    doc = load("yoshikawa_tokki_shiyosho.txt")
    assert doc.title == "情報セキュリティ特記仕様書"
    assert doc.preamble == ""
    assert doc.forms == []
    articles = levels(doc, "article")
    assert [a.label for a in articles] == [f"第{n}条" for n in range(1, 23)]
    # paragraph nodes: articles 3,5,6,8,9,10,15,16,17,18,19 have several; 4 and 11 have items
    assert len(levels(doc, "paragraph")) == 34
    assert len(levels(doc, "item")) == 13          # 第4条 (1)-(3), 第11条 (1)-(10)
    assert len(levels(doc, "subitem")) == 7        # 第11条第1項第10号 ア-キ
    assert len(doc.clauses) == 76


def test_yoshikawa_citations_and_texts():
    doc = load("yoshikawa_tokki_shiyosho.txt")
    lab, key = by_label(doc), by_key(doc)
    a = lab["第11条第1項第10号ア"]
    assert a.key == "a11.p1.i10.s1" and a.level == "subitem"
    assert a.text.startswith("作業従事者が正当なアクセス権")
    assert a.heading == ("情報の管理",)
    assert lab["第11条第1項第10号キ"].text.startswith("業務着手前に")
    assert lab["第11条"].heading == ("情報の管理",) and lab["第11条"].text == ""
    assert lab["第11条第1項"].text.startswith("乙は、本業務において利用する情報を保持している間は")
    assert lab["第11条第1項第6号"].text == "情報をFAXにより送信することは原則禁止とすること。"
    assert [c.label for c in children(doc, "a4.p1")] == ["第4条第1項第1号", "第4条第1項第2号", "第4条第1項第3号"]
    assert lab["第4条第1項第1号"].text == "ISMS 認証 (ISO27001・JIS Q27001)"
    # the line wrapped mid-sentence with a blank line between the halves
    p = lab["第6条第2項"]
    assert "常時携帯させなければならない。" in p.text and "\n" not in p.text
    assert p.text.endswith("常時携帯させなければならない。")
    assert key["a20"].text == "乙が本特記仕様書の内容に違反しことにより甲に損害を発生させた場合は、甲は乙に対して損害賠償を請求することができる。"
    # one paragraph and no items: the article holds its text itself
    assert lab["第7条"].text.startswith("乙は、情報の保護、情報セキュリティに対する意識の向上")
    assert "第7条第1項" not in lab
    assert lab["第5条第2項"].text == "乙は、情報の取扱いに係る作業従事者を定めなければならない。"
    assert lab["第5条第2項"].parent == "a5" and lab["第5条第2項"].key == "a5.p2"
    assert lab["第18条第1項"].heading == ("事故時の対応",)


# ---------------------------------------------------------------------------
# 長野市 情報セキュリティ要件: 第N without 条, ### (見出し), a page-break wrap
# ---------------------------------------------------------------------------

def test_nagano_counts_and_labels():
    doc = load("nagano_security_yoken.txt")
    assert doc.title == "情報セキュリティ要件"
    assert [a.label for a in levels(doc, "article")] == [f"第{n}" for n in range(1, 16)]
    assert len(levels(doc, "paragraph")) == 16      # 第5,6,8,10,15: 2 each; 第9,11: 3 each
    assert levels(doc, "item") == []
    assert len(doc.clauses) == 31


def test_nagano_texts():
    doc = load("nagano_security_yoken.txt")
    lab = by_label(doc)
    assert "適切かつ速やかに" in lab["第12"].text
    assert lab["第12"].text.endswith("あらかじめ相互に通知しなければならない。")
    assert lab["第11第2項"].text.startswith("市は、例外的に再委託を承諾する場合には")
    assert lab["第13"].key == "a13"                 # written "第 13"
    assert lab["第13"].text.startswith("受託者が実施する情報システムの運用")
    assert lab["第3"].heading == ("アクセスを許可する情報資産の種類と範囲、アクセス方法",)
    assert lab["第8"].heading == ("安全管理義務",)   # caption without "###"
    assert lab["第15第2項"].text.startswith("前項において、受託者が損害賠償の責任を負う場合とは")


# ---------------------------------------------------------------------------
# 草加市 外部委託における情報セキュリティ遵守事項: Markdown headings, label<TAB><ul><li>➤
# ---------------------------------------------------------------------------

def test_soka_counts():
    doc = load("soka_gaibu_itaku_junshu_jiko.txt")
    assert doc.title == "外部委託における情報セキュリティ遵守事項"
    sections = levels(doc, "section")
    assert [s.label for s in sections] == [
        "1 基本事項", "2 情報の分類", "3 情報の保護", "4 ネットワークの強靱化対策", "5 物理的セキュリティ",
        "6 人的セキュリティ", "7 技術的セキュリティ", "8 監査等への協力", "9 その他"]
    rows = [c for c in doc.clauses if c.key.split(".")[-1].startswith("r")]
    assert len(rows) == 12                           # 2 + 3 + 3 + 4 table rows
    assert len(levels(doc, "item")) == 32            # bullets: 1+7+4, 5+3+2, 2+4+2+2
    assert len(doc.clauses) == 63


def test_soka_table_rows_and_bullets():
    doc = load("soka_gaibu_itaku_junshu_jiko.txt")
    lab, key = by_label(doc), by_key(doc)
    row = lab["5 物理的セキュリティ（管理区域）"]
    assert row.key == "s5.r1" and row.parent == "s5"
    assert row.heading == ("物理的セキュリティ", "管理区域")
    bullets = children(doc, "s5.r1")
    assert len(bullets) == 5
    assert all(b.label.startswith("5 物理的セキュリティ（管理区域）") for b in bullets)
    assert any("個人所有" in b.text for b in bullets)
    assert key["s5.r1.b3"].label == "5 物理的セキュリティ（管理区域）3"
    assert key["s5.r1.b3"].text.startswith("管理区域への入室は、入退室を許可された者のみに制限し")
    assert key["s5.r1.b3"].heading == ("物理的セキュリティ", "管理区域")
    assert lab["5 物理的セキュリティ"].text == ""
    assert key["s5.p1"].text == "受注者は、原則として次の物理的対策を講じること。"
    # a two-cell definition row keeps its term
    assert lab["2 情報の分類（重要情報）"].text == \
        "重要情報: 市から貸与された情報の内、個人情報、特定個人情報及び非公開情報を含む情報のこと。"
    # the <p><b>…</b></p> qualifier is the row's own text, its bullets are children
    assert lab["3 情報の保護（重要情報）"].text == "【市保有情報における制限に加えて】"
    assert len(children(doc, lab["3 情報の保護（重要情報）"].key)) == 4
    assert len(children(doc, lab["3 情報の保護（市保有情報）"].key)) == 7
    six = lab["6 人的セキュリティ"]
    assert six.level == "section" and six.heading == ("人的セキュリティ",)
    para = children(doc, six.key)
    assert [p.label for p in para] == ["6 人的セキュリティ"]
    assert para[0].level == "paragraph" and para[0].text.startswith("受注者は、業務従事者に対し必要な情報セキュリティ教育")
    assert [p.label for p in children(doc, "s1")] == ["1 基本事項 第1段落", "1 基本事項 第2段落"]
    assert len(children(doc, lab["7 技術的セキュリティ（開発・導入）"].key)) == 4


# ---------------------------------------------------------------------------
# セキュリティ保全に係る事項: numbered table rows with nested HTML lists, then two forms
# ---------------------------------------------------------------------------

HOZEN_LABELS = [
    "1 情報セキュリティを確保するための体制の整備", "1 情報セキュリティを確保するための体制の整備",
    "2 取り扱う情報資産の秘密保持等", "2 取り扱う情報資産の秘密保持等", "2(1)", "2(2)", "2(3)",
    "3 運用・保守・点検における情報セキュリティ対策の実施", "3 運用・保守・点検における情報セキュリティ対策の実施",
    "3(1)", "3(1)ア", "3(1)イ", "3(1)ウ", "3(1)エ", "3(1)オ", "3(1)カ", "3(1)キ", "3(1)ク", "3(1)ケ", "3※",
    "3(2)", "3(2)ア", "3(2)イ", "3(2)ウ", "3(2)エ", "3(2)オ", "3(2)カ", "3(3)", "3(3)ア", "3(3)イ",
    "4 外部委託する業務以外の情報資産の保全", "4 外部委託する業務以外の情報資産の保全",
    "5 情報セキュリティインシデントが発生した場合の対処", "5 情報セキュリティインシデントが発生した場合の対処",
    "6 情報セキュリティ対策の履行状況の報告", "6 情報セキュリティ対策の履行状況の報告",
    "7 情報セキュリティ監査の実施", "7 情報セキュリティ監査の実施",
    "8 情報セキュリティ対策の履行が不十分であると思われる場合の対処",
    "8 情報セキュリティ対策の履行が不十分であると思われる場合の対処",
    "9 委託業務終了時の情報資産の返還、廃棄等", "9 委託業務終了時の情報資産の返還、廃棄等",
    "10 委託元及び委託先の責任の明記", "10 委託元及び委託先の責任の明記",
    "11 再委託に関する事項", "11 再委託に関する事項",
]


def test_hozen_structure():
    doc = load("hozen_jiko.txt")
    assert doc.title == "セキュリティ保全に係る事項"
    assert doc.preamble.startswith("受託業務の履行にあたっては、本市の情報資産の漏洩")
    assert [c.label for c in doc.clauses] == HOZEN_LABELS
    assert len(levels(doc, "section")) == 11
    assert len(levels(doc, "item")) == 7             # 2(1)-(3), 3(1)-(3), 3※
    assert len(levels(doc, "subitem")) == 17         # ア-ケ, ア-カ, ア-イ


def test_hozen_texts():
    doc = load("hozen_jiko.txt")
    lab, key = by_label(doc), by_key(doc)
    assert lab["3(1)キ"].text == "離席時における端末機等ロックの励行"
    assert lab["3(1)キ"].key == "s3.p1.i1.s7" and lab["3(1)キ"].level == "subitem"
    assert lab["3(1)キ"].heading == ("運用・保守・点検における情報セキュリティ対策の実施",)
    assert lab["3(1)"].text == "端末・周辺機器の利用"
    assert lab["3(2)"].text == "作業環境・作業場所の利用"             # a <p> at the end of the table row
    assert lab["3(2)イ"].text.startswith("本市の管理下にある作業場所では常に社員証")  # "- イ" after the row
    assert lab["3(3)"].text == "システム上の環境の利用"              # "### (3) …"
    assert lab["3※"].text == "禁止事項についてやむを得ず実施が必要な場合は、本市の許可を得て行うこと。"
    assert lab["3※"].parent == "s3.p1"
    s1 = key["s1"]
    assert s1.level == "section" and s1.heading == ("情報セキュリティを確保するための体制の整備",) and s1.text == ""
    assert key["s1.p1"].text.startswith("本受託業務の従事者については、事前に本市へ届出を行い")
    assert key["s2.p1"].text.endswith("また、以下の事項を遵守すること。")
    ten = key["s10"]                                 # a bare "10 見出し" line
    assert ten.label == "10 委託元及び委託先の責任の明記"
    assert key["s10.p1"].text.startswith("本業務の作業を受託者の保有する環境で実施する際には")
    assert key["s11.p1"].text.endswith("再委託先の行為について一切の責任を負うものとする。")


def test_hozen_forms_are_kept_apart():
    doc = load("hozen_jiko.txt")
    assert [f.title for f in doc.forms] == ["セキュリティ保全申出書", "セキュリティ保全状況報告書"]
    assert all(isinstance(f, ParsedForm) for f in doc.forms)
    apply_form, report = doc.forms
    assert apply_form.text.startswith("令和 年 月 日")
    assert "セキュリティ保全のための対策を実施いたします" in apply_form.text
    assert "12 個人情報等の取扱い並びにセキュリティ教育の実施" in apply_form.text
    assert "【変更なし/変更あり】" in report.text and "報告対象期間" in report.text
    assert "【変更なし/変更あり】" not in apply_form.text
    for c in doc.clauses:
        for blank in ("令和 年 月 日", "【変更なし/変更あり】", "氏 名", "《変更内容》"):
            assert blank not in c.text
    for f in doc.forms:
        assert "<" not in f.text and "#" not in f.text


# ---------------------------------------------------------------------------
# Documents of shapes the shipped four do not have
# ---------------------------------------------------------------------------

def test_kanji_articles_fullwidth_items_and_chapters():
    doc = load("kanji_articles.txt")
    lab = by_label(doc)
    assert doc.title == "個人情報取扱特記事項"
    assert [a.label for a in levels(doc, "article")] == ["第1条", "第2条", "第3条", "第3条の2", "第12条"]
    assert [a.key for a in levels(doc, "article")] == ["a1", "a2", "a3", "a3_2", "a12"]
    assert lab["第1条"].heading == ("総則", "目的")                  # 第一章 and （目的）
    assert lab["第1条"].text.startswith("この特記事項は")
    assert lab["第2条第1項第1号"].text.startswith("個人情報")        # （１）
    assert lab["第2条第1項第2号①"].text == "ＵＳＢメモリ"            # ① under （２）: text not normalised
    assert lab["第2条第1項第2号②"].level == "subitem"
    assert lab["第2条第2項"].text.startswith("前項に定めるもののほか")   # ２ (full-width) after the items
    assert lab["第3条"].heading == ("安全管理", "安全管理措置")
    assert lab["第3条第2項第1号"].text == "作業場所以外に個人情報を持ち出さないこと。"   # 一
    assert lab["第3条第2項第2号ア"].text == "ただし、発注者の承認を得た場合は、この限りでない。"
    assert lab["第3条の2"].text == "受注者は、前条の措置の実施状況を記録しなければならない。"
    assert lab["第12条"].heading == ("安全管理", "事故の報告")       # 第十二条（事故の報告） inline
    assert lab["第12条"].text.startswith("受注者は、個人情報の漏えい等の事故が発生したときは")


def test_html_document_with_table_and_ordered_list():
    doc = load("html_table_ol.html")
    lab = by_label(doc)
    assert doc.title == "情報セキュリティ遵守事項"
    assert doc.preamble == "本書は、受託者が遵守すべき事項を定めるものです。"
    assert [s.label for s in levels(doc, "section")] == ["1 管理体制", "2 技術的対策", "3 事故対応"]
    items = children(doc, "s1.p1")
    assert [i.label for i in items] == ["1(1)", "1(2)", "1(3)"]     # <ol> numbers its items
    assert items[1].text == "作業従事者の名簿を作成し、市へ提出すること。"  # source line break joined
    assert [c.text for c in children(doc, items[2].key)] == ["着任時の教育", "年1回の定期教育"]
    assert levels(doc, "subitem")[0].parent == items[2].key
    assert [c.text for c in children(doc, lab["2 技術的対策（端末）"].key)] == [
        "画面ロックを設定すること。", "OS を最新の状態に保つこと。"]
    assert "区分" not in lab                                    # <th> header row dropped
    # a cell of two rules apart by <br>: each its own clause under the row (session 15)
    tsushin = children(doc, lab["2 技術的対策（通信）"].key)
    assert [c.label for c in tsushin] == ["2 技術的対策（通信）第1段落", "2 技術的対策（通信）第2段落"]
    assert tsushin[0].text == "暗号化された通信を使用すること。"
    assert "WPA2&WPA3 対応機器" in tsushin[1].text               # &amp; and &nbsp; decoded
    assert lab["3 事故対応"].text == ""
    assert children(doc, lab["3 事故対応"].key)[0].text == "事故が発生した場合は、直ちに市へ報告すること。"
    assert parse((FIXTURES / "html_table_ol.html").read_text(encoding="utf-8"), "html") == doc


def test_markdown_tables_bullets_and_bold():
    doc = load("markdown_cloud.md")
    lab, key = by_label(doc), by_key(doc)
    assert doc.title == "クラウドサービス利用に関する遵守事項"
    assert doc.preamble == "本書は受注者が遵守すべき事項を定める。"
    assert key["s1.p1"].text == "受注者は、市の承認を得たクラウドサービスのみを利用すること。"
    bullets = children(doc, "s2")
    assert [b.text for b in bullets] == ["利用者ごとに個別のアカウントを発行すること。",
                                         "多要素認証を必ず有効にすること。",
                                         "退職者のアカウントは速やかに削除すること。"]
    nested = children(doc, bullets[1].key)                     # indented "  - …"
    assert [n.text for n in nested] == ["管理者アカウントは特に厳格に管理すること。"]
    assert nested[0].level == "subitem"
    assert lab["3 データの保管（保管場所）"].text == "保管場所: データは国内のデータセンターに保管すること。"
    backup = lab["3 データの保管（バックアップ）"]
    assert [c.text for c in children(doc, backup.key)] == ["週1回以上取得すること。", "取得したバックアップは暗号化すること。"]
    assert "3 データの保管（区分）" not in lab                    # the header row above |---|
    sub = lab["3.1 削除"]
    assert sub.parent == "s3" and sub.heading == ("データの保管", "削除")
    assert children(doc, sub.key)[0].text == "契約終了時は、全てのデータを消去し、消去証明書を提出すること。"
    assert len(children(doc, "s4")) == 2                       # "* " bullets
    assert parse((FIXTURES / "markdown_cloud.md").read_text(encoding="utf-8"), "markdown") == doc


def test_plain_text_headings_items_and_form():
    doc = load("plain_youryou_with_form.txt")
    lab = by_label(doc)
    assert doc.title == "委託業務における情報取扱要領"
    assert doc.preamble == "令和6年4月1日\u3000〇〇市"
    assert [s.label for s in levels(doc, "section")] == ["1 目的", "2 遵守事項", "3 報告"]   # "1．"
    assert [c.label for c in children(doc, "s2.p1")] == ["2(1)", "2(2)", "2(3)"]           # "（1）"
    # an item's title line and its body line stay apart; a wrapped body is joined
    assert lab["2(1)"].text == "情報の持出しの禁止\n市の許可なく、情報を作業場所から持ち出してはならない。"
    assert lab["2(3)"].text == "パスワードの管理\nパスワードは、他人に知られないように管理し、定期的に変更すること。"
    assert lab["2(2)ア"].text == "情報を複製してはならない。"
    assert lab["2(2)イ"].level == "subitem"
    assert lab["3 報告"].text == ""
    assert children(doc, "s3")[0].text.endswith("なお、報告は別紙様式第１号によること。")
    assert [f.title for f in doc.forms] == ["誓約書"]
    form = doc.forms[0].text
    assert form.startswith("様式第１号\n誓約書") and "氏\u3000名" in form and "業務上知り得た情報を漏らさないこと" in form
    assert not any("誓約" in c.text or "年\u3000\u3000月" in c.text for c in doc.clauses)


def test_nested_markers_follow_order_of_appearance():
    doc = load("nested_markers.txt")
    lab = by_label(doc)
    assert doc.title is None
    assert lab["第1条"].heading == ("物理的及び技術的安全管理措置",)
    assert lab["第1条第1項第1号ア(ア)"].level == "subsubitem"
    assert lab["第1条第1項第1号ア(イ)"].text == "記録は1年間保存すること。"
    assert lab["第1条第1項第1号ア(イ)a"].text == "記録簿は施錠保管すること。"      # "a)"
    assert lab["第1条第1項第1号イ"].parent == lab["第1条第1項第1号"].key          # back up two levels
    assert lab["第1条第1項第2号"].parent == "a1.p1"
    assert [c.label for c in children(doc, lab["第1条第1項第2号"].key)] == ["第1条第1項第2号・1", "第1条第1項第2号・2"]
    assert lab["第1条第1項第2号・1"].text == "ウイルス対策ソフトを導入すること。"      # "● "


def labels_texts(text: str, fmt: str = "auto") -> list[tuple[str, str, str]]:
    return [(c.key, c.label, c.text) for c in parse(text, fmt).clauses]


def test_dai_n_headings_with_numbered_paragraphs():
    doc = parse("第1 総則\n1 目的\nこの仕様書は、業務の実施について定める。\n2 適用範囲\n本仕様書は、全ての業務に適用する。"
                "\n\n第2 管理体制\n1 受注者は、責任者を置くこと。\n2 受注者は、名簿を提出すること。")
    lab = by_label(doc)
    assert lab["第1"].heading == ("総則",) and lab["第1"].text == ""
    assert lab["第1第1項"].text == "目的\nこの仕様書は、業務の実施について定める。"
    assert lab["第2第2項"].text == "受注者は、名簿を提出すること。"


def test_word_style_html_with_article_paragraphs_and_items():
    html = ('<html><body><p class=MsoNormal><b>情報セキュリティ特記事項</b></p><p class=MsoNormal>&nbsp;</p>'
            '<p class=MsoNormal>（目的）</p><p class=MsoNormal>第１条　この特記事項は、<span lang=EN-US>ICT</span>'
            'の安全な利用を定める。</p><p class=MsoNormal>２　受注者は、これを遵守する。</p>'
            '<p class=MsoNormal>（１）　画面ロックを行うこと。</p><p class=MsoNormal>（２）　私物を持ち込まないこと。</p>'
            '</body></html>')
    doc = parse(html)
    assert doc.title == "情報セキュリティ特記事項"
    assert [(k, lb, t) for k, lb, t in labels_texts(html)] == [
        ("a1", "第1条", ""), ("a1.p1", "第1条第1項", "この特記事項は、ICTの安全な利用を定める。"),
        ("a1.p2", "第1条第2項", "受注者は、これを遵守する。"),
        ("a1.p2.i1", "第1条第2項第1号", "画面ロックを行うこと。"),
        ("a1.p2.i2", "第1条第2項第2号", "私物を持ち込まないこと。")]
    assert doc.clauses[0].heading == ("目的",)


def test_markdown_ordered_list_is_items_not_sections():
    md = ("# 手順書\n\n## 1. 基本方針\n\n受注者は次を守ること。\n\n1. 利用者ごとにアカウントを発行すること。\n"
          "2. 多要素認証を有効にすること。\n3. 退職者のアカウントを削除すること。\n\n## 2. 事故対応\n\n直ちに報告すること。")
    assert labels_texts(md) == [
        ("s1", "1 基本方針", ""), ("s1.p1", "1 基本方針", "受注者は次を守ること。"),
        ("s1.p1.i1", "1(1)", "利用者ごとにアカウントを発行すること。"),
        ("s1.p1.i2", "1(2)", "多要素認証を有効にすること。"),
        ("s1.p1.i3", "1(3)", "退職者のアカウントを削除すること。"),
        ("s2", "2 事故対応", ""), ("s2.p1", "2 事故対応", "直ちに報告すること。")]
    art = "**第2条（遵守）** 受注者は、次の事項を守らなければならない。\n\n1. 持ち出さないこと。\n2. 複製しないこと。"
    assert [lb for _, lb, _ in labels_texts(art)] == ["第2条", "第2条第1項", "第2条第1項第1号", "第2条第1項第2号"]


def test_iroha_and_kanji_items_keyed_by_position():
    doc = parse("第3条 乙は、次の事項を守る。\n一 作業場所を限定すること。\n二 次の措置を講ずること。\nイ 施錠\nロ 記録\n三 報告すること。")
    assert [(c.key, c.label) for c in doc.clauses[2:]] == [
        ("a3.p1.i1", "第3条第1項第1号"), ("a3.p1.i2", "第3条第1項第2号"),
        ("a3.p1.i2.s1", "第3条第1項第2号イ"), ("a3.p1.i2.s2", "第3条第1項第2号ロ"), ("a3.p1.i3", "第3条第1項第3号")]


def test_bare_latin_sub_items_only_inside_lists():
    doc = parse("第1条 次の措置を講じる。\n(1) 記録\na 入室者を記録すること。\nb 記録を保存すること。")
    assert [(c.label, c.text) for c in doc.clauses[-2:]] == [
        ("第1条第1項第1号a", "入室者を記録すること。"), ("第1条第1項第1号b", "記録を保存すること。")]
    assert parse("a 記録簿は施錠保管する。").clauses[0].label == "第1段落"


def test_top_level_numbered_headings_keep_their_body():
    doc = parse("（１）総則\n\n本要領は、情報の取扱いを定める。\n\n（２）管理\n受注者は、管理すること。")
    assert [(c.key, c.label, c.text) for c in doc.clauses] == [
        ("i1", "(1)", "総則\n本要領は、情報の取扱いを定める。"), ("i2", "(2)", "管理\n受注者は、管理すること。")]


def test_article_caption_on_the_line_after_the_number():
    doc = parse("第1条\n（目的）\nこの要領は、情報の取扱いを定める。")
    assert [(c.label, c.heading, c.text) for c in doc.clauses] == [("第1条", ("目的",), "この要領は、情報の取扱いを定める。")]


def test_page_numbers_do_not_break_a_wrapped_sentence():
    doc = parse("第1条 受注者は、作業場所における情報の取扱いについて、適切か\n\n- 3 -\n\nつ速やかに確認しなければならない。")
    assert doc.clauses[0].text == "受注者は、作業場所における情報の取扱いについて、適切かつ速やかに確認しなければならない。"


def test_big_flat_lists_are_parsed_whole():
    # How long this takes is measured by benchmarks/load_attachments.py, not asserted here.
    doc = parse("\n".join(f"・項目{i}を守ること。" for i in range(20000)))
    assert len(doc.clauses) == 20000
    assert doc.clauses[0].text == "項目0を守ること。" and doc.clauses[-1].text == "項目19999を守ること。"


# ---------------------------------------------------------------------------
# Anything goes in, a ParsedDocument comes out
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "", " ", "\n\n\n", "\t \u3000\n  \n", "あ" * 40000, "第1条 " + "い、" * 20000, "x\t" * 5000,
    "🔒 画面をロックすること 😀\n\n- 🙈 のぞき見しない", "<ul><li>abc<li>def</p></div><table><tr><td>x",
    "<<<>>> < & &nbsp; &amp; </li> <p", "a < b であること。\n\n5 < 6", "((((((((((", "（" * 500 + "）" * 499,
    "<p>" + "う" * 40000, "|" * 1000, "第1条\n(1)\nア\n(ア)\na)\n①\n・\n※", "<!DOCTYPE html><html><body>",
    "\ufeff第1条 受注者は、\r\n\r\n2 管理すること。\r\n", "様式第1号\n\n誓約書\n\n令和　年　月　日",
])
@pytest.mark.parametrize("fmt", ["auto", "text", "markdown", "html"])
def test_never_raises(text, fmt):
    doc = parse(text, fmt)
    assert isinstance(doc, ParsedDocument)
    assert isinstance(doc.clauses, list) and isinstance(doc.forms, list)
    assert len({c.key for c in doc.clauses}) == len(doc.clauses)


def test_empty_input():
    assert parse("") == ParsedDocument(None, "", [], [])
    assert parse("  \n\n\u3000 \n") == ParsedDocument(None, "", [], [])


def test_long_line_and_emoji_are_kept():
    doc = parse("あ" * 40000)
    assert len(doc.clauses) == 1 and len(doc.clauses[0].text) == 40000
    doc = parse("ロックの徹底について\n\n離席時は画面をロックすること🔒。\n\n- 私物の持込み禁止 🙅")
    assert doc.title == "ロックの徹底について"
    assert doc.preamble == "離席時は画面をロックすること🔒。"
    # the sentence before the first heading or item is the attachment's 前文: a clause of its own
    assert [(c.label, c.text) for c in doc.clauses] == [("前文", "離席時は画面をロックすること🔒。"), ("項目1", "私物の持込み禁止 🙅")]


def test_unbalanced_html_gives_its_text():
    doc = parse("<ul><li>画面をロックすること。<li>ICカードを貸与しないこと。</p></div><table><tr><td>以上の事項を守る。")
    texts = [c.text for c in doc.clauses]
    assert texts == ["画面をロックすること。", "ICカードを貸与しないこと。", "以上の事項を守る。"]
    assert all("<" not in t for t in texts)


def test_no_structure_gives_paragraphs_from_blocks():
    doc = parse("受注者は、情報を適切に管理すること。\n\n受注者は、事故を直ちに報告すること。\n続けて、再発防止策を講じること。")
    assert doc.title is None and doc.preamble == ""
    assert [(c.key, c.level, c.label) for c in doc.clauses] == [
        ("p1", "paragraph", "第1段落"), ("p2", "paragraph", "第2段落")]
    assert doc.clauses[1].text == "受注者は、事故を直ちに報告すること。続けて、再発防止策を講じること。"


def test_sentence_starting_with_article_reference_is_not_an_article():
    doc = parse("第1条 受注者は、情報を管理する。\n\n第1条の規定は、再委託先にも適用する。\n\n第三者に提供しないこと。")
    assert [c.label for c in doc.clauses] == ["第1条"]
    assert doc.clauses[0].text == "受注者は、情報を管理する。\n第1条の規定は、再委託先にも適用する。\n第三者に提供しないこと。"


# -- attachments as contractors receive them (wraps, pastes, contents, page furniture) ------------

def test_wrapped_line_starting_like_a_marker_continues_the_sentence():
    text = ("第1条　受注者は、宛名データを取り込むための印刷用のコンピュー\nタは、外部に接続しないものとする。\n"
            "2　受注者は、事実が明らかになった時から\n48 時間以内に報告しなければならない。\n"
            "3　受注者は、条例第\n12条各号に定める措置をとる。")
    got = labels_texts(text)
    assert ("a1.p1", "第1条第1項", "受注者は、宛名データを取り込むための印刷用のコンピュータは、外部に接続しないものとする。") in got
    assert ("a1.p2", "第1条第2項", "受注者は、事実が明らかになった時から48 時間以内に報告しなければならない。") in got
    assert [k for k, _, _ in got] == ["a1", "a1.p1", "a1.p2", "a1.p3"]


def test_marker_that_continues_the_sequence_is_still_an_item():
    text = "第2条　受注者は、次の事項を守る。\n(1)　施錠すること\n(2)　記録すること\nア　日時\nイ　氏名"
    assert [lb for _, lb, _ in labels_texts(text)][-2:] == ["第2条第1項第2号ア", "第2条第1項第2号イ"]


def test_number_alone_on_its_line_is_the_next_paragraph():
    text = "第１条\n受託者は、名簿を提出しなければならない。\n２\n受託者は、名簿にない者を派遣してはならない。\n３\n前項の規定は、再委託先にも適用する。"
    assert labels_texts(text)[1:] == [
        ("a1.p1", "第1条第1項", "受託者は、名簿を提出しなければならない。"),
        ("a1.p2", "第1条第2項", "受託者は、名簿にない者を派遣してはならない。"),
        ("a1.p3", "第1条第3項", "前項の規定は、再委託先にも適用する。")]


def test_page_number_alone_is_still_dropped():
    text = "第１条　受託者は、名簿を提出しなければならない。\n7\n第２条　受託者は、研修を行う。"
    assert [t for _, _, t in labels_texts(text)] == ["受託者は、名簿を提出しなければならない。", "受託者は、研修を行う。"]


def test_items_written_on_one_line_are_split_along_their_sequence():
    text = ("１　受注者は、次の事項を守らなければならない。\n"
            "ア　私物を持ち込まないこと。　イ　メモは回収すること。ウ画面にフィルターを貼ること。\n"
            "２　ウイルス対策ソフトを導入すること。イ　を含む文は分けない。")
    got = labels_texts(text)
    assert [t for k, _, t in got if k.startswith("s1.p1")] == [
        "受注者は、次の事項を守らなければならない。", "私物を持ち込まないこと。", "メモは回収すること。",
        "画面にフィルターを貼ること。"]
    assert got[-1][2] == "ウイルス対策ソフトを導入すること。イ　を含む文は分けない。"


def test_a_whole_attachment_pasted_as_one_line():
    text = ("情報取扱特記事項 市（以下「市」という。）の委託については、次のとおりとする。（秘密の保持）第１条　受託者は、"
            "秘密を漏らしてはならない。２　前項の義務は、契約終了後も同様とする。 －１－ （措置）第２条　受託者は、"
            "次の措置をとるものとする。（１）　施錠すること。（２）　記録すること。")
    doc = parse(text)
    assert doc.title == "情報取扱特記事項"
    assert [(c.label, c.text) for c in doc.clauses if c.text] == [
        ("第1条第1項", "受託者は、秘密を漏らしてはならない。"), ("第1条第2項", "前項の義務は、契約終了後も同様とする。"),
        ("第2条第1項", "受託者は、次の措置をとるものとする。"), ("第2条第1項第1号", "施錠すること。"),
        ("第2条第1項第2号", "記録すること。")]
    assert doc.clauses[0].heading == ("秘密の保持",)


def test_contents_page_is_dropped_and_reported():
    text = ("別記\n委託業務特記事項\n目　次\n第１　総則　1\n第２　管理体制 ........ 2\n\n（総則）\n"
            "第１　この特記事項は、委託業務に適用する。\n（管理体制）\n第２　受託者は、責任者を置くものとする。")
    doc = parse(text)
    assert doc.title == "委託業務特記事項"
    assert [(c.label, c.text) for c in doc.clauses] == [
        ("第1", "この特記事項は、委託業務に適用する。"), ("第2", "受託者は、責任者を置くものとする。")]
    assert doc.dropped == ["目次（3 行）"]


def test_caption_then_bare_numbered_body_is_not_a_heading():
    text = "（目的）\n１　この特記事項は、業務に適用する。\n（データの消去）\n２　受注者は、録音デー\nタを消去するものとする。"
    got = labels_texts(text)
    assert got[-1][2] == "受注者は、録音データを消去するものとする。"
    assert all("録音デー" not in lb for _, lb, _ in got)


def test_pdf_copy_with_a_blank_line_after_every_line_and_markers_alone():
    lines = ["２", "開 発 環 境", "（ １ ）", "開発に用いる端末及びサーバは、市の本番環境と論理的に", "分離すること。",
             "（ ２ ）", "開発環境への接続は、開発担当者ごとに発行したアカウン", "トで行うこと。"]
    text = "１　目的\nこの特記事項は、開発の安全を確保するためのものである。\n\n" + "\n\n".join(lines) + "\n\n"
    assert labels_texts(text)[2:] == [
        ("s2", "2 開発環境", ""), ("s2.i1", "2(1)", "開発に用いる端末及びサーバは、市の本番環境と論理的に分離すること。"),
        ("s2.i2", "2(2)", "開発環境への接続は、開発担当者ごとに発行したアカウントで行うこと。")]
