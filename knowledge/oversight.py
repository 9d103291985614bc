"""The clauses oversight messages cite (knowledge/oversight/clauses.toml, reviewed as content)."""
from __future__ import annotations

import functools
import tomllib
from pathlib import Path

FILE = Path(__file__).resolve().parent / "oversight" / "clauses.toml"


@functools.cache
def _all() -> dict[str, tuple[str, ...]]:
    data = tomllib.loads(FILE.read_text(encoding="utf-8"))
    return {name: tuple(part["clauses"]) for name, part in data.items()}


def clauses(name: str) -> tuple[str, ...]:
    """The clause ids of one list ("access", "roster", "audit", "deletion")."""
    return _all()[name]


@functools.cache
def about(name: str) -> tuple[tuple[str, ...], str]:
    """What one list is about (concept ids, "a+b" both) and says (its `why`): finds the clause in a contract's
    own documents when they hold none of the listed ones (knowledge/basis.py)."""
    part = tomllib.loads(FILE.read_text(encoding="utf-8"))[name]
    return tuple(part.get("concepts") or ()), str(part.get("why") or "")


def names() -> list[str]:
    return sorted(_all())
