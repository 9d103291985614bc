"""Sudachi's synonym groups and the rules' words for the asker's own: a question in everyday words is
answered by the clause that says it formally (リスト → 一覧, サイン → 署名, 名前を書く → 氏名を記載).

Asked on an attachment written for these tests (a community centre's course desk), in words none of
the question sets use.
"""
import pytest

from conftest import attachment_db
from handlers import ask
from knowledge import search
from knowledge.synonym_groups import MAX_GROUP_WORDS, GroupIndex, groups

COURSES = """公民館講座受付業務委託 情報セキュリティ特記事項
第1条 受託者は、従事者が退職したときは、当該従事者に貸与した入館証を直ちに回収しなければならない。
第2条 受託者は、受講申込書の受付印として用いる印鑑を、施錠できる場所に保管しなければならない。
第3条 受託者は、受付端末の修理を業者に依頼するときは、記憶装置を取り外した上で引き渡さなければならない。
第4条 受託者は、受講者の一覧を作成したときは、その作成日及び作成者を記録しなければならない。
第5条 従事者は、受講者の氏名を掲示物に記載してはならない。
第6条 受託者は、受講料の領収書に署名する者をあらかじめ定め、市に届け出なければならない。
第7条 受託者は、講座の録画を行う場合は、受講者の同意を得なければならない。
第8条 受託者は、受講者の病歴に係る情報を取得してはならない。
第9条 受託者は、受講者に送付する通知に、他の受講者の情報が含まれていないことを確認しなければならない。
"""
TITLE = "公民館講座受付業務委託 情報セキュリティ特記事項"


@pytest.fixture(scope="module")
def courses(tmp_path_factory):
    return attachment_db(tmp_path_factory.mktemp("courses"), "courses", COURSES, title=TITLE)


def test_words_of_one_group_meet():
    # groups ship in sudachidict-core: no download, no table of ours
    assert set(groups("捨てる")) & set(groups("廃棄"))
    assert set(groups("外注")) & set(groups("委託"))
    assert set(groups("消す")) & set(groups("削除"))
    assert not groups("持って帰る")   # a phrase is not one word: it has no group
    ix = GroupIndex(["廃棄", "委託", "削除", "消去", "施錠"])
    assert ix.words_for("捨てる") == ["廃棄"]
    assert ix.words_for("外注") == ["委託"]
    assert set(ix.words_for("消す")) == {"削除", "消去"}
    assert ix.words_for("施錠") == []


def test_a_group_too_broad_to_say_what_was_meant_is_left_out(monkeypatch):
    from knowledge import synonym_groups
    wide = [f"語{i}" for i in range(MAX_GROUP_WORDS + 1)]
    narrow = wide[:MAX_GROUP_WORDS]
    fake = {**{w: (1,) for w in wide}, **{w + "x": (2,) for w in narrow}, "問1": (1,), "問2": (2,)}
    monkeypatch.setattr(synonym_groups, "groups", lambda w: fake.get(w, ()))
    ix = GroupIndex(wide + [w + "x" for w in narrow])
    assert ix.words_for("問1") == []
    assert ix.words_for("問2") == [w + "x" for w in narrow]


def test_a_word_the_rules_never_use_asks_for_its_group_mates(courses):
    s = search.searcher_for(courses).scoped(["courses"])
    assert s._group_synonyms("知らせ") == ["通知"]
    assert s._group_synonyms("通知") == []       # the rules' own word needs no stand-in
    words = s._query("受講者への知らせに他の人の分が入ってないか")[2]
    assert "通知" in words


@pytest.mark.parametrize("q, clause", [
    # declined before: the question's own words were counted only where the clause used them as typed
    ("受講者のリスト作ったら何か残しておく？", "courses:a4"),
    ("掲示板に受講者の名前書いてもいい？", "courses:a5"),
    ("領収書にサインする人は決めておく？", "courses:a6"),
    # filming on video is filming
    ("講座をビデオに撮ってもいい？", "courses:a7"),
    ("講座の様子を動画で撮っておきたいんだけど", "courses:a7"),
])
def test_the_clause_that_says_it_formally_answers(courses, q, clause):
    a = ask.answer(courses, q, source="courses")
    assert a.found, (q, a.message)
    assert a.hits[0].clause_id == clause, (q, [h.clause_id for h in a.hits[:3]])


@pytest.mark.parametrize("q", ["公民館の鍵が固くて回らない、油さしていい？", "公民館の給食って業者に頼めるの？"])
def test_an_outside_topic_still_needs_its_own_words(courses, q):
    assert not ask.answer(courses, q, source="courses").found
