"""Measure every question set here at once, one aggregate line per set (a tool for developers, not a test).

    .venv/bin/python tests/data/measure.py              # development sets
    .venv/bin/python tests/data/measure.py --blind      # the blind sets: read the aggregate lines only
    .venv/bin/python tests/data/measure.py --only dev2,sweep3 --dump /tmp/rows   # per-question rows (never for blind sets)
    .venv/bin/python tests/data/measure.py --in-process  # the same totals without a `mamoru` process per set (~10x faster)

Builds three databases once in --db (default /tmp/mamoru-sets): the shipped documents; those plus the
attachments of attachments_new/manifest.json (questions with source anN); and the ten attachments of
../shared/corpus (source dvN), each loaded through the real `mamoru kb add`. Every line of a set is
asked through `mamoru ask --jsonl` against the database its source lives in, and counted the way
../shared/eval/evaluate.py counts (gold after NFKC with white space removed, in a clause of at most
320 characters). Keep the blind sets of README.md blind: no --dump, no reading of their lines.
"""
import argparse
import concurrent.futures as cf
import functools
import json
import os
import re
import sqlite3
import subprocess
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SHARED = ROOT.parent / "shared"
MAMORU = ROOT / ".venv" / "bin" / "mamoru"
DEV = ["heldout", "colloquial", "blind", "dev3", "dev4", "blind3", "blind4", "blind5", "english", "english2", "sweep",
       "offsetting_probe", "attach_dev", "attach_blind", "attach_blind2", "attach_blind3", "sweep2", "sweep3",
       "blind_corpus", "dev3_corpus", "offsetting", "blind6", "attach_blind4", "blind7", "attach_blind5", "dev5", "attach_dev2", "vdq", "vdq2", "vdq5", "long", "long2", "long3"]
BLIND = ["blind2", "blind2_corpus", "blind8", "blind9", "attach_blind6", "vdq3", "vdq4", "vdq6"]


def norm(s):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def db_of(q):
    s = q.get("source") or ""
    return "attach" if s.startswith("an") else "corpus" if s.startswith("dv") else "vdocs" if s.startswith("vd") else "shipped"


def run(args, db, **kw):
    return subprocess.run([str(MAMORU), *args], env=dict(os.environ, MAMORU_DB=str(db)), capture_output=True,
                          text=True, encoding="utf-8", **kw)


def build(dbdir: Path):
    dbdir.mkdir(parents=True, exist_ok=True)
    for name in ("shipped", "attach", "corpus", "vdocs"):
        db = dbdir / f"{name}.db"
        if db.exists():
            continue
        run(["kb", "list"], db)   # loads the shipped documents
        docs = []
        if name == "attach":
            new = HERE / "attachments_new"
            docs = [(new / m["file"], m) for m in json.loads((new / "manifest.json").read_text(encoding="utf-8"))]
        elif name == "corpus":
            docs = [(SHARED / "corpus" / g["file"], g) for g in
                    (json.loads(l) for l in (SHARED / "corpus" / "gold.jsonl").read_text(encoding="utf-8").splitlines() if l.strip())]
        elif name == "vdocs":
            docs = [(p, _vd_meta(p)) for p in sorted(VERDICTS.glob("vd*.*"), key=lambda p: int(re.sub(r"\D", "", p.name.split(".")[0])))
                    if not p.name.endswith(".source.txt")]
        for path, m in docs:
            r = run(["kb", "add", str(path), "--slug", m["slug"], "--municipality", m["municipality"], "--title", m["title"]], db)
            if r.returncode:
                sys.exit(f"kb add {path.name}: {r.stderr[-300:]}")


VERDICTS = HERE / "verdicts"


def _vd_meta(path: Path) -> dict:
    """Slug, title and city of a verdict attachment (tests/data/verdicts), from its clean text's first lines."""
    slug = path.name.split(".")[0]
    clean = VERDICTS / f"{slug}.source.txt"
    lines = [l.strip() for l in (clean if clean.exists() else path).read_text(encoding="utf-8").splitlines() if l.strip()]
    title = next((l for l in lines[:3] if len(l) > 6), lines[0])
    city = re.match(r"(.{1,6}?[市町村])", title)
    return {"slug": slug, "title": title[:80], "municipality": city.group(1) if city else "架空市"}


@functools.lru_cache(maxsize=None)
def _open(db: Path):
    from storage.db import open_db
    return open_db(db)


def answers_in_process(db: Path, qs: list[dict]) -> list[dict]:
    """What `mamoru ask --jsonl --top 5` prints, from handlers.ask in this process (--in-process: the
    same totals in a tenth of the time; one thread, since a database connection stays in its thread)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from handlers import ask
    outs = []
    for q in qs:
        a = ask.answer(_open(db), str(q.get("q") or ""), source=q.get("source"), top=5)
        outs.append({"id": q.get("id"), "found": a.found, "hits": [{"text": h.text, "citation": h.citation} for h in a.hits]})
    return outs


def score(job, dbdir, in_process=False):
    label, qs = job[0], job[2]
    if in_process:
        outs = answers_in_process(dbdir / f"{job[1]}.db", qs)
    else:
        feed = "".join(json.dumps({k: q[k] for k in ("id", "q", "source") if k in q}, ensure_ascii=False) + "\n" for q in qs)
        r = run(["ask", "--jsonl", "--top", "5"], dbdir / f"{job[1]}.db", input=feed)
        outs = [json.loads(l) for l in r.stdout.splitlines() if l.strip()]
        if len(outs) != len(qs):
            return label, f"FAIL: {r.stderr[-300:]}", None
    st = dict(h1=0, h3=0, ans=0, n=0, ab=0, nab=0)
    rows = []
    for q, o in zip(qs, outs):
        rank = None
        if q.get("abstain"):
            st["nab"] += 1
            st["ab"] += not o.get("found")
        else:
            st["n"] += 1
            st["ans"] += bool(o.get("found"))
            gold = [norm(g) for g in q["gold"]]
            for k, h in enumerate(o.get("hits") or []):
                t = norm(h.get("text"))
                if len(t) <= 320 and any(g in t for g in gold):
                    rank = k
                    break
            st["h1"] += rank == 0
            st["h3"] += rank is not None and rank < 3
        rows.append(dict(id=q["id"], q=q["q"], source=q.get("source"), abstain=bool(q.get("abstain")),
                         found=bool(o.get("found")), rank=rank, top=[h.get("citation") for h in (o.get("hits") or [])[:3]]))
    n = max(st["n"], 1)
    line = (f"hit@1 {st['h1']}/{st['n']} ({st['h1'] / n:.2f}) hit@3 {st['h3']}/{st['n']} ({st['h3'] / n:.2f}) "
            f"answered {st['ans']}/{st['n']} declined {st['ab']}/{st['nab']}")
    return label, line, (st, rows)


@functools.lru_cache(maxsize=None)
def _clause_texts(db: Path) -> tuple[tuple[str, str], ...]:
    """(document slug, clause text as gold is compared) of every clause short enough to count."""
    with sqlite3.connect(db) as con:
        rows = [(slug, norm(text)) for slug, text in con.execute("select doc_slug, text from clauses")]
    return tuple((slug, t) for slug, t in rows if len(t) <= 320)


def _as_worker(q: dict, dbdir: Path) -> dict:
    """The question with the source of the one document whose clause holds its gold, when it has no source
    and its gold is in exactly one document (an off-topic line, or a gold two documents share, stays as it is)."""
    if q.get("source") or q.get("abstain"):
        return q
    gold = [norm(g) for g in q["gold"]]
    slugs = {slug for slug, text in _clause_texts(dbdir / f"{db_of(q)}.db") if any(g in text for g in gold)}
    return {**q, "source": slugs.pop()} if len(slugs) == 1 else q


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--blind", action="store_true")
    ap.add_argument("--only")
    ap.add_argument("--dump")
    ap.add_argument("--db", default="/tmp/mamoru-sets")
    ap.add_argument("--in-process", action="store_true",
                    help="answer in this process (handlers.ask) rather than through `mamoru ask --jsonl`: same totals, faster")
    ap.add_argument("--as-worker", action="store_true",
                    help="ask each question without a source as a worker of the contract its gold is in would "
                         "(scoped to that document), as a registered worker's answers are")
    a = ap.parse_args()
    names = a.only.split(",") if a.only else (BLIND if a.blind else ["dev", "dev2"] + DEV + ["corpus"])
    if a.dump and any(n in BLIND for n in names):
        sys.exit("no --dump for a blind set")
    paths = {"dev": SHARED / "eval" / "questions_dev.jsonl", "dev2": SHARED / "eval" / "questions_dev2.jsonl",
             "corpus": SHARED / "corpus" / "questions.jsonl"}
    dbdir = Path(a.db)
    build(dbdir)
    jobs = []
    for name in names:
        path = paths.get(name, HERE / f"questions_{name}.jsonl")
        if not path.exists():
            print(f"{name:28s} (no {path.name} yet)")
            continue
        qs = [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
        if a.as_worker:
            qs = [_as_worker(q, dbdir) for q in qs]
        groups = {}
        for q in qs:
            groups.setdefault(db_of(q), []).append(q)
        jobs += [(f"{name}/{db}" if len(groups) > 1 else name, db, g) for db, g in groups.items()]
    total = dict(h1=0, h3=0, ans=0, n=0, ab=0, nab=0)
    with cf.ThreadPoolExecutor(1 if a.in_process else 2) as ex:
        for label, line, result in ex.map(lambda j: score(j, dbdir, a.in_process), jobs):
            print(f"{label:28s} {line}", flush=True)
            if result:
                for k in total:
                    total[k] += result[0][k]
                if a.dump:
                    Path(a.dump).mkdir(parents=True, exist_ok=True)
                    (Path(a.dump) / f"{label.replace('/', '_')}.json").write_text(
                        json.dumps(result[1], ensure_ascii=False, indent=0), encoding="utf-8")
    print(f"{'TOTAL':28s} hit@1 {total['h1']}/{total['n']} hit@3 {total['h3']} answered {total['ans']}/{total['n']} "
          f"declined {total['ab']}/{total['nab']}")


if __name__ == "__main__":
    main()
