"""The domain vocabulary, session 23, grown from the rules' side: the verbs and nouns of what people do and say
on the job that many attachments are written with (照会, 問う, 聞き取る, 状況, 話題, 加筆, 公表, 統合, 混在, 放置,
近隣, 警察, 状態, 修正, 本人確認, 勧誘, 撮影), each met by the word staff use in telling what happened (尋ねる,
聞き出す, 噂, 盛り上がる, 書き足す, 載せる, 一本化, 統一, 混ぜる, ほったらかし, 隣人, 刑事, 具合, 体調, 手直し, 身元,
セールス, 盗撮). On an attachment written for this test, where several clauses share a thing (利用者, 申請書, 名簿,
来庁者, 窓口) and the everyday word is what tells them apart; asked the way staff talk, not as any evaluation line.
Each question here goes to another clause, or to none, with main's vocabulary files (knowledge/synonyms.toml before
this pass); entries whose question a concept, a Sudachi group or the other words already answered on this
attachment (マスコミ, 記者, 取材, 息子, 返し, 又貸し, 頼み, 呼ぶ, 張り紙, 走り書き, 言付け, 受け答え, 調子) have no
line, and 主人/旦那 (a relative asking) went to the identity-check clause, by the concept of asking for family."""
import pytest

from conftest import attachment_db
from handlers import ask

RULES = """訪問支援業務委託 情報セキュリティ遵守事項
1 利用者の情報
(1) 従事者は、利用者の状況について近隣の住民から問合せを受けたときは、回答してはならない。
(2) 従事者は、利用者の親族から照会を受けたときは、市に報告しなければならない。
(3) 従事者は、報道機関から申込みを受けたときは、市に引き継がなければならない。
(4) 従事者は、警察から照会を受けたときは、市の指示に従わなければならない。
(5) 従事者は、業務で知り得た利用者の情報を職場の話題にしてはならない。
(6) 従事者は、業務に必要のない事項を利用者から聞き取ってはならない。
2 申請書
(1) 従事者は、申請書に加筆してはならない。
(2) 従事者は、申請書を複写してはならない。
(3) 従事者は、申請書を机上に放置してはならない。
(4) 従事者は、申請書を他の業務の申請書と混在させてはならない。
(5) 従事者は、申請書を使用した後は、市に返却しなければならない。
(6) 従事者は、申請書の写しを保持してはならない。
(7) 受注者は、申請書に係る事故の内容を市の許可なく公表してはならない。
(8) 受注者は、申請書の記載例を市の広報紙に掲載するときは、市の承認を得なければならない。
3 名簿
(1) 受注者は、名簿を他の名簿と統合してはならない。
(2) 受注者は、名簿を第三者に貸与してはならない。
(3) 受注者は、名簿を作成するときは、市の承認を得なければならない。
(4) 受注者は、名簿の作成に協力した事業者を市に報告しなければならない。
4 その他
(1) 従事者は、市から貸与された機器を第三者に使用させてはならない。
(2) 従事者は、市の職員から依頼を受けた作業であっても、責任者の指示を受けてから行わなければならない。
(3) 従事者は、他の事業者の作業に協力するときは、市の承認を得なければならない。
(4) 従事者は、利用者の状態に異変を認めたときは、直ちに市に報告しなければならない。
5 窓口
(1) 従事者は、申請書の誤りを見付けたときは、申請者に修正を求めなければならない。
(2) 従事者は、来庁者の氏名を読み上げてはならない。
(3) 従事者は、来庁者の本人確認を行わなければならない。
(4) 従事者は、来庁者への応答は丁寧に行わなければならない。
(5) 従事者は、来庁者からの伝言を記録しなければならない。
(6) 従事者は、窓口で私語をしてはならない。
(7) 従事者は、来庁者に対し、物品の勧誘を行ってはならない。
(8) 従事者は、来庁者から聞いた内容を復唱しなければならない。
(9) 従事者は、来庁者の氏名をメモに書いてはならない。
(10) 従事者は、窓口の掲示物を市の承認なく変更してはならない。
(11) 従事者は、窓口を撮影してはならない。
(12) 受注者は、窓口業務の支援に当たる者を市に届け出なければならない。
"""


@pytest.fixture(scope="module")
def visits(tmp_path_factory):
    return attachment_db(tmp_path_factory.mktemp("visits"), "visits", RULES, shipped=False)


@pytest.mark.parametrize("q, clause", [
    ("隣の人から利用者のことを尋ねられた", "s1.i1"),              # 尋ねる -> 問い合わせ
    ("隣人から利用者のことを尋ねられた", "s1.i1"),                # 隣人 -> 近隣
    ("刑事さんから照会が来た", "s1.i4"),                          # 刑事 -> 警察 (not a relative)
    ("利用者さんのことで盛り上がった", "s1.i5"),                  # 盛り上がる -> 話題
    ("利用者さんのことが休憩中に噂になってた", "s1.i5"),          # 噂 -> 話題
    ("利用者さんから聞き出していい？", "s1.i6"),                  # 聞き出す -> 聞き取る
    ("申請書に書き足していい？", "s2.i1"),                        # 書き足す -> 加筆
    ("申請書をほったらかしにしてた", "s2.i3"),                    # ほったらかし -> 放置
    ("別の申請書と混ぜちゃった", "s2.i4"),                        # 混ぜる -> 混在
    ("事故のことを会社のホームページに載せたい", "s2.i7"),        # 載せる -> 公表 (not mixing papers)
    ("名簿を一本化したい", "s3.i1"),                              # 一本化 -> 統合
    ("二つの名簿を統一したい", "s3.i1"),                          # 統一 -> 統合
    ("利用者さんの具合が悪そう", "s4.i4"),                        # 具合 -> 状態
    ("利用者さんの体調が変", "s4.i4"),                            # 体調 -> 状態
    ("申請書を手直ししてもらう", "s5.i1"),                        # 手直し -> 修正
    ("お客さんの身元はどう確かめる？", "s5.i3"),                  # 身元 -> 本人確認
    ("お客さんにセールスしていい？", "s5.i7"),                    # セールス -> 勧誘 (not mixing papers)
    ("窓口の盗撮に気付いた", "s5.i11"),                           # 盗撮 -> 撮影
])
def test_an_everyday_word_of_what_people_do_and_say_meets_the_rules_word(visits, q, clause):
    a = ask.answer(visits, q, source="架空市")
    assert a.found, (q, a.message)
    assert a.best.clause_id == f"visits:{clause}", (q, a.best.clause_id, a.best.text)
