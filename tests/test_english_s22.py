"""English questions, session 22: knowledge/english.toml grown from the rules' side, so the everyday
English staff type meets the words the attachments are written with (修理, 承諾, 鍵, 問い合わせ,
本人確認, 原因, 放置, 請求 …). On an attachment written for this test and on the shipped documents,
asked the way staff talk and not as any eval line."""
import pytest

from conftest import attachment_db
from handlers import ask
from knowledge import english

RULES = """機器保守業務委託 情報セキュリティ遵守事項
第1条 受託者は、故障した機器を修理に出すときは、内部の情報を消去した後に出さなければならない。
第2条 受託者は、私物の端末を本業務に使用してはならない。
第3条 受託者は、スマートフォン等の携帯電話を作業室に持ち込んではならない。
第4条 受託者は、作業室の鍵を鍵箱で管理し、貸出しの都度、記録しなければならない。
第5条 受託者は、情報資産を施錠できる場所に保管しなければならない。
第6条 受託者は、利用者から問い合わせがあったときは、本人確認を行った後に回答しなければならない。
第7条 受託者は、事故が発生したときは、その原因を調査し、再発防止策を市に報告しなければならない。
第8条 受託者は、本業務に関して市に損害を与えたときは、市の請求に基づき、その損害を賠償しなければならない。
第9条 受託者は、作業中に席を離れるときは、書類を机上に放置してはならない。
第10条 受託者は、機器を運搬するときは、施錠できるケースに入れて運搬しなければならない。
第11条 受託者は、事故が発生したときは、直ちに市に報告しなければならない。
第12条 受託者は、本業務に関して第三者に損害を与えたときは、その損害を賠償しなければならない。
"""


@pytest.fixture(scope="module")
def rules(tmp_path_factory):
    return attachment_db(tmp_path_factory.mktemp("s22"), "s22", RULES, shipped=False)


@pytest.mark.parametrize("q, clause", [
    ("can I bring my smartphone into the machine room if it stays in my pocket?", "s22:a3"),
    ("is there a rule about the spare keys?", "s22:a4"),
    ("a library user phoned with an inquiry about their own record. can I just answer?", "s22:a6"),
    ("after an incident, do we have to find the cause?", "s22:a7"),
])
def test_everyday_english_meets_the_attachments_words(rules, q, clause):
    assert english.is_english(q)
    a = ask.answer(rules, q, source="架空市")
    assert a.found, (q, a.message)
    assert a.best.clause_id == clause, (q, a.best.clause_id, a.best.text)


@pytest.mark.parametrize("q, words", [
    ("we need to send the broken scanner off for repair", {"修理"}),
    ("do I have to ask the person to prove their identity first?", {"本人確認"}),
    ("can we keep the spare key in a drawer?", {"鍵"}),
    ("if we cause damage, can the city send us a bill?", {"請求"}),
    ("what do we do if a visitor's smartphone is left in the room?", {"スマートフォン"}),
])
def test_the_rule_words_are_read(q, words):
    assert words <= set(english.read(q).rule_words), english.read(q)
