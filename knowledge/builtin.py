"""The documents mamoru ships (knowledge/sources/) and the content hash a stored copy carries.

Standard library only: `kb show` checks the stored copies are current before reading them
without the loader (knowledge/library.py loads them, and uses the same hash).
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

PARSER_VERSION = "6"  # bump when parsing or indexing changes, so stored documents are rebuilt
SOURCES_DIR = Path(__file__).with_name("sources")


def shipped_sources() -> list[dict]:
    return json.loads((SOURCES_DIR / "sources.json").read_text(encoding="utf-8"))


def content_hash(text: str, *, slug: str, title: str, municipality: str | None, fmt: str) -> str:
    """What loading this text under these names stores; the same again means nothing changed."""
    meta = json.dumps([PARSER_VERSION, slug, title, municipality, fmt], ensure_ascii=False)
    return hashlib.sha256((meta + "\n" + text).encode("utf-8")).hexdigest()


def shipped_text(source: dict) -> str:
    return (SOURCES_DIR / source["file"]).read_text(encoding="utf-8")


def shipped_hashes() -> dict[str, str]:
    """slug -> the content hash of each shipped document as ensure_builtin loads it."""
    return {s["slug"]: content_hash(shipped_text(s), slug=s["slug"], title=s["title"],
                                    municipality=s.get("municipality"), fmt="auto")
            for s in shipped_sources()}
