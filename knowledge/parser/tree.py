"""Building the clause tree: ``_Builder`` reads the tokens in order, recognises numbering and nesting, and
``_Builder.result`` settles labels and keys and gives the ``ParsedDocument``."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.parser.classify import _Cls, _NUMERIC_MARKERS, _classify, _list_item
from knowledge.parser.model import ParsedClause, ParsedDocument, ParsedForm
from knowledge.parser.patterns import (_IROHA, _KANA, _RE_ALSO, _RE_APPENDIX, _RE_CARRIES_ON, _RE_CITES_PARAGRAPH,
                                       _RE_CLOSING_WORDS, _RE_CONTACT, _RE_DATE_LINE, _RE_DATE_ONLY, _RE_EXCEPTED,
                                       _RE_GENERIC_HEAD, _RE_MARKING_NOTE, _RE_OWN_SENTENCE, _RE_PLACE_ONLY, _RE_REPEALED,
                                       _RE_REVISION_NOTE, _RE_TITLE_END, _SP, _Tok, _lead_in, _terminated, _title_like,
                                       _unspaced, _width)
from knowledge.parser.tokens import (_CELL_MARKS, _RE_CELL_SUBNUMBER, _TICK_BOXES, _cell_groups, _item_row_column,
                                     _row_below_column, _slot_lines)
from knowledge.textnorm import FULLWIDTH_DIGITS, to_int as _to_int
from knowledge.verdict import INFO, judge

# A cell that says whether an act may be done: 「可」「不可」「○」「×」
_RE_ALLOWED_CELL = re.compile(r"可|不可|可能|不可能|○|〇|◯|×|✕|✗|OK|NG|ＯＫ|ＮＧ")


_WRAP_MIN = 24   # a line at least this long that stops mid-sentence was wrapped by the layout


# 「…次の事項を遵守すること。」「…下記のとおり実施するようお願いいたします。」 before the first heading frames what
# follows; it is no unit of its own (the contract's 「…次のとおり契約を締結する。」 neither)
_RE_PREAMBLE_LEAD_IN = re.compile(r"(?:次の|次に掲げる|以下の|下記の?)[^。]{0,20}(?:事項|とおり|通り|もの|措置|対策|行為|表|規定)")


@dataclass(eq=False)
class _Node:
    role: str                       # root article section para row item bullet note
    seg: str = ""                   # key segment: a11, p1, s5, r1, i10, b3 …
    label: str = ""
    cite: str = ""                  # what children's labels start with ("3" for section 3)
    heading: tuple = ()
    text: str = ""
    parent: "_Node | None" = None
    children: list = field(default_factory=list)
    kinds: set = field(default_factory=set)    # marker styles seen among the children
    li: int | None = None
    indent: int | None = None       # the item's indentation in plain text
    num: tuple = ()
    n: int = 0                      # paragraph / marker number
    hlevel: int = 0                 # Markdown heading level of a section
    appendix: bool = False          # 別表 / 別紙 …: numbered parts under it are cited from its name
    numbered: bool = False          # paragraph written with its number ("2 乙は…")
    gone: bool = False              # an article repealed (「第３条　削除」)
    tail: str = ""                  # the last source line put into text (to tell wraps)
    counts: dict = field(default_factory=dict)   # children per role (numbering, in O(1))
    last_n: dict = field(default_factory=dict)   # marker style -> number of the last such child
    bare: bool = False              # an item with no number of its own, under a lead-in (「次に掲げる…」)
    anchored: bool = False          # a note in a text box: part of the clause it is anchored in
    term: str = ""                  # a row read as a term and its meaning: the 「label: 」 put before its text
    under: str = ""                 # a table row's note or item standing below a numbered row: that row's citation

    def add(self, child: "_Node") -> "_Node":
        child.parent = self
        self.children.append(child)
        self.counts[child.role] = self.counts.get(child.role, 0) + 1
        return child

    def count(self, role: str) -> int:
        return self.counts.get(role, 0)


def _with_notes(text: str, notes: list[str]) -> str:
    """A checklist item with the notes beside it, each its own sentence (「…持込み禁止。市の承認があれば可」)."""
    for x in notes:
        text += ("" if text.endswith("。") else "。") + x
    return text


class _Builder:
    def __init__(self):
        self.root = _Node("root")
        self.title: str | None = None
        self.preamble: list[str] = []
        self.preamble_blocks: list[str] = []
        self.chapter: tuple = ()              # heading from 第N章 lines
        self.caption: str | None = None       # (見出し) waiting for its article or section
        self.top: _Node | None = None         # current article or section
        self.stack: list[_Node] = [self.root]  # open clauses, outermost first
        self.sections: list[_Node] = []       # open section chain (for 1 / 1.1 nesting)
        self.boxes: list[_Node] = []          # open Markdown boxes (admonitions, tabs), innermost last
        self.last: _Node | None = None        # clause whose text a wrapped line continues
        self.gap = False                      # a blank line came before this token
        self.anchored = False                 # this token is a text box's line (docx: _ANCHOR_MARK)
        self.started = False
        self.unnumbered = 0
        self.in_row: _Node | None = None
        self.cell_start = False               # the next line in a row starts one of its cells
        self.one_cell = False                 # the row's text is all in one cell (its paragraphs may be rules)
        self.preamble_tail = ""
        self.pending_num: int | None = None   # a paragraph or section number alone on its line
        self.group = ""                       # a table row's category (「アクセス管理」 beside 「1」)
        self.check_group: str | None = None   # a checklist's category, merged over the rows below it
        self.repealed: list[str] = []         # 「第３条　削除」: numbers kept, no clause
        self.articles_seen: list[int] = []    # article numbers in order (a restart at 第1条 starts a part)
        self.part: _Node | None = None        # 別記 + title holding a second set of articles
        self.wrap_width: int | None = None    # the width the lines were broken at, if they were (a text copy)
        self.lines_are_paragraphs = False     # a plain text file, each of whose lines is a paragraph
        self.indents = True                   # leading spaces show where a line starts (not so in HTML source)
        self.page = False                     # a web page: its lines are broken by <br> and blocks, never by a width
        # the table row just read as a row clause: (the row, its cells, the clauses open in it, the last one), where an
        # item row below it (no number of its own) goes on (_row_item)
        self.row_above: tuple | None = None

    # -- dispatch -------------------------------------------------------------

    def feed(self, tok: _Tok):
        self.anchored = tok.anchored
        above, self.row_above = self.row_above, None
        if tok.kind == "blank":
            if tok.text == "box":
                self._box_end()
            self.gap = True
            return
        if above is not None and tok.slots and (self._row_item(tok, above) or self._row_below(tok, above)):
            self.gap = False
            return
        if tok.kind == "row":
            self._row(tok)
        else:
            self._line(tok)
        self.gap = False

    def _line(self, tok: _Tok):
        if tok.part:
            self._new_part(tok.text, tok.label)
            return
        if self.pending_num is not None:
            n, self.pending_num = self.pending_num, None
            if tok.li is None and not tok.heading and _classify(tok.text).kind == "text":
                tok = _Tok("line", f"{n}\u3000{tok.text}")      # "２" / "受託者は…": one paragraph
        c = _classify(tok.text)
        if c.weak and self.stack[-1].role not in ("item", "bullet", "note") and not self._weak_list_starts(c):
            c = _Cls("text", tok.text)
        if c.mtype == "prom" and len(c.disp) == 3 and self._list_next("plat") == c.n_latin() \
                and self._list_next("prom") is None:
            c = _Cls("marker", c.rest, mtype="plat", n=c.n_latin(), disp=c.disp)   # (h) then (i): a letter
        if c.mtype == "rom" and len(c.disp) == 3 and self._list_next("lat") == c.n_latin() \
                and self._list_next("rom") is None:
            c = _Cls("marker", c.rest, mtype="lat", n=c.n_latin(), disp=c.disp[1])   # h. then i.: a letter
        if c.kind == "text" and tok.li is None and self.started and self.in_row is None:
            m = _RE_APPENDIX.match(tok.text)
            if m:
                self._appendix(m)
                return
            if _RE_DATE_ONLY.match(tok.text) or (_RE_CONTACT.search(tok.text) and "。" not in tok.text) \
                    or _RE_CLOSING_WORDS.match(tok.text.strip()):
                return          # "令和７年４月１日" (the issue date), "（担当）…課　電話 …" (whom to call), a letter's close
        if tok.li is not None and c.kind in ("text", "numbered", "caption"):
            c = _list_item(c, tok)
        if c.kind == "skip":
            if tok.text == "以上":               # the end of a block: nothing continues across it
                self.last = None
            bare = re.fullmatch(r"[0-9０-９]{1,3}", tok.text)
            if bare and self.in_row is None and not tok.heading and self._expects_number(_to_int(tok.text)):
                self.pending_num = _to_int(tok.text)   # not a page number: the next number in sequence
            return
        if (c.kind in ("marker", "numbered") and tok.li is None and not tok.heading and not self.gap
                and self.in_row is None and self._wraps_into(c)):
            # "…録音デー" / "タを録音した…", "…時から" / "48 時間以内に…": a wrap, not a new clause
            self._text(tok.text, tok.text, wrap=True)
            return
        if self.in_row is not None:
            self._row_line(c, tok)
        elif c.kind == "chapter":
            self._chapter(c)
        elif c.kind == "article":
            self._article(c, tok.text)
        elif c.kind == "caption":
            if _RE_MARKING_NOTE.match(c.rest) or _RE_REVISION_NOTE.match(c.rest):
                # 「（傍線部分は改正部分）」: how the changes are marked; 「（令和７年４月改正）」: when the document was last
                # revised. Neither heads the rules below it, nor is a title
                return
            self._flush_caption()
            if not self._late_caption(c.rest):
                self.caption = _unspaced(c.rest)
        elif c.kind == "numbered":
            self._numbered(c, tok)
        elif c.kind == "marker":
            self._flush_caption()
            self._item(c, tok.li, tok.text, tok.indent)
        elif tok.heading:
            self._flush_caption()
            self._heading(c.rest, tok.heading, tok.box)
        else:
            self._flush_caption()
            self._text(c.rest, tok.text, tok.indent)

    def _weak_list_starts(self, c: _Cls) -> bool:
        """"ａ　住民の…" under a sentence that ended: the first of a list of letters, or the next one."""
        if self._list_next(c.mtype) == c.n:
            return True
        last = self.last
        return c.n == 1 and last is not None and bool(last.tail) and last.tail.rstrip().endswith(("。", "：", ":"))

    def _expects_number(self, n: int) -> bool:
        """Whether ``n`` continues the numbering open here (the next paragraph, section or list number)."""
        top = self.top
        if self._list_next("num") == n:
            return True
        if top is not None and top.role == "article":
            paras = [ch for ch in top.children if ch.role == "para"]
            return n == (paras[-1].n if paras else 0) + 1
        if not self.started:
            return n == 1
        first = self.sections[0].num[0] if self.sections and self.sections[0].num else None
        if first is not None and n == first + 1:
            return True
        return self._appendix_row() is not None and len(self.sections[-1].num) == 1 and n == self.sections[-1].num[0] + 1

    def _appendix_row(self) -> "_Node | None":
        """The numbered part of a 別表 / 別紙 open here (a row of its table: 「別表3」), if any."""
        if len(self.sections) < 2 or not self.sections[-2].appendix or not self.sections[-1].num:
            return None
        return self.sections[-1] if self.sections[-1] in self.sections[-2].children else None

    def _wraps_into(self, c: _Cls) -> bool:
        """A line that starts like a marker but continues an unfinished sentence: the previous line
        stopped mid-sentence and the marker does not continue any numbering open here."""
        last = self.last
        if last is None or not last.text or not last.tail or _terminated(last.tail) \
                or last.tail.rstrip().endswith(("：", ":", "、")):
            return False
        if c.kind == "marker":
            nxt = self._list_next(c.mtype)
            if c.mtype.startswith("bullet") or c.mtype == "note" or c.n == 1 or nxt == c.n:
                return False
            if c.mtype == "kana" and nxt is not None and 1 < nxt <= len(_KANA):   # イ, ロ, ハ … (iroha order)
                prev = _KANA[nxt - 2]
                if prev in _IROHA and _IROHA.index(prev) + 1 < len(_IROHA) \
                        and _IROHA[_IROHA.index(prev) + 1] == _KANA[c.n - 1]:
                    return False
            return c.mtype in ("kana", "num", "lat", "nump")
        if len(c.num) != 1 or c.sep not in ("",):
            return False
        n = c.num[0]
        return not (n == 1 or self._expects_number(n))

    # -- containers -----------------------------------------------------------

    def _open(self, node: _Node, parent: _Node) -> _Node:
        self.started = True
        parent.add(node)
        self.top, self.last = node, None
        self.stack = [self.root, node]
        return node

    def _chapter(self, c: _Cls):
        self.chapter = (_unspaced(c.rest),) if c.rest else ()
        self.top, self.last, self.sections, self.caption = None, None, [], None
        self.stack = [self.root]

    def _article(self, c: _Cls, raw: str):
        n = c.num[0]
        top = self.top
        if top is not None and top.role == "section" and top.appendix and not top.children \
                and self.articles_seen and n <= self.articles_seen[-1]:
            # 「別記」 and a title, then articles from 第1条 again (a contract followed by its 特記事項):
            # a part of its own, its articles cited with its name so they never merge with the body's
            self.part = top
        part = self.part
        prefix = (part.heading[-1] if len(part.heading) > 1 else part.label) if part is not None else ""
        self.articles_seen.append(n)
        label = f"第{n}条" if c.jo else f"第{n}"
        seg = f"a{n}"
        if len(c.num) > 1:
            label += f"の{c.num[1]}"
            seg += f"_{c.num[1]}"
        label = prefix + label
        parent = part if part is not None else self.root
        base = part.heading if part is not None else self.chapter
        caption = _unspaced(c.caption or self.caption or "")
        self.caption = None
        rest = c.rest
        if _RE_REPEALED.fullmatch(rest) or (not rest and re.fullmatch(r"削除", caption)):
            # 「第３条　削除」: an article repealed by an amendment keeps its number and says nothing
            self.repealed.append(label)
            art = self._open(_Node("article", seg, label, label, base, gone=True), parent)
            self.sections = []
            self.stack, self.last = [self.root, art], None
            return
        if not c.jo and not caption and rest and _title_like(rest, 30):
            caption, rest = _unspaced(rest), ""     # "第1 総則": a heading, its paragraphs follow
        art = self._open(_Node("article", seg, label, label, base + ((caption,) if caption else ())), parent)
        self.sections = []
        self._paragraph(art, 1, rest, numbered=False)
        self.stack[-1].tail = raw

    def _paragraph(self, art: _Node, n: int, text: str, numbered: bool = True):
        p = art.add(_Node("para", f"p{n}", f"{art.label}第{n}項", f"{art.label}第{n}項", art.heading,
                          text=text, n=n, numbered=numbered, tail=text))
        self.stack = [self.root, art, p]
        self.last = p if text else None

    def _section(self, num: tuple, title: str, body: str, hlevel: int = 0, numsep: str = "."):
        title = _unspaced(title or self.caption or "")
        self.caption = None
        while self.sections and not self.sections[-1].appendix and not _is_subnumber(num, self.sections[-1].num):
            self.sections.pop()                 # "1.2" goes under "1"; "2" closes "1" and "1.2"
        parent = self.sections[-1] if self.sections else self.root
        number = numsep.join(str(x) for x in num)
        if parent.appendix:                     # "別表" + "1": "別表1"
            number = _cat(parent.cite, number)
        base = parent.heading if parent is not self.root else self.chapter
        extra = ((self.group,) if self.group and self.group not in base else ()) + ((title,) if title else ())
        sec = self._open(_Node("section", "s" + "_".join(str(x) for x in num), f"{number} {title}".strip(),
                               number, base + extra, num=num, hlevel=hlevel), parent)
        self.sections.append(sec)
        if body:
            self._section_para(body, body)

    def _heading(self, title: str, hlevel: int, box: bool = False):
        """An unnumbered heading: the document title first, then unnumbered sections (``box``: a Markdown box's
        title, a section that ends with the box)."""
        title = _unspaced(title)
        if _RE_GENERIC_HEAD.match(title) and not box:
            return
        if self.title is None and not self.started and not box:
            self.title = title
            return
        while self.sections and not (0 < self.sections[-1].hlevel < hlevel):
            self.sections.pop()
        parent = self.sections[-1] if self.sections else self.root
        self.unnumbered += 1
        base = parent.heading if parent is not self.root else self.chapter
        sec = self._open(_Node("section", f"h{self.unnumbered}", title, title, base + (title,), hlevel=hlevel or 99),
                         parent)
        self.sections.append(sec)
        if box:
            self.boxes.append(sec)

    def _box_end(self):
        """The end of a Markdown box (admonition, tab): the text after it is the enclosing section's again."""
        if not self.boxes:
            return
        box = self.boxes.pop()
        if box in self.sections:
            del self.sections[self.sections.index(box):]
        parent = box.parent
        if parent is not None and parent.role == "section":
            self.top, self.last, self.stack = parent, None, [self.root, parent]
        elif parent is not None and parent.role == "root":
            self.top, self.last, self.stack = None, None, [self.root]

    def _late_caption(self, cap: str) -> bool:
        """"第1条" alone, then "（目的）": the caption belongs to the article just opened."""
        art = self.top
        if art is None or art.role != "article" or len(art.heading) > len(self.chapter):
            return False
        if len(art.children) != 1 or art.children[0].text or art.children[0].children:
            return False
        art.heading = art.children[0].heading = art.heading + (cap,)
        return True

    def _flush_caption(self):
        """A (見出し) that no article claimed heads an unnumbered section."""
        if not self.caption:
            return
        cap, self.caption = self.caption, None
        self._heading(cap, 0)      # "（用語）" heading what follows, even right after an article

    # -- numbered lines: paragraph, section or item, by context ----------------

    def _numbered(self, c: _Cls, tok: _Tok):
        """A line "N text" is a section heading, an article's paragraph N, or an item, by context."""
        top = self.top
        in_article = top is not None and top.role == "article"
        # after a "（見出し）" line, "N text" is that heading's body, never a heading itself
        title = c.rest if _title_like(c.rest) and not (self.caption and not tok.heading) else ""
        n = c.num[0]
        if not tok.heading and len(c.num) == 1 and (
                self._list_next("num") == n
                or (not title and c.sep in (".", "．") and top is not None and top.role == "section"
                    and top.num and n != top.num[0] + 1)):
            # "1. …。" under a section, or the next number of a list already open: an item
            self._flush_caption()
            self._item(_Cls("marker", c.rest, mtype="num", n=n, disp=f"({n})"), None, tok.text)
            return
        if tok.heading or (not in_article and (c.sep in (".", "．", "、") or title)) or self._next_section(c):
            self._section(c.num, title, "" if title else c.rest, tok.heading, c.numsep)
            return
        self._flush_caption()
        if in_article:
            self._article_number(top, c, tok)
        elif c.sep == "k":
            self._item(_Cls("marker", c.rest, mtype="kan", n=c.num[0], disp=f"({c.num[0]})"), None, tok.text)
        elif top is not None and top.role == "section":
            self._section_para(c.rest, tok.text, n=c.num[0])
        else:
            self._section(c.num, "", c.rest, numsep=c.numsep)

    def _next_section(self, c: _Cls) -> bool:
        """"2 本文" right after "1 本文" (rules numbered 1, 2, 3 with no headings, as in a table of
        rules), or a first number under 別表: a section of its own, not a paragraph of the one before."""
        top = self.top
        if top is None or top.role != "section" or self.caption:
            return False
        if top.appendix:
            return not top.children or any(ch.role == "section" for ch in top.children)
        if self._appendix_row() is top and len(c.num) == len(top.num) and c.num[-1] == top.num[-1] + 1 \
                and not any(ch.role == "para" and ch.numbered for ch in top.children):
            # 別表's rows 「２　鍵の貸出し記録　１年間」「３　映像　30日間。…」: the next number is the next row, even when
            # the row before reads like a heading
            return True
        return (bool(top.num) and top.label == top.cite and len(c.num) == len(top.num)
                and c.num[:-1] == top.num[:-1] and c.num[-1] == top.num[-1] + 1
                and not any(ch.role == "para" and ch.numbered for ch in top.children))

    def _appendix(self, m: re.Match):
        """附則 (cited like an article: 附則, 附則第2項) or 別表 / 別紙 / 別記 / 別添 (a part whose
        numbered rules are cited from its name: 別表1, 別紙2(1))."""
        self._flush_caption()
        name = re.sub(rf"{_SP}+", "", m.group(1))
        self.chapter, self.caption, self.part = (), None, None
        if name == "附則":
            art = self._open(_Node("article", "sup", name, name, (name,)), self.root)
            self.sections = []
            self._paragraph(art, 1, "", numbered=False)
            return
        label = name + (f"第{_to_int(m.group(2))}" if m.group(2) else "")
        title = _unspaced((m.group(4) or "").strip())
        sec = self._open(_Node("section", f"x{self.root.count('section') + 1}", label, label,
                               (label,) + ((title,) if title else ()), appendix=True), self.root)
        self.sections = [sec]

    def _new_part(self, name: str, title: str = ""):
        """A part of the document that starts anew under its name (a workbook's second sheet of rules, with the title
        it shows): nothing open before it (article, section, list, a checklist's category) goes on into it; its
        numbered parts are cited from its name, as a 別表's are."""
        self._flush_caption()
        self.chapter, self.caption, self.part, self.pending_num = (), None, None, None
        self.check_group, self.group, self.in_row = None, "", None
        name = _unspaced(name)
        heading = (name,) + ((_unspaced(title),) if title and _unspaced(title) != name else ())
        sec = self._open(_Node("section", f"x{self.root.count('section') + 1}", name, name, heading, appendix=True),
                         self.root)
        self.sections = [sec]

    def _article_number(self, art: _Node, c: _Cls, tok: _Tok):
        """Inside an article "2 …" is paragraph 2, but "1 …" after the first paragraph starts a list."""
        n = c.num[0]
        paras = [ch for ch in art.children if ch.role == "para"]
        cur = paras[-1] if paras else None
        if c.sep == "k" or len(c.num) > 1:
            self._item(_Cls("marker", c.rest, mtype="kan" if c.sep == "k" else "num", n=n, disp=f"({n})"),
                       None, tok.text)
        elif cur is not None and not cur.text and not cur.children:
            cur.n, cur.seg, cur.numbered = n, f"p{n}", True
            cur.label = cur.cite = f"{art.label}第{n}項"
            cur.text, cur.tail = c.rest, tok.text
            self.stack, self.last = [self.root, art, cur], cur
        elif cur is None or n == cur.n + 1:
            self._paragraph(art, n, c.rest)
        elif n == 1 or any("num" in e.kinds for e in self.stack):
            self._item(_Cls("marker", c.rest, mtype="num", n=n, disp=f"({n})"), None, tok.text)
        else:
            self._paragraph(art, n, c.rest)

    def _section_para(self, text: str, raw: str, n: int | None = None):
        sec = self.top
        k = sec.count("para") + 1
        seg = f"p{n}" if n is not None else f"p{k}"
        label = f"{sec.label} 第{n}項" if n is not None else sec.label
        p = sec.add(_Node("para", seg, label, label if n is not None else sec.cite, sec.heading, text=text,
                          n=n or k, numbered=n is not None, tail=raw))
        self.stack = [self.root, sec, p]
        self.last = p

    # -- items ------------------------------------------------------------------

    def _item(self, c: _Cls, li: int | None, raw: str, indent: int | None = None):
        """Attach an item to the nearest open clause that already has items of its style,
        else under the deepest open clause; list depth from the markup closes deeper lists."""
        self.started = True
        stack = self.stack
        # the innermost container: items never climb out of their article, section or row
        floor = max(i for i, n in enumerate(stack) if n.role in ("root", "article", "section", "row"))
        if li is not None:
            while len(stack) > floor + 1 and stack[-1].li is not None and stack[-1].li >= li:
                stack.pop()
        elif indent is not None:
            # where the author indented: a deeper item closes when a line comes back left of it, and an
            # unnumbered mark (○ ・ ※) at an item's own indentation is its sibling, not its child
            plain = c.mtype == "note" or c.mtype.startswith("bullet")
            while len(stack) > floor + 1 and stack[-1].indent is not None and (
                    stack[-1].indent > indent or (plain and indent > 0 and stack[-1].indent == indent)):
                stack.pop()
        idx = len(stack) - 1
        # a paragraph that introduces a list and holds none yet takes the items after it, though the section
        # above it has items of their style (「・…」 under a box title, then 「…次に掲げる行為をしてはならない。」 / 「・…」)
        fresh_lead_in = stack[-1].role == "para" and not stack[-1].children and _lead_in(stack[-1].text)
        if not (li is not None and stack[-1].li is not None and stack[-1].li < li) and not fresh_lead_in:
            idx = next((i for i in range(len(stack) - 1, floor - 1, -1) if c.mtype in stack[i].kinds), idx)
        if idx == len(stack) - 1 > floor and li is None and c.mtype not in stack[idx].kinds \
                and stack[idx - 1].role in ("root", "article", "section", "row", "para") \
                and self._beside(stack[idx], c, indent):
            idx -= 1
        if stack[idx].role == "article":          # items belong to the article's paragraph
            idx = len(stack) - 1
        del stack[idx + 1:]
        parent = stack[-1]
        parent.kinds.add(c.mtype)
        parent.last_n[c.mtype] = c.n
        role = "bullet" if c.mtype.startswith("bullet") else "note" if c.mtype == "note" else "item"
        depth = sum(1 for a in self._ancestors(parent) if a.role in ("item", "bullet", "note"))
        if role == "item":
            prefix = ("i", "s", "ss")[depth] if depth < 3 else "x"
            # numbers key by their value; letters (ア, イロハ, a) by their place among siblings
            ordinal = c.n if c.mtype in _NUMERIC_MARKERS or c.mtype.startswith("ol") \
                else parent.counts.get("m:" + c.mtype, 0) + 1
            parent.counts["m:" + c.mtype] = parent.counts.get("m:" + c.mtype, 0) + 1
            seg = f"{prefix}{ordinal}"
            # Numbered items right under an article's paragraph are its 号: "第11条第1項第10号".
            in_article = parent.role == "para" and parent.parent is not None and parent.parent.role == "article"
            numeric = c.mtype in _NUMERIC_MARKERS or bool(re.fullmatch(r"ol\d+", c.mtype))
            label = _cat(parent.cite, f"第{c.n}号" if in_article and numeric else c.disp)
        else:
            seg = f"{role[0]}{parent.count(role) + 1}"
            label = parent.cite
        node = parent.add(_Node(role, seg, label, label, parent.heading, text=c.rest, li=li, n=c.n, tail=raw,
                                indent=indent, anchored=role == "note" and self.anchored))
        stack.append(node)
        self.last = node

    @staticmethod
    def _beside(prev: _Node, c: _Cls, indent: int | None) -> bool:
        """「・この遵守事項で…をいいます。」 then 「（１）受託者は、…届け出なければなりません。」 (a Word file's sections mix
        bullets and numbers at one level): a sentence of the other kind after a finished sentence that introduces
        nothing, both right under the section or paragraph, is its sibling, not its item. Bullets under a numbered
        title or lead-in (「(1) 端末の管理」「…次のとおりとする。」), a number under a bullet inside an item (「(2) 技術的
        対策」 / 「● …こと。」 / 「1) 例外は…」), letters and numbers under numbers (ア under (1)), and a line indented
        deeper keep nesting."""
        if prev.role not in ("item", "bullet") or prev.children or c.mtype == "note" \
                or c.mtype.startswith("bullet") == (prev.role == "bullet"):
            return False
        if c.mtype.startswith("bullet") and prev.role == "item" and prev.n == 0:
            return False
        if indent is not None and prev.indent is not None and indent > prev.indent:
            return False
        tail = prev.text.rstrip().rstrip("）)")
        return tail.endswith("。") and not _lead_in(tail) and "。" in c.rest and len(c.rest) >= 15

    def _list_next(self, mtype: str) -> int | None:
        """The number the open list of ``mtype`` items expects next, if such a list is open."""
        for node in reversed(self.stack):
            if mtype in node.last_n:
                return node.last_n[mtype] + 1
            if node.role in ("article", "section", "row"):
                return None
        return None

    @staticmethod
    def _ancestors(node: _Node):
        while node is not None:
            yield node
            node = node.parent

    # -- plain text ---------------------------------------------------------------

    def _text(self, text: str, raw: str, indent: int | None = None, wrap: bool = False):
        if not self.started:
            self._preamble(text)
            return
        if not wrap and self.in_row is None and self._bare_item(text, raw, indent):
            return
        if not wrap and self.in_row is None:
            self._close_items_before(text, indent)
        last = self.last
        if self._article_title(last, text):
            # 「第１条　目的」 over 「この特記事項は、…。」 (Word's heading style numbering 第%1条, the title after the
            # number): the short line was the article's title, the sentence is its first paragraph
            art = last.parent
            art.heading = art.heading + (_unspaced(last.text),)
            last.heading = art.heading
            last.text, last.tail = text, raw
            return
        if last is not None and last.text:
            joined = _join(last.text, last.tail, text, self.gap)
            if joined is not None and self._ends_block(last.tail, text):
                joined = None
            if joined is not None:
                last.text, last.tail = joined, raw
                return
        deepest = self.stack[-1]
        top = self.top
        if top is not None and top.appendix and not top.children and len(top.heading) < 2 and _title_like(text, 30):
            top.heading = top.heading + (_unspaced(text),)     # "別紙" / "窓口業務における取扱い": the part's title (one)
            return
        if deepest.role in ("para", "item", "bullet", "note") and not deepest.text and not deepest.children:
            deepest.text, deepest.tail, self.last = text, raw, deepest
            return
        top = self.top
        if top is not None and top.role == "section":
            self._section_para(text, raw)
        elif (top is not None and top.role == "article") or deepest.role == "item":
            # inside an article (or under a top-level "(1) 見出し") an unnumbered block continues the clause
            deepest.text = f"{deepest.text}\n{text}" if deepest.text else text
            deepest.tail, self.last = raw, deepest
        else:
            k = self.root.count("para") + 1
            label = f"{self.chapter[0]} 第{k}段落" if self.chapter else f"第{k}段落"
            p = self.root.add(_Node("para", f"p{k}", label, label, self.chapter, text=text, n=k, tail=raw))
            self.stack, self.last = [self.root, p], p

    def _article_title(self, last: "_Node | None", text: str) -> bool:
        """The first paragraph of an article holds only a short title-like phrase from the article's own line (no
        、 nor 。, not cut mid-phrase) and a whole sentence follows."""
        if last is None or last.role != "para" or last.n != 1 or last.numbered or last.children \
                or last.parent is None or last.parent.role != "article":
            return False
        head = last.text.strip()
        return (0 < len(head) <= 16 and "\n" not in head and _title_like(head, 16) and "、" not in head
                and not re.search(r"[はがをにでとものへ]$", head) and _classify(text).kind == "text"
                and text.rstrip().endswith("。") and len(text) > len(head))

    def _close_items_before(self, text: str, indent: int | None):
        """Close the open items when text is not theirs, so it carries on the clause that holds them, not the
        last item (「…この限りでない。」 under the last of 「次に掲げる行為」 read as that item's own way out, and
        the item as a duty): a block after a web page's list (a blank after its last <li>); a sentence that
        cites the paragraph before it (「前項の規定にかかわらず、…」), after Word's or a PDF's numbered list; a
        new sentence back left of the items where indentation is known."""
        deepest = self.stack[-1]
        if deepest.role not in ("item", "bullet"):
            return
        new_sentence = _terminated(deepest.tail) and not _RE_CARRIES_ON.match(text)
        cites = new_sentence and bool(_RE_CITES_PARAGRAPH.match(text))
        left = new_sentence and self.indents and indent is not None
        if cites:
            closes = lambda n: True                                                  # noqa: E731
        elif left and deepest.indent is not None and indent < deepest.indent:
            closes = lambda n: n.indent is None or indent < n.indent                 # noqa: E731
        elif self.gap and deepest.li is not None:
            closes = lambda n: n.li is not None                                      # noqa: E731
        else:
            return
        holder = deepest
        while holder.parent is not None and holder.role in ("item", "bullet") and closes(holder):
            holder = holder.parent
        if holder in self.stack:
            self.stack = self.stack[:self.stack.index(holder) + 1]
            self.last = holder if holder.text else None

    def _bare_item(self, text: str, raw: str, indent: int | None) -> bool:
        """A line with no number under a lead-in (「受託者は、次に掲げる行為をしてはならない。」) is an item of
        it, as the unmarked list of a web page is: Word's indented paragraphs without a number, the
        indented lines of a text. The items run up to the next numbered line or heading, or to a line
        back left of the first item (the article's own text again). A line that carries on the item
        above (「ただし、…」, or the rest of a line broken at the text's width) stays in it; the lead-in's
        own wrapped lines are never items, as the lead-in is only one once its sentence has ended.
        True when the line was taken here."""
        last = self.last
        if last is None or not last.text or not self.stack or self.stack[-1] is not last:
            return False
        if last.bare:
            lead = last.parent
            if _RE_CARRIES_ON.match(text) or (not _terminated(last.tail) and self.wrap_width is not None
                                              and _width(last.tail) >= self.wrap_width - 6):
                last.text, last.tail = last.text + text, raw
                return True
            first = next(ch for ch in lead.children if ch.bare)
            if (self.indents and indent is not None and first.indent is not None and indent < first.indent) or (
                    _RE_OWN_SENTENCE.match(text) and not _RE_OWN_SENTENCE.match(first.text)):
                # back at the lead-in's own indentation, or a sentence with its own subject and ending after
                # 「…すること。」 items (「受託者は、前項に違反したときは、…報告しなければならない。」, where a web
                # page shows no indentation): the items are over, the text is the lead-in's
                self.stack = self.stack[:self.stack.index(lead) + 1]
                self.last = lead
                return False
        elif last.role in ("para", "item", "bullet", "note") and not last.children \
                and (_terminated(last.tail) or last.tail.rstrip().endswith(("：", ":"))) and _lead_in(last.text):
            lead = last
        else:
            return False
        lead.kinds.add("bullet")
        node = lead.add(_Node("bullet", f"b{lead.count('bullet') + 1}", lead.cite, lead.cite, lead.heading,
                              text=text, tail=raw, indent=indent, bare=True))
        self.stack = self.stack[:self.stack.index(lead) + 1] + [node]
        self.last = node
        return True

    def _ends_block(self, tail: str, text: str) -> bool:
        """In a text whose lines are its paragraphs (not broken at a width), a finished line ends its block and the
        next line is a rule of its own (a checklist of 「…こと。」 lines), unless it carries on (「ただし、…」「なお、…」
        「また、…」); a line short of the width the text was broken at (a PDF's, a copied text's) is a paragraph's last."""
        return not self.gap and (self.lines_are_paragraphs or self.page) and _terminated(tail) \
            and (self.wrap_width is None or _width(tail) < self.wrap_width - 6) \
            and not _RE_CARRIES_ON.match(text) and not _RE_ALSO.match(text) and not _RE_EXCEPTED.match(text)

    @staticmethod
    def _long_title(text: str) -> bool:
        """A line that is a document's title though longer than _preamble takes at once: it names the attachment
        (ends in 特記事項, 新旧対照表, 遵守事項 …), no sentence, no date, no place."""
        return _title_like(text, 80) and "\n" not in text and not _RE_DATE_LINE.search(text) \
            and not _RE_GENERIC_HEAD.match(text) and bool(_RE_TITLE_END.search(text))

    def _preamble(self, text: str):
        if self.title is None and not self.preamble and _RE_GENERIC_HEAD.match(text):
            return          # "別記" / "別紙３" printed above the title: a filing mark, not text
        if self.title is None and _title_like(text, 40) \
                and all(_RE_PLACE_ONLY.match(p) or _RE_DATE_ONLY.match(p) for p in self.preamble) \
                and not _RE_GENERIC_HEAD.match(text) and not _RE_DATE_LINE.search(text) \
                and not _RE_DATE_ONLY.match(text) and not _RE_PLACE_ONLY.match(text):
            self.title = _unspaced(text)
            return
        joined = _join(self.preamble[-1], self.preamble_tail, text, self.gap) if self.preamble else None
        if self.page and self.gap:
            joined = None       # a web page's blocks are apart on screen: no block break there is a wrap at a width
        # the blocks as the body reads them, for the 前文 clauses of a document with structure: a finished line
        # ends its block, and so does a short line with no sentence (「はじめに」)
        after_title = bool(self.preamble_blocks) and "。" not in self.preamble_blocks[-1] and len(self.preamble_blocks[-1]) <= 20
        if joined is None or after_title or self._ends_block(self.preamble_tail, text):
            self.preamble_blocks.append(text)
        else:
            self.preamble_blocks[-1] = _join(self.preamble_blocks[-1], self.preamble_tail, text, self.gap) or text
        if joined is not None:
            self.preamble[-1] = joined
        else:
            self.preamble.append(text)
        self.preamble_tail = text

    # -- table rows -------------------------------------------------------------

    def _row(self, tok: _Tok):
        if self.caption and self.top is not None and self.top.role == "article":
            cap, self.caption = self.caption, None
            self._heading(cap, 0)          # "（用語）" above a table heads the table, not the article
        label = tok.label
        if self._checklist_row(tok):
            return
        if re.fullmatch(r"(?:No|NO|Ｎｏ|№)[.．]?|番号|項番", label or "") and tok.cells \
                and all(len(t.text) <= 6 and "。" not in t.text for t in tok.cells if t.kind == "line"):
            return          # 「No. | 確認項目 | 確認欄 | 備考」 in <td>s: the names of the columns, no rule
        if not label or _classify(label).kind not in ("text", "caption"):
            # "1<TAB><p>見出し</p>…": the number heads the first line of the cell.
            cells = list(tok.cells)
            first = next((i for i, t in enumerate(cells) if t.kind == "line"), None)
            named = [g for g in _cell_groups(tok, by_cell=True) if any(t.kind == "line" for t in g)]
            scene_rule = label and _classify(label).kind == "marker" and len(named) == 2 \
                and all(len(g) == 1 and g[0].li is None and not g[0].heading for g in named) \
                and _title_like(named[0][0].text, 20) and "。" in named[1][0].text \
                and _classify(named[0][0].text).kind == "text" and _classify(named[1][0].text).kind == "text"
            # 「1 | 会場の様子を…撮影すること | 不可 | 撮影前に告知する」: a numbered row of a table of what may be done,
            # the act, whether it may (可 / 不可, ○ / ×) and on what condition, one item
            verdict_at = next((k for k, g in enumerate(named) if len(g) == 1 and _RE_ALLOWED_CELL.fullmatch(g[0].text.strip())), None) \
                if label and re.fullmatch(r"[0-9０-９]{1,3}[.．]?|[（(][0-9０-９]{1,3}[)）]", label.strip()) and 2 <= len(named) <= 4 \
                and all(len(g) == 1 and g[0].li is None and not g[0].heading for g in named) else None
            if verdict_at is not None and verdict_at > 0:
                rest = [g[0].text.strip() for k, g in enumerate(named) if k != verdict_at]
                cond = [t for t in rest[1:] if t and not re.fullmatch(r"[－\-—‐―ー]|なし|特になし", t)]
                # (written as the NG/OK tables' cells are, 「不可：…」, which says the verdict)
                cells = [_Tok("line", f"{label} {named[verdict_at][0].text.strip()}：{rest[0]}"
                                      + "".join(f"（{t}）" for t in cond))]
            elif scene_rule:
                # 「（１）<TAB>保護者からの電話<TAB>電話で…答えない。」: a numbered row of a rules table, the scene and its rule
                # one item, the scene named before the rule as a row's name is
                cells = [_Tok("line", f"{label} {named[0][0].text}：{named[1][0].text}")]
            elif label and first is not None and cells[first].li is None and _classify(cells[first].text).kind == "text":
                cells[first] = _Tok("line", f"{label} {cells[first].text}", heading=cells[first].heading)
            elif label:
                cells.insert(0, _Tok("line", label))
            self.group = tok.group
            for t in cells:
                self.feed(t)
            self.group = ""
            return
        if not any(t.kind == "line" for t in tok.cells):
            self._line(_Tok("line", label))
            return
        self._flush_caption()
        self.started = True
        top = self.top
        if top is not None and top.role == "article":
            parent = self.stack[2] if len(self.stack) > 2 else top
        else:
            parent = top or self.root
        base = parent.label if parent is not self.root else ""
        row_label = f"{base}（{label}）" if base else label
        numbered = bool(_RE_CELL_SUBNUMBER.fullmatch(label.replace(" ", "")))     # 「3-4」 from a 番号 column
        heading = parent.heading + ((tok.group,) if numbered and tok.group and tok.group not in parent.heading else ()) \
            + (label,)
        row = parent.add(_Node("row", f"r{parent.count('row') + 1}", row_label, row_label, heading))
        saved = self.stack[:self.stack.index(parent) + 1] if parent in self.stack else [self.root]
        self.stack, self.last, self.in_row = saved + [row], None, row
        self.gap = False
        self.cell_start = True
        # (a row whose text is in several cells, 「項目 | 内容 | 備考」, is read as one unit, as it always was)
        self.one_cell = sum(1 for g in _cell_groups(tok, by_cell=True) if any(t.kind == "line" for t in g)) == 1
        for t in tok.cells:
            if t.kind == "blank" and t.text == "cell":
                self.cell_start = True
            self.feed(t)
        self.in_row = None
        if not row.children and row.text and not numbered:
            row.term = f"{label}: "
            row.text = row.term + row.text         # a definition: the term is part of the rule
        if tok.slots and row in self.stack:
            self.row_above = (row, tok.slots, list(self.stack), self.last)
        self.stack, self.last = saved, None

    def _checklist_row(self, tok: _Tok) -> bool:
        """A checklist exported from a spreadsheet, 「No.<TAB>区分<TAB>確認項目<TAB>備考」: the number is the row's
        label, a short category its heading, and the item with its note one unit, their sentences kept
        apart (「…持込み禁止。市の承認があれば可」: the note can hold the way out)."""
        lines = [t.text for t in tok.cells if t.kind == "line"]
        if not re.fullmatch(r"[0-9０-９]{1,3}", tok.label or "") or not lines:
            return False
        # the box to tick (「□」) is a blank of the form, not the rule's text
        boxed = False
        while len(lines) > 1 and lines[-1] in _TICK_BOXES:
            lines, boxed = lines[:-1], True
        if len(lines[0]) <= 12 and "。" not in lines[0] and _classify(lines[0]).kind == "text" and len(lines) >= 2:
            self.check_group = lines[0]
        elif boxed and self.check_group is not None:
            # the category cell merged over several rows is empty below its first row: the rows keep it
            lines = [self.check_group] + lines
        else:
            return self._boxed_row(tok)
        if len(lines) > 4 or not any(len(x) >= 8 for x in lines[1:]):
            return False
        parent = self._row_parent()
        text = _with_notes(lines[1], lines[2:])
        n = str(_to_int(tok.label))
        row = parent.add(_Node("row", f"r{parent.count('row') + 1}", n, n, parent.heading + (lines[0],), text=text))
        self.stack = self.stack[:self.stack.index(parent) + 1] if parent in self.stack else [self.root]
        self.last = None
        if tok.slots:
            self.row_above = (row, tok.slots, self.stack + [row], None)
        return True

    def _row_parent(self) -> "_Node":
        """Where a checklist row goes (not under the row before it), the rules having started."""
        self._flush_caption()
        self.started = True
        parent = self.top or self.root
        return (parent.parent or self.root) if parent.role == "row" else parent

    def _boxed_row(self, tok: _Tok) -> bool:
        """A spreadsheet's checklist row with no category, 「No. | 確認項目 | □ | 備考」 (an Excel sheet saved as a web
        page): the number is the row's label, the item (its lines, a wrap or a sentence each, and its ①② items) and
        the note beside it one unit, as in _checklist_row."""
        groups = [[t for t in g if t.kind == "line"] for g in _cell_groups(tok, by_cell=True)]
        groups = [g for g in groups if g]
        boxes = [i for i, g in enumerate(groups) if len(g) == 1 and g[0].text in _TICK_BOXES]
        if not boxes or boxes[0] == 0 or len(groups) - len(boxes) > 2:
            return False
        item = groups[0]
        if _classify(item[0].text).kind != "text" or "。" not in item[0].text + (item[1].text if len(item) > 1 else ""):
            return False
        notes = ["".join(t.text for t in g) for i, g in enumerate(groups[1:], 1) if i not in boxes]
        # the item's own lines, up to its first ①② item (those become the row's children)
        head = item[:next((i for i, t in enumerate(item) if _classify(t.text).kind == "marker"), len(item))]
        parent = self._row_parent()
        text = _with_notes("".join(t.text for t in head), notes)
        n = str(_to_int(tok.label))
        heading = parent.heading + ((tok.group,) if tok.group and tok.group not in parent.heading else ())
        row = parent.add(_Node("row", f"r{parent.count('row') + 1}", n, n, heading, text=text, tail=text))
        self.stack = (self.stack[:self.stack.index(parent) + 1] if parent in self.stack else [self.root]) + [row]
        self.last, self.in_row, self.one_cell, self.gap = None, row, False, False
        for t in item[len(head):]:
            self._line(t)
        self.in_row = None
        if tok.slots and row in self.stack:
            self.row_above = (row, tok.slots, list(self.stack), self.last)
        self.stack = self.stack[:self.stack.index(row)] if row in self.stack else [self.root]
        self.last = None
        return True

    def _row_item(self, tok: _Tok, above: tuple) -> bool:
        """A table row with no number of its own whose text is an item (「(1)　校務情報を保守用端末に保存すること。」 under
        「3-4 | 保守作業に当たっては、次に掲げる行為をしてはならない。」, the 番号 cell left empty): an item of the numbered
        row above it, read as if it stood in that row's cell, so the lead-in's verdict reaches it. True when taken."""
        row, cells, stack, last = above
        j = _item_row_column(cells, tok.slots)
        if j is None:
            return False
        lines = _slot_lines(tok, j)
        if lines is None:
            return False
        if row.term and row.text.startswith(row.term):
            row.text, row.term = row.text[len(row.term):], ""     # a lead-in, not a term and its meaning
        saved = self.stack
        self.stack, self.in_row, self.last = list(stack), row, last
        self.one_cell = self.cell_start = self.gap = False
        for t in lines:
            self._line(t)
        self.row_above = (row, cells, list(self.stack), self.last)     # the next item row goes on from here
        self.in_row, self.stack, self.last = None, saved, None
        return True

    def _row_below(self, tok: _Tok, above: tuple) -> bool:
        """A table row with no number of its own below a numbered row that is not its item: a note 「※…」, or 「(1)…」
        under a finished rule that introduces nothing (「3-3 | ﾊﾟｽﾜｰﾄﾞを他の従事者に教えないこと。」). It stays a unit
        of its own where it stands, with its own verdict (the rule above is no lead-in of it), but is cited from the
        row above and under its headings (「3-3(1)」「3-4※」 under 区分 and number), as a note under an article is
        (「第5条第1項※」): 「(1)」 or 「※」 alone does not say where it is. True when taken."""
        row, cells, stack, _ = above
        j = _row_below_column(cells, tok.slots)
        if j is None:
            return False
        lines = _slot_lines(tok, j)
        if lines is None:
            return False
        # where the row's own notes and items would go: beside the row (or, after such a row, beside it or in it)
        self.stack = list(stack[:stack.index(row)] if row in stack else stack)
        self.in_row, self.last = None, None
        self.one_cell = self.cell_start = self.gap = False
        home = row.parent
        for k, t in enumerate(lines):
            self._line(t)
            node = self.last
            if k == 0 and node is not None and node.parent is home and node.role in ("item", "bullet", "note") \
                    and not node.children:
                # an item's label is its parent's citation and its mark (「(1)」); a note's or a bullet's, the citation
                # its mark and number are put after at the end (_tidy)
                mark = node.label[len(home.cite):].lstrip() if node.role == "item" else ""
                node.label = node.cite = _cat(row.cite, mark) if mark else row.cite
                node.heading, node.under = row.heading, row.cite
        self.row_above = (row, cells, list(self.stack), self.last)     # a row below it goes on from here
        return True

    def _row_line(self, c: _Cls, tok: _Tok):
        """Inside a cell: numbered lines and list items are children, other text is the row's own."""
        if tok.text.strip() in _CELL_MARKS:
            c = _Cls("text", tok.text.strip())   # a 可否 cell 「○」 is the row's answer, not a bullet
        cell_start, self.cell_start = self.cell_start, False
        if c.kind == "marker":
            if c.mtype == "note" and self.stack[-1].role == "para" and self.stack[-1].parent is self.in_row:
                self.stack.pop()                  # a ※ note in a cell read as paragraphs is the row's, as before
            self._item(c, tok.li, tok.text)
            return
        if c.kind == "numbered":
            self._item(_Cls("marker", c.rest, mtype="num", n=c.num[0], disp=f"({c.num[0]})"), tok.li, tok.text)
            return
        text = tok.text if c.kind != "text" else c.rest
        last = self.last
        if not cell_start and self._row_paragraph(last, text):
            return
        if last is not None and last.text and not self.gap:
            last.text = _join(last.text, last.tail, text, False)
            last.tail = tok.text
            return
        row = self.in_row
        paras = [ch for ch in row.children if ch.role == "para"]
        if paras:                                   # a row already read as its paragraphs: the last one goes on
            row = paras[-1]
        row.text = f"{row.text}\n{text}" if row.text else text
        self.stack = self.stack[:self.stack.index(self.in_row) + 1] + ([row] if paras else [])
        self.last = row

    def _row_paragraph(self, last: _Node | None, text: str) -> bool:
        """A cell that holds several rules, one paragraph each (Word's 「項目 | 遵守事項」 table, a page's <td>
        with <p>s or <br> lines): a paragraph after a finished sentence of the same cell is a rule of its own,
        cited under the row (「（入退室の管理）第2段落」), so each gets its own verdict; a paragraph after a ※ note
        is the row's again, not the note's. Not a line that carries on the one before (「ただし、…」「なお、…」),
        nor one that is no sentence, nor the rest of a cell whose first paragraph is no rule. True when the line was
        taken here."""
        row = self.in_row
        if not self.one_cell or last is None or not last.text or last.text.rstrip()[-1:] != "。" or "。" not in text \
                or _RE_CARRIES_ON.match(text) or _RE_ALSO.match(text):
            return False
        if not (last is row or (last.parent is row and last.role in ("para", "note"))):
            return False
        if not any(ch.role == "para" for ch in row.children):
            if judge(row.text).verdict in (None, INFO):
                return False      # a term and its meaning (「媒体 | ＵＳＢメモリ等をいう。<br>ＣＤを含む。」) stays one unit
            first = _Node("para", "p1", f"{row.label}第1段落", f"{row.label}第1段落", row.heading, text=row.text,
                          n=1, tail=row.tail)
            row.text = ""
            row.add(first)
            row.children.insert(0, row.children.pop())    # the row's own first paragraph comes before its notes
        k = row.count("para") + 1
        p = row.add(_Node("para", f"p{k}", f"{row.label}第{k}段落", f"{row.label}第{k}段落", row.heading, text=text,
                          n=k, tail=text))
        self.stack = self.stack[:self.stack.index(row) + 1] + [p]
        self.last = p
        return True

    # -- result -------------------------------------------------------------------

    def result(self, forms: list[ParsedForm]) -> ParsedDocument:
        self._flush_caption()
        if self.title is None and self.root.children and self.preamble and self._long_title(self.preamble[0]):
            # a title longer than a heading's (「…業務委託情報セキュリティ特記事項新旧対照表」) above the articles
            self.title = self.preamble.pop(0)
            if self.preamble_blocks and self.preamble_blocks[0] == self.title:
                self.preamble_blocks.pop(0)
        preamble = "\n".join(self.preamble)
        if not self.root.children and self.preamble:
            # No structure at all: every block is a paragraph of its own.
            for k, block in enumerate(self.preamble, 1):
                self.root.add(_Node("para", f"p{k}", f"第{k}段落", f"第{k}段落", (), text=block))
            preamble = ""
        elif self.preamble:
            # 「このチェックリストは、…確認するために用いる。」「この特記事項において「調査票」とは、…をいう。」: what
            # the attachment says before its first heading is its purpose, scope and terms, cited as 前文
            said = [b for b in self.preamble_blocks if "。" in b and len(b) >= 15 and "\n" not in b
                    and not _RE_PREAMBLE_LEAD_IN.search(b)]
            labels = ["前文"] if len(said) == 1 else [f"前文 第{k}段落" for k in range(1, len(said) + 1)]
            self.root.children[:0] = [_Node("para", f"pre{k}", lb, lb, (), text=b, parent=self.root)
                                      for k, (lb, b) in enumerate(zip(labels, said), 1)]
        _tidy(self.root)
        clauses: list[ParsedClause] = []
        seen: set[str] = set()
        self._emit(self.root, None, clauses, seen)
        return ParsedDocument(self.title, preamble, clauses, forms)

    def _emit(self, node: _Node, parent_key: str | None, out: list, seen: set):
        for ch in node.children:
            key = f"{parent_key}.{ch.seg}" if parent_key else ch.seg
            if key in seen:                          # e.g. two sections both numbered "1"
                k = 2
                while f"{key}-{k}" in seen:
                    k += 1
                key = f"{key}-{k}"
            seen.add(key)
            out.append(ParsedClause(key, parent_key, _level(ch), ch.label, tuple(ch.heading), _final_text(ch.text),
                                    len(out)))
            self._emit(ch, key, out, seen)


def _is_subnumber(num: tuple, parent: tuple) -> bool:
    return bool(parent) and len(parent) < len(num) and num[:len(parent)] == parent


def _join(text: str, tail: str, new: str, gap: bool) -> str | None:
    """``text`` continued by the line ``new``, or None when ``new`` starts a block of its own.

    Japanese wraps join without a space. A short unfinished line followed directly by
    more text is a title and its body ("(1) 複製の禁止" / "情報を複製しては…"): keep a
    line break. After a blank line only a long unfinished line (a wrap at the page
    width or across a page break) is continued."""
    wrapped = not _terminated(tail)
    if not gap:
        titled = wrapped and len(tail) < 20 and "、" not in tail
        return text + ("\n" if titled else "") + new
    if wrapped and len(tail) >= _WRAP_MIN:
        return text + new
    return None


def _level(node: _Node) -> str:
    if node.role in ("article", "section"):
        return node.role
    if node.role in ("para", "row"):
        return "paragraph"
    depth = 0
    p = node.parent
    while p is not None:
        if p.role in ("item", "bullet", "note"):
            depth += 1
        p = p.parent
    return ("item", "subitem")[depth] if depth < 2 else "subsubitem"


def _final_text(text: str) -> str:
    return "\n".join(line.strip(" \u3000") for line in text.strip().split("\n") if line.strip())


def _tidy(node: _Node):
    """Settle the tree: drop empty leaves, fold one-paragraph articles (and 別表 rows), number repeated labels."""
    for ch in list(node.children):
        _tidy(ch)
        if (ch.role in ("para", "item", "bullet", "note") or ch.gone) and not ch.text.strip() and not ch.children:
            node.children.remove(ch)
    # an untitled 別表 row too long to read as a title (「5　可：…（…保存しない）」) folds as an article does, as a short row
    # is the row itself: not an empty 「別表5」 over a paragraph cited the same
    row = node.role == "section" and node.parent is not None and node.parent.appendix and bool(node.num) \
        and not node.text.strip() and node.label == node.cite
    if node.role == "article" or row:
        paras = [c for c in node.children if c.role == "para"]
        if len(paras) == 1 and len(node.children) == 1 and not paras[0].children:
            node.text = paras[0].text          # "第7条": a single paragraph is the article itself
            node.children = []
        elif node.role == "article" and len(paras) == 1 and len(node.children) == 1 and paras[0].children \
                and all(c.role == "note" and not c.children for c in paras[0].children):
            # 「第２条」 with its footnote 「（注1）…」 (or a ※ note): still one paragraph, the article itself
            p = paras[0]
            node.text, node.children = p.text, list(p.children)
            for c in node.children:
                c.parent, c.label, c.cite = node, node.cite, node.cite    # (marked 「※」 below, as any note)
    for ch in list(node.children):
        if ch.role == "section" and ch.appendix and not ch.children and not ch.text.strip():
            node.children.remove(ch)           # "別紙" over a form that was cut out: nothing left in it
        elif ch.role == "section" and ch.num and not ch.children and not ch.text and ch.label != ch.cite \
                and ch.label.startswith(ch.cite + " "):
            # "2.2.1 私物のＵＳＢメモリ…": a numbered line with nothing under it is a rule, not a heading
            ch.text = ch.label[len(ch.cite) + 1:]
            ch.label = ch.cite
            if ch.heading and ch.heading[-1] == ch.text:
                ch.heading = ch.heading[:-1]
    if node.role == "section":
        paras = [c for c in node.children if c.role == "para" and not c.numbered]
        if len(paras) > 1:
            for k, p in enumerate(paras, 1):
                p.label = f"{node.label} 第{k}段落"
    for role, mark in (("bullet", ""), ("note", "※")):
        # (a note in a text box is part of the paragraph it is anchored in: cited as that paragraph)
        # (the notes of a table row standing below it are numbered apart from the others: 「3-4※」 beside 「5-2※」)
        groups: dict[str, list] = {}
        for c in node.children:
            if c.role == role and not c.anchored:
                groups.setdefault(c.under, []).append(c)
        for c, k, group in [(c, k, g) for g in groups.values() for k, c in enumerate(g, 1)]:
            base = c.label
            if not mark and node.role == "item" and node.li is not None and c.li is not None and c.li > node.li:
                # a bullet list the markup nests inside a numbered item (a <ul> inside an <ol>'s <li>): the bullets
                # have no number of their own and are part of the item, cited as the item (「5(1)」)
                _relabel_children(c, base_old=base)
                continue
            if mark:
                c.label = base + mark + (str(k) if len(group) > 1 else "")
            elif len(group) > 1:
                sep = "" if base.endswith("）") else "・"   # "5 物理的セキュリティ（管理区域）3"
                c.label = f"{base}{sep}{k}" if base else f"項目{k}"
            elif not base:
                c.label = "項目1"
            _relabel_children(c, base_old=base)


def _relabel_children(node: _Node, base_old: str):
    """Children of a bullet were labelled before the bullet got its number; follow it."""
    node.cite = node.label
    for ch in node.children:
        if ch.label.startswith(base_old):
            old = ch.label
            ch.label = _cat(node.label, ch.label[len(base_old):].lstrip())
            _relabel_children(ch, old)


def _cat(cite: str, mark: str) -> str:
    """cite + marker, with a space where two numbers would run together ("・2" + "1)")."""
    if cite[-1:].translate(FULLWIDTH_DIGITS).isdigit() and mark[:1].translate(FULLWIDTH_DIGITS).isdigit():
        return f"{cite} {mark}"
    return cite + mark
