"""What the parser gives: a ``ParsedDocument``, its clauses (``ParsedClause``, in document order, each
naming its parent) and its blank forms (``ParsedForm``)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ParsedClause:
    key: str                  # ASCII, unique in the document, e.g. "a11.p1.i10.s1"
    parent: str | None        # key of the parent clause
    level: str                # article | section | paragraph | item | subitem | subsubitem
    label: str                # position as cited, e.g. "第11条第1項第10号ア", "3(1)キ"
    heading: tuple[str, ...]  # heading path from the top
    text: str                 # the clause's own text, cleaned
    order: int                # document order


@dataclass(frozen=True)
class ParsedForm:
    title: str
    text: str


@dataclass(frozen=True)
class ParsedDocument:
    title: str | None
    preamble: str
    clauses: list[ParsedClause]
    forms: list[ParsedForm]
    dropped: list[str] = field(default_factory=list)   # what was left out (contents lines …), in Japanese
