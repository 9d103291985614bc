"""The domain vocabulary, session twelve: doing what the lead says (言うとおり), a leaking roof over stored
papers (雨漏り), someone moved to another department (別の部署に移った), a personal tablet carried into the
work room, eating and drinking there (飲みながら), a change asked for on the phone (内線で頼まれた), handing
printing to another company (印刷会社に回す), moving papers out of the way (どかす), stepping away from a
laptop in English; a home named as where someone is called (自宅の電話番号) is not work taken home; a
deadline (５日前までに) answers 「いつまでに」. Asked on an attachment written for these tests (keying in
child-allowance claims), in words none of the question sets use.
"""
import pytest

from conftest import attachment_db
from handlers import ask
from knowledge import concept_map

CLAIMS = """児童手当認定請求書入力及び保管業務委託 情報セキュリティ特記事項
第1条 作業員は、作業責任者の指示に従い、本業務を行わなければならない。
第2条 受託者は、預かった請求書について、紛失、損傷及び滅失の事故が生じないよう保管しなければならない。
第3条 受託者は、転勤又は異動により本業務に従事しなくなった者から、貸与した資料を返還させなければならない。
第4条 作業員は、私物の携帯端末を作業室に持ち込んではならない。
第5条 作業員は、作業室に飲食物を持ち込んではならない。
第6条 受託者は、市の職員から口頭又は電話による依頼を受けたときは、書面による指示があるまで入力を変更してはならない。
第7条 受託者は、あらかじめ市の承認を得なければ、本業務を他の事業者に再委託してはならない。
第8条 受託者は、請求者の自宅又は私用の電話番号に連絡してはならない。
第9条 受託者は、請求書を作業室の外に持ち出してはならない。
第10条 受託者は、作業員を追加するときは、その作業員が作業に加わる５日前までに市に届け出なければならない。
第11条 作業員は、職員の机上の書類を自ら移動させず、市の職員に移動を依頼しなければならない。
第12条 作業員は、作業端末から離れるときは、画面をロックしなければならない。
第13条 受託者は、警察、保険会社その他の第三者から請求者に関する照会を受けたときは、回答せず、市に引き継がなければならない。
第14条 受託者の事務所の環境で作業を行うときは、受託者の責任においてセキュリティ対策を行わなければならない。
第15条 受託者及び市は、緊急時の連絡先をあらかじめ相互に通知しなければならない。
第16条 受託者は、再委託先との契約において、再委託先に対する管理及び監督の方法を具体的に定めなければならない。
"""


@pytest.fixture(scope="module")
def claims(tmp_path_factory):
    return attachment_db(tmp_path_factory.mktemp("claims"), "claims", CLAIMS, title=CLAIMS.splitlines()[0])


@pytest.mark.parametrize("q, clause", [
    ("新人なんですけど、リーダーの言うとおりに動いてれば大丈夫ですよね？", "claims:a1"),
    ("保管してる倉庫が雨漏りしてて箱が濡れそう", "claims:a2"),
    ("前のメンバー、別の部署に移ったけど資料持ったままっぽい", "claims:a3"),
    ("自分のiPad、作業部屋に持ってってもいい？", "claims:a4"),
    ("コーヒー飲みながら入力してもいい？", "claims:a5"),
    ("課長から内線で「この人の口座番号直しといて」って頼まれた、やっちゃっていい？", "claims:a6"),
    ("郵送の宛名の印刷、グループの印刷会社に回していい？", "claims:a7"),
    ("忙しいから請求書を家に持って帰ってやってもいい？", "claims:a9"),
    ("来週から一人増えるんだけど、市にはいつまでに言えばいい？", "claims:a10"),
    ("配線の邪魔だから机の上の書類ちょっとどかしていい？", "claims:a11"),
    ("is it ok if I'm leaving my laptop open for a minute to grab a coffee?", "claims:a12"),
    ("受付ちょっと離れるだけなら画面出しっぱでいいよね？", "claims:a12"),
    ("a detective called asking if a certain claimant lives at that address, can I answer?", "claims:a13"),
    ("会社の事務所でやる分のセキュリティって、うちが面倒見るってこと？", "claims:a14"),
    ("if our server goes down on a sunday night, whose number at the city do we call?", "claims:a15"),
    ("下請けさんとの契約書、ひな形のまんまでいい？チェックのやり方まで書かなきゃダメ？", "claims:a16"),
])
def test_claims_keying(claims, q, clause):
    a = ask.answer(claims, q, source="claims")
    assert a.found and a.hits[0].clause_id == clause, (q, [h.clause_id for h in a.hits[:3]] if a.found else a.message)


def test_a_home_called_is_not_work_taken_home():
    # 自宅 in 「自宅又は私用の電話番号」 names where someone is called, not data taken home
    ids = [c.id for c in concept_map.in_clause("請求者の自宅又は私用の電話番号に連絡してはならない。")]
    assert "take_out" not in ids
    assert "take_out" in [c.id for c in concept_map.in_clause("請求書を自宅に持ち帰ってはならない。")]


def test_how_it_was_is_no_chat_with_the_bot():
    # 「ひまだったから」 tells why something else happened; 「ひまだなー」 is a remark to the bot
    assert not concept_map.outside(concept_map.without_passing_topics("待ち時間ひまだったからスマホでゲームしてた"))
    assert [c.id for c in concept_map.outside(concept_map.without_passing_topics("ひまだなー"))] == ["chitchat"]


def test_a_health_insurance_card_is_no_insurance_question():
    # 保険証 (an identity document) holds 保険, a facilities topic; a kana-only question reads it too
    assert not concept_map.outside("マイナ保険証のコピー取っていい？")
    assert not concept_map.outside("まいなほけんしょう こぴー とっていい？")
    assert [c.id for c in concept_map.outside("会社の保険って何に入ってる？")] == ["facilities"]


def test_an_extension_line_is_a_phone_not_a_facilities_question():
    assert not concept_map.outside("内線で頼まれた")
    assert [c.id for c in concept_map.outside("内線番号って何番？")] == ["facilities"]


def test_letting_someone_into_a_room_is_no_vote():
    # 「入れてって」 is 「サーバ室に入れてって」 as often as a vote asked for; 「一票入れて」 is the vote
    assert "political_neutrality" not in [c.id for c in concept_map.in_question("業者さんにサーバ室入れてって言われた")]
    assert "political_neutrality" in [c.id for c in concept_map.in_question("知り合いに一票入れてって頼まれた")]


@pytest.mark.parametrize("q, answered", [
    # charging a phone from the work PC is plugging a device in; a flat battery is a how-to
    ("phone battery's almost dead, ok to charge it off the work PC with a USB cable?", True),
    ("my wireless mouse stopped working, dead battery maybe?", False),
])
def test_a_battery_is_a_how_to_only_when_it_is_the_question(kb_db, q, answered):
    assert ask.answer(kb_db, q).found is answered, q


@pytest.mark.parametrize("q", [
    "しゅれっだーのふくろって どこでかえばいい？",
    "ICカードのケースって色決まってる？",
    "研修の日ってお昼ご飯出るの？",
    "委託料っていつ振り込まれるんだっけ",
    "the fan on my work laptop is so loud, how do I make it quieter?",
])
def test_what_no_rule_answers_is_declined(kb_db, q):
    a = ask.answer(kb_db, q)
    assert not a.found, (q, [h.citation for h in a.hits[:2]])


def test_lunch_as_the_occasion_is_still_a_rule_question(kb_db):
    # leaving the work laptop in the car while going for lunch: the lunch is when, not what is asked
    assert ask.answer(kb_db, "仕事のノートPC、車に置いたまま昼ごはん行っていい？").found


@pytest.mark.parametrize("q, clause_says, answers", [
    # the day of the month a thing is due is answered only by a clause that gives a day
    ("報告書の締め日って毎月何日だっけ？", "受託者は、毎月の作業報告書を翌月１０日までに市に提出しなければならない。", True),
    ("報告書の締め日って毎月何日だっけ？", "受託者は、作業報告書を市に提出しなければならない。", False),
    ("名札のストラップって色自由？", "従事者は、名札を着用しなければならない。", False),
])
def test_a_day_or_a_colour_asked_is_answered_only_by_a_clause_that_gives_it(q, clause_says, answers):
    from knowledge.asking import clause_answers_what_is_asked
    assert clause_answers_what_is_asked(q, clause_says) is answers
