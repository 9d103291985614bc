"""Items numbered as laws number them (「一　…」「二　…」) in a PDF made from Word.

LibreOffice writes the ideographic space after 「一」 as a gap, not a character; unless the PDF reader
keeps it, 「一　原本は…」 reads 「一原本は…」, the parser sees no item, and every item of a lead-in is
merged into one clause with one verdict (a 「してはならない」 list's last item shown under a duty).
The attachment is tests/data/attachments_new/an16.pdf (built by build.py from texts_blind5.py)."""
from __future__ import annotations

import json
from pathlib import Path

from conftest import run_mamoru

PDF = Path(__file__).parent / "data" / "attachments_new" / "an16.pdf"


def test_kanji_numbered_items_are_clauses_with_their_lead_ins_verdict(db_path):
    r = run_mamoru(["kb", "add", str(PDF), "--slug", "tsubaki", "--municipality", "椿ヶ丘市"], db_path)
    assert r.returncode == 0, r.stderr
    shown = run_mamoru(["kb", "show", "tsubaki", "--json"], db_path)
    tree = {c["label"]: c for c in json.loads(shown.stdout)["clauses"]}
    items = [tree.get(f"第8条第1項第{n}号") for n in (1, 2, 3)]
    assert all(items), sorted(tree)[:40]
    assert items[2]["text"] == "作業室に飲食物を持ち込むこと。"
    assert {c["verdict"] for c in items} == {"prohibited"}
    assert tree["第6条第1項第4号"]["text"].startswith("宅配便、郵便その他")
    assert tree["第4条第1項第1号"]["text"].startswith("公文書管理")
    # the lead-in stays whole and is not split where its own text wraps
    assert tree["第6条第1項"]["text"].endswith("次に掲げる事項を遵守しなければならない。")


def test_a_thin_kanji_at_the_end_of_a_wrapped_line_stays_in_the_sentence(db_path):
    """「…設定し、一」/「のＩＤを…」: 「一」 is a thin stroke and 「、」 sits low, so their boxes' middles differ by
    more than their own heights; that is no jump to another row, and the clause keeps no line break."""
    r = run_mamoru(["kb", "add", str(PDF), "--slug", "tsubaki", "--municipality", "椿ヶ丘市"], db_path)
    assert r.returncode == 0, r.stderr
    shown = run_mamoru(["kb", "show", "tsubaki", "--json"], db_path)
    tree = {c["label"]: c for c in json.loads(shown.stdout)["clauses"]}
    assert "設定し、一のＩＤを複数の作業員に使用させてはならない。" in tree["第11条第2項"]["text"]
