"""What people type reaches the Excel exports as the text they typed, never as a formula.

openpyxl stores a string that starts with 「=」 as a formula: a worker's reason 「=カードは机の中」 would
open in the lead's workbook as #NAME? (and 「=HYPERLINK(…)」 as a live link), so the export would no
longer hold what the records hold. Real SQLite file, real terminal chat, real `mamoru export`.
"""
from __future__ import annotations

import sqlite3

from conftest import add_contracts, register_team, run_mamoru

D = "2026-12-01"            # a Tuesday
REASON = '=HYPERLINK("http://example.invalid/x","カードは机の中です")'


def _register(db_path):
    register_team(db_path, worker_name="=作業一郎")


def test_a_typed_reason_starting_with_equals_is_text_in_the_checklist_workbook(db_path):
    from openpyxl import load_workbook

    _register(db_path)
    env = {"MAMORU_NOW": f"{D}T09:05:00+09:00"}
    r = run_mamoru(["chat", "--as", "UW1"], db_path, input=f"チェックリスト\n4\n{REASON}\n", env=env)
    assert r.returncode == 0, r.stderr
    with sqlite3.connect(db_path) as c:
        [(stored,)] = c.execute("SELECT reason FROM checklist_reasons").fetchall()
    assert stored == REASON
    out = db_path.parent / "c.xlsx"
    r = run_mamoru(["export", "checklists", "--from", D, "--to", D, "--format", "xlsx", "-o", str(out)], db_path)
    assert r.returncode == 0, r.stderr
    ws = load_workbook(out)["記録"]
    header = [c.value for c in ws[1]]
    reasons = [row[header.index("理由")] for row in ws.iter_rows(min_row=2)]
    names = [row[header.index("氏名")] for row in ws.iter_rows(min_row=2)]
    [cell] = [c for c in reasons if c.value]
    assert cell.value == REASON and cell.data_type == "s"          # the text typed, not a formula
    assert {c.value for c in names} == {"=作業一郎"} and all(c.data_type == "s" for c in names)


def test_a_name_starting_with_equals_is_text_in_the_roster_workbook(db_path):
    from openpyxl import load_workbook

    _register(db_path)
    out = db_path.parent / "r.xlsx"
    r = run_mamoru(["export", "roster", "--contract", "吉川市", "-o", str(out)], db_path)
    assert r.returncode == 0, r.stderr
    cells = [c for row in load_workbook(out)["名簿"].iter_rows() for c in row if c.value == "=作業一郎"]
    assert cells and all(c.data_type == "s" for c in cells)


# Control characters pasted with a text (a vertical tab from Word, an escape sequence from a terminal) cannot be
# held by an xlsx or docx file: the export stopped with a traceback, and the city's written report could not be
# made at all. They are invisible on screen, so the files leave them out (a vertical tab is a line break).
TYPED = "カードを\x0b自宅に\x1b[0m忘れました"
SHOWN = "カードを\n自宅に[0m忘れました"


def test_control_characters_in_a_reason_do_not_stop_the_checklist_workbook(db_path):
    from openpyxl import load_workbook

    _register(db_path)
    env = {"MAMORU_NOW": f"{D}T09:05:00+09:00"}
    r = run_mamoru(["chat", "--as", "UW1"], db_path, input=f"チェックリスト\n4\n{TYPED}\n", env=env)
    assert r.returncode == 0, r.stderr
    out = db_path.parent / "c.xlsx"
    r = run_mamoru(["export", "checklists", "--from", D, "--to", D, "--format", "xlsx", "-o", str(out)], db_path)
    assert r.returncode == 0, r.stderr
    ws = load_workbook(out)["記録"]
    header = [c.value for c in ws[1]]
    with sqlite3.connect(db_path) as c:
        [(stored,)] = c.execute("SELECT reason FROM checklist_reasons").fetchall()   # one line: the tab became a space
    assert stored == "カードを 自宅に\x1b[0m忘れました"
    got = [row[header.index("理由")].value for row in ws.iter_rows(min_row=2) if row[header.index("理由")].value]
    assert got == ["カードを 自宅に[0m忘れました"]


def _report_incident(db_path, place: str, info: str, what: str) -> dict:
    """UW1 reports INC-2026-0001 through the terminal chat with these typed answers; the clock it used."""
    _register(db_path)
    env = {"MAMORU_NOW": f"{D}T10:05:00+09:00"}
    script = f"インシデント報告\n3\n1\n1\n{place}\nexample.jp\n{info}\n3\n3件\n{what}\n1\n1\n1\n"
    r = run_mamoru(["chat", "--as", "UW1"], db_path, input=script, env=env)
    assert "INC-2026-0001" in r.stdout, r.stdout[-2000:]
    return env


def test_control_characters_in_an_incident_answer_do_not_stop_the_written_report(db_path):
    import docx

    env = _report_incident(db_path, TYPED, "住民票の写し", "誤って送信")
    out = db_path.parent / "i.docx"
    r = run_mamoru(["incident", "export", "INC-2026-0001", "--format", "docx", "-o", str(out)], db_path)
    assert r.returncode == 0, r.stderr
    d = docx.Document(str(out))
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    assert SHOWN in cells
    r = run_mamoru(["report", "status", "--contract", "吉川市", "--from", D, "--to", D, "--format", "docx",
                    "-o", str(db_path.parent / "s.docx")], db_path, env=env)
    assert r.returncode == 0, r.stderr


# The written report's Markdown (.md) is opened in a Markdown viewer, which renders HTML and Markdown: what a
# worker typed was written into it raw, so 「<img src=x onerror=…>」 ran in the officer's viewer and a typed
# line 「# …」 or 「| … |」 became a heading or a table row of the report. Typed text is escaped (HTML's special
# characters as entities, Markdown's marks with a backslash, line breaks as <br>): the viewer shows exactly
# what was typed, and a person reading the file gets it back the same way.
PLACE = "<img src=x onerror=alert(1)>の前"
INFO = "<script>alert(1)</script> **住民票** [一覧](javascript:alert(1)) ![x](javascript:alert(2))"
WHAT = r"誤って送信 | 偽の列 | \ `code` ~~取消~~ &amp; A&B_c_"
NOTE = "対策を実施\n# 偽の見出し\n| 偽 | 行 |\n> 引用\n- 箇条\n<details open>"
CITY = "電話で報告\n## 4. 偽の節\n<b>済</b>"


def _as_read(cell: str) -> str:
    """A cell of the .md as a person (or a viewer) reads it: <br> a line break, \\x the character x, entities."""
    import html
    import re

    return html.unescape(re.sub(r"\\(.)", r"\1", cell.replace("<br>", "\n")))


def _table(md: str, heading: str) -> list[list[str]]:
    import re

    body = md[md.index(heading):].split("\n\n")[1]
    rows = [re.split(r"(?<!\\)\|", line)[1:-1] for line in body.splitlines()[2:]]
    return [[c.strip() for c in r] for r in rows]


def test_typed_html_and_markdown_stay_text_in_the_written_report(db_path):
    import re

    env = _report_incident(db_path, PLACE, INFO, WHAT)
    for text, kind in ((NOTE, "measure"), (CITY, "city")):
        r = run_mamoru(["incident", "note", "INC-2026-0001", text, "--kind", kind], db_path, env=env)
        assert r.returncode == 0, r.stderr
    r = run_mamoru(["incident", "export", "INC-2026-0001", "--format", "md", "-o", "-"], db_path, env=env)
    assert r.returncode == 0, r.stderr
    md = r.stdout
    assert set(re.findall(r"<[^>]*>", md)) == {"<br>"}          # no tag but the line breaks the report puts
    assert [x for x in md.splitlines() if x.startswith("#")] == [
        "# 情報セキュリティ事故（インシデント）報告書（INC-2026-0001）", "## 1. 事故の内容", "## 2. 経過",
        "## 3. 市への報告", "## 4. 適用される規定", "## 5. 備考", "## 6. 確認欄"]
    fields = _table(md, "## 1. 事故の内容")
    assert all(len(row) == 2 for row in fields), fields
    shown = {k: _as_read(v) for k, v in fields}
    assert (shown["事故の発生場所"], shown["情報の内容"], shown["発生状況"]) == (PLACE, INFO, WHAT)
    steps = _table(md, "## 2. 経過")
    assert all(len(row) == 4 for row in steps), steps
    assert f"対応・対策: {NOTE}" in [_as_read(row[1]) for row in steps]
    section = md[md.index("## 3. 市への報告"):md.index("## 4. 適用される規定")]
    [city] = [x for x in section.splitlines() if x.startswith("- ")]
    assert _as_read(city).endswith(CITY)                         # one list item, read back whole


# A CSV has no cell types: Excel runs a cell that starts with = + - @ (a tab or a carriage return before one
# too) as a formula, so a worker's reason 「=HYPERLINK(…)」 became a live link in the officer's spreadsheet
# (CSV injection). Every CSV writer writes such a text with a leading ' (the OWASP mitigation); numbers and
# dates are written as they are, and `users import` reads the roster back as it was.
def test_the_csv_rule_marks_text_that_starts_like_a_formula_and_nothing_else():
    from handlers.office_text import csv_cell, csv_text

    for typed in ("=1+1", "+81 3", "-1+2", "@SUM(A1)", "\t=1", "\r=1", "=", "-"):
        assert csv_cell(typed) == "'" + typed and csv_text(csv_cell(typed)) == typed
    for value in (5, -5, 1.5, -0.25, None, "", "2026-12-01", "2026-12-01T10:05:00+09:00", "普通の文", "'引用",
                  "a=b", " =x"):
        assert csv_cell(value) == value and csv_text(value) == value


def test_a_typed_text_starting_like_a_formula_is_text_in_every_csv_export(db_path, tmp_path):
    import csv
    import io
    import json

    _register(db_path)
    env = {"MAMORU_NOW": f"{D}T09:05:00+09:00"}
    r = run_mamoru(["chat", "--as", "UW1"], db_path, input=f"チェックリスト\n4\n{REASON}\n", env=env)
    assert r.returncode == 0, r.stderr

    def read(out: str) -> list[list[str]]:
        return list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))

    r = run_mamoru(["export", "checklists", "--from", D, "--to", D, "--format", "csv", "-o", "-"], db_path)
    assert r.returncode == 0, r.stderr
    rows = read(r.stdout)
    head, records = rows[0], [x for x in rows[1:] if x and x[0].isdigit()]    # 連番 is still a number
    assert records and {x[head.index("氏名")] for x in records} == {"'=作業一郎"}
    assert [x[head.index("理由")] for x in records if x[head.index("理由")]] == ["'" + REASON]
    assert {x[head.index("日付")] for x in records} == {D}                        # ISO dates as they are
    r = run_mamoru(["chat", "--as", "UW1"], db_path, input="研修\n", env=env)         # a training record
    assert r.returncode == 0, r.stderr
    r = run_mamoru(["export", "training", "--format", "csv", "-o", "-"], db_path, env=env)
    assert r.returncode == 0, r.stderr
    assert "'=作業一郎" in [c for x in read(r.stdout) for c in x]
    r = run_mamoru(["export", "roster", "--contract", "吉川市", "--format", "csv", "-o", "-"], db_path)
    assert r.returncode == 0, r.stderr
    roster = read(r.stdout)
    assert [x[0] for x in roster[1:]] == ["責任花子", "'=作業一郎"]
    r = run_mamoru(["audit", "export", "--format", "csv"], db_path)         # hashes, ISO times, JSON: as they are
    assert r.returncode == 0, r.stderr
    audit = read(r.stdout)
    assert all(json.loads(x[8]) for x in audit[1:-1] if x[8]) and all(x[3][:4].isdigit() for x in audit[1:])
    # the roster read back by `users import`: the ' is not part of the name, so nothing changes
    f = tmp_path / "same.csv"
    with open(f, "w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out, lineterminator="\r\n").writerows(roster)
    r = run_mamoru(["users", "import", str(f)], db_path)
    assert r.returncode == 0 and "追加 0 件、変更 0 件、削除 0 件" in r.stdout, r.stdout + r.stderr


# The status report's Markdown (.md) wrote the contract's name, people's names and the roster sentences raw:
# a contract or a person named 「<script>…」 ran in the viewer, and a name holding a line break (an older
# database's, or one stored before names were folded onto one line) opened a heading or a table row of the
# report. Every text from the records goes through the same escaping as the incident report's (.docx: as it is).
CONTRACT = "<script>alert(1)</script> | # 吉川市"
OFFICER = "<b>対策</b> | 花子"
RENAMED = "山田\n# 偽の見出し\n| 偽 | 行 |\n<img src=x onerror=alert(1)>"


def test_names_and_the_contract_stay_text_in_the_status_report_md(db_path, monkeypatch):
    import re

    import docx

    from handlers import people
    from knowledge import library
    from storage import people as pstore
    from storage.db import open_db, transaction

    monkeypatch.setenv("MAMORU_NOW", f"{D}T09:00:00+09:00")
    db = open_db(db_path)
    library.ensure_builtin(db)
    add_contracts(db, CONTRACT, docs={CONTRACT: ["yoshikawa"]})
    for argv in (["add", "UOFF", "--name", OFFICER, "--role", "officer", "--contract", CONTRACT],
                 ["add", "ULEAD", "--name", "責任 # 花子", "--role", "lead", "--contract", CONTRACT],
                 ["add", "UW1", "--name", "<i>作業</i>一郎", "--contract", CONTRACT, "--lead", "ULEAD"]):
        status, reply = people.run_users(db, "cli", argv, "cli")
        assert status == 0, reply.text
    p = pstore.current(db, "UW1")
    with transaction(db):   # a name over several lines, as `users add` no longer stores it (it folds spaces)
        pstore.append(db, user_id="UW1", change="update", name=RENAMED, role="worker", contracts=p["contracts"],
                      lead_id="ULEAD", start_date=None, days_off=[], active=True, actor="cli", via="cli",
                      at=f"{D}T09:30:00+09:00")
    db.conn.close()
    out = db_path.parent / "s.md"
    r = run_mamoru(["report", "status", "--contract", CONTRACT, "--from", D, "--to", D, "--format", "md",
                    "-o", str(out)], db_path)
    assert r.returncode == 0, r.stderr
    md = out.read_text("utf-8")
    lines = md.splitlines()
    assert set(re.findall(r"<[^>]*>", md)) <= {"<br>"}               # no tag but the line breaks escaping puts
    assert not re.search(r"(?<!\\)\|", md)                            # no table cell, no row
    heads = [x for x in lines if x.startswith("#")]
    assert heads[0].endswith("（下書き）") and heads[1] == "## セキュリティ保全のための対策"
    assert all(x.startswith("### ") and "偽" not in x for x in heads[2:]), heads
    shown = [_as_read(x) for x in lines]
    assert f"- 受託業務名（案件）: {CONTRACT}" in shown and f"- 情報セキュリティ対策責任者: {OFFICER}" in shown
    assert any(f"「<i>作業</i>一郎」から「{RENAMED}」に変わりました" in x for x in shown), md   # read back whole
    # the Word file writes the same texts as they are
    out = db_path.parent / "s.docx"
    r = run_mamoru(["report", "status", "--contract", CONTRACT, "--from", D, "--to", D, "-o", str(out)], db_path)
    assert r.returncode == 0, r.stderr
    paragraphs = [x.text for x in docx.Document(str(out)).paragraphs]
    assert f"受託業務名（案件）: {CONTRACT}" in paragraphs and f"情報セキュリティ対策責任者: {OFFICER}" in paragraphs
