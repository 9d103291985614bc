"""The training content a compliance person reviews: question banks, courses, the pledge.

Every question cites clauses that exist, its right answer is one of its choices, its explanation
quotes a cited clause word for word, no two questions are the same; the banks cover the four
shipped documents and every topic the issue names; courses and the pledge are consistent.
"""
from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import Counter

import pytest
from rapidfuzz import fuzz

from handlers.training import content
from storage import kb

REQUIRED_TOPICS = {"desk", "end_of_day", "ic_card", "devices_media", "takeout_copy", "mail_fax", "incident",
                   "subcontract", "return_destroy", "confidentiality"}
SHIPPED_DOCS = {"yoshikawa", "soka", "nagano", "hozen"}


def norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def quoted(text: str) -> list[str]:
    """The top-level 「…」 quotations of a text (nested brackets stay inside their quotation)."""
    out, depth, buf = [], 0, ""
    for ch in text:
        if ch == "「":
            if depth:
                buf += ch
            depth += 1
        elif ch == "」" and depth:
            depth -= 1
            if depth:
                buf += ch
            else:
                out.append(buf)
                buf = ""
        elif depth:
            buf += ch
    return out


@pytest.fixture(scope="module")
def c():
    return content.load()


@pytest.fixture(scope="module")
def questions(c):
    return [q for b in c.banks.values() for q in b.questions]


def test_at_least_forty_questions_over_the_four_documents(c, questions):
    assert len(questions) >= 40
    per_doc = Counter(c.banks[q.bank].document for q in questions)
    assert set(per_doc) == SHIPPED_DOCS
    for course in c.courses.values():   # enough to draw each attempt anew
        assert len(c.questions(course)) >= course.questions_per_attempt + 3, course.id


def test_every_topic_is_covered(questions):
    topics = {q.topic for q in questions}
    assert REQUIRED_TOPICS <= topics, REQUIRED_TOPICS - topics
    assert topics <= set(content.TOPICS)


def test_every_question_cites_clauses_that_exist_in_its_own_document(kb_db, c, questions):
    for q in questions:
        assert q.clauses, q.id
        doc = c.banks[q.bank].document
        for cid in q.clauses:
            row = kb.clause(kb_db, cid)
            assert row is not None, f"{q.id}: clause {cid} does not exist"
            assert row["doc_slug"] == doc, f"{q.id}: {cid} is not from {doc}"
            assert row["text"], f"{q.id}: {cid} is a heading without text"


def test_right_answer_is_among_the_choices(questions):
    for q in questions:
        assert q.answer in q.choices, q.id
        assert q.choices.count(q.answer) == 1, q.id
        if q.kind == "truefalse":
            assert q.choices == ("○", "×"), q.id
        else:
            assert 3 <= len(q.choices) <= 6, q.id
            assert len({norm(x) for x in q.choices}) == len(q.choices), q.id


def test_the_answer_cannot_be_guessed_from_its_form(questions):
    """Not "always the longest choice", not "always ×": the questions test the rules, not test-taking."""
    choice = [q for q in questions if q.kind == "choice"]
    longest = sum(max(q.choices, key=len) == q.answer for q in choice)
    assert longest <= len(choice) / 3, f"the right answer is the longest choice in {longest} of {len(choice)}"
    tf = [q for q in questions if q.kind == "truefalse"]
    maru = sum(q.answer == "○" for q in tf)
    assert 0.3 <= maru / len(tf) <= 0.7, f"{maru} of {len(tf)} ○×-questions are ○"


def test_explanations_quote_a_cited_clause_word_for_word(kb_db, questions):
    for q in questions:
        texts = [norm(kb.clause(kb_db, cid)["text"]) for cid in q.clauses]
        quotes = [x for x in quoted(q.explanation) if len(norm(x)) >= 6]
        assert quotes, f"{q.id}: the explanation quotes no clause"
        for x in quotes:
            assert any(norm(x) in t for t in texts), f"{q.id}: 「{x}」 is not in its clauses"


def test_no_two_questions_are_the_same(questions):
    ids = [q.id for q in questions]
    assert len(ids) == len(set(ids))
    prompts = [norm(q.prompt) for q in questions]
    assert len(prompts) == len(set(prompts))
    for i, a in enumerate(questions):
        for b in questions[i + 1:]:
            assert fuzz.ratio(norm(a.prompt), norm(b.prompt)) < 85, (a.id, b.id)


def test_questions_are_situations_not_article_numbers(questions):
    """Worded as what a worker meets, never "what does article N say"."""
    for q in questions:
        assert not re.search(r"第\s*\d+\s*条|第\s*[0-9０-９]+\s*項", q.prompt), q.id
        assert all(not re.search(r"第\s*\d+\s*条", ch) for ch in q.choices), q.id
        assert q.prompt.endswith(("。", "か。", "？")), q.id


def test_courses_point_at_documents_banks_and_the_pledge(kb_db, c):
    for course in c.courses.values():
        assert set(course.documents) <= SHIPPED_DOCS
        assert all(b in c.banks for b in course.banks)
        assert 1 <= course.pass_percent <= 100
        assert course.pledge in c.pledges
        assert course.basis and all(kb.clause(kb_db, cid) for cid in course.basis), course.id
    assert {d for course in c.courses.values() for d in course.documents} == SHIPPED_DOCS


def test_pledge_has_a_version_and_cites_confidentiality_clauses(kb_db, c):
    p = c.pledges["confidentiality"]
    assert p.version and "{contract}" in p.text
    rows = [kb.clause(kb_db, cid) for cid in p.clauses]
    assert all(rows), [cid for cid, r in zip(p.clauses, rows) if r is None]
    assert {r["doc_slug"] for r in rows} == SHIPPED_DOCS          # every shipped contract gets its own clauses
    texts = "".join(r["text"] for r in rows)
    assert "漏らしてはならない" in texts and "誓約書" in texts     # during and after the contract, the pledge itself


def test_a_wrong_file_is_refused_with_a_reason(tmp_path):
    bad = tmp_path / "bank-bad.toml"
    bad.write_text('[bank]\nid = "bad"\ntitle = "x"\ndocument = "yoshikawa"\n\n[[questions]]\nid = "bad-1"\n'
                   'topic = "desk"\nkind = "choice"\nclauses = ["yoshikawa:a7"]\nprompt = "p"\n'
                   'choices = ["a", "b"]\nanswer = "c"\nexplanation = "e"\n', encoding="utf-8")
    with pytest.raises(content.ContentError, match="正解"):
        content._load((str(tmp_path),))
    course = tmp_path / "course-x.toml"
    bad.unlink()
    course.write_text('[course]\nid = "x"\ntitle = "x"\nbanks = ["yoshikawa"]\npass_percent = 120\n', encoding="utf-8")
    with pytest.raises(content.ContentError, match="1〜100"):
        content._load((str(tmp_path),))


def test_files_are_plain_toml_with_one_bank_or_course_each():
    for path in content.QUIZ_DIR.glob("*.toml"):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        assert ("bank" in data) != ("course" in data), path.name
