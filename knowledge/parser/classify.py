"""Line classification: ``_classify`` tells what a line opens with (第N条, 第N, a number such as 2 or 1.1, a
marker such as (1), ア or ①, a chapter, a caption) and what follows it."""
from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.parser.patterns import (_BULLET_FAMILY, _CIRCLED, _KANA, _RE_ARTICLE, _RE_BOXED_NOTE, _RE_BULLET,
                                       _RE_CHAPTER, _RE_CIRCLED, _RE_DASH_ITEM, _RE_FORCE_ITEM, _RE_KANA,
                                       _RE_KANJI_NUMBERED, _RE_LATIN, _RE_LATIN_SP, _RE_NOTE, _RE_NUMBERED,
                                       _RE_NUM_PAREN, _RE_PAGE_NO, _RE_PAREN_KANA, _RE_PAREN_LATIN, _RE_PAREN_NUM,
                                       _RE_PAREN_ROMAN, _RE_ROMAN_DOT, _RE_SKIP, _Tok, _paren_caption)
from knowledge.textnorm import FULLWIDTH_DIGITS, to_int as _to_int
from knowledge.verdict import CROSS_ITEM


@dataclass
class _Cls:
    kind: str                 # skip | chapter | article | caption | numbered | marker | text
    rest: str = ""            # the text after the number or marker
    num: tuple = ()           # numbered: (1,) or (1, 2); article: (n,) or (n, m)
    jo: bool = True           # article written with 条
    sep: str = ""             # numbered: "" for a space, "." / "、" for a heading dot, "k" for kanji
    mtype: str = ""           # marker style, e.g. "pnum" for (1), "kana" for ア
    n: int = 0                # marker ordinal
    disp: str = ""            # marker as shown in labels
    caption: str = ""         # article: inline (見出し)
    weak: bool = False        # a marker only inside a list ("a 本文")
    numsep: str = "."         # numbered: how the parts of "1.2" / "1-2" are joined when cited

    def n_latin(self) -> int:
        """A one-letter roman marker read as a letter: "(i)" is the ninth, after "(h)"."""
        return ord(self.disp[1]) % 32 if len(self.disp) == 3 else 0


_NUMERIC_MARKERS = {"pnum", "pkan", "nump", "num", "kan"}


def _list_item(c: _Cls, tok: _Tok) -> _Cls:
    """A list item without a marker of its own: numbered by its <ol>, else a bullet."""
    if c.kind == "numbered" and c.sep != "k":
        return _Cls("marker", c.rest, mtype="num", n=c.num[0], disp=f"({c.num[0]})")
    if tok.ol:
        st = tok.olstyle
        if st in ("a", "A"):
            letter = chr((ord("a") if st == "a" else ord("A")) + (tok.ol - 1) % 26)
            return _Cls("marker", tok.text, mtype=f"ol{st}{tok.li}", n=tok.ol, disp=letter)
        if st in ("i", "I"):
            r = _roman(tok.ol)
            return _Cls("marker", tok.text, mtype=f"ol{st}{tok.li}", n=tok.ol, disp=f"({r if st == 'i' else r.upper()})")
        return _Cls("marker", tok.text, mtype=f"ol{tok.li}", n=tok.ol, disp=f"({tok.ol})")
    return _Cls("marker", tok.text, mtype="bullet")


def _marker(s: str) -> _Cls | None:
    """Item markers: (1) （１） (一) ① 1) ア (ア) (a) a. ※ and bullet glyphs."""
    if s[:1] and "\u2474" <= s[0] <= "\u2487":
        # 「⑴」…「⒇」 (PARENTHESIZED DIGIT, one character; Word's 「⑴」 list style): the item number (1)
        s = f"({ord(s[0]) - 0x2473})" + s[1:]
    m = _RE_NOTE.match(s)
    if m:
        return _Cls("marker", m.group(1), mtype="note", disp="※")
    if _RE_BOXED_NOTE.match(s):
        # 「【注意】…記載してはならない。」 (a boxed note after an item): a note of its own, its mark kept in its text
        return _Cls("marker", s, mtype="note", disp="※")
    m = _RE_PAREN_NUM.match(s)
    if m:
        raw = m.group(1)
        n = _to_int(raw)
        kanji = not raw.translate(FULLWIDTH_DIGITS).isdigit()
        return _Cls("marker", m.group(2), mtype="pkan" if kanji else "pnum", n=n,
                    disp=f"({raw})" if kanji else f"({n})")
    m = _RE_PAREN_KANA.match(s)
    if m:
        k = m.group(1)
        return _Cls("marker", m.group(2), mtype="pkana", n=_KANA.index(k) + 1, disp=f"({k})")
    m = _RE_PAREN_ROMAN.match(s)
    if m:
        r = m.group(1)
        return _Cls("marker", m.group(2), mtype="prom", n=_roman_value(r), disp=f"({r})")
    m = _RE_PAREN_LATIN.match(s)
    if m:
        c = m.group(1)
        return _Cls("marker", m.group(2), mtype="plat", n=ord(c.lower()[-1]) % 32, disp=f"({c})")
    m = _RE_CIRCLED.match(s)
    if m:
        c = m.group(1)
        return _Cls("marker", m.group(2), mtype="circ", n=_CIRCLED.index(c) + 1, disp=c)
    m = _RE_NUM_PAREN.match(s)
    if m:
        n = _to_int(m.group(1))
        return _Cls("marker", m.group(2), mtype="nump", n=n, disp=f"({n})")   # cited as a path: 「2.」 / 「2)」 is 2(2)
    m = _RE_KANA.match(s)
    if m:
        k = m.group(1)
        return _Cls("marker", m.group(2), mtype="kana", n=_KANA.index(k) + 1, disp=k)
    m = _RE_ROMAN_DOT.match(s)
    if m:
        r = m.group(1)      # (a lone 「i.」 after 「h.」 is read as the letter again: knowledge/parser/tree.py)
        return _Cls("marker", m.group(2), mtype="rom", n=_roman_value(r), disp=f"({r})")
    m = _RE_LATIN.match(s)
    if m:
        c = m.group(1)
        return _Cls("marker", m.group(2), mtype="lat", n=ord(c) % 32, disp=c)
    m = _RE_FORCE_ITEM.match(s)
    if m:
        # 「＜禁止＞…」「＜必須＞…」 at the start of a line: an item of its own whose mark says its force (kept in the
        # text for the verdict), a sibling of the 「・…」 items beside it
        return _Cls("marker", s, mtype="bulletm")
    m = CROSS_ITEM.match(s)
    if m:
        # 「×パスワードを付箋に書いて貼る」 (an NG box): an item of its own, the mark kept (it says the act is not done)
        return _Cls("marker", s, mtype="bulletx")
    m = _RE_DASH_ITEM.match(s)
    if m:
        # 「－受講記録は…」 (a slide's second-level bullet): an item whose mark is a dash
        return _Cls("marker", m.group(1), mtype="bulletd")
    m = _RE_BULLET.match(s)
    if m:
        # each glyph family is a list style of its own: 「・」 under 「○」 is a level below it
        return _Cls("marker", m.group(1), mtype="bullet" + _BULLET_FAMILY.get(s[0], ""))
    m = _RE_LATIN_SP.match(s)
    if m:
        c = m.group(1)
        return _Cls("marker", m.group(2), mtype="lat", n=ord(c) % 32, disp=c, weak=True)
    return None


def _roman(n: int) -> str:
    out = ""
    for v, sym in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= v:
            out, n = out + sym, n - v
    return out


def _roman_value(r: str) -> int:
    vals = {"i": 1, "v": 5, "x": 10}
    total = 0
    for k, ch in enumerate(r):
        v = vals[ch]
        total += -v if k + 1 < len(r) and vals[r[k + 1]] > v else v
    return total


def _classify(s: str) -> _Cls:
    if _RE_SKIP.match(s) or _RE_PAGE_NO.match(s):
        return _Cls("skip")
    m = _RE_CHAPTER.match(s)
    if m and "。" not in m.group(2):
        return _Cls("chapter", m.group(2).strip(), num=(_to_int(m.group(1)),))
    m = _RE_ARTICLE.match(s)
    if m:
        rest = s[m.end():].strip(" \t\u3000")
        num = (_to_int(m.group(1)),) + ((_to_int(m.group(3)),) if m.group(3) else ())
        caption = ""
        head = re.match(r"^([（(][^（）()]{2,30}[)）])(.*)$", rest)
        if head and _paren_caption(head.group(1)):
            caption, rest = _paren_caption(head.group(1)), head.group(2).strip(" \t\u3000")
        return _Cls("article", rest, num=num, jo=bool(m.group(2)), caption=caption)
    cap = _paren_caption(s)
    if cap:
        return _Cls("caption", cap)
    if s.startswith(("(", "（")) or s[:1] in _CIRCLED or s[:1] in "※＊":
        mk = _marker(s)
        if mk:
            return mk
    m = _RE_NUM_PAREN.match(s)
    if m:
        return _marker(s)
    m = _RE_NUMBERED.match(s)
    if m and not (m.group(2) in (".", "．") and m.group(3)[:1].translate(FULLWIDTH_DIGITS).isdigit()):
        num = tuple(_to_int(x) for x in re.split(r"[.．\-－‐]", m.group(1)))
        sep = m.group(2) or ("." if len(num) > 1 else "")
        return _Cls("numbered", m.group(3).strip(), num=num, sep=sep,
                    numsep="-" if re.search("[-－‐]", m.group(1)) else ".")
    mk = _marker(s)
    if mk:
        return mk
    m = _RE_KANJI_NUMBERED.match(s)
    if m:
        return _Cls("numbered", m.group(2).strip(), num=(_to_int(m.group(1)),), sep="k")
    return _Cls("text", s)
