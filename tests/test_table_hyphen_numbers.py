"""A rule table 「区分 | 番号 | 遵守事項 | 根拠条項」 whose 番号 numbers each rule within its 区分 (「1-1」「3-4」「3-10」, also
「1－2」 with a full-width dash), 区分 merged down its rows, a title and a 改正 line above it (as
tests/data/verdicts/vd95.xlsx): each rule is cited by its own number, its text is the rule alone, the items under a
lead-in row are that row's, the row naming the columns is no rule, and a date 「4-1」 inside a rule stays its text.
Loaded through the real loader, as an Excel sheet, a web page, a Word table and tab-separated text (the last two
without the 改正 line: a 「（…）」 line of its own there is still read as a caption, which is another matter). The city, 架空市, and every rule are invented."""
from __future__ import annotations

import re

import pytest

import rule_tables
from rule_tables import HEADER


ROWS = [
    ("総則", "1-1", "この遵守事項は、受託者が遵守すべき情報セキュリティ対策を定めるものである。", "契約書第15条"),
    ("総則", "1－2", "この遵守事項は、再委託先にも適用する。", "特記事項第4条"),
    ("アクセス管理", "3-3", "ﾊﾟｽﾜｰﾄﾞを他の従事者に教えないこと。", "特記事項第7条"),
    ("アクセス管理", "3-4", "保守作業に当たっては、次に掲げる行為をしてはならない。", "特記事項第8条"),
    ("アクセス管理", "", "(1)　校務情報を保守用端末に保存すること。", ""),
    ("アクセス管理", "", "(2)　保守作業の画面を撮影し、又は録画すること。", ""),
    ("アクセス管理", "3-5", "本番環境へのﾘﾓｰﾄ保守は、原則として行わないこと。", "特記事項第8条"),
    ("アクセス管理", "3-10", "研修計画は、毎年4-1までに市に提出すること。", "特記事項第5条"),
]


def xlsx_book() -> bytes:
    """A 改正 line in the last column above the header (the 改正 line fits its cell, as in vd95)."""
    return rule_tables.xlsx_book(ROWS, revision="（令和７年４月改正）", widths=(14, 6, 80, 24))


def html_page() -> bytes:
    """The 改正 line and the header as <td> rows."""
    return rule_tables.html_page(ROWS, head_rows=['<tr><td></td><td></td><td></td><td>（令和７年４月改正）</td></tr>',
                                                  "<tr>" + "".join(f"<td>{h}</td>" for h in HEADER) + "</tr>"])


def word_doc() -> bytes:
    return rule_tables.word_doc(ROWS)


def tab_text() -> bytes:
    return rule_tables.tab_text(ROWS)


FORMATS = {"xlsx": ("遵守事項.xlsx", xlsx_book), "html": ("遵守事項.html", html_page),
           "docx": ("遵守事項.docx", word_doc), "txt": ("遵守事項.txt", tab_text)}


@pytest.fixture(params=list(FORMATS))
def clauses(request, tmp_path):
    name, make = FORMATS[request.param]
    return rule_tables.load(tmp_path, name, make())


def _one(clauses, text):
    got = [c for c in clauses if text in c["text"]]
    assert len(got) == 1, (text, [(c["label"], c["text"]) for c in got])
    return got[0]


def test_each_rule_is_cited_by_its_own_number_and_its_text_is_the_rule(clauses):
    for cat, num, rule, basis in ROWS:
        if not num:
            continue
        c = _one(clauses, rule)
        assert c["label"] == num, (c["label"], rule)
        assert c["citation"].endswith(num)
        # the rule (its 根拠 beside it, as any row's note), not 「区分: 番号」 again
        assert c["text"].startswith(rule), c["text"]
        assert cat not in c["text"].split(rule)[0] and not c["text"].startswith(num)
    assert len({c["label"] for c in clauses if c["level"] != "item"}) == len([r for r in ROWS if r[1]])


def test_items_under_a_lead_in_row_are_cited_from_its_number(clauses):
    lead = _one(clauses, "次に掲げる行為をしてはならない。")
    assert lead["label"] == "3-4" and lead["verdict"] == "prohibited"
    for n, text in enumerate(["校務情報を保守用端末に保存すること。", "保守作業の画面を撮影し、又は録画すること。"], 1):
        item = _one(clauses, text)
        assert item["parent_id"] == lead["id"]
        assert item["label"] == f"3-4({n})" and item["citation"].endswith(f"3-4({n})")
        assert item["verdict"] == "prohibited"


def test_the_row_naming_the_columns_is_no_clause(clauses):
    for c in clauses:
        assert c["label"] not in HEADER and "根拠条項" not in c["text"], (c["label"], c["text"])


def test_a_date_inside_a_rule_stays_its_text(clauses):
    c = _one(clauses, "毎年4-1までに")
    assert c["label"] == "3-10"
    assert c["text"].startswith("研修計画は、毎年4-1までに市に提出すること。")
    assert not any(x["label"].startswith("4-1") for x in clauses)


def test_a_first_row_of_column_names_below_a_line_beside_the_table_is_no_clause(tmp_path):
    # no number column here: the row naming the columns, in <td>s below a 改正 line in the table's last cell, is still
    # the table's header, not a rule 「区分: 遵守事項 根拠条項」
    page = ("<html><body><h1>情報セキュリティ遵守事項</h1><table>"
            "<tr><td></td><td></td><td>（令和７年４月改正）</td></tr>"
            "<tr><td>区分</td><td>遵守事項</td><td>根拠条項</td></tr>"
            "<tr><td>総則</td><td>受託者は、情報を第三者に漏らしてはならない。</td><td>契約書第15条</td></tr>"
            "<tr><td>管理体制</td><td>従事者に研修を行うこと。</td><td>特記事項第5条</td></tr>"
            "</table></body></html>").encode("utf-8")
    got = rule_tables.load(tmp_path, "遵守事項.html", page)
    assert [c["label"] for c in got] == ["総則", "管理体制"], [(c["label"], c["text"]) for c in got]


@pytest.mark.parametrize("fmt", ["html", "txt"])
def test_a_column_of_dates_beside_other_words_is_no_number_column(tmp_path, fmt):
    # (a guard: this passes on main too) 「4-1」「10-1」 in a 期日 column that also says 随時 number no rule
    rows = [("項目", "期日", "内容"), ("研修", "4-1", "研修計画を市に提出すること。"), ("点検", "随時", "作業場所の点検を行うこと。"),
            ("報告", "10-1", "実施状況を市に報告すること。")]
    if fmt == "html":
        data = ("<html><body><h1>遵守事項</h1><table>" + "".join(
            "<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows) + "</table></body></html>")
    else:
        data = "\n".join(["遵守事項", ""] + ["\t".join(r) for r in rows])
    got = rule_tables.load(tmp_path, f"遵守事項.{fmt}", data.encode("utf-8"))
    assert not any(re.match(r"\d+-\d", c["label"]) for c in got), [(c["label"], c["text"]) for c in got]
    assert any("4-1" in c["text"] for c in got)
