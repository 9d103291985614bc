"""A checklist printed from a spreadsheet (No. / 区分 / 確認項目 / 確認欄), put back row by row from positions.

PDFium gives such a page cell by cell, not line by line: a row whose item wraps comes as its number alone
(「7」) or with its box (「6　□」) and its text after the page's other rows, and the category of cells merged
over several rows (「体制・届出」) comes halfway down its group. Read in that order, rows run into each other
and items lose their number. The positions say which is which: the numbers stand in one column, the boxes
in another, the items start at one place; an item's lines belong to the number level with them, and a
category to the rows it is centred on. Each row is written as a tab-separated row, as the spreadsheet
saved as text would be (「7<TAB>教育・研修<TAB>作業従事者全員に対し…<TAB>□」).

The same holds for a 備考 column (the row's note, after its item), a result column to circle (「○・×」), a
category written at the top of its merged cell, and a Q&A (No. / 区分 / 質問 / 回答), whose rows are written
「Q. … A. …」 so that the answer is read as the rule. A page is taken for such a sheet only when its numbers
run down one column, some number stands with nothing of its item on its line, and it has boxes to tick or
questions with their answers; a page whose rows already come whole is left as it is.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace

_RE_NUM = re.compile(r"[0-9０-９]{1,3}(?:[-－‐][0-9０-９]{1,2})?")      # 「7」, or 「2-3」 numbered within a section
# a header row naming a number column and a text column: 「番号 | 項目 | 内容 | 根拠」 (rules, nothing to tick)
_RE_NUMBER_COLUMN = re.compile(r"番号|項番|No\.?|NO\.?|Ｎｏ．?|№")
_RE_TEXT_COLUMN = re.compile(r"内容|遵守事項|確認項目|点検項目|事項|取扱い|ルール")
# the cell to tick or circle: 「□」, 「○・×」, 「はい・いいえ」, 「済・未」
_RE_TICK = re.compile(r"[□☐■☑✓✔]|[○◯]\s*[・/／]?\s*[×✕]|はい\s*[・/／]\s*いいえ|済\s*[・/／]\s*未|適\s*[・/／]\s*否")


_RE_QUESTION = re.compile(r"(?:か|でしょうか|ますか|ですか)[。？?]$|[？?]$")


def _tick(text: str) -> bool:
    return bool(_RE_TICK.fullmatch(text.strip()))


@dataclass(eq=False)
class _Piece:
    x0: float
    x1: float
    top: float
    bottom: float
    text: str


def rebuild(lines: list) -> list:
    """Every page that is a spreadsheet checklist, rebuilt; the other pages' lines unchanged, except in a
    printed spreadsheet, whose cells come in no reading order: there a page's lines go from the top down
    (a note wrapped in its cell came after the notes below it)."""
    pages: list[list] = []
    for ln in lines:
        if not pages or ln.page != pages[-1][0].page:
            pages.append([])
        pages[-1].append(ln)
    grids: list = []
    last = None            # the last row number of the page before, when it was such a sheet
    for page in pages:     # a table going on over the next page (its header row dropped there as a running header)
        grid, last = _grid(page, after=last)
        grids.append(grid)
    if not any(grids):
        return lines
    out: list = []
    for page, grid in zip(pages, grids):
        out.extend(grid or _top_down(page))
    return out


def _top_down(lines: list) -> list:
    if not lines:
        return lines
    size = max(1.0, sorted(ln.size for ln in lines)[len(lines) // 2])
    return sorted(lines, key=lambda ln: (-round(ln.top / (0.5 * size)), ln.x0))


def _grid(lines: list, after: tuple | None = None) -> tuple[list | None, tuple | None]:
    """The page's lines rebuilt row by row and its last row number, or (None, None) when it is no such sheet
    (``after``: the last row number of the page before, if that page was one: its numbering may go on here)."""
    return _grid_rows(lines, after) or (None, None)


def _grid_rows(lines: list, after: tuple | None) -> tuple[list, tuple] | None:
    sizes = sorted(ln.size for ln in lines if ln.size > 0)
    if not sizes:
        return None
    size = sizes[len(sizes) // 2]
    # the number column: a line's first stretch of text, a number, the numbers' centres one above the other
    firsts = [(ln, ln.runs[0]) for ln in lines if ln.runs and _RE_NUM.fullmatch(ln.runs[0][2])]
    if len(firsts) < (2 if after else 4):      # (fewer rows where a sheet goes on from the page before)
        return None
    centres = sorted((r[0] + r[1]) / 2 for _, r in firsts)
    centre = centres[len(centres) // 2]
    anchors = sorted(((ln, r) for ln, r in firsts if abs((r[0] + r[1]) / 2 - centre) <= 1.5 * size),
                     key=lambda a: -a[0].top)
    # the rows' numbers go up down the page; a number out of that run (a note's 「１」 below the table) is no row
    kept, values = [], []
    for a in anchors:
        v = tuple(int(x) for x in re.split(r"[-－‐]", unicodedata.normalize("NFKC", a[1][2])))
        if not values or (len(v) == len(values[-1]) and v > values[-1]):
            kept.append(a)
            values.append(v)
    anchors = kept
    if len(anchors) < (2 if after else 4) \
            or sum(_follows(a, b) for a, b in zip(values, values[1:])) < 0.8 * (len(values) - 1):
        return None
    boxes = sum(1 for ln in lines for r in ln.runs if _tick(r[2]))
    num_right = max(r[1] for _, r in anchors)
    # the item column: where most sentences start, right of the numbers (the first such column of a Q&A's 質問 / 回答)
    starts = Counter(round(r[0] / 3) for ln in lines for r in ln.runs if "。" in r[2] and r[0] > num_right + size)
    if not starts:
        return None
    best = starts.most_common(1)[0][1]
    item_x = min(k for k, c in starts.items() if c >= 0.5 * best) * 3
    # the cell-by-cell order: some number stands with nothing of its item on its line
    hollow = sum(1 for ln, _ in anchors if all(_tick(r[2]) or r[0] < item_x - size for r in ln.runs[1:]))
    region_top = anchors[0][0].top + 2 * size
    region_bottom = anchors[-1][0].bottom - 2 * size
    # the item column's right edge (over the rows, not the title above them): a stretch starting beyond it is
    # a note (備考) or the box
    item_right = max((r[1] for ln in lines if region_bottom <= ln.top <= region_top
                      for r in ln.runs if abs(r[0] - item_x) <= size), default=item_x)

    n = len(anchors)
    items: list[list[_Piece]] = [[] for _ in range(n)]
    notes: list[list[_Piece]] = [[] for _ in range(n)]
    boxed = [False] * n
    cats: list[_Piece] = []
    before, below, header = [], [], None
    loose: list = []            # the lines of cells that came apart from their number
    anchor_of = {id(ln): k for k, (ln, _) in enumerate(anchors)}

    def nearest(top: float, bottom: float) -> int:
        mid = (top + bottom) / 2
        return min(range(n), key=lambda k: abs((anchors[k][0].top + anchors[k][0].bottom) / 2 - mid))

    def place(k: int, ln, r) -> None:
        if _tick(r[2]):
            boxed[k] = True
        else:           # (nothing is dropped: text left of the item column goes with the item)
            (items[k] if r[0] < item_right - size else notes[k]).append(
                _Piece(r[0], r[1], ln.top, ln.bottom, r[2]))

    for ln in lines:
        k = anchor_of.get(id(ln))
        if k is not None:
            for r in ln.runs[1:]:
                if num_right < r[0] < item_x - size:
                    cats.append(_Piece(r[0], r[1], ln.top, ln.bottom, r[2]))
                else:
                    place(k, ln, r)
            continue
        one = ln.runs[0] if len(ln.runs) == 1 else None
        if one is not None and num_right < one[0] < item_x - size and "。" not in one[2] and len(one[2]) <= 20:
            # a category, wherever it is centred: a cell merged over a page break prints its name at the middle
            # of all its rows, beyond the last row of the page or above the first
            cats.append(_Piece(one[0], one[1], ln.top, ln.bottom, one[2]))
        elif region_bottom <= ln.top and ln.bottom <= region_top and ln.x0 >= item_x - size:
            loose.append(ln)
        elif ln.top > region_top - size:
            if len(ln.runs) >= 3 and ln.bottom < region_top + 3 * size \
                    and all(len(r[2]) <= 8 and not re.search(r"[。：:]", r[2]) for r in ln.runs):
                header = ln                    # the row of column names: the parser drops it
            else:
                before.append(ln)
        else:
            below.append(ln)

    # A line that goes on with a sentence the line above it left unfinished (no 「。」 at its end) is of the same
    # cell, whatever number is nearer: a long answer's last line 「伝えてください。」 is not the next row's.
    # Otherwise a line goes to the number nearest it (numbers stand in the middle of their rows).
    above_at: dict = {}        # (column, bottom) -> (row, whether the line there ended its sentence)
    for k, (ln, _) in enumerate(anchors):
        for r in ln.runs[1:]:
            if r[0] >= item_x - size and not _tick(r[2]):
                above_at[(r[0] >= item_right - size, ln.bottom)] = (k, r[2].endswith("。"))
    for ln in sorted(loose, key=lambda x: -x.top):
        col = ln.x0 >= item_right - size
        prev = [(b, v) for (c, b), v in above_at.items() if c == col and 0 <= b - ln.top <= 0.5 * size]
        k = prev[0][1][0] if prev and not prev[0][1][1] else nearest(ln.top, ln.bottom)
        for r in ln.runs:
            place(k, ln, r)
        words = [r[2] for r in ln.runs if not _tick(r[2])]
        above_at[(col, ln.bottom)] = (k, not words or words[-1].endswith("。"))
    # a checklist has its boxes to tick; a Q&A (No. / 区分 / 質問 / 回答) its questions, each with its answer beside it
    asked = sum(1 for k in range(n) if items[k] and notes[k] and _RE_QUESTION.search(_joined(items[k])))
    qa = asked >= 0.6 * n
    named = (after is not None and _follows(after, values[0])) or (
        header is not None and any(_RE_NUMBER_COLUMN.fullmatch(r[2].strip()) for r in header.runs)
        and any(_RE_TEXT_COLUMN.search(r[2]) for r in header.runs))
    if not named and (not hollow or (boxes < 0.6 * n and not qa)):
        return None
    spans = [(min([ln.bottom] + [p.bottom for p in items[k]]), max([ln.top] + [p.top for p in items[k]]), ln.top)
             for k, (ln, _) in enumerate(anchors)]
    groups = _categories(cats, spans, size)
    rows = []
    for k, (ln, r) in enumerate(anchors):
        item, note = _joined(items[k]), _joined(notes[k])
        if qa and item and note:
            item, note = f"Q. {item}", f"A. {note}"      # read as an FAQ: the answer is the rule
        cells = [r[2], groups[k], item] + [note] * bool(notes[k]) + ["□"] * boxed[k]
        rows.append(replace(ln, text="\t".join(cells), x0=r[0], top=spans[k][1], bottom=spans[k][0],
                            cols=(), runs=(), row=True))
    if header is not None:
        before.append(replace(header, text="\t".join(r[2] for r in header.runs), cols=(), runs=(), row=True))
    return _top_down(before) + rows + _top_down(below), values[-1]


def _follows(a: tuple, b: tuple) -> bool:
    """The number after ``a``: 7 then 8; 2-3 then 2-4 or 3-1."""
    if len(a) == 1:
        return b[0] == a[0] + 1
    return (b[0] == a[0] and b[1] == a[1] + 1) or (b[0] == a[0] + 1 and b[1] == 1)


def _joined(pieces: list[_Piece]) -> str:
    text = ""
    for p in sorted(pieces, key=lambda p: (-p.top, p.x0)):
        sep = " " if text[-1:].isascii() and text[-1:].isalnum() and p.text[:1].isascii() and p.text[:1].isalnum() else ""
        text += sep + p.text
    return text


def _categories(cats: list[_Piece], spans: list[tuple[float, float]], size: float) -> list[str]:
    """Each row's category (spans: each row's bottom and top, and its number's top; the rows from the top of the
    page down). A category merged over rows is centred on them: the rows are cut into one run per
    category, in order, so that each category stands as near as it can to the middle of its run."""
    n = len(spans)
    merged: list[_Piece] = []
    for c in sorted(cats, key=lambda c: -c.top):
        if merged and merged[-1].bottom - c.top < 0.8 * size and abs(merged[-1].x0 - c.x0) < 2 * size:
            m = merged[-1]       # a category wrapped in its cell (「作業室の」「管理」)
            merged[-1] = _Piece(min(m.x0, c.x0), max(m.x1, c.x1), m.top, c.bottom, m.text + c.text)
        else:
            merged.append(c)
    m = len(merged)
    if not m:
        return [""] * n
    # a category written at the top of its merged cell stands level with its first row: its rows run to the
    # next category's (the rows above the first one continue the category of the page before)
    starts = [next((k for k in range(n) if min(abs(spans[k][1] - c.top), abs(spans[k][-1] - c.top)) <= 0.4 * size), None)
              for c in merged]
    if starts[0] is None and merged[0].bottom >= spans[0][0]:
        starts[0] = 0            # the name of a cell merged over the page break, repeated above or beside the first row
    if None not in starts and starts == sorted(set(starts)) and (starts[0] == 0 or m >= 2):
        out = [""] * n
        for idx, k in enumerate(starts):
            out[k:starts[idx + 1] if idx + 1 < m else n] = [merged[idx].text] * ((starts[idx + 1] if idx + 1 < m else n) - k)
        return out
    mids = [(c.top + c.bottom) / 2 for c in merged]
    if m > n:
        return [min(merged, key=lambda c: abs((c.top + c.bottom) / 2 - (t + b) / 2)).text for b, t in spans]
    def cost(k: int, i: int, j: int) -> float:
        off = mids[k] - (spans[i][1] + spans[j][0]) / 2
        # a cell merged over a page break is centred on all its rows, some of them on the other page: the
        # page's first category may stand above its rows' middle, the last one below it
        if k == 0 and off > 0 or k == m - 1 and off < 0:
            return 0.0
        return abs(off)

    inf = float("inf")
    # best[k][j]: the least cost of giving categories 0..k the rows 0..j, category k ending at row j
    best = [[inf] * n for _ in range(m)]
    back = [[0] * n for _ in range(m)]
    for j in range(n):
        best[0][j] = cost(0, 0, j)
    for k in range(1, m):
        for j in range(k, n):
            for i in range(k, j + 1):       # category k covers rows i..j
                c = best[k - 1][i - 1] + cost(k, i, j)
                if c < best[k][j]:
                    best[k][j], back[k][j] = c, i
    out = [""] * n
    j = n - 1
    for k in range(m - 1, -1, -1):
        i = back[k][j] if k else 0
        for r in range(i, j + 1):
            out[r] = merged[k].text
        j = i - 1
    return out
