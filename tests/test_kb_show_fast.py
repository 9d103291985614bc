"""`mamoru kb show ID --json` on a current database is read with the standard library alone
(review tools start it once per clause); anything else, or a database still to migrate or reload,
takes the ordinary path, and both print the same."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

from conftest import ROOT, run_mamoru

ID = "yoshikawa:a11.p1.i6"
PROBE = ("import sys, json; from bot.cli import main; rc = main(sys.argv[1:]); "
         "print(json.dumps({'rc': rc, 'heavy': 'sqlite_utils' in sys.modules, "
         "'judged': 'knowledge.verdict' in sys.modules}), file=sys.stderr)")


def show(db_path, *args) -> tuple[subprocess.CompletedProcess, dict]:
    r = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, encoding="utf-8",
                       env={**__import__("os").environ, "MAMORU_DB": str(db_path)}, cwd=ROOT, timeout=120)
    return r, json.loads(r.stderr.strip().splitlines()[-1])


def test_a_current_database_is_read_without_the_heavy_imports_and_says_the_same(db_path):
    first, how = show(db_path, "kb", "show", ID, "--json")            # no file yet: the ordinary path makes it
    assert how["rc"] == 0 and how["heavy"], first.stderr
    second, how = show(db_path, "kb", "show", ID, "--json")
    assert how == {"rc": 0, "heavy": False, "judged": False}, second.stderr
    assert second.stdout == first.stdout
    c = json.loads(second.stdout)
    assert c["id"] == ID and c["verdict"] == "prohibited" and c["verdict_reason"] and "terms" not in c
    assert c["citation"] == "吉川市 情報セキュリティ特記仕様書 第11条第1項第6号"
    # The installed command is the same entry point.
    assert run_mamoru(["kb", "show", ID, "--json"], db_path).stdout == first.stdout


def test_anything_else_takes_the_ordinary_path(db_path):
    show(db_path, "kb", "show", ID, "--json")
    for args in (["kb", "show", "yoshikawa", "--json"], ["kb", "show", ID], ["kb", "list"]):
        r, how = show(db_path, *args)
        assert how["rc"] == 0 and how["heavy"], (args, r.stderr)
    r, how = show(db_path, "kb", "show", "yoshikawa:no-such-clause", "--json")
    assert how["rc"] == 1 and how["heavy"] and "見つかりませんでした" in r.stderr


def test_a_stale_database_is_migrated_or_reloaded_first(db_path):
    show(db_path, "kb", "show", ID, "--json")
    with sqlite3.connect(db_path) as c:                                  # as if the shipped text had changed
        c.execute("UPDATE documents SET content_hash = 'old' WHERE slug = 'yoshikawa'")
    r, how = show(db_path, "kb", "show", ID, "--json")
    assert how["rc"] == 0 and how["heavy"] and json.loads(r.stdout)["id"] == ID
    with sqlite3.connect(db_path) as c:
        assert c.execute("SELECT content_hash FROM documents WHERE slug = 'yoshikawa'").fetchone()[0] != "old"
    r, how = show(db_path, "kb", "show", ID, "--json")                   # reloaded: fast once more
    assert how == {"rc": 0, "heavy": False, "judged": False}
    with sqlite3.connect(db_path) as c:                                  # a schema this code does not know
        c.execute("INSERT INTO _migrations (id, name, applied_at) SELECT MAX(id) + 1, 'newer', '' FROM _migrations")
    r, how = show(db_path, "kb", "show", ID, "--json")
    assert how["rc"] == 0 and how["heavy"] and json.loads(r.stdout)["id"] == ID


def test_the_reason_stored_at_loading_is_the_one_judged_again(db_path, tmp_path):
    """Each clause's reason is stored when its document loads (a review tool's kb show then need not judge
    the whole document again); it must be the reason judging the stored clauses again gives."""
    from knowledge import verdict

    att = tmp_path / "att.txt"
    att.write_text("第1条 乙は、次に掲げる行為をしてはならない。\n一 書類を持ち出すこと。\n"
                   "第2条 乙は、甲の承認を得た場合を除き、再委託してはならない。\n"
                   "第3条 甲は、必要に応じて実地調査を行うことができる。\n", encoding="utf-8")
    assert run_mamoru(["kb", "add", str(att), "--slug", "att", "--title", "特記事項"], db_path).returncode == 0
    with sqlite3.connect(db_path) as c:
        c.row_factory = sqlite3.Row
        slugs = [r[0] for r in c.execute("SELECT slug FROM documents")]
        assert {"yoshikawa", "soka", "nagano", "hozen", "att"} <= set(slugs)
        for slug in slugs:
            rows = [dict(r) for r in c.execute("SELECT * FROM clauses WHERE doc_slug = ? ORDER BY ord", [slug])]
            for r in rows:
                r["heading"] = json.loads(r["heading"])
            preamble = c.execute("SELECT preamble FROM documents WHERE slug = ?", [slug]).fetchone()[0] or ""
            again = verdict.reasons(rows, preamble)
            assert all(r["verdict_reason"] is not None for r in rows), slug
            assert {r["id"]: r["verdict_reason"] for r in rows} == again, slug
        assert c.execute("SELECT verdict_reason FROM clauses WHERE id = 'att:a3'").fetchone()[0]


def test_clauses_stored_before_reasons_were_get_theirs(db_path):
    """A database from before migration 18 holds no reasons: kb show judges again, and the next ordinary
    start stores them."""
    first, _ = show(db_path, "kb", "show", ID, "--json")
    with sqlite3.connect(db_path) as c:
        c.execute("UPDATE clauses SET verdict_reason = NULL")
    r, how = show(db_path, "kb", "show", ID, "--json")
    assert how == {"rc": 0, "heavy": False, "judged": True} and r.stdout == first.stdout
    assert run_mamoru(["kb", "list"], db_path).returncode == 0
    with sqlite3.connect(db_path) as c:
        assert c.execute("SELECT COUNT(*) FROM clauses WHERE verdict_reason IS NULL").fetchone()[0] == 0
    r, how = show(db_path, "kb", "show", ID, "--json")
    assert how == {"rc": 0, "heavy": False, "judged": False} and r.stdout == first.stdout


def test_verdicts_stored_under_other_rules_are_judged_again_on_the_next_start(db_path, tmp_path):
    """An update of mamoru that changes the verdict rules must not leave a database showing the old verdicts,
    the shipped documents' or an attachment's (whose file is not kept to load again)."""
    att = tmp_path / "att.txt"
    att.write_text("第1条 乙は、次に掲げる行為をしてはならない。\n一 書類を持ち出すこと。\n", encoding="utf-8")
    assert run_mamoru(["kb", "add", str(att), "--slug", "att", "--title", "特記事項"], db_path).returncode == 0
    first, _ = show(db_path, "kb", "show", ID, "--json")
    with sqlite3.connect(db_path) as c:
        (stamp,) = c.execute("SELECT value FROM kb_meta WHERE name = 'verdict_rules'").fetchone()
        version = c.execute("SELECT value FROM kb_meta WHERE name = 'version'").fetchone()[0]
        # as the older rules had judged them
        c.execute("UPDATE clauses SET verdict = 'required', verdict_reason = 'old' WHERE id IN (?, 'att:a1.p1.i1')", [ID])
        c.execute("UPDATE kb_meta SET value = 'older rules' WHERE name = 'verdict_rules'")
    assert run_mamoru(["kb", "list"], db_path).returncode == 0
    with sqlite3.connect(db_path) as c:
        got = dict(c.execute("SELECT id, verdict FROM clauses WHERE id IN (?, 'att:a1.p1.i1')", [ID]).fetchall())
        assert got == {ID: "prohibited", "att:a1.p1.i1": "prohibited"}
        assert c.execute("SELECT value FROM kb_meta WHERE name = 'verdict_rules'").fetchone()[0] == stamp
        assert int(c.execute("SELECT value FROM kb_meta WHERE name = 'version'").fetchone()[0]) > int(version)
    assert show(db_path, "kb", "show", ID, "--json")[0].stdout == first.stdout
