"""A PDF made from Word whose clause numbers are typed with a full-width space after them
(tests/fixtures/pdf_spacing/make.py), and one numbered 1 / 1.1 / 1.2: the text layer gives that space as a plain one between
Japanese characters, which is otherwise layout. Read through the real `mamoru kb add`."""
from __future__ import annotations

import json
from pathlib import Path

from conftest import run_mamoru

FILES = Path(__file__).parent / "fixtures" / "pdf_spacing"


def _tree(db_path, name: str) -> dict[str, dict]:
    r = run_mamoru(["kb", "add", str(FILES / name), "--slug", "hoshu", "--municipality", "架空市"], db_path)
    assert r.returncode == 0, r.stderr
    r = run_mamoru(["kb", "show", "hoshu", "--json"], db_path)
    assert r.returncode == 0, r.stderr
    return {c["label"]: c for c in json.loads(r.stdout)["clauses"]}


def test_articles_and_paragraphs_keep_their_numbers(db_path):
    tree = _tree(db_path, "articles.pdf")
    # 「第１条 この…」 is article 1, not a paragraph 「第１条この…」 under the heading 目的
    assert tree["第1条"]["text"].startswith("この特記事項は、受注者が")
    assert tree["第1条"]["heading"] == ["目的"]
    assert tree["第2条第1項"]["text"] == "受注者は、本業務で知り得た情報を他に漏らしてはならない。"
    assert tree["第2条第2項"]["text"] == "受注者は、本業務が終了した後も、前項の義務を負う。"
    assert tree["第2条第3項"]["text"].startswith("受注者は、作業従事者に前２項の")


def test_a_decimal_section_after_a_full_line_starts_a_new_clause(db_path):
    tree = _tree(db_path, "decimal.pdf")
    assert tree["1.2 用語"]["text"] == "本書において「保守情報」とは、本業務で取り扱う情報をいう。"
    texts = {c["text"] for c in tree.values()}
    assert any(t.endswith("その内容を届け出る。") for t in texts)          # 1.1's body ends where it ends
    assert "本書において「保守情報」とは、本業務で取り扱う情報をいう。" in texts   # 1.2 is its own clause
    assert not any("1.2" in t for t in texts)
