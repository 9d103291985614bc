#!/usr/bin/env python3
"""Build corpus3 from docs_def.py.

Shared pieces (text normalising, wrapping rules, python-docx base document, LibreOffice and
pdftotext calls, the question word heuristic) come from the development corpus's builder
../shared/corpus/build.py (loaded from the project root, or the main worktree's in a git
worktree); the scorer's is_junk from ../shared/corpus/score.py.  The six writers of the harder
layouts are here.

Writes, next to this file: doc1.docx, doc2.pdf, doc3.html, doc4.txt, doc5.pdf, doc6.docx,
docN.source.txt, gold.jsonl and questions.jsonl, then checks fragments, questions, artifacts and
that the scorer counts the furniture as junk.  Exits 1 on any problem.

    /work/main/.venv/bin/python tests/data/corpus3/build.py [--keep-build]   # a Python with python-docx

Needs python-docx, LibreOffice (`soffice`, fonts-ipafont-mincho) and poppler (`pdftotext`).
"""
import importlib.util, json, os, re, shutil, subprocess, sys, tempfile, unicodedata, zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]


def shared_corpus():
    cands = [ROOT.parent / "shared" / "corpus"]
    try:
        common = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--git-common-dir"],
                                capture_output=True, text=True).stdout.strip()
        if common:
            cands.append((ROOT / common).resolve().parent.parent / "shared" / "corpus")
    except OSError:
        pass
    for c in cands:
        if (c / "build.py").exists() and (c / "score.py").exists():
            return c
    raise SystemExit(f"../shared/corpus not found (looked in {', '.join(map(str, cands))})")


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


SHARED = shared_corpus()
B = load("corpus_build", SHARED / "build.py")
S = load("corpus_score", SHARED / "score.py")
DOCS = load("corpus3_docs", HERE / "docs_def.py").DOCS
norm, clean = B.norm, B.clean
FW = str.maketrans("0123456789", "０１２３４５６７８９")
PB, TA, RULE = 'w:type="page"', 'type="a"', '<div class="rule">'
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


# ============================================================================ definitions
def parse(doc):
    els = []
    for raw in doc["text"].strip("\n").split("\n"):
        if not raw.strip():
            continue
        kind, _, rest = raw.partition(":")
        if kind in ("U", "R"):
            label, marker, text = rest.split("|", 2)
            els.append(dict(kind=kind, label=label, marker=marker, text=text, extra=[]))
        elif kind == "Q":
            label, q = rest.split("|", 1)
            els.append(dict(kind="Q", label=label, q=q))
        elif kind in ("BUL", "BOX"):
            owner = next(e for e in reversed(els) if e["kind"] in ("U", "R"))
            e = dict(kind=kind, text=rest, owner=owner["label"])
            owner["extra"].append(e)
            els.append(e)
        else:
            assert kind in ("B", "T", "P", "H", "CH", "TH", "SIG", "F", "X", "O"), raw
            els.append(dict(kind=kind, text=rest))
    return els


def units(els):
    return [e for e in els if e["kind"] in ("U", "R")]


def unit_text(u):
    return clean(u["text"] + "".join(x["text"] for x in u["extra"]))


def rendered_markers(doc, els):
    """The number a reader sees in front of each unit (Word or the browser draws some)."""
    out, art, para, item = {}, 0, 1, 0
    ol = [0, 0]
    for e in els:
        if e["kind"] == "H":
            ol = [0, 0]
        if e["kind"] != "U":
            continue
        mk = e["marker"]
        if mk == "auto:art":
            art, para, item = art + 1, 1, 0
            out[e["label"]] = f"第{art}条".translate(FW)
        elif mk == "auto:para":
            para, item = para + 1, 0
            out[e["label"]] = str(para).translate(FW)
        elif mk == "auto:item":
            item += 1
            out[e["label"]] = f"（{item}）".translate(FW)
        elif mk == "1.":
            ol = [ol[0] + 1, 0]
            out[e["label"]] = f"{ol[0]}."
        elif mk == "a":
            ol[1] += 1
            out[e["label"]] = "abcdefgh"[ol[1] - 1] + "."
        elif mk == "S":
            out[e["label"]] = ""
        else:
            out[e["label"]] = mk
    return out


ART = re.compile(r"^(第\d+条?)(第\d+項)?(第\d+号)?(.*)$")


def label_alts(doc, els):
    us = units(els)
    alts = {u["label"]: [] for u in us}
    if doc["style"] in ("article", "dai"):
        by_art = {}
        for u in us:
            m = ART.match(u["label"])
            if m:
                by_art.setdefault(m.group(1), []).append((u, m))
        for art, members in by_art.items():
            if any(m.group(3) for _, m in members) and not any(m.group(2) for _, m in members):
                for u, m in members:
                    alts[u["label"]].append(art + "第1項" + (m.group(3) or "") + m.group(4))
        head = None
        for e in els:                     # 第２　定義 with its body right under it: also "第2 定義"
            if e["kind"] == "H":
                head = e["text"]
            elif e["kind"] == "U" and doc["style"] == "dai" and not e["marker"]:
                alts[e["label"]].append(e["label"] + " " + head.split("　", 1)[1])
    for u in us:
        lab = u["label"]
        m = re.fullmatch(r"別表(\d+)", lab)
        if m:
            alts[lab] += [f"別表第{m.group(1)}号", f"別表({m.group(1)})", f"別表の{m.group(1)}", f"別表{m.group(1)}の項"]
        m = re.fullmatch(r"附則第(\d+)項", lab)
        if m:
            alts[lab] += [f"附則{m.group(1)}", f"附則({m.group(1)})"]
        if doc["style"] == "webol":
            m = re.fullmatch(r"(\d+)\((\d+)\)([a-z]?)", lab)
            if m:
                s, i, a = m.groups()
                if a:
                    alts[lab] += [f"{s}({i})({a})", f"{s}.{i}.{a}", f"{s}-{i}-{a}", f"{s}.{i}({a})"]
                else:
                    alts[lab] += [f"{s}.{i}", f"{s}-{i}"]
    return {k: v for k, v in alts.items() if v}


def source_text(doc, els):
    rm = rendered_markers(doc, els)
    lines = []
    for e in els:
        k = e["kind"]
        if k in ("B", "P", "H", "CH"):
            lines.append(clean(e["text"]))
        elif k == "T":
            lines += [e["text"], ""]
        elif k == "TH":
            head, *cols = e["text"].split("|")
            lines += [head, "　".join(cols)]
        elif k in ("U", "R"):
            mk = rm.get(e["label"], e["marker"]) if k == "U" else e["marker"]
            body = clean(e["text"])
            lines.append(mk + "　" + body if mk else body)
        elif k == "BUL":
            lines.append("・" + clean(e["text"]))
        elif k == "BOX":
            lines.append(clean(e["text"]))
        elif k == "SIG":
            lines.append("　".join(x.strip("　") for x in e["text"].split("|")))
        elif k == "F":
            lines.append(e["text"])
        elif k == "X":
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# ============================================================================ Word helpers
def para_fmt(p, size, left, first, justify=False):
    from docx.shared import Pt
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    p.paragraph_format.left_indent = Pt(size * left)
    p.paragraph_format.first_line_indent = Pt(size * first)
    if justify:
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY


def title_par(d, text):
    from docx.shared import Pt
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_before = Pt(6)
    p.paragraph_format.space_after = Pt(14)
    r = p.add_run(text)
    r.font.size = Pt(14)
    r.bold = True


STYLE_NUMBERING = """<w:abstractNum xmlns:w="{W}" w:abstractNumId="{aid}">
<w:nsid w:val="5A1C3E07"/><w:multiLevelType w:val="multilevel"/><w:tmpl w:val="1B2C3D4E"/>
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimalFullWidth"/><w:pStyle w:val="JobunArticle"/><w:lvlText w:val="第%1条"/><w:lvlJc w:val="left"/><w:suff w:val="space"/><w:pPr><w:ind w:left="210" w:hanging="210"/></w:pPr></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="2"/><w:numFmt w:val="decimalFullWidth"/><w:lvlText w:val="%2"/><w:lvlJc w:val="left"/><w:suff w:val="space"/><w:pPr><w:ind w:left="210" w:hanging="210"/></w:pPr></w:lvl>
<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimalFullWidth"/><w:lvlText w:val="（%3）"/><w:lvlJc w:val="left"/><w:suff w:val="nothing"/><w:pPr><w:ind w:left="630" w:hanging="420"/></w:pPr></w:lvl>
<w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="aiueoFullWidth"/><w:lvlText w:val="%4"/><w:lvlJc w:val="left"/><w:suff w:val="space"/><w:pPr><w:ind w:left="840" w:hanging="210"/></w:pPr></w:lvl>
</w:abstractNum>"""


def write_docx_style_num(doc, els, path):
    """第%1条 from the paragraph style 「条文」 (style-linked list level), ２ and （１） from w:numPr
    on the paragraph, headings in the style 「条見出し」 (based on Heading 4)."""
    from docx.shared import Pt, RGBColor
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import parse_xml, OxmlElement
    from docx.oxml.ns import qn
    d = B.docx_base(doc["opts"])
    numbering = d.part.numbering_part.element
    used = [int(v) for v in re.findall(r'w:(?:abstractNumId|numId)="(\d+)"', numbering.xml)]
    aid = max(used + [0]) + 1
    absn = parse_xml(STYLE_NUMBERING.format(W=W, aid=aid))
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(absn)
    else:
        numbering.append(absn)
    numbering.append(parse_xml(f'<w:num xmlns:w="{W}" w:numId="{aid}"><w:abstractNumId w:val="{aid}"/></w:num>'))
    art = d.styles.add_style("条文", WD_STYLE_TYPE.PARAGRAPH)
    art.base_style = d.styles["Normal"]
    art.element.set(qn("w:styleId"), "JobunArticle")
    ppr = art.element.get_or_add_pPr()
    npr = parse_xml(f'<w:numPr xmlns:w="{W}"><w:numId w:val="{aid}"/></w:numPr>')
    ppr.insert(0, npr)
    head = d.styles.add_style("条見出し", WD_STYLE_TYPE.PARAGRAPH)
    head.base_style = d.styles["Heading 4"]
    head.element.set(qn("w:styleId"), "JobunHeading")
    head.font.size = Pt(10.5)
    head.font.bold = False
    head.font.italic = False
    head.font.color.rgb = RGBColor(0, 0, 0)
    head.font.name = "Century"
    head.element.get_or_add_rPr().find(qn("w:rFonts")).set(qn("w:eastAsia"), "ＭＳ 明朝")
    head.paragraph_format.left_indent = Pt(10.5)
    head.paragraph_format.space_before = Pt(6)
    head.paragraph_format.space_after = Pt(0)
    level = {"auto:para": 1, "auto:item": 2}
    for e in els:
        k = e["kind"]
        if k == "T":
            title_par(d, e["text"])
        elif k == "H":
            d.add_paragraph(e["text"], style=head)
        elif k == "U":
            if e["marker"] == "auto:art":
                d.add_paragraph(clean(e["text"]), style=art)
                continue
            p = d.add_paragraph(clean(e["text"]))
            numpr = OxmlElement("w:numPr")
            il = OxmlElement("w:ilvl")
            il.set(qn("w:val"), str(level[e["marker"]]))
            ni = OxmlElement("w:numId")
            ni.set(qn("w:val"), str(aid))
            numpr.append(il)
            numpr.append(ni)
            p._p.get_or_add_pPr().insert(0, numpr)
    d.save(path)


def textbox_run(text):
    """A Word 2010+ text box: DrawingML (wps) with its VML fallback, as Word saves it; the text
    is in document.xml twice, once in each branch."""
    from docx.oxml import parse_xml
    t = clean(text)
    body = (f'<w:p><w:pPr><w:spacing w:after="0"/></w:pPr><w:r><w:rPr><w:sz w:val="20"/></w:rPr>'
            f'<w:t xml:space="preserve">{t}</w:t></w:r></w:p>')
    xml = f'''<w:r xmlns:w="{W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
 xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
 xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
 xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"
 xmlns:w10="urn:schemas-microsoft-com:office:word">
<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>
<wp:anchor distT="45720" distB="45720" distL="114300" distR="114300" simplePos="0" relativeHeight="251659264" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">
<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>1800000</wp:posOffset></wp:positionH>
<wp:positionV relativeFrom="paragraph"><wp:posOffset>360000</wp:posOffset></wp:positionV>
<wp:extent cx="3600000" cy="540000"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/>
<wp:docPr id="1" name="テキスト ボックス 1"/><wp:cNvGraphicFramePr/>
<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="3600000" cy="540000"/></a:xfrm>
<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill>
<a:ln w="9525"><a:solidFill><a:srgbClr val="000000"/></a:solidFill></a:ln></wps:spPr>
<wps:txbx><w:txbxContent>{body}</w:txbxContent></wps:txbx>
<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="91440" tIns="45720" rIns="91440" bIns="45720" anchor="t"><a:noAutofit/></wps:bodyPr>
</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>
<mc:Fallback><w:pict><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>
<v:shape id="テキスト ボックス 1" o:spid="_x0000_s1026" type="#_x0000_t202" style="position:absolute;margin-left:141.75pt;margin-top:28.35pt;width:283.5pt;height:42.5pt;z-index:251659264;mso-wrap-style:square" strokeweight=".25pt">
<v:textbox><w:txbxContent>{body}</w:txbxContent></v:textbox><w10:wrap type="topAndBottom"/></v:shape></w:pict></mc:Fallback>
</mc:AlternateContent></w:r>'''
    return parse_xml(xml)


def write_docx_typed(doc, els, path):
    """Typed numbers (doc2, doc5, doc6): chapters, 別表 table, signature table, text box."""
    from docx.shared import Pt, Mm
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    opts = doc["opts"]
    d = B.docx_base(opts)
    size = 10.5
    B.running_furniture(d, opts)
    if opts.get("header_text"):
        hp = d.sections[0].header.paragraphs[0]
        hp.add_run(opts["header_text"]).font.size = Pt(9)
    sections = doc["style"] == "section"
    last, table = None, None
    for e in els:
        k = e["kind"]
        if k == "B":
            d.add_paragraph(e["text"])
        elif k == "T":
            title_par(d, e["text"])
        elif k == "P":
            p = d.add_paragraph(clean(e["text"]))
            p.paragraph_format.first_line_indent = Pt(size)
            p.paragraph_format.space_before = Pt(10)
            p.paragraph_format.space_after = Pt(10)
        elif k == "CH":
            p = d.add_paragraph()
            p.paragraph_format.left_indent = Pt(size * 2)
            p.paragraph_format.space_before = Pt(10)
            p.paragraph_format.space_after = Pt(4)
            p.add_run(e["text"]).bold = True
        elif k == "H":
            p = d.add_paragraph()
            p.paragraph_format.space_before = Pt(6 if sections else 4)
            if e["text"].startswith("附"):
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                p.paragraph_format.space_before = Pt(16)
                p.add_run(e["text"])
            elif sections or doc["style"] == "dai":
                p.add_run(e["text"]).bold = True
            else:
                p.paragraph_format.left_indent = Pt(size)
                p.add_run(e["text"])
        elif k == "X":
            d.add_page_break()
        elif k == "TH":
            head, *cols = e["text"].split("|")
            p = d.add_paragraph(head)
            p.paragraph_format.space_after = Pt(6)
            table = d.add_table(rows=1, cols=2)
            table.style = "Table Grid"
            for c, t in zip(table.rows[0].cells, cols):
                c.text = t
                c.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            for c, w in zip(table.rows[0].cells, (Mm(18), Mm(142))):
                c.width = w
        elif k == "R":
            row = table.add_row()
            row.cells[0].text = e["marker"]
            row.cells[0].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            row.cells[1].text = clean(e["text"])
            row.cells[0].width, row.cells[1].width = Mm(18), Mm(142)
        elif k == "SIG":
            if table is None or not getattr(table, "_sig", False):
                table = d.add_table(rows=0, cols=2)
                table.style = "Table Grid"
                table._sig = True
            row = table.add_row()
            for c, t in zip(row.cells, e["text"].split("|")):
                c.text = t
                c.width = Mm(80)
            row.height = Mm(11)
        elif k == "U":
            mk = e["marker"]
            kind = B.marker_kind(mk)
            if sections and kind == "item":
                kind = "secitem"
            if doc["style"] == "dai" and kind == "para":
                kind = "body"
                left, first = 0, 1
            else:
                left, first = B.INDENT[kind]
            p = d.add_paragraph()
            para_fmt(p, size, left, first if mk else 1, opts.get("justify"))
            p.add_run((mk + "　" if mk else "") + clean(e["text"]))
            last = p
        elif k == "BOX":
            last._p.append(textbox_run(e["text"]))
        elif k == "F":
            d.add_paragraph(e["text"])
    d.save(path)


def make_pdf(name, doc, els, work):
    dx = os.path.join(work, name + ".docx")
    write_docx_typed(doc, els, dx)
    pdf = B.soffice_pdf(dx, work)
    shutil.copy(pdf, HERE / doc["file"])


# ============================================================================ HTML
PAGE_TOP = """<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - {muni}公式ウェブサイト</title>
<link rel="stylesheet" href="/css/import.css">
<style>
.rule ol {{ margin: 0 0 0 2em; padding: 0; }}
.rule ol[type="a"] {{ margin-left: 1.5em; }}
.rule ul {{ list-style: disc; margin-left: 1.5em; }}
.rule h3 {{ border-left: 6px solid #2a6a9e; padding-left: .5em; }}
</style>
<script src="/js/common.js"></script>
</head>
<body>
<div id="tmp_wrapper">
<noscript><p>このサイトではJavaScriptを使用したコンテンツ・機能を提供しています。JavaScriptを有効にするとご利用いただけます。</p></noscript>
<p id="tmp_honbun"><a href="#tmp_contents">本文へスキップします。</a></p>
<header id="tmp_header">
<p id="tmp_logo"><a href="/"><img src="/img/logo.png" alt="{muni}" width="260" height="56"></a></p>
<ul id="tmp_hnavi">
<li><a href="/sitemap.html">サイトマップ</a></li>
<li><a href="/english/" lang="en">English</a></li>
<li><a href="/mobile/">携帯サイト</a></li>
</ul>
<dl id="tmp_fontsize"><dt>文字サイズ</dt><dd><a href="#">縮小</a></dd><dd><a href="#">標準</a></dd><dd><a href="#">拡大</a></dd></dl>
<dl id="tmp_color"><dt>背景色</dt><dd><a href="#">白</a></dd><dd><a href="#">青</a></dd><dd><a href="#">黄</a></dd></dl>
<p id="tmp_read"><a href="#">音声読み上げ</a></p>
<form id="tmp_search" action="/search/"><label for="tmp_query">キーワードで探す</label><input id="tmp_query" type="text" name="q"><input type="submit" value="検索"></form>
<nav id="tmp_gnavi"><ul>
<li><a href="/life/">暮らし</a></li><li><a href="/tax/">税金</a></li><li><a href="/health/">健康・福祉</a></li>
<li><a href="/business/">事業者向け</a></li><li><a href="/city/">市政</a></li>
</ul></nav>
</header>
<div id="tmp_pankuzu"><p><a href="/">トップページ</a> &gt; <a href="/business/">事業者向け</a> &gt; <a href="/business/nyusatsu/">入札・契約</a> &gt; <a href="/business/nyusatsu/itaku/">委託業務の仕様書等</a> &gt; {title}</p></div>
<div id="tmp_wrap_main"><main id="tmp_contents">
<h1>{title}</h1>
<p class="update">更新日：2025年6月9日</p>
<p class="kiji">記事番号：P018412</p>
<div id="tmp_sns"><a href="#">Xでポスト</a> <a href="#">Facebookでシェア</a> <a href="#">LINEで送る</a></div>
<div class="rule">
"""

PAGE_BOTTOM = """</div>
<h2>ダウンロード</h2>
<ul>
<li><a href="/uploaded/attachment/18412.pdf">{title}（PDF形式：156KB）</a></li>
<li><a href="/uploaded/attachment/18413.docx">誓約書（様式）（Word形式：22KB）</a></li>
</ul>
<div class="adobe"><p>PDF形式のファイルを閲覧するには、Adobe Acrobat Readerが必要です。</p></div>
<div id="tmp_inquiry">
<h2>お問い合わせ</h2>
<p>財務部資産税課　家屋係<br>
〒000-0000　{muni}霞町二丁目3番1号<br>
電話番号：0000-22-3456　ファクス番号：0000-22-3499<br>
<a href="/form/inquiry.html">お問い合わせフォーム</a></p>
</div>
<div id="tmp_feedback"><h2>このページの情報は役に立ちましたか？</h2>
<form><label><input type="radio" name="q1">役に立った</label><label><input type="radio" name="q1">役に立たなかった</label>
<p>このページの情報は見つけやすかったですか？</p>
<label><input type="radio" name="q2">見つけやすかった</label><label><input type="radio" name="q2">見つけにくかった</label>
<input type="submit" value="送信"></form></div>
</main>
<nav id="tmp_lnavi"><h2>委託業務の仕様書等</h2><ul>
<li><a href="/business/nyusatsu/itaku/kihon.html">委託契約の基本的事項</a></li>
<li><a href="/business/nyusatsu/itaku/kojin.html">個人情報取扱特記事項</a></li>
</ul></nav></div>
<footer id="tmp_footer">
<p class="pagetop"><a href="#tmp_wrapper">このページの先頭へ戻る</a></p>
<ul><li><a href="/policy/">サイトポリシー</a></li><li><a href="/privacy/">個人情報の取扱い</a></li><li><a href="/link/">リンク集</a></li></ul>
<address>{muni}役所　〒000-0000　{muni}霞町二丁目3番1号　電話番号：0000-22-1111（代表）<br>開庁時間：平日午前8時30分から午後5時15分まで</address>
<p class="copy">Copyright &copy; {roman}. All Rights Reserved.</p>
</footer>
</div>
</body>
</html>
"""


def write_html(doc, els, path):
    """<section><h3>３　体制</h3><ol><li>…<ol type="a"><li>…</li></ol></li></ol></section>: the
    browser draws 1. 2. and a. b.; a note <p> inside a list continues it with <ol start>."""
    out, in_sec, ol_open, sub_open, li_open, count = [], False, False, False, False, 0

    def close_sub():
        nonlocal sub_open
        if sub_open:
            out.append("    </ol>")
            sub_open = False

    def close_li():
        nonlocal li_open
        close_sub()
        if li_open:
            out.append("  </li>")
            li_open = False

    def close_ol():
        nonlocal ol_open
        close_li()
        if ol_open:
            out.append("</ol>")
            ol_open = False

    def close_sec():
        nonlocal in_sec
        close_ol()
        if in_sec:
            out.append("</section>")
            in_sec = False
    bullets = False
    for e in els:
        k = e["kind"]
        if k != "BUL" and bullets:
            out.append("    </ul>")
            bullets = False
        if k == "P":
            close_ol()
            out.append(f'<p class="note">{clean(e["text"])}</p>' if in_sec else f"<p>{clean(e['text'])}</p>")
        elif k == "H":
            close_sec()
            count = 0
            out.append("<section>")
            out.append(f"<h3>{e['text']}</h3>")
            in_sec = True
        elif k == "U":
            mk, text = e["marker"], clean(e["text"])
            if mk == "S":
                out.append(f"<p>{text}</p>")
            elif mk == "1.":
                close_li()
                if not ol_open:
                    out.append("<ol>" if count == 0 else f'<ol start="{count + 1}">')
                    ol_open = True
                count += 1
                out.append(f"  <li>{text}")
                li_open = True
            elif mk == "a":
                if not sub_open:
                    out.append('    <ol type="a">')
                    sub_open = True
                out.append(f"      <li>{text}</li>")
        elif k == "BUL":
            if not bullets:
                out.append("    <ul>")
                bullets = True
            out.append(f"      <li>{clean(e['text'])}</li>")
    close_sec()
    fill = dict(title=doc["title"], muni=doc["municipality"], roman=doc["opts"]["roman"])
    open(path, "w", encoding="utf-8").write(PAGE_TOP.format(**fill) + "\n".join(out) + "\n" + PAGE_BOTTOM.format(**fill))


# ============================================================================ text copy
IND = {"art": (0, 1), "para": (0, 1), "item": (1, 4), "sub": (2, 3), "head": (1, 1)}


def txt_indent(doc, els):
    """Wrapped at `width` columns with hanging indents of full-width spaces, as a PDF of a
    typeset attachment copies out; the two header lines on top of every page of `page_lines`
    lines and "－ N －" at its foot."""
    o = doc["opts"]
    width = o["width"]
    body = []
    for e in els:
        k = e["kind"]
        if k == "T":
            body += ["　　" + e["text"][:24], "　　" + e["text"][24:], ""] if len(e["text"]) > 28 else ["　　" + e["text"], ""]
        elif k == "H":
            body.append("　" + e["text"])
        elif k == "U":
            kind = B.marker_kind(e["marker"])
            first, rest = IND.get(kind, (0, 1))
            full = clean(e["marker"] + "　" + e["text"])
            head = B.wrap(full, width - first)[0]
            body.append("　" * first + head)
            if full[len(head):]:
                body += ["　" * rest + ln for ln in B.wrap(full[len(head):], width - rest)]
    header = ["　" * 30 + "別紙３", doc["municipality"] + "　" + doc["title"], ""]
    n = o["page_lines"]
    out, page = [], 0
    for i in range(0, len(body), n):
        page += 1
        out += header + body[i:i + n] + ["", f"－{page}－".translate(FW), ""]
    return "\n".join(out)


# ============================================================================ build + checks
def build_one(name, doc, els, work):
    path = HERE / doc["file"]
    fmt = doc["fmt"]
    if fmt == "docx-style-num":
        write_docx_style_num(doc, els, str(path))
    elif fmt in ("pdf-chapters", "pdf-sig"):
        make_pdf(name, doc, els, work)
    elif fmt == "docx-dai":
        write_docx_typed(doc, els, str(path))
    elif fmt == "html-ol":
        write_html(doc, els, path)
    elif fmt == "txt-indent":
        open(path, "w", encoding="utf-8", newline="").write(txt_indent(doc, els))
    open(HERE / (name + ".source.txt"), "w", encoding="utf-8").write(source_text(doc, els))
    return str(path)


def rendered_pdf_text(path, work):
    if path.endswith(".pdf"):
        return B.pdftotext(path)
    tmp = os.path.join(work, "render_" + os.path.basename(path))
    shutil.copy(path, tmp)
    return B.pdftotext(B.soffice_pdf(tmp, work))


def artifacts(name, doc, path, els, work):
    out, problems = [], []
    fmt = doc["fmt"]
    if fmt.startswith("docx"):
        with zipfile.ZipFile(path) as z:
            x = z.read("word/document.xml").decode("utf-8")
            styles = z.read("word/styles.xml").decode("utf-8")
        r = rendered_pdf_text(path, work)
        rn = r.replace(" ", "")
        if fmt == "docx-style-num":
            n_art = sum(1 for e in els if e.get("marker") == "auto:art")
            n_num = x.count("<w:numPr>")
            typed = re.findall(r"<w:t[^>]*>(第[０-９0-9]+条|[０-９]　|（[０-９]）)", x)
            style_num = bool(re.search(r'w:styleId="JobunArticle".*?<w:numPr>', styles, re.S))
            out.append(f"articles numbered by their style: {n_art} (style 条文 carries w:numPr: {style_num}); "
                       f"w:numPr on paragraphs: {n_num}; typed numbers: {len(typed)}; headings in style 条見出し: "
                       f"{x.count('JobunHeading')}")
            want = ["第１条", "第１３条", "２", "３", "（１）", "（３）"]
            got = [w_ for w_ in want if w_ in rn]
            out.append(f"LibreOffice renders: {got}")
            m = re.search(r"第４条受託者は.*?\n（１）市に届け出た", rn, re.S)
            out.append(f"（１） under 第４条 rendered: {bool(m)}")
            if not style_num or typed or len(got) != len(want) or not m:
                problems.append(f"{name}: numbering not as intended")
        else:
            boxes = x.count("<w:txbxContent>")
            out.append(f"text box: w:txbxContent {boxes}x (DrawingML + VML fallback); page breaks: {x.count(PB)}")
            box = next(norm(clean(e["text"])) for e in els if e["kind"] == "BOX")
            pages = r.split("\f")
            out.append(f"LibreOffice renders the box text: {box[:12] in norm(r)}; pages {len([p for p in pages if p.strip()])}")
            k = [i for i, p in enumerate(pages) if "窓のブラインド" in p]
            j = [i for i, p in enumerate(pages) if "作業エリアの出入口" in p]
            out.append(f"第４第２項 items (1)-(3) on page {j and j[0] + 1}, (4)-(5) on page {k and k[0] + 1}")
            if boxes != 2 or not (box[:12] in norm(r)) or not (k and j and k[0] > j[0]):
                problems.append(f"{name}: text box or page break not as intended")
    elif fmt.startswith("pdf"):
        t = B.pdftotext(path)
        pages = [p for p in t.split("\f") if p.strip()]
        ok = all(re.search(rf"-\s*{i + 1}\s*-", p) for i, p in enumerate(pages))
        out.append(f"pages {len(pages)}, footer - N - on every page: {ok}")
        ok or problems.append(f"{name}: footer")
        if doc["opts"].get("running_header"):
            ok = all(norm(doc["opts"]["running_header"]) in norm(p) for p in pages)
            out.append(f"running header on every page: {ok}")
            ok or problems.append(f"{name}: header")
        if fmt == "pdf-chapters":
            chs = re.findall(r"第[０-９]章", t)
            out.append(f"chapters {chs}; 別表 rows in the text layer: {len(re.findall(r'(?m)^[１-７]$', t))}; 附則: {'附' in t}")
        else:
            sig = [ln for ln in t.splitlines() if re.search(r"確認者|所在地|代表者|氏名|年\s+月", ln)]
            out.append(f"signature table lines: {sig}")
    elif fmt == "html-ol":
        h = open(path, encoding="utf-8").read()
        typed = re.findall(r"<li>\s*[（(]?[0-9０-９a-zａ-ｚ]+[.)）．]", h)
        out.append(f"<section> {h.count('<section>')}, <ol> {h.count('<ol')}, <ol type=a> {h.count(TA)}, "
                   f"<ol start> {h.count('start=')}, <ul> in the rules {h.split(RULE)[1].split('<h2>')[0].count('<ul>')}, "
                   f"typed numbers in <li>: {len(typed)}")
        typed and problems.append(f"{name}: typed numbers")
    elif fmt == "txt-indent":
        t = open(path, encoding="utf-8").read()
        lines = t.split("\n")
        w = max(sum(B.col(c) for c in ln) for ln in lines if not ln.startswith("　" * 30) and not ln.startswith(doc["municipality"]))
        heads = sum(1 for ln in lines if ln.endswith("別紙３"))
        ind = sum(1 for ln in lines if ln.startswith("　"))
        out.append(f"longest line {w:.0f} columns; header blocks {heads}; lines starting with full-width spaces {ind}")
        mid = []
        for i, ln in enumerate(lines):
            if ln.endswith("別紙３") and i > 3:
                mid.append(lines[i - 4][-8:] + " / " + lines[i + 3][:8])
        out.append(f"page breaks: {mid}")
        if w > doc["opts"]["width"] + 1:          # a 。 or 、 may hang past the last column
            problems.append(f"{name}: line over width")
    return out, problems


def furniture(doc, els, path):
    o = doc["opts"]
    f = [e["text"].replace("|", "　") for e in els if e["kind"] in ("F", "SIG")]
    if o.get("running_header"):
        f.append(o["running_header"])
    if o.get("footer") == "dash":
        f.append("- 2 -")
    if doc["fmt"] == "txt-indent":
        f += ["別紙３", doc["municipality"] + "　" + doc["title"], "－２－"]
    if doc["fmt"] == "docx-dai":
        f.append("別記")
    if doc["fmt"] == "html-ol":
        h = open(path, encoding="utf-8").read()
        f += [re.sub(r"<[^>]+>", "", re.search(r'<div id="tmp_pankuzu">(.*?)</div>', h).group(1)).replace("&gt;", ">"),
              "更新日：2025年6月9日", "記事番号：P018412", f"{doc['title']}（PDF形式：156KB）",
              "誓約書（様式）（Word形式：22KB）", "電話番号：0000-22-3456　ファクス番号：0000-22-3499",
              "このページの情報は役に立ちましたか？", "このページの先頭へ戻る", "文字サイズ", "背景色", "サイトマップ",
              f"Copyright © {o['roman']}. All Rights Reserved."]
    return f


def check(name, doc, els, path, gold_line, qs, src):
    problems, rep = [], []
    us = units(els)
    labels = [u["label"] for u in us]
    if len(labels) != len(set(labels)):
        problems.append(f"{name}: duplicate labels")
    if not 25 <= len(us) <= 45:
        problems.append(f"{name}: {len(us)} units (want 25-45)")
    whole = norm(src)
    ext = norm(B.extracted_text(path).replace("&amp;", "&"))
    unit_texts = {u["label"]: norm(unit_text(u)) for u in us}
    for c in gold_line["clauses"]:
        f = c["frag"]
        nf = norm(f)
        where = f"{name} {c['label']} {f}"
        if unicodedata.normalize("NFKC", f) != f:
            problems.append(f"{where}: changed by NFKC")
        if not 10 <= len(nf) <= 30:
            problems.append(f"{where}: {len(nf)} characters")
        if whole.count(nf) != 1:
            problems.append(f"{where}: {whole.count(nf)} times in the source text")
        if nf not in unit_texts[c["label"]] or sum(nf in t for t in unit_texts.values()) != 1:
            problems.append(f"{where}: not in exactly its own unit")
        if nf not in ext:
            problems.append(f"{where}: not in the delivered file's extracted text")
    apart = 0
    for q in qs:
        if q.get("abstain"):
            toks, _ = B.q_tokens(q["q"])
            inside = sorted(t for t in toks if t in whole)
            rep.append(f"    {q['id']:<9} out of scope; its words in the document: {','.join(inside) or '-'}")
            continue
        g = [norm(x) for x in q["gold"]]
        holders = [lab for lab, t in unit_texts.items() if any(x in t for x in g)]
        if len(holders) != 1:
            problems.append(f"{name} {q['id']}: gold not inside exactly one gold clause ({holders})")
            continue
        u = next(u for u in us if u["label"] == holders[0])
        sh = B.shared_words(q["q"], unit_text(u))
        apart += not sh
        rep.append(f"    {q['id']:<9} {holders[0]:<18} shares {','.join(sh) if sh else '-'}")
    n_in = sum(1 for q in qs if not q.get("abstain"))
    if (n_in, len(qs) - n_in) != (6, 2):
        problems.append(f"{name}: {n_in} + {len(qs) - n_in} questions (want 6 + 2)")
    if apart < 3:
        problems.append(f"{name}: only {apart} of {n_in} questions share no content word with their clause")
    return problems, rep, apart


def main():
    keep = "--keep-build" in sys.argv
    work = str(HERE / "build") if keep else tempfile.mkdtemp(prefix="corpus3-build-")
    os.makedirs(work, exist_ok=True)
    gold, questions, problems, report = [], [], [], []
    try:
        for name, doc in DOCS.items():
            els = parse(doc)
            us = units(els)
            alts = label_alts(doc, els)
            clauses = []
            for u in us:
                m = re.search(r"\[\[(.+?)\]\]", u["text"] + "".join(x["text"] for x in u["extra"]))
                if not m:
                    problems.append(f"{name} {u['label']}: no [[fragment]]")
                    continue
                c = {"label": u["label"], "frag": clean(m.group(1))}
                if alts.get(u["label"]):
                    c["alt"] = alts[u["label"]]
                clauses.append(c)
            path = build_one(name, doc, els, work)
            g = {"doc": name, "file": doc["file"], "municipality": doc["municipality"], "title": doc["title"],
                 "slug": doc["slug"], "clauses": clauses}
            gold.append(g)
            fr = {c["label"]: c["frag"] for c in clauses}
            qs = []
            for i, e in enumerate([e for e in els if e["kind"] == "Q"], 1):
                if e["label"] not in fr:
                    problems.append(f"{name}: question for unknown label {e['label']}")
                    continue
                qs.append({"id": f"{doc['slug']}-q{i}", "q": e["q"], "source": doc["slug"], "gold": [fr[e["label"]]]})
            for i, e in enumerate([e for e in els if e["kind"] == "O"], 1):
                qs.append({"id": f"{doc['slug']}-x{i}", "q": e["text"], "source": doc["slug"], "gold": [], "abstain": True})
            questions += qs
            src = open(HERE / (name + ".source.txt"), encoding="utf-8").read()
            probs, qrep, apart = check(name, doc, els, path, g, qs, src)
            problems += probs
            arts, aprobs = artifacts(name, doc, path, els, work)
            problems += aprobs
            furn = furniture(doc, els, path)
            missed = [x for x in furn if not S.is_junk(x, "", [], norm(doc["title"]))]
            if missed:
                problems.append(f"{name}: furniture the scorer would not count as junk: {missed}")
            arts.append(f"furniture lines the scorer counts as junk: {len(furn) - len(missed)}/{len(furn)}")
            lens = [len(norm(c["frag"])) for c in clauses]
            report.append(f"{name} {doc['file']:<10} {doc['municipality']:<5} {doc['slug']} units {len(us):>2}  "
                          f"fragments {min(lens)}-{max(lens)} chars  questions sharing no content word {apart}/6")
            report += ["    " + a for a in arts] + qrep
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    with open(HERE / "gold.jsonl", "w", encoding="utf-8") as f:
        for g in gold:
            f.write(json.dumps(g, ensure_ascii=False) + "\n")
    with open(HERE / "questions.jsonl", "w", encoding="utf-8") as f:
        for q in questions:
            f.write(json.dumps(q, ensure_ascii=False) + "\n")
    print("\n".join(report))
    print(f"total units {sum(len(g['clauses']) for g in gold)}, questions "
          f"{sum(1 for q in questions if not q.get('abstain'))} + {sum(1 for q in questions if q.get('abstain'))} out-of-scope")
    if problems:
        print("PROBLEMS:\n  " + "\n  ".join(problems))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
