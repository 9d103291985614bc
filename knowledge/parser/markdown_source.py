"""Markdown written for a site generator (MkDocs Material, Python-Markdown extensions), brought to the plain
Markdown the tokenizer reads (``_markdown_source``), struck-through wording taken out."""
from __future__ import annotations

import re

from knowledge.parser.patterns import _RE_MD_HEADING
from knowledge.parser.tokens import _BOX_END, _BOX_START


_RE_FENCE = re.compile(r"^[ \t]*(```|~~~)")
_RE_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
# 「!!! danger "禁止事項"」「??? info "…"」「???+ note」 (admonitions, collapsible blocks) and 「=== "夜間・休日"」 (tabs)
_RE_BOX = re.compile(r'^(?P<mark>!!!|\?\?\?\+?|===\+?)[ \t]*(?P<kind>[A-Za-z][\w-]*(?:[ \t]+[A-Za-z][\w-]*)*)?'
                     r'[ \t]*(?:"(?P<title>[^"]*)")?[ \t]*$')
_RE_ABBREVIATION = re.compile(r"^\*\[[^\]]+\]:")                   # 「*[CMS]: Content Management System」
_RE_FOOTNOTE_DEF = re.compile(r"^\[\^[^\]\s]+\]:[ \t]*")             # 「[^exif]: 削除の手順は、…」
_RE_FOOTNOTE_REF = re.compile(r"\[\^[^\]\s]+\](?!:)")
_RE_DEFINITION = re.compile(r"^:[ \t]{1,4}(\S.*)$")                  # 「:   定義」 under its term
# 「## 3. アカウントとログイン { #account }」: an attribute list says how to render, it is not text
_RE_ATTR_LIST = re.compile(r"[ \t]*\{:?[ \t]*(?:[#.][\w-]+|[\w-]+=(?:\"[^\"]*\"|'[^']*'|\S+))"
                           r"(?:[ \t]+(?:[#.][\w-]+|[\w-]+=(?:\"[^\"]*\"|'[^']*'|\S+)))*[ \t]*\}[ \t]*$")
_RE_KEYS = re.compile(r"\+\+([A-Za-z0-9][\w+-]*?)\+\+")                 # 「++ctrl+alt+del++」 (pymdownx.keys)
# Struck-through text: 「~~…~~」 (GFM, pymdownx.tilde; not a fence's 「~~~」, nor across a blank line) and <del>, <s>,
# <strike> written in the Markdown: wording deleted at a revision and left visible, crossed out
_RE_MD_STRIKE = re.compile(r"(?<!~)~~(?![~\s])(?:(?!\n[ \t]*\n).)*?(?<![~\s])~~(?!~)", re.S)
_RE_STRUCK_TAG = re.compile(r"<(del|s|strike)\b[^>]*>(.*?)</\1[ \t]*>", re.S | re.I)
_RE_FENCED_BLOCK = re.compile(r"^[ \t]*(```|~~~)[^\n]*\n.*?^[ \t]*\1[ \t]*$", re.S | re.M)
_STRUCK = "\uf8f2"      # where struck text stood, until its line is looked at
_RE_EMPTIED = re.compile(r"^[ \t]*(?:#{1,6}|[-*+]|\d{1,3}[.)]|>)?[ \t]*$")    # nothing left but a marker


def _markdown_source(text: str) -> tuple[str, list[str]]:
    """Markdown as a site generator renders it, in the plain Markdown the tokenizer reads: YAML front matter
    out (its title kept when the page has no 「# 」 title), HTML comments out (not shown, so not rules: often
    a rule deleted at a revision), abbreviation lines out, attribute lists off headings, footnote marks off
    the text (a footnote's own text stays, where it is written). An admonition (「!!! danger "禁止事項"」,
    「??? info "…"」) or a content tab (「=== "夜間・休日"」) is a box: its title heads the box's indented body, as
    a heading one level below the section does (so 「禁止事項」 over bare nouns is their lead-in), and the box
    ends where the indentation does (what follows is the section's again). A definition list (term, then
    「:   definition」) is a row 「term<TAB>definition」, as a web page's <dl> is. Returns the text and what was
    left out."""
    dropped: list[str] = []
    lines = text.split("\n")
    title = None
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, min(len(lines), 200)) if _RE_FRONT_MATTER_END.match(lines[i])), None)
        if end is not None:
            for ln in lines[1:end]:
                m = re.match(r"^title:[ \t]*(.+?)[ \t]*$", ln)
                if m:
                    title = m.group(1).strip("\"'")
            dropped.append(f"ページ冒頭の設定（YAML、{end + 1} 行）")
            lines = lines[end + 1:]
    body = "\n".join(lines)
    comments = re.findall(r"<!--.*?-->", body, flags=re.S)
    if comments:
        # a comment's line breaks are kept as blank lines' worth of nothing: the text around it is not glued
        body = re.sub(r"[ \t]*<!--.*?-->[ \t]*", lambda m: "\n" * m.group(0).count("\n"), body, flags=re.S)
        dropped.append(f"HTML のコメント（表示されない記載、{len(comments)} か所）")
    body, struck = _drop_struck(body)
    if struck:
        dropped.append(f"取り消し線の付いた記載（削除された文言、{struck} か所）")
    lines = body.split("\n")
    if title and not any(re.match(r"^#[ \t]", ln) for ln in lines):
        lines = [f"# {title}", ""] + lines
    out: list[str] = []
    abbreviations = _markdown_blocks(lines, out, 0)
    if abbreviations:
        dropped.append(f"略語の定義（{abbreviations} 行）")
    return "\n".join(out), dropped


def _drop_struck(body: str) -> tuple[str, int]:
    """Struck-through text out, as a reader takes it: deleted wording (「受託者は、~~７日~~５日以内に…」 reads 「…５日
    以内に…」). A line that held nothing else (a struck list item, a struck heading) goes whole, not left a bare
    「- 」; a struck span over lines leaves their breaks; a fenced code block is left as written. Returns the text
    and how many spans went."""
    struck = 0

    def out(m: re.Match) -> str:
        nonlocal struck
        struck += 1
        return _STRUCK + "\n" * m.group(0).count("\n")
    parts, at = [], 0
    for m in [*_RE_FENCED_BLOCK.finditer(body), None]:
        end = m.start() if m else len(body)
        parts.append(_RE_MD_STRIKE.sub(out, _RE_STRUCK_TAG.sub(out, body[at:end])))
        if m:
            parts.append(m.group(0))
            at = m.end()
    if not struck:
        return body, 0
    lines = []
    for ln in "".join(parts).split("\n"):
        if _STRUCK in ln:
            ln = ln.replace(_STRUCK, "")
            if _RE_EMPTIED.match(ln):
                continue
        lines.append(ln)
    return "\n".join(lines), struck


def _markdown_blocks(lines: list[str], out: list[str], level: int) -> int:
    """Rewrite ``lines`` into ``out`` (see _markdown_source); ``level``: the heading level the lines sit under.
    Returns how many abbreviation lines were left out."""
    dropped = 0
    fence = None
    i = 0
    while i < len(lines):
        ln = lines[i]
        f = _RE_FENCE.match(ln)
        if fence is not None or f:
            if f and fence is None:
                fence = f.group(1)
            elif f and f.group(1) == fence:
                fence = None
            out.append(ln)
            i += 1
            continue
        h = _RE_MD_HEADING.match(ln)
        if h:
            level = len(h.group(1))
            out.append(_RE_ATTR_LIST.sub("", ln))
            i += 1
            continue
        box = _RE_BOX.match(ln)
        if box and (box.group("kind") or box.group("title") is not None):
            j = i + 1
            while j < len(lines) and (not lines[j].strip() or lines[j].startswith(("    ", "\t"))):
                j += 1
            while j > i + 1 and not lines[j - 1].strip():
                j -= 1
            inner = [re.sub(r"^(?:    |\t)", "", x) for x in lines[i + 1:j]]
            name = (box.group("title") or "").strip()
            if name:
                out.append("#" * min(level + 1, 6) + " " + _BOX_START + name)
            dropped += _markdown_blocks(inner, out, min(level + 1, 6))
            if name:
                out.append(_BOX_END)
            i = j
            continue
        if _RE_ABBREVIATION.match(ln):
            dropped += 1
            i += 1
            continue
        d = _RE_DEFINITION.match(ln)
        if d and out and out[-1].strip() and not out[-1].startswith(("#", "|", "-", "*", ":")) and "\t" not in out[-1]:
            # 「本番環境」 / 「:   市民が閲覧する…をいう。」: the term and its definition on one row
            term = out.pop().strip()
            defs = [d.group(1)]
            i += 1
            while i < len(lines) and (lines[i].startswith(("    ", "\t")) and lines[i].strip() or _RE_DEFINITION.match(lines[i])):
                m = _RE_DEFINITION.match(lines[i])
                defs.append(m.group(1) if m else lines[i].strip())
                i += 1
            out.append(f"{term}\t{''.join(defs)}")
            continue
        m = _RE_FOOTNOTE_DEF.match(ln)
        if m:
            ln = ln[m.end():]
        ln = _RE_FOOTNOTE_REF.sub("", ln)
        ln = _RE_KEYS.sub(lambda k: "+".join(x[:1].upper() + x[1:] for x in k.group(1).split("+")), ln)
        out.append(ln)
        i += 1
    return dropped
