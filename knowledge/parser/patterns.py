"""Character classes, regular expressions and small text helpers that every stage of the parser shares, and
the token (``_Tok``: a text line, a table row or a blank) that the stages hand on."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field


# ---------------------------------------------------------------------------
# Characters and patterns
# ---------------------------------------------------------------------------

_SP = "[ \t\u3000\u00a0]"                      # spaces, incl. full-width and nbsp
_DIG = "[0-9０-９]"
_KAN = "[〇零一二三四五六七八九十百千]"
_NUM = f"(?:{_DIG}+|{_KAN}+)"
_KANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
_IROHA = "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス"
_CIRCLED = ("".join(chr(c) for c in range(0x2460, 0x2474))      # ①..⑳
            + "".join(chr(c) for c in range(0x3251, 0x3260))    # ㉑..㉟
            + "".join(chr(c) for c in range(0x32B1, 0x32C0)))   # ㊱..㊿
_BULLETS = "・●○◆◇■□▪▫•◦‣➤➢➣▶►▸▹▷✓✔☆★◎"
_TERMINATORS = tuple("。．.！？!?」』）)】")
_TO_FW = str.maketrans("0123456789", "０１２３４５６７８９")

_RE_CHAPTER = re.compile(rf"^第{_SP}*({_NUM}){_SP}*[章節款編]{_SP}*(.*)$")
# 第1条 / 第１条 / 第十二条 / 第5条の2 / 第1 / 第 13: a space, an end or a caption must follow,
# so that sentences such as "第三者に…" or "第1条の規定により…" are not taken for articles.
_RE_ARTICLE = re.compile(rf"^第{_SP}*({_NUM}){_SP}*(条)?(?:{_SP}*の{_SP}*({_NUM}))?(?=$|{_SP}|[（(])")
_RE_NUMBERED = re.compile(rf"^({_DIG}+(?:[.．]{_DIG}+)*|{_DIG}+(?:[-－‐][ ]?{_DIG}+)+)(?:([.．、]){_SP}*|{_SP}+)(.*)$")
_RE_KANJI_NUMBERED = re.compile(rf"^({_KAN}+)(?:[、．.]{_SP}*|{_SP}+)(.+)$")
_RE_PAREN_NUM = re.compile(rf"^[（(]{_SP}*({_DIG}+|{_KAN}+){_SP}*[)）]{_SP}*(.*)$")
_RE_NUM_PAREN = re.compile(rf"^({_DIG}+)[)）]{_SP}*(.*)$")
_RE_CIRCLED = re.compile(rf"^([{_CIRCLED}])(?:{_SP}|[.．、])*(.*)$")
_RE_PAREN_KANA = re.compile(rf"^[（(]{_SP}*([{_KANA}]){_SP}*[)）]{_SP}*(.*)$")
_RE_KANA = re.compile(rf"^([{_KANA}])(?:{_SP}+|[.．、)）]{_SP}*)(.*)$")
_RE_PAREN_ROMAN = re.compile(rf"^[（(]((?=[ivx])x{{0,3}}(?:ix|iv|v?i{{0,3}}))[)）]{_SP}*(.*)$")
_RE_PAREN_LATIN = re.compile(rf"^[（(]([a-zA-Zａ-ｚＡ-Ｚ])[)）]{_SP}*(.*)$")
_RE_LATIN = re.compile(rf"^([a-zａ-ｚ])[.．)）]{_SP}*(.+)$")
# 「i.　学習支援員の…」「ii.　生徒の…」: roman numbers with a dot, before Japanese text ("i. e." is no item)
_RE_ROMAN_DOT = re.compile(rf"^((?=[ivx])x{{0,3}}(?:ix|iv|v?i{{0,3}}))[.．)）]{_SP}*([^\x00-\x7f].*)$")
_RE_LATIN_SP = re.compile(rf"^([a-zａ-ｚ]){_SP}+([^\x00-\x7f].*)$")   # "a 記録簿は…" (not "a pen")
_RE_BOXED_NOTE = re.compile(r"^【(?:注意|重要|留意点|留意事項)】[ \u3000]*\S")
# 「※」, 「（注1）」, and 「＊」 (a 一太郎 or typed note mark, as ※; never 「＊＊＊」, a rule line)
_RE_NOTE = re.compile(rf"^(?:※{_DIG}*|＊{_DIG}*(?=[^＊])|[（(]注{_DIG}*[)）]|注{_DIG}*[:：)）]){_SP}*(.*)$")
_BULLET_FAMILY = {**dict.fromkeys("○◯◎", "o"), **dict.fromkeys("・•", "m"), **dict.fromkeys("●", "b"),
                  **dict.fromkeys("■□▪▫", "s"), **dict.fromkeys("◆◇", "d"), **dict.fromkeys("☆★", "t")}
_RE_BULLET = re.compile(rf"^[{_BULLETS}]{_SP}*(.*)$")
_RE_FORCE_ITEM = re.compile(r"^[＜<](?:禁止|必須|推奨|努力|任意)[＞>]")
_RE_DASH_ITEM = re.compile(r"^[－―](?=[^\s\u3000－―0-9０-９])(.*[^－―\s])$")
_RE_MD_BULLET = re.compile(r"^[-*+－‐][ \t\u3000]+(.*)$")
_RE_MD_HEADING = re.compile(r"^(#{1,6})[ \t\u3000]+(.*?)(?:[ \t]+#+)?$")
_RE_SKIP = re.compile(r"^(?:記|以上|以下余白|[-=*_＿－—─━]{3,})$")
_RE_PAGE_NO = re.compile(r"^[-－—–]*\s*[0-9０-９]{1,3}\s*(?:[/／]\s*[0-9０-９]{1,3})?\s*[-－—–]*$"   # "- 3 -", "3/12"
                         r"|^(?:Page|ＰＡＧＥ|Ｐａｇｅ|P\.|Ｐ．)\s*[0-9０-９]{1,3}(?:\s*(?:/|of)\s*[0-9０-９]{1,3})?$"
                         r"|^[0-9０-９]{1,3}\s*(?:ページ|頁)$", re.I)
_RE_GENERIC_HEAD = re.compile(rf"^(?:別紙|別添|別記|別表|参考|付録|目次)(?:{_SP}*{_NUM})?$")
# 附則 and 別表 / 別紙 / 別記 / 別添 after the rules: parts of the attachment with their own numbering,
# cited from their name ("附則第2項", "別表1"); "（第２条関係）" or a date may follow the name
# (a bracket may hold one more: 「別表（２(1)関係）」)
_PAREN_NOTE = r"[（(]((?:[^（）()]|[（(][^（）()]{0,10}[)）]){1,30})[)）]"
_RE_APPENDIX = re.compile(rf"^(附{_SP}*則|別{_SP}*[表紙記添])(?:{_SP}*(?:第{_SP}*)?({_NUM})(?:{_SP}*号)?)?"
                          rf"(?:{_SP}*{_PAREN_NOTE})?(?:{_SP}+(.{{1,30}}))?$")
# a municipality's name alone above the title (on a title page, or as the sender): not the title
# a note on how a 新旧対照表 marks its changes, printed under its title: 「（傍線部分は改正部分）」「（下線部分は改正箇所）」
_RE_MARKING_NOTE = re.compile(r"^(?:[傍下波]線|網掛け?|網かけ|太字|ゴシック|色付き|赤字|アンダーライン)[^。]{0,10}?"
                              r"(?:改正|変更|修正|追加|改定|改訂)[^。]{0,4}?(?:部分|箇所|個所|点)(?:を示す|である|です)?$")
# how the name of an attachment ends
_DOC_NAMES = "特記事項|遵守事項|対照表|仕様書|基準|規程|規則|要綱|要領|約款|契約書|覚書|チェックリスト|ガイドライン|手順書|マニュアル|条項"
_RE_TITLE_END = re.compile(rf"(?:{_DOC_NAMES})(?:[（(][^）)]*[)）])?$")
_RE_PLACE_ONLY = re.compile(r"^\S{1,8}?(?:都|道|府|県|市|区|町|村)(?:長|役所|役場|教育委員会)?$")
# a contact line printed under the rules: a telephone or fax number
_RE_CONTACT = re.compile(rf"(?:電話|ＴＥＬ|TEL|Tel|℡|ＦＡＸ|FAX|ファクス|ファックス)(?:番号)?{_SP}*[:：]?{_SP}*"
                         rf"[(（]?{_DIG}{{2,5}}[)）\-－‐ー]{{1,2}}{_DIG}{{1,4}}[\-－‐ー]{_DIG}{{3,4}}")
# the closing words of a covering letter or e-mail: 「ご不明な点がありましたら、下記までお問い合わせください。」
# 「よろしくお願いいたします。」 (whom to ask and a greeting; no rule, and not a paragraph of the last section)
_RE_CLOSING_WORDS = re.compile(r"^(?:なお、)?(?:ご不明な?点|ご不明点|ご質問|ご意見)[^。]{0,30}(?:お問い?合わ?せ|ご連絡)(?:ください|下さい)"
                               r"(?:ますよう(?:お願い(?:いた|致)?します))?。?$|^(?:以上、?)?(?:どうぞ)?よろしくお願い(?:いた|致|申し上げ)?(?:します|ます)。?$")
# a date alone on its line ("令和７年３月２５日", "令和7年4月1日改定"): the issue date, not a rule
_RE_DATE_ONLY = re.compile(rf"^(?:(?:令和|平成|昭和){_SP}*(?:元|{_DIG}{{1,2}})|{_DIG}{{4}}){_SP}*年{_SP}*{_DIG}{{1,2}}{_SP}*月"
                           rf"(?:{_SP}*{_DIG}{{1,2}}{_SP}*日)?(?:{_SP}*(?:施行|制定|改定|改正|作成|決定|現在|版|適用))?$")
# a revision note in brackets, the document's history and no heading: 「（令和７年４月改正）」「（平成30年3月改訂）」
# 「（R7.4.1改正）」「（最終改正：令和６年３月１日）」「（令和５年４月１日制定、令和７年４月１日一部改正）」 (its inside)
_REV_DATE = (rf"(?:(?:令和|平成|昭和|[RHＲＨ]){_SP}*(?:元|{_DIG}{{1,2}})|{_DIG}{{4}}){_SP}*[年.．/／\-－]{_SP}*{_DIG}{{1,2}}"
             rf"(?:{_SP}*(?:月|[.．/／\-－]){_SP}*(?:{_DIG}{{1,2}}{_SP}*日?)?)?")
_REV_KIND = r"(?:最終|一部|全部|全面)?(?:改正|改訂|改定|施行|制定|策定|更新|作成|見直し|変更)|現在|版"
_REV_ONE = (rf"(?:{_REV_KIND}){_SP}*[:：]?{_SP}*{_REV_DATE}(?:{_SP}*(?:{_REV_KIND}))?"
            rf"|{_REV_DATE}{_SP}*(?:付け?|から|より)?{_SP}*(?:{_REV_KIND})")
_RE_REVISION_NOTE = re.compile(rf"^(?:{_REV_ONE})(?:{_SP}*[、，,・/／]?{_SP}*(?:{_REV_ONE}))*$")
_RE_REPEALED = re.compile(rf"[（(]?{_SP}*削{_SP}*除{_SP}*[)）]?{_SP}*。?")
_RE_DATE_LINE = re.compile(r"(?:令和|平成|昭和)?.{0,4}年.{0,3}月.{0,3}日$")

# Block-level tags that, left open at the end of a line starting with a tag, mean the
# whole document is HTML (rather than Markdown with HTML inside some lines).
_BLOCK_TAGS = ("p", "div", "ul", "ol", "li", "table", "thead", "tbody", "tr", "td", "th",
               "h1", "h2", "h3", "h4", "h5", "h6", "dl", "dt", "dd", "blockquote", "section")
_RE_TAG = re.compile(r"</?(?:p|br|ul|ol|li|div|span|b|strong|i|em|u|a|font|table|thead|tbody|tfoot|tr|td|th"
                     r"|h[1-6]|dl|dt|dd|sup|sub|small|big|center|blockquote|pre|img|hr|section|article)"
                     r"\b[^<>]*>", re.I)


# ---------------------------------------------------------------------------
# Small text helpers
# ---------------------------------------------------------------------------

def _normalise_newlines(text: str) -> str:
    text = text.lstrip("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")


def _clean(s: str) -> str:
    """Inline cleanup kept safe for plain text: emphasis, links, code, odd spaces."""
    s = re.sub(r"\*\*(.+?)\*\*", r"\1", s)
    s = re.sub(r"__([^_\s].*?)__", r"\1", s)
    s = s.replace("**", "")
    s = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", s)
    s = re.sub(r"`([^`]*)`", r"\1", s)
    s = re.sub(r"[\u200b\u200c\u200d\u2060\ufeff]", "", s)
    return re.sub(r"[ \t\u00a0\u2002\u2003\u2009]+", " ", s).strip(" \t\u3000")


def _terminated(s: str) -> bool:
    return s.rstrip().endswith(_TERMINATORS)


def _unspaced(s: str) -> str:
    """A title or heading spaced out for looks, one character to a chunk (「誓　約　書」「遵 守 事 項」, three chunks
    or more, every one a single full-width character): the word itself, 「誓約書」. Anything else as it is (「第１　総則」
    「Q & A」「総　則」)."""
    chunks = re.split(r"[ \u3000]+", s.strip(" \u3000"))
    if len(chunks) >= 3 and all(len(ch) == 1 and unicodedata.east_asian_width(ch) in "WF" for ch in chunks):
        return "".join(chunks)
    return s


def _title_like(s: str, limit: int = 50) -> bool:
    """A heading rather than a sentence: short, no 。, not ending in punctuation."""
    s = s.strip()
    return bool(s) and len(s) <= limit and "。" not in s and not s.endswith(("、", ",", "，", ".", "．"))


# A lead-in: the sentence that introduces a list (「受託者は、次に掲げる行為をしてはならない。」,
# 「次に掲げる事項を遵守すること。」, 「…次の各号に掲げる措置を講じなければならない：」, 「…次の取組に努めるものとする。」).
_RE_LEAD_IN = re.compile(r"(?:次に掲げる|次の各号|(?:次|以下|下記)の[^。：:、]{0,12}?"
                         r"(?:事項|行為|措置|対策|とおり|項目|内容|事情|基準|いずれか|場合|要件|条件|方法|手順|取組|取り組み|心得))"
                         r"[^。：:]{0,40}[。：:]$")


def _lead_in(s: str) -> bool:
    """The text ends with a sentence that introduces a list of items below it."""
    s = s.rstrip(" \u3000")
    if not s.endswith(("。", "：", ":")):
        return False
    last = re.split(r"(?<=[。：:])", s[:-1])[-1] + s[-1]     # the final sentence
    return bool(_RE_LEAD_IN.search(last))


# A sentence that begins by citing the paragraph(s) or items before it belongs to the article, never to an item.
_RE_CITES_PARAGRAPH = re.compile(r"^前(?:項|各項|各号|[二三四五六七八九十]項)")
# A rule sentence of its own: a subject (「受託者は、」) and a modal ending, not an act listed under a lead-in.
_RE_OWN_SENTENCE = re.compile(r"^[^、。「」]{1,20}は、.*(?:ならない|ものとする|とする|できる|努める|努めるものとする)。$")
# A sentence adding to the one before (rule 1 of the verdicts: a later なお / また sentence adds to the rule).
# 「（故障状況の確認のため市が指示した場合を除く。）」 on the line after its sentence: that sentence's exception
_RE_EXCEPTED = re.compile(r"^[（(][^（）()]*(?:を除く|場合に限る|ものとする|この限りでない)[。]?[）)]$")
_RE_ALSO = re.compile(r"^(?:また|併せて|あわせて|この場合において|この場合には|この場合は)[、，]")
# A line that cannot begin an item of its own: it carries on the sentence above it.
_RE_CARRIES_ON = re.compile(rf"^(?:[、。，．）」』\])ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮー]|(?:ただし|なお|この場合|おって)(?:[、，]|{_SP}))")


def _paren_caption(s: str) -> str | None:
    """The inside of a line that is one bracketed caption: "(見出し)", "（見出し）", "【見出し】"."""
    if len(s) < 4 or s[0] not in "(（【":
        return None
    depth = 0
    for i, ch in enumerate(s):
        if ch in "(（【":
            depth += 1
        elif ch in ")）】":
            depth -= 1
            if depth == 0 and i != len(s) - 1:
                return None
    if depth != 0:
        return None
    inner = s[1:-1].strip()
    if not 2 <= len(inner) <= 60 or "。" in inner:
        return None
    if re.fullmatch(rf"{_NUM}|[a-zA-Zａ-ｚＡ-Ｚ]|[{_KANA}]|注{_DIG}*|{_SP}*", inner):
        return None
    if s[0] == "【" and re.search(r"[/／]", inner):   # 【変更なし/変更あり】 is a blank to tick
        return None
    return inner


def _width(s: str) -> int:
    """Display width: a full-width character takes two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


# ---------------------------------------------------------------------------
# Tokens
# ---------------------------------------------------------------------------

@dataclass
class _Tok:
    kind: str                       # "line" | "row" | "blank"
    text: str = ""                  # cleaned text, numbering kept ("(1) 情報の…")
    heading: int = 0                # Markdown / <hN> level, 0 for body text
    li: int | None = None           # list depth when the markup gives one
    ol: int | None = None           # ordinal in an <ol> (the item shows no number itself)
    olstyle: str = "1"              # <ol type>: 1, a, A, i, I
    label: str = ""                 # row: first cell
    cells: list["_Tok"] = field(default_factory=list)   # row: the other cells' lines
    empty_cell: bool = False        # "label<TAB>" with nothing after: a form field
    group: str = ""                 # row: the category a spanning cell beside its number names
    indent: int | None = None       # plain text: leading spaces (full width counts 2), None when unknown
    header: bool = False            # row: a table's row of column names (<th> cells)
    box: bool = False               # heading: the title of a Markdown box (admonition, tab), closed by a "box" blank
    anchored: bool = False          # a line of a text box, read after the paragraph it is anchored in
    part: bool = False              # the name of a part that starts anew (a reader's _PART_MARK)
    # a table row's cells, every one in its column, an empty one as "" (a line cut from a Word table row, 「<TAB><TAB>(1)
    # …」, keeps them too): how an item row (no number of its own) is told from the numbered row above it
    slots: tuple = ()


_BLANK = _Tok("blank")
_CELL_GAP = _Tok("blank", "cell")     # between a table row's cells (a blank inside a cell is a paragraph break)
_BOX_CLOSE = _Tok("blank", "box")     # the end of a Markdown box (admonition, tab): the enclosing section's text again
