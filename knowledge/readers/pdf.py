"""PDF with a text layer (the usual Word → PDF attachment), read with PDFium (pypdfium2).

PDFium is used for its speed (C++, a few ms a page, so 300 pages load in seconds) and because it
gives every character with its box and says which spaces it *generated* from gaps. From the boxes:
- lines are rebuilt, and spaces PDFium generated next to Japanese characters are dropped: they come
  from letter-spacing, a character grid (文字数と行数を指定) or justification, not from the author;
- running headers, footers and page numbers are text repeated at the same place on most pages;
- a visual line that reaches the right margin was wrapped by the layout and is joined to the next,
  even when the next starts like a marker (「…電子メー」/「ル…」, 「…条例第」/「１２条…」);
- contents pages (dot leaders and page numbers) are dropped.
"""
from __future__ import annotations

import ctypes
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from knowledge.parser import _RE_CARRIES_ON, _classify, _lead_in
from knowledge.readers import LoadRefused, Reading

_BAND = 0.12          # top and bottom share of a page where headers and footers live
_RE_PAGE_NO = re.compile(r"^[-－―—–‐−(（\[［]*\s*(?:p\.?|ページ|頁)?\s*[0-9０-９]{1,4}\s*"
                         r"(?:[/／]\s*[0-9０-９]{1,4})?\s*(?:ページ|頁)?\s*[-－―—–‐−)）\]］]*$", re.I)
_RE_LEADER = re.compile(r"(?:[.．・…‥·]\s*){4,}\s*[0-9０-９]{1,4}\s*$")
_RE_TOC_HEAD = re.compile(r"^目\s*次$")
_RE_STARTS_BLOCK = re.compile(r"^(?:第\s*[0-9０-９一二三四五六七八九十百]+|[（(][^）)]{1,12}[）)]|[0-9０-９]+(?:[.．][0-9０-９]+)*[.．]?[\s\u3000]"
                              r"|[①-⑳]|[ア-ン][\s\u3000]|[・●○■□◆◇※])")


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int
    band: str          # "top" | "bottom" | ""
    pitch: float = 0.0  # typical advance from one character to the next (letter-spacing shows here)


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _page_lines(tp, page_no: int, height: float) -> list[_Line]:
    n = tp.count_chars()
    if n <= 0:
        return []
    text = tp.get_text_range(0, n)
    if len(text) != n:               # surrogate pairs: fall back to one code point per index
        text = "".join(chr(pc.FPDFText_GetUnicode(tp.raw, i)) for i in range(n))
    l, r, b, t = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    out: list[_Line] = []
    chars: list[tuple] = []

    def flush():
        if chars:
            line = _make_line(chars, page_no, height)
            if line is not None:
                out.append(line)
            chars.clear()

    for i in range(n):
        ch = text[i]
        if ch == "\n":
            flush()
            continue
        if ch in "\r\x02\x00":
            continue
        gen = pc.FPDFText_IsGenerated(tp.raw, i) == 1
        pc.FPDFText_GetCharBox(tp.raw, i, l, r, b, t)
        chars.append((ch, l.value, r.value, b.value, t.value, gen, pc.FPDFText_GetFontSize(tp.raw, i)))
    flush()
    return out


# A clause number at the start of a line: 第１条, 第２条の２, ２, 1.2, (3), ア.
_RE_LEAD_MARK = re.compile(r"第[0-9０-９一二三四五六七八九十百]+条(?:の[0-9０-９一二三四五六七八九十]+)?"
                           r"|[0-9０-９]{1,2}(?:[.．][0-9０-９]{1,2})*[.．]?"
                           r"|[（(][0-9０-９]{1,2}[)）]|[ア-ン]"
                           # items numbered as laws number them: 「一　原本は、…」「十二　…」
                           r"|[一二三四五六七八九十]{1,3}")


def _make_line(chars: list[tuple], page_no: int, height: float) -> _Line | None:
    vis = [c for c in chars if not c[0].isspace()]
    if not vis:
        return None
    parts: list[str] = []
    gaps = sorted(b[1] - a[2] for a, b in zip(vis, vis[1:]))
    usual = max(0.0, gaps[len(gaps) // 2]) if gaps else 0.0
    prev_vis, spaced = None, False
    # letter-spaced or on a character grid: spaces between most characters, none of them a separator
    spread = sum(c[0] == " " for c in chars) * 3 > len(vis)
    for k, c in enumerate(chars):
        ch = c[0]
        size = max(c[6], prev_vis[6] if prev_vis else 0.0, 1.0)
        # a gap far wider than this line's usual one is a tab or an indent ("第1条<tab>本文"); an even
        # letter-spacing or a character grid widens every gap alike and adds nothing
        if prev_vis is not None and not ch.isspace() and not spaced and c[1] - prev_vis[2] > max(size, usual + 0.8 * size):
            parts.append("\u3000")
        if ch == "\u3000":             # an ideographic space is text and kept: no second separator
            spaced = spaced or prev_vis is not None
        else:
            prev_vis, spaced = c, False
        if ch == " " or (ch.isspace() and ch != "\u3000"):
            # a space next to a Japanese character is layout (grid, letter-spacing, justification)
            prev = next((p[0] for p in reversed(chars[:k]) if not p[0].isspace()), "")
            nxt = next((p[0] for p in chars[k + 1:] if not p[0].isspace()), "")
            if not spread and parts and parts[-1] not in (" ", "\u3000") and nxt and _RE_LEAD_MARK.fullmatch("".join(parts)):
                parts.append("\u3000")   # 「第１条 この…」「２ 乙は…」: the space after a leading number separates it
                spaced = True
                continue
            if not prev or not nxt or _wide(prev) or _wide(nxt) or (parts and parts[-1] in (" ", "\u3000")):
                continue
            parts.append(" ")
        else:
            parts.append(ch)
    s = "".join(parts).strip()
    if not s:
        return None
    sizes = sorted(c[6] for c in vis if c[6] > 0) or [10.0]
    top, bottom = max(c[4] for c in vis), min(c[3] for c in vis)
    band = "top" if top > height * (1 - _BAND) else "bottom" if bottom < height * _BAND else ""
    steps = sorted(b[1] - a[1] for a, b in zip(vis, vis[1:]) if b[1] > a[1])
    pitch = steps[len(steps) // 2] if steps else 0.0
    return _Line(s, min(c[1] for c in vis), max(c[2] for c in vis), top, bottom, sizes[len(sizes) // 2],
                 page_no, band, pitch)


def _furniture_key(s: str) -> str:
    """Headers and footers differ from page to page only in numbers, and only short ones do so
    ("- 3 -", "2 / 5", "第2章"); a long line must repeat exactly to count as furniture."""
    t = re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))
    return re.sub(r"[0-9]+", "#", t) if len(re.sub(r"[0-9]+", "", t)) <= 25 else t


def read(data: bytes, name: str) -> Reading:
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            raise LoadRefused(f"{name}: パスワードで保護された PDF のため読み込めません。"
                              "保護を外した PDF か、元の Word ファイルを指定してください。") from None
        raise LoadRefused(f"{name}: PDF として開けませんでした（ファイルが壊れているか、PDF ではありません）。"
                          "元のファイルをもう一度保存してからお試しください。") from None
    try:
        npages = len(pdf)
        lines: list[_Line] = []
        blank_pages = 0
        for i in range(npages):
            page = pdf[i]
            tp = page.get_textpage()
            got = _page_lines(tp, i, page.get_size()[1])
            blank_pages += not got
            lines.extend(got)
            tp.close()
            page.close()
    finally:
        pdf.close()
    visible = sum(len(x.text) for x in lines)
    if visible < 20 * max(1, npages - blank_pages) and visible < 200:
        raise LoadRefused(f"{name}: この PDF には文字の情報がありません（紙をスキャンした画像だけの PDF のようです）。"
                          "市から Word ファイルや文字の入った PDF をもらうか、OCR（文字認識）をかけた PDF を指定してください。")
    r = Reading("", "text", "pdf", pages=npages)
    if blank_pages and blank_pages >= npages / 2:
        r.warnings.append(f"{npages} ページのうち {blank_pages} ページに文字の情報がありません（スキャン画像の"
                          "ページは読み取れません）。抜けている条項がないか確認してください")
    body = _drop_furniture(lines, npages, r)
    r.text = "\n".join(_join_wraps(body))
    return r


def _drop_furniture(lines: list[_Line], npages: int, r: Reading) -> list[_Line]:
    """Running headers and footers (same text, numbers aside, in the same band on most pages),
    page numbers, and contents pages."""
    # only the outermost lines of a page can be its header or footer
    by_page: dict[int, list[_Line]] = {}
    for ln in lines:
        by_page.setdefault(ln.page, []).append(ln)
    for page_lines in by_page.values():
        order = sorted(page_lines, key=lambda x: -x.top)
        edge = {id(x) for x in order[:2] + order[-2:]}
        for x in page_lines:
            if id(x) not in edge:
                x.band = ""
    pages_of: dict[tuple, set] = {}
    texts_of: dict[tuple, set] = {}
    for ln in lines:
        if ln.band:
            key = (ln.band, _furniture_key(ln.text))
            pages_of.setdefault(key, set()).add(ln.page)
            texts_of.setdefault(key, set()).add(ln.text)
    need = max(2, (npages + 1) // 2)
    # lines that only look alike once their numbers are masked must recur more often to count
    need_varying = max(3, -(-npages * 3 // 5))
    # a watermark (「案」「写」「複製禁止」 across the page): a few characters at the same place on most pages
    marks: dict[tuple, set] = {}
    for ln in lines:
        if len(ln.text) <= 6 and "。" not in ln.text:
            marks.setdefault((ln.text, round(ln.x0 / 6), round(ln.top / 6)), set()).add(ln.page)
    watermark = {k[0] for k, pages in marks.items() if len(pages) >= need and npages >= 2}
    # a table's row of column names (「番号　項目　遵守事項」) repeated at the top of each page it runs over
    tops = {x.text for x in lines if x.band == "top"}
    texts_pages: dict[str, set] = {}
    for ln in lines:
        texts_pages.setdefault(ln.text, set()).add(ln.page)
    col_heads = {t for t in tops if len(texts_pages[t]) >= 2 and _column_names(t)}
    keep: list[_Line] = []
    dropped = Counter()
    toc_page = None
    for ln in lines:
        if ln.text in watermark:
            dropped["watermark", ln.text] += 1
            continue
        if ln.text in col_heads:
            dropped["colhead", ln.text] += 1
            continue
        key = (ln.band, _furniture_key(ln.text))
        if ln.band and npages >= 2 and len(pages_of.get(key, ())) >= (
                need if len(texts_of.get(key, ())) == 1 else need_varying):
            dropped["header" if ln.band == "top" else "footer", ln.text if not _RE_PAGE_NO.match(ln.text) else ""] += 1
            continue
        if ln.band and _RE_PAGE_NO.match(ln.text):
            dropped["pageno", ""] += 1
            continue
        if _RE_TOC_HEAD.match(ln.text.replace("\u3000", " ")):
            toc_page = ln.page
            dropped["toc", ""] += 1
            continue
        if _RE_LEADER.search(ln.text):
            dropped["toc", ""] += 1
            continue
        keep.append(ln)
    by_kind = Counter()
    for (kind, text), k in dropped.items():
        by_kind[kind] += k
    seen_text = {(kind, text) for (kind, text) in dropped if text}
    for kind, text in sorted(seen_text):
        what = {"header": "ページのヘッダー", "footer": "ページのフッター", "watermark": "透かし文字",
                "colhead": "ページごとに繰り返される表の見出し行"}[kind]
        r.dropped.append(f"{what}「{text}」（{dropped[kind, text]} ページ）")
    if by_kind["footer"] or by_kind["header"]:
        plain = sum(k for (kind, text), k in dropped.items() if kind in ("header", "footer") and not text)
        if plain:
            r.dropped.append(f"ページ番号（{plain} 行）")
    if by_kind["pageno"]:
        r.dropped.append(f"ページ番号（{by_kind['pageno']} 行）")
    if by_kind["toc"]:
        r.dropped.append(f"目次（{by_kind['toc']} 行）")
    del toc_page
    return keep


def _column_names(text: str) -> bool:
    """「番号　項目　遵守事項」: three or more short words apart, no sentence."""
    words = [w for w in re.split(r"[ \u3000]+", text) if w]
    return len(words) >= 3 and all(len(w) <= 8 for w in words) and not re.search(r"[。、0-9０-９]", text)


def _right_margin(lines: list[_Line]) -> tuple[float, bool]:
    """The body's right edge: the furthest right edge that several lines share; and whether three lines do.
    When none do, the furthest edge is only a guess (a short page, or a checklist of short 「…こと。」 lines
    where the longest line is no margin at all)."""
    if not lines:
        return 0.0, False
    edges = Counter(round(x.x1 / 3) for x in lines)
    shared = [e for e, k in edges.items() if k >= 3]
    return max(shared or list(edges)) * 3, bool(shared)


def _left_margin(lines: list[_Line]) -> float:
    edges = Counter(round(x.x0 / 3) for x in lines)
    shared = [e for e, k in edges.items() if k >= 3] or list(edges) or [0]
    return min(shared) * 3


def _join_wraps(lines: list[_Line]) -> list[str]:
    (margin, sure), left = _right_margin(lines), _left_margin(lines)
    out: list[str] = []
    prev: _Line | None = None
    listing = False
    for ln in lines:
        if prev is not None and out:
            # reaching the right margin from the left one (not a right-aligned date or name)
            reach = prev.x1 >= margin - 1.6 * prev.size
            full = reach and prev.x0 <= left + 8 * prev.size
            # inside a table cell or an indented block, the wrapped line and the next start at the same place
            if reach and not full and abs(prev.x0 - ln.x0) <= 1.5 * prev.size and len(prev.text) >= 8:
                full = True
            # a letter-spaced title reaching the margin is not wrapped into the body line below it
            if prev.pitch and ln.pitch and len(ln.text) > 3 and abs(prev.pitch - ln.pitch) > 0.15 * ln.pitch:
                full = False
            ends = prev.text.endswith(("。", "．", "」", "）", ")", "："))
            # a finished sentence is no wrap under a lead-in (「次に掲げる行為をしてはならない。」: a line with no
            # number is an item of its own), nor at a margin only guessed from the longest line
            if full and prev.text.endswith("。") and (listing or not sure) and not _RE_CARRIES_ON.match(ln.text):
                full = False
            if full and (not ends or not _RE_STARTS_BLOCK.match(ln.text)):
                sep = " " if prev.text[-1:].isascii() and prev.text[-1:].isalnum() and ln.text[:1].isascii() \
                    and ln.text[:1].isalnum() else ""
                out[-1] = out[-1] + sep + ln.text
                prev = ln
                continue
        text = ln.text
        if out:
            # items with no number follow a lead-in until a numbered line; their indentation is kept
            # (as a text copy keeps it), so the text back at the lead-in's own indentation is no item
            listing = _lead_in(out[-1]) or (listing and not _RE_STARTS_BLOCK.match(ln.text))
            if listing and ln.size and _classify(ln.text).kind == "text":
                text = "\u3000" * max(0, min(20, round((ln.x0 - left) / ln.size))) + text
        out.append(text)
        prev = ln
    return out


import pypdfium2 as pdfium  # noqa: E402  (imported here: the module docstring explains the choice)
import pypdfium2.raw as pc  # noqa: E402
