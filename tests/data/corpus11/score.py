#!/usr/bin/env python3
"""Score mamoru on corpus6 with the development corpus's own scorer (corpus2/score.py's runner, pointed here).

    python3 tests/data/corpus6/score.py [--mamoru PATH] [-v] [--keep]     # from the project root
"""
import importlib.util
from pathlib import Path

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("corpus2_score", HERE.parent / "corpus2" / "score.py")
runner = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(runner)

if __name__ == "__main__":
    raise SystemExit(runner.main(HERE))
