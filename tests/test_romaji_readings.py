"""Questions typed without kanji (romaji, all kana): the documents' words found by their readings,
and topics no rule covers recognised in kana too (knowledge/readings.py, knowledge/search.py)."""
import pytest

from handlers import ask
from knowledge.readings import Readings


def test_kana_is_read_against_the_documents_words():
    r = Readings(["会社", "作業", "持ち出す", "忘れる", "モニター", "医者"])
    found = r.find("かいしゃのさぎょうでもちだしたもにたあをわすれた")
    # 会社 (not か + 医者), a verb by its stems (もちだし, わすれ), a loanword typed with its long vowel
    assert found == ["会社", "作業", "持ち出す", "モニター", "忘れる"]


def test_short_readings_are_not_words():
    # して, から, ない are ordinary kana: a two-kana reading never makes a word
    assert Readings(["市", "手", "家"]).find("いえからしてない") == []


def test_latin_and_kanji_text_is_left_to_sudachi():
    assert Readings(["会社"]).find("会社で USB") == []


@pytest.mark.parametrize("q", [
    "torihikisaki ni oseibo okutte mo ii?",          # a gift (お歳暮) in romaji
    "bounenkai no kaijou tte doko datta kke?",       # the year-end party's place
    "yuukyuu tte nannichi nokotteru?",              # days of paid leave left
    "ぼうねんかいのかいじょうってどこだっけ？",          # the same, in kana
])
def test_topics_no_rule_covers_are_declined_in_romaji_and_kana(kb_db, q):
    a = ask.answer(kb_db, q)
    assert not a.found, (q, a.best.text if a.hits else None)


@pytest.mark.parametrize("q, gold", [
    # romaji a phone keyboard makes; the kana alone mislead Sudachi (か + 医者, ぎょう)
    ("ririisu shitara kouchiku menbaa no akaunto wa kesu no?", "開発完了後、開発用"),
    ("uirusu sofuto omoikara jouchuu kitte ii?", "常駐させること"),
    ("kinkyuuji no renrakusaki tte jizen ni kimete oku hitsuyou aru?", "緊急時"),
])
def test_romaji_questions_find_their_clause(kb_db, q, gold):
    a = ask.answer(kb_db, q, top=3)
    assert a.found, (q, a.message)
    assert gold in "".join(a.best.text.split()), (q, a.best.text)


def test_a_two_kana_verb_is_found_by_its_te_and_ta_forms():
    # 貸す (かす) and 捨てる (すてる) are too short as stems; かして, すてた are not
    assert Readings(["貸す", "捨てる"]).find("かーどかしてもいい？すてたらだめ？") == ["貸す", "捨てる"]
