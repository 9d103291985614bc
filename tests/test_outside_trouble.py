"""IT trouble no rule covers is declined, and a rule question asked because of the trouble is answered.

「Wi-Fiのパスワード教えて」「プリンター詰まった」 were answered with a confident verdict from an unrelated clause
(a password rule, 「プリンタ設定変更の禁止」); 「Wi-Fiが遅いから、自分のスマホでテザリングしてもいい？」 was declined
because the trouble it starts with is a topic no rule covers.
"""
import pytest

from handlers import ask
from knowledge import concept_map


@pytest.mark.parametrize("text", [
    "Wi-Fiのパスワード教えて",          # a clause on passwords names the password, not the Wi-Fi's
    "お客さん用のWi-Fiのパスワードって何？",
    "プリンター詰まった",
    "コピー機が詰まった",
    "ネットがつながらない",             # 「漏えいにつながる」 in a clause is not a network connection
    "VPNがつながらない",
])
def test_trouble_no_rule_covers_is_declined(kb_db, text):
    a = ask.answer(kb_db, text)
    assert not a.found and a.best is None and a.verdict is None


@pytest.mark.parametrize("text", [
    "Wi-Fiが遅いから、自分のスマホでテザリングしてもいい？",
    "ネットがつながらないから家で作業していい？",
    "プリンター詰まったから、USBに入れて家で印刷してもいい？",
])
def test_rule_question_asked_because_of_trouble_is_answered(kb_db, text):
    a = ask.answer(kb_db, text)
    assert a.found and a.best is not None and a.verdict


@pytest.mark.parametrize("text, blanked", [
    ("Wi-Fiが遅いから、自分のスマホでテザリングしてもいい？", True),
    ("会社のPCが重すぎて作業にならないので、自分のノートPCで作業してもいい？", True),
    ("プリンター詰まったから困ってる", False),         # nothing asked after the reason
    ("来週の研修、お昼ご飯って出るんですか？", False),   # 「…るんですか」 is no reason
])
def test_trouble_said_as_the_reason_is_background(text, blanked):
    left = concept_map.outside(concept_map.without_passing_topics(text))
    assert (not left) == blanked
