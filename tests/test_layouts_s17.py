"""Layouts the twenty-third set of attachments brought (session 17), each in a small file written for the test: a
whole 誓約書 the worker signs, loaded on its own (made with python-docx and saved as PDF by LibreOffice,
tests/fixtures/layouts_s17/make_pledge.py), whose numbered first-person pledges are the rules, not a blank form; a
MkDocs (Material) page with front matter, admonitions, a collapsible block, content tabs, a definition list,
attribute lists, a footnote, abbreviations and an HTML comment holding a deleted rule; a text whose levels are shown
by full-width spaces only, with an effort lead-in over plain 「…こと。」 items."""
from __future__ import annotations

from pathlib import Path

from knowledge import library
from knowledge.parser import parse
from knowledge.readers import pdf
from storage import kb as kb_store
from storage.db import open_db
from tests.test_layouts_s15 import _load, _one

FIX = Path(__file__).parent / "fixtures" / "layouts_s17"


# --- a signed pledge loaded on its own -----------------------------------------------------------

def test_a_pledge_pdf_reads_its_centred_and_right_aligned_lines_apart():
    """「記」 (centred) and 「以上」 (pushed right) after a sentence that reaches the margin are lines of their own."""
    lines = pdf.read((FIX / "pledge.pdf").read_bytes(), "pledge.pdf").text.splitlines()
    assert "記" in lines and "以上" in lines
    assert any(ln.endswith("次の事項を守ることを誓約します。") for ln in lines)
    assert any(ln.endswith("検査することがあることを承知しています。") for ln in lines)


def test_a_whole_pledge_is_loaded_as_rules_with_the_verdicts_of_its_pledges(tmp_path):
    db = open_db(tmp_path / "kb.db")
    report = library.load_file(db, (FIX / "pledge.pdf").read_bytes(), name="pledge.pdf", slug="d", title=None,
                               municipality="架空市")
    clauses = list(db["clauses"].rows_where("doc_slug = 'd'"))
    verdict = {c["text"]: c["verdict"] for c in clauses}
    assert verdict["本業務で知り得た利用者の情報を、他人に漏らしません。"] == "prohibited"
    assert verdict["作業室に入るときは、入室簿に氏名と時刻を記入します。"] == "required"
    assert verdict["市の承認を得ずに、資料を作業室の外に持ち出しません。"] == "approval"
    assert verdict["次に掲げる物は、作業室に持ち込みません。"] == "prohibited"
    assert verdict["私物の記録媒体"] == verdict["撮影の機能を有する機器"] == "prohibited"     # its bare nouns
    assert verdict["資料の取扱いに関する知識の向上に努めます。"] == "encouraged"
    assert verdict["市が作業室を検査することがあることを承知しています。"] == "info"
    assert verdict["この誓約書は、受託者が取りまとめて市に提出してください。"] == "required"     # the ※ note
    # the header, the pledge itself (the preamble), the signature block: no clause
    texts = "\n".join(verdict)
    for gone in ("様式第", "年月日", "市長", "誓約します", "以上"):
        assert gone not in texts, gone
    assert not any(t.startswith(("所属", "住所", "氏名")) for t in verdict)
    doc = kb_store.document(db, "d")
    assert doc["title"] == "誓約書" and "次の事項を守ることを誓約します。" in doc["preamble"]
    # the form to sign is kept too
    assert [f["title"] for f in kb_store.forms_of(db, "d")] == ["誓約書"]
    assert report.counts


def test_the_reason_kb_show_gives_follows_the_pledge(tmp_path):
    """`kb show` judges the stored clauses again: with the document's preamble it reads them as the signer's."""
    from knowledge import verdict
    db = open_db(tmp_path / "kb.db")
    library.load_file(db, (FIX / "pledge.pdf").read_bytes(), name="pledge.pdf", slug="d", title=None,
                      municipality="架空市")
    rows = kb_store.clauses_of(db, "d")
    cid = next(c["id"] for c in rows if c["text"].endswith("記入します。"))
    why = verdict.reason(rows, cid, kb_store.document(db, "d")["preamble"])
    assert "書き手" not in why and why
    assert "書き手" in verdict.reason(rows, cid)          # without it, a city page's 「…します」


_RULES_THEN_PLEDGE = (
    "架空市 資料デジタル化業務 特記事項\n"
    "第１条　受注者は、業務上知り得た情報を他に漏らしてはならない。\n"
    "第２条　受注者は、従事者に別記様式の誓約書を提出させなければならない。\n"
    "別記様式（第２条関係）\n誓　約　書\n令和　　年　　月　　日\n架空市長　様\n"
    "私は、次の事項を守ることを誓約します。\n"
    "１　業務上知り得た情報を他に漏らしません。\n"
    "２　資料を作業場所の外に持ち出しません。\n"
    "３　事故を知ったときは、直ちに報告します。\n"
    "氏　名\n")


def test_a_pledge_after_the_rules_stays_a_form():
    """Near case: the 様式 appended to an attachment repeats its rules: a form, as before."""
    doc = parse(_RULES_THEN_PLEDGE)
    assert [c.text for c in doc.clauses if c.text] == [
        "受注者は、業務上知り得た情報を他に漏らしてはならない。",
        "受注者は、従事者に別記様式の誓約書を提出させなければならない。"]
    assert [f.title for f in doc.forms] == ["誓約書"] and "持ち出しません" in doc.forms[0].text   # the title joined


def test_a_blank_form_on_its_own_stays_a_form():
    """Near case: a report form loaded alone has fields, not rules: no clause."""
    doc = parse("様式第３号\n事故報告書\n令和　　年　　月　　日\n架空市長　様\n所在地\n名　称\n"
                "次のとおり報告します。\n１　発生日時\n２　発生場所\n３　事故の内容\n４　講じた措置\n")
    assert [c for c in doc.clauses if c.text] == [] and [f.title for f in doc.forms] == ["事故報告書"]


# --- a MkDocs page -------------------------------------------------------------------------------

MKDOCS = """---
title: 作業ルール
tags:
  - 架空市
---

!!! abstract "このページについて"

    このページは、架空市の受付業務の作業ルールをまとめたものです。

## 1. 用語 { #terms }

受付票
:   来庁者が記入する用紙をいう。

このルールは、受付業務の全ての担当者に適用する。

## 2. 端末 { #pc }

- 端末には、個人のIDでログインすること。
- 離席するときは、++win+l++ で画面をロックすること[^lock]。

!!! danger "禁止事項"

    - 私物のUSBメモリの接続
    - 市の許可のない受付データの複写

??? info "パスワード（クリックで開く）"

    パスワードを他人に教えてはならない。

<!-- 旧版: 受付票を自宅に持ち帰ることは禁止する。 -->
受付票は、その日のうちに市に引き渡すこと。

=== "平日"

    受付票は、閉庁後に施錠できる書庫に入れること。

=== "休日"

    休日には受付を行わない。

[^lock]: ロックの手順は、市の端末操作手引による。

*[ID]: Identifier
"""


def _md(tmp_path):
    db = open_db(tmp_path / "kb.db")
    report = library.load_file(db, MKDOCS.encode(), name="rules.md", slug="d", title=None, municipality="架空市")
    return list(db["clauses"].rows_where("doc_slug = 'd'")), report


def test_a_danger_box_titled_prohibitions_forbids_its_bare_nouns(tmp_path):
    clauses, _ = _md(tmp_path)
    assert _one(clauses, "私物のUSBメモリの接続")["verdict"] == "prohibited"
    assert _one(clauses, "市の許可のない受付データの複写")["verdict"] == "approval"      # its own route
    # the box title is a heading, not a clause's text
    assert not any("!!!" in c["text"] or "禁止事項" in c["text"] for c in clauses)


def test_a_comment_is_dropped_and_not_glued_to_the_next_rule(tmp_path):
    clauses, report = _md(tmp_path)
    rule = _one(clauses, "受付票は、その日のうちに市に引き渡すこと。")
    assert rule["verdict"] == "required" and rule["text"] == "受付票は、その日のうちに市に引き渡すこと。"
    assert not any("持ち帰る" in c["text"] or "<!--" in c["text"] for c in clauses)
    assert any("コメント" in d for d in report.dropped)


def test_text_after_a_box_is_the_sections_again(tmp_path):
    clauses, _ = _md(tmp_path)
    rule = _one(clauses, "受付票は、その日のうちに市に引き渡すこと。")
    assert rule["label"].startswith("2") and "パスワード" not in rule["label"]
    assert _one(clauses, "パスワードを他人に教えてはならない。")["verdict"] == "prohibited"  # a ??? block's rule kept


def test_tabs_definition_lists_attribute_lists_footnotes_and_abbreviations(tmp_path):
    clauses, report = _md(tmp_path)
    texts = [c["text"] for c in clauses]
    # tabs: their labels head their rules
    assert _one(clauses, "受付票は、閉庁後に施錠できる書庫に入れること。")["label"] == "平日"
    assert _one(clauses, "休日には受付を行わない。")["verdict"] == "prohibited"
    # a definition list is a row 「term: definition」, a definition (規定)
    assert _one(clauses, "受付票: 来庁者が記入する用紙をいう。")["verdict"] == "info"
    # attribute lists, key marks, footnote marks, abbreviations, front matter: not text
    assert not any("{" in c["label"] or "{" in c["text"] or "#terms" in json_heading(c) for c in clauses)
    assert _one(clauses, "離席するときは、Win+L で画面をロックすること。")["verdict"] == "required"
    assert not any("[^" in t or "*[" in t or "Identifier" in t or "tags" in t for t in texts)
    # the footnote's own text stays (a pointer to the manual: 規定)
    assert _one(clauses, "ロックの手順は、市の端末操作手引による。")["verdict"] == "info"
    assert _one(clauses, "このページは、架空市の受付業務")["verdict"] == "info"
    dropped = "\n".join(report.dropped)
    assert "YAML" in dropped and "略語" in dropped


def json_heading(c) -> str:
    return c["heading"] if isinstance(c["heading"], str) else "".join(c["heading"])


def test_front_matter_title_is_the_title_of_a_page_with_no_h1():
    doc = parse(MKDOCS, "markdown")
    assert doc.title == "作業ルール"
    doc = parse("---\ntitle: 設定の題\n---\n\n# 本文の題\n\n## 1 総則\n\n受託者は、報告すること。\n", "markdown")
    assert doc.title == "本文の題"


def test_a_comment_over_lines_in_plain_markdown():
    doc = parse("# 題\n\n## 1 総則\n\n受託者は、報告すること。\n\n<!--\n受託者は、複写してはならない。\n-->\n"
                "受託者は、記録すること。\n", "markdown")
    assert [c.text for c in doc.clauses if c.text] == ["受託者は、報告すること。", "受託者は、記録すること。"]


def test_a_comment_in_a_web_page_is_no_rule():
    doc = parse("<html><body><h1>題</h1><h2>1 総則</h2><p>受託者は、報告すること。</p>"
                "<!-- <p>受託者は、複写してはならない。</p> --><p>受託者は、記録すること。</p></body></html>", "html")
    assert [c.text for c in doc.clauses if c.text] == ["受託者は、報告すること。", "受託者は、記録すること。"]


# --- levels by full-width spaces only ------------------------------------------------------------

SPACED = ("架空市 駐輪場管理業務 遵守事項\r\n\r\n管理体制\r\n"
          "\u3000受託者は、業務責任者を定め、市に届け出なければならない。\r\n"
          "\u3000受託者は、従事者の名簿を市に提出すること。\r\n\r\n研修\r\n"
          "\u3000受託者は、従事者に研修を行わなければならない。\r\n"
          "\u3000受託者は、次の取組に努めるものとする。\r\n"
          "\u3000\u3000作業手順を年に一度見直すこと。\r\n"
          "\u3000\u3000気付いた危険を従事者の間で共有すること。\r\n"
          "\u3000業務責任者は、毎日、次の措置を講じなければならない。\r\n"
          "\u3000\u3000書庫の施錠の確認\r\n\r\n\u3000\u3000\u3000\u3000\u3000\u3000以上\r\n")


def test_an_effort_lead_in_passes_effort_to_its_plain_items(tmp_path):
    clauses = _load(tmp_path, ("\ufeff" + SPACED).encode("utf-8"), "rules.txt")
    assert _one(clauses, "受託者は、次の取組に努めるものとする。")["verdict"] == "encouraged"
    assert _one(clauses, "作業手順を年に一度見直すこと。")["verdict"] == "encouraged"
    assert _one(clauses, "気付いた危険を従事者の間で共有すること。")["verdict"] == "encouraged"
    # near case: a duty's lead-in over a bare noun, and the paragraph before the lead-ins, keep theirs
    assert _one(clauses, "書庫の施錠の確認")["verdict"] == "required"
    assert _one(clauses, "受託者は、従事者に研修を行わなければならない。")["verdict"] == "required"
