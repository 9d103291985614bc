"""A period typed the wrong way round on the command line is refused, never written out as empty.

`mamoru report status --from 2026-12-07 --to 2026-12-01` wrote a draft for the city saying 変更なし
everywhere (no roster change, no incident, 0 checklists), and `audit export` / `roster changes` an empty
set, each with exit status 0; `export checklists` and `/mamoru report` already refused such a period.
Real CLI, real SQLite file.
"""
from __future__ import annotations

import pytest

from conftest import add_contracts, run_mamoru
from handlers import people
from storage.db import open_db


@pytest.fixture
def registered(db_path):
    db = open_db(db_path)
    add_contracts(db, "吉川市")
    status, reply = people.run_users(db, "cli", ["add", "UW1", "--name", "作業一郎", "--contract", "吉川市"], "cli")
    assert status == 0, reply.text
    return db_path


@pytest.mark.parametrize("argv", [
    ["report", "status", "--contract", "吉川市", "--from", "2026-12-07", "--to", "2026-12-01", "--format", "md"],
    ["audit", "export", "--from", "2026-12-07", "--to", "2026-12-01"],
    ["roster", "changes", "--contract", "吉川市", "--since", "2026-12-07", "--until", "2026-12-01"],
    ["export", "checklists", "--from", "2026-12-07", "--to", "2026-12-01"],
])
def test_a_reversed_period_is_refused_with_the_reason(registered, argv):
    out = registered.parent / "out"
    r = run_mamoru([*argv, "-o", str(out)] if argv[0] != "roster" else argv, registered)
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert "より後の日付にしてください" in r.stderr and not out.exists()


def test_the_same_day_on_both_ends_is_a_period(registered):
    r = run_mamoru(["report", "status", "--contract", "吉川市", "--from", "2026-12-01", "--to", "2026-12-01",
                    "--format", "md", "-o", "-"], registered)
    assert r.returncode == 0, r.stderr
