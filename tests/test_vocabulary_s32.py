"""Everyday phrasings that missed on attachments never seen (session 32): each is a way staff say a
situation that any contract's rules cover, not a wording of one document.

- romaji with English loanwords in it (「Excel zip ni shite okuru toki, pass wa onaji mail de ii?」) was taken for
  English and not converted, and a particle typed alone (「pass wa」) was read as わ;
- 「人の電話番号教えて」 asks for someone's personal details, not the office's number (an outside topic);
- 「業者さんに頼む」 is outsourcing, though 「業者さん」 alone is a visitor;
- 「紙に出して」 is printing, 「席を離れる」 is how rules say leaving one's desk, 「映りこんで」 is 映り込む,
  「うちの別イベントのお知らせ」 is use for another purpose.

The attachment was written for these tests in the usual municipal style.
"""
import pytest

from conftest import assert_first, attachment_db, concepts
from handlers import ask
from knowledge import concept_map, romaji


POOL = """市民プール管理運営業務 個人情報取扱特記事項
1 利用者情報
(1) 受託者は、利用者の氏名、連絡先その他の利用者情報を、本業務以外の目的に利用してはならない。
(2) 受託者は、利用者から他の利用者の連絡先を尋ねられても、答えてはならない。
(3) 受託者は、利用者の一覧を印刷してはならない。
2 電子データの受渡し
受託者は、利用者情報を電子メールで送るときは、ファイルにパスワードを設定し、そのパスワードは別の手段で伝えなければならない。
3 再委託
受託者は、本業務の全部又は一部を第三者に委託してはならない。ただし、あらかじめ市の書面による承認を得たときは、この限りでない。
4 受付端末
受託者は、受付の端末から席を離れるときは、ログオフしなければならない。
5 写真
受託者は、広報用の写真に写り込んだ利用者の顔には、ぼかしを入れなければならない。
6 事故報告
受託者は、利用者情報の漏えいその他の事故が生じたときは、直ちに市に報告しなければならない。
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return attachment_db(tmp_path_factory.mktemp("pool"), "pool", POOL, shipped=False)


@pytest.mark.parametrize("q, clause", [
    ("Excel zip ni shite okuru toki, pass wa onaji mail de ii?", "pool:s2.p1"),
    ("常連さんに、ほかのお客さんの電話番号教えてって言われた", "pool:s1.i2"),
    ("清掃だけ別の業者さんに頼んでもいい？", "pool:s3.p1"),
    ("利用者の一覧、紙に出して手元に置いといていい？", "pool:s1.i3"),
    ("プールの写真に子どもの顔が映りこんでるけど、そのまま載せていい？", "pool:s5.p1"),
    ("会員さんたちに、うちの別イベントのお知らせ送ってもいい？", "pool:s1.i1"),
])
def test_right_clause_first(db, q, clause):
    assert_first(db, q, clause)


def test_office_number_is_still_not_a_rule_question(db):
    # the office's own number is an everyday question no rule answers
    a = ask.answer(db, "市役所の電話番号教えて", source="架空市")
    assert not a.found, a.best and a.best.clause_id


@pytest.mark.parametrize("typed, read", [
    ("Excel zip ni shite okuru toki, pass wa onaji mail de ii?", "エクセル zip にしておくるとき, パスはおなじ mail でいい?"),
    ("excel no pass oshiete", "エクセルのパスおしえて"),
])
def test_romaji_with_loanwords_is_read_as_kana(typed, read):
    assert romaji.to_kana(typed) == read


@pytest.mark.parametrize("english", [
    "Can I copy the Excel file to my USB?",
    "Is it ok to send the password in the same mail?",
])
def test_english_with_the_same_loanwords_stays_english(english):
    assert romaji.to_kana(english) == english


# How rules say it: 番号を控えない (copy), 見える位置に置かない (seen by others), 聞こえないよう (overheard),
# 携帯電話の使用 (a phone at work), 連絡先を交換させない (private contact), 話さない (confidentiality),
# 自らの判断で決めない (ask the city), …以外に見せない (disclosure).
HALL = """市民センター受付業務 個人情報取扱特記事項
1 受付
(1) 受託者は、受付で確認した会員証の番号を控えないこと。
(2) 受託者は、予約者の一覧を来館者から見える位置に置かないこと。
(3) 受託者は、相談の内容が他の来館者に聞こえないよう、相談室を使うこと。
2 作業室
受託者は、作業室内での私用の携帯電話の使用を禁じること。
3 利用者との関係
(1) 受託者は、従事者に利用者と連絡先を交換させないこと。
(2) 受託者は、利用者の家庭の事情を館外で話さないこと。
4 事故報告
受託者は、個人情報の漏えいその他の事故が生じたときは、直ちに市に報告すること。
5 判断
受託者は、減免の可否に迷うときは、自らの判断で決めずに市の職員に確認すること。
6 健康情報
受託者は、申込書の既往症の欄を、看護師以外に見せないこと。
"""


@pytest.fixture(scope="module")
def hall(tmp_path_factory):
    return attachment_db(tmp_path_factory.mktemp("hall"), "hall", HALL, shipped=False)


@pytest.mark.parametrize("q, clause", [
    ("会員さんのカード番号、次回楽だからメモっといていい？", "hall:s1.i1"),
    ("予約の一覧、カウンターの上に出しといてもいい？", "hall:s1.i2"),
    ("窓口の話が後ろに並んでる人に丸聞こえなんだけど", "hall:s1.i3"),
    ("作業中にちょっとLINE返すのもダメ？", "hall:s2.p1"),
    ("利用者さんにLINE教えてって言われた", "hall:s3.i1"),
    ("あの子の家のこと、帰りにママ友に話しちゃった", "hall:s3.i2"),
    ("減免になるかどうか微妙な人、自分で決めちゃっていい？", "hall:s5.p1"),
    ("持病の欄、受付の人にも見せていい？", "hall:s6.p1"),
])
def test_rules_wording_meets_everyday_words(hall, q, clause):
    assert_first(hall, q, clause)


def test_deciding_alone_is_a_concept_of_question_and_rule():
    asked = concepts("点数つけるの迷ったら自分で決めちゃっていい？")
    ruled = {c.id for c in concept_map.in_clause("判断に迷うときは、自らの判断で決めずに市の職員に確認すること。")}
    assert "own_judgement" in asked & ruled, (asked, ruled)


# Two situations of every facility that serves people (a children's centre, a clinic, a library, a pool):
# someone asks whether a person is there, and someone comes to take a child home.
CENTRE = """児童センター運営業務 個人情報取扱特記事項
1 問合せへの対応
受託者は、電話で特定の児童が来館しているかどうかを問い合わせられたときは、来館の有無を答えないこと。
2 児童の引渡し
受託者は、児童を迎えに来た者が、登録された保護者であることを確かめてから児童を引き渡すこと。
3 記録の保管
受託者は、来館記録を施錠できる書庫に保管すること。
4 事故報告
受託者は、個人情報の漏えいその他の事故が生じたときは、直ちに市に報告すること。
"""


@pytest.fixture(scope="module")
def centre(tmp_path_factory):
    return attachment_db(tmp_path_factory.mktemp("centre"), "centre", CENTRE, shipped=False)


@pytest.mark.parametrize("q, clause", [
    ("「うちの子、今日そっちに来てますか？」って知らない番号から電話きた", "centre:s1.p1"),
    ("見たことないおじさんが「親戚です」ってお迎えに来た", "centre:s2.p1"),
])
def test_facility_situations(centre, q, clause):
    assert_first(centre, q, clause)


def test_presence_and_pickup_are_concepts():
    assert "presence_inquiry" in concepts("「父がそっちに運ばれてます？」って電話")
    assert "child_handover" in concepts("いつもと違う人が迎えに来た")
    # a gathering's attendance is not someone's presence
    assert "presence_inquiry" not in concepts("忘年会の出欠っていつまで？")
