#!/usr/bin/env python3
"""Check a corpus-style set's committed files (corpus2, corpus3) on their own (no python-docx or LibreOffice; pdftotext for
the PDFs):

- every gold fragment is 10-30 characters after NFKC and white-space removal, unchanged by
  NFKC, found exactly once in its docN.source.txt (NFKC, white space removed), on a single line
  of it that is neither the title nor a heading, and present in the text extracted from the
  delivered file (pdftotext for PDFs, word/document.xml for DOCX, tags stripped for HTML);
- labels are unique per document, 25-45 clauses per document;
- every question's gold is the fragment of exactly one gold clause of its own document;
  6 questions in scope and 2 out of scope per document, ids unique.

    python3 tests/data/corpus2/check.py [DIR]      # DIR defaults to corpus2; exits 1 on any problem
"""
import html, json, re, subprocess, sys, unicodedata, zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def norm(s):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def extracted(path):
    if path.suffix == ".pdf":
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as z:
            x = z.read("word/document.xml").decode("utf-8")
        return re.sub(r"<[^>]+>", "", x.replace("</w:p>", "\n"))
    if path.suffix == ".html":
        return html.unescape(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8")))
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp932")


HEADING = re.compile(r"^\s*([（(][^）)]+[）)]|[０-９0-9]+　[^\s。]{1,20})\s*$")   # a heading has no 。 (a short 別表 row has)


def main(here=None):
    here = Path(here or (sys.argv[1] if len(sys.argv) > 1 else HERE)).resolve()
    problems = []
    golds = [json.loads(l) for l in open(here / "gold.jsonl", encoding="utf-8") if l.strip()]
    qs = [json.loads(l) for l in open(here / "questions.jsonl", encoding="utf-8") if l.strip()]
    frags = {}
    for g in golds:
        src = (here / (g["doc"] + ".source.txt")).read_text(encoding="utf-8")
        whole = norm(src)
        lines = [ln for ln in src.splitlines() if ln.strip()]
        ext = norm(extracted(here / g["file"]))
        labels = [c["label"] for c in g["clauses"]]
        if len(set(labels)) != len(labels):
            problems.append(f"{g['doc']}: duplicate labels")
        if not 25 <= len(labels) <= 45:
            problems.append(f"{g['doc']}: {len(labels)} clauses")
        for c in g["clauses"]:
            f, nf = c["frag"], norm(c["frag"])
            where = f"{g['doc']} {c['label']} {f}"
            if unicodedata.normalize("NFKC", f) != f:
                problems.append(f"{where}: changed by NFKC")
            if not 10 <= len(nf) <= 30:
                problems.append(f"{where}: {len(nf)} characters")
            if whole.count(nf) != 1:
                problems.append(f"{where}: {whole.count(nf)} times in the source text")
            holders = [ln for ln in lines if nf in norm(ln)]
            if len(holders) != 1 or norm(holders[0]) == norm(g["title"]) or HEADING.match(holders[0]):
                problems.append(f"{where}: not on one rule line of the source text")
            if nf not in ext:
                problems.append(f"{where}: not in the delivered file's extracted text")
            frags.setdefault(g["slug"], {})[nf] = c["label"]
    ids = [q["id"] for q in qs]
    if len(set(ids)) != len(ids):
        problems.append("duplicate question ids")
    for g in golds:
        mine = [q for q in qs if q["source"] == g["slug"]]
        n_in = sum(1 for q in mine if not q.get("abstain"))
        if (n_in, len(mine) - n_in) != (6, 2):
            problems.append(f"{g['slug']}: {n_in} questions in scope, {len(mine) - n_in} out of scope")
    for q in qs:
        if q.get("abstain"):
            if q["gold"]:
                problems.append(f"{q['id']}: out of scope with a gold")
            continue
        for x in q["gold"]:
            hits = [lab for f, lab in frags.get(q["source"], {}).items() if norm(x) in f]
            if len(hits) != 1:
                problems.append(f"{q['id']}: gold inside {len(hits)} gold clauses")
    n = sum(len(g["clauses"]) for g in golds)
    print(f"{len(golds)} documents, {n} clauses, {sum(1 for q in qs if not q.get('abstain'))} questions + "
          f"{sum(1 for q in qs if q.get('abstain'))} out of scope: {'OK' if not problems else 'PROBLEMS'}")
    for p in problems:
        print("  " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
