"""Loading attachments: time and peak memory (each load in a fresh process) for the corpus's largest
PDF, a generated 300-page Word-made PDF and the same document saved as Word 97-2003 (.doc), a generated 300-row checklist workbook (.xlsx, made with openpyxl as a
city lays one out: merged title and sections, wrapped items, □, 備考) and a 20 MB text file (refused), and `ask` p95 before and
after loading them; and the parser alone on a flat list of 20,000 items (・項目N…), the shape that
once made it quadratic (tests/test_parser.py checks the result, this measures the time).

    .venv/bin/python benchmarks/load_attachments.py [--pages 300] [--rows 300] [--list-items 20000]

The 300-page PDF is made once with python-docx and LibreOffice (`soffice`) and kept in the temp
folder; without LibreOffice, the committed test PDF's pages are repeated to 300 pages instead.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

CORPUS = ROOT.parent / "shared" / "corpus"
FIXTURES = ROOT / "tests" / "fixtures" / "parser_files"
CACHE = Path(tempfile.gettempdir()) / "mamoru-bench"

_ONE_LOAD = r"""
import json, resource, sys, time
from pathlib import Path
from knowledge import library
from storage.db import open_db
db = open_db(sys.argv[1])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
data = Path(sys.argv[2]).read_bytes()
t0 = time.perf_counter()
try:
    r = library.load_file(db, data, name=Path(sys.argv[2]).name, slug=sys.argv[3], title=None, municipality="架空市")
    out = {"clauses": r.counts.get("clauses"), "pages": r.pages, "warnings": len(r.warnings)}
except library.LoadRefused as e:
    out = {"refused": e.message_ja[:60]}
out["seconds"] = time.perf_counter() - t0
out["rss_before_mb"] = before / 1024
out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out, ensure_ascii=False))
"""


def _make_module():
    spec = importlib.util.spec_from_file_location("fixture_make", FIXTURES / "make.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def generated_pdf(pages: int) -> Path:
    """A Word-made PDF of about ``pages`` pages: 第N条 with captions, paragraphs and items, header, footer."""
    out = CACHE / f"generated-{pages}p.pdf"
    if out.exists():
        return out
    CACHE.mkdir(parents=True, exist_ok=True)
    rng = random.Random(11)
    make = _make_module()
    from docx import Document
    sentences = ["受注者は、業務上知り得た情報を第三者に漏らしてはならない。", "受注者は、作業の記録を作成し、発注者の求めに応じて提出しなければならない。",
                 "受注者は、記録媒体を施錠できる保管庫に保管しなければならない。", "前項の規定は、契約が終了した後も同様とする。",
                 "受注者は、事故が発生したときは、直ちに発注者に報告しなければならない。", "受注者は、従事者に対し、研修を年１回以上実施しなければならない。"]
    d = Document()
    make._japanese(d)
    sec = d.sections[0]
    sec.header.paragraphs[0].text = "架空市　情報セキュリティ特記事項（ベンチマーク）"
    foot = sec.footer.paragraphs[0]
    make._page_field(foot)
    d.add_paragraph("情報セキュリティ特記事項（ベンチマーク）")
    art = 0
    while art < pages * 5:        # about five articles a page, as a Word-made attachment has
        art += 1
        d.add_paragraph(f"（事項{art}）")
        d.add_paragraph(f"第{art}条　" + "".join(rng.choice(sentences) for _ in range(2)))
        for p in range(2, rng.randint(2, 4)):
            d.add_paragraph(f"{p}　" + "".join(rng.choice(sentences) for _ in range(2)))
        for i in range(1, rng.randint(1, 4)):
            d.add_paragraph(f"（{i}）　" + rng.choice(sentences))
    docx = CACHE / f"generated-{pages}p.docx"
    d.save(docx)
    try:
        make.to_pdf(docx, out)
    except (OSError, subprocess.CalledProcessError):
        import pypdfium2 as pdfium    # no LibreOffice: repeat the committed test PDF's pages
        src = pdfium.PdfDocument(FIXTURES / "numbered.pdf")
        dst = pdfium.PdfDocument.new()
        while len(dst) < pages:
            dst.import_pages(src)
        dst.save(out)
    return out


def generated_doc(pages: int) -> Path | None:
    """The generated Word document of generated_pdf saved as Word 97-2003 (.doc) by LibreOffice, or None
    without LibreOffice (the .doc load is then not measured)."""
    out = CACHE / f"generated-{pages}p.doc"
    if out.exists():
        return out
    generated_pdf(pages)
    docx = CACHE / f"generated-{pages}p.docx"
    if not docx.exists():
        return None
    with tempfile.TemporaryDirectory() as tmp:
        try:
            subprocess.run(["soffice", "--headless", "--convert-to", "doc", "--outdir", tmp, str(docx)],
                           check=True, capture_output=True, timeout=300)
        except (OSError, subprocess.CalledProcessError, subprocess.TimeoutExpired):
            return None
        (Path(tmp) / (docx.stem + ".doc")).replace(out)
    return out


def checklist_workbook(rows: int) -> Path:
    """A checklist workbook of ``rows`` numbered rows: a margin column, a merged title and lead-in, 「No. | 確認項目 |
    確認欄 | 備考」, a merged section row every 20 rows, wrapped item text (some with Alt+Enter), □ and notes."""
    out = CACHE / f"checklist-{rows}rows.xlsx"
    if out.exists():
        return out
    CACHE.mkdir(parents=True, exist_ok=True)
    from openpyxl import Workbook
    from openpyxl.styles import Alignment
    rng = random.Random(5)
    items = ["作業場所に私物の記録媒体を持ち込まないこと。", "離席するときは、端末の画面をロックすること。",
             "個人情報を含む書類は、施錠できる書庫に保管すること。", "市の承認を得ずに、情報を複写しないこと。",
             "事故が発生したときは、直ちに市に報告すること。\nただし、夜間は翌朝までに報告すること。",
             "従事者に対し、年１回以上の研修を実施すること。"]
    wb = Workbook()
    ws = wb.active
    ws.title = "チェックシート"
    for col, w in zip("ABCDE", (2, 5, 60, 8, 20)):
        ws.column_dimensions[col].width = w
    ws.merge_cells("B2:E2")
    ws["B2"] = "ベンチマーク業務委託　情報セキュリティ遵守状況チェックシート"
    ws.merge_cells("B4:E4")
    ws["B4"] = "作業責任者は、毎月末日に各項目の遵守状況を確認し、市に提出すること。"
    for col, name in zip("BCDE", ("No.", "確認項目", "確認欄", "備考")):
        ws[f"{col}6"] = name
    r = 7
    for n in range(1, rows + 1):
        if n % 20 == 1:
            ws.merge_cells(f"B{r}:E{r}")
            ws[f"B{r}"] = f"{n // 20 + 1}　区分{n // 20 + 1}"
            r += 1
        ws[f"B{r}"] = n
        ws[f"C{r}"] = f"（項目{n}）" + rng.choice(items)
        ws[f"C{r}"].alignment = Alignment(wrap_text=True)
        ws[f"D{r}"] = "□"
        if n % 7 == 0:
            ws[f"E{r}"] = "市の承認を得た場合は可"
        r += 1
    wb.save(out)
    return out


def big_text(mb: int) -> Path:
    out = CACHE / f"big-{mb}mb.txt"
    if not out.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        block = "".join(f"第{i}条　受注者は、業務上知り得た情報を第三者に漏らしてはならない。\n" for i in range(1, 2001))
        data = block.encode("utf-8")
        with open(out, "wb") as fh:
            written = 0
            while written < mb * 1024 * 1024:
                fh.write(data)
                written += len(data)
    return out


def parse_flat_list(items: int, runs: int = 3) -> tuple[float, float, int]:
    """Best and worst of ``runs`` parses of a flat ・ list of ``items`` items, and the clauses found."""
    from knowledge.parser import parse
    text = "\n".join(f"・項目{i}を守ること。" for i in range(items))
    times, clauses = [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        clauses = len(parse(text).clauses)
        times.append(time.perf_counter() - t0)
    return min(times), max(times), clauses


def one_load(db: Path, path: Path, slug: str) -> dict:
    r = subprocess.run([sys.executable, "-c", _ONE_LOAD, str(db), str(path), slug], capture_output=True, text=True,
                       cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    if r.returncode != 0:
        return {"error": r.stderr.strip()[-300:]}
    return json.loads(r.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--questions", type=int, default=300)
    ap.add_argument("--rows", type=int, default=300)
    ap.add_argument("--list-items", type=int, default=20000)
    a = ap.parse_args()
    best, worst, clauses = parse_flat_list(a.list_items)
    print(f"parse a flat list of {a.list_items:,} items: {clauses:,} clauses in {best:.2f} s (worst of 3 runs {worst:.2f} s)")
    import ask_latency
    from storage.db import open_db
    from knowledge import library
    from knowledge.search import searcher_for

    files = []
    pdfs = sorted(CORPUS.glob("*.pdf"), key=lambda p: p.stat().st_size) if CORPUS.exists() else []
    if pdfs:
        files.append(("corpus's largest PDF", pdfs[-1], "corpus-pdf"))
    t0 = time.perf_counter()
    gen = generated_pdf(a.pages)
    print(f"(generated {gen.name} in {time.perf_counter() - t0:.1f} s, {gen.stat().st_size / 1024 / 1024:.1f} MB)")
    files.append((f"generated {a.pages}-page PDF", gen, "gen-pdf"))
    doc = generated_doc(a.pages)
    if doc is None:
        print("(no LibreOffice: the Word 97-2003 .doc load is not measured)")
    else:
        files.append((f"the same document as Word 97-2003 (.doc, {doc.stat().st_size / 1024 / 1024:.1f} MB)", doc, "gen-doc"))
    files.append((f"generated {a.rows}-row checklist workbook (.xlsx)", checklist_workbook(a.rows), "gen-xlsx"))
    files.append(("20 MB text file", big_text(20), "big-text"))

    rng = random.Random(7)
    qs = ask_latency.questions(a.questions, rng)
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "bench.db"
        db = open_db(db_path)
        library.ensure_builtin(db)
        p50, p95 = ask_latency.measure(db, qs)
        print(f"ask before loading: p50 {p50:.1f} ms, p95 {p95:.1f} ms over {len(qs)} questions")
        for label, path, slug in files:
            r = one_load(db_path, path, slug)
            if "error" in r:
                print(f"{label}: ERROR {r['error']}")
            elif "refused" in r:
                print(f"{label}: refused in {r['seconds']:.2f} s, peak RSS {r['peak_rss_mb']:.0f} MB: {r['refused']}")
            else:
                pages = f"{r['pages']} pages, " if r.get("pages") else ""
                print(f"{label}: {pages}{r['clauses']} clauses loaded in {r['seconds']:.2f} s, "
                      f"peak RSS {r['peak_rss_mb']:.0f} MB (process before loading {r['rss_before_mb']:.0f} MB)")
        db = open_db(db_path)              # a new process would see the same: the index is rebuilt for it
        import knowledge.search as search_mod
        if hasattr(search_mod, "_cache"):
            search_mod._cache.clear()
        t0 = time.perf_counter()
        searcher_for(db)
        build = time.perf_counter() - t0
        p50, p95 = ask_latency.measure(db, qs)
        print(f"ask after loading them: p50 {p50:.1f} ms, p95 {p95:.1f} ms (index rebuilt in {build * 1000:.0f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
