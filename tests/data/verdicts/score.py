"""Score the verdicts of the attachments in this folder against key.jsonl (a tool for developers, not a test).

    .venv/bin/python tests/data/verdicts/score.py              # key.jsonl (vd1-vd4): counts, confusion, mismatches
    .venv/bin/python tests/data/verdicts/score.py key2.jsonl   # another key of this folder
    .venv/bin/python tests/data/verdicts/score.py key10.jsonl vd37=vd37.source.txt   # a doc read from another file

Each vdN file (.txt, .docx, .pdf, .html; not the .source.txt) is loaded into a fresh database through the real loader (knowledge.library.load_file,
as `mamoru kb add` does); each key line names the one clause whose text holds its fragment (NFKC,
white space removed). Dangerous = 禁止 shown as 義務/励行/規定, or 義務 shown as 禁止 (as
../shared/eval/score_verdicts.py counts). A last line counts what a key cannot see (junk.py): clauses loaded that
the clean source text does not hold, and source sentences no clause holds.
"""
import collections
import json
import re
import sys
import tempfile
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from knowledge import library  # noqa: E402
from storage.db import open_db  # noqa: E402

sys.path.insert(0, str(HERE))
import junk as _junk  # noqa: E402  (the clauses a key cannot see: junk.py)

LABEL = {"prohibited": "禁止", "approval": "許可・承認が必要", "required": "義務", "encouraged": "励行", "info": "規定"}


def norm(s):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def dangerous(gold, bot):
    return (gold == "禁止" and bot in ("義務", "励行", "規定")) or (gold == "義務" and bot == "禁止")


def main():
    name = sys.argv[1] if len(sys.argv) > 1 else "key.jsonl"
    use = dict(a.split("=", 1) for a in sys.argv[2:])
    key = [json.loads(line) for line in (HERE / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    db = open_db(Path(tempfile.mkdtemp()) / "v.db")
    clauses = {}
    for doc in sorted({k["doc"] for k in key}):
        path = HERE / use[doc] if doc in use else \
            next(p for p in sorted(HERE.glob(f"{doc}.*")) if not p.name.endswith(".source.txt"))
        name = path.name.replace(".source", "")
        library.load_file(db, path.read_bytes(), name=name, slug=doc, title=None, municipality="架空市")
        clauses[doc] = list(db["clauses"].rows_where("doc_slug = ?", [doc]))
    right = bad = 0
    confusion = collections.Counter()
    misses = []
    for k in key:
        hold = [c for c in clauses[k["doc"]] if norm(k["frag"]) in norm(c["text"])]
        bot = LABEL.get(hold[0]["verdict"], "規定") if len(hold) == 1 else "未検出"
        confusion[(k["verdict"], bot)] += 1
        if bot == k["verdict"]:
            right += 1
        else:
            bad += dangerous(k["verdict"], bot)
            misses.append(("!!" if dangerous(k["verdict"], bot) else "  ", k["doc"], hold[0]["label"] if hold else "?",
                           k["verdict"], bot, (hold[0]["text"] if hold else k["frag"])[:70]))
    for m in misses:
        print(*m)
    print({f"{g}->{b}": n for (g, b), n in sorted(confusion.items()) if g != b})
    print(f"verdicts: {right}/{len(key)} correct ({right / max(len(key), 1):.2f}), dangerous {bad}")
    # A key checks only the units it names: an old 改正前 column or a page footer loaded beside them scores 100 %.
    extra, gone = [], []
    for doc in clauses:
        source = HERE / f"{doc}.source.txt"
        if source.exists():
            extra += [(doc, *x) for x in _junk.junk_clauses(db, doc, source)]
            gone += [(doc, *x) for x in _junk.lost_lines(db, doc, source)]
    for doc, label, text in extra + gone:
        print("  ", doc, label, _junk.norm(text)[:70])
    print(f"reading: {len(extra)} clause(s) not in the source text, {len(gone)} source sentence(s) no clause holds")


if __name__ == "__main__":
    main()
