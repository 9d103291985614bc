"""`mamoru users import`: export → edit → import --dry-run → import, through CSV and xlsx; every kind
of bad row refused with its reason and nothing written; e-mail addresses resolved through the Slack
stand-in. Real CLI (subprocess), real SQLite file."""
from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from handlers import people
from storage import audit as astore
from storage import people as pstore
from storage.db import open_db

from slack_standin import BOT_TOKEN, SlackStandIn
from conftest import add_contracts

MAMORU = str(Path(sys.executable).with_name("mamoru"))
HEADER = ["氏名", "役割", "所属案件", "作業責任者", "開始日", "終了日", "Slack ユーザーID", "メールアドレス"]


def run(db_path, *argv, env=None):
    e = dict(os.environ, MAMORU_DB=str(db_path), PYTHONIOENCODING="utf-8", MAMORU_NOW="2026-12-04T10:00:00+09:00")
    for k in ("SLACK_BOT_TOKEN", "SLACK_API_URL"):
        e.pop(k, None)
    e.update(env or {})
    return subprocess.run([MAMORU, *argv], env=e, capture_output=True, text=True, timeout=120)


@pytest.fixture
def db_path(tmp_path):
    p = tmp_path / "m.db"
    db = open_db(p)
    add_contracts(db, "吉川市", "草加市")
    for argv in (["add", "UOFF", "--name", "高橋誠", "--role", "officer", "--contract", "吉川市"],
                 ["add", "UL1", "--name", "鈴木一郎", "--role", "lead", "--contract", "吉川市"],
                 ["add", "UW1", "--name", "山田太郎", "--contract", "吉川市", "--lead", "UL1", "--start-date", "2026-12-01",
                  "--email", "yamada@example.jp"],
                 ["add", "UW2", "--name", "佐藤花子", "--contract", "吉川市", "--lead", "UL1"],
                 ["add", "UX", "--name", "草加の人", "--contract", "草加市"]):
        assert people.run_users(db, "cli", argv, "cli", now=None)[0] == 0
    return p


def export_csv(db_path) -> list[list[str]]:
    r = run(db_path, "export", "roster", "--contract", "吉川市", "--format", "csv", "-o", "-")
    assert r.returncode == 0, r.stderr
    return list(csv.reader(io.StringIO(r.stdout.lstrip("\ufeff"))))


def write_csv(path: Path, rows: list[list[str]], encoding="utf-8-sig") -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def people_rows(db_path) -> int:
    return open_db(db_path).execute("SELECT COUNT(*) FROM people").fetchone()[0]


def test_csv_round_trip_changes_nothing_then_edits_apply(db_path, tmp_path):
    rows = export_csv(db_path)
    assert rows[0] == HEADER
    before = people_rows(db_path)
    f = write_csv(tmp_path / "same.csv", rows)
    r = run(db_path, "users", "import", str(f))
    assert r.returncode == 0 and "追加 0 件、変更 0 件、削除 0 件、変更なし 4 件" in r.stdout and "変更はありません" in r.stdout
    assert people_rows(db_path) == before

    # edit as an officer would in Excel: a half-width name, one person gone, one new by e-mail only
    edited = [rows[0]]
    for row in rows[1:]:
        if row[6] == "UW1":
            continue
        if row[6] == "UW2":
            row = [*row]
            row[0] = "ｻﾄｳ ﾊﾅｺ"
        edited.append(row)
    edited.append(["新人一郎", "作業従事者", "吉川市", "鈴木一郎", "2026/12/10", "", "UW3", "shinjin@example.jp"])
    f = write_csv(tmp_path / "edited.csv", edited, encoding="cp932")     # Excel's own CSV is Shift_JIS
    r = run(db_path, "users", "import", str(f), "--dry-run")
    assert r.returncode == 0, r.stderr
    assert "追加 1 件、変更 1 件、削除 1 件、変更なし 2 件" in r.stdout
    assert "【変更】サトウ ハナコさん（UW2）案件「吉川市」（氏名: 佐藤花子 → サトウ ハナコ）" in r.stdout
    assert "【削除】山田太郎さん（UW1）案件「吉川市」" in r.stdout and "【追加】新人一郎さん（UW3）" in r.stdout
    assert people_rows(db_path) == before                      # the dry run wrote nothing
    r = run(db_path, "users", "import", str(f))
    assert r.returncode == 0 and "取り込みました" in r.stdout
    db = open_db(db_path)
    assert pstore.current(db, "UW2")["name"] == "サトウ ハナコ"
    assert not pstore.current(db, "UW1")["active"]
    new = pstore.current(db, "UW3")
    assert (new["lead_id"], new["start_date"], new["email"], new["contracts"]) == \
        ("UL1", "2026-12-10", "shinjin@example.jp", ["吉川市"])
    assert pstore.current(db, "UX")["active"]                 # another contract's people are untouched
    assert astore.verify(db).ok
    # and the new roster exported again imports as no change
    f = write_csv(tmp_path / "again.csv", export_csv(db_path))
    r = run(db_path, "users", "import", str(f), "--dry-run")
    assert "追加 0 件、変更 0 件、削除 0 件" in r.stdout


def test_xlsx_round_trip_and_a_changed_lead(db_path, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "名簿.xlsx"
    assert run(db_path, "export", "roster", "--contract", "吉川市", "-o", str(out)).returncode == 0
    r = run(db_path, "users", "import", str(out), "--dry-run")
    assert r.returncode == 0 and "追加 0 件、変更 0 件、削除 0 件、変更なし 4 件" in r.stdout
    wb = load_workbook(out)
    ws = wb.active
    for row in ws.iter_rows():
        if row[6].value == "UW2":
            row[3].value = "UOFF"              # a lead given by user id
    wb.save(out)
    r = run(db_path, "users", "import", str(out))
    assert r.returncode == 0 and "作業責任者: 鈴木一郎 → 高橋誠" in r.stdout, r.stdout + r.stderr
    assert pstore.current(open_db(db_path), "UW2")["lead_id"] == "UOFF"


@pytest.mark.parametrize("row, reason", [
    (["甲", "作業従事者", "吉川", "鈴木一郎", "", "", "UA1", ""], "案件「吉川」は登録されていません。もしかして: 「吉川市」"),
    # a shipped document's municipality is still not a contract until `contract add`: never created by a file
    (["辛", "作業従事者", "長野市", "", "", "", "UA6", ""], "案件「長野市」は登録されていません"),
    (["乙", "作業従事者", "吉川市", "田中部長", "", "", "UA2", ""], "作業責任者「田中部長」という方は名簿にも登録にもありません"),
    (["丙", "作業従事者", "吉川市", "鈴木一郎", "2026-02-30", "", "UA3", ""], "開始日「2026-02-30」は日付として読めません"),
    (["山田太郎", "作業従事者", "吉川市", "鈴木一郎", "2026-12-01", "", "UW1", "yamada@example.jp"], "重複しています"),
    (["丁", "作業員", "吉川市", "", "", "", "UA4", ""], "役割「作業員」はありません"),
    (["戊", "作業従事者", "吉川市", "鈴木一郎", "", "", "", ""], "Slack ユーザーIDもメールアドレスもありません"),
    (["己", "作業従事者", "吉川市", "鈴木一郎", "", "", "", "nobody@example.jp"], "メールアドレス nobody@example.jp の方は登録されていません"),
    (["庚", "作業従事者", "吉川市", "鈴木一郎", "", "", "UA5", "yamada@example.jp"], "既に UW1 の方に登録されています"),
])
def test_each_bad_row_is_named_and_nothing_is_imported(db_path, tmp_path, row, reason):
    """Checked in process (the same read_file and plan the command uses); the command itself is
    run for one bad file below, to show that nothing at all is written."""
    from handlers import audit, roster_import

    db = open_db(db_path)
    buf = io.BytesIO()
    audit.write_roster(db, "吉川市", audit.roster(db, "吉川市"), "csv", buf)
    rows = list(csv.reader(io.StringIO(buf.getvalue().decode("utf-8-sig"))))
    good_new = ["新人", "作業従事者", "吉川市", "鈴木一郎", "", "", "UNEW", ""]
    data = write_csv(tmp_path / "bad.csv", [*rows, good_new, row]).read_bytes()
    plan = roster_import.plan(db, roster_import.read_file(data, "bad.csv"))
    text = "\n".join(plan.lines_ja())
    assert reason in text and "7 行目" in text and "何も書き込んでいません" in text, text
    with pytest.raises(ValueError):
        roster_import.apply(db, plan, actor="cli", via="cli")


def test_a_file_with_a_bad_row_writes_nothing(db_path, tmp_path):
    rows = export_csv(db_path)
    rows += [["新人", "作業従事者", "吉川市", "鈴木一郎", "", "", "UNEW", ""],
             ["甲", "作業従事者", "吉川", "鈴木一郎", "", "", "UA1", ""]]
    before = people_rows(db_path)
    r = run(db_path, "users", "import", str(write_csv(tmp_path / "bad.csv", rows)))
    assert r.returncode == 1 and "7 行目: 案件「吉川」は登録されていません。もしかして: 「吉川市」" in r.stderr
    assert people_rows(db_path) == before and pstore.current(open_db(db_path), "UNEW") is None


def test_unreadable_files_get_a_reason(db_path, tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("a,b\n1,2\n", encoding="utf-8")
    r = run(db_path, "users", "import", str(f))
    assert r.returncode == 1 and "見出しの行" in r.stderr
    r = run(db_path, "users", "import", str(tmp_path / "none.csv"))
    assert r.returncode == 2 and "開けません" in r.stderr
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really")
    r = run(db_path, "users", "import", str(tmp_path / "broken.xlsx"))
    assert r.returncode == 1 and "Excel ファイルとして読めません" in r.stderr


def test_people_named_by_email_are_found_through_slack(db_path, tmp_path):
    rows = export_csv(db_path)
    rows.append(["ﾀﾅｶ ｹﾝﾀ", "作業従事者", "吉川市", "鈴木一郎", "2026-12-07", "", "", "Tanaka@Example.jp"])
    f = write_csv(tmp_path / "mail.csv", rows)
    with SlackStandIn() as slack:
        slack.directory["U0TANAKA"] = {"real_name": "田中 健太", "email": "tanaka@example.jp"}
        env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": slack.api_url}
        r = run(db_path, "users", "import", str(f), env=env)
        assert r.returncode == 0 and "【追加】タナカ ケンタさん（U0TANAKA）" in r.stdout, r.stdout + r.stderr
        assert slack.find("users.lookupByEmail", lambda c: c.params.get("email") == "tanaka@example.jp")
        rows.append(["誰か", "作業従事者", "吉川市", "鈴木一郎", "", "", "", "ghost@example.jp"])
        r = run(db_path, "users", "import", str(write_csv(tmp_path / "ghost.csv", rows)), env=env)
        assert r.returncode == 1 and "ghost@example.jp の方が Slack のワークスペースに見つかりません" in r.stderr
    p = pstore.current(open_db(db_path), "U0TANAKA")
    assert p["name"] == "タナカ ケンタ" and p["email"] == "tanaka@example.jp"


def test_the_officer_of_every_contract_stays_so(tmp_path):
    db_path = tmp_path / "o.db"
    db = open_db(db_path)
    add_contracts(db, "吉川市")
    for argv in (["add", "UOFF", "--name", "高橋誠", "--role", "officer"],
                 ["add", "UW", "--name", "作業者", "--contract", "吉川市", "--lead", "UOFF"]):
        assert people.run_users(db, "cli", argv, "cli")[0] == 0
    rows = export_csv(db_path)
    assert [r[6] for r in rows[1:]] == ["UOFF", "UW"]
    rows[1][0] = "高橋 誠"
    r = run(db_path, "users", "import", str(write_csv(tmp_path / "o.csv", rows)))
    assert r.returncode == 0 and "氏名: 高橋誠 → 高橋 誠" in r.stdout
    p = pstore.current(open_db(db_path), "UOFF")
    assert (p["name"], p["contracts"]) == ("高橋 誠", [])
