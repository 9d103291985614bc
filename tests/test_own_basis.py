"""Checklists and incident reports cite the worker's OWN contract documents.

The content names clauses of the shipped documents by id. A contract whose document is the city's own
attachment (a Word file loaded with `mamoru kb add`) holds none of them: its checklist and its incident
report used to cite 吉川市's and another document's clauses as the worker's rules. Now the clause is found in
the attachment by what the item is about (concepts, knowledge/basis.py); where the attachment says nothing
of it, the worker is told so and another document's clause is named apart, as a reference, never as theirs.

And an incident of a contract the worker's lead is not on (a worker on two contracts, the lead on one) is
not sent to that lead: the officer hears of it. Real SQLite files, the real command line, a real .docx.
"""
from __future__ import annotations

import sqlite3
import tomllib
from pathlib import Path

import docx
import pytest

from conftest import ROOT, add_contracts, run_mamoru

D = "2026-12-01"            # a Tuesday
ARTICLES = [
    "委託業務における情報セキュリティ特記事項",
    "第1条（目的）",
    "この特記事項は、市が委託する業務において受託者が守るべき事項を定める。",
    "第2条（持出しの禁止）",
    "受託者は、市の承認を得ずに、情報資産を作業場所から持ち出してはならない。",
    "第3条（記録媒体の保管）",
    "受託者は、業務に用いる記録媒体を、鍵の掛かる保管庫に保管しなければならない。",
    "第4条（事故の報告）",
    "受託者は、情報資産の紛失、漏えいその他の事故が発生したときは、直ちに市に報告しなければならない。",
    "２　受託者は、前項の報告の後、５日以内に事故の経過を書面で報告しなければならない。",
    "第5条（秘密の保持）",
    "受託者は、業務上知り得た情報を他に漏らしてはならない。",
    "第6条（返還及び廃棄）",
    "受託者は、契約が終了したときは、市から提供を受けた情報資産を返還し、又は消去しなければならない。",
    "第7条（禁止行為）",
    "受託者は、次に掲げる行為をしてはならない。",
    "（１）　私物のパソコン及びスマートフォンを作業場所に持ち込むこと。",
    "（２）　作業場所で私物の記録媒体を使用すること。",
]


@pytest.fixture
def db_path(tmp_path) -> Path:
    """A contract 越谷市 bound by its own Word attachment, a lead and a worker on it, an officer."""
    d = docx.Document()
    for line in ARTICLES:
        d.add_paragraph(line)
    attachment = tmp_path / "特記事項.docx"
    d.save(str(attachment))
    db = tmp_path / "m.db"
    r = run_mamoru(["kb", "add", str(attachment), "--slug", "koshigaya"], db)
    assert r.returncode == 0, r.stdout + r.stderr
    add_contracts(db, "越谷市", docs={"越谷市": ["koshigaya"]})
    for argv in (["UOFF", "--name", "対策 責任", "--role", "officer"],
                 ["UL", "--name", "越谷 責任", "--role", "lead", "--contract", "越谷市"],
                 ["UW", "--name", "田中一郎", "--contract", "越谷市", "--lead", "UL"]):
        r = run_mamoru(["users", "add", *argv], db)
        assert r.returncode == 0, r.stdout + r.stderr
    return db


def test_the_checklist_cites_the_attachment_and_names_another_documents_clause_only_apart(db_path):
    r = run_mamoru(["chat", "--as", "UW"], db_path, input="チェックリスト\n", env={"MAMORU_NOW": f"{D}T17:35:00+09:00"})
    assert r.returncode == 0, r.stderr
    out = r.stdout
    # locked away and nothing taken out: the attachment's own articles
    assert "根拠: 「受託者は、業務に用いる記録媒体を、鍵の掛かる保管庫に保管しなければならない。」" \
           "（委託業務における情報セキュリティ特記事項 第3条）" in out, out
    assert "（委託業務における情報セキュリティ特記事項 第2条）" in out
    # logging off: the attachment says nothing of it; the shipped document's clause only as a reference
    assert "根拠: （ご自身の案件の文書には、この項目にあたる条項がありません。参考: ほかの文書の定め " \
           "セキュリティ保全に係る事項 3(1)カ）" in out
    assert "吉川市" not in out and "草加市" not in out and "長野市" not in out


def test_a_bare_item_is_quoted_with_the_sentence_that_forbids_it(db_path):
    """「私物のパソコン…を作業場所に持ち込むこと。」 quoted alone tells the worker to bring their own PC."""
    r = run_mamoru(["chat", "--as", "UW"], db_path, input="チェックリスト\n", env={"MAMORU_NOW": f"{D}T09:05:00+09:00"})
    assert r.returncode == 0, r.stderr
    assert "根拠: 「受託者は、次に掲げる行為をしてはならない。」のうち「私物のパソコン及びスマートフォンを作業場所に" \
           "持ち込むこと。」（委託業務における情報セキュリティ特記事項 第7条第1項第1号）" in r.stdout, r.stdout


def _report(db_path, *, as_: str = "UW", contract_choice: str = "1") -> str:
    script = f"インシデント報告\n3\n1\n1\n窓口\nexample.jp\n住民票の写し\n3\n3件\n誤って送信\n1\n{contract_choice}\n1\n"
    r = run_mamoru(["chat", "--as", as_], db_path, input=script, env={"MAMORU_NOW": f"{D}T10:05:00+09:00"})
    assert "INC-2026-0001" in r.stdout, r.stdout[-2000:]
    return r.stdout


def test_an_incident_cites_the_attachments_report_rule_to_the_worker_and_the_people_told(db_path):
    out = _report(db_path)
    first_report = "（委託業務における情報セキュリティ特記事項 第4条第1項）"
    assert f"直ちに報告する決まりです{first_report}" in out, out[:1500]
    assert f"直ちに市へ報告する決まりです{first_report}" in out       # the notice the lead and the officer get
    # a first-aid step rests on the attachment's own article where it has one, on another document only named apart
    assert f"追加の送信は作業責任者の指示があるまで控えてください。（根拠: {first_report[1:-1]}）" in out
    assert "（参考: ほかの文書の定め 吉川市 情報セキュリティ特記仕様書 第18条第2項）" in out
    # 吉川市's rules appear only named apart, as references for the first-aid steps; never as the report rule
    assert out.count("吉川市") == out.count("（参考: ほかの文書の定め 吉川市")
    assert "決まりです（吉川市" not in out
    with sqlite3.connect(db_path) as c:
        [(clause_ids, notified)] = c.execute("SELECT clause_ids, notified FROM incidents").fetchall()
    assert "koshigaya:" in clause_ids and "yoshikawa:" not in clause_ids and "hozen:" not in clause_ids
    assert "UL" in notified and "UOFF" in notified


def test_a_worker_on_two_contracts_reports_one_their_lead_is_not_on_to_the_officer_only(db_path):
    add_contracts(db_path, "吉川市")
    for argv in (["ULY", "--name", "吉川 責任", "--role", "lead", "--contract", "吉川市"],
                 ["UW2", "--name", "両方 二郎", "--contract", "吉川市,越谷市", "--lead", "ULY"]):
        r = run_mamoru(["users", "add", *argv], db_path)
        assert r.returncode == 0, r.stdout + r.stderr
    out = _report(db_path, as_="UW2", contract_choice="2")           # [1] 吉川市 [2] 越谷市
    assert "・案件: 越谷市" in out
    # before they say which contract, both contracts' report rules; the notice, the 越谷市 one alone
    assert ("直ちに報告する決まりです（吉川市 情報セキュリティ特記仕様書 第18条第1項、"
            "委託業務における情報セキュリティ特記事項 第4条第1項）") in out
    assert "直ちに市へ報告する決まりです（委託業務における情報セキュリティ特記事項 第4条第1項）" in out
    with sqlite3.connect(db_path) as c:
        [(notified, lead_ids)] = c.execute("SELECT notified, lead_ids FROM incidents").fetchall()
    assert "UOFF" in notified and "ULY" not in notified and "ULY" not in lead_ids
    assert "（吉川 責任さん［ULY］への通知）" not in out and "（対策 責任さん［UOFF］への通知）" in out
    # the lead may not open it either, and it is not in their weekly digest
    import datetime as dt

    from handlers import weekly
    from handlers.incident import rights
    from storage import incidents as istore
    from storage.db import open_db

    db = open_db(db_path)
    [inc] = istore.index(db)
    assert not rights.can_view(db, "ULY", inc) and rights.can_view(db, "UOFF", inc)
    now = dt.datetime.fromisoformat(f"{D}T18:00:00+09:00")
    assert weekly.figures(db, "ULY", dt.date(2026, 11, 30), dt.date(2026, 12, 4), now)["incidents"] == []


def test_oversight_messages_cite_the_attachment_or_nothing_never_another_contracts_clause(db_path):
    from handlers import access, audit
    from handlers.report import close
    from storage.db import open_db

    db = open_db(db_path)
    # the deletion duty at the end of a contract: the attachment's article 6
    assert audit.citations(db, close.DELETION_CLAUSES, ["koshigaya"], about="deletion") == \
        ["委託業務における情報セキュリティ特記事項 第6条"]
    # who may see records: the attachment says nothing of it, so a refusal cites no other contract's rule
    assert access.citation(db, "UW") is None
    assert audit.citations(db, audit.ROSTER_CLAUSES, ["koshigaya"], about="roster") == []
    # a 吉川市 document still gives its own listed clause, and no documents at all the first listed
    assert audit.citations(db, close.DELETION_CLAUSES, ["yoshikawa"], about="deletion") == \
        ["吉川市 情報セキュリティ特記仕様書 第15条第5項"]
    assert audit.citations(db, close.DELETION_CLAUSES, [], about="deletion") == \
        ["吉川市 情報セキュリティ特記仕様書 第15条第5項"]


def test_the_confidentiality_pledge_quotes_the_attachments_secrecy_article(db_path):
    from handlers.training import content, quiz
    from storage.db import open_db

    db = open_db(db_path)
    pledge = content.load().pledges["confidentiality"]
    text = quiz.pledge_text(db, "越谷市", pledge)
    assert text.endswith("根拠となる規定:\n・「受託者は、業務上知り得た情報を他に漏らしてはならない。」"
                         "（委託業務における情報セキュリティ特記事項 第5条）"), text[-300:]


def test_without_contract_documents_the_chosen_clauses_are_shown_as_before(tmp_path):
    from knowledge import basis
    from storage.db import open_db

    from knowledge import library

    db = open_db(tmp_path / "m.db")
    library.ensure_builtin(db)
    ids = ["hozen:s3.p1.i1.s6", "yoshikawa:a11.p1.i5"]
    assert [c["id"] for c in basis.clauses(db, ids, [])] == ids
    assert [c["id"] for c in basis.clauses(db, ids, ["yoshikawa"])] == ["yoshikawa:a11.p1.i5"]
    assert basis.clauses(db, ["hozen:s3.p1.i1.s6"], ["yoshikawa"]) == []          # no concepts: none of theirs
    assert [c["id"] for c in basis.others(db, ids, ["yoshikawa"])] == ["hozen:s3.p1.i1.s6"]


def test_every_concept_the_content_names_is_in_the_concept_map():
    from knowledge import concept_map

    known = {c.id for c in concept_map.load()}
    named = []
    for f in sorted((ROOT / "knowledge" / "checklists").glob("*.toml")):
        for item in tomllib.loads(f.read_text(encoding="utf-8")).get("items", []):
            named += [(f.name, item["id"], w) for w in item.get("concepts", [])]
    flow = tomllib.loads((ROOT / "knowledge" / "incident" / "flow.toml").read_text(encoding="utf-8"))
    named += [("flow.toml", "report", w) for w in flow.get("report_concepts", [])]
    named += [("flow.toml", "masking", w) for w in flow.get("masking", {}).get("concepts", [])]
    named += [("flow.toml", t["id"], w) for t in flow["types"] for w in t.get("concepts", [])]
    named += [("flow.toml", t["id"], w) for t in flow["types"] for s in t.get("first_aid", []) for w in s.get("concepts", [])]
    pledge = tomllib.loads((ROOT / "knowledge" / "pledge" / "confidentiality.toml").read_text(encoding="utf-8"))
    named += [("confidentiality.toml", "pledge", w) for w in pledge.get("concepts", [])]
    oversight = tomllib.loads((ROOT / "knowledge" / "oversight" / "clauses.toml").read_text(encoding="utf-8"))
    named += [("clauses.toml", name, w) for name, part in oversight.items() for w in part.get("concepts", [])]
    assert len(named) > 20
    unknown = [(f, i, w) for f, i, w in named if not set(w.split("+")) <= known]
    assert unknown == []


def test_found_by_concepts_the_clause_is_mostly_the_one_a_reviewer_chose(tmp_path):
    """The fallback measured where the answer is known: each shipped document, as if its reviewed ids were
    not listed. Agreement was 38 of 54 (70%) when written; the others are mostly a neighbouring item of the
    same section. A drop below 60% means the concepts or the ranking lost what they find."""
    from handlers.checklist import content as checklists
    from handlers.incident import content as incident
    from knowledge import basis, library
    from storage.db import open_db

    db = open_db(tmp_path / "m.db")
    library.ensure_builtin(db)
    fl = incident.flow()
    items = [(i.clauses, i.concepts, i.text, 1) for c in checklists.checklists() for i in c.items]
    items += [(fl.report_clauses, fl.report_concepts, fl.report_text, 1),
              (fl.masking_clauses, fl.masking_concepts, fl.masking_text, 1)]
    items += [(t.clauses, t.concepts, t.label, 3) for t in fl.types]
    agree = total = 0
    for ids, concepts, text, n in items:
        for slug in ("hozen", "soka", "yoshikawa", "nagano"):
            chosen = [i for i in ids if i.startswith(slug + ":")]
            if chosen:
                found = basis.clauses(db, (), [slug], concepts=concepts, text=text, limit=n)
                assert all(c["doc_slug"] == slug for c in found)
                total += 1
                agree += any(c["id"] in chosen for c in found)
    assert total >= 50 and agree / total >= 0.6, (agree, total)
