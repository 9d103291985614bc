"""Parse a contract's information-security document into a tree of clauses.

Municipal security documents share numbering conventions but not layouts, so the
parser is driven by those conventions rather than by any one file:

1. ``_tokenize`` (``tokens``) turns the input (plain text, Markdown, HTML, or a mix such as tables
   flattened to ``label<TAB><ul><li>…`` lines) into a flat list of tokens: text lines
   (with their list depth when the markup tells it), table rows and blank lines
   (``markdown_source`` first brings a site generator's Markdown to plain Markdown; ``passes`` then
   drops contents lists, running heads and signatures and rewrites notes and tables).
2. ``_split_forms`` (``forms``) cuts blank forms (様式, 申出書, 報告書, 誓約書 …) out of that list,
   so that their "令和 年 月 日" or "【変更なし/変更あり】" never read as rules.
3. ``_Builder`` (``tree``) reads the remaining tokens in order, recognises numbering (第N条, 第N,
   paragraph "2", "1.", "(1)", "①", "ア", "(ア)", "a", bullets …; ``classify``) and builds the tree.
   Nesting of items is inferred from the order in which marker styles first appear
   under a clause, the way a reader does, so (1)→ア→(ア) and ①→(a) both work.
   Lines with no number right after a lead-in (「次に掲げる行為をしてはならない。」) are its
   items, cited like a web page's unmarked list (「第4条第1項・1」), so its verdict reaches each.
4. ``_Builder.result`` settles labels and keys and emits frozen dataclasses (``model``);
   ``title`` picks the document's title.

``patterns`` holds the character classes, text helpers and the token every stage shares.
``parse`` never raises: any input gives a ``ParsedDocument``.
"""
from __future__ import annotations

import re
from dataclasses import replace

from knowledge.parser.forms import _split_forms
from knowledge.parser.markdown_source import _RE_STRUCK_TAG, _markdown_source
from knowledge.parser.model import ParsedClause, ParsedDocument, ParsedForm
from knowledge.parser.passes import (_column_tables, _drop_contents, _drop_contract_closing, _drop_header_rows,
                                     _drop_page_meta, _drop_running_lines, _drop_signature, _join_faq, _mail_thread,
                                     _mark_bare_headings, _mark_title_marks, _numbered_notes, _numbered_rows,
                                     _wrap_width)
from knowledge.parser.patterns import _normalise_newlines
from knowledge.parser.title import _document_title
from knowledge.parser.tokens import _is_html_document, _tokenize
from knowledge.parser.tree import _Builder

# re-exported: knowledge/readers import these helpers from knowledge.parser
from knowledge.parser.classify import _classify  # noqa: F401
from knowledge.parser.passes import _RE_ACTOR_COLUMN  # noqa: F401
from knowledge.parser.patterns import _RE_CARRIES_ON, _RE_DATE_ONLY, _lead_in, _unspaced  # noqa: F401
from knowledge.parser.title import _RE_TITLE_NAME  # noqa: F401
from knowledge.parser.tokens import (_ANCHOR_MARK, _HEADING_MARK, _PART_MARK, _amended_columns,  # noqa: F401
                                     _placeholder_cell, _which_new)

__all__ = ["parse", "ParsedDocument", "ParsedClause", "ParsedForm"]


def parse(text: str, fmt: str = "auto") -> ParsedDocument:
    """Parse ``text`` ("auto" | "text" | "markdown" | "html") into clauses and forms."""
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        text = _normalise_newlines(text if isinstance(text, str) else "")
        md_dropped: list[str] = []
        if fmt == "markdown":
            text, md_dropped = _markdown_source(text)
        elif fmt in ("auto", "text") and not _is_html_document(text):
            text = _mail_thread(text)
        tokens = _tokenize(text, fmt)
        tokens, toc = _drop_contents(tokens)
        tokens, running = _drop_running_lines(tokens)
        tokens = _join_faq(_numbered_rows(_drop_header_rows(_column_tables(_numbered_notes(_drop_page_meta(tokens))))))
        rule_tokens, forms = _split_forms(tokens)
        rule_tokens, closing = _drop_contract_closing(rule_tokens)
        rule_tokens, signed = _drop_signature(rule_tokens)
        page = fmt == "html" or (fmt == "auto" and _is_html_document(text))
        _mark_title_marks(rule_tokens)
        if not page:
            _mark_bare_headings(rule_tokens)
        builder = _Builder()
        builder.wrap_width = _wrap_width(rule_tokens)
        builder.lines_are_paragraphs = fmt in ("auto", "text") and not page   # a text file, Word's paragraphs, a PDF's lines
        builder.indents = not page        # a web page's leading spaces are its markup's, not the reader's
        builder.page = page
        for tok in rule_tokens:
            builder.feed(tok)
        doc = builder.result(forms)
        doc = replace(doc, title=_document_title(tokens, doc.title))
        doc.dropped.extend(md_dropped)
        if builder.repealed:
            doc.dropped.append(f"削除された条（{'、'.join(builder.repealed)}）: 番号だけで本文がないため条項にしていません")
        if toc:
            doc.dropped.append(f"目次（{toc} 行）")
        for line, k in running:
            doc.dropped.append(f"各ページの欄外の行「{line}」（{k} 行）")
        if closing:
            doc.dropped.append(f"契約書の末文と記名押印欄（{closing} 行）")
        if signed:
            doc.dropped.append(f"末尾の日付・作成者・連絡先の行（{signed} 行）")
        struck = sum(1 for m in _RE_STRUCK_TAG.finditer(text) if re.sub(r"<[^>]*>|\s", "", m.group(2))) if page else 0
        if struck:
            doc.dropped.append(f"取り消し線の付いた記載（削除された文言、{struck} か所）")
        return doc
    except Exception:  # noqa: BLE001 - a bad document must never take the bot down
        return _fallback(text if isinstance(text, str) else "")


def _fallback(text: str) -> ParsedDocument:
    """Last resort: one paragraph per blank-line-separated block, tags stripped."""
    try:
        blocks = [re.sub(r"\s+", " ", re.sub(r"<[^>]*>", "", b)).strip() for b in re.split(r"\n\s*\n", text)]
        clauses = [ParsedClause(f"p{i}", None, "paragraph", f"第{i}段落", (), b, i - 1)
                   for i, b in enumerate((b for b in blocks if b), 1)]
        return ParsedDocument(None, "", clauses, [])
    except Exception:  # noqa: BLE001
        return ParsedDocument(None, "", [], [])
