"""Layouts the seventeenth set of attachments brought (session 15), each in a small file written for the test: a
Word table 「項目 | 遵守事項」 whose rule cell holds several paragraphs (several rules, ※ notes among them)."""
from __future__ import annotations

import io
import zipfile

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
