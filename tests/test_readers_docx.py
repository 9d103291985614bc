"""The Word reader on hand-written WordprocessingML: numbering from numbering.xml (directly and
through a paragraph style), restarts, formats Japanese documents use, breaks, hidden and deleted text."""
from __future__ import annotations

import io
import zipfile

import pytest

from knowledge.readers import LoadRefused, read
from knowledge.readers.docx import format_number

NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx(body: str, numbering: str = "", styles: str = "") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", f"<w:document {NS}><w:body>{body}</w:body></w:document>")
        if numbering:
            z.writestr("word/numbering.xml", f"<w:numbering {NS}>{numbering}</w:numbering>")
        if styles:
            z.writestr("word/styles.xml", f"<w:styles {NS}>{styles}</w:styles>")
    return buf.getvalue()


def _p(text: str, num: tuple[str, int] | None = None, style: str | None = None, runs: str | None = None) -> str:
    ppr = ""
    if style:
        ppr += f'<w:pStyle w:val="{style}"/>'
    if num:
        ppr += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
    return f"<w:p><w:pPr>{ppr}</w:pPr>{runs if runs is not None else f'<w:r><w:t>{text}</w:t></w:r>'}</w:p>"


def _lvl(i: int, fmt: str, text: str, start: int = 1) -> str:
    return (f'<w:lvl w:ilvl="{i}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/></w:lvl>')


NUMBERING = (
    '<w:abstractNum w:abstractNumId="1">' + _lvl(0, "decimalFullWidth", "第%1条") + _lvl(1, "decimalFullWidth", "%2", 2)
    + _lvl(2, "decimal", "(%3)") + _lvl(3, "iroha", "%4") + _lvl(4, "decimalEnclosedCircle", "%5") + "</w:abstractNum>"
    '<w:abstractNum w:abstractNumId="2">' + _lvl(0, "aiueoFullWidth", "%1") + "</w:abstractNum>"
    '<w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num>'
    '<w:num w:numId="6"><w:abstractNumId w:val="2"/></w:num>'
    '<w:num w:numId="7"><w:abstractNumId w:val="2"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/>'
    "</w:lvlOverride></w:num>")
STYLES = ('<w:style w:type="paragraph" w:styleId="Jo"><w:pPr><w:numPr><w:numId w:val="5"/><w:ilvl w:val="0"/>'
          '</w:numPr></w:pPr></w:style><w:style w:type="paragraph" w:styleId="JoCaption"><w:basedOn w:val="Jo"/>'
          "</w:style>")


def test_numbers_come_from_numbering_xml_and_styles():
    body = "".join([
        _p("この規程は、委託業務に適用する。", style="Jo"),                 # numbering through the style
        _p("受託者は、次の事項を守らなければならない。", style="JoCaption"),  # ... and a style based on it
        _p("前項の規定は、再委託先に準用する。", ("5", 1)),
        _p("施錠すること。", ("5", 2)),
        _p("記録すること。", ("5", 2)),
        _p("日時", ("5", 3)),
        _p("氏名", ("5", 3)),
        _p("署名", ("5", 4)),
        _p("受託者は、報告しなければならない。", style="Jo"),
        _p("電話で連絡すること。", ("6", 0)),
        _p("書面で報告すること。", ("6", 0)),
        _p("別の一覧の最初の項目", ("7", 0)),                              # startOverride: a new list
    ])
    lines = read(_docx(body, NUMBERING, STYLES), "a.docx").text.split("\n")
    assert lines == [
        "第１条　この規程は、委託業務に適用する。", "第２条　受託者は、次の事項を守らなければならない。",
        "２　前項の規定は、再委託先に準用する。", "(1)　施錠すること。", "(2)　記録すること。", "イ　日時", "ロ　氏名",
        "①　署名", "第３条　受託者は、報告しなければならない。", "ア　電話で連絡すること。", "イ　書面で報告すること。",
        "ア　別の一覧の最初の項目"]


def test_breaks_hidden_and_deleted_text():
    runs = ('<w:r><w:t>受託者は、資料を</w:t><w:br/><w:t>複写してはならない。</w:t><w:br/>'
            '<w:t>２　前項の規定は準用する。</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>非表示</w:t></w:r>'
            '<w:del><w:r><w:delText>削除済み</w:delText></w:r></w:del>')
    text = read(_docx(_p("", runs=runs)), "b.docx").text
    assert text == "受託者は、資料を複写してはならない。\n２　前項の規定は準用する。"


def test_table_rows_become_label_and_cells():
    tbl = ("<w:tbl><w:tr><w:tc><w:p><w:r><w:t>媒体</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>ＵＳＢメモリ等をいう。"
           "</w:t></w:r></w:p><w:p><w:r><w:t>ＣＤを含む。</w:t></w:r></w:p></w:tc></w:tr></w:tbl>")
    assert read(_docx(tbl), "c.docx").text.split("\n")[0] == "媒体\tＵＳＢメモリ等をいう。<br>ＣＤを含む。"


def test_broken_word_file_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<not xml")
    with pytest.raises(LoadRefused) as e:
        read(buf.getvalue(), "d.docx")
    assert "Word の文書として読めませんでした" in e.value.message_ja


@pytest.mark.parametrize("n,fmt,shown", [(3, "aiueoFullWidth", "ウ"), (3, "iroha", "ハ"), (12, "decimalFullWidth", "１２"),
                                         (4, "decimalEnclosedCircle", "④"), (14, "japaneseCounting", "十四"),
                                         (2, "lowerLetter", "b"), (4, "upperRoman", "IV"), (2, "ideographTraditional", "乙")])
def test_word_number_formats(n, fmt, shown):
    assert format_number(n, fmt) == shown
