"""The domain vocabulary, session 21: the screen and who saw it, said with words between them
(「画面を他の人に見られた」): the shoulder-surfing concept's phrases in parts (knowledge/concepts/workplace.toml),
on an attachment written for this test, asked the way staff talk and not as any eval line."""
import pytest

from conftest import attachment_db
from handlers import ask
from knowledge import concept_map

COUNTER = """窓口受付業務委託 情報セキュリティ遵守事項
第1条 従事者は、受付端末の画面が来庁者から見えない向きに端末を設置しなければならない。
第2条 従事者は、申請書を受け取ったときは、記載内容を確認した後、施錠できる書庫に保管しなければならない。
第3条 従事者は、来庁者の個人情報を私物の携帯電話で撮影してはならない。
"""


@pytest.fixture(scope="module")
def counter(tmp_path_factory):
    return attachment_db(tmp_path_factory.mktemp("counter"), "counter", COUNTER, shipped=False)


@pytest.mark.parametrize("q", [
    "画面を他の人に見られたかも",
    "窓口でモニターを並んでる人にのぞかれた気がする",
    "画面が後ろのお客さんから見えてるっぽい",
])
def test_the_screen_seen_with_words_between_is_shoulder_surfing(counter, q):
    assert "shoulder_surfing" in {c.id for c in concept_map.in_question(q)}
    a = ask.answer(counter, q, source="架空市")
    assert a.found, (q, a.message)
    assert a.best.clause_id == "counter:a1", (q, a.best.clause_id)


def test_the_parts_stay_in_one_sentence():
    """The screen in one sentence and someone seen in the next is not the phrase."""
    assert "shoulder_surfing" not in {c.id for c in concept_map.in_question("画面を閉じた。鍵を持ってる人に見られたら困る書類がある")}


def test_a_password_on_a_sticky_note_is_one_others_come_to_know(kb_db):
    """A password written on a sticky note on the monitor is the rule on keeping it from others' knowledge
    (他の者に認知されることのないよう), not the rule that IDs and passwords are used for sign-in."""
    a = ask.answer(kb_db, "パスワードを付箋に書いてモニターに貼ってる人がいる")
    assert a.found, a.message
    assert "認知" in a.best.text, (a.best.citation, a.best.text)
