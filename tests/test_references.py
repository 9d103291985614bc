"""「前項は、…についても適用される」: the answer shows the paragraphs such a paragraph refers to."""
import pytest

from bot.render_blocks import answer_messages
from bot.render_text import answer_text
from conftest import attachment_db
from handlers import ask
from knowledge.references import how_many_before, referred

# Two articles whose second paragraphs have the same words and extend different duties.
TEXT = """第1条 受託者は、市から提供された情報資産を目的外に利用してはならない。
２ 前項は、転勤等により委託業務に従事しなくなった者についても適用される。
第2条 受託者は、業務上知り得た情報を他に漏らしてはならない。
２ 前項は、転勤等により委託業務に従事しなくなった者についても適用される。
第3条 受託者は、情報資産を廃棄したときは、その記録を作成しなければならない。
２ 受託者は、前項の記録を市に提出しなければならない。
"""


@pytest.mark.parametrize("text, n", [("前項は、…適用される。", 1), ("前２項は、…", 2), ("前二項の規定は", 2),
                                     ("前各項の規定は", 0), ("前項において、受託者は", 1),
                                     ("受託者は、前項の記録を提出", None), ("前述のとおり", None)])
def test_how_many_paragraphs_an_opening_refers_to(text, n):
    assert how_many_before(text) == n


def test_the_referred_paragraphs_are_the_ones_just_before():
    earlier = [("第9第1項", "a"), ("第9第2項", "b")]
    assert referred("前項は…", earlier) == (("第9第2項", "b"),)
    assert referred("前2項は…", earlier) == tuple(earlier)
    assert referred("前各項は…", earlier) == tuple(earlier)
    assert referred("受託者は…", earlier) == ()
    assert referred("前項は…", []) == ()


@pytest.fixture(scope="module")
def refs_db(tmp_path_factory):
    return attachment_db(tmp_path_factory.mktemp("refs"), "refs", TEXT, title="情報セキュリティ要件", shipped=False)


def test_paragraphs_with_the_same_words_say_which_duty_they_extend(refs_db):
    a = ask.answer(refs_db, "異動した人にも、知った情報を漏らすなという決まりは続く？")
    text = answer_text(a)
    blocks = str(answer_messages(a))
    for n in (1, 2):
        assert f"第{n}条第2項（第{n}条第1項について）: 前項は、" in text
        assert f"第{n}条第2項（第{n}条第1項について）" in blocks


def test_a_former_paragraph_extension_as_the_answer_quotes_what_it_extends(refs_db):
    a = ask.answer(refs_db, "転勤で外れた人も、前の決まりが適用されるの？目的外利用のやつ")
    best = next(h for h in a.hits if h.clause_id == "refs:a1.p2")
    assert best.refers == (("第1条第1項", "受託者は、市から提供された情報資産を目的外に利用してはならない。"),)
    one = ask.Answer(a.question, True, best.verdict, "", best)
    assert "※ 冒頭の「前項」等が指す第1条第1項: 「受託者は、市から提供された情報資産を目的外に利用してはならない。」" \
        in answer_text(one)
    assert "冒頭の「前項」等が指す第1条第1項" in str(answer_messages(one))


def test_a_paragraph_that_only_mentions_the_former_one_later_shows_nothing_more(refs_db):
    a = ask.answer(refs_db, "廃棄の記録は市に出す？")
    h = next(h for h in a.hits if h.text.startswith("受託者は、前項の記録"))
    assert h.refers == ()
