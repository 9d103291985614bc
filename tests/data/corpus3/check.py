#!/usr/bin/env python3
"""Check corpus3's committed files on their own: corpus2/check.py's checks, pointed here.

    python3 tests/data/corpus3/check.py        # exits 1 on any problem
"""
import importlib.util
from pathlib import Path

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("corpus2_check", HERE.parent / "corpus2" / "check.py")
checks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(checks)

if __name__ == "__main__":
    raise SystemExit(checks.main(HERE))
