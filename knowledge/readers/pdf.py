"""PDF with a text layer (the usual Word → PDF attachment), read with PDFium (pypdfium2).

PDFium is used for its speed (C++, a few ms a page, so 300 pages load in seconds) and because it
gives every character with its box and says which spaces it *generated* from gaps. From the boxes:
- lines are rebuilt, and spaces PDFium generated next to Japanese characters are dropped: they come
  from letter-spacing, a character grid (文字数と行数を指定) or justification, not from the author;
- running headers, footers and page numbers are text repeated at the same place on most pages;
- a visual line that reaches the right margin was wrapped by the layout and is joined to the next,
  even when the next starts like a marker (「…電子メー」/「ル…」, 「…条例第」/「１２条…」);
- contents pages (dot leaders and page numbers) are dropped;
- a table drawn without rules (「禁止事項 / 例外」, 「作業 / 可否 / 備考」) comes cell by cell, its cells' wrapped
  lines apart: lines whose wide gaps fall over the same places, introduced by 「表」 or under a row of column
  names, are its rows, put back together (a wrapped cell's lines under their column) and written as a Word
  table's rows, cells apart by tabs, so the parser reads each row as a clause under the article before it.
"""
from __future__ import annotations

import ctypes
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace

from knowledge.parser import _HEADING_MARK as HEADING_MARK, _RE_ACTOR_COLUMN, _RE_CARRIES_ON, _amended_columns, _classify, \
    _lead_in, _which_new
from knowledge.readers import LoadRefused, Reading, pdf_grid

_BAND = 0.12          # top and bottom share of a page where headers and footers live
_RE_PAGE_NO = re.compile(r"^[-－―—–‐−(（\[［]*\s*(?:p\.?|page|ページ|頁)?\s*[0-9０-９]{1,4}\s*"
                         r"(?:[/／]\s*[0-9０-９]{1,4})?\s*(?:ページ|頁)?\s*[-－―—–‐−)）\]］]*$", re.I)
_RE_LEADER = re.compile(r"(?:[.．・…‥·]\s*){4,}\s*[0-9０-９]{1,4}\s*$")
_RE_TOC_HEAD = re.compile(r"^目\s*次$")
_RE_STARTS_BLOCK = re.compile(r"^(?:第\s*[0-9０-９一二三四五六七八九十百]+|[（(][^）)]{1,12}[）)]|[0-9０-９]+(?:[.．][0-9０-９]+)*[.．]?[\s\u3000]"
                              r"|[①-⑳]|[ア-ン][\s\u3000]|[・●○■□◆◇※×✕✖])")


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
    cols: tuple = ()    # the wide gaps inside the line (from x, to x) that may part a table's columns, one per _COL mark
    row: bool = False   # a table's row, its cells apart by tabs: never joined to the lines around it
    runs: tuple = ()    # (x0, x1, text) of each stretch of characters with no gap wider than a character
    zone: int | None = None   # a column of its own whose lines wrap at its edge (a 新旧対照表's 改正後 column)


# A gap of this many characters inside a line may be a table's column boundary; the mark stands in the text
# until _tables decides (a tab when the lines around it share the boundary, else an ideographic space).
_COL_GAP = 1.0
_COL = "\x1f"
# What may stand before a gap without being a table's first cell: a clause number or an item's mark (「①　…」)
_RE_MARK_ONLY = re.compile(r"第[^\s\u3000]{1,8}|[①-⑳]|[（(][^（）()]{1,4}[)）]|[ア-ン]|[0-9０-９]{1,3}(?:[.．][0-9０-９]{1,2})*[.．)）]?"
                           r"|[a-zａ-ｚA-ZＡ-Ｚ][.)）]?|[一二三四五六七八九十]{1,3}|[・●■□◆◇※]|別[表紙記][^\s\u3000]{0,4}")


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
        fsize = pc.FPDFText_GetFontSize(tp.raw, i)
        pc.FPDFText_GetCharBox(tp.raw, i, l, r, b, t)
        # a table's cells run on with no line break between them (「…監視画面」「○」「の閲覧」): a character a line
        # below or above the one before it starts a line of its own
        if chars and not ch.isspace() and t.value > b.value:
            p = next((c for c in reversed(chars) if not c[0].isspace() and c[4] > c[3]), None)
            # (scaled by the font size too: 「、」 sits low and 「一」 is a thin stroke, their boxes are small)
            size = max(p[6], fsize) if p is not None else 0.0
            if p is not None and abs((p[3] + p[4]) - (b.value + t.value)) / 2 > max(
                    0.8 * max(p[4] - p[3], t.value - b.value), 0.6 * size):
                flush()
        chars.append((ch, l.value, r.value, b.value, t.value, gen, fsize))
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
    # a glyph drawn apart from its line (「○」 or 「✓」 from a fallback font comes after the line's other text):
    # put the line's characters back in the order they stand
    if any(b[1] < a[1] - 0.5 * max(a[6], 1.0) for a, b in zip(vis, vis[1:])):
        chars = sorted(chars, key=lambda c: c[1])
        vis = [c for c in chars if not c[0].isspace()]
    parts: list[str] = []
    gaps = sorted(b[1] - a[2] for a, b in zip(vis, vis[1:]))
    usual = max(0.0, gaps[len(gaps) // 2]) if gaps else 0.0
    prev_vis, spaced = None, False
    cols: list[float] = []
    # letter-spaced or on a character grid: spaces between most characters, none of them a separator
    spread = sum(c[0] == " " for c in chars) * 3 > len(vis)
    for k, c in enumerate(chars):
        ch = c[0]
        size = max(c[6], prev_vis[6] if prev_vis else 0.0, 1.0)
        # a gap far wider than this line's usual one is a tab or an indent ("第1条<tab>本文"); an even
        # letter-spacing or a character grid widens every gap alike and adds nothing
        if prev_vis is not None and not ch.isspace() and c[1] - prev_vis[2] > max(_COL_GAP * size, min(usual, size) + 0.8 * size) \
                and not _RE_MARK_ONLY.fullmatch("".join(parts).strip(" \u3000")):
            if parts and parts[-1] in (" ", "\u3000"):
                parts.pop()
            parts.append(_COL)
            cols.append((prev_vis[2], c[1]))
        elif prev_vis is not None and not ch.isspace() and not spaced and c[1] - prev_vis[2] > max(size, usual + 0.8 * size):
            parts.append("\u3000")
        if ch == "\u3000":             # an ideographic space is text and kept: no second separator
            spaced = spaced or prev_vis is not None
        elif not ch.isspace():
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
    if s.count(_COL) != len(cols):      # a mark lost at the line's ends: no columns
        s, cols = s.replace(_COL, "\u3000").strip(), []
    return _Line(s, min(c[1] for c in vis), max(c[2] for c in vis), top, bottom, sizes[len(sizes) // 2],
                 page_no, band, pitch, tuple(cols), runs=_runs(vis))


def _runs(vis: list[tuple]) -> tuple:
    """The line's stretches of text apart by more than a character (an ideographic space is one, and stays
    inside its stretch): a spreadsheet's cells
    (「6」 … 「□」, 「2」 … 「作業責任者…」) even where no separator was drawn between them."""
    out, cur = [], [vis[0]]
    for a, b in zip(vis, vis[1:]):
        size = max(a[6], b[6], 1.0)
        if b[1] - a[2] > 1.2 * size:
            out.append(cur)
            cur = []
        cur.append(b)
    out.append(cur)
    runs = []
    for cs in out:
        text = cs[0][0]
        for a, b in zip(cs, cs[1:]):
            if a[0].isascii() and b[0].isascii() and a[0].isalnum() and b[0].isalnum() \
                    and not (a[0].isdigit() and b[0].isdigit()) and b[1] - a[2] > 0.25 * max(a[6], 1.0):
                text += " "
            text += b[0]
        runs.append((cs[0][1], max(c[2] for c in cs), text))
    return tuple(runs)


_RE_OF_PAGES = re.compile(r"(?<![0-9])([0-9]{1,4})\s*[/／]\s*([0-9]{1,4})(?![0-9])")


def _counts_pages(texts: set[str], npages: int) -> bool:
    """Whether lines that differ only in their numbers each count the pages (「1 / 2　取扱注意」「2 / 2　取扱注意」): a
    footer for certain, even in a short attachment where a varying line must otherwise recur on three pages."""
    found = [_RE_OF_PAGES.search(unicodedata.normalize("NFKC", t)) for t in texts]
    return all(m and int(m.group(2)) == npages and 1 <= int(m.group(1)) <= npages for m in found) \
        and len({m.group(1) for m in found}) == len(found)


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
        wide = 0
        for i in range(npages):
            page = pdf[i]
            w, h = page.get_size()
            wide += w > 1.2 * h
            tp = page.get_textpage()
            got = _page_lines(tp, i, h)
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
    body = _label_column(pdf_grid.rebuild(_in_force_only(_drop_furniture(lines, npages, r), r)))
    deck = npages >= 3 and wide >= 0.8 * npages
    if deck:
        body = _slide_titles(body)
    r.text = "\n".join(_join_wraps(_tables(_cell_rows(body)), deck))
    return r


_RE_ARTICLE_ALONE = re.compile(r"第[0-9０-９一二三四五六七八九十百]+条(?:の[0-9０-９一二三四五六七八九十]+)?")
# An article's caption in its own cell: 「（返還等）」.
_RE_CAPTION = re.compile(r"[（(][^（）()]{1,14}[）)]")


def _label_column(lines: list[_Line]) -> list[_Line]:
    """Articles laid out in a borderless table (an old Word template): 「第３条」 and its caption 「（秘密の保持）」
    (often wrapped: 「（アドバイザー」 / 「の届出）」) in a narrow left cell, the text in the wide right cell. PDFium gives
    the left cell's lines first, then the right cell's. Each article is put back as one reads it: 「第３条（秘密の保
    持）　受託者は…」 starting its text's first line. Only when at least three articles are laid out so."""
    def number(ln: _Line) -> str | None:
        """「第３条」 alone, or first on a line whose text goes on far to its right (the right cell's first line)."""
        if ln.runs and _RE_ARTICLE_ALONE.fullmatch(ln.runs[0][2].strip(" \u3000")) \
                and (len(ln.runs) == 1 or ln.runs[1][0] > ln.runs[0][1] + 3 * max(ln.size, 1.0)):
            return ln.runs[0][2].strip(" \u3000")
        return None

    found, heads, split = [], 0, {}
    for i, ln in enumerate(lines):
        head = number(ln)
        if head is None:
            continue
        heads += 1
        size = max(ln.size, 1.0)
        rest = ln.text.strip(" \u3000")[len(head):].lstrip(" \u3000\x1f") if len(ln.runs) > 1 else ""
        body_x = ln.runs[1][0] if len(ln.runs) > 1 else None
        parts, j = [], i + 1
        while j < len(lines) and len(parts) < 3 and lines[j].page == ln.page and len(lines[j].text) <= 16 \
                and lines[j].x0 < ln.x0 + 2 * size and number(lines[j]) is None:
            parts.append(lines[j])
            j += 1
        edge = max([ln.runs[0][1]] + [p.x1 for p in parts])
        if rest and not parts:
            # The row may be split by the page break: its caption opens the next page's left cell, beside the text's
            # continuation (「（返還等）　のパソコンの…」). The caption joins the number; the text stays where it is.
            k = j
            while k < len(lines) and lines[k].page == ln.page and lines[k].x0 >= body_x - size:
                k += 1
            nxt = lines[k] if k < len(lines) and lines[k].page == ln.page + 1 else None
            caption = nxt.runs[0][2].strip(" \u3000") if nxt is not None and len(nxt.runs) > 1 else ""
            if caption and nxt.runs[0][0] < ln.x0 + 2 * size and _RE_CAPTION.fullmatch(caption) \
                    and nxt.runs[1][0] >= nxt.runs[0][1] + 0.8 * size:
                found.append((i, i, i + 1, head, rest, caption))
                split[k] = replace(nxt, text="".join(r[2] for r in nxt.runs[1:]), x0=nxt.runs[1][0], runs=nxt.runs[1:])
        elif rest and parts and body_x >= edge + 0.8 * size:
            found.append((i, i, j, head, rest, "".join(p.text.strip(" \u3000") for p in parts)))
        elif not rest and j < len(lines) and lines[j].x0 >= edge + 0.8 * size and lines[j].x0 > ln.x0 + 3 * size:
            found.append((i, j, j, head, lines[j].text.lstrip(" \u3000"), "".join(p.text.strip(" \u3000") for p in parts)))
    if len(found) < 3 or len(found) < 0.6 * heads:
        return lines
    out, drop = list(lines), set()
    for k, ln in split.items():
        out[k] = ln
    for i, at, end, head, text, caption in found:
        first = lines[at]
        out[at] = replace(first, text=f"{head}{caption}\u3000{text}", x0=lines[i].x0,
                          runs=((lines[i].x0, lines[i].runs[0][1], head),) + tuple(first.runs[1 if at == i else 0:]))
        drop.update(k for k in range(i, end) if k != at)
    return [ln for k, ln in enumerate(out) if k not in drop]


def _slide_titles(lines: list[_Line]) -> list[_Line]:
    """(A line the reader knows to be a heading starts with the parser's HEADING_MARK: one for a slide's title, two
    for a caption over the slide's own boxes.) A slide deck printed to PDF (landscape pages, a title at the top of each in a larger font): each slide's
    title heads a section, and a short caption in a font larger than the text under it (「OK」「NG」 over two
    boxes) heads a part of it; the bullets under them are no paragraphs of the slide before. The cover (the first
    page) keeps its lines."""
    by_page: dict[int, list[_Line]] = {}
    for ln in lines:
        by_page.setdefault(ln.page, []).append(ln)
    marks: dict[int, str] = {}
    for page, got in by_page.items():
        if page == 0 or len(got) < 2:
            continue
        top = max(got, key=lambda x: x.top)
        rest = [x for x in got if x is not top]
        body = sorted(x.size for x in rest)[len(rest) // 2]
        if top.size < 1.15 * body or len(top.text) > 40 or re.search(r"[。、]", top.text) or top.row:
            continue
        marks[id(top)] = HEADING_MARK
        for x in rest:
            below = [y for y in rest if y.top < x.top and y.size < x.size / 1.15]
            if len(x.text) <= 12 and not re.search(r"[。、]", x.text) and x.size >= 1.15 * body and below \
                    and not x.row and _COL not in x.text:
                marks[id(x)] = HEADING_MARK * 2
    return [replace(x, text=marks[id(x)] + x.text) if id(x) in marks else x for x in lines]


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
    # (not a cell repeated down a table on every page, 「○・×」 to circle: a watermark is once or twice a page)
    per_page = Counter((ln.text, ln.page) for ln in lines if len(ln.text) <= 6)
    watermark = {k[0] for k, pages in marks.items() if len(pages) >= need and npages >= 2
                 and max(per_page[k[0], p] for p in pages) <= 2}
    # a table's row of column names (「番号　項目　遵守事項」) repeated at the top of each page it runs over
    tops = {x.text for x in lines if x.band == "top"}
    texts_pages: dict[str, set] = {}
    for ln in lines:
        texts_pages.setdefault(ln.text, set()).add(ln.page)
    col_heads = {t for t in tops if len(texts_pages[t]) >= 2 and _column_names(t)}
    # (but its first copy, where the table starts under the text that introduces it, not at the top of a page, is
    # the table's own header and stays: _cell_rows rebuilds a table LibreOffice wrote cell by cell from it, and
    # drops the copies it meets again itself; a running header that only looks like column names is never there)
    first_head: dict[str, int] = {}
    for ln in lines:
        if ln.text in col_heads and ln.text not in first_head and (ln.band != "top" or any(
                x.page == ln.page and x.top > ln.top + x.size and len(texts_pages[x.text]) == 1 for x in lines)):
            # (the first copy stays under a title of its own page, not a running header, even near the top of it)
            first_head[ln.text] = id(ln)
    table_heads = set(first_head.values())
    keep: list[_Line] = []
    dropped = Counter()
    toc_page = None
    for ln in lines:
        if ln.text in watermark:
            dropped["watermark", ln.text] += 1
            continue
        if ln.text in col_heads and id(ln) not in table_heads:
            dropped["colhead", ln.text] += 1
            continue
        if id(ln) in table_heads:       # the table's own header, not a running header either
            keep.append(ln)
            continue
        key = (ln.band, _furniture_key(ln.text))
        if ln.band and npages >= 2 and len(pages_of.get(key, ())) >= (
                need if len(texts_of.get(key, ())) == 1 or _counts_pages(texts_of[key], npages) else need_varying):
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
        r.dropped.append(f"{what}「{text.replace(_COL, chr(0x3000))}」（{dropped[kind, text]} ページ）")
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


def _in_force_only(lines: list[_Line], r: Reading) -> list[_Line]:
    """A 新旧対照表 (改正後 | 改正前): only the text in force is the attachment's. The column of the text it replaces
    goes, from the row of column names on, as long as the table runs (its names at the top of each page, or no
    line across both columns)."""
    if any(_amended_columns([x[2] for x in ln.runs]) and len(ln.runs) == 3 for ln in lines):
        return _in_force_three(lines, r)
    out: list[_Line] = []
    boundary, new_left, head_page, dropped = None, True, -1, 0
    for ln in lines:
        new = _which_new([x[2] for x in ln.runs])
        if new is not None:
            a, b = ln.runs
            boundary, new_left, head_page = ((a[0] + a[1]) / 2 + (b[0] + b[1]) / 2) / 2, new == 0, ln.page
            continue            # the column names
        if boundary is not None and ln.page != head_page and ln.x0 < boundary - 2 * ln.size < boundary + 2 * ln.size < ln.x1:
            boundary = None     # a line across the page after the table: the table has ended
        if boundary is None:
            out.append(ln)
            continue
        keep = [x for x in ln.runs if ((x[0] + x[1]) / 2 < boundary) == new_left]
        if len(keep) == len(ln.runs):
            out.append(replace(ln, zone=1))
        elif keep:
            # the two cells' lines at one height came as one line: the new cell's part of it
            out.append(replace(ln, text="　".join(x[2] for x in keep), x0=keep[0][0], x1=keep[-1][1], cols=(),
                               runs=tuple(keep), zone=1))
            dropped += 1
        else:
            dropped += 1
    if dropped:
        r.dropped.append(f"新旧対照表の改正前の欄（{dropped} 行。改正後の欄だけを条項にしています）")
    return out


def _in_force_three(lines: list[_Line], r: Reading) -> list[_Line]:
    """A 新旧対照表 of three columns, 「条項 | 改正後 | 改正前」 (a Word table saved as PDF gives it cell by cell, each
    cell's lines wrapped at its column's edge): the cell naming the place and the 改正後 cell are kept, each a column
    of its own (zone 2 and 1) so that its lines are joined only with each other; the 改正前 cell goes. The table
    ends at a line that runs across a column boundary (「（注）改正後の内容は、…」 under it)."""
    out: list[_Line] = []
    bounds: list[float] | None = None
    new = place = None
    dropped = 0
    for i, ln in enumerate(lines):
        named = _amended_columns([x[2] for x in ln.runs]) if len(ln.runs) == 3 else None
        if named is not None:
            bounds = _column_starts(ln, lines[i + 1:i + 80])
            new, place = named
            continue            # the column names
        if bounds is not None and any(x[0] < b - 2 * ln.size and x[1] > b + 2 * ln.size for x in ln.runs for b in bounds):
            bounds = None       # a line across a column: the table has ended
        if bounds is None:
            out.append(ln)
            continue
        by_col: dict[int, list] = {}
        for x in ln.runs:
            by_col.setdefault(sum(1 for b in bounds if x[0] >= b), []).append(x)
        if set(by_col) - {new, place}:
            dropped += 1
        for col in sorted(by_col):
            if col not in (new, place):
                continue
            keep = by_col[col]
            if len(by_col) == 1 and len(keep) == 1:
                # one stretch of text in a cell: a wider gap inside it is the cell's justification, not a column
                part = replace(ln, text=ln.text.replace(_COL, ""), cols=())
            else:
                part = replace(ln, text="　".join(x[2] for x in keep), x0=keep[0][0], x1=keep[-1][1], cols=(),
                               runs=tuple(keep))
            out.append(replace(part, zone=1 if col == new else 2))
    if dropped:
        r.dropped.append(f"新旧対照表の改正前の欄（{dropped} 行。改正後の欄だけを条項にしています）")
    return out


def _column_starts(names: _Line, below: list[_Line]) -> list[float]:
    """Where the columns after the first start, from the row of column names and the lines under it: a name stands at
    its column's left edge or centred over it, so its column starts at the leftmost text under it that starts after
    the name before it has ended (the name's own left edge when no such text is near)."""
    starts = []
    for prev, name in zip(names.runs, names.runs[1:]):
        under = [x[0] for ln in below if ln.page in (names.page, names.page + 1) for x in ln.runs
                 if prev[1] < x[0] <= name[0] + names.size]
        starts.append(min(under, default=name[0]) - 0.3 * names.size)
    return starts


def _column_names(text: str) -> bool:
    """「番号　項目　遵守事項」: three or more short words apart, no sentence."""
    words = [w for w in re.split(r"[ \u3000\x1f]+", text) if w]
    return len(words) >= 3 and all(len(w) <= 8 for w in words) and not re.search(r"[。、0-9０-９]", text)


def _hangs_under(prev: _Line, ln: _Line) -> bool:
    """Whether a line starts under the text after the number that starts the line before (a hanging indent past a
    wide gap: 「４」 … 「病院の…」 over 「こと。」), and so may be its wrapped text."""
    if len(prev.runs) < 2 or not _RE_LEAD_MARK.fullmatch(prev.runs[0][2]) or _RE_STARTS_BLOCK.match(ln.text):
        return False
    return abs(ln.x0 - prev.runs[1][0]) <= 0.5 * max(prev.size, 1.0)


def _block_edge(lines: list[_Line], k: int) -> float:
    """The right edge shared by the lines near lines[k] that start where it starts (three at least: else none)."""
    ln = lines[k]
    near = [x for x in lines[max(0, k - 10):k + 11]
            if x.page == ln.page and abs(x.x0 - ln.x0) <= max(ln.size, 1.0)]
    return max(x.x1 for x in near) if len(near) >= 3 else float("inf")


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


def _cell_rows(lines: list[_Line]) -> list[_Line]:
    """A Word table saved as PDF by LibreOffice comes cell by cell, not line by line: under its row of column names
    (「大区分　小区分」, after 「次の表のとおり」), a row's first line holds the cells that start level with it
    (「操作者　統合端末は、…従事者」), then come that cell's wrapped lines, then the next cell's lines (the 根拠
    「特記事項第７条第２」「号」) back up at the row's height, and a category merged down several rows (「統合端末」)
    alone halfway down its rows. Read in that order, a row's rule and its 根拠 interleave and rows run together.
    Positions put it back: every line with a gap inside starts a row, every other line goes to the row level with or
    just above it, each piece to the column it starts under (a row broken across a page: the lines at the top of the
    next page, with no row level or above, go to the row left open at the foot of the page before); the merged
    category (a first column with fewer cells than rows) goes, and the repeated column names at the top of the next
    page. Each row becomes a Word table's row, cells apart by tabs (「操作者<TAB>統合端末は、…操作すること。<TAB>
    特記事項第７条第２号」). Only when the lines go back up the page inside the table: a table whose lines come row by
    row is left to _tables."""
    out: list[_Line] = []
    i = 0
    while i < len(lines):
        head = lines[i]
        parts = head.text.split(_COL)
        if not (head.cols and len(parts) >= 2 and _names_columns(parts) and out and "表" in out[-1].text
                and not _RE_NUMBERED_ROW.match(head.text)):
            out.append(lines[i])
            i += 1
            continue
        size = max(head.size, 1.0)
        names, j, x0 = {head.text}, i + 1, head.x0
        while j < len(lines) and lines[j].cols and all(len(w) <= 8 for w in lines[j].text.split(_COL)) \
                and not re.search(r"[。、]", lines[j].text):
            names.add(lines[j].text)    # a second row of column names (「区分」 over 「大区分　小区分」)
            x0 = min(x0, lines[j].x0)   # (「区分」 centred over the two columns it names starts right of the first)
            j += 1
        left = x0 - 1.5 * size
        zone: list[_Line] = []
        while j < len(lines):
            ln = lines[j]
            if ln.text in names:
                j += 1          # the column names again, at the top of the next page
                continue
            if ln.x0 < left or zone and ln.page > zone[-1].page + 1 or re.match(r"[※＊*]|[（(]?注[0-9０-９]*[）):：]", ln.text):
                break           # (「※１　…」 below the table: its note)
            if not ln.cols and ln.x0 < x0 + 2 * size and ("。" in ln.text or _RE_STARTS_BLOCK.match(ln.text)
                                                          or re.match(r"[0-9０-９]{1,2}[\s\u3000]", ln.text)):
                break           # 「７　事故等への対応」: the text after the table (under a later column, 「第２項」
                #                 is a 根拠 cell's wrapped line: 「特記事項第６条」「第２項」)
            zone.append(ln)
            j += 1
        back = any(b.page == a.page and b.top > a.top + 0.5 * size for a, b in zip(zone, zone[1:]))
        anchors: list[_Line] = []
        for ln in zone:         # (a later cell's lines back up level with its row's first line start no row)
            if ln.cols and not any(a.page == ln.page and abs(a.top - ln.top) < 0.3 * size for a in anchors):
                anchors.append(ln)
        first = {id(a) for a in anchors}
        if not back or len(anchors) < 2:
            out.append(lines[i])
            i += 1
            continue
        pieces = []         # (line, x, text)
        for ln in zone:
            for part, x in zip(ln.text.split(_COL), [ln.x0] + [g[1] for g in ln.cols]):
                pieces.append((ln, x, part))
        starts: list[float] = []
        for x in sorted(p[1] for p in pieces):
            if not starts or x - starts[-1] > size:
                starts.append(x)
        ncol = len(starts)

        def col(x: float) -> int:
            return max(k for k in range(ncol) if x >= starts[k] - size)

        rows: dict[int, list[list]] = {id(a): [[] for _ in range(ncol)] for a in anchors}
        for ln, x, part in pieces:
            if id(ln) in first:
                row = ln
            else:
                above = [a for a in anchors if a.page == ln.page and a.top >= ln.top - 0.3 * size]
                if above:
                    row = min(above, key=lambda a: a.top)
                else:       # a row broken across a page: its cell's lines at the top of the next page
                    before = [a for a in anchors if a.page < ln.page]
                    if not before:
                        continue
                    row = max(before, key=lambda a: (a.page, -a.top))
            rows[id(row)][col(x)].append(((ln.page, -ln.top), part))
        firsts = sum(1 for a in anchors if rows[id(a)][0])
        merged = ncol >= 3 and firsts < len(anchors) and len({round(a.x0) for a in anchors}) > 1
        for a in anchors:
            cells = ["".join(t for _, t in sorted(c, key=lambda e: e[0])).strip("\u3000 ") for c in rows[id(a)]]
            if merged:
                cells = cells[1:]
            out.append(replace(a, text="\t".join(cells), cols=(), row=True,
                               x1=max(x.x1 for x in zone if x.page == a.page)))
        i = j
    return out


def _tables(lines: list[_Line]) -> list[_Line]:
    """A table drawn without rules (「禁止事項　　例外（承認の要否）」): two lines or more in a row whose wide gaps
    fall at the same places are its rows, and a line with no such gap between them is a cell's wrapped text
    (under its column). Each row becomes one line, its cells apart by tabs, as a Word table's; the repeated
    row of column names at the top of a page goes. Elsewhere a wide gap is only a space."""
    lines = _same_row(lines)
    out: list[_Line] = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        if ln.cols:
            block, j = [ln], i + 1
            while j < len(lines):
                nx = lines[j]
                if re.match(r"[※＊*]|[（(]?注[0-9０-９]*[）):：]", nx.text):
                    break       # 「※１　確認方法欄に掲げる…」 below the table: its note, no row of it
                if len(block) >= 2 and nx.x0 < min(b.x0 for b in block) - 0.8 * max(nx.size, 1.0):
                    break       # 「5-4　5-3の措置は、…」 back at the text's margin, left of every row: the text again
                if not _aligned(nx, ln) and "。" in nx.text and re.match(r"[0-9０-９]{1,2}(?:[-－.．][0-9０-９]{1,2})+" + _COL, nx.text):
                    break       # 「3-2　3-1の措置は、…。」: the document's next numbered paragraph after the table
                if _aligned(nx, ln) or _rest_of_row(nx, ln):
                    block.append(nx)
                elif nx.cols or not _wrapped_cell(nx, ln, lines[j + 1] if j + 1 < len(lines) else None):
                    break
                else:
                    block.append(nx)
                j += 1
            rows = [b for b in block if _aligned(b, ln)]
            # a table is introduced (「次の表のとおり」) or heads its columns; a cover page's 「業務名　…」
            # 「履行期間　…」 lines are a form's fields, not a table
            named = _names_columns(ln.text.split(_COL))
            told = bool(out) and "表" in out[-1].text
            # rows numbered 「１　従事者の限定　…」 read as numbered clauses already (their number is the citation)
            numbered = sum(1 for b in rows if _RE_NUMBERED_ROW.match(b.text)) * 2 >= len(rows)
            if len(rows) >= 2 and (named or told) and not numbered:
                out.extend(_rows(block, ln))
                i = j
                continue
        out.append(_without_cols(ln))
        i += 1
    return out


_RE_NUMBERED_ROW = re.compile(r"^(?:[0-9０-９]{1,3}|[①-⑳]|[（(][0-9０-９]{1,3}[)）]|第[0-9０-９一二三四五六七八九十]+)[\s\u3000]")


def _same_row(lines: list[_Line]) -> list[_Line]:
    """A table cell's text comes cell by cell: when the first cell of a row wraps (「…持出」「し」), the next cell
    (「なし」) comes as a line of its own after it, at the height of the row's first line. It is put back there."""
    out: list[_Line] = []
    for ln in lines:
        size = max(ln.size, 1.0)
        m = next((k for k in range(len(out) - 1, max(-1, len(out) - 4), -1)
                  if out[k].page == ln.page and abs(out[k].top - ln.top) < 0.3 * size and out[k].x1 < ln.x0
                  and out[k].zone == ln.zone), None)     # (not the cells of a 新旧対照表 kept apart by their zones)
        if m is None:
            out.append(ln)
            continue
        a = out[m]
        if ln.x0 - a.x1 > 0.8 * size:
            out[m] = replace(a, text=a.text + _COL + ln.text, x1=ln.x1, cols=a.cols + ((a.x1, ln.x0),) + ln.cols)
        else:       # a run cut at a change of font: the same text
            out[m] = replace(a, text=a.text + ln.text, x1=ln.x1, cols=a.cols + ln.cols)
    return out


def _aligned(ln: _Line, first: _Line) -> bool:
    """Same number of gaps, each over the gap of the first row (a centred 「○」 or 「－」 leaves a wider one)."""
    tol = 0.5 * max(ln.size, 1.0)
    return len(ln.cols) == len(first.cols) and all(max(a[0], b[0]) < min(a[1], b[1]) + tol for a, b in zip(ln.cols, first.cols))


def _rest_of_row(ln: _Line, first: _Line) -> bool:
    """「の保管庫への格納　　記録すること。」「し　　ちに消去すること。」: the wrapped text of a row's cells, fewer
    parts than the table has columns (a short first part when as many)."""
    head = ln.text.split(_COL)[0]
    return bool(ln.cols) and (len(ln.cols) < len(first.cols)
                              or len(ln.cols) == len(first.cols) and len(head) <= 3 and "。" not in head)


def _wrapped_cell(ln: _Line, first: _Line, after: _Line | None) -> bool:
    """Whether a line with no gap inside a table is a cell's wrapped text: under a later column, or short
    and under the first one with the table going on (or a last word 「し」 left over)."""
    if ln.x0 > first.cols[0][0]:
        return True
    if _RE_STARTS_BLOCK.match(ln.text) or "。" in ln.text:
        return False
    return len(ln.text) <= 20 and after is not None and _aligned(after, first) or len(ln.text) <= 4


def _rows(block: list[_Line], first: _Line) -> list[_Line]:
    bounds = first.cols
    rows: list[tuple[_Line, list[str]]] = []
    for ln in block:
        if _aligned(ln, first) or not rows:
            rows.append((ln, ln.text.split(_COL)))
            continue
        # wrapped text: each part to the column it starts under
        starts = [ln.x0] + [g[1] for g in ln.cols]
        for part, x in zip(ln.text.split(_COL), starts):
            rows[-1][1][sum(1 for g in bounds if x > g[0])] += part
    head = rows[0][1]
    named = _names_columns(head) and any(len(c) > 12 for _, r in rows[1:] for c in r)
    out = []
    for n, (ln, cells) in enumerate(rows):
        if named and cells == head and (n or not any(_RE_ACTOR_COLUMN.match(c.strip()) for c in head)):
            continue            # the column names, and again at the top of the next page (kept once when they say
            # what the cells are, 「場面 | やること」「違反の内容 | 市がとる措置」: the parser reads the cells with them)
        out.append(replace(ln, text="\t".join(c.strip() for c in cells), cols=(), row=True))
    return out


def _names_columns(cells: list[str]) -> bool:
    """「禁止事項 / 例外（承認の要否）」: a row of short names, no sentence."""
    return all(len(c) <= 12 and "。" not in c for c in cells)


def _without_cols(ln: _Line) -> _Line:
    return replace(ln, text=ln.text.replace(_COL, "\u3000"), cols=()) if ln.cols else ln


def _text_columns(lines: list[_Line]):
    """A leaflet or handbook set in two columns: which column a line stands in (0 left, 1 right, None across), so
    that a line is wrapped at its own column's right edge, not the page's; None when the text is one column."""
    body = [x for x in lines if not x.row]
    if len(body) < 16:
        return None
    lo, hi = min(x.x0 for x in body), max(x.x1 for x in body)
    mid = (lo + hi) / 2
    right = sum(1 for x in body if x.x0 > mid - 4)
    left = sum(1 for x in body if x.x1 < mid + 4)
    if right < max(8, len(body) // 4) or left < max(8, len(body) // 4):
        return None
    return lambda x: 1 if x.x0 > mid - 4 else 0 if x.x1 < mid + 4 else None


def _join_wraps(lines: list[_Line], deck: bool = False) -> list[str]:
    column = _text_columns(lines)
    if any(x.zone for x in lines):
        column = lambda x: x.zone or None     # noqa: E731  (the zones set by the reading before)
    edges = {None: (_right_margin(lines), _left_margin(lines))}     # lines across the columns: the page's edges
    if column is not None:
        for k in {column(x) for x in lines} - {None}:
            part = [x for x in lines if column(x) == k] or lines
            edges[k] = (_right_margin(part), _left_margin(part))
    out: list[str] = []
    prev: _Line | None = None
    listing = False
    for at, ln in enumerate(lines):
        (margin, sure), left = edges[column(prev) if column and prev is not None else None]
        if prev is not None and out and not prev.row and not ln.row and HEADING_MARK not in (prev.text[:1], ln.text[:1]) \
                and (column is None or column(prev) == column(ln) or column(prev) is None):
            # reaching the right margin from the left one (not a right-aligned date or name)
            reach = prev.x1 >= margin - 1.6 * prev.size
            full = reach and prev.x0 <= left + 8 * prev.size
            # inside a table cell or an indented block, the wrapped line and the next start at the same place
            if reach and not full and abs(prev.x0 - ln.x0) <= 1.5 * prev.size and len(prev.text) >= 8:
                full = True
            # a numbered block set apart from the text (a 別表's rows, a number column and a text column): a row's
            # wrapped line starts under the text after its number (「４　…機器を接続する」/「こと。」), and the line
            # reaches the right edge the block's own lines share, not the page's
            if not full and _hangs_under(prev, ln) and not prev.text.endswith(("。", "．", "：")) \
                    and prev.x1 >= _block_edge(lines, at - 1) - 1.6 * prev.size:
                full = True
            # a heading in a larger type (「８　当番の終わりに」 over its text in a leaflet's column) is not wrapped into it
            if full and prev.size >= 1.08 * ln.size and not prev.text.endswith("。") and len(prev.text) <= 30:
                full = False
            # a letter-spaced title reaching the margin is not wrapped into the body line below it
            # (a table cell's lines are no title: 「■使用者情報の取扱」/「い（５）」 in the narrow column of a 新旧対照表)
            if prev.pitch and ln.pitch and len(ln.text) > 3 and abs(prev.pitch - ln.pitch) > 0.15 * ln.pitch \
                    and not (prev.zone and ln.zone == prev.zone):
                full = False
            ends = prev.text.endswith(("。", "．", "」", "）", ")", "："))
            # a finished sentence is no wrap under a lead-in (「次に掲げる行為をしてはならない。」: a line with no
            # number is an item of its own), nor at a margin only guessed from the longest line
            if full and prev.text.endswith("。") and (listing or not sure) and not _RE_CARRIES_ON.match(ln.text):
                full = False
            # a sentence ending at the margin, then a line indented by one character at the left margin: a new
            # paragraph (a wrapped line starts at the margin; a hanging indent is deeper than one character)
            if full and prev.text.endswith("。") and prev.x0 <= left + 1.6 * prev.size \
                    and 0.6 * ln.size <= ln.x0 - left <= 1.6 * ln.size:
                full = False
            # a finished sentence, then a line far right of where it and the text start (「記」 centred, 「以上」 pushed
            # right): a line of its own (a wrapped line starts at the margin, or at a hanging indent's depth)
            if full and prev.text.endswith("。") and ln.x0 - max(prev.x0, left) > 4 * ln.size:
                full = False
            # a line that stops short of the margin, then one that starts like an item (「イ　…」): no wrap, unless
            # the line fills its width (「…電子メー」/「ル…」, 「…条例第」/「１２条…」 reach the margin itself)
            if full and not ends and _RE_STARTS_BLOCK.match(ln.text) and prev.x1 < margin - 0.6 * prev.size:
                full = False
            # 「×…」 (an NG box's item) is never the rest of a line, even after one that fills its column; on a slide
            # no bullet is (its boxes are narrower than the page, so a short line may seem to reach their edge)
            if full and (re.match(r"[×✕✖]", ln.text) or deck and re.match(r"[・●○◆◇■□※－―]", ln.text)):
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
            if listing and ln.size and not ln.row and _classify(ln.text).kind == "text" and not text.startswith(HEADING_MARK):
                text = "\u3000" * max(0, min(20, round((ln.x0 - left) / ln.size))) + text
        out.append(text)
        prev = ln
    return out


import pypdfium2 as pdfium  # noqa: E402  (imported here: the module docstring explains the choice)
import pypdfium2.raw as pc  # noqa: E402
