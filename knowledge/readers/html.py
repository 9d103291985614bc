"""A city's web page: find the attachment inside the page, drop the site around it.

City CMS pages wrap the rules in a header, menus, breadcrumb, 文字サイズ・背景色 switches, 更新日,
SNS buttons, download lists, an Adobe Reader notice, a contact box, a questionnaire and a footer.
The rules are the part of the page dense in sentences rather than links, so the main content is
the smallest element holding nearly all of the page's non-link text; inside it, blocks that are
furniture by their role (nav, form…), their class or id (breadcrumb, inquiry, sns…) or their
wording (最終更新日, 〒, Copyright…) are removed. ``<br>`` inside ``<p>`` stays a line break, which
the parser reads as a new line of the same block. Parsed with lxml (already a dependency of
python-docx); a generic extractor such as trafilatura was not needed for this and weighs ~20 MB
more with its dependencies.
"""
from __future__ import annotations

import re

from lxml import etree
from lxml import html as lhtml

from knowledge.parser import _unspaced
from knowledge.readers import LoadRefused, Reading
from knowledge.readers.text import decode

_DROP_TAGS = {"script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "button",
              "input", "select", "textarea", "iframe", "svg", "img", "map", "object", "embed", "fieldset", "label"}
_FURNITURE_WORDS = {"nav", "gnav", "gnavi", "hnavi", "lnavi", "lnav", "snav", "fnavi", "navi", "navigation", "menu",
                    "breadcrumb", "breadcrumbs", "pankuzu", "topicpath", "topic", "side", "sidebar", "sidenav",
                    "footer", "header", "hlogo", "logo", "search", "setting", "settings", "fsize", "fontsize",
                    "bgcolor", "color", "social", "sns", "share", "print", "inquiry", "contact", "toiawase", "feedback",
                    "enquete", "questionnaire", "survey", "pagetop", "plugin", "adobe", "reader", "update", "skip",
                    "related", "banner", "copyright", "readspeaker", "accessibility", "lang", "language", "sitemap",
                    "file", "download", "attachment", "info"}
# Words that only say so in the page's frame (a contact box, a footer, a PDF reader notice)…
_FRAME = (r"最終更新日|更新日[:：]|記事(番号|ID)|Adobe|Acrobat|Reader|Copyright|©|All Rights|問い?合わ?せ|〒\s*\d"
          r"|電話(番号)?[:：]|ファクス|FAX[:：]|メールフォーム|ご(感想|意見)|アンケート|分かりやすかった|開庁時間|法人番号")
_RE_FRAME_TEXT = re.compile(_FRAME, re.I)
# …and those of the frame that rules use too (「このページ」「音声読み上げ」「印刷」): see _sentences_of_content
_RE_FURNITURE_TEXT = re.compile(
    _FRAME + r"|ページ番号|このページ|ページの先頭"
    r"|(ホーム|トップ|TOP|HOME)\s*[>＞›»]|\S\s*[>＞›»]\s*\S[^。]*[>＞›»]"
    r"|[(（](PDF|Word|Excel|エクセル|ワード)(形式|ファイル)?[:：：]?\s*[\d.,]+\s*[KM]B|サイトマップ"
    r"|文字サイズ|背景色|音声読み上げ|印刷(する|用)|でシェア|でポスト|LINEで送る|トップページ\s*[>＞]|JavaScript"
    r"|^(ダウンロード|(関連|添付)(リンク|情報|ページ|ファイル|資料)|よく見られているページ|お知らせ)$"
    # how to work the page itself: 「見出しを選ぶと、内容が開きます。」「＋をクリックすると詳細を表示します。」
    r"|^[^。]{0,20}(?:を)?(?:選ぶ|選択する|クリックする|タップする|押す)と、?[^。]{0,10}(?:開きます|閉じます|表示されます|表示します|展開します)。?$",
    re.I)
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _words(el) -> set[str]:
    raw = f"{el.get('id') or ''} {el.get('class') or ''} {el.get('role') or ''}".lower()
    return set(w for w in re.split(r"[^a-z0-9]+", raw) if w)


def _text(el) -> str:
    return re.sub(r"\s+", " ", el.text_content() or "").strip()


def _own_text_len(el) -> int:
    """Length of the text under ``el`` that is not link text (rules are sentences, menus are links)."""
    total = len(re.sub(r"\s+", "", el.text_content() or ""))
    links = sum(len(re.sub(r"\s+", "", a.text_content() or "")) for a in el.iter("a"))
    return max(0, total - links)


def read(data: bytes, name: str) -> Reading:
    m = re.search(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_-]+)", data[:4096], re.I)
    text = None
    if m:
        try:
            text = data.decode(m.group(1).decode("ascii").lower().replace("shift_jis", "cp932"))
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        text, _ = decode(data, name)
    try:
        root = lhtml.document_fromstring(text)
    except (etree.ParserError, ValueError):
        raise LoadRefused(f"{name}: HTML として読めませんでした。ページを「名前を付けて保存」し直すか、"
                          "特記事項の PDF を指定してください。") from None
    r = Reading("", "html", "html")
    r.title = _page_title(root)
    removed: list[str] = []
    for el in list(root.iter("rt", "rp")):       # furigana: the reading above a word is not text
        el.drop_tree()
    _footnotes_in_place(root)
    total = _own_text_len(root) or 1
    for el in list(root.iter(etree.Element)):
        if el.getparent() is None or not isinstance(el.tag, str):
            continue
        # a class word alone never removes the part of the page that holds most of its sentences
        # (nor a wiki's 「panel info」 box of sentences: a class word names the look, the sentences are the rules)
        if el.tag in _DROP_TAGS or (_words(el) & _FURNITURE_WORDS and _own_text_len(el) < 0.3 * total
                                    and not _sentences_of_content(el, _text(el))):
            if el.tag not in _DROP_TAGS:
                for p in [p for p in el.iter("p", "li") if _RE_SITUATION_RULE.search(_text(p))
                          and not _RE_FRAME_TEXT.search(_text(p)) and "連絡先" not in _text(p)]:
                    el.addprevious(p)
            if el.tag not in ("script", "style", "img") and _text(el):
                removed.append(_text(el)[:30])
            el.drop_tree()
    body = root.find("body")
    if body is None:
        body = root
    main = _main_content(body)
    _drop_furniture_blocks(main, removed)
    r.text = etree.tostring(main, encoding="unicode", method="html")
    if "。" not in re.sub(r"<[^>]+>", "", r.text):
        r.warnings.append("このページには規定の文がほとんどありません。特記事項が PDF などの添付ファイルで"
                          "掲載されている場合は、そのファイルを読み込んでください")
    if removed:
        r.dropped.append(f"ページのメニュー・パンくず・更新日・問い合わせ先・フッターなど（{len(removed)} か所）")
    return r


# how a page's <title> joins the page's name to the site's: 「…特記事項｜若潮市」「… - 社内Wiki」「…／鷲ノ森市」
_RE_TITLE_SEP = re.compile(r"[ \u3000]*(?:[｜|／]|[ \u3000][-–—:：][ \u3000])[ \u3000]*")


def _page_title(root) -> str | None:
    """The page's own title: its <h1> or <h2> that the <title> begins with (the site's name after 「｜」 or
    「 - 」 left off), else its one <h1>. The content the rules are read from often leaves that heading out."""
    def clean(s: str) -> str:
        return _unspaced(re.sub(r"[ \t\r\n\u00a0]+", " ", s).strip(" \u3000"))   # 「仕　様　書」: 「仕様書」
    head = root.find(".//title")
    name = clean(head.text_content()) if head is not None else ""
    name = _RE_TITLE_SEP.split(name)[0] if name else ""
    def headings(*tags: str) -> list[str]:     # (short ones with no sentence)
        return [h for h in (clean(e.text_content()) for e in root.iter(*tags)) if h and len(h) <= 80 and "。" not in h]
    squash = lambda s: re.sub(r"[ \u3000]", "", s)  # noqa: E731
    for h in headings("h1", "h2"):
        if name and squash(h) == squash(name):
            return h
    h1 = headings("h1")
    return h1[0] if len(h1) == 1 else None


def _main_content(body):
    """Going down from <body>, the one child that holds most (70%) of its parent's non-link text,
    for as long as there is one: what is left beside it at each step is the site around the rules."""
    best = body
    while True:
        total = _own_text_len(best)
        kids = [k for k in best if isinstance(k.tag, str)]
        rich = [k for k in kids if _own_text_len(k) >= 0.7 * total]
        # (a list of rules is not gone into: the 別表 and headings beside it belong with it)
        if len(rich) != 1 or rich[0].tag in _HEADINGS or rich[0].tag in ("p", "li", "ol", "ul", "dl"):
            return best
        if rich[0].tag in ("table", "thead", "tbody", "tr") and not _layout_table(rich[0]):
            return best          # a table of rules (項目 / 内容): its heading and the text around it belong with it
        best = rich[0]          # a layout table's cell too: old sites put the page body in a <td>


def _layout_table(table) -> bool:
    """Whether a table only lays out the page (one cell holds most of its text: the body beside a menu), not a
    table of rules whose rows each hold a part."""
    total = _own_text_len(table) or 1
    return any(_own_text_len(td) >= 0.7 * total for td in table.iter("td"))


# A rule's own heading or sentence is never furniture, whatever it is about: 「第8条（寄附者からの
# 問合せ）」 and 「…問合せを受けたときは…回答してはならない。」 are rules on answering enquiries.
_RE_RULE_HEADING = re.compile(r"^\s*(第\s*[0-9０-９一二三四五六七八九十百]+\s*[条章節款]|[0-9０-９]+(\s*[.．]\s*[0-9０-９]+)*\s*[.．、　 ]"
                              r"|[（(][0-9０-９]+[)）]|[①-⑳])")
_RE_RULE_SENTENCE = re.compile(r"(ならない|しなければ|こと|できる|努める|とする|いう|得る|受ける|限る"
                               # said politely: 「…をいいます。」「…てはなりません。」「…ものとします。」
                               r"|いいます|なりません|ものとします)[。.]")
# A rule said politely (「…確認してから回答してください。」「…お伝えしないでください。」): two of them under a heading
# that looks like the page's contact box (問合せへの対応) make it a section of rules
_RE_POLITE_RULE = re.compile(r"(?:て|ないで|てから)ください[。.]|(?:してはいけません|できません|しません)[。.]")
# A rule for a situation said inside the page's contact box (「個人情報の事故が起きたときは、時間帯にかかわらず、まず電話で
# ご一報ください。」): the box goes, the rule stays, moved out in front of it. Not how to contact (「ご不明な場合は…お問い合わせ
# ください」): that is the box's own text.
_RE_SITUATION_RULE = re.compile(r"(?:ときは|場合は|際は|ときには|場合には)、?.{0,80}(?:ください|こと|ならない)[。.]$")
# The page's own introduction of its rules (「このページは、…皆さまに守っていただくルールをまとめたものです。」):
# the attachment's purpose, not the page's furniture (「このページに関するお問い合わせ」)
_RE_PAGE_INTRO = re.compile(r"^このページ(?:は|では)、.{0,200}?(?:ルール|遵守事項|特記事項|守って|守るべき|定め|まとめ).*。")


# An FAQ's question (「Q　警察や児童相談所から、児童について問い合わせがありました。答えてもよいですか。」): the page's
# text, whatever furniture word it holds (its answer is the rule; the question is how people ask it)
_RE_FAQ_QUESTION = re.compile(r"^(?:Q|Ｑ|問)\s*[0-9０-９]*[\s\u3000.．:：]")


def _is_rule_text(el, t: str) -> bool:
    return bool(_RE_RULE_HEADING.match(t) or (el.tag not in _HEADINGS and (_RE_RULE_SENTENCE.search(t)
                                                                             or _RE_POLITE_RULE.search(t)
                                                                             or _RE_PAGE_INTRO.match(t)
                                                                             or _RE_FAQ_QUESTION.match(t))))


def _sentences_of_content(el, t: str) -> bool:
    """Sentences with no link in them, whose only furniture word is one rules use too: the attachment's text."""
    return "。" in t and len(t) >= 20 and not any(True for _ in el.iter("a")) and not _RE_FRAME_TEXT.search(t)


def _drop_furniture_blocks(main, removed: list[str]):
    """Blocks inside the content that are page furniture, and sections headed by furniture."""
    kids = [k for k in main if isinstance(k.tag, str)]
    i = 0
    while i < len(kids):
        el = kids[i]
        t = _text(el)
        if el.tag not in ("div", "section", "article", "main") and _is_rule_text(el, t):
            i += 1
            continue
        if el.tag in _HEADINGS and _RE_FURNITURE_TEXT.search(t):
            level = int(el.tag[1])
            j = i + 1
            while j < len(kids) and not (kids[j].tag in _HEADINGS and int(kids[j].tag[1]) <= level):
                j += 1
            # 「問合せへの対応」 over sentences that rule (「…確認してから回答してください。」) is a section of
            # rules about enquiries, not the page's contact box
            if sum(1 for k in kids[i + 1:j] if k.tag not in _HEADINGS and _is_rule_text(k, _text(k))) >= 2:
                i += 1
                continue
            for k in kids[i:j]:
                removed.append(_text(k)[:30])
                k.drop_tree()
            i = j
            continue
        if t and el.tag not in _HEADINGS and len(t) <= 200 and _RE_FURNITURE_TEXT.search(t) and not _sentences_of_content(el, t):
            removed.append(t[:30])
            el.drop_tree()
        elif el.tag in ("div", "section", "article", "main") and len(t) > 200:
            _drop_furniture_blocks(el, removed)
        i += 1


_RE_NOTE_HREF = re.compile(r"^#_?(ftn|edn)(\d+)$")


def _footnotes_in_place(root):
    """A page Word saved as HTML keeps footnotes at the end (``<div id=ftn1>``) and a link 「[1]」 in
    the text. The mark is dropped and the note's text becomes a line 「（注1）…」 right after the
    block that refers to it, so that it is read as a note of that clause."""
    targets = {a.get("name"): a for a in root.iter("a") if a.get("name")}
    for a in list(root.iter("a")):
        m = _RE_NOTE_HREF.match(a.get("href") or "")
        target = targets.get(f"_{m.group(1)}{m.group(2)}") if m else None
        if target is None or a.getparent() is None:
            continue
        holder = target.getparent()
        while holder is not None and holder.tag not in ("p", "div", "li"):
            holder = holder.getparent()
        block = a.getparent()
        while block is not None and block.tag not in ("p", "li", "dd", "td", "div"):
            block = block.getparent()
        if holder is None or block is None:
            continue
        target.drop_tree()
        text = re.sub(r"\s+", " ", holder.text_content() or "").strip()
        a.drop_tree()
        if text:
            note = lhtml.Element("p")
            note.text = f"（注{m.group(2)}）{text}"
            block.addnext(note)
        box = holder
        while box.getparent() is not None and box.getparent().tag == "div" and len(box.getparent()) == 1:
            box = box.getparent()
        box.drop_tree()
    for div in list(root.iter("div")):      # the emptied footnote list
        if "mso-element:footnote-list" in (div.get("style") or "") and not re.sub(r"\s+", "", div.text_content() or ""):
            div.drop_tree()
