"""Small talk and stray input get a short friendly reply; anything that could be a question does not."""
import pytest

from handlers import ask, smalltalk


@pytest.mark.parametrize("text, expect", [
    ("ありがとう", "どういたしまして"), ("ありがとうございます！", "どういたしまして"), ("助かりました🙏", "どういたしまして"),
    ("はい", "承知しました"), ("了解です", "承知しました"), ("OK", "承知しました"), ("わかりました！", "承知しました"),
    ("こんにちは", "こんにちは"), ("おつかれさまです", "おつかれさま"), ("すみません", "お気になさらず"),
    # typed in romaji on a phone
    ("arigatou gozaimasu!", "どういたしまして"), ("ryoukai desu", "承知しました"), ("otsukaresama desu", "おつかれさま"),
    # several at once: the reply answers the thanks, the apology, the greeting before a mere acknowledgement
    ("了解です、ありがとうございます🙏", "どういたしまして"), ("はい、わかりました。ありがとう", "どういたしまして"),
    ("了解ですありがとうございます", "どういたしまして"), ("お疲れ様です！よろしくお願いします", "おつかれさま"),
    ("はい、すみません", "お気になさらず"),
    # a long vowel typed as 「ー」, katakana, half-width katakana from a phone's keyboard
    ("りょーかい", "承知しました"), ("オッケー！", "承知しました"), ("サンキュー", "どういたしまして"),
    ("ｱﾘｶﾞﾄｳ", "どういたしまして"), ("アリガトウゴザイマス", "どういたしまして"), ("ﾘｮｳｶｲです", "承知しました"),
    ("オツカレサマデス", "おつかれさま"), ("ｽﾐﾏｾﾝ", "お気になさらず"),
    ("6", "読み取れませんでした"), ("a", "読み取れませんでした"), ("👍", "読み取れませんでした"), ("！？", "読み取れませんでした"),
])
def test_small_talk_gets_a_friendly_reply(kb_db, text, expect):
    assert expect in smalltalk.reply(text)
    a = ask.answer(kb_db, text)
    assert a.smalltalk and not a.found and expect in a.message and not a.hits


@pytest.mark.parametrize("text", ["USB使っていい？", "PC", "ICカード", "はい、私物のUSBを使ってもいいですか", "テレワーク",
                                  "ありがとう、ところでFAXで送ってもいい？", "再委託", "了解です、USBは？",
                                  "はい、承認は必要ですか",
                                  "usb tsukatte ii?", "arigatou, fakkusu de okutte mo ii?",
                                  "ｳｲﾙｽ", "スマホ", "パスワード", "ｱﾘｶﾞﾄｳ、ﾊﾟｽﾜｰﾄﾞは何文字？"])
def test_anything_that_could_be_a_question_is_searched(kb_db, text):
    assert smalltalk.reply(text) is None
    assert not ask.answer(kb_db, text).smalltalk
