"""Clauses the bot loaded that are not in the attachment's own text (a tool for developers, not a test).

    .venv/bin/python tests/data/verdicts/junk.py            # every vdN attachment of this folder
    .venv/bin/python tests/data/verdicts/junk.py vd89 vd50  # some of them
    .venv/bin/python tests/data/verdicts/junk.py --dir tests/data/attachments_new   # any folder of X.ext + X.source.txt
    .venv/bin/python tests/data/verdicts/junk.py --lost     # the other way round: source lines no clause holds

A verdict key only checks the units it names: an old 改正前 column, a page header or a site menu loaded as
clauses beside them scores 100 %. Each vdN is loaded through the real loader (as `mamoru kb add` does) and
every clause's text is compared with vdN.source.txt, the writer's clean copy of the text in force: a clause
of which fewer than MIN_SHARE of its 6-character pieces (NFKC, white space removed) occur in the source is
listed. Labels the parser adds to table rows (「見出し: 値」) and list marks are compared without the label.
With --lost, each sentence of the source (a line of 15 characters or more ending a sentence) of which fewer than MIN_SHARE of its pieces occur in
the loaded clauses, headings, forms and the document's title is listed instead: text the loader dropped.
"""
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

N = 6
MIN_SHARE = 0.5


def norm(s):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def pieces(s):
    return {s[i:i + N] for i in range(max(len(s) - N + 1, 1))} if s else set()


def share(text, source_pieces):
    # 「区分: 遵守事項」 rows: each part is compared on its own, the whole counted by its pieces
    parts = [norm(p) for p in re.split(r"[:：]\s", text or "") if norm(p)]
    got = [pieces(p) for p in parts]
    total = sum(len(g) for g in got)
    return sum(len(g & source_pieces) for g in got) / total if total else 1.0


ATTACHMENT = (".pdf", ".docx", ".html", ".htm", ".txt", ".md")


def junk_clauses(db, slug: str, source: Path) -> list[tuple[str, str]]:
    """(label, text) of the loaded clauses of ``slug`` that the clean source text does not hold."""
    src = pieces(norm(source.read_text(encoding="utf-8")))
    rows = list(db["clauses"].rows_where("doc_slug = ? and text != ''", [slug]))
    return [(r["label"], r["text"]) for r in rows if len(norm(r["text"])) >= N and share(r["text"], src) < MIN_SHARE]


def lost_lines(db, slug: str, source: Path) -> list[tuple[str, str]]:
    """("LOST", line) of the source's sentences that no clause, heading, form or title of ``slug`` holds."""
    loaded = [r["text"] or "" for r in db["clauses"].rows_where("doc_slug = ?", [slug])]
    loaded += [" ".join(json.loads(r["heading"] or "[]")) + (r["label"] or "")
               for r in db["clauses"].rows_where("doc_slug = ?", [slug])]
    loaded += [(f["title"] or "") + (f["text"] or "") for f in db["forms"].rows_where("doc_slug = ?", [slug])]
    loaded += [d["title"] or "" for d in db["documents"].rows_where("slug = ?", [slug])]
    have = set().union(*(pieces(norm(t)) for t in loaded)) if loaded else set()
    # (sentences only: a heading, a date, a department or a signature field is dropped or kept apart on purpose)
    return [("LOST", ln) for ln in source.read_text(encoding="utf-8").splitlines()
            if len(norm(ln)) >= 15 and re.search(r"。|こと$|ない$", norm(ln)) and share(ln, have) < MIN_SHARE]


def main():
    args = sys.argv[1:]
    folder = HERE
    if "--dir" in args:
        at = args.index("--dir")
        folder = Path(args[at + 1]).resolve()
        args = args[:at] + args[at + 2:]
    lost = "--lost" in args
    args = [a for a in args if a != "--lost"]
    wanted = set(args)
    docs = sorted((p for p in folder.iterdir() if p.suffix in ATTACHMENT and not p.name.endswith(".source.txt")
                   and (folder / f"{p.name.split('.')[0]}.source.txt").exists()),
                  key=lambda p: (re.sub(r"\d", "", p.name.split(".")[0]), int(re.sub(r"\D", "", p.name.split(".")[0]) or 0)))
    db = open_db(Path(tempfile.mkdtemp()) / "j.db")
    flagged = 0
    for path in docs:
        slug = path.name.split(".")[0]
        if wanted and slug not in wanted:
            continue
        source = folder / f"{slug}.source.txt"
        library.load_file(db, path.read_bytes(), name=path.name, slug=slug, title=None, municipality="架空市")
        found = lost_lines(db, slug, source) if lost else junk_clauses(db, slug, source)
        flagged += len(found)
        for label, text in found:
            print(f"{slug}\t{label}\t{norm(text)[:80]}")
    print(f"lost: {flagged} source line(s) no clause holds" if lost else
          f"junk: {flagged} clause(s) not in their attachment's source text")


if __name__ == "__main__":
    main()
