"""The document's title, from the lines above its rules (or a mail's subject line): ``_document_title``."""
from __future__ import annotations

import re

from knowledge.parser.classify import _classify
from knowledge.parser.patterns import (_DOC_NAMES, _RE_DATE_LINE, _RE_DATE_ONLY, _RE_GENERIC_HEAD, _RE_MARKING_NOTE,
                                       _RE_PAGE_NO, _RE_PLACE_ONLY, _SP, _Tok, _title_like, _unspaced)


# how the name of a document ends, for choosing the title among the first lines (wider than _RE_TITLE_END, which
# decides structure): a notice's 「…について（通知）」, a handbook's 「Ｑ＆Ａ集（従事者向け）」, a page's 「…ルール」
_RE_TITLE_NAME = re.compile(rf"(?:{_DOC_NAMES}|要件書?|チェックシート|点検表|確認表|対策事項|注意事項|留意事項|心得|"
                            r"ルール|方針|指針|[ＱQ][＆&][ＡA]集?|について|書|集)"
                            r"(?:[（(][^（）()]{1,12}[)）])?$")
# an e-mail's header lines (差出人: / 件名: / From: / Subject: …)
_RE_MAIL_HEAD = re.compile(r"^(?:差出人|送信者|送信日時|送信日|日付|宛先|宛て先|CC|Cc|BCC|Bcc|件名|表題|From|Sent|Date|To|Subject)"
                           r"[ \u3000]*[:：]")
_RE_MAIL_SUBJECT = re.compile(r"^(?:件名|表題|Subject)[ \u3000]*[:：][ \u3000]*(.+)$")
# what a subject carries besides the title: 「RE:」「FW:」「転送:」, 「【重要】」「[至急]」
_RE_SUBJECT_TAGS = re.compile(r"^(?:(?:RE|Re|re|FW|Fw|fw|FWD|Fwd|fwd|転送|返信)[ \u3000]*[:：][ \u3000]*|【[^】]{1,10}】[ \u3000]*"
                              r"|[\[［][^\]］]{1,10}[\]］][ \u3000]*)")
# a line printed by a program at the top of each page: 「ZEIK0310　ﾍﾟｰｼﾞ 1」, 「PAGE 3」
_RE_PROGRAM_HEAD = re.compile(r"^[A-Z][A-Z0-9_\-]{3,}\d\b|(?:ﾍﾟｰｼﾞ|ページ|PAGE|Page|頁)[ \u3000]*[0-9０-９]{1,4}$")
# a page number printed after the title on the first page: 「…特記事項　－1－」
_RE_TRAILING_PAGE = re.compile(r"[ \u3000]+[-－‐—–][ \u3000]*[0-9０-９]{1,3}[ \u3000]*[-－‐—–]$")
# what a PDF's line may run on with after the title: the first heading of the rules (「第１章　総則」「（目的）」),
# a form's first field (「受託者名：」)
_RE_RUN_ON = re.compile(rf"第{_SP}*[0-9０-９一二三四五六七八九十]{{1,3}}{_SP}*[章条節]|[（(]目的[)）]|[^\s：:]{{1,6}}[：:]")
# a sender, an addressee, a department, a company: the lines above a notice's title
_RE_NOT_TITLE = re.compile(r"(?:各位|様|御中|殿)$|^(?:株式会社|有限会社|（株）|\(株\))|(?:株式会社|有限会社|（株）)$"
                           r"|^\S{1,10}?[都道府県市区町村](?:\S{1,10}?(?:部|局|課|係|室|所|センター|委員会)){1,3}長?$"
                           r"|^[^\s]{1,12}第{0,1}[0-9０-９]{1,5}号")
# 「…特記仕様書の一部改正について（通知）」: the notice sends the amended document, whose articles are loaded
_RE_AMENDMENT = re.compile(r"^(.{6,}?)の(?:一部|全部)?(?:改正|改定|変更)(?:について|のお知らせ)(?:[（(][^（）()]{1,6}[)）])?$")
_BOX_CHARS = "┃│┏┓┗┛━─┌┐└┘├┤┬┴┼┣┫┳┻╋|｜"


def _title_candidate(s: str) -> str:
    """A line as a title would read: a box's frame, a page number after it, the heading run onto it taken off."""
    s = s.strip(_BOX_CHARS + " \u3000\t")
    s = _RE_TRAILING_PAGE.sub("", s)
    for p in range(4, len(s)):
        if _RE_RUN_ON.match(s, p) and _RE_TITLE_NAME.search(s[:p].rstrip(" \u3000")):
            return s[:p].strip(" \u3000")
    return s.strip(" \u3000")


def _bad_title(s: str, heading: bool = False) -> bool:
    """Never a title: a date, a page header or program id, a sender's or addressee's line, a mail header, a note
    on how changes are marked, a filing mark (別紙), a name too short to be a document's (「通知」「田中」) unless the
    markup makes it the heading (Markdown's 「# 」, <h1>)."""
    return (not s or _RE_DATE_ONLY.match(s) is not None or _RE_DATE_LINE.search(s) is not None
            or _RE_PROGRAM_HEAD.search(s) is not None or _RE_MAIL_HEAD.match(s) is not None
            or _RE_PLACE_ONLY.match(s) is not None or _RE_NOT_TITLE.search(s) is not None
            or _RE_MARKING_NOTE.match(s.strip("（()）")) is not None or _RE_GENERIC_HEAD.match(s) is not None
            or _RE_PAGE_NO.match(s) is not None
            or (len(s) <= 4 and not heading and not _RE_TITLE_NAME.search(s)))


def _mail_subject(lines: list[_Tok]) -> str | None:
    """An e-mail's 件名, when the text opens with its header (two header lines or more among the first ones): the
    title without 「RE:」「FW:」「【重要】」, and with a line the subject runs onto (「　　（通知）」)."""
    head = [i for i, t in enumerate(lines[:8]) if t.kind == "line" and _RE_MAIL_HEAD.match(t.text)]
    first = next((i for i, t in enumerate(lines) if t.kind == "line"), None)
    if len(head) < 2 and not (head and head[0] == first and _RE_MAIL_SUBJECT.match(lines[first].text)):
        return None
    for i in head:
        m = _RE_MAIL_SUBJECT.match(lines[i].text)
        if not m:
            continue
        s = m.group(1).strip()
        while True:
            t = _RE_SUBJECT_TAGS.sub("", s, count=1).strip()
            if t == s:
                break
            s = t
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if nxt is not None and nxt.kind == "line" and re.fullmatch(r"[（(][^（）()]{1,8}[)）]", nxt.text.strip(" \u3000")):
            s += nxt.text.strip(" \u3000")
        return s or None
    return None


def _runs_on(head: list[_Tok], at: int, title: str) -> str:
    """「…業務委託情報セキュリティ特記」 / 「仕様書」, 「西浦市　市税口座振替データ作成業務」 / 「情報セキュリティ遵守
    事項（受託者用）」: a title that does not end in a document's name, with the next line (no blank between) that
    does, is one title on two lines; a full-width space joins them when the lines are set apart (spaced, or centred
    at different indents)."""
    if _RE_TITLE_NAME.search(title) or at + 1 >= len(head) or head[at + 1].kind != "line":
        return title
    nxt = _title_candidate(head[at + 1].text)
    if not nxt or not _title_like(nxt, 40) or _bad_title(nxt) or not _RE_TITLE_NAME.search(nxt) \
            or len(title) + len(nxt) > 80:
        return title
    a, b = head[at], head[at + 1]
    spaced = re.search(r"[ \u3000]", title) or (a.indent is not None and b.indent is not None
                                                and abs(a.indent - b.indent) >= 2)
    return title + ("\u3000" if spaced else "") + nxt


def _document_title(tokens: list[_Tok], title: str | None) -> str | None:
    """The title the rules are cited by. The builder's (the first short line above the rules) stands unless it is
    no title (_bad_title) or is cut short at a line's end; otherwise the first line above the rules that names a
    document (ends in 特記事項, 仕様書, チェックリスト, 「…について（通知）」 …). An e-mail is cited by its subject."""
    head: list[_Tok] = []
    for tok in tokens[:40]:
        if tok.kind == "line" and _classify(tok.text).kind in ("chapter", "article", "numbered", "marker") \
                and not _RE_MAIL_HEAD.match(tok.text):
            break
        head.append(tok)
    subject = _mail_subject(head)
    if subject:
        return subject
    lines = [(i, _title_candidate(t.text)) for i, t in enumerate(head) if t.kind == "line"]
    found = None
    marked = title is not None and any(t.heading and _unspaced(t.text) == title for t in head)
    if title is not None and not _bad_title(_title_candidate(title), marked):
        title = _title_candidate(title)
        at = next((i for i, s in lines if s == title), None)
        found = (at, title)
    else:
        for i, s in lines:
            if "。" in s and len(s) > 40:
                break               # the body has begun
            if _title_like(s, 80) and not _bad_title(s) and \
                    (_RE_TITLE_NAME.search(s) or _runs_on(head, i, s) != s):
                found = (i, s)
                break
    if found is None:
        return title if title is None or not _bad_title(title) else None
    at, title = found
    if at is not None:
        title = _runs_on(head, at, title)
    m = _RE_AMENDMENT.match(title)
    if m and _RE_TITLE_NAME.search(m.group(1)) and not m.group(1).endswith("について"):
        title = m.group(1)
    return title
