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
         "print(json.dumps({'rc': rc, 'heavy': 'sqlite_utils' in sys.modules}), file=sys.stderr)")


def show(db_path, *args) -> tuple[subprocess.CompletedProcess, dict]:
    r = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, encoding="utf-8",
                       env={**__import__("os").environ, "MAMORU_DB": str(db_path)}, cwd=ROOT, timeout=120)
    return r, json.loads(r.stderr.strip().splitlines()[-1])


def test_a_current_database_is_read_without_the_heavy_imports_and_says_the_same(db_path):
    first, how = show(db_path, "kb", "show", ID, "--json")            # no file yet: the ordinary path makes it
    assert how == {"rc": 0, "heavy": True}, first.stderr
    second, how = show(db_path, "kb", "show", ID, "--json")
    assert how == {"rc": 0, "heavy": False}, second.stderr
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
        assert how == {"rc": 0, "heavy": True}, (args, r.stderr)
    r, how = show(db_path, "kb", "show", "yoshikawa:no-such-clause", "--json")
    assert how == {"rc": 1, "heavy": True} and "見つかりませんでした" in r.stderr


def test_a_stale_database_is_migrated_or_reloaded_first(db_path):
    show(db_path, "kb", "show", ID, "--json")
    with sqlite3.connect(db_path) as c:                                  # as if the shipped text had changed
        c.execute("UPDATE documents SET content_hash = 'old' WHERE slug = 'yoshikawa'")
    r, how = show(db_path, "kb", "show", ID, "--json")
    assert how == {"rc": 0, "heavy": True} and json.loads(r.stdout)["id"] == ID
    with sqlite3.connect(db_path) as c:
        assert c.execute("SELECT content_hash FROM documents WHERE slug = 'yoshikawa'").fetchone()[0] != "old"
    r, how = show(db_path, "kb", "show", ID, "--json")                   # reloaded: fast once more
    assert how == {"rc": 0, "heavy": False}
    with sqlite3.connect(db_path) as c:                                  # a schema this code does not know
        c.execute("INSERT INTO _migrations (id, name, applied_at) SELECT MAX(id) + 1, 'newer', '' FROM _migrations")
    r, how = show(db_path, "kb", "show", ID, "--json")
    assert how == {"rc": 0, "heavy": True} and json.loads(r.stdout)["id"] == ID
