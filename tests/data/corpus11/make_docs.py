#!/usr/bin/env python3
"""Regenerate corpus11: doc1.docx, doc2.xlsx, doc3.odt, docN.source.txt, gold.jsonl,
questions.jsonl, and check every fragment.

    /work/main/.venv/bin/python tests/data/corpus11/make_docs.py      # python with openpyxl

Exits 1 on any problem.
"""
import json
import re
import sys
import unicodedata
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

HERE = Path(__file__).resolve().parent
PROBLEMS = []
DATE = "2026-04-01T09:00:00Z"


def norm(s):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


def x(s):
    return escape(s, {'"': "&quot;"})


# =============================================================================================
# doc1: 楡ノ沢市, DOCX with tracked changes (w:ins / w:del), a comment, one article in a text box
# A paragraph is a list of segments: ("t", text) plain, ("i", text) inserted, ("d", text) deleted.
# kind: H heading line, A article/paragraph, I item, BOX article drawn inside a text box,
#       DELP a whole paragraph deleted (paragraph mark too), INSP a whole paragraph inserted.
# =============================================================================================
D1_MUNI = "楡ノ沢市"
D1_TITLE = "図書館資料宅配サービス業務委託に係る個人情報取扱特記事項"
D1 = [
    ("H", [("t", "（目的）")], None, None, None),
    ("A", [("t", "第１条　この特記事項は、楡ノ沢市（以下「市」という。）が委託する図書館資料宅配サービス業務（以下「本業務」という。）において、受託者が利用者の個人情報を取り扱う際に守るべき事項を定めるものとする。")],
     "第1条", "利用者の個人情報を取り扱う際に", None),
    ("H", [("t", "（定義）")], None, None, None),
    ("A", [("t", "第２条　この特記事項において「利用者情報」とは、宅配サービスの登録申請書、配達先の住所及び地図、貸出履歴"),
           ("d", "その他の情報"), ("i", "並びに利用者の身体の状況に関する情報"), ("t", "をいう。")],
     "第2条", "配達先の住所及び地図、貸出履歴", None),
    ("H", [("t", "（秘密の保持）")], None, None, None),
    ("A", [("t", "第３条　受託者は、本業務に関して知り得た利用者情報を他に漏らしてはならない。契約が終了した後も、同様とする。")],
     "第3条", "契約が終了した後も、同様とする", None),
    ("H", [("t", "（貸出履歴の取扱い）")], None, None, None),
    ("A", [("t", "第４条　受託者は、利用者が借りた資料の題名その他の貸出履歴を、配達に必要な範囲を超えて記録し、又は第三者に話してはならない。")],
     "第4条第1項", "借りた資料の題名その他の貸出履歴", None),
    ("A", [("t", "２　受託者は、配達する資料を、"), ("d", "紙袋"), ("i", "題名が外から見えない袋"), ("t", "に入れて届けなければならない。")],
     "第4条第2項", "題名が外から見えない袋に入れて", None),
    ("H", [("t", "（配達員）")], None, None, None),
    ("A", [("t", "第５条　受託者は、本業務に従事する者（以下「配達員」という。）の名簿を、業務開始の"), ("d", "７日前"), ("i", "１４日前"), ("t", "までに市に提出しなければならない。")],
     "第5条第1項", "という。)の名簿を、業務開始の", None),
    ("A", [("t", "２　受託者は、配達員に身分証明書を携帯させ、利用者から求められたときは提示させなければならない。")],
     "第5条第2項", "配達員に身分証明書を携帯させ", None),
    ("H", [("t", "（訪問時の遵守事項）")], None, None, None),
    ("A", [("t", "第６条　受託者は、配達員に次に掲げる事項を守らせなければならない。")],
     "第6条", "配達員に次に掲げる事項を守らせ", ["第6条第1項"]),
    ("I", [("t", "（１）　利用者の住居に上がらず、玄関先で資料を受け渡すこと。")],
     "第6条第1号", "玄関先で資料を受け渡す", ["第6条第1項第1号"]),
    ("I", [("t", "（２）　利用者が不在のときは、資料を郵便受けや玄関前に置かず、持ち帰ること。")],
     "第6条第2号", "郵便受けや玄関前に置かず", ["第6条第1項第2号"]),
    ("I", [("t", "（３）　利用者から金品、飲食物その他の謝礼を受け取らないこと。")],
     "第6条第3号", "飲食物その他の謝礼を受け取らない", ["第6条第1項第3号"]),
    ("DELP", [("d", "（４）　利用者の室内の様子を写真に撮影して記録に残すこと。")], None, None, None),
    ("INSP", [("i", "（４）　利用者の体調の異変に気付いたときは、あらかじめ登録された緊急連絡先及び市に連絡すること。")],
     "第6条第4号", "体調の異変に気付いたときは", ["第6条第1項第4号"]),
    ("H", [("t", "（配達先リストの持出し）")], None, None, None),
    ("A", [("t", "第７条　受託者は、配達先リストを印刷して持ち出すときは、あらかじめ市の承認を得て、当日の配達分に限らなければならない。")],
     "第7条第1項", "当日の配達分に限らなければ", None),
    ("A", [("t", "２　配達員は、配達先リストを車内に置いたまま車両を離れてはならない。")],
     "第7条第2項", "車内に置いたまま車両を離れて", None),
    ("ACOM", [("t", "３　配達先リストは、"), ("c", "配達を終えた日のうちに図書館に返却"), ("t", "しなければならない。")],
     "第7条第3項", "配達を終えた日のうちに図書館に返却", None),
    ("H", [("t", "（連絡手段）")], None, None, None),
    ("A", [("t", "第８条　配達員は、私用の携帯電話で利用者に連絡し、又は利用者の電話番号を私用の携帯電話に登録してはならない。"), ("d", "ただし、急を要するときは、この限りでない。")],
     "第8条第1項", "私用の携帯電話に登録しては", None),
    ("A", [("t", "２　利用者への連絡は、受託者が貸与する業務用の携帯電話から行い、通話履歴は"), ("d", "契約終了時"), ("i", "毎月末"), ("t", "に消去するものとする。")],
     "第8条第2項", "受託者が貸与する業務用の携帯電話", None),
    ("H", [("t", "（再委託の禁止）")], None, None, None),
    ("A", [("t", "第９条　受託者は、本業務を第三者に委託してはならない。ただし、あらかじめ市の書面による承認を得たときは、この限りでない。")],
     "第9条", "本業務を第三者に委託しては", None),
    ("BOX", [("t", "（事故の報告）"), ("t", "第１０条　受託者は、利用者情報の漏えい、滅失又はき損その他の事故が生じたときは、直ちに市に報告し、その指示に従わなければならない。")],
     "第10条", "滅失又はき損その他の事故が生じた", None),
    ("H", [("t", "（調査）")], None, None, None),
    ("A", [("t", "第１１条　市は、必要があると認めるときは、受託者に対し利用者情報の取扱状況について報告を求め、又は実地に調査することができる。")],
     "第11条", "実地に調査することができる", None),
    ("H", [("t", "（返還及び廃棄）")], None, None, None),
    ("A", [("t", "第１２条　受託者は、契約が終了したときは、市から提供を受けた配達先リスト等を直ちに市に返還しなければならない。")],
     "第12条第1項", "配達先リスト等を直ちに市に返還", None),
    ("A", [("t", "２　受託者が作成した利用者情報の複製は、市の立会いの下で廃棄するものとする。")],
     "第12条第2項", "市の立会いの下で廃棄", None),
    ("H", [("t", "（損害賠償）")], None, None, None),
    ("A", [("t", "第１３条　受託者は、この特記事項に違反して市又は利用者に損害を与えたときは、その損害を賠償しなければならない。")],
     "第13条", "この特記事項に違反して市又は利用者", None),
]
D1_COMMENT = "【契約課】返却先は中央図書館に限るか、各分館でもよいか、担当課に確認してください。"

W_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:w10="urn:schemas-microsoft-com:office:word"')
_rev = [0]


def rid():
    _rev[0] += 1
    return _rev[0]


def w_run(text, deleted=False, bold=False, size=None):
    rpr = ""
    if bold or size:
        rpr = "<w:rPr>" + ("<w:b/>" if bold else "") + (f'<w:sz w:val="{size}"/>' if size else "") + "</w:rPr>"
    if deleted:
        return f'<w:r>{rpr}<w:delText xml:space="preserve">{x(text)}</w:delText></w:r>'
    return f'<w:r>{rpr}<w:t xml:space="preserve">{x(text)}</w:t></w:r>'


def segs_xml(segs):
    out = []
    for kind, text in segs:
        if kind == "t":
            out.append(w_run(text))
        elif kind == "i":
            out.append(f'<w:ins w:id="{rid()}" w:author="契約課 佐伯" w:date="{DATE}">{w_run(text)}</w:ins>')
        elif kind == "d":
            out.append(f'<w:del w:id="{rid()}" w:author="契約課 佐伯" w:date="{DATE}">{w_run(text, deleted=True)}</w:del>')
        elif kind == "c":
            out.append('<w:commentRangeStart w:id="0"/>' + w_run(text) + '<w:commentRangeEnd w:id="0"/>'
                       '<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference w:id="0"/></w:r>')
    return "".join(out)


def ppr(ind=None, jc=None, mark=None, keep=False):
    s = "<w:pPr>"
    if keep:
        s += "<w:keepNext/>"
    if ind == "art":
        s += '<w:ind w:left="210" w:hanging="210"/>'
    elif ind == "item":
        s += '<w:ind w:left="630" w:hanging="420"/>'
    if jc:
        s += f'<w:jc w:val="{jc}"/>'
    if mark:
        s += f'<w:rPr><w:{mark} w:id="{rid()}" w:author="契約課 佐伯" w:date="{DATE}"/></w:rPr>'
    return s + "</w:pPr>"


def build_doc1():
    body = []
    body.append(f"<w:p>{ppr(jc='right')}{w_run('別紙２')}</w:p>")
    body.append(f"<w:p>{ppr(jc='center')}{w_run(D1_TITLE, bold=True, size=26)}</w:p>")
    body.append(f"<w:p>{ppr(jc='right')}{w_run('楡ノ沢市教育委員会　中央図書館')}</w:p>")
    body.append("<w:p/>")
    for kind, segs, *_ in D1:
        if kind == "H":
            body.append(f"<w:p>{ppr(keep=True)}{segs_xml(segs)}</w:p>")
        elif kind in ("A", "ACOM"):
            body.append(f"<w:p>{ppr('art')}{segs_xml(segs)}</w:p>")
        elif kind == "I":
            body.append(f"<w:p>{ppr('item')}{segs_xml(segs)}</w:p>")
        elif kind == "DELP":
            body.append(f"<w:p>{ppr('item', mark='del')}{segs_xml(segs)}</w:p>")
        elif kind == "INSP":
            body.append(f"<w:p>{ppr('item', mark='ins')}{segs_xml(segs)}</w:p>")
        elif kind == "BOX":
            inner = "".join(f"<w:p>{ppr('art' if i else None)}{w_run(t, bold=(i == 0))}</w:p>"
                            for i, (_, t) in enumerate(segs))
            body.append(
                '<w:p><w:r><w:pict><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
                'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
                '<v:shape id="TextBox1" o:spid="_x0000_s1026" type="#_x0000_t202" '
                'style="width:425pt;height:62pt" strokeweight="1.5pt">'
                '<v:textbox inset="5pt,4pt,5pt,4pt"><w:txbxContent>' + inner +
                '</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>')
    body.append(f"<w:p>{ppr(jc='right')}{w_run('以上')}</w:p>")
    sect = ('<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
            '<w:pgMar w:top="1701" w:right="1418" w:bottom="1418" w:left="1418" w:header="851" w:footer="992" w:gutter="0"/>'
            '<w:docGrid w:type="lines" w:linePitch="360"/></w:sectPr>')
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {W_NS}><w:body>'
                + "".join(body) + sect + "</w:body></w:document>")
    comments = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:comments {W_NS}>'
                f'<w:comment w:id="0" w:author="契約課 佐伯" w:date="{DATE}" w:initials="佐">'
                f'<w:p><w:pPr><w:pStyle w:val="CommentText"/></w:pPr><w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:annotationRef/></w:r>'
                f'{w_run(D1_COMMENT)}</w:p></w:comment></w:comments>')
    styles = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles {W_NS}>'
              '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Century" w:eastAsia="ＭＳ 明朝" w:hAnsi="Century"/>'
              '<w:kern w:val="2"/><w:sz w:val="21"/><w:lang w:val="en-US" w:eastAsia="ja-JP"/></w:rPr></w:rPrDefault>'
              '<w:pPrDefault/></w:docDefaults>'
              '<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/><w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr></w:style>'
              '<w:style w:type="character" w:default="1" w:styleId="a0"><w:name w:val="Default Paragraph Font"/></w:style>'
              '<w:style w:type="character" w:styleId="CommentReference"><w:name w:val="annotation reference"/><w:rPr><w:sz w:val="18"/></w:rPr></w:style>'
              '<w:style w:type="paragraph" w:styleId="CommentText"><w:name w:val="annotation text"/><w:basedOn w:val="a"/><w:pPr><w:jc w:val="left"/></w:pPr></w:style>'
              '</w:styles>')
    settings = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:settings {W_NS}>'
                '<w:trackRevisions/><w:defaultTabStop w:val="840"/><w:compat><w:compatSetting w:name="compatibilityMode" '
                'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>')
    ctypes = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
              '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
              '<Default Extension="xml" ContentType="application/xml"/>'
              '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
              '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
              '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
              '<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>'
              '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
              '</Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            '</Relationships>')
    drels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
             '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>'
             '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/>'
             '</Relationships>')
    core = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<dc:title>{x(D1_TITLE)}</dc:title><dc:creator>中央図書館</dc:creator><cp:lastModifiedBy>契約課 佐伯</cp:lastModifiedBy>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">2026-03-10T00:00:00Z</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{DATE}</dcterms:modified></cp:coreProperties>')
    with zipfile.ZipFile(HERE / "doc1.docx", "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in [("[Content_Types].xml", ctypes), ("_rels/.rels", rels), ("word/document.xml", document),
                           ("word/_rels/document.xml.rels", drels), ("word/styles.xml", styles),
                           ("word/settings.xml", settings), ("word/comments.xml", comments), ("docProps/core.xml", core)]:
            z.writestr(name, data)
    src = [D1_TITLE]
    for kind, segs, *_ in D1:
        if kind == "DELP":
            continue
        if kind == "BOX":
            src += [t for _, t in segs]
            continue
        src.append("".join(t for k, t in segs if k != "d"))
    (HERE / "doc1.source.txt").write_text("\n".join(src) + "\n", encoding="utf-8")


def extract_docx_accepted(path):
    """Text of the document with every change accepted: w:t (inserted runs too), no w:delText,
    paragraphs inside the text box included; the comment part is not read."""
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    xml = re.sub(r"<w:del [^>]*>.*?</w:del>", "", xml, flags=re.S)
    xml = re.sub(r"<w:delText[^>]*>.*?</w:delText>", "", xml, flags=re.S)
    paras = []
    for p in re.findall(r"<w:p[ >].*?</w:p>|<w:p/>", xml, flags=re.S):
        paras.append("".join(re.findall(r"<w:t[^>]*>(.*?)</w:t>", p, flags=re.S)))
    import html
    return html.unescape("\n".join(paras))


# =============================================================================================
# doc2: 菫ヶ丘市, XLSX: cover sheet + rules sheet, 区分 merged per chapter, rows 1..19, Alt+Enter
# =============================================================================================
D2_MUNI = "菫ヶ丘市"
D2_TITLE = "防災行政無線戸別受信機設置業務における個人情報取扱遵守事項"
D2 = [
    ("総則", [
        ("本遵守事項は、菫ヶ丘市（以下「市」という。）が委託する防災行政無線戸別受信機設置業務（以下「本業務」という。）において、受託者が設置先世帯の個人情報を取り扱う際に守るべき事項を定める。", "設置先世帯の個人情報を取り扱う"),
        ("この遵守事項において「個人情報」とは、市が提供する設置希望者名簿、設置工事の日程表、宅内の配置図及び聴覚障害の有無その他の配慮事項をいう。", "宅内の配置図及び聴覚障害の有無"),
        ("受託者は、個人情報の管理責任者を定め、業務開始前に書面で市に届け出なければならない。", "管理責任者を定め、業務開始前に"),
    ]),
    ("訪問及び設置", [
        ("受託者は、設置工事の日程を世帯に連絡するときは、名簿に記載された電話番号により行い、近隣住民や親族に日程を伝えてはならない。", "近隣住民や親族に日程を伝えて"),
        ("作業員は、訪問時に次の事項を守ること。\n・市が発行した作業員証を胸に着用する。\n・宅内では設置に必要な場所以外に立ち入らない。\n・宅内の物を動かすときは、世帯の了承を得る。", "訪問時に次の事項を守ること"),
        ("作業員は、設置完了の確認として、設置場所の写真を撮影することができる。ただし、\n世帯員の顔や郵便物が写らないようにしなければならない。", "世帯員の顔や郵便物が写らない"),
        ("作業員は、不在の世帯に不在連絡票を投函するときは、連絡票に世帯主の氏名を記載してはならない。", "連絡票に世帯主の氏名を記載して"),
        ("受託者は、世帯から避難に関する相談や身上の話を受けたときは、その内容を記録せず、市の担当課を案内するものとする。", "その内容を記録せず、市の担当課"),
        ("作業員は、設置工事の際に知り得た家族構成、在宅時間等を、他の世帯や業務以外の場で話してはならない。", "家族構成、在宅時間等を"),
    ]),
    ("情報の管理", [
        ("設置希望者名簿は、受託者の事務所内の施錠できる場所に保管し、\n事務所外に持ち出すときは、あらかじめ市の承認を得なければならない。", "施錠できる場所に保管し"),
        ("作業員が現場に携行する名簿は、当日訪問する世帯の分に限り、住所と氏名以外の配慮事項は記載しないものとする。", "住所と氏名以外の配慮事項は"),
        ("受託者は、個人情報を電子データで扱うときは、市が認めたパソコン以外で使用してはならず、外部記録媒体に保存してはならない。", "市が認めたパソコン以外で使用"),
        ("受託者は、個人情報を電子メールで送信するときは、ファイルにパスワードを設定し、\nパスワードは別の手段で市に通知しなければならない。", "パスワードは別の手段で市に通知"),
        ("受託者は、本業務の全部又は一部を第三者に再委託してはならない。ただし、あらかじめ市の承認を得たときは、この限りでない。", "一部を第三者に再委託しては"),
        ("受託者は、業務日報に世帯の氏名を記載せず、受付番号で記録しなければならない。", "受付番号で記録しなければ"),
    ]),
    ("事故及び\n業務完了", [
        ("受託者は、名簿の紛失、誤送信その他の事故が発生したときは、直ちに市に電話で報告し、３日以内に事故報告書を提出しなければならない。", "誤送信その他の事故が発生"),
        ("市は、必要があると認めるときは、受託者の事務所に立ち入り、個人情報の管理状況を検査することができる。", "管理状況を検査することができる"),
        ("受託者は、業務が完了したときは、市から提供を受けた名簿及び配置図を、完了の日から１０日以内に市に返還しなければならない。", "名簿及び配置図を、完了の日から"),
        ("受託者は、作成した複写物及び電子データを廃棄し、\nその結果を廃棄報告書により市に報告しなければならない。", "廃棄報告書により市に報告"),
    ]),
]


def build_doc2():
    wb = openpyxl.Workbook()
    cov = wb.active
    cov.title = "表紙"
    cov.column_dimensions["A"].width = 4
    cov.column_dimensions["B"].width = 80
    cov["B2"] = "別紙３"
    cov["B2"].alignment = Alignment(horizontal="right")
    cov["B8"] = "防災行政無線戸別受信機設置業務"
    cov["B9"] = "個人情報取扱遵守事項"
    for c in ("B8", "B9"):
        cov[c].font = Font(name="ＭＳ ゴシック", size=20, bold=True)
        cov[c].alignment = Alignment(horizontal="center")
    cov["B20"] = "令和８年４月１日"
    cov["B21"] = "菫ヶ丘市　総務部　危機管理課"
    for c in ("B20", "B21"):
        cov[c].font = Font(name="ＭＳ 明朝", size=14)
        cov[c].alignment = Alignment(horizontal="center")
    ws = wb.create_sheet("遵守事項")
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 6
    ws.column_dimensions["C"].width = 70
    ws.column_dimensions["D"].width = 8
    ws["A1"] = "個人情報取扱遵守事項"
    ws["A1"].font = Font(name="ＭＳ ゴシック", size=14, bold=True)
    ws.merge_cells("A1:D1")
    ws["A2"] = "受託者は、本業務の実施に当たり、次の事項を遵守すること。"
    ws.merge_cells("A2:D2")
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    fill = PatternFill("solid", fgColor="D9D9D9")
    for col, head in zip("ABCD", ("区分", "番号", "遵守事項", "確認欄")):
        c = ws[f"{col}4"]
        c.value = head
        c.font = Font(name="ＭＳ ゴシック", bold=True)
        c.fill = fill
        c.border = border
        c.alignment = Alignment(horizontal="center", vertical="center")
    row = 5
    n = 0
    for sect, rules in D2:
        first = row
        for text, _ in rules:
            n += 1
            ws[f"B{row}"] = n
            ws[f"C{row}"] = text
            ws[f"B{row}"].alignment = Alignment(horizontal="center", vertical="top")
            ws[f"C{row}"].alignment = Alignment(wrap_text=True, vertical="top")
            lines = sum(-(-len(seg) // 44) for seg in text.split("\n"))
            ws.row_dimensions[row].height = 15 * lines + 4
            for col in "ABCD":
                ws[f"{col}{row}"].border = border
            row += 1
        ws[f"A{first}"] = sect
        ws[f"A{first}"].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.merge_cells(f"A{first}:A{row - 1}")
    ws.print_title_rows = "4:4"
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = "&P / &N"
    ws.freeze_panes = "A5"
    wb.save(HERE / "doc2.xlsx")
    src = [D2_TITLE]
    n = 0
    for sect, rules in D2:
        for i, (text, _) in enumerate(rules):
            n += 1
            src.append(("%s\t" % sect.replace("\n", "") if i == 0 else "\t") + f"{n}\t" + text.replace("\n", ""))
    (HERE / "doc2.source.txt").write_text("\n".join(src) + "\n", encoding="utf-8")


def extract_xlsx(path):
    wb = openpyxl.load_workbook(path)
    out = []
    for ws in wb.worksheets:
        for r in ws.iter_rows():
            for c in r:
                if c.value is not None:
                    out.append(str(c.value))
    return "\n".join(out)


# =============================================================================================
# doc3: 鴫野台市, ODT: chapters as outline headings 第%1章, articles/paragraphs/items from one list
# style 第%1条 / %2 (starts at 2) / (%3); no number in the text
# kind: C chapter, H heading, A article (level 1), P paragraph (level 2), I item (level 3)
# =============================================================================================
D3_MUNI = "鴫野台市"
D3_TITLE = "高齢者配食サービス事業委託に係る個人情報保護特記事項"
D3 = [
    ("C", "総則", None, None, None, "第1章"),
    ("H", "（目的）", None, None, None, None),
    ("A", "この特記事項は、鴫野台市（以下「市」という。）が委託する高齢者配食サービス事業（以下「本事業」という。）において、受託者が利用者の個人情報を適正に取り扱うために必要な事項を定めるものとする。",
     "第1条", "利用者の個人情報を適正に取り扱う", None, "第1条"),
    ("H", "（定義）", None, None, None, None),
    ("A", "この特記事項において「個人情報」とは、利用申請書、アセスメント票、食事制限の内容、緊急連絡先その他本事業の実施に当たって受託者が知り得た利用者及びその家族に関する情報をいう。",
     "第2条", "アセスメント票、食事制限の内容", None, "第2条"),
    ("C", "受託者の義務", None, None, None, "第2章"),
    ("H", "（秘密の保持）", None, None, None, None),
    ("A", "受託者は、本事業で知り得た個人情報を第三者に漏らしてはならない。この契約が終了し、又は解除された後においても、同様とする。",
     "第3条", "解除された後においても", None, "第3条"),
    ("H", "（安否確認）", None, None, None, None),
    ("A", "受託者は、配食の際に利用者の安否を確認し、応答がないときその他異常を認めたときは、直ちに緊急連絡先及び市に連絡しなければならない。",
     "第4条第1項", "応答がないときその他異常を認めた", None, "第4条"),
    ("P", "受託者は、前項の連絡をしたときは、その日時及び対応の内容を記録し、翌月10日までに市に報告しなければならない。",
     "第4条第2項", "その日時及び対応の内容を記録し", None, "2"),
    ("P", "受託者は、安否確認のために利用者の住居に立ち入るときは、緊急の場合を除き、あらかじめ市の承認を得なければならない。",
     "第4条第3項", "緊急の場合を除き、あらかじめ", None, "3"),
    ("H", "（従事者の遵守事項）", None, None, None, None),
    ("A", "受託者は、配達に従事する者（以下「配達員」という。）に次に掲げる事項を守らせなければならない。",
     "第5条第1項", "という。)に次に掲げる事項を守らせ", None, "第5条"),
    ("I", "弁当の容器、配達票その他の物に、利用者の病名や食事制限の理由を書かないこと。",
     "第5条第1項第1号", "病名や食事制限の理由を書かない", ["第5条第1号"], "(1)"),
    ("I", "配達票を車両のダッシュボード等外から見える場所に置かないこと。",
     "第5条第1項第2号", "ダッシュボード等外から見える", ["第5条第2号"], "(2)"),
    ("I", "利用者から鍵を預からないこと。",
     "第5条第1項第3号", "利用者から鍵を預からない", ["第5条第3号"], "(3)"),
    ("I", "利用者の家族や近所の者から利用者の様子を尋ねられても、答えないこと。",
     "第5条第1項第4号", "利用者の様子を尋ねられても", ["第5条第4号"], "(4)"),
    ("P", "受託者は、配達員に対し、年1回以上、個人情報の取扱いに関する研修を実施しなければならない。",
     "第5条第2項", "個人情報の取扱いに関する研修", None, "2"),
    ("C", "情報の管理", None, None, None, "第3章"),
    ("H", "（持出しの制限）", None, None, None, None),
    ("A", "受託者は、配達に必要な範囲を超えて個人情報を事業所の外に持ち出してはならない。",
     "第6条第1項", "配達に必要な範囲を超えて", None, "第6条"),
    ("P", "配達票は、配達の終了後、当日中に事業所に持ち帰り、施錠できる保管庫に保管しなければならない。",
     "第6条第2項", "当日中に事業所に持ち帰り", None, "2"),
    ("H", "（複写等の禁止）", None, None, None, None),
    ("A", "受託者は、市の承認を得ないで、個人情報を複写し、又は複製してはならない。",
     "第7条", "個人情報を複写し、又は複製", None, "第7条"),
    ("H", "（再委託の禁止）", None, None, None, None),
    ("A", "受託者は、本事業の全部又は一部を第三者に委託してはならない。ただし、調理業務について、あらかじめ市の書面による承認を得たときは、この限りでない。",
     "第8条", "調理業務について、あらかじめ", None, "第8条"),
    ("C", "雑則", None, None, None, "第4章"),
    ("H", "（事故の報告）", None, None, None, None),
    ("A", "受託者は、個人情報の漏えい、紛失その他の事故が生じ、又は生じたおそれがあるときは、直ちに市に報告し、市の指示に従わなければならない。",
     "第9条", "生じたおそれがあるときは", None, "第9条"),
    ("H", "（調査等）", None, None, None, None),
    ("A", "市は、必要があると認めるときは、受託者に対し、個人情報の取扱状況について報告を求め、又は事業所に立ち入って調査することができる。",
     "第10条", "事業所に立ち入って調査", None, "第10条"),
    ("H", "（返還等）", None, None, None, None),
    ("A", "受託者は、契約が終了したときは、市から提供を受けた個人情報を直ちに市に返還し、受託者が作成した記録は市の指示に従い消去しなければならない。",
     "第11条", "作成した記録は市の指示に従い消去", None, "第11条"),
]

ODF_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
          'xmlns:dc="http://purl.org/dc/elements/1.1/" '
          'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
          'xmlns:loext="urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0" '
          'office:version="1.3"')


def build_doc3():
    outline = ('<text:outline-style style:name="Outline">'
               '<text:outline-level-style text:level="1" style:num-prefix="第" style:num-suffix="章" style:num-format="1">'
               '<style:list-level-properties text:list-level-position-and-space-mode="label-alignment">'
               '<style:list-level-label-alignment text:label-followed-by="space" fo:text-indent="0cm" fo:margin-left="0cm"/>'
               '</style:list-level-properties></text:outline-level-style></text:outline-style>')
    liststyle = ('<text:list-style style:name="Jobun">'
                 '<text:list-level-style-number text:level="1" style:num-prefix="第" style:num-suffix="条" style:num-format="1">'
                 '<style:list-level-properties text:list-level-position-and-space-mode="label-alignment">'
                 '<style:list-level-label-alignment text:label-followed-by="space" fo:text-indent="-0.37cm" fo:margin-left="0.37cm"/>'
                 '</style:list-level-properties></text:list-level-style-number>'
                 '<text:list-level-style-number text:level="2" style:num-format="1" text:start-value="2">'
                 '<style:list-level-properties text:list-level-position-and-space-mode="label-alignment">'
                 '<style:list-level-label-alignment text:label-followed-by="space" fo:text-indent="-0.37cm" fo:margin-left="0.37cm"/>'
                 '</style:list-level-properties></text:list-level-style-number>'
                 '<text:list-level-style-number text:level="3" style:num-prefix="(" style:num-suffix=")" style:num-format="1">'
                 '<style:list-level-properties text:list-level-position-and-space-mode="label-alignment">'
                 '<style:list-level-label-alignment text:label-followed-by="space" fo:text-indent="-0.74cm" fo:margin-left="1.11cm"/>'
                 '</style:list-level-properties></text:list-level-style-number>'
                 '</text:list-style>')
    styles = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles {ODF_NS}>'
              '<office:font-face-decls/><office:styles>'
              '<style:default-style style:family="paragraph"><style:text-properties style:font-name-asian="IPAMincho" '
              'fo:font-size="10.5pt" style:font-size-asian="10.5pt" fo:language="ja" fo:country="JP" '
              'style:language-asian="ja" style:country-asian="JP"/></style:default-style>'
              '<style:style style:name="Standard" style:family="paragraph" style:class="text"/>'
              '<style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph" style:parent-style-name="Standard"/>'
              '<style:style style:name="Title" style:family="paragraph" style:parent-style-name="Standard">'
              '<style:paragraph-properties fo:text-align="center" fo:margin-bottom="0.4cm"/>'
              '<style:text-properties fo:font-size="13pt" style:font-size-asian="13pt" fo:font-weight="bold" style:font-weight-asian="bold"/></style:style>'
              '<style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" '
              'style:parent-style-name="Standard" style:default-outline-level="1" style:list-style-name="">'
              '<style:paragraph-properties fo:margin-top="0.3cm" fo:margin-bottom="0.1cm" fo:keep-with-next="always"/>'
              '<style:text-properties fo:font-weight="bold" style:font-weight-asian="bold"/></style:style>'
              '<style:style style:name="Midashi" style:family="paragraph" style:parent-style-name="Standard">'
              '<style:paragraph-properties fo:margin-left="0.37cm" fo:keep-with-next="always"/></style:style>'
              '<style:style style:name="Right" style:family="paragraph" style:parent-style-name="Standard">'
              '<style:paragraph-properties fo:text-align="end"/></style:style>'
              + outline + liststyle +
              '</office:styles></office:document-styles>')
    body = [f'<text:p text:style-name="Right">{x(D3_MUNI)}　福祉部　高齢福祉課</text:p>',
            f'<text:p text:style-name="Title">{x(D3_TITLE)}</text:p>']
    i = 0
    first_list = True
    while i < len(D3):
        kind, text = D3[i][0], D3[i][1]
        if kind == "C":
            body.append(f'<text:h text:style-name="Heading_20_1" text:outline-level="1">{x(text)}</text:h>')
            i += 1
        elif kind == "H":
            body.append(f'<text:p text:style-name="Midashi">{x(text)}</text:p>')
            i += 1
        else:
            # an article: the A entry and its following P / I entries, one list item at level 1
            art = [D3[i]]
            i += 1
            while i < len(D3) and D3[i][0] in ("P", "I"):
                art.append(D3[i])
                i += 1
            attrs = 'text:style-name="Jobun"' + (' xml:id="jobun1"' if first_list else ' text:continue-list="jobun1"')
            first_list = False
            inner = f'<text:p text:style-name="Text_20_body">{x(art[0][1])}</text:p>'
            # level 2 (paragraphs) and level 3 (items, under paragraph 1 or the last paragraph)
            items_open = False
            sub = []
            for e in art[1:]:
                if e[0] == "I":
                    sub.append(("I", e[1]))
                else:
                    sub.append(("P", e[1]))
            # build nested: items directly under the article use an empty level-2 wrapper
            xml_sub = ""
            j = 0
            while j < len(sub):
                if sub[j][0] == "I":
                    items = ""
                    while j < len(sub) and sub[j][0] == "I":
                        items += f'<text:list-item><text:p text:style-name="Text_20_body">{x(sub[j][1])}</text:p></text:list-item>'
                        j += 1
                    xml_sub += f'<text:list><text:list-header><text:list><text:list-item-placeholder/></text:list></text:list-header></text:list>' if False else ""
                    xml_sub += f'<text:list><text:list-header><text:list>{items}</text:list></text:list-header></text:list>'
                else:
                    paras = ""
                    while j < len(sub) and sub[j][0] == "P":
                        paras += f'<text:list-item><text:p text:style-name="Text_20_body">{x(sub[j][1])}</text:p></text:list-item>'
                        j += 1
                    xml_sub += f'<text:list>{paras}</text:list>'
            body.append(f'<text:list {attrs}><text:list-item>{inner}{xml_sub}</text:list-item></text:list>')
    body.append('<text:p text:style-name="Right">以上</text:p>')
    content = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {ODF_NS}>'
               '<office:automatic-styles/><office:body><office:text>' + "".join(body) +
               '</office:text></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
                '<manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
                '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
                '</manifest:manifest>')
    meta = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {ODF_NS}><office:meta>'
            f'<dc:title>{x(D3_TITLE)}</dc:title><meta:generator>LibreOffice/7.6</meta:generator>'
            '</office:meta></office:document-meta>')
    with zipfile.ZipFile(HERE / "doc3.odt", "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        for name, data in [("content.xml", content), ("styles.xml", styles), ("meta.xml", meta),
                           ("META-INF/manifest.xml", manifest)]:
            z.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    src = [D3_TITLE]
    for e in D3:
        kind, text, num = e[0], e[1], e[5]
        if kind == "C":
            src.append(f"{num}　{text}")
        elif kind == "H":
            src.append(text)
        else:
            src.append(f"{num}　{text}")
    (HERE / "doc3.source.txt").write_text("\n".join(src) + "\n", encoding="utf-8")


def extract_odt(path):
    import html
    xml = zipfile.ZipFile(path).read("content.xml").decode("utf-8")
    xml = re.sub(r"<text:s[^>]*/>", " ", xml)
    xml = re.sub(r"<text:line-break/>", "\n", xml)
    xml = re.sub(r"</text:(p|h)>", "\n", xml)
    return html.unescape(re.sub(r"<[^>]+>", "", xml))


# =============================================================================================
# doc4: 鷺ノ森市, a city web page printed from a browser to PDF: hand-written CMS HTML, opened by
# LibreOffice (Writer/Web import) and saved as ODT, the browser's print header (date + page title)
# and footer (URL + N/M) added to the page style, then exported to PDF
# entries: (kind, text, label, frag, alt); H heading, A article/paragraph, I item
# =============================================================================================
D4_MUNI = "鷺ノ森市"
D4_TITLE = "路上喫煙防止指導業務委託に係る個人情報取扱特記事項"
D4_URL = "https://www.city.saginomori.lg.jp/soshiki/kankyo/bika/1008342.html"
D4_PRINTED = "2026/04/02 14:05"
D4 = [
    ("H", "（目的）", None, None, None),
    ("A", "第１条　この特記事項は、鷺ノ森市（以下「市」という。）が委託する路上喫煙防止指導業務（以下「本業務」という。）において、受託者が喫煙者等の個人情報を取り扱う際に守るべき事項を定めるものとする。",
     "第1条", "喫煙者等の個人情報を取り扱う際に", None),
    ("H", "（定義）", None, None, None),
    ("A", "第２条　この特記事項において「個人情報」とは、本業務において受託者が取得した違反者の氏名、住所、生年月日、指導記録、過料の納付に関する情報及び指導中に撮影した画像をいう。",
     "第2条", "過料の納付に関する情報及び指導中", None),
    ("H", "（秘密の保持）", None, None, None),
    ("A", "第３条　受託者は、本業務で知り得た個人情報を他に漏らし、又は不当な目的に使用してはならない。本業務が終了した後も、同様とする。",
     "第3条", "又は不当な目的に使用して", None),
    ("H", "（指導時の遵守事項）", None, None, None),
    ("A", "第４条　受託者は、本業務に従事する指導員に、次に掲げる事項を守らせなければならない。",
     "第4条", "従事する指導員に、次に掲げる", ["第4条第1項"]),
    ("I", "（１）　違反者の氏名等を確認するときは、通行人に聞こえないよう、人の流れから離れた場所で行うこと。",
     "第4条第1号", "人の流れから離れた場所で", ["第4条第1項第1号"]),
    ("I", "（２）　違反者の身分証明書は目視で確認し、預かり、又は写しを取らないこと。",
     "第4条第2号", "目視で確認し、預かり、又は写し", ["第4条第1項第2号"]),
    ("I", "（３）　指導の様子を撮影するときは、市が貸与する記録用カメラを使用し、私物の端末で撮影しないこと。",
     "第4条第3号", "市が貸与する記録用カメラを使用", ["第4条第1項第3号"]),
    ("I", "（４）　指導中に知り得た違反者の勤務先や連絡先を、本業務以外の目的で利用しないこと。",
     "第4条第4号", "違反者の勤務先や連絡先を", ["第4条第1項第4号"]),
    ("H", "（記録の作成）", None, None, None),
    ("A", "第５条　受託者は、指導記録を市が定める様式により作成し、翌開庁日の正午までに市に提出しなければならない。",
     "第5条第1項", "翌開庁日の正午までに", None),
    ("A", "２　受託者は、指導記録の控えを作成してはならない。",
     "第5条第2項", "指導記録の控えを作成しては", None),
    ("H", "（過料の徴収）", None, None, None),
    ("A", "第６条　受託者は、過料を現地で徴収したときは、市が交付する領収書を発行し、その日のうちに現金及び領収書の控えを市に引き渡さなければならない。",
     "第6条", "現金及び領収書の控えを市に引き渡", None),
    ("H", "（画像の取扱い）", None, None, None),
    ("A", "第７条　受託者は、指導中に撮影した画像を、市のウェブサイト、広報紙その他の媒体に掲載してはならない。",
     "第7条第1項", "広報紙その他の媒体に掲載しては", None),
    ("A", "２　記録用カメラの画像は、毎日の業務終了後に市の端末に移し、カメラからは直ちに消去しなければならない。",
     "第7条第2項", "カメラからは直ちに消去", None),
    ("H", "（持出しの禁止）", None, None, None),
    ("A", "第８条　受託者は、指導記録その他の個人情報を、指導区域及び市が指定する詰所以外の場所に持ち出してはならない。",
     "第8条", "市が指定する詰所以外の場所", None),
    ("H", "（第三者からの問合せ）", None, None, None),
    ("A", "第９条　受託者は、違反者の家族、勤務先その他の第三者から指導の有無について問合せを受けたときは、回答せず、市の担当課に引き継がなければならない。",
     "第9条", "指導の有無について問合せを受けた", None),
    ("H", "（再委託の禁止）", None, None, None),
    ("A", "第１０条　受託者は、あらかじめ市の書面による承認を得なければ、本業務を第三者に委託してはならない。",
     "第10条", "本業務を第三者に委託しては", None),
    ("H", "（事故の報告）", None, None, None),
    ("A", "第１１条　受託者は、個人情報の漏えい、紛失その他の事故が発生したときは、直ちに市に報告し、その指示に従うものとする。",
     "第11条", "直ちに市に報告し、その指示に従う", None),
    ("H", "（調査）", None, None, None),
    ("A", "第１２条　市は、受託者における個人情報の管理状況について、随時、実地に調査することができる。",
     "第12条", "随時、実地に調査することが", None),
]


def d4_html():
    import html as H
    e = H.escape
    rules = []
    for kind, text, *_ in D4:
        cls = {"H": "midashi", "A": "jobun", "I": "gou"}[kind]
        rules.append(f'<p class="{cls}">{e(text)}</p>')
    return f"""<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<title>{e(D4_TITLE)}｜鷺ノ森市</title>
<style>
body {{ font-family: "IPAPGothic", sans-serif; font-size: 11pt; }}
.midashi {{ margin: 10px 0 0 0; }}
.jobun {{ margin: 0 0 0 1em; text-indent: -1em; }}
.gou {{ margin: 0 0 0 3em; text-indent: -2em; }}
.nav, .bread, .tools {{ font-size: 9pt; }}
</style>
</head>
<body>
<p class="tools"><a href="#main">本文へ移動</a>　<a href="/sitemap.html">サイトマップ</a>　<a href="/foreign/">Foreign Language</a>　文字サイズ　<a href="#">標準</a>　<a href="#">拡大</a></p>
<p><b>鷺ノ森市</b>　Saginomori City</p>
<p class="nav"><a href="/kurashi/">くらし・手続き</a>　|　<a href="/kosodate/">子育て・教育</a>　|　<a href="/kenko/">健康・福祉</a>　|　<a href="/kanko/">観光・文化</a>　|　<a href="/shisei/">市政情報</a></p>
<p class="bread"><a href="/">ホーム</a> &gt; <a href="/shisei/">市政情報</a> &gt; <a href="/shisei/nyusatsu/">入札・契約</a> &gt; <a href="/shisei/nyusatsu/itaku/">委託契約の特記事項</a> &gt; {e(D4_TITLE)}</p>
<h1 id="main">{e(D4_TITLE)}</h1>
<p>ページ番号：1008342　更新日：2026年3月18日</p>
<p>路上喫煙防止指導業務の受託者は、契約書に定めるもののほか、次の特記事項を遵守してください。</p>
{chr(10).join(rules)}
<p>附　則</p>
<p>この特記事項は、令和８年４月１日から施行する。</p>
<h2>このページに関するお問い合わせ</h2>
<p>環境部　環境政策課　美化推進係<br>〒248-0000　鷺ノ森市本町一丁目1番1号　市役所本庁舎4階<br>電話：0467-00-4410　ファクス：0467-00-4419<br><a href="/form/inquiry.html?id=1008342">お問い合わせフォーム</a></p>
<p><a href="#">ページの先頭へ</a></p>
<p class="nav"><a href="/privacy.html">個人情報の取扱い</a>　<a href="/accessibility.html">ウェブアクセシビリティ方針</a>　<a href="/link.html">リンク集</a></p>
<p>鷺ノ森市役所　法人番号 1000020000000<br>Copyright © Saginomori City. All Rights Reserved.</p>
</body>
</html>
"""


def build_doc4():
    import shutil
    import subprocess
    import tempfile
    work = Path(tempfile.mkdtemp(prefix="c11d4_"))
    try:
        (work / "page.html").write_text(d4_html(), encoding="utf-8")
        subprocess.run(["soffice", "--headless", "--convert-to", "odt:writerweb8_writer", "--outdir", str(work),
                        str(work / "page.html")], check=True, capture_output=True)
        odt = work / "page.odt"
        zin = zipfile.ZipFile(odt)
        files = {n: zin.read(n) for n in zin.namelist()}
        zin.close()
        st = files["styles.xml"].decode("utf-8")
        hf_style = ('<style:style style:name="PrintHF" style:family="paragraph">'
                    '<style:paragraph-properties><style:tab-stops><style:tab-stop style:position="17cm" style:type="right"/>'
                    '</style:tab-stops></style:paragraph-properties><style:text-properties fo:font-size="8pt" '
                    'style:font-size-asian="8pt" style:font-name-asian="IPAPGothic"/></style:style>')
        st = st.replace("</office:styles>", hf_style + "</office:styles>", 1)
        mp = re.search(r'<style:master-page style:name="HTML" style:page-layout-name="(\w+)"[^>]*?(/>|>.*?</style:master-page>)', st, flags=re.S)
        layout = mp.group(1)
        head = (f'<style:header><text:p text:style-name="PrintHF">{x(D4_PRINTED)}<text:tab/>{x(D4_TITLE)}｜鷺ノ森市</text:p></style:header>'
                f'<style:footer><text:p text:style-name="PrintHF">{x(D4_URL)}<text:tab/><text:page-number text:select-page="current">1</text:page-number>/<text:page-count>1</text:page-count></text:p></style:footer>')
        st = st.replace(mp.group(0), f'<style:master-page style:name="HTML" style:page-layout-name="{layout}">{head}</style:master-page>')
        pl = re.search(r'<style:page-layout style:name="%s">.*?</style:page-layout>' % layout, st, flags=re.S).group(0)
        pl2 = re.sub(r'fo:margin-(top|bottom)="[^"]*"', lambda m: f'fo:margin-{m.group(1)}="0.8cm"', pl)
        pl2 = re.sub(r'fo:margin-(left|right)="[^"]*"', lambda m: f'fo:margin-{m.group(1)}="2cm"', pl2, count=2)
        pl2 = pl2.replace("<style:header-style/>", '<style:header-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-bottom="0.5cm"/></style:header-style>')
        pl2 = pl2.replace("<style:footer-style/>", '<style:footer-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-top="0.5cm"/></style:footer-style>')
        st = st.replace(pl, pl2)
        files["styles.xml"] = st.encode("utf-8")
        odt2 = work / "printed.odt"
        with zipfile.ZipFile(odt2, "w") as z:
            z.writestr(zipfile.ZipInfo("mimetype"), files.pop("mimetype"), compress_type=zipfile.ZIP_STORED)
            for n, data in files.items():
                z.writestr(n, data, compress_type=zipfile.ZIP_DEFLATED)
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(work), str(odt2)],
                       check=True, capture_output=True)
        shutil.copy(work / "printed.pdf", HERE / "doc4.pdf")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    src = [D4_TITLE] + [e[1] for e in D4]
    (HERE / "doc4.source.txt").write_text("\n".join(src) + "\n", encoding="utf-8")


def pdftext(path, layout=False):
    import subprocess
    args = ["pdftotext"] + (["-layout"] if layout else []) + [str(path), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


# =============================================================================================
# gold and questions
# =============================================================================================
def num_alt(n):
    return [f"第{n}項", f"({n})", f"{n}."]


def gold():
    g = []
    cl = []
    for e in D1:
        if e[2]:
            c = {"label": e[2], "frag": e[3]}
            if e[4]:
                c["alt"] = e[4]
            cl.append(c)
    g.append({"doc": "doc1", "file": "doc1.docx", "municipality": D1_MUNI, "title": D1_TITLE, "slug": "dx1", "clauses": cl})
    cl = []
    n = 0
    for _, rules in D2:
        for _, frag in rules:
            n += 1
            cl.append({"label": str(n), "frag": frag, "alt": num_alt(n)})
    g.append({"doc": "doc2", "file": "doc2.xlsx", "municipality": D2_MUNI, "title": D2_TITLE, "slug": "dx2", "clauses": cl})
    cl = []
    for e in D3:
        if e[2]:
            c = {"label": e[2], "frag": e[3]}
            if e[4]:
                c["alt"] = e[4]
            cl.append(c)
    g.append({"doc": "doc3", "file": "doc3.odt", "municipality": D3_MUNI, "title": D3_TITLE, "slug": "dx3", "clauses": cl})
    cl = []
    for e in D4:
        if e[2]:
            c = {"label": e[2], "frag": e[3]}
            if e[4]:
                c["alt"] = e[4]
            cl.append(c)
    g.append({"doc": "doc4", "file": "doc4.pdf", "municipality": D4_MUNI, "title": D4_TITLE, "slug": "dx4", "clauses": cl})
    return g


Q = {
    "dx1": [
        ("お茶でも飲んでってと言われて、おばあちゃんちに上がっちゃった。まずかった？", "玄関先で資料を受け渡す"),
        ("留守だったから本をドアの前に置いてきたけど大丈夫かな", "郵便受けや玄関前に置かず"),
        ("お礼にってみかん渡されたんだけど、もらっていい？", "飲食物その他の謝礼を受け取らない"),
        ("okyakusan no denwabangou, jibun no sumaho ni touroku shite mo ii?", "私用の携帯電話に登録しては"),
        ("今日回る分の一覧なんですけど、明日の分もまとめて刷っておけば朝ラクだし、ついでに来週の分も出しとこうかなって思ってて、どうせ全部回るんだし別にいいですよね？", "当日の配達分に限らなければ"),
        ("ｺﾝﾋﾞﾆ寄るとき、配る先の紙を助手席に置いたまま降りてもいい？", "車内に置いたまま車両を離れて"),
        ("あのおじいさんいつも推理小説ばっかりだよねって同僚と話すのはNG?", "借りた資料の題名その他の貸出履歴"),
        ("玄関で「あんた誰？」って怪しまれたらどうすればいい？", "配達員に身分証明書を携帯させ"),
    ],
    "dx1x": ["ガソリン代って精算できる？", "雨の日のカッパは自腹？"],
    "dx2": [
        ("テレビの横につけた機械をスマホで撮ったら、おばあちゃんも写っちゃった。ダメ？", "世帯員の顔や郵便物が写らない"),
        ("隣の人に「お向かいの家っていつ来るの？」って聞かれた。答えていい？", "近隣住民や親族に日程を伝えて"),
        ("留守の家に入れる紙、宛名書いといたほうが親切だよね？", "連絡票に世帯主の氏名を記載して"),
        ("meibo no fairu wo meeru de okuru toki, pasuwaado wa douyatte oshieru?", "パスワードは別の手段で市に通知"),
        ("付けに行ったおうちのおじいちゃんが、息子さんは県外で昼間はずっと一人なんだとか色々話してくれて、それを休憩中に別の現場の人にちょっと話しちゃったんですけど、悪気はなかったんですがまずかったですかね？", "家族構成、在宅時間等を"),
        ("会社のPC壊れちゃった、自分ちのPCでｴｸｾﾙ開いて作業してもOK?", "市が認めたパソコン以外で使用"),
        ("今日回った家、その日の日誌にお名前書いとけばいい？", "受付番号で記録しなければ"),
        ("耳が聞こえにくい方とか、そういうメモも持って出かけていい？", "住所と氏名以外の配慮事項は"),
    ],
    "dx2x": ["制服のクリーニング代って出る？", "はしごは何段まで使っていいの？"],
    "dx3": [
        ("ごはんのフタに「塩分控えめ・腎臓」ってマジックで書いといていい？", "病名や食事制限の理由を書かない"),
        ("ピンポン押しても出てこないおばあちゃん、どうしたらいい？", "応答がないときその他異常を認めた"),
        ("「次から合鍵渡しとくね」って言われた、もらっていい？", "利用者から鍵を預からない"),
        ("haitatsu no kami, kuruma no mae no tokoro ni oitoite mo ii?", "ダッシュボード等外から見える"),
        ("配達先のお隣さんがいつも出てきて、最近あのおじいちゃん元気？ちゃんと食べてる？って心配そうに聞いてくるんですよね、悪い人じゃないし、別に答えても問題ないですよね？", "利用者の様子を尋ねられても"),
        ("配る先のﾘｽﾄ、家に持って帰って明日の朝そのまま回ってもいい？", "当日中に事業所に持ち帰り"),
        ("おかず作るのだけ別の業者さんに頼むのってアリ？", "調理業務について、あらかじめ"),
        ("お客さんの名簿、コピーしてドライバーみんなに配っていい？", "個人情報を複写し、又は複製"),
    ],
    "dx3x": ["駐車違反の罰金って会社持ち？", "年末年始はお休み？"],
    "dx4": [
        ("タバコ吸ってた人の名前聞くとき、駅前の人ごみの真ん中でいいよね？", "人の流れから離れた場所で"),
        ("免許証ちょっと預かって事務所でコピーしてもいい？", "目視で確認し、預かり、又は写し"),
        ("自分のスマホで注意してるとこ撮っていい？", "市が貸与する記録用カメラを使用"),
        ("kinou no shidou no memo, kopii shite jibun de motte oite mo ii?", "指導記録の控えを作成しては"),
        ("さっき注意した人の会社の人から電話があって、うちの社員が何か注意されたって聞いたんですけど本当ですか、みたいに言われて、本当のことだし答えてもいいのかなって思ったんですけど、どうなんでしょう？", "指導の有無について問合せを受けた"),
        ("ﾎﾟｲ捨ての人から集めたお金、明日まとめて持ってけばいい？", "現金及び領収書の控えを市に引き渡"),
        ("注意してる写真、市のお知らせに載せたら効果ありそうじゃない？", "広報紙その他の媒体に掲載しては"),
        ("吸ってた人がどこで働いてるか分かったんだけど、知り合いの営業さんに教えちゃダメ？", "違反者の勤務先や連絡先を"),
    ],
    "dx4x": ["雨の日も見回りするの？", "腕章ってどこでもらえる？"],
}


def questions():
    qs = []
    for slug in ("dx1", "dx2", "dx3", "dx4"):
        for k, (q, frag) in enumerate(Q[slug], 1):
            qs.append({"id": f"{slug}-q{k}", "q": q, "source": slug, "gold": [frag]})
        for k, q in enumerate(Q[slug + "x"], 1):
            qs.append({"id": f"{slug}-x{k}", "q": q, "source": slug, "gold": [], "abstain": True})
    return qs


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


def unit_texts():
    """slug -> {label: clean text of the unit}"""
    u = {"dx1": {}, "dx2": {}, "dx3": {}, "dx4": {}}
    for e in D4:
        if e[2]:
            u["dx4"][e[2]] = e[1]
    for e in D1:
        if e[2]:
            u["dx1"][e[2]] = "".join(t for k, t in e[1] if k != "d")
    n = 0
    for _, rules in D2:
        for text, _ in rules:
            n += 1
            u["dx2"][str(n)] = text
    for e in D3:
        if e[2]:
            u["dx3"][e[2]] = e[1]
    return u


def check(g, qs):
    extracted = {"dx1": extract_docx_accepted(HERE / "doc1.docx"),
                 "dx2": extract_xlsx(HERE / "doc2.xlsx"),
                 "dx3": extract_odt(HERE / "doc3.odt"),
                 "dx4": pdftext(HERE / "doc4.pdf")}
    extracted_layout = {"dx4": pdftext(HERE / "doc4.pdf", layout=True)}
    sources = {d["slug"]: (HERE / f"{d['doc']}.source.txt").read_text(encoding="utf-8") for d in g}
    units = unit_texts()
    for d in g:
        slug = d["slug"]
        labels = [c["label"] for c in d["clauses"]]
        if len(set(labels)) != len(labels):
            PROBLEMS.append(f"{slug}: duplicate labels")
        for c in d["clauses"]:
            f = c["frag"]
            if unicodedata.normalize("NFKC", f) != f:
                PROBLEMS.append(f"{slug} {c['label']}: frag changes under NFKC: {f}")
            if not 8 <= len(f) <= 30:
                PROBLEMS.append(f"{slug} {c['label']}: frag length {len(f)}")
            nf = norm(f)
            checks = [("source", sources[slug]), ("delivered", extracted[slug])]
            if slug in extracted_layout:
                checks.append(("delivered -layout", extracted_layout[slug]))
            for what, text in checks:
                k = norm(text).count(nf)
                if k != 1:
                    PROBLEMS.append(f"{slug} {c['label']}: frag found {k}x in {what}: {f}")
            if nf not in norm(units[slug][c["label"]]):
                PROBLEMS.append(f"{slug} {c['label']}: frag not in its own unit")
    # doc1: deleted text must be absent from the accepted text, present as w:delText
    acc = norm(extracted["dx1"])
    raw = zipfile.ZipFile(HERE / "doc1.docx").read("word/document.xml").decode("utf-8")
    for e in D1:
        for k, t in e[1]:
            if k == "d":
                if norm(t) in acc and len(norm(t)) > 4:
                    PROBLEMS.append(f"dx1: deleted text survives in accepted text: {t}")
                if f">{t}</w:delText>" not in raw:
                    PROBLEMS.append(f"dx1: deleted text not a w:delText: {t}")
    if "w:txbxContent" not in raw or "commentReference" not in raw:
        PROBLEMS.append("dx1: text box or comment missing")
    for e in D1:
        if e[0] == "BOX" and norm(e[3]) not in norm(re.sub(r"<[^>]+>", "", raw.split("<w:txbxContent>")[1].split("</w:txbxContent>")[0])):
            PROBLEMS.append("dx1: boxed article not inside the text box")
    # doc2: merged 区分 cells, two sheets, line breaks in cells
    wb = openpyxl.load_workbook(HERE / "doc2.xlsx")
    if wb.sheetnames != ["表紙", "遵守事項"]:
        PROBLEMS.append(f"dx2: sheets {wb.sheetnames}")
    merged = [str(r) for r in wb["遵守事項"].merged_cells.ranges if str(r).startswith("A") and ":A" in str(r)]
    if len(merged) != len(D2):
        PROBLEMS.append(f"dx2: merged 区分 ranges {merged}")
    # doc3: no article number in the text
    if re.search(r"第\s*\d+\s*[条章]", extract_odt(HERE / "doc3.odt").replace("第三者", "")):
        PROBLEMS.append("dx3: a typed number in the odt text")
    # doc4: printed header (date + title) and footer (URL + N/M) on every page
    pages = extracted["dx4"].split("\f")
    pages = [pg for pg in pages if pg.strip()]
    if len(pages) < 2:
        PROBLEMS.append(f"dx4: {len(pages)} page(s)")
    for i, pg in enumerate(pages, 1):
        if D4_PRINTED not in pg or D4_URL not in pg or f"{i}/{len(pages)}" not in pg or norm(D4_TITLE + "｜") not in norm(pg):
            PROBLEMS.append(f"dx4: page {i} lacks the printed header/footer")
    print(f"dx4: {len(pages)} pages")
    print("questions (shared content words with the gold unit / with the document):")
    for q in qs:
        slug = q["source"]
        doc_words = content_words(sources[slug]) | content_words(extracted[slug])
        qw = content_words(q["q"])
        if q.get("abstain"):
            shared = sorted(qw & doc_words)
            print(f"  {q['id']}: abstain, shared with doc {shared}")
            if shared:
                PROBLEMS.append(f"{q['id']}: out-of-scope words occur in the document: {shared}")
            continue
        fr = q["gold"][0]
        lab = [c["label"] for c in next(d for d in g if d["slug"] == slug)["clauses"] if c["frag"] == fr]
        if len(lab) != 1:
            PROBLEMS.append(f"{q['id']}: gold is not one fragment of its document")
            continue
        shared = sorted(qw & content_words(units[slug][lab[0]]))
        print(f"  {q['id']} -> {lab[0]}: shared {shared}")


def main():
    build_doc1()
    build_doc2()
    build_doc3()
    build_doc4()
    g = gold()
    qs = questions()
    with open(HERE / "gold.jsonl", "w", encoding="utf-8") as f:
        for d in g:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    with open(HERE / "questions.jsonl", "w", encoding="utf-8") as f:
        for q in qs:
            f.write(json.dumps(q, ensure_ascii=False) + "\n")
    check(g, qs)
    for d in g:
        print(f"{d['slug']} {d['file']}: {len(d['clauses'])} clauses")
    if PROBLEMS:
        print("PROBLEMS:")
        for p in PROBLEMS:
            print("  " + p)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
