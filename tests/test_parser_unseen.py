"""Attachments in layouts the development corpus does not have (tests/fixtures/parser_unseen/,
made by its make.py the way cities make them), loaded through the real loader into a real SQLite
file: every rule unit is one clause with the citation the corpus convention prescribes, nothing
else carries text (no page furniture, headers, contents, forms, dates, contact lines), nothing is
lost, and a scan is refused in Japanese with nothing loaded."""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

import unseen_layouts
from conftest import run_mamoru
from knowledge import library
from storage import kb as kb_store
from storage.db import open_db

HERE = Path(__file__).parent / "fixtures" / "parser_unseen"
EXPECTED = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))
LOADABLE = [name for name, e in EXPECTED.items() if not e["refused"]]

FURNITURE = unseen_layouts.FURNITURE
_norm = unseen_layouts.norm
_cites = unseen_layouts.cites


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    db = open_db(tmp_path_factory.mktemp("unseen") / "mamoru.db")
    reports = {}
    for name in LOADABLE:
        slug = name.split("_")[0]
        reports[name] = library.load_file(db, (HERE / name).read_bytes(), name=name, slug=slug, title=None,
                                          municipality=EXPECTED[name]["municipality"])
    return db, reports


@pytest.mark.parametrize("name", LOADABLE)
def test_every_unit_is_one_clause_with_its_citation(loaded, name):
    db, _ = loaded
    rows = kb_store.clauses_of(db, name.split("_")[0])
    wrong, lost, used = [], [], set()
    for unit in EXPECTED[name]["clauses"]:
        hits = [r for r in rows if unit["frag"] in _norm(r["text"])]
        if not hits:
            lost.append(unit["label"])
            continue
        used.update(r["id"] for r in hits)
        best = min(hits, key=lambda r: len(r["text"]))
        if not _cites(best["citation"], [unit["label"], *unit["alt"]]):
            wrong.append((unit["label"], best["citation"]))
    extra = [(r["label"], r["text"][:40]) for r in rows if r["text"].strip() and r["id"] not in used]
    assert not lost, f"units lost: {lost}"
    assert not wrong, f"wrong citations: {wrong}"
    assert not extra, f"clauses that are no rule unit: {extra}"
    assert sum(1 for r in rows if r["text"].strip()) == len(EXPECTED[name]["clauses"])


@pytest.mark.parametrize("name", LOADABLE)
def test_no_furniture_inside_any_clause(loaded, name):
    db, _ = loaded
    for r in kb_store.clauses_of(db, name.split("_")[0]):
        text = unicodedata.normalize("NFKC", r["text"])
        for pattern in FURNITURE:
            assert not re.search(pattern, text, re.M), (r["label"], pattern, text)


def test_titles_are_the_documents_not_the_town_or_a_running_header(loaded):
    _, reports = loaded
    titles = {name: r.title for name, r in reports.items()}
    assert titles["u01_chapters.pdf"] == "業務委託に係る情報セキュリティ特記事項"     # a title page with the town above
    assert titles["u03_table.docx"] == "個人情報取扱業務委託特記事項"
    assert titles["u05_circled.txt"] == "南風町情報セキュリティ遵守事項"             # a running header line first
    assert titles["u10_hyphen.txt"] == "若松町委託業務情報セキュリティ遵守事項"


def test_forms_and_furniture_are_reported_not_loaded(loaded):
    db, reports = loaded
    assert [_norm(f["title"]) for f in kb_store.forms_of(db, "u09")] == ["誓約書"]
    u05 = "\n".join(reports["u05_circled.txt"].lines_ja())
    assert "南風町　情報セキュリティ遵守事項" in u05 and "欄外" in u05
    u12 = "\n".join(reports["u12_pdfcopy.txt"].lines_ja())
    assert "末尾の日付" in u12


def test_a_scan_is_refused_through_the_command_with_nothing_loaded(tmp_path):
    db = tmp_path / "scan.db"
    r = run_mamoru(["kb", "add", str(HERE / "u08_scan.pdf"), "--municipality", "白石町", "--slug", "u08"], db)
    assert r.returncode != 0
    assert "文字の情報がありません" in r.stderr + r.stdout and "OCR" in r.stderr + r.stdout
    listed = run_mamoru(["kb", "list"], db)
    assert "u08" not in listed.stdout


def test_the_command_line_prints_the_citations(tmp_path):
    """One attachment end to end through `mamoru kb add` and `kb show`, as a user does."""
    db = tmp_path / "cli.db"
    add = run_mamoru(["kb", "add", str(HERE / "u11_paren.docx"), "--municipality", "東山町", "--slug", "u11"], db)
    assert add.returncode == 0, add.stderr
    shown = run_mamoru(["kb", "show", "u11"], db).stdout
    for label in ("第2条第1項第2号(b)", "第3条第2項", "附則第2項", "別紙2"):
        assert f"\t{label}\t" in shown, label
    one = run_mamoru(["kb", "show", "u11:x1.s2", "--json"], db).stdout
    assert json.loads(one)["citation"] == "東山町窓口業務委託個人情報保護特記事項 別紙2"   # the title names the town
