#!/usr/bin/env python3
"""Score mamoru on corpus8 with the development corpus's own scorer (corpus2/score.py's runner, pointed here).

    python3 tests/data/corpus8/score.py [--mamoru PATH] [-v] [--keep]     # from the project root

`is_junk` is the shared scorer's own, re-exported because the official build.py (copied here
unchanged) imports `score.is_junk` from this folder to check that form lines and page furniture
count as junk.
"""
import importlib.util
from pathlib import Path

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("corpus2_score", HERE.parent / "corpus2" / "score.py")
runner = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(runner)


_shared = None


def is_junk(text, label, frags, title):
    global _shared
    if _shared is None:
        path, _ = runner.shared_score()
        spec = importlib.util.spec_from_file_location("corpus_score", path)
        _shared = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(_shared)
    return _shared.is_junk(text, label, frags, title)


if __name__ == "__main__":
    raise SystemExit(runner.main(HERE))
