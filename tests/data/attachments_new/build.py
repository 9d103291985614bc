"""Build the new attachments an1..an24 from their clean texts (texts_dev.py, texts_blind.py,
texts_blind2.py, texts_blind3.py, texts_blind4.py, texts_blind5.py, texts_blind6.py, texts_dev2.py).

    .venv/bin/python tests/data/attachments_new/build.py      # needs python-docx and soffice

The PDFs embed IPA明朝 (Debian: fonts-ipafont-mincho); without a Japanese font LibreOffice draws
no CJK glyphs and wraps the lines elsewhere.

Writes anN.<ext> (the file as a city delivers it), anN.source.txt (clean text) and manifest.json.
PDFs are made the way cities make them: a Word file (python-docx) converted by LibreOffice
headless; PDFs carry their creation time, so a rebuild changes their bytes, not their text.
"""
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import docx  # noqa: E402
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK  # noqa: E402
from docx.oxml import OxmlElement, parse_xml  # noqa: E402
from docx.oxml.ns import nsdecls, qn  # noqa: E402
from docx.shared import Mm, Pt  # noqa: E402

import texts_blind  # noqa: E402
import texts_blind2  # noqa: E402
import texts_blind3  # noqa: E402
import texts_blind4  # noqa: E402
import texts_blind5  # noqa: E402
import texts_blind6  # noqa: E402
import texts_dev  # noqa: E402
import texts_dev2  # noqa: E402

DOCS = [
    dict(slug="an1", file="an1.pdf", municipality="朝霧市", text=texts_dev.AN1, fmt="pdf",
         header="朝霧市　図書館情報システム運用保守業務委託", footer="dash"),
    dict(slug="an2", file="an2.docx", municipality="白樺市", text=texts_dev.AN2, fmt="docx"),
    dict(slug="an3", file="an3.html", municipality="若潮市", text=texts_dev.AN3, fmt="html"),
]
# an4-an6: the blind set's attachments
DOCS += [
    dict(slug="an4", file="an4.docx", municipality="桐ヶ谷市", text=texts_blind.AN4, fmt="docx",
         writer=lambda doc, path: write_word_table(doc, path), author="kirigaya"),
    dict(slug="an5", file="an5.txt", municipality="榛名台市", text=texts_blind.AN5, fmt="txt",
         writer=lambda doc, path: write_txt_wrapped(doc, path)),
    dict(slug="an6", file="an6.pdf", municipality="葦原市", text=texts_blind.AN6, fmt="pdf",
         header="葦原市　戸籍情報システム保守業務　仕様書", footer="of"),
]

# an7-an9: the second blind set's attachments
DOCS += [
    dict(slug="an7", file="an7.pdf", municipality="七瀬川市", text=texts_blind2.AN7, fmt="pdf",
         header="七瀬川市　要介護認定調査業務委託　特記事項", footer="plain", author="kaigo01"),
    dict(slug="an8", file="an8.docx", municipality="東雲台市", text=texts_blind2.AN8, fmt="docx",
         author="suido-ryokin"),
    dict(slug="an9", file="an9.html", municipality="翠ヶ丘市", text=texts_blind2.AN9, fmt="html",
         writer=lambda doc, path: write_html_senkyo(doc, path)),
]

# an10-an12: the third blind set's attachments
DOCS += [
    dict(slug="an10", file="an10.pdf", municipality="柚木原市", text=texts_blind3.AN10, fmt="pdf",
         header="柚木原市教育委員会　校務支援システム等運用保守業務委託", footer="of", author="kyoiku-joho",
         writer=lambda doc, path: write_word(doc, path, kinder=kind_dai)),
    dict(slug="an11", file="an11.docx", municipality="美杉野市", text=texts_blind3.AN11, fmt="docx",
         author="kenkozukuri", writer=lambda doc, path: write_word(doc, path, widths=(Mm(42), Mm(118)))),
    dict(slug="an12", file="an12.html", municipality="笹良川市", text=texts_blind3.AN12, fmt="html",
         writer=lambda doc, path: write_html_sodai(doc, path)),
]

# an13-an15: the fourth blind set's attachments
DOCS += [
    dict(slug="an13", file="an13.html", municipality="山吹野市", text=texts_blind4.AN13, fmt="html",
         writer=lambda doc, path: write_html_furusato(doc, path)),
    dict(slug="an14", file="an14.docx", municipality="星ヶ浜市", text=texts_blind4.AN14, fmt="docx",
         author="zeimu-punch", writer=lambda doc, path: write_word_autonum(doc, path)),
    dict(slug="an15", file="an15.pdf", municipality="藤ノ森市", text=texts_blind4.AN15, fmt="pdf",
         header="藤ノ森市　市民課窓口業務委託　特記事項", footer="of", author="shiminka"),
]

# an16-an18: the fifth blind set's attachments
DOCS += [
    dict(slug="an16", file="an16.pdf", municipality="椿ヶ丘市", text=texts_blind5.AN16, fmt="pdf",
         header="椿ヶ丘市　公文書電子化業務委託　特記仕様書", footer="of", author="bunsho-kanri",
         writer=lambda doc, path: write_word(doc, path, kinder=kind_kanji)),
    dict(slug="an17", file="an17.docx", municipality="白鷺台市", text=texts_blind5.AN17, fmt="docx",
         header="白鷺台市　職員給与計算及び年末調整事務支援業務委託", footer="dash", author="shokuinka",
         footer_text="白鷺台市総務部職員課　取扱注意",
         writer=lambda doc, path: write_word_footer_text(doc, path, kinder=kind_zendot,
                                                         widths=(Mm(34), Mm(126)))),
    dict(slug="an18", file="an18.txt", municipality="月見原市", text=texts_blind5.AN18, fmt="txt",
         writer=lambda doc, path: write_txt_sjis(doc, path)),
]

# an19-an21: the sixth blind set's attachments
DOCS += [
    dict(slug="an19", file="an19.pdf", municipality="萩ノ台市", text=texts_blind6.AN19, fmt="pdf",
         header="萩ノ台市　放課後児童クラブ運営業務委託　個人情報取扱特記事項", footer="dash",
         author="kodomo-mirai"),
    dict(slug="an20", file="an20.docx", municipality="青葉沢市", text=texts_blind6.AN20, fmt="docx",
         header="青葉沢市　街頭防犯カメラ設置及び保守業務委託", footer="of", author="bohan-anzen",
         writer=lambda doc, path: write_word(doc, path, widths=(Mm(32), Mm(128)))),
    dict(slug="an21", file="an21.html", municipality="楓川市", text=texts_blind6.AN21, fmt="html",
         writer=lambda doc, path: write_html_nozei(doc, path)),
]

# an22-an24: the attachments of questions_attach_dev2.jsonl
DOCS += [
    dict(slug="an22", file="an22.docx", municipality="雲雀野市", text=texts_dev2.AN22, fmt="docx",
         author="kikikanri-bosai"),
    dict(slug="an23", file="an23.pdf", municipality="汐見坂市", text=texts_dev2.AN23, fmt="pdf",
         header="汐見坂市民病院　医事業務委託　情報セキュリティ及び個人情報保護特記事項", footer="plain",
         author="iji-ka"),
    dict(slug="an24", file="an24.txt", municipality="蓮沼台市", text=texts_dev2.AN24, fmt="txt",
         writer=lambda doc, path: write_txt_wrapped(doc, path)),
]

FORM_START = re.compile(r"^(様式第|様式[０-９0-9]|第[０-９0-9]+号様式|別紙様式)")


def title_of(lines):
    return next(l for l in lines if not re.fullmatch(r"別記|別紙[０-９0-9]*", l))


# ------------------------------------------------------------------ Word
def base_doc(author="", grid=False):
    d = docx.Document()
    sec = d.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(30), Mm(25)
    sec.left_margin, sec.right_margin = Mm(25), Mm(25)
    st = d.styles["Normal"]
    st.font.name = "Century"
    st.font.size = Pt(10.5)
    rpr = st.element.get_or_add_rPr()
    rpr.find(qn("w:rFonts")).set(qn("w:eastAsia"), "ＭＳ 明朝")
    st.paragraph_format.space_after = Pt(0)
    st.paragraph_format.line_spacing = 1.3
    d.core_properties.author = d.core_properties.last_modified_by = author
    d.core_properties.created = d.core_properties.modified = datetime.datetime(2025, 3, 14, 10, 0)
    return d


def page_field(par, instr):
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instr)
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    par._p.append(fld)


def furniture(d, header=None, footer=None):
    sec = d.sections[0]
    if header:
        hp = sec.header.paragraphs[0]
        hp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        hp.add_run(header).font.size = Pt(9)
    if footer:
        fp = sec.footer.paragraphs[0]
        fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if footer == "plain":
            page_field(fp, "PAGE")
        elif footer == "dash":
            fp.add_run("- ")
            page_field(fp, "PAGE")
            fp.add_run(" -")
        else:
            page_field(fp, "PAGE")
            fp.add_run(" / ")
            page_field(fp, "NUMPAGES")


def indent(p, left, first):
    """left / first-line indent in characters of 10.5 pt."""
    p.paragraph_format.left_indent = Pt(10.5 * left)
    p.paragraph_format.first_line_indent = Pt(10.5 * first)


def kind(line):
    if re.match(r"^（[^）]{1,20}）$", line):
        return "midashi"
    if re.match(r"^第[０-９0-9]+章　", line):
        return "chapter"
    if re.match(r"^[0-9]+\.[0-9]*　", line) and len(line) < 25:
        return "sechead" if re.match(r"^[0-9]+\.　", line) else "subhead"
    if re.match(r"^第[０-９0-9]+条", line):
        return "art"
    if re.match(r"^[０-９0-9]+　", line) and len(line) < 25 and not line.endswith("。"):
        return "sechead"
    if re.match(r"^[０-９0-9]+　", line):
        return "para"
    if re.match(r"^[（(][０-９0-9]+[）)]", line):
        return "item"
    if re.match(r"^[ア-ン]　", line):
        return "sub"
    if re.match(r"^[\u2460-\u2473]　", line):
        return "maru"
    return "body"


def kind_dai(line):
    """an10: sections 「第１　総則」 (第N without 条) are headings, the rest as kind()."""
    if re.match(r"^第[０-９0-9]+　\S{1,20}$", line):
        return "sechead"
    return kind(line)


def write_word(doc, path, typed=True, kinder=kind, widths=None):
    lines = doc["text"].split("\n")
    d = base_doc(author=doc.get("author", ""))
    furniture(d, doc.get("header"), doc.get("footer"))
    title = title_of(lines)
    in_form = False
    rows = []
    for ln in lines:
        if "\t" in ln:
            # a 別表: tab-separated cells become a Word table
            rows.append(ln.split("\t"))
            continue
        if rows:
            word_table(d, rows, widths)
            rows = []
        if FORM_START.match(ln):
            in_form = True
            d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        if in_form:
            p = d.add_paragraph(ln)
            if re.match(r"^年　", ln) or ln.startswith("年"):
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            elif re.fullmatch(r"(.　)+.", ln):
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                for r in p.runs:
                    r.font.size = Pt(14)
            elif ln == "記":
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif re.match(r"^(所在地|商号|代表者|住所|氏名)", ln):
                p.paragraph_format.left_indent = Mm(80)
            p.paragraph_format.space_after = Pt(8)
            continue
        if re.fullmatch(r"別記|別紙[０-９0-9]*", ln):
            d.add_paragraph(ln)
            continue
        if ln == title:
            p = d.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.space_before = Pt(6)
            p.paragraph_format.space_after = Pt(14)
            r = p.add_run(ln)
            r.font.size = Pt(13)
            r.bold = True
            continue
        k = kinder(ln)
        p = d.add_paragraph(ln)
        if k == "midashi":
            indent(p, 1, 0)
            p.paragraph_format.space_before = Pt(6)
        elif k in ("sechead", "chapter"):
            p.paragraph_format.space_before = Pt(8)
            for r in p.runs:
                r.bold = True
        elif k == "subhead":
            indent(p, 0.5, 0)
            p.paragraph_format.space_before = Pt(4)
        elif k in ("art", "para"):
            indent(p, 1, -1)
        elif k == "item":
            indent(p, 3, -2)
        elif k == "sub":
            indent(p, 4, -1)
        elif k == "maru":
            indent(p, 4, -1.5)
        elif re.match(r"^別表", ln):
            p.paragraph_format.space_before = Pt(12)
        else:
            indent(p, 1, 1)
    if rows:
        word_table(d, rows, widths)
    d.save(path)


def word_table(d, rows, widths=None):
    tbl = d.add_table(rows=0, cols=len(rows[0]))
    tbl.style = "Table Grid"
    for i, cells in enumerate(rows):
        tc = tbl.add_row().cells
        for c, t in zip(tc, cells):
            c.text = t
            if i == 0:
                c.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        if widths:
            for c, w in zip(tc, widths):
                c.width = w


def write_word_table(doc, path):
    """The rules in a three-column table (番号 / 項目 / 遵守事項), one row a section, its items
    as paragraphs of the last cell: how many cities lay out a 遵守事項 in Word."""
    lines = doc["text"].split("\n")
    d = base_doc(author=doc.get("author", ""))
    sec = d.sections[0]
    sec.left_margin, sec.right_margin = Mm(20), Mm(20)
    title = title_of(lines)
    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(12)
    r = p.add_run(title)
    r.font.size = Pt(14)
    r.bold = True
    rows, lead = [], []
    for ln in lines[1:]:
        m = re.match(r"^([０-９]+)　(\S{1,15})$", ln)
        if m:
            rows.append([m.group(1), m.group(2), []])
        elif rows:
            rows[-1][2].append(ln)
        else:
            lead.append(ln)
    for ln in lead:
        p = d.add_paragraph(ln)
        indent(p, 0, 1)
    d.add_paragraph()
    tbl = d.add_table(rows=1, cols=3)
    tbl.style = "Table Grid"
    widths = (Mm(12), Mm(32), Mm(126))
    for c, t, w in zip(tbl.rows[0].cells, ("番号", "項目", "遵守事項"), widths):
        c.text = t
        c.width = w
        c.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        c.paragraphs[0].runs[0].bold = True
    for num, head, body in rows:
        cells = tbl.add_row().cells
        cells[0].text, cells[1].text = num, head
        cells[0].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        for i, ln in enumerate(body):
            cp = cells[2].paragraphs[0] if i == 0 else cells[2].add_paragraph()
            cp.add_run(ln)
            if kind(ln) == "item":
                indent(cp, 2, -2)
        for c, w in zip(cells, widths):
            c.width = w
    d.save(path)


def text_width(s):
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in s)


def write_txt_wrapped(doc, path, cols=70, page_lines=42):
    """What a copy out of a PDF viewer gives: every visual line ends with a line break (about 35
    full-width characters), the space after a number is a plain space, the page numbers
    (－ N －) come along between the pages, and the indentation is lost."""
    lines = doc["text"].split("\n")
    title = title_of(lines)
    out = ["　　　　" + title, ""]
    for ln in lines[1:]:
        ln = re.sub(r"^(第[０-９]+条|第[０-９]+章|[０-９]+|（[０-９]+）|[ア-ン])　", r"\1 ", ln)
        cur = ""
        for ch in ln:
            # 行頭禁則: a comma, a full stop or a closing bracket hangs at the end of the line
            if text_width(cur + ch) > cols and ch not in "、。）」":
                out.append(cur)
                cur = ""
            cur += ch
        out.append(cur)
    paged, page = [], 1
    for i, ln in enumerate(out):
        paged.append(ln)
        if (i + 1) % page_lines == 0:
            paged += ["", "－ %s －" % str(page).translate(str.maketrans("0123456789", "０１２３４５６７８９")), ""]
            page += 1
    paged += ["", "－ %s －" % str(page).translate(str.maketrans("0123456789", "０１２３４５６７８９"))]
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(paged) + "\n")


def soffice_pdf(src, outdir):
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", outdir, src],
                   check=True, capture_output=True, timeout=240)
    return os.path.join(outdir, os.path.splitext(os.path.basename(src))[0] + ".pdf")


# ------------------------------------------------------------------ HTML (a city CMS page)
PAGE_TOP = """<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="UTF-8">
<title>{title}｜{muni}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/shared/css/common.css">
<script src="/shared/js/jquery.min.js"></script>
</head>
<body>
<div id="tmp_wrapper">
<p class="skip"><a href="#tmp_contents">本文へ移動</a></p>
<div id="tmp_header">
<p id="tmp_logo"><a href="/index.html"><img src="/shared/img/logo.png" alt="{muni}"></a></p>
<ul id="tmp_hnavi">
<li><a href="/sitemap.html">サイトマップ</a></li>
<li><a href="/foreign/index.html">Foreign Language</a></li>
<li><a href="/mobile/index.html">携帯サイト</a></li>
</ul>
<div id="tmp_setting">
<p>文字サイズ <a href="#">標準</a> <a href="#">拡大</a></p>
<p>背景色 <a href="#">白</a> <a href="#">黒</a> <a href="#">青</a></p>
</div>
<form action="/search/result.html" id="tmp_search"><label for="tmp_query">サイト内検索</label><input id="tmp_query" type="text" name="q"><input type="submit" value="検索"></form>
</div>
<ul id="tmp_gnavi">
<li><a href="/kurashi/index.html">くらし・手続き</a></li>
<li><a href="/kosodate/index.html">子育て・教育</a></li>
<li><a href="/kenko/index.html">健康・福祉</a></li>
<li><a href="/jigyosha/index.html">事業者の方へ</a></li>
<li><a href="/shisei/index.html">市政情報</a></li>
</ul>
<div id="tmp_pankuzu">
<p><a href="/index.html">ホーム</a> &gt; <a href="/jigyosha/index.html">事業者の方へ</a> &gt; <a href="/jigyosha/nyusatsu/index.html">入札・契約</a> &gt; <a href="/jigyosha/nyusatsu/itaku/index.html">業務委託の特記事項</a> &gt; {title}</p>
</div>
<div id="tmp_main">
<div id="tmp_contents">
<h1>{title}</h1>
<div id="tmp_update"><p>更新日：2025年4月1日</p><p>ページ番号：20418</p></div>
<div class="sns_btn"><a href="#">ポスト</a> <a href="#">シェア</a> <a href="#">LINEで送る</a></div>
<p>{muni}が締結する市税等のコンビニエンスストア収納代行業務の委託契約には、次の特記事項が付されます。受託を希望される事業者の方は、内容をご確認ください。</p>
<div class="body">
"""

PAGE_BOTTOM = """</div>
<h2>ダウンロード</h2>
<ul class="file">
<li><a href="/material/files/group/12/tokkijiko_conveni.pdf">市税等のコンビニエンスストア収納代行業務に係る個人情報取扱特記事項（PDF：168KB）</a></li>
<li><a href="/material/files/group/12/tokkijiko_conveni.docx">市税等のコンビニエンスストア収納代行業務に係る個人情報取扱特記事項（Word：41KB）</a></li>
</ul>
<div class="plugin"><p>PDF形式のファイルをご覧いただく場合には、Adobe Acrobat Readerが必要です。お持ちでない方はアドビ株式会社のサイトからダウンロードしてください。</p></div>
<div id="tmp_inquiry">
<h2>このページに関するお問い合わせ</h2>
<p>財務部 収納課 収納管理係<br>〒299-0123　若潮市本町二丁目3番1号<br>電話番号：0436-55-1234　ファクス番号：0436-55-1299<br><a href="/form/inquiry.html?page=20418">お問い合わせフォーム</a></p>
</div>
<div id="tmp_feedback">
<h2>より良いウェブサイトにするためにみなさまのご意見をお聞かせください</h2>
<p>このページの情報は役に立ちましたか？ <label><input type="radio" name="q1">役に立った</label> <label><input type="radio" name="q1">どちらともいえない</label> <label><input type="radio" name="q1">役に立たなかった</label></p>
<p><input type="submit" value="送信"></p>
</div>
</div>
<div id="tmp_lnavi">
<h2>業務委託の特記事項</h2>
<ul>
<li><a href="/jigyosha/nyusatsu/itaku/kojinjoho.html">個人情報取扱特記事項（共通）</a></li>
<li><a href="/jigyosha/nyusatsu/itaku/security.html">情報セキュリティ特記事項（電算業務）</a></li>
<li><a href="/jigyosha/nyusatsu/itaku/conveni.html">市税等のコンビニエンスストア収納代行業務</a></li>
</ul>
</div>
</div>
<p class="pagetop"><a href="#tmp_wrapper">ページの先頭へ戻る</a></p>
<div id="tmp_footer">
<ul><li><a href="/site/policy.html">サイトポリシー</a></li><li><a href="/site/privacy.html">個人情報の取扱い</a></li><li><a href="/site/accessibility.html">ウェブアクセシビリティ方針</a></li><li><a href="/site/link.html">リンク集</a></li></ul>
<address>{muni}役所　〒299-0123　若潮市本町二丁目3番1号　電話番号：0436-55-1111（代表）<br>開庁時間：月曜日から金曜日の午前8時30分から午後5時15分まで（祝日・休日、年末年始を除く）</address>
<p id="tmp_copyright">Copyright &copy; Wakashio City. All Rights Reserved.</p>
</div>
</div>
</body>
</html>
"""


def write_html(doc, path):
    lines = doc["text"].split("\n")
    title = title_of(lines)
    body, items = [], []

    def flush():
        if items:
            body.append("<p>" + "<br>\n".join(items) + "</p>")
            items.clear()
    for ln in lines:
        if ln == title:
            continue
        k = kind(ln)
        if k == "midashi":
            flush()
            body.append('<h3>' + ln + '</h3>')
        elif k == "item":
            # the CMS editor put an article's items in one paragraph, separated by <br>
            items.append("&nbsp;&nbsp;" + ln.replace("　", "&nbsp;", 1))
        else:
            flush()
            body.append("<p>" + ln + "</p>")
    flush()
    fill = dict(title=title, muni=doc["municipality"])
    html = PAGE_TOP.format(**fill) + "\n".join(body) + "\n" + PAGE_BOTTOM.format(**fill)
    open(path, "w", encoding="utf-8").write(html)


# an9: another CMS (a 選挙管理委員会 page): h2 / h3, <ol> whose numbers the browser draws, a table
SENKYO_TOP = """<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>{title} - {muni}ホームページ</title>
<meta name="description" content="{muni}選挙管理委員会が委託する選挙事務の受託者が守る特記事項です。">
<link rel="stylesheet" href="/_themes/site/css/base.css">
<link rel="stylesheet" href="/_themes/site/css/print.css" media="print">
<style>ol.num {{ list-style-type: decimal; }} ol.kana {{ list-style-type: katakana; }}</style>
<script src="/_common/js/jquery.js"></script>
<script src="/_themes/site/js/site.js"></script>
</head>
<body id="page-senkyo-itaku" class="dir-senkyo">
<div id="container">
<header id="pageHeader">
<div id="siteLogo"><a href="/"><img src="/_themes/site/images/logo.svg" alt="{muni}"></a></div>
<nav id="headerNav"><ul>
<li><a href="/about/guide/">はじめての方へ</a></li>
<li><a href="/about/sitemap/">サイトマップ</a></li>
<li><a href="/lang/">Language</a></li>
<li><a href="#" class="yomiage">音声読み上げ</a></li>
</ul></nav>
<div id="headerSearch"><form action="/search/"><input type="text" name="kw" placeholder="キーワードを入力"><button type="submit">検索</button></form></div>
</header>
<nav id="globalNav"><ul>
<li><a href="/life/">暮らし</a></li><li><a href="/health/">健康・福祉</a></li><li><a href="/edu/">教育・文化</a></li><li><a href="/biz/">産業・仕事</a></li><li><a href="/city/">市政</a></li>
</ul></nav>
<div id="breadCrumbs"><ol>
<li><a href="/">トップページ</a></li>
<li><a href="/city/">市政</a></li>
<li><a href="/city/senkyo/">選挙</a></li>
<li><a href="/city/senkyo/jigyosha/">事業者の皆さまへ</a></li>
<li>{title}</li>
</ol></div>
<div id="wrapper">
<main id="main">
<article class="contentPage">
<h1>{title}</h1>
<p class="date">公開日 2024年12月2日　最終更新日 2025年5月20日</p>
<div class="share"><a href="#">Xでポスト</a><a href="#">Facebookでシェア</a><a href="#">印刷する</a></div>
<div class="body">
"""

SENKYO_BOTTOM = """</div>
<div class="attachment">
<h2>添付ファイル</h2>
<ul><li><a href="/uploads/senkyo/tokki_itaku.pdf">選挙事務委託に係る個人情報取扱特記事項（PDF形式、184キロバイト）</a></li></ul>
<p class="adobe">PDFファイルをご覧になるには、Adobe Acrobat Reader（無料）が必要です。</p>
</div>
<div class="inquiry">
<h2>この記事に関するお問い合わせ先</h2>
<p>{muni}選挙管理委員会事務局<br>〒361-8601 {muni}中央一丁目1番1号（市役所本庁舎4階）<br>電話：048-555-2211（直通）　ファックス：048-555-2299<br><a href="/inquiry/form/?id=senkyo">メールフォームによるお問い合わせ</a></p>
</div>
<div class="questionnaire">
<h2>アンケート</h2>
<p>このページの内容は分かりやすかったですか？</p>
<p><label><input type="radio" name="a">分かりやすかった</label><label><input type="radio" name="a">分かりにくかった</label></p>
<p>このページは見つけやすかったですか？</p>
<p><label><input type="radio" name="b">見つけやすかった</label><label><input type="radio" name="b">見つけにくかった</label></p>
<button type="submit">送信する</button>
</div>
</article>
</main>
<aside id="subNav">
<h2>選挙</h2>
<ul>
<li><a href="/city/senkyo/kijitsumae/">期日前投票</a></li>
<li><a href="/city/senkyo/fuzaisha/">不在者投票</a></li>
<li><a href="/city/senkyo/kekka/">選挙結果</a></li>
<li><a href="/city/senkyo/jigyosha/">事業者の皆さまへ</a></li>
</ul>
<h2>よく見られているページ</h2>
<ul><li><a href="/city/senkyo/nyujoken/">投票所入場券が届かないとき</a></li><li><a href="/city/senkyo/tohyojo/">投票所一覧</a></li></ul>
</aside>
</div>
<p id="pageTop"><a href="#container">このページの先頭へ</a></p>
<footer id="pageFooter">
<ul class="footerLinks"><li><a href="/about/policy/">サイトポリシー</a></li><li><a href="/about/privacy/">個人情報保護方針</a></li><li><a href="/about/accessibility/">アクセシビリティ</a></li><li><a href="/about/link/">リンク・著作権</a></li></ul>
<p class="office">{muni}役所　法人番号 1000020112345<br>〒361-8601 {muni}中央一丁目1番1号　電話：048-555-1111（代表）<br>受付時間：午前8時30分から午後5時15分（土曜日・日曜日、祝日、年末年始を除く）</p>
<p class="copyright"><small>&copy; Midorigaoka City.</small></p>
</footer>
</div>
</body>
</html>
"""


def write_html_senkyo(doc, path):
    lines = doc["text"].split("\n")
    title = title_of(lines)
    body, lst, kana, rows = [], [], [], []

    def close_kana():
        if kana:
            lst[-1] += '\n<ol class="kana">\n' + "\n".join("<li>%s</li>" % k for k in kana) + "\n</ol>\n"
            kana.clear()

    def flush():
        close_kana()
        if lst:
            body.append('<ol class="num">\n' + "\n".join("<li>%s</li>" % x for x in lst) + "\n</ol>")
            lst.clear()
        if rows:
            t = ['<table class="tbl">', "<caption>期日前投票所で守る事項</caption>"]
            t.append("<thead><tr>" + "".join('<th scope="col">%s</th>' % c for c in rows[0]) + "</tr></thead><tbody>")
            for r in rows[1:]:
                t.append('<tr><th scope="row">%s</th><td>%s</td></tr>' % tuple(r))
            t.append("</tbody></table>")
            body.append("\n".join(t))
            rows.clear()
    for ln in lines[1:]:
        if "\t" in ln:
            if not rows:
                flush()
            rows.append(ln.split("\t"))
        elif re.match(r"^[0-9]+　\S{1,15}$", ln):
            flush()
            body.append('<h2><span class="num">%s</span>%s</h2>' % tuple(ln.split("　", 1)))
        elif re.match(r"^\([0-9]+\)　\S{1,15}$", ln):
            flush()
            body.append("<h3>%s</h3>" % ln.replace("　", " ", 1))
        elif re.match(r"^[0-9]+\.　", ln):
            close_kana()
            lst.append(ln.split("　", 1)[1])
        elif re.match(r"^[ア-ン]　", ln) and lst:
            kana.append(ln.split("　", 1)[1])
        else:
            flush()
            body.append("<p>%s</p>" % ln)
    flush()
    fill = dict(title=title, muni=doc["municipality"])
    html = SENKYO_TOP.format(**fill) + "\n".join(body) + "\n" + SENKYO_BOTTOM.format(**fill)
    open(path, "w", encoding="utf-8").write(html)


# an12: a third CMS (a 環境部 page): 第N章 as h2, （見出し） as h3, items (1) in an <ol> whose
# parenthesised numbers a CSS counter draws, bare items 「・」 in a <ul>, a side menu and a footer
SODAI_TOP = """<!doctype html>
<html lang="ja" prefix="og: https://ogp.me/ns#">
<head>
<meta charset="utf-8">
<title>{title}｜{muni}公式ウェブサイト</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="{muni}公式ウェブサイト">
<link rel="stylesheet" href="/assets/css/style.css?v=20250401">
<style>
ol.paren {{ list-style: none; counter-reset: item; }}
ol.paren > li {{ counter-increment: item; }}
ol.paren > li::before {{ content: "(" counter(item) ")\\00a0"; }}
ul.nakaguro {{ list-style: none; }}
ul.nakaguro > li::before {{ content: "・"; }}
</style>
<script src="/assets/js/vendor/jquery-3.7.1.min.js" defer></script>
<script src="/assets/js/common.js" defer></script>
</head>
<body class="p-article">
<a class="c-skip" href="#content">メインコンテンツへ移動</a>
<header class="l-header">
<div class="l-header__logo"><a href="/"><img src="/assets/img/common/logo.png" alt="{muni}　ささらがわ　緑と清流のまち"></a></div>
<div class="l-header__tools">
<ul>
<li><a href="/about/site/moji.html">文字サイズ・色合い変更</a></li>
<li><a href="/foreign/">Multilingual</a></li>
<li><a href="/about/site/sitemap.html">サイトマップ</a></li>
</ul>
<form class="l-header__search" action="/search/" method="get"><input type="search" name="q" aria-label="サイト内検索" placeholder="サイト内検索"><button>検索</button></form>
</div>
<nav class="l-gnav" aria-label="グローバルナビゲーション"><ul>
<li><a href="/kurashi/">くらし・環境</a></li>
<li><a href="/kosodate/">子育て・教育</a></li>
<li><a href="/fukushi/">健康・福祉</a></li>
<li><a href="/sangyo/">産業・まちづくり</a></li>
<li><a href="/shisei/">市政・行政</a></li>
<li><a href="/bosai/">防災・安全</a></li>
</ul></nav>
</header>
<nav class="c-breadcrumb" aria-label="現在位置"><ol>
<li><a href="/">ホーム</a></li>
<li><a href="/kurashi/">くらし・環境</a></li>
<li><a href="/kurashi/gomi/">ごみ・リサイクル</a></li>
<li><a href="/kurashi/gomi/jigyosha/">事業者向け情報</a></li>
<li aria-current="page">{title}</li>
</ol></nav>
<div class="l-container">
<main id="content" class="l-main">
<h1 class="c-title">{title}</h1>
<div class="c-meta"><p>ページID：0031782</p><p>更新日：2025年3月28日</p><p><a href="javascript:window.print();">印刷</a></p></div>
<div class="c-lead"><p>{muni}粗大ごみ受付センターの運営業務を受託した事業者に適用する情報セキュリティ特記事項を掲載しています。受託事業者は、センターで働く全ての方に内容を周知してください。</p></div>
<div class="wysiwyg">
"""

SODAI_BOTTOM = """</div>
<section class="c-related">
<h2>関連情報</h2>
<ul>
<li><a href="/kurashi/gomi/sodai/moshikomi.html">粗大ごみの申込み方法</a></li>
<li><a href="/kurashi/gomi/sodai/tesuryo.html">粗大ごみ処理手数料一覧</a></li>
<li><a href="/shisei/keiyaku/itaku/kyotsu.html">業務委託契約の共通仕様</a></li>
</ul>
</section>
<section class="c-file">
<h2>関連ファイル</h2>
<ul><li><a href="/material/files/group/41/sodai_tokki.pdf">特記事項（PDF：203.5KB）</a></li></ul>
<p class="c-file__note">PDFファイルを閲覧するには、Adobe Acrobat Reader（外部リンク）が必要です。</p>
</section>
<section class="c-contact">
<h2>お問い合わせ</h2>
<p>環境部 ごみ減量推進課 収集計画係<br>〒418-0512　{muni}本郷町4丁目7番地　市役所西庁舎2階<br>電話：0544-66-3021　ファックス：0544-66-3099<br><a href="/contact/form.html?id=gomi">メールでのお問い合わせはこちら</a></p>
</section>
<section class="c-enquete">
<h2>このページに関するアンケート</h2>
<p>情報は役に立ちましたか？</p>
<p><label><input type="radio" name="e1">役に立った</label><label><input type="radio" name="e1">ふつう</label><label><input type="radio" name="e1">役に立たなかった</label></p>
<p>※いただいたご意見への個別の回答はいたしません。</p>
<button type="submit">送信</button>
</section>
</main>
<aside class="l-side">
<nav class="l-side__nav" aria-label="ローカルナビゲーション">
<h2><a href="/kurashi/gomi/jigyosha/">事業者向け情報</a></h2>
<ul>
<li><a href="/kurashi/gomi/jigyosha/kyoka.html">一般廃棄物処理業の許可</a></li>
<li><a href="/kurashi/gomi/jigyosha/jigyokei.html">事業系ごみの出し方</a></li>
<li><a href="/kurashi/gomi/jigyosha/sodai_tokki.html" aria-current="page">粗大ごみ受付センター運営業務の特記事項</a></li>
</ul>
</nav>
<div class="l-side__banner"><a href="/kurashi/gomi/app.html"><img src="/assets/img/banner/gomiapp.png" alt="ごみ分別アプリ「ささらごみナビ」"></a></div>
</aside>
</div>
<div class="c-pagetop"><a href="#top">ページの先頭へ</a></div>
<footer class="l-footer">
<div class="l-footer__info">
<p class="l-footer__name">{muni}役所</p>
<p>〒418-0500　{muni}本郷町4丁目1番地<br>電話：0544-66-1111（代表）　法人番号：9000020229871</p>
<p>開庁時間：月曜日から金曜日　午前8時30分から午後5時15分（祝日・休日及び12月29日から1月3日までを除く）</p>
</div>
<ul class="l-footer__links"><li><a href="/about/site/policy.html">ウェブサイトの考え方</a></li><li><a href="/about/site/privacy.html">個人情報の取扱いについて</a></li><li><a href="/about/site/accessibility.html">ウェブアクセシビリティ</a></li><li><a href="/about/site/link.html">リンク・著作権・免責事項</a></li></ul>
<p class="l-footer__copy"><small>Copyright &copy; Sasaragawa City All Rights Reserved.</small></p>
</footer>
</body>
</html>
"""


def write_html_sodai(doc, path):
    lines = doc["text"].split("\n")
    title = title_of(lines)
    body, lst = [], []
    tag = None

    def flush():
        nonlocal tag
        if lst:
            cls = "paren" if tag == "ol" else "nakaguro"
            body.append('<%s class="%s">\n%s\n</%s>' % (tag, cls, "\n".join("<li>%s</li>" % x for x in lst), tag))
            lst.clear()
        tag = None
    for ln in lines[1:]:
        m = re.match(r"^\(([0-9]+)\)　(.*)$", ln)
        if re.match(r"^第[０-９]+章　", ln):
            flush()
            body.append("<h2>%s</h2>" % ln)
        elif kind(ln) == "midashi":
            flush()
            body.append("<h3>%s</h3>" % ln)
        elif m or ln.startswith("・"):
            t = "ol" if m else "ul"
            if tag != t:
                flush()
                tag = t
            lst.append(m.group(2) if m else ln[1:])
        else:
            flush()
            body.append("<p>%s</p>" % ln)
    flush()
    fill = dict(title=title, muni=doc["municipality"])
    html = SODAI_TOP.format(**fill) + "\n".join(body) + "\n" + SODAI_BOTTOM.format(**fill)
    open(path, "w", encoding="utf-8").write(html)


# ------------------------------------------------------------------ an13-an15 (texts_blind4.py)
# lines of an13/an14 that follow a lead-in like this and carry no number are its bare items
LEAD_BARE = re.compile(r"次に掲げる行為をしてはならない。$")
CIRCLED = re.compile(r"^[\u2460-\u2473]　")

# an14: Word's own automatic numbering (one multilevel list: 1. / (1) / ①); the numbers are not in
# the paragraphs' text, Word draws them from numbering.xml
AUTONUM_ID = 90
AUTONUM_ABSTRACT = (
    '<w:abstractNum %s w:abstractNumId="90">'
    '<w:nsid w:val="5A3C1E90"/><w:multiLevelType w:val="multilevel"/><w:tmpl w:val="0409001F"/>'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%%1."/>'
    '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="420" w:hanging="420"/></w:pPr>'
    '<w:rPr><w:rFonts w:ascii="Century" w:eastAsia="ＭＳ 明朝" w:hAnsi="Century"/><w:b/></w:rPr></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="(%%2)"/>'
    '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="840" w:hanging="420"/></w:pPr></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimalEnclosedCircle"/><w:lvlText w:val="%%3"/>'
    '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="1260" w:hanging="420"/></w:pPr></w:lvl>'
    '</w:abstractNum>' % nsdecls("w"))
AUTONUM_NUM = '<w:num %s w:numId="90"><w:abstractNumId w:val="90"/></w:num>' % nsdecls("w")
AUTONUM_LINE = ((re.compile(r"^[0-9]+\.　"), 0), (re.compile(r"^\([0-9]+\)　"), 1), (CIRCLED, 2))


def add_autonum(d):
    numbering = d.part.numbering_part.element
    first_num = numbering.find(qn("w:num"))
    absn = parse_xml(AUTONUM_ABSTRACT)
    if first_num is not None:
        first_num.addprevious(absn)
    else:
        numbering.append(absn)
    numbering.append(parse_xml(AUTONUM_NUM))


def set_num(p, ilvl, num_id=AUTONUM_ID):
    num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = num_id


def write_word_autonum(doc, path):
    lines = doc["text"].split("\n")
    d = base_doc(author=doc.get("author", ""))
    furniture(d, doc.get("header"), doc.get("footer"))
    add_autonum(d)
    title = title_of(lines)
    in_form = False
    bare = None  # the list level of the lead-in whose bare items follow
    for ln in lines:
        if FORM_START.match(ln):
            in_form = True
            d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        if in_form:
            p = d.add_paragraph(ln)
            if ln.startswith("年"):
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            elif re.fullmatch(r"(.　)+.", ln):
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                for r in p.runs:
                    r.font.size = Pt(14)
            elif re.match(r"^(住所|氏名)", ln):
                p.paragraph_format.left_indent = Mm(80)
            p.paragraph_format.space_after = Pt(8)
            continue
        if ln == title:
            p = d.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.space_after = Pt(14)
            r = p.add_run(ln)
            r.font.size = Pt(13)
            r.bold = True
            continue
        level = None
        for rx, lvl in AUTONUM_LINE:
            m = rx.match(ln)
            if m:
                level, text = lvl, ln[m.end():]
                break
        if level is not None:
            p = d.add_paragraph(text)
            set_num(p, level)
            if level == 0:
                p.paragraph_format.space_before = Pt(8)
                for r in p.runs:
                    r.bold = True
            bare = level if LEAD_BARE.search(text) else None
            continue
        p = d.add_paragraph(ln)
        if bare is not None:
            indent(p, 2 * (bare + 1) + 1, 0)
        else:
            indent(p, 2, 1)
    d.save(path)


# an13: a fourth CMS (a 企画部 page on ふるさと納税): 第N条（見出し） as h3 over the article's <p>,
# items ① in an <ol> whose circled numbers a CSS @counter-style draws, bare items in an unmarked <ul>
FURUSATO_TOP = """<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{title} | {muni}</title>
<meta name="keywords" content="ふるさと納税,事業者,特記事項,{muni}">
<link rel="stylesheet" href="/css/reset.css">
<link rel="stylesheet" href="/css/layout.css">
<style>
@counter-style maru {{ system: fixed; symbols: "①" "②" "③" "④" "⑤" "⑥" "⑦" "⑧" "⑨" "⑩"; suffix: "　"; }}
.article ol.maru {{ list-style: maru; padding-left: 2em; }}
.article ul.plain {{ list-style: none; padding-left: 2em; }}
.article h3 {{ border-left: 4px solid #c0392b; padding-left: .5em; }}
</style>
<script src="/js/jquery-3.6.0.min.js"></script>
<script src="/js/common.js"></script>
<!-- Google tag (gtag.js) -->
<script async src="https://www.googletagmanager.com/gtag/js?id=G-XXXXXXX"></script>
</head>
<body>
<div id="wrap">
<header id="header">
<div class="header-inner">
<h2 class="logo"><a href="/"><img src="/img/logo.png" alt="{muni}"></a></h2>
<ul class="header-menu">
<li><a href="/kurashi/">くらしの情報</a></li>
<li><a href="/kanko/">観光・イベント</a></li>
<li><a href="/furusato/">ふるさと納税</a></li>
<li><a href="/jigyosha/">事業者の方</a></li>
<li><a href="/gyosei/">市政・行政</a></li>
</ul>
<div class="header-sub"><a href="/lang/en/">English</a> | <a href="/sitemap/">サイトマップ</a> | <a href="/contact/">お問い合わせ</a></div>
<form class="search" action="/search/"><input type="text" name="q" placeholder="何をお探しですか"><input type="submit" value="検索"></form>
</div>
</header>
<div class="topicpath"><a href="/">トップページ</a> ＞ <a href="/jigyosha/">事業者の方</a> ＞ <a href="/jigyosha/furusato/">ふるさと納税の返礼品事業者・委託事業者の皆さまへ</a> ＞ {title}</div>
<div id="main">
<div id="content">
<div class="article">
<h1>{title}</h1>
<p class="date">掲載日：2025年2月10日更新</p>
<div class="box-notice"><p>このページは、{muni}ふるさと納税業務を受託する事業者向けのページです。寄附をお考えの方は<a href="/furusato/">ふるさと納税のページ</a>をご覧ください。</p></div>
"""

FURUSATO_BOTTOM = """<h2>関連ファイル</h2>
<ul class="files">
<li><a href="/uploaded/attachment/8812.pdf">ふるさと納税業務委託に係る個人情報取扱特記事項 [PDFファイル／156KB]</a></li>
<li><a href="/uploaded/attachment/8813.xlsx">体制表（記入例） [Excelファイル／18KB]</a></li>
</ul>
<div class="inquiry">
<h2>このページに関するお問い合わせ先</h2>
<p>企画部 シティプロモーション課 ふるさと納税推進係</p>
<p>〒389-2201 {muni}大手町1丁目2番3号 本庁舎3階<br>Tel：0269-44-5120　Fax：0269-44-5199</p>
<p><a href="/contact/form/?section=furusato">お問い合わせフォーム</a></p>
</div>
<div class="rating">
<p>このページの情報は役に立ちましたか？</p>
<form action="/rating/"><label><input type="radio" name="r" value="1">はい</label><label><input type="radio" name="r" value="0">いいえ</label><input type="submit" value="送信"></form>
</div>
</div>
</div>
<div id="side">
<div class="side-menu">
<h2>ふるさと納税（事業者向け）</h2>
<ul>
<li><a href="/jigyosha/furusato/boshu.html">返礼品の募集</a></li>
<li><a href="/jigyosha/furusato/kijun.html">返礼品の基準</a></li>
<li><a href="/jigyosha/furusato/tokki.html">業務委託の特記事項</a></li>
<li><a href="/jigyosha/furusato/faq.html">よくある質問</a></li>
</ul>
</div>
<div class="side-banner"><a href="/furusato/"><img src="/img/bnr_furusato.jpg" alt="{muni}ふるさと納税　山の恵み、水の恵み"></a></div>
</div>
</div>
<p class="pagetop"><a href="#wrap">▲ページの先頭へ</a></p>
<footer id="footer">
<p class="footer-name">{muni}役所</p>
<p>〒389-2201 {muni}大手町1丁目2番3号　代表電話：0269-44-1111<br>開庁時間：平日 8時30分～17時15分</p>
<ul class="footer-links"><li><a href="/about/privacy.html">個人情報保護</a></li><li><a href="/about/policy.html">サイトポリシー</a></li><li><a href="/about/accessibility.html">アクセシビリティ</a></li></ul>
<p class="copyright">&copy; {muni} All Rights Reserved.</p>
</footer>
</div>
</body>
</html>
"""


def write_html_furusato(doc, path):
    lines = doc["text"].split("\n")
    title = title_of(lines)
    body, lst = [], []
    tag = None
    bare = False

    def flush():
        nonlocal tag
        if lst:
            cls = "maru" if tag == "ol" else "plain"
            body.append('<%s class="%s">\n%s\n</%s>' % (tag, cls, "\n".join("<li>%s</li>" % x for x in lst), tag))
            lst.clear()
        tag = None
    for ln in lines[1:]:
        if re.match(r"^第[0-9]+条（[^）]+）$", ln):
            flush()
            bare = False
            body.append("<h3>%s</h3>" % ln)
        elif CIRCLED.match(ln) or bare and not re.match(r"^[0-9]+　", ln):
            t = "ol" if CIRCLED.match(ln) else "ul"
            if tag != t:
                flush()
                tag = t
            lst.append(ln[2:] if t == "ol" else ln)
        else:
            flush()
            bare = bool(LEAD_BARE.search(ln))
            body.append("<p>%s</p>" % ln)
    flush()
    fill = dict(title=title, muni=doc["municipality"])
    html = FURUSATO_TOP.format(**fill) + "\n".join(body) + "\n" + FURUSATO_BOTTOM.format(**fill)
    open(path, "w", encoding="utf-8").write(html)


# ------------------------------------------------------------------ an16-an18 (texts_blind5.py)
def kind_kanji(line):
    """an16: items numbered in kanji numerals 「一　」 as laws number them, the rest as kind()."""
    if re.match(r"^[一二三四五六七八九十]+　", line):
        return "item"
    return kind(line)


def kind_zendot(line):
    """an17: sections 「１．　目的」 (full-width number and point) are headings, the rest as kind()."""
    if re.match(r"^[０-９]+．　\S{1,20}$", line):
        return "sechead"
    return kind(line)


def write_word_footer_text(doc, path, **kw):
    """write_word, then a second footer line with the section's name under the page number."""
    write_word(doc, path, **kw)
    d = docx.Document(path)
    p = d.sections[0].footer.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p.add_run(doc["footer_text"]).font.size = Pt(8)
    d.core_properties.modified = datetime.datetime(2025, 3, 14, 10, 0)
    d.save(path)


def write_txt_sjis(doc, path, cols=76, page_lines=40):
    """A city's old system's text export: Shift_JIS (cp932), CRLF, every line wrapped at about 38
    full-width characters (no 禁則), the title indented, a form feed and 「- N -」 between pages."""
    lines = doc["text"].split("\n")
    title = title_of(lines)
    out = ["　　　" + title, ""]
    for ln in lines[1:]:
        cur = ""
        for ch in ln:
            if text_width(cur + ch) > cols:
                out.append(cur)
                cur = ""
            cur += ch
        out.append(cur)
    pages = [out[i:i + page_lines] for i in range(0, len(out), page_lines)]
    body = []
    for n, page in enumerate(pages, 1):
        body += page
        body += ["", " " * 34 + "- %d -" % n]
        if n < len(pages):
            body.append("\f")
    text = "\r\n".join(body).replace("\f\r\n", "\f") + "\r\n"
    with open(path, "wb") as f:
        f.write(text.encode("cp932"))


# ------------------------------------------------------------------ an19-an21 (texts_blind6.py)
# an21: a fifth CMS (a 財務部 page): sections 「一　総則」 as h2, clauses （１） typed in <p>, items イ
# in an <ol> whose iroha markers the browser draws (list-style-type: katakana-iroha, so the イ is not
# in the page's text), bare items after a lead-in 「次に掲げる行為をしてはならない。」 in an unmarked <ul>
NOZEI_TOP = """<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}／{muni}</title>
<meta name="description" content="{muni}が委託する市税納付案内コールセンター業務の受託者が遵守する特記事項">
<link rel="stylesheet" href="/shared/style/default.css">
<link rel="stylesheet" href="/shared/style/layout.css">
<style>
.mol_contents ol.iroha {{ list-style-type: katakana-iroha; padding-left: 3em; }}
.mol_contents ul.bare {{ list-style: none; padding-left: 2em; }}
.mol_contents h2 {{ background: #e8f0e4; padding: .3em .6em; }}
</style>
<script src="/shared/js/jquery.js"></script>
<script src="/shared/js/setting.js"></script>
</head>
<body class="format_free no_javascript">
<div id="tmp_wrapper">
<noscript><p>このサイトではJavaScriptを使用したコンテンツ・機能を提供しています。JavaScriptを有効にするとご利用いただけます。</p></noscript>
<p><a href="#tmp_honbun" class="skip">本文へスキップします。</a></p>
<div id="tmp_header">
<div id="tmp_hlogo"><p><a href="/"><span>{muni}</span></a></p></div>
<div id="tmp_means">
<ul>
<li><a href="/moji.html">文字サイズ・色合いの変更</a></li>
<li><a href="/foreign/">Foreign Language</a></li>
<li><a href="/sitemap.html">サイトマップ</a></li>
</ul>
<form action="/search/result.html" id="tmp_gsearch"><label for="tmp_query">サイト内検索</label><input id="tmp_query" name="q" size="31" type="text"><input type="submit" value="検索"></form>
</div>
</div>
<div id="tmp_gnavi">
<ul>
<li><a href="/kurashi/">くらし・手続き</a></li>
<li><a href="/kosodate/">子育て・教育</a></li>
<li><a href="/kenko/">健康・福祉</a></li>
<li><a href="/zei/">税金</a></li>
<li><a href="/shisei/">市政情報</a></li>
<li><a href="/jigyosha/">事業者向け</a></li>
</ul>
</div>
<div id="tmp_pankuzu">
<p><a href="/">ホーム</a> &gt; <a href="/jigyosha/">事業者向け</a> &gt; <a href="/jigyosha/keiyaku/">入札・契約</a> &gt; <a href="/jigyosha/keiyaku/itaku/">業務委託の仕様書・特記事項</a> &gt; {title}</p>
</div>
<div id="tmp_wrap_main" class="column_lnavi">
<div id="tmp_main">
<div class="wrap_col_main">
<div class="col_main">
<p id="tmp_honbun" class="skip">ここから本文です。</p>
<div id="tmp_contents">
<div class="mol_contents">
<h1>{title}</h1>
<p class="update">更新日：2025年4月1日</p>
<p>市税納付案内コールセンター業務（令和7年度から令和9年度）の受託者に適用する特記事項です。仕様書とあわせてご確認ください。</p>
"""

NOZEI_BOTTOM = """<h2>ダウンロード</h2>
<ul class="objectlink">
<li class="pdf"><a href="/material/files/group/9/nofu_callcenter_tokki.pdf">市税納付案内コールセンター業務委託に係る個人情報取扱特記事項（PDF：142KB）</a></li>
<li class="pdf"><a href="/material/files/group/9/nofu_callcenter_shiyo.pdf">市税納付案内コールセンター業務委託仕様書（PDF：388KB）</a></li>
</ul>
<div class="plugin">
<p class="plugin_img"><a href="https://get.adobe.com/jp/reader/"><img alt="Adobe Acrobat Readerのダウンロードページへ" height="39" src="/images/get_adobe_reader.png" width="158"></a></p>
<p>PDF形式のファイルをご覧いただく場合には、Adobe社が提供するAdobe Acrobat Readerが必要です。</p>
</div>
</div>
<div id="tmp_inquiry">
<div id="tmp_inquiry_ttl"><p>このページに関するお問い合わせ</p></div>
<div id="tmp_inquiry_cnt">
<p>財務部納税課収納対策係</p>
<p>〒377-0891　{muni}錦町3丁目5番1号　市役所本庁舎1階</p>
<p>電話番号：0279-36-4105</p>
<p>ファクス番号：0279-36-4199</p>
<p class="inquiry_btn"><a href="/cgi-bin/inquiry.php/11?page_no=4217">お問い合わせフォーム</a></p>
</div>
</div>
<div id="tmp_feedback">
<p>より良いウェブサイトにするためにみなさまのご意見をお聞かせください</p>
<p>このページの情報は役に立ちましたか？ <label><input type="radio" name="fb1">役に立った</label> <label><input type="radio" name="fb1">ふつう</label> <label><input type="radio" name="fb1">役に立たなかった</label></p>
<p>このページの情報は見つけやすかったですか？ <label><input type="radio" name="fb2">見つけやすかった</label> <label><input type="radio" name="fb2">ふつう</label> <label><input type="radio" name="fb2">見つけにくかった</label></p>
<p><input type="submit" value="送信"></p>
</div>
</div>
</div>
</div>
<div class="wrap_col_lft_navi">
<div class="col_lft_navi">
<div id="tmp_lnavi">
<div id="tmp_lnavi_ttl"><p><a href="/jigyosha/keiyaku/itaku/">業務委託の仕様書・特記事項</a></p></div>
<div id="tmp_lnavi_cnt">
<ul>
<li><a href="/jigyosha/keiyaku/itaku/kyotsu_tokki.html">個人情報取扱特記事項（共通）</a></li>
<li><a href="/jigyosha/keiyaku/itaku/densan_tokki.html">電子計算機処理業務委託の特記事項</a></li>
<li><a href="/jigyosha/keiyaku/itaku/nofu_callcenter.html">市税納付案内コールセンター業務委託</a></li>
<li><a href="/jigyosha/keiyaku/itaku/tsuchi_insatsu.html">税務通知書の印刷・封入封かん業務委託</a></li>
</ul>
</div>
</div>
</div>
</div>
</div>
</div>
<div id="tmp_footer">
<div class="footer_cnt">
<ul class="footer_link">
<li><a href="/about/site.html">このサイトについて</a></li>
<li><a href="/about/privacy.html">個人情報の取り扱い</a></li>
<li><a href="/about/accessibility.html">アクセシビリティ方針</a></li>
<li><a href="/about/link.html">リンク・著作権・免責事項</a></li>
</ul>
<address><span class="name">{muni}役所</span>　〒377-0891　{muni}錦町3丁目5番1号　電話番号：0279-36-1111（代表）<br>開庁時間：月曜日から金曜日の午前8時30分から午後5時15分（祝日・休日及び年末年始を除く）</address>
</div>
<p lang="en" class="copyright">Copyright &copy; Kaedegawa City. All rights reserved.</p>
</div>
</div>
</body>
</html>
"""

KANJI_SECTION = re.compile(r"^[一二三四五六七八九十]+　\S{1,15}$")
IROHA = re.compile(r"^[イロハニホヘト]　")


def write_html_nozei(doc, path):
    lines = doc["text"].split("\n")
    title = title_of(lines)
    body, lst = [], []
    tag = None
    bare = False

    def flush():
        nonlocal tag
        if lst:
            cls = "iroha" if tag == "ol" else "bare"
            body.append('<%s class="%s">\n%s\n</%s>' % (tag, cls, "\n".join("<li>%s</li>" % x for x in lst), tag))
            lst.clear()
        tag = None
    for ln in lines[1:]:
        if KANJI_SECTION.match(ln):
            flush()
            bare = False
            body.append("<h2>%s</h2>" % ln)
        elif IROHA.match(ln) or bare and not re.match(r"^（[０-９]+）", ln):
            t = "ol" if IROHA.match(ln) else "ul"
            if tag != t:
                flush()
                tag = t
            lst.append(ln[2:] if t == "ol" else ln)
        else:
            flush()
            bare = bool(LEAD_BARE.search(ln))
            body.append("<p>%s</p>" % ln)
    flush()
    fill = dict(title=title, muni=doc["municipality"])
    html = NOZEI_TOP.format(**fill) + "\n".join(body) + "\n" + NOZEI_BOTTOM.format(**fill)
    open(path, "w", encoding="utf-8").write(html)


# ------------------------------------------------------------------ main
def main():
    work = tempfile.mkdtemp(prefix="anbuild_")
    manifest = []
    try:
        for doc in DOCS:
            lines = doc["text"].split("\n")
            title = title_of(lines)
            out = os.path.join(HERE, doc["file"])
            open(os.path.join(HERE, doc["slug"] + ".source.txt"), "w", encoding="utf-8").write(doc["text"] + "\n")
            fmt = doc["fmt"]
            if fmt == "pdf":
                dx = os.path.join(work, doc["slug"] + ".docx")
                (doc.get("writer") or write_word)(doc, dx)
                shutil.copy(soffice_pdf(dx, work), out)
            elif fmt == "docx":
                (doc.get("writer") or write_word)(doc, out)
            elif fmt == "html":
                (doc.get("writer") or write_html)(doc, out)
            elif fmt == "txt":
                doc["writer"](doc, out)
            manifest.append({"file": doc["file"], "slug": doc["slug"], "municipality": doc["municipality"],
                             "title": title})
            print("built", doc["file"])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    with open(os.path.join(HERE, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
