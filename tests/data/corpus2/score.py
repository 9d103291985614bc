#!/usr/bin/env python3
"""Score mamoru on corpus2 (or another corpus-style set, see corpus3/score.py) with the development corpus's own scorer.

    python3 tests/data/corpus2/score.py [--mamoru PATH] [-v] [--keep]     # from the project root

A thin runner: it loads ../shared/corpus/score.py (found from the project root; in a git
worktree, from the main worktree's root), points its HERE at this folder (gold.jsonl,
questions.jsonl and the delivered files doc1.pdf … doc6.docx) and calls its main(), so the
options, the tables and the last line are the development corpus's:

    corpus: parse A/B correct, junk J, hit@1 x.xx hit@3 x.xx cite@1 x.xx abstain a/b

Always exits 0, as the shared scorer does.
"""
import importlib.util, subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]


def shared_score():
    cands = [ROOT.parent / "shared" / "corpus" / "score.py"]
    try:
        common = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--git-common-dir"],
                                capture_output=True, text=True).stdout.strip()
        if common:
            cands.append((ROOT / common).resolve().parent.parent / "shared" / "corpus" / "score.py")
    except OSError:
        pass
    return next((c for c in cands if c.is_file()), None), cands


def main(here: Path = HERE):
    path, cands = shared_score()
    if path is None:
        print(f"corpus: scorer error: score.py not found in {', '.join(str(c.parent) for c in cands)}")
        return 0
    spec = importlib.util.spec_from_file_location("corpus_score", path)
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    score.HERE = str(here)
    try:
        score.main()
    except Exception as e:          # the caller judges; never fail the run on our side
        print(f"corpus: scorer error {type(e).__name__}: {e}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
