"""The domain vocabulary, session 22, second pass from the rules' side: words only one development attachment
uses but any municipal contract could have (休憩時間), and the rules' verbs staff say otherwise (点検, 同乗,
読み上げる, 携行, 発送, 汚損), each met by the word staff type instead (見回る, 相乗り, 音読, 持ち歩く, 郵送, 汚す,
昼休み). On an attachment written for this test, where several clauses share a thing (申請書, 来庁者, 作業場所) and
the everyday word is what tells them apart; asked the way staff talk, not as any evaluation line. Each question
here went to another clause before these entries (knowledge/synonyms.toml); the entries whose question the
reading or a Sudachi group already answered on this attachment (かぎ, スマフォ, マイナ, 火事, 接客) have no line."""
import pytest

from conftest import attachment_db
from handlers import ask

RULES = """窓口受付業務委託 情報セキュリティ遵守事項
1 申請書
(1) 従事者は、書き損じた申請書を市に返却しなければならない。
(2) 従事者は、申請書を什器に保管するときは、その扉を閉じなければならない。
(3) 従事者は、申請書を更衣室に持ち込んではならない。
(4) 従事者は、申請書を発送するときは、宛て先を確認しなければならない。
(5) 従事者は、申請書を汚損したときは、市に報告しなければならない。
(6) 従事者は、申請書の内容を窓口で読み上げてはならない。
(7) 従事者は、申請書を受け渡しするときは、受領簿に記録しなければならない。
(8) 従事者は、申請書を自ら投函してはならない。
(9) 従事者は、申請書を携行するときは、鞄に入れなければならない。
2 来庁者
(1) 従事者は、来庁者に応対するときは、名札を着用しなければならない。
(2) 従事者は、来庁者の個人番号カードを複写してはならない。
(3) 従事者は、来庁者を車両に同乗させてはならない。
(4) 従事者は、休憩時間に来庁者の情報を話題にしてはならない。
(5) 従事者は、来庁者の氏名を第三者に漏らしてはならない。
3 作業場所
(1) 受注者は、作業場所を毎日点検しなければならない。
(2) 受注者は、作業場所で火災が起きたときは、直ちに市に報告しなければならない。
(3) 従事者は、作業場所で携帯電話を使用してはならない。
(4) 従事者は、作業場所を離れるときは、施錠しなければならない。
(5) 受注者は、作業場所に従事者の名簿を備えなければならない。
"""


@pytest.fixture(scope="module")
def counter(tmp_path_factory):
    return attachment_db(tmp_path_factory.mktemp("counter"), "counter", RULES, shipped=False)


@pytest.mark.parametrize("q, clause", [
    ("申請書を郵送していい？", "s1.i4"),                          # 郵送 -> 発送
    ("申請書汚しちゃった", "s1.i5"),                              # 汚す -> 汚損
    ("申請書を音読してもいい？", "s1.i6"),                        # 音読 -> 読み上げる
    ("申請書を持ち歩くときは？", "s1.i9"),                        # 持ち歩く -> 携行
    ("来庁者と相乗りしていい？", "s2.i3"),                        # 相乗り -> 同乗
    ("昼休みに来庁者の話していい？", "s2.i4"),                    # 昼休み -> 休憩時間
    ("作業場所を見回るのはいつ？", "s3.i1"),                      # 見回る -> 点検
])
def test_an_everyday_word_meets_the_word_one_attachment_uses(counter, q, clause):
    a = ask.answer(counter, q, source="架空市")
    assert a.found, (q, a.message)
    assert a.best.clause_id == f"counter:{clause}", (q, a.best.clause_id, a.best.text)
