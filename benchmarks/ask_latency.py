"""Answer latency (p50/p95) on the shipped documents and on a generated 10,000-clause corpus,
and the time to load the four shipped documents into a fresh database.

    .venv/bin/python benchmarks/ask_latency.py [--clauses 10000] [--questions 400]
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handlers import ask  # noqa: E402
from knowledge import library  # noqa: E402
from knowledge.search import searcher_for  # noqa: E402
from storage import kb as kb_store  # noqa: E402
from storage.db import open_db  # noqa: E402

QUESTION_FILES = [ROOT / "tests" / "data" / "questions_heldout.jsonl", ROOT.parent / "shared" / "eval" / "questions_dev.jsonl"]


def questions(n: int, rng: random.Random) -> list[str]:
    qs = []
    for f in QUESTION_FILES:
        if f.exists():
            qs += [json.loads(line)["q"] for line in f.open(encoding="utf-8") if line.strip()]
    qs = qs or ["離席するときは画面をロックする必要がありますか"]
    return [rng.choice(qs) for _ in range(n)]


def percentile(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, int(round(p / 100 * len(xs))) - 1))]


def measure(db, qs: list[str]) -> tuple[float, float]:
    searcher_for(db)  # the index is built once per process, not per question
    lat = []
    for q in qs:
        t0 = time.perf_counter()
        ask.answer(db, q)
        lat.append((time.perf_counter() - t0) * 1000)
    return statistics.median(lat), percentile(lat, 95)


def generated_document(n_clauses: int, rng: random.Random, sentences: list[str]) -> str:
    """第N条 articles of 1-4 paragraphs with items, sentences recombined from the shipped rules."""
    out, count, art = [], 0, 0
    while count < n_clauses:
        art += 1
        out.append(f"（{rng.choice(sentences)[:12]}）\n\n第{art}条 {rng.choice(sentences)}{rng.choice(sentences)}\n")
        count += 1
        for p in range(2, min(rng.randint(2, 4), n_clauses - count + 1) + 1):
            out.append(f"{p} {rng.choice(sentences)}\n")
            count += 1
        for i in range(1, min(rng.randint(0, 6), n_clauses - count) + 1):
            out.append(f"({i}) {rng.choice(sentences)}\n")
            count += 1
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clauses", type=int, default=10000)
    ap.add_argument("--questions", type=int, default=400)
    a = ap.parse_args()
    rng = random.Random(7)
    qs = questions(a.questions, rng)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        db = open_db(Path(tmp) / "bench.db")
        library.ensure_builtin(db)
        load_s = time.perf_counter() - t0
        n_shipped = sum(d["clause_count"] for d in kb_store.documents(db))
        p50, p95 = measure(db, qs)
        print(f"load four shipped documents into a fresh database: {load_s * 1000:.0f} ms ({n_shipped} clauses)")
        print(f"shipped documents: p50 {p50:.1f} ms, p95 {p95:.1f} ms over {len(qs)} questions")

        sentences = [c["text"] for c in kb_store.clauses_for_index(db) if len(c["text"]) > 15]
        db2 = open_db(Path(tmp) / "big.db")
        text = generated_document(a.clauses, rng, sentences)
        t0 = time.perf_counter()
        r = library.load_text(db2, text, slug="generated", title="生成文書", municipality="架空市")
        gen_load = time.perf_counter() - t0
        t0 = time.perf_counter()
        searcher_for(db2)
        build = time.perf_counter() - t0
        p50, p95 = measure(db2, qs)
        print(f"generated corpus: {r.clauses} clauses loaded in {gen_load:.1f} s, index built in {build * 1000:.0f} ms")
        print(f"generated corpus: p50 {p50:.1f} ms, p95 {p95:.1f} ms over {len(qs)} questions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
