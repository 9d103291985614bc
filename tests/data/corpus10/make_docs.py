#!/usr/bin/env python3
"""Regenerate corpus10: doc1.pdf, doc2.html, doc3.txt, doc4.docx, docN.source.txt, gold.jsonl,
questions.jsonl, and check every fragment.

    /work/main/.venv/bin/python tests/data/corpus10/make_docs.py      # python-docx, soffice, pdftotext

Exits 1 on any problem.
"""
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

HERE = Path(__file__).resolve().parent
PROBLEMS = []


def norm(s):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


# ---------------------------------------------------------------------------------------------
# doc1: 桐生ヶ原市, PDF, landscape, two columns, footnote, header/footer, 様式 at the end
# entries: (kind, text, label, frag, alt); kind H heading line, A article/paragraph, I item
# ---------------------------------------------------------------------------------------------
D1_MUNI = "桐生ヶ原市"
D1_TITLE = "児童館運営業務委託に係る個人情報取扱特記事項"
D1 = [
    ("H", "（目的）", None, None, None),
    ("A", "第１条　この特記事項は、桐生ヶ原市（以下「市」という。）が委託する児童館運営業務（以下「本業務」という。）において、受託者が来館する児童及びその保護者の個人情報を取り扱う際に守るべき事項を定めるものとする。",
     "第1条", "児童及びその保護者の個人情報を取り扱う", None),
    ("H", "（定義）", None, None, None),
    ("A", "第２条　この特記事項において「個人情報」とは、本業務において受託者が取得し、又は市から提供を受けた個人情報@FN@であって、児童の利用登録票、来館記録、行事の参加申込書及びアレルギー等の健康情報に記載されたものをいう。",
     "第2条", "行事の参加申込書及びアレルギー", None),
    ("H", "（管理責任者等）", None, None, None),
    ("A", "第３条　受託者は、個人情報の管理について責任を負う者（以下「管理責任者」という。）を置き、業務開始の７日前までに様式第１号により市に届け出なければならない。",
     "第3条第1項", "管理について責任を負う者", None),
    ("A", "２　受託者は、管理責任者又は従事者を変更したときは、速やかに市に届け出なければならない。",
     "第3条第2項", "従事者を変更したときは、速やかに", None),
    ("H", "（従事者の義務）", None, None, None),
    ("A", "第４条　受託者は、本業務に従事する者（以下「従事者」という。）に対し、次に掲げる事項を守らせなければならない。",
     "第4条", "次に掲げる事項を守らせなければ", ["第4条第1項"]),
    ("I", "（１）　児童の氏名、学校名及び家庭の事情を館外で話さないこと。",
     "第4条第1号", "家庭の事情を館外で話さない", ["第4条第1項第1号"]),
    ("I", "（２）　利用登録票を事務室の施錠できる書庫以外に保管しないこと。",
     "第4条第2号", "施錠できる書庫以外に保管しない", ["第4条第1項第2号"]),
    ("I", "（３）　児童を個人的に自宅へ招き、又は私的に連絡を取らないこと。",
     "第4条第3号", "私的に連絡を取らないこと", ["第4条第1項第3号"]),
    ("I", "（４）　保護者から聞いた病歴を、業務上必要な職員以外に伝えないこと。",
     "第4条第4号", "業務上必要な職員以外に伝えない", ["第4条第1項第4号"]),
    ("H", "（研修）", None, None, None),
    ("A", "第５条　受託者は、従事者に対し、配置する前及び毎年度１回以上、個人情報の保護に関する研修を行い、その記録を市に提出しなければならない。",
     "第5条", "研修を行い、その記録を市に提出", None),
    ("H", "（写真等の取扱い）", None, None, None),
    ("A", "第６条　受託者は、行事において児童を撮影するときは、あらかじめ保護者の同意を得なければならない。",
     "第6条第1項", "あらかじめ保護者の同意を得なければ", None),
    ("A", "２　受託者は、児童が写った写真を館内の掲示物、館だより又はウェブサイトに掲載するときは、顔が特定できないよう加工しなければならない。ただし、保護者が掲載に同意した場合は、この限りでない。",
     "第6条第2項", "顔が特定できないよう加工", None),
    ("A", "３　従事者は、私物のスマートフォン又はカメラで児童を撮影してはならない。",
     "第6条第3項", "私物のスマートフォン又はカメラで", None),
    ("H", "（来館記録）", None, None, None),
    ("A", "第７条　受託者は、来館記録を紙で作成する場合は、他の児童の氏名が見えない方式とし、記入後は直ちに回収しなければならない。",
     "第7条第1項", "来館記録を紙で作成する場合", None),
    ("A", "２　受託者は、来館記録を作成した年度の翌年度から３年間保存し、その後、市の指示により廃棄しなければならない。",
     "第7条第2項", "市の指示により廃棄しなければ", None),
    ("H", "（問合せへの対応）", None, None, None),
    ("A", "第８条　受託者は、児童の来館の有無その他児童に関する問合せを電話で受けたときは、その場で回答せず、保護者であることを確認できる場合に限り、折り返し連絡するものとする。",
     "第8条", "その場で回答せず、保護者であることを確認", None),
    ("H", "（児童の引渡し）", None, None, None),
    ("A", "第９条　受託者は、児童を迎えに来た者が、利用登録票に登録された保護者等以外の者であるときは、児童を引き渡してはならない。",
     "第9条", "児童を迎えに来た者が、利用登録票に", None),
    ("H", "（持出しの禁止）", None, None, None),
    ("A", "第１０条　受託者は、市の承認を得ないで、個人情報を児童館の外に持ち出してはならない。",
     "第10条第1項", "市の承認を得ないで、個人情報を児童館の外に", None),
    ("A", "２　前項の承認を得て持ち出すときは、鍵の掛かる鞄に入れ、移動中に寄り道をしてはならない。",
     "第10条第2項", "鍵の掛かる鞄に入れ、移動中に", None),
    ("H", "（事故発生時の報告）", None, None, None),
    ("A", "第１１条　受託者は、個人情報の漏えい、紛失その他の事故が発生し、又は発生したおそれがあることを知ったときは、直ちに市に電話で報告し、２日以内に事故報告書を提出しなければならない。",
     "第11条", "事故報告書を提出しなければ", None),
    ("H", "（再委託の禁止）", None, None, None),
    ("A", "第１２条　受託者は、本業務の全部又は一部を第三者に委託してはならない。ただし、あらかじめ市の書面による承認を得た場合は、この限りでない。",
     "第12条", "本業務の全部又は一部を第三者に委託", None),
    ("H", "（調査）", None, None, None),
    ("A", "第１３条　市は、必要があると認めるときは、受託者の事務所又は児童館に立ち入り、個人情報の管理状況を調査し、又は報告を求めることができる。",
     "第13条", "個人情報の管理状況を調査し", None),
    ("H", "（返還等）", None, None, None),
    ("A", "第１４条　受託者は、契約が終了したときは、利用登録票その他の個人情報が記録された書類を、契約終了の日から１０日以内に市に返還しなければならない。",
     "第14条第1項", "記録された書類を、契約終了の日から", None),
    ("A", "２　受託者は、個人情報が記録された電子データを消去したときは、消去証明書を市に提出しなければならない。",
     "第14条第2項", "消去証明書を市に提出", None),
    ("H", "（損害賠償）", None, None, None),
    ("A", "第１５条　受託者は、この特記事項に違反して市又は第三者に損害を与えたときは、その損害を賠償しなければならない。",
     "第15条", "その損害を賠償しなければ", None),
]
D1_FOOTNOTE = "個人情報の保護に関する法律（平成１５年法律第５７号）第２条第１項に規定する個人情報をいう。"
D1_FORM = [
    ("R", "様式第１号（第３条関係）"),
    ("R", "年　　月　　日"),
    ("C", "管理責任者等届出書"),
    ("L", "桐生ヶ原市長　様"),
    ("R", "受託者　所在地　　　　　　　　　　　　　"),
    ("R", "名　称　　　　　　　　　　　　　　　　"),
    ("R", "代表者氏名　　　　　　　　　　　　印"),
    ("L", "児童館運営業務に係る個人情報の管理責任者等を次のとおり届け出ます。"),
]
D1_FORM_TABLE = [["区分", "氏名", "所属・役職", "連絡先"], ["管理責任者", "", "", ""],
                 ["従事者", "", "", ""], ["従事者", "", "", ""], ["従事者", "", "", ""]]


def set_east_asia(style_or_run_rpr, font):
    rfonts = style_or_run_rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = parse_xml(f'<w:rFonts {nsdecls("w")}/>')
        style_or_run_rpr.insert(0, rfonts)
    for a in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(a), font)


def base_document(size_pt=10.5):
    d = docx.Document()
    st = d.styles["Normal"]
    st.font.size = Pt(size_pt)
    set_east_asia(st.element.get_or_add_rPr(), "IPAMincho")
    pf = st.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    return d


def add_page_field(par, before, after):
    par.add_run(before)
    par._p.append(parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    par.add_run(after)


def set_cols(section, num, sep=True):
    sectPr = section._sectPr
    for c in sectPr.findall(qn("w:cols")):
        sectPr.remove(c)
    sep_attr = ' w:sep="1"' if sep else ""
    sectPr.append(parse_xml(f'<w:cols {nsdecls("w")} w:num="{num}" w:space="567"{sep_attr}/>'))


def add_footnote_part(path, text):
    """Add word/footnotes.xml with footnote 1 to a python-docx file (Word's separators included)."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')
            if item.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdFn1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>')
            zout.writestr(item, data)
        W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        fn = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes {W}>'
              '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
              '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
              '<w:footnote w:id="1"><w:p><w:pPr><w:ind w:left="210" w:hanging="210"/></w:pPr>'
              '<w:r><w:rPr><w:sz w:val="16"/><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
              f'<w:r><w:rPr><w:sz w:val="16"/></w:rPr><w:t xml:space="preserve">　{text}</w:t></w:r></w:p></w:footnote>'
              '</w:footnotes>')
        zout.writestr("word/footnotes.xml", fn)
    tmp.replace(path)


def build_doc1(work):
    d = base_document(10.5)
    sec = d.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Mm(297), Mm(210)
    sec.left_margin = sec.right_margin = Mm(20)
    sec.top_margin = sec.bottom_margin = Mm(20)
    sec.header_distance = sec.footer_distance = Mm(10)
    set_cols(sec, 2)
    hp = sec.header.paragraphs[0]
    hp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    r = hp.add_run(f"{D1_MUNI}　{D1_TITLE}")
    r.font.size = Pt(8)
    fp = sec.footer.paragraphs[0]
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_page_field(fp, "- ", " -")

    p = d.add_paragraph("別記")
    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_before = Pt(6)
    p.paragraph_format.space_after = Pt(10)
    r = p.add_run(D1_TITLE)
    r.bold = True
    r.font.size = Pt(12)
    for kind, text, *_ in D1:
        p = d.add_paragraph()
        p.paragraph_format.line_spacing = 1.25
        if kind == "H":
            p.paragraph_format.left_indent = Mm(3.7)
            p.paragraph_format.space_before = Pt(3)
            p.add_run(text)
        elif kind == "A":
            p.paragraph_format.left_indent = Mm(3.7)
            p.paragraph_format.first_line_indent = Mm(-3.7)
            if "@FN@" in text:
                a, b = text.split("@FN@")
                p.add_run(a)
                p._p.append(parse_xml(
                    f'<w:r {nsdecls("w")}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                    '<w:footnoteReference w:id="1"/></w:r>'))
                p.add_run(b)
            else:
                p.add_run(text)
        else:
            p.paragraph_format.left_indent = Mm(11)
            p.paragraph_format.first_line_indent = Mm(-7.4)
            p.add_run(text)
    # the form: a new page, one column, same header and footer
    sec2 = d.add_section(WD_SECTION.NEW_PAGE)
    set_cols(sec2, 1, sep=False)
    for kind, text in D1_FORM:
        p = d.add_paragraph()
        p.paragraph_format.space_after = Pt(6)
        if kind == "R":
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif kind == "C":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            text = text
        r = p.add_run(text)
        if kind == "C":
            r.font.size = Pt(14)
            r.bold = True
    t = d.add_table(rows=len(D1_FORM_TABLE), cols=4)
    t.style = "Table Grid"
    for i, row in enumerate(D1_FORM_TABLE):
        for j, v in enumerate(row):
            t.cell(i, j).text = v
    out = work / "doc1.docx"
    d.save(out)
    add_footnote_part(out, D1_FOOTNOTE)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(work), str(out)],
                   check=True, capture_output=True)
    shutil.copy(work / "doc1.pdf", HERE / "doc1.pdf")
    src = [D1_TITLE, ""] + [t.replace("@FN@", "") for _, t, *_ in D1]
    return "\n".join(src) + "\n"


# ---------------------------------------------------------------------------------------------
# doc2: 雛菊野市, HTML page, <ol> rules with nested <ol type="a">, <table> 別表
# ---------------------------------------------------------------------------------------------
D2_MUNI = "雛菊野市"
D2_TITLE = "婚活支援イベント運営業務における参加者情報の取扱遵守事項"
# (number, text, frag, [(letter, text, frag)])
D2_RULES = [
    (1, "この遵守事項は、雛菊野市（以下「市」といいます。）が委託する婚活支援イベント運営業務（以下「本業務」といいます。）において、受託者が参加者の個人情報を取り扱う際に守るべき事項を定めるものです。",
     "参加者の個人情報を取り扱う際に守るべき", []),
    (2, "この遵守事項で「参加者情報」とは、参加申込書、本人確認書類、プロフィールカード、マッチング結果及びアンケートに記載された情報をいいます。",
     "プロフィールカード、マッチング結果", []),
    (3, "受託者は、参加申込みの受付に当たり、次の事項を守らなければなりません。", "参加申込みの受付に当たり", [
        ("a", "申込みは、市が指定する申込フォームでのみ受け付けること。", "市が指定する申込フォームでのみ"),
        ("b", "本人確認書類は、提示を受けて確認するにとどめ、写しを取らないこと。", "提示を受けて確認するにとどめ"),
        ("c", "年収、学歴その他の任意項目の記入を強制しないこと。", "任意項目の記入を強制しない"),
    ]),
    (4, "受託者は、本業務に従事する者の名簿を作成し、イベント開催の14日前までに市に提出しなければなりません。",
     "従事する者の名簿を作成し", []),
    (5, "従事者は、参加者と個人的に連絡先を交換し、又はイベント終了後に私的に会ってはなりません。",
     "イベント終了後に私的に会っては", []),
    (6, "プロフィールカードは、イベント当日に会場で配付し、終了時に全て回収して枚数を確認しなければなりません。",
     "終了時に全て回収して枚数を確認", []),
    (7, "マッチング結果は、成立した参加者本人にのみ、会場内の個別の場所で伝えなければなりません。成立しなかった参加者の氏名を他の参加者に伝えてはなりません。",
     "会場内の個別の場所で伝え", []),
    (8, "イベント中の撮影及び撮影した写真の掲載は、別表に定めるところによります。",
     "イベント中の撮影及び撮影した写真の掲載", []),
    (9, "受託者は、参加者情報を記録した電子データを次のとおり管理しなければなりません。", "記録した電子データを次のとおり管理", [
        ("a", "保存するパソコンは受託者の事務所に置き、パスワードを設定すること。", "受託者の事務所に置き、パスワード"),
        ("b", "電子メールで送るときはファイルを暗号化し、パスワードは別の手段で伝えること。", "パスワードは別の手段で伝える"),
        ("c", "USBメモリ等の外部記録媒体には保存しないこと。", "外部記録媒体には保存しない"),
    ]),
    (10, "受託者は、参加者情報を本業務以外の目的に使い、又は第三者に提供してはなりません。受託者が運営する他の結婚相談サービスの案内を送ることも同様とします。",
     "他の結婚相談サービスの案内を送る", []),
    (11, "受託者は、あらかじめ市の書面による承認を得なければ、本業務を第三者に再委託することはできません。",
     "本業務を第三者に再委託することは", []),
    (12, "受託者は、参加者情報の漏えい、紛失その他の事故が起きたとき又は起きたおそれがあるときは、直ちに市の担当課に電話で報告し、その指示に従わなければなりません。",
     "直ちに市の担当課に電話で報告", []),
    (13, "市は、必要があると認めるときは、受託者に対して参加者情報の管理状況について報告を求め、又は実地に検査することができます。",
     "実地に検査することができます", []),
    (14, "受託者は、イベントごとに、終了後30日以内に参加者情報を市に返還し、電子データを消去したうえで、消去したことを書面で報告しなければなりません。",
     "消去したことを書面で報告", []),
]
# (number, action, 可否, 条件, frag)
D2_TABLE = [
    (1, "会場の様子を、参加者の顔が写らないように撮影すること", "可", "撮影前に会場内で告知する", "撮影前に会場内で告知する"),
    (2, "参加者の顔が写った写真を市の広報紙に掲載すること", "可", "本人の書面による同意を得た場合に限る", "本人の書面による同意を得た場合に限る"),
    (3, "受託者のSNSにイベントの写真を投稿すること", "不可", "－", "SNSにイベントの写真を投稿"),
    (4, "参加者が自分の端末で他の参加者を撮影すること", "不可", "従事者が開始時に禁止を伝える", "従事者が開始時に禁止を伝える"),
    (5, "成立したカップルの写真を本人の了解を得て記念に撮影すること", "可", "写真は当日中に本人に渡し、受託者は保存しない", "当日中に本人に渡し、受託者は保存しない"),
    (6, "参加者の人数及び年代別の集計を公表すること", "可", "個人が特定できない形に限る", "年代別の集計を公表する"),
]

D2_HTML_HEAD = """<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}｜雛菊野市公式ホームページ</title>
<link rel="stylesheet" href="/shared/style/default.css">
<link rel="stylesheet" href="/shared/style/print.css" media="print">
<script src="/shared/js/jquery.js"></script>
<script src="/shared/js/fontsize.js"></script>
</head>
<body class="page-detail">
<div id="tmp_wrapper">
<p class="skip"><a href="#tmp_contents">このページの本文へ移動</a></p>
<header id="tmp_header">
  <div class="logo"><a href="/index.html"><img src="/shared/img/logo.png" alt="雛菊野市 ひなぎくの市"></a></div>
  <ul class="header_nav">
    <li><a href="/sitemap.html">サイトマップ</a></li>
    <li><a href="/foreign/index.html">Foreign Language</a></li>
    <li><a href="/kurashi/access.html">市役所へのアクセス</a></li>
  </ul>
  <div class="tool">
    <dl class="fontsize"><dt>文字の大きさ</dt><dd><a href="#" class="small">小</a></dd><dd><a href="#" class="normal">標準</a></dd><dd><a href="#" class="large">大</a></dd></dl>
    <dl class="color"><dt>背景色</dt><dd><a href="#" class="white">白</a></dd><dd><a href="#" class="black">黒</a></dd><dd><a href="#" class="blue">青</a></dd></dl>
  </div>
  <form class="search" action="/search/result.html"><label for="kw">サイト内検索</label><input id="kw" type="text" name="q" placeholder="キーワードを入力"><button type="submit">検索</button></form>
  <nav class="gnav"><ul>
    <li><a href="/kurashi/">くらし・手続き</a></li>
    <li><a href="/kosodate/">子育て・教育</a></li>
    <li><a href="/kenko/">健康・福祉</a></li>
    <li><a href="/sangyo/">産業・しごと</a></li>
    <li><a href="/shisei/">市政情報</a></li>
  </ul></nav>
</header>
<div id="tmp_pankuzu"><ol>
  <li><a href="/index.html">ホーム</a></li>
  <li><a href="/shisei/">市政情報</a></li>
  <li><a href="/shisei/keiyaku/">入札・契約</a></li>
  <li><a href="/shisei/keiyaku/itaku/">委託業務の仕様・特記事項</a></li>
  <li>{title}</li>
</ol></div>
<div id="tmp_main">
<main id="tmp_contents">
<h1>{title}</h1>
<div class="update"><p>ページ番号：0048213</p><p>更新日：2026年4月8日</p></div>
<p class="print"><a href="javascript:window.print();">印刷する</a></p>
<p>婚活支援イベント運営業務を受託した事業者は、契約書のほか、次の遵守事項を守ってください。</p>
<h2>遵守事項</h2>
"""

D2_HTML_TAIL = """<h2>関連ファイル</h2>
<ul class="file">
  <li><a href="/material/files/group/14/konkatsu_junshu.pdf">婚活支援イベント運営業務における参加者情報の取扱遵守事項（PDF形式：142KB）</a></li>
  <li><a href="/material/files/group/14/konkatsu_shiyo.docx">婚活支援イベント運営業務委託仕様書（Word形式：38KB）</a></li>
</ul>
<div class="adobe"><p><a href="https://get.adobe.com/jp/reader/"><img src="/shared/img/get_reader.png" alt="Adobe Reader"></a>PDFファイルをご覧いただくには、Adobe Acrobat Reader DC（無料）が必要です。</p></div>
<div class="contact">
  <h2>このページに関するお問い合わせ</h2>
  <p>市民協働部　未来づくり推進課　出会い応援係<br>
  〒391-0152　雛菊野市本町二丁目5番1号　市役所本庁舎4階<br>
  電話番号：0263-41-7720　ファクス番号：0263-41-7799<br>
  <a href="/form/inquiry.html?id=14">お問い合わせフォーム</a></p>
</div>
<div class="enquete">
  <h2>このページの情報は役に立ちましたか？</h2>
  <form action="/enquete/submit.html"><p><input type="radio" name="q1" id="q1a"><label for="q1a">役に立った</label>
  <input type="radio" name="q1" id="q1b"><label for="q1b">どちらともいえない</label>
  <input type="radio" name="q1" id="q1c"><label for="q1c">役に立たなかった</label></p>
  <p><button type="submit">送信</button></p></form>
</div>
</main>
<aside id="tmp_lnavi">
  <h2>入札・契約</h2>
  <ul>
    <li><a href="/shisei/keiyaku/nyusatsu.html">入札情報</a></li>
    <li><a href="/shisei/keiyaku/kekka.html">入札結果</a></li>
    <li><a href="/shisei/keiyaku/itaku/">委託業務の仕様・特記事項</a></li>
    <li><a href="/shisei/keiyaku/meibo.html">競争入札参加資格者名簿</a></li>
  </ul>
</aside>
</div>
<p class="pagetop"><a href="#tmp_wrapper">ページの先頭へ戻る</a></p>
<footer id="tmp_footer">
  <ul class="fnavi">
    <li><a href="/about/policy.html">サイトポリシー</a></li>
    <li><a href="/about/privacy.html">個人情報の取扱い</a></li>
    <li><a href="/about/accessibility.html">ウェブアクセシビリティ方針</a></li>
    <li><a href="/about/link.html">リンク集</a></li>
  </ul>
  <address>雛菊野市役所　〒391-0152　雛菊野市本町二丁目5番1号　電話番号：0263-41-1111（代表）<br>
  開庁時間：月曜日から金曜日の午前8時30分から午後5時15分まで（祝日・休日、年末年始を除く）　法人番号：6000020205214</address>
  <p class="copyright">Copyright &copy; Hinagikuno City. All Rights Reserved.</p>
</footer>
</div>
</body>
</html>
"""


def build_doc2():
    out = [D2_HTML_HEAD.format(title=D2_TITLE)]
    out.append('<ol class="rule">\n')
    src = [D2_TITLE, "", "遵守事項"]
    for n, text, frag, subs in D2_RULES:
        if subs:
            out.append(f"  <li>{html.escape(text, quote=False)}\n    <ol type=\"a\">\n")
            for letter, st, _ in subs:
                out.append(f"      <li>{html.escape(st, quote=False)}</li>\n")
            out.append("    </ol>\n  </li>\n")
        else:
            out.append(f"  <li>{html.escape(text, quote=False)}</li>\n")
        src.append(f"{n}. {text}")
        for letter, st, _ in subs:
            src.append(f"  {letter}. {st}")
    out.append("</ol>\n")
    out.append('<h2>別表（第8項関係）</h2>\n<table class="datatable">\n<caption>イベント中の撮影及び掲載の可否</caption>\n'
               '<thead><tr><th scope="col">番号</th><th scope="col">行為</th><th scope="col">可否</th><th scope="col">条件</th></tr></thead>\n<tbody>\n')
    src += ["", "別表（第8項関係）", "イベント中の撮影及び掲載の可否", "番号\t行為\t可否\t条件"]
    for n, act, ok, cond, frag in D2_TABLE:
        out.append(f"<tr><td>{n}</td><td>{act}</td><td>{ok}</td><td>{cond}</td></tr>\n")
        src.append(f"{n}\t{act}\t{ok}\t{cond}")
    out.append("</tbody>\n</table>\n")
    out.append(D2_HTML_TAIL)
    (HERE / "doc2.html").write_text("".join(out), encoding="utf-8")
    return "\n".join(src) + "\n"


# ---------------------------------------------------------------------------------------------
# doc3: 柑子谷市, e-mail pasted into a .txt (UTF-8), 35-character hard wraps, > quotes
# entries: (kind, text, label, frag, alt); S section "■１．見出し", B body, I item, U bullet line
# ---------------------------------------------------------------------------------------------
D3_MUNI = "柑子谷市"
D3_TITLE = "市民花火大会有料観覧席販売業務に係る個人情報取扱遵守事項"
D3 = [
    ("S", "■１．目的", None, None, None),
    ("B", "この遵守事項は、柑子谷市（以下「市」という。）が委託する市民花火大会有料観覧席販売業務（以下「本業務」という。）において、受託者が購入者の個人情報を取り扱う際に守るべき事項を定める。",
     "1 目的", "購入者の個人情報を取り扱う際に", ["1.目的", "1(目的)"]),
    ("S", "■２．取り扱う情報", None, None, None),
    ("B", "本業務で取り扱う個人情報は、観覧席の購入者の氏名、住所、電話番号、メールアドレス、座席番号及び決済の記録とする。",
     "2 取り扱う情報", "座席番号及び決済の記録", ["2.取り扱う情報", "2(取り扱う情報)"]),
    ("S", "■３．従事者", None, None, None),
    ("I", "（１）受託者は、販売窓口及び当日の入場口に配置する者の名簿を、販売開始の１０日前までに市に提出すること。",
     "3(1)", "当日の入場口に配置する者の名簿", ["3.(1)"]),
    ("I", "（２）受託者は、従事者に次の事項を守らせること。",
     "3(2)", "従事者に次の事項を守らせる", ["3.(2)"]),
    ("U", "・購入者の氏名や座席を口外しない。", None, None, None),
    ("U", "・窓口で知った連絡先に私用で連絡しない。", None, None, None),
    ("U", "・勤務中は私物の携帯電話をロッカーに入れる。", None, None, None),
    ("I", "（３）当日だけ雇用するアルバイトにも、勤務前に本遵守事項を説明し、誓約書を提出させること。",
     "3(3)", "勤務前に本遵守事項を説明し", ["3.(3)"]),
    ("S", "■４．販売窓口での取扱い", None, None, None),
    ("I", "（１）申込書は、記入が終わったら直ちに受け取り、窓口の台の上に置いたままにしないこと。",
     "4(1)", "窓口の台の上に置いたままにしない", ["4.(1)"]),
    ("I", "（２）クレジットカードの番号は、申込書に書かせず、決済端末に本人が入力する方法によること。",
     "4(2)", "決済端末に本人が入力する方法", ["4.(2)"]),
    ("I", "（３）電話による予約では、購入者本人であることを、登録された電話番号と生年月日で確認すること。",
     "4(3)", "登録された電話番号と生年月日で確認", ["4.(3)"]),
    ("I", "（４）購入者名簿の紙の控えは、閉店後に金庫に入れて施錠すること。",
     "4(4)", "閉店後に金庫に入れて施錠", ["4.(4)"]),
    ("S", "■５．電子データの管理", None, None, None),
    ("B", "受託者は、販売システムの利用に当たり、次のとおりとする。",
     "5 電子データの管理", "販売システムの利用に当たり", ["5.電子データの管理", "5(電子データの管理)"]),
    ("U", "●販売システムには、従事者ごとに付与したIDでログインする。", None, None, None),
    ("U", "●購入者の一覧をダウンロードしてはならない。ただし、市の承認を得たときは、この限りでない。", None, None, None),
    ("U", "●パスワードは８文字以上とし、付箋等に書いて貼らない。", None, None, None),
    ("S", "■６．当日の入場口", None, None, None),
    ("I", "（１）入場券の確認は座席番号のみで行い、購入者の氏名を読み上げないこと。",
     "6(1)", "購入者の氏名を読み上げない", ["6.(1)"]),
    ("I", "（２）入場口で回収した半券は、大会終了後に市へ引き渡すこと。",
     "6(2)", "回収した半券は、大会終了後に", ["6.(2)"]),
    ("I", "（３）迷子、急病人等の対応で知り得た情報は、本部の市職員にのみ伝えること。",
     "6(3)", "本部の市職員にのみ伝える", ["6.(3)"]),
    ("I", "（４）入場口の混雑状況を撮影した写真に購入者の顔が写り込んだときは、公開前に加工すること。",
     "6(4)", "公開前に加工すること", ["6.(4)"]),
    ("S", "■７．禁止事項", None, None, None),
    ("B", "受託者は、本業務に関し、次の行為をしてはならない。",
     "7 禁止事項", "本業務に関し、次の行為をしては", ["7.禁止事項", "7(禁止事項)"]),
    ("U", "・購入者情報を花火大会以外の催しの宣伝に使うこと。", None, None, None),
    ("U", "・市の承認を得ずに、本業務の一部を他の事業者に任せること。", None, None, None),
    ("U", "・転売が疑われる購入者の情報を、他の販売事業者に提供すること。", None, None, None),
    ("S", "■８．事故時の対応", None, None, None),
    ("I", "（１）申込書の紛失、メールの誤送信その他の事故を知ったときは、直ちに観光課に電話で連絡すること。夜間及び休日は、緊急連絡先の携帯電話に連絡すること。",
     "8(1)", "緊急連絡先の携帯電話に連絡", ["8.(1)"]),
    ("I", "（２）前号の連絡の後、３日以内に経緯と再発防止策を書面で報告すること。",
     "8(2)", "経緯と再発防止策を書面で報告", ["8.(2)"]),
    ("S", "■９．返還及び廃棄", None, None, None),
    ("I", "（１）大会終了後２０日以内に、申込書その他の書類を市に返還すること。",
     "9(1)", "申込書その他の書類を市に返還", ["9.(1)"]),
    ("I", "（２）販売システムのデータは、市の確認を受けた後に消去し、消去の日時を記録すること。",
     "9(2)", "市の確認を受けた後に消去", ["9.(2)"]),
    ("S", "■１０．市の確認", None, None, None),
    ("B", "市は、必要と認めるときは、受託者の販売窓口及び事務所に立ち入り、個人情報の取扱状況を確認することができる。",
     "10 市の確認", "販売窓口及び事務所に立ち入り", ["10.市の確認", "10(市の確認)"]),
]

WIDTH = 35
NO_HEAD = "、。）」』，．・ー"


def wrap(text, first, cont):
    """Hard-wrap at WIDTH characters like a mail client, with a simple 行頭禁則."""
    lines, line = [], first
    for ch in text:
        if len(line) >= WIDTH and ch not in NO_HEAD:
            lines.append(line)
            line = cont
        line += ch
    lines.append(line)
    return lines


def build_doc3():
    L = []
    L += ["件名：Re: 観覧席販売業務の遵守事項について",
          "差出人：柑子谷市 観光課 高村 <kanko-takamura@city.kojiya.example.jp>",
          "宛先：株式会社あかね企画 販売担当 <hanbai@akane-kikaku.example.co.jp>",
          "日時：2026年6月3日 10:42", "",
          "株式会社あかね企画", "観覧席販売担当　様", "",
          "いつもお世話になっております。", "柑子谷市観光課の高村です。", "",
          "> 契約書に添付されている遵守事項ですが、",
          "> 窓口スタッフに配れるよう、メール本文で",
          "> いただくことはできますでしょうか。", "",
          "承知しました。以下に貼り付けます。",
          "（添付のPDFと同じ内容です。）", "",
          "━━━━━━━━━━━━━━━━━",
          "市民花火大会有料観覧席販売業務に係る",
          "個人情報取扱遵守事項",
          "　　　　　　　　　　柑子谷市観光課",
          "━━━━━━━━━━━━━━━━━", ""]
    for kind, text, *_ in D3:
        if kind == "S":
            if L[-1] != "":
                L.append("")
            L.append(text)
        elif kind == "B":
            L += wrap(text, "　", "")
        elif kind == "I":
            L += wrap(text, "", "　　　")
        else:
            L += wrap(text, "　", "　　")
    L += ["", "以上", "━━━━━━━━━━━━━━━━━", "",
          "> 当日のアルバイトにも、この遵守事項は",
          "> 適用されるのでしょうか。", "",
          "はい、３の（３）のとおりです。",
          "誓約書の様式は追ってお送りします。", "",
          "よろしくお願いいたします。", "",
          "****************************",
          "柑子谷市 産業振興部 観光課",
          "高村 慎吾（たかむら しんご）",
          "TEL 0578-22-3141（内線 412）",
          "FAX 0578-22-3150",
          "****************************", "",
          "-----Original Message-----",
          "From: 株式会社あかね企画 販売担当",
          "Sent: Tuesday, June 2, 2026 5:18 PM",
          "To: 柑子谷市 観光課 高村",
          "Subject: 観覧席販売業務の遵守事項について", "",
          "> 柑子谷市観光課",
          "> 高村様", ">",
          "> お世話になっております。",
          "> あかね企画の三枝です。", ">",
          "> 契約書に添付されている遵守事項ですが、",
          "> 窓口スタッフに配れるよう、メール本文で",
          "> いただくことはできますでしょうか。", ">",
          "> また、当日のアルバイトにも、この遵守事項は",
          "> 適用されるのでしょうか。", ">",
          "> よろしくお願いいたします。", ">",
          "> 株式会社あかね企画　販売部　三枝", ""]
    (HERE / "doc3.txt").write_text("\n".join(L), encoding="utf-8")
    src = [D3_TITLE, ""]
    for kind, text, *_ in D3:
        src.append(text if kind != "U" else "　" + text)
    return "\n".join(src) + "\n"


# ---------------------------------------------------------------------------------------------
# doc4: 薊ヶ浜市, .docx: typed articles, then 別表 = a two-column table 項目｜遵守事項
# ---------------------------------------------------------------------------------------------
D4_MUNI = "薊ヶ浜市"
D4_TITLE = "住宅リフォーム補助金申請受付業務委託特記仕様書（情報セキュリティ）"
D4_ART = [
    ("H", "（目的）", None, None, None),
    ("A", "第１条　この特記仕様書は、薊ヶ浜市（以下「市」という。）が委託する住宅リフォーム補助金申請受付業務（以下「本業務」という。）における情報セキュリティの確保について必要な事項を定める。",
     "第1条", "情報セキュリティの確保について必要な", None),
    ("H", "（定義）", None, None, None),
    ("A", "第２条　この特記仕様書において「申請情報」とは、補助金の申請書、工事の見積書、施工前後の写真、住民票の写し及び納税証明書に記載され、又は記録された情報をいう。",
     "第2条", "施工前後の写真、住民票の写し", None),
    ("H", "（遵守義務）", None, None, None),
    ("A", "第３条　受注者は、本業務の実施に当たり、この特記仕様書及び別表に定める遵守事項を守らなければならない。",
     "第3条第1項", "別表に定める遵守事項を守らなければ", None),
    ("A", "２　受注者は、別表の遵守事項を守ることができないときは、直ちに市に申し出て、その指示を受けなければならない。",
     "第3条第2項", "守ることができないときは、直ちに市に申し出", None),
    ("H", "（情報セキュリティ責任者）", None, None, None),
    ("A", "第４条　受注者は、情報セキュリティ責任者を定め、契約締結後５日以内に市に届け出なければならない。",
     "第4条", "情報セキュリティ責任者を定め", None),
    ("H", "（是正の指示等）", None, None, None),
    ("A", "第５条　市は、受注者が別表の遵守事項に違反したと認めるときは、是正を指示し、又は契約を解除することができる。",
     "第5条", "是正を指示し、又は契約を解除", None),
    ("H", "（協議）", None, None, None),
    ("A", "第６条　この特記仕様書に定めのない事項は、市と受注者が協議して定める。",
     "第6条", "市と受注者が協議して定める", None),
]
# (項目, [(text, frag)], one paragraph with line breaks?)
D4_TABLE = [
    ("受付窓口", [
        ("（１）申請書は、受付番号を付した後、窓口の後方にある鍵付きのキャビネットに保管すること。", "鍵付きのキャビネットに保管"),
        ("（２）申請者の相談内容が他の来庁者に聞こえないよう、仕切りのある相談ブースを使うこと。", "仕切りのある相談ブースを使う"),
        ("（３）書類の不足を電話で伝えるときは、申請書に記載された本人の番号にかけること。", "申請書に記載された本人の番号にかけ"),
    ], False),
    ("従事者", [
        ("（１）従事者は、市が交付する名札を着用し、窓口以外の執務室に立ち入らないこと。", "窓口以外の執務室に立ち入らない"),
        ("（２）施工業者から申請の審査状況を問われても、答えないこと。", "施工業者から申請の審査状況を問われ"),
        ("（３）退職した従事者からは、入館証を回収すること。", "退職した従事者からは、入館証を回収"),
    ], False),
    ("写真及び電子データ", [
        ("（１）施工前後の写真データは、市が貸与する端末にのみ保存すること。", "市が貸与する端末にのみ保存"),
        ("（２）端末は、離席時に画面をロックし、業務終了後は施錠できる保管庫に入れること。", "離席時に画面をロックし"),
        ("（３）写真データを電子メールで受け取ったときは、端末に保存した後、受信したメールを削除すること。", "受信したメールを削除すること"),
    ], True),
    ("持出し", [
        ("（１）申請書類は、執務室の外に持ち出さないこと。ただし、現地確認のため市が承認した場合は、この限りでない。", "現地確認のため市が承認した場合"),
        ("（２）現地確認に持ち出す書類は、必要な申請者の分のみとし、帰庁後直ちに返却すること。", "帰庁後直ちに返却する"),
    ], False),
    ("事故時の対応", [
        ("（１）申請書類の紛失、誤交付その他の事故が起きたときは、直ちに住宅政策課に報告すること。", "直ちに住宅政策課に報告"),
        ("（２）事故の原因及び再発防止策を、７日以内に書面で提出すること。", "事故の原因及び再発防止策を"),
    ], False),
    ("契約終了時", [
        ("（１）受付期間の終了後、申請書類を市に引き渡し、受領書を受け取ること。", "申請書類を市に引き渡し、受領書"),
        ("（２）受注者の複写機に残った画像データは、消去した上で、その記録を提出すること。", "受注者の複写機に残った画像データ"),
    ], False),
]


def build_doc4():
    d = base_document(10.5)
    sec = d.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin = sec.right_margin = Mm(25)
    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(4)
    r = p.add_run("住宅リフォーム補助金申請受付業務委託特記仕様書")
    r.bold = True
    r.font.size = Pt(13)
    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("（情報セキュリティ）")
    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p.paragraph_format.space_after = Pt(8)
    p.add_run("薊ヶ浜市都市整備部住宅政策課")
    for kind, text, *_ in D4_ART:
        p = d.add_paragraph(text)
        if kind == "H":
            p.paragraph_format.left_indent = Mm(3.7)
            p.paragraph_format.space_before = Pt(4)
        else:
            p.paragraph_format.left_indent = Mm(3.7)
            p.paragraph_format.first_line_indent = Mm(-3.7)
    p = d.add_paragraph()
    p.paragraph_format.space_before = Pt(12)
    p.paragraph_format.space_after = Pt(4)
    p.add_run("別表（第３条関係）").bold = True
    t = d.add_table(rows=1, cols=2)
    t.style = "Table Grid"
    hdr = t.rows[0]
    hdr._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
    for cell, v in zip(hdr.cells, ["項目", "遵守事項"]):
        cell.text = ""
        cp = cell.paragraphs[0]
        cp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        cp.add_run(v).bold = True
        cell._tc.get_or_add_tcPr().append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="D9D9D9"/>'))
    for item, sents, one_par in D4_TABLE:
        row = t.add_row()
        row.cells[0].text = item
        c = row.cells[1]
        if one_par:
            cp = c.paragraphs[0]
            for i, (s, _) in enumerate(sents):
                if i:
                    cp.add_run().add_break()
                cp.add_run(s)
        else:
            for i, (s, _) in enumerate(sents):
                cp = c.paragraphs[0] if i == 0 else c.add_paragraph()
                cp.add_run(s)
                cp.paragraph_format.left_indent = Mm(7.4)
                cp.paragraph_format.first_line_indent = Mm(-7.4)
    for row in t.rows:
        row.cells[0].width = Mm(35)
        row.cells[1].width = Mm(125)
    d.add_paragraph("")
    p = d.add_paragraph("以上")
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    d.save(HERE / "doc4.docx")
    src = ["住宅リフォーム補助金申請受付業務委託特記仕様書", "（情報セキュリティ）", "薊ヶ浜市都市整備部住宅政策課", ""]
    src += [t for _, t, *_ in D4_ART]
    src += ["", "別表（第３条関係）", "項目\t遵守事項"]
    for item, sents, _ in D4_TABLE:
        for i, (s, _) in enumerate(sents):
            src.append(f"{item if i == 0 else ''}\t{s}")
    src += ["以上"]
    return "\n".join(src) + "\n"


# ---------------------------------------------------------------------------------------------
# gold
# ---------------------------------------------------------------------------------------------
def clause(label, frag, alt=None):
    c = {"label": label, "frag": frag}
    if alt:
        c["alt"] = alt
    return c


def gold():
    g = []
    g.append({"doc": "doc1", "file": "doc1.pdf", "municipality": D1_MUNI, "title": D1_TITLE, "slug": "dy1",
              "clauses": [clause(l, f, a) for k, t, l, f, a in D1 if l]})
    c2 = []
    for n, text, frag, subs in D2_RULES:
        c2.append(clause(str(n), frag, [f"第{n}項", f"({n})", f"{n}."]))
        for letter, st, sf in subs:
            c2.append(clause(f"{n}{letter}", sf, [f"{n}({letter})", f"{n}.{letter}", f"{n}.{letter}.",
                                                  f"{n}-{letter}", f"第{n}項{letter}", f"第{n}項({letter})"]))
    for n, act, ok, cond, frag in D2_TABLE:
        c2.append(clause(f"別表{n}", frag, [f"別表第{n}号", f"別表({n})", f"別表の{n}", f"別表{n}の項"]))
    g.append({"doc": "doc2", "file": "doc2.html", "municipality": D2_MUNI, "title": D2_TITLE, "slug": "dy2",
              "clauses": c2})
    g.append({"doc": "doc3", "file": "doc3.txt", "municipality": D3_MUNI, "title": D3_TITLE, "slug": "dy3",
              "clauses": [clause(l, f, a) for k, t, l, f, a in D3 if l]})
    c4 = [clause(l, f, a) for k, t, l, f, a in D4_ART if l]
    for ri, (item, sents, _) in enumerate(D4_TABLE, 1):
        for si, (s, f) in enumerate(sents, 1):
            c4.append(clause(f"{item}({si})", f, [f"別表{ri}({si})", f"別表第{ri}({si})", f"別表{item}({si})",
                                                  f"別表第{ri}号({si})", f"{ri}({si})"]))
    g.append({"doc": "doc4", "file": "doc4.docx", "municipality": D4_MUNI, "title": D4_TITLE, "slug": "dy4",
              "clauses": c4})
    return g


# unit texts, to check that a fragment lies in its own unit
def unit_texts():
    u = {}
    u["dy1"] = {l: t for k, t, l, f, a in D1 if l}
    u["dy2"] = {}
    for n, text, frag, subs in D2_RULES:
        u["dy2"][str(n)] = text
        for letter, st, sf in subs:
            u["dy2"][f"{n}{letter}"] = st
    for n, act, ok, cond, frag in D2_TABLE:
        u["dy2"][f"別表{n}"] = f"{n}{act}{ok}{cond}"
    u["dy3"] = {}
    last = None
    for k, t, l, f, a in D3:
        if l:
            u["dy3"][l] = t
            last = l
        elif k == "U":
            u["dy3"][last] += t
    u["dy4"] = {l: t for k, t, l, f, a in D4_ART if l}
    for item, sents, _ in D4_TABLE:
        for si, (s, f) in enumerate(sents, 1):
            u["dy4"][f"{item}({si})"] = s
    return u


# ---------------------------------------------------------------------------------------------
# questions (8 in scope + 2 out of scope per document)
# ---------------------------------------------------------------------------------------------
Q = {
    "dy1": [
        ("イベントのとき自分の携帯でパシャっと子ども撮っちゃだめ？", "私物のスマートフォン又はカメラで"),
        ("知らないおじさんが「○○くんの親戚です、一緒に帰ります」って言ってるんだけど、渡していい？", "児童を迎えに来た者が、利用登録票に"),
        ("「うちの子いまそっち行ってます？」って外線で聞かれた。教えていい？", "その場で回答せず、保護者であることを確認"),
        ("kodomo no shashin, tayori ni sono mama nosete mo ii desu ka?", "顔が特定できないよう加工"),
        ("あの、今日ちょっと外で打ち合わせがあって、ついでに名簿とか申込書の束をカバンに入れて帰って、家で夜に整理しようかなと思ってるんですけど、車だし別に大丈夫ですよね？", "市の承認を得ないで、個人情報を児童館の外に"),
        ("ｱﾚﾙｷﾞｰの子の話、ﾊﾟｰﾄさん全員のLINEｸﾞﾙｰﾌﾟに回していい？", "業務上必要な職員以外に伝えない"),
        ("帰り道でママ友に「あの子んち離婚したらしいよ」って言っちゃった…", "家庭の事情を館外で話さない"),
        ("入口のノート、前に書いた子の名前が全部わかっちゃうんだけどいいの？", "来館記録を紙で作成する場合"),
    ],
    "dy2": [
        ("お客さんにLINE教えてって言われた、スタッフでも教えちゃダメ？", "イベント終了後に私的に会っては"),
        ("受付で免許証コピーしといたほうがいいよね？", "提示を受けて確認するにとどめ"),
        ("カップルになれなかった人のこと、他の人に聞かれたら答えていい？", "会場内の個別の場所で伝え"),
        ("kaisha no instagram ni kyou no shashin agete mo ii?", "SNSにイベントの写真を投稿"),
        ("うちの会社って別で結婚相談所もやってるんですけど、今回来てくれた人たちにそっちのパンフとかメールで送ったら喜ばれると思うし営業的にもいいと思うんですよね、だめですかね？", "他の結婚相談サービスの案内を送る"),
        ("両想いになった2人のﾂｰｼｮｯﾄ、うちのPCにも取っといていい？", "当日中に本人に渡し、受託者は保存しない"),
        ("名簿のエクセル、USBに入れて家で作業したい", "外部記録媒体には保存しない"),
        ("お客さんがスマホで他のお客さんをこっそり撮ってたらどうすればいい？", "従事者が開始時に禁止を伝える"),
    ],
    "dy3": [
        ("クレカの16桁、紙に書いてもらってあとでこっちで打ち込むのでいい？", "決済端末に本人が入力する方法"),
        ("入口でお客さんの名前呼んで案内したほうが早くない？", "購入者の氏名を読み上げない"),
        ("花火の日だけ来る学生さん、何かサインさせとくものある？", "勤務前に本遵守事項を説明し"),
        ("yoru ni moushikomisho nakushita kamo… dare ni renraku sureba ii?", "緊急連絡先の携帯電話に連絡"),
        ("あのー、受付が混んでて、書いてもらった紙をとりあえずカウンターの端っこに重ねといて、次のお客さん対応してから片付けるってやってるんですけど、まずいですか？", "窓口の台の上に置いたままにしない"),
        ("TELで席おさえたいって人、ほんとにその人かどうかってどうやって確忍すんの？名前聞くだけでいいっけ", "登録された電話番号と生年月日で確認"),
        ("もぎった券の切れ端、終わったら捨てちゃっていい？", "回収した半券は、大会終了後に"),
        ("行列をパシャッと撮ってインスタに出したいけど、お客さんの顔がばっちり映ってる", "公開前に加工すること"),
    ],
    "dy4": [
        ("工務店さんから「うちのお客さんの件もう通った？」って電話きた", "施工業者から申請の審査状況を問われ"),
        ("辞めたバイトさんのカード、返してもらうの忘れてた", "退職した従事者からは、入館証を回収"),
        ("届いたビフォーアフターの画像、Gmailにそのまま残しといていい？", "受信したメールを削除すること"),
        ("genchi ni iku toki shinsei no shorui motte itte ii?", "現地確認のため市が承認した場合"),
        ("カウンターで話聞いてると後ろに並んでる人に話の中身が丸聞こえで、けっこうお金の話とかもあるし気になってるんですけど、何か決まりってありましたっけ？", "仕切りのある相談ブースを使う"),
        ("ｺﾋﾟｰ機の中に残ってるｽｷｬﾝの履歴って契約おわったらどうすんの？", "受注者の複写機に残った画像データ"),
        ("トイレ行く間、PCつけっぱでいい？", "離席時に画面をロックし"),
        ("足りないものがある人に連絡するとき、工事屋さんの携帯にかけちゃっていい？", "申請書に記載された本人の番号にかけ"),
    ],
}
QX = {
    "dy1": ["館の駐車場にマイカー停めてもいい？", "夏休みの工作教室の材料費って誰が払うの？"],
    "dy2": ["ケータリングの予算って上限ある？", "司会者の衣装は自前？"],
    "dy3": ["雨天順延のときシフトはどうなる？", "屋台の出店料はいくら？"],
    "dy4": ["駐車券の無料処理ってどうやる？", "制服って支給されるの？"],
}


def questions():
    out = []
    for slug, qs in Q.items():
        for i, (q, g) in enumerate(qs, 1):
            out.append({"id": f"{slug}-q{i}", "q": q, "source": slug, "gold": [g]})
        for i, q in enumerate(QX[slug], 1):
            out.append({"id": f"{slug}-x{i}", "q": q, "source": slug, "gold": [], "abstain": True})
    return out


# ---------------------------------------------------------------------------------------------
# extraction and checks
# ---------------------------------------------------------------------------------------------
def extract(path):
    if path.suffix == ".pdf":
        return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                              text=True, check=True).stdout
    if path.suffix == ".docx":
        d = docx.Document(path)
        parts = [p.text for p in d.paragraphs]
        for t in d.tables:
            for row in t.rows:
                for c in row.cells:
                    parts.append(c.text)
        return "\n".join(parts)
    if path.suffix == ".html":
        s = path.read_text(encoding="utf-8")
        s = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", s, flags=re.S)
        s = re.sub(r"<[^>]+>", "\n", s)
        return html.unescape(s)
    return path.read_text(encoding="utf-8")


def content_words(s):
    s = unicodedata.normalize("NFKC", s)
    w = set()
    for run in re.findall(r"[\u4e00-\u9fff々]+", s):
        for i in range(len(run) - 1):
            w.add(run[i:i + 2])
    for run in re.findall(r"[\u30a0-\u30ffー]{3,}", s):
        for n in range(3, len(run) + 1):
            for i in range(len(run) - n + 1):
                w.add(run[i:i + n])
    for run in re.findall(r"[A-Za-z]{3,}", s):
        w.add(run.lower())
    return w


def check(g, sources, qs):
    units = unit_texts()
    report = []
    for doc in g:
        slug, f = doc["slug"], HERE / doc["file"]
        text = norm(extract(f))
        src = norm(sources[doc["doc"]])
        labels = [c["label"] for c in doc["clauses"]]
        if len(set(labels)) != len(labels):
            PROBLEMS.append(f"{slug}: duplicate labels")
        for c in doc["clauses"]:
            fr = c["frag"]
            nf = norm(fr)
            if nf != fr:
                PROBLEMS.append(f"{slug} {c['label']}: frag changed by NFKC {fr}")
            if not 8 <= len(nf) <= 30:
                PROBLEMS.append(f"{slug} {c['label']}: frag length {len(nf)}")
            if text.count(nf) != 1:
                PROBLEMS.append(f"{slug} {c['label']}: frag {fr} found {text.count(nf)}x in delivered text")
            if src.count(nf) != 1:
                PROBLEMS.append(f"{slug} {c['label']}: frag {fr} found {src.count(nf)}x in source")
            if nf not in norm(units[slug][c["label"]]):
                PROBLEMS.append(f"{slug} {c['label']}: frag not in its unit")
        report.append(f"{doc['doc']} {doc['file']} {slug}: {len(doc['clauses'])} units")
    gl = {d["slug"]: d for d in g}
    nolap = {}
    for q in qs:
        slug = q["source"]
        doctext = sources[gl[slug]["doc"]]
        if q.get("abstain"):
            common = content_words(q["q"]) & content_words(doctext)
            if common:
                PROBLEMS.append(f"{q['id']}: out-of-scope words in document: {sorted(common)}")
            continue
        fr = q["gold"][0]
        lab = [c["label"] for c in gl[slug]["clauses"] if c["frag"] == fr]
        if len(lab) != 1:
            PROBLEMS.append(f"{q['id']}: gold is not a fragment of {slug}")
            continue
        common = content_words(q["q"]) & content_words(units[slug][lab[0]])
        nolap.setdefault(slug, []).append(q["id"] if not common else None)
        report.append(f"  {q['id']} -> {lab[0]}  shared: {' '.join(sorted(common)) or '-'}")
    for slug, v in nolap.items():
        report.append(f"{slug}: {sum(1 for x in v if x)} of {len(v)} share no content word with their clause")
    # artifacts
    lay = norm(subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(HERE / "doc1.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout)
    for c in g[0]["clauses"]:
        if c["frag"] not in lay:
            PROBLEMS.append(f"dy1 {c['label']}: frag not in pdftotext -layout output")
    pdf = extract(HERE / "doc1.pdf")
    pages = pdf.split("\f")
    pages = [p for p in pages if p.strip()]
    report.append(f"doc1.pdf: {len(pages)} pages")
    for i, p in enumerate(pages, 1):
        if f"- {i} -" not in p:
            PROBLEMS.append(f"doc1 page {i}: footer missing")
        if norm(D1_TITLE) not in norm(p):
            PROBLEMS.append(f"doc1 page {i}: running header missing")
    if "管理責任者等届出書" not in pages[-1]:
        PROBLEMS.append("doc1: form not on the last page")
    if "平成" not in pdf:
        PROBLEMS.append("doc1: footnote text missing")
    info = subprocess.run(["pdfinfo", str(HERE / "doc1.pdf")], capture_output=True, text=True).stdout
    if "landscape" not in info and not re.search(r"Page size:\s+841\.\d* x 595", info):
        PROBLEMS.append("doc1: not landscape: " + info)
    lines = (HERE / "doc3.txt").read_text(encoding="utf-8").split("\n")
    over = [l for l in lines if len(l) > WIDTH + 1 and not l.startswith(("差出人", "宛先", "> ", "件名"))]
    if over:
        PROBLEMS.append(f"doc3: lines over width: {over[:3]}")
    return report


def main():
    work = Path(tempfile.mkdtemp(prefix="corpus10_"))
    try:
        sources = {"doc1": build_doc1(work), "doc2": build_doc2(), "doc3": build_doc3(), "doc4": build_doc4()}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for k, v in sources.items():
        (HERE / f"{k}.source.txt").write_text(v, encoding="utf-8")
    g = gold()
    with open(HERE / "gold.jsonl", "w", encoding="utf-8") as fh:
        for d in g:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    qs = questions()
    with open(HERE / "questions.jsonl", "w", encoding="utf-8") as fh:
        for q in qs:
            fh.write(json.dumps(q, ensure_ascii=False) + "\n")
    for line in check(g, sources, qs):
        print(line)
    print(f"units: {sum(len(d['clauses']) for d in g)}, questions: {len(qs)}")
    for p in PROBLEMS:
        print("PROBLEM:", p)
    return 1 if PROBLEMS else 0


if __name__ == "__main__":
    sys.exit(main())
