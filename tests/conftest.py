"""Shared fixtures: a real SQLite file per test, the real `mamoru` entry point."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAMORU = str(Path(sys.executable).with_name("mamoru"))


# A designed near tie the words got right and the meaning re-ranking (knowledge/meaning.py) turns
# over: kept as a strict expected failure, so a better fusion that wins it back is noticed. Measured
# over 3,130 development and 444 unseen questions the re-ranking gains 32 and 9 first hits (README).
MEANING_LOSES_NEAR_TIE = pytest.mark.xfail(strict=True, reason="meaning re-ranking turns this near tie over")


@pytest.fixture(scope="session", autouse=True)
def audit_key(tmp_path_factory):
    """One audit-chain key for the whole run, outside every test database (as in production)."""
    p = tmp_path_factory.mktemp("auditkey") / "audit.key"
    os.environ["MAMORU_AUDIT_KEY"] = str(p)
    # the daily head line to the officer (handlers/witness.py) would join every notices pass of
    # other tests after 17:00; tests/test_witness.py turns it on
    os.environ["MAMORU_AUDIT_HEAD_TIME"] = "off"
    # small audit blocks (storage/audit.py block MACs): every test chain of some length has complete blocks
    os.environ["MAMORU_AUDIT_BLOCK"] = "8"
    return p


@pytest.fixture
def db_path(tmp_path, monkeypatch) -> Path:
    p = tmp_path / "mamoru.db"
    monkeypatch.setenv("MAMORU_DB", str(p))
    return p


def attachment_db(directory: Path, slug: str, text: str, *, title: str = "情報セキュリティ特記事項",
                  municipality: str = "架空市", shipped: bool = True):
    """A database holding one attachment written for a test (and the shipped documents beside it)."""
    from knowledge import library
    from storage.db import open_db

    db = open_db(directory / "kb.db")
    if shipped:
        library.ensure_builtin(db)
    library.load_text(db, text, slug=slug, title=title, municipality=municipality)
    return db


def assert_first(db, q: str, clause: str, source: str = "架空市"):
    """The question, asked by a worker of the attachment's contract, is answered with this clause first."""
    from handlers import ask

    a = ask.answer(db, q, source=source)
    assert a.found, (q, a.message)
    assert a.best.clause_id == clause, (q, a.best.clause_id)


def concepts(question: str) -> set[str]:
    """The ids of the domain concepts a question names (knowledge/concepts)."""
    from knowledge import concept_map

    return {c.id for c in concept_map.in_question(question)}


@pytest.fixture(scope="session")
def kb_db(tmp_path_factory):
    """One database with the shipped documents loaded, shared read-only by search tests."""
    from knowledge import library
    from storage.db import open_db

    db = open_db(tmp_path_factory.mktemp("kb") / "kb.db")
    library.ensure_builtin(db)
    return db


def run_mamoru(args: list[str], db: Path, input: str | None = None, env: dict | None = None,
               timeout: float = 120) -> subprocess.CompletedProcess:
    e = dict(os.environ, MAMORU_DB=str(db), PYTHONIOENCODING="utf-8")
    for k in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_URL"):
        e.pop(k, None)
    e.update(env or {})
    return subprocess.run([MAMORU, *args], input=input, capture_output=True, text=True, encoding="utf-8",
                          env=e, timeout=timeout, cwd=ROOT)


def jsonl(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def add_contracts(db, *names: str, docs: dict[str, list[str]] | None = None, at: str | None = None) -> None:
    """Contracts come into being only through `mamoru contract add` (never on the side): this runs
    the very function the command runs, for a test's set-up. `db` is an open database or its path;
    `at` (ISO time) dates the addition for tests whose records start in the past."""
    from handlers import contracts, workdays
    from storage.db import open_db

    d = open_db(Path(db)) if isinstance(db, (str, Path)) else db
    for n in names:
        status, text = contracts.add(d, n, municipality=None, docs=list((docs or {}).get(n, [])), actor="cli",
                                     via="cli", at=at or workdays.iso(None))
        assert status == 0, text


def register_team(db_path, worker_name: str = "作業一郎") -> None:
    """吉川市 with its lead ULEAD (責任花子) and one worker UW1, added as `mamoru users add` adds them."""
    from handlers import people
    from storage.db import open_db

    db = open_db(Path(db_path))
    add_contracts(db, "吉川市")
    for argv in (["add", "ULEAD", "--name", "責任花子", "--role", "lead", "--contract", "吉川市"],
                 ["add", "UW1", "--name", worker_name, "--role", "worker", "--contract", "吉川市", "--lead", "ULEAD"]):
        status, reply = people.run_users(db, "cli", argv, "cli")
        assert status == 0, reply.text


@pytest.fixture(scope="module")
def slack():
    """The local stand-in for Slack's Web API (tests/slack_standin.py), one per test module;
    a module that needs another kind defines its own."""
    from slack_standin import SlackStandIn

    with SlackStandIn() as s:
        yield s


def bytes_left_in_files(db_path: Path) -> bytes:
    """Every byte of the database's files (database, WAL, journal), less the BLOB values the
    database holds now: keyed digests and MACs are random bytes in which a three-letter id such
    as b"UW1" turns up by chance (about one run in thirty). What a purge must leave nowhere is
    text, and no live digest can hide a remnant of it."""
    import sqlite3

    raw = b"".join(p.read_bytes() for p in sorted(db_path.parent.glob(db_path.name + "*")) if p.is_file())
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        blobs: set[bytes] = set()
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
            for col in [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]:
                blobs.update(v for (v,) in conn.execute(
                    f'SELECT "{col}" FROM "{table}" WHERE typeof("{col}") = \'blob\' AND length("{col}") >= 8'))
    finally:
        conn.close()
    for b in sorted(blobs, key=len, reverse=True):
        raw = raw.replace(b, b"")
    return raw
