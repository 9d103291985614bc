"""The domain vocabulary (knowledge/concepts/*.toml), third round: a library system and counter
reception (窓口受付), asked the way staff type on a phone.

Both attachments were written for these tests in the usual municipal style. Before this round 12 of
the 16 questions written for them came first; 「ツール入れたい」 (install) and 「家から繋いで」 (remote
maintenance, kanji 繋) were declined and now pass. Two still fail and are left out (an ID check at the
counter loses to the phone-enquiry clause; 「違う人に渡しちゃった」 lost to another clause until a
handover to the wrong person counted as a mishap, in session six): see the helper's report.
"""
import pytest

from conftest import attachment_db
from handlers import ask

LIBRARY = """図書館システム運用保守業務 情報セキュリティ特記事項
1 利用者情報の取扱い
(1) 受託者は、利用者の氏名、住所、貸出履歴その他の利用者情報を、本業務の目的以外に利用してはならない。
(2) 受託者は、貸出履歴を第三者に提供してはならない。
2 作業場所
受託者は、利用者情報を取り扱う作業を、市が指定する事務室内で行わなければならない。
3 端末の管理
(1) 受託者は、業務に使用する端末に、市の許可なくソフトウェアをインストールしてはならない。
(2) 受託者は、端末から離れるときは、画面をロックしなければならない。
4 記録媒体
受託者は、市の承認を得ないで、利用者情報を電磁的記録媒体に複製してはならない。
5 持出しの禁止
受託者は、利用者情報を記録した資料を、市の許可なく作業場所の外へ持ち出してはならない。
6 リモート保守
受託者は、遠隔から保守を行うときは、あらかじめ市の承認を得た接続方法によらなければならない。
7 従事者
(1) 受託者は、本業務に従事する者の名簿を、作業開始前に市に提出しなければならない。
(2) 受託者は、従事者に対し、個人情報保護に関する研修を作業開始前に実施しなければならない。
8 事故報告
受託者は、利用者情報の漏えい、滅失その他の事故が発生したときは、直ちに市に報告しなければならない。
9 資料の返還
受託者は、業務の終了後、市から提供を受けた資料を速やかに返還しなければならない。
"""

COUNTER = """窓口受付業務委託 個人情報取扱特記事項
1 本人確認
受託者は、証明書の交付申請を受け付けるときは、運転免許証等により申請者の本人確認を行わなければならない。
2 申請書の管理
(1) 受託者は、受け付けた申請書を、業務時間中は施錠できる書庫に保管しなければならない。
(2) 受託者は、申請書を窓口のカウンター上に放置してはならない。
3 私物の持込み
受託者は、従事者に携帯電話その他の私物を窓口内に持ち込ませてはならない。
4 のぞき見の防止
受託者は、来庁者から端末の画面が見えないよう措置しなければならない。
5 守秘義務
従事者は、業務上知り得た来庁者の情報を他に漏らしてはならない。業務を離れた後も同様とする。
6 問合せへの対応
受託者は、電話による個人情報の問合せには、本人であることを確認できない限り回答してはならない。
7 名札の着用
従事者は、業務中は市が貸与する名札を着用しなければならない。
8 苦情の報告
受託者は、来庁者から苦情を受けたときは、その内容を記録し、市に報告しなければならない。
9 事故の報告
受託者は、申請書の紛失、交付誤りその他の事故が生じたときは、直ちに市に報告しなければならない。
"""


@pytest.fixture(scope="module")
def dbs(tmp_path_factory):
    return {slug: attachment_db(tmp_path_factory.mktemp(slug), slug, text, shipped=False)
            for slug, text in (("lib", LIBRARY), ("counter", COUNTER))}


@pytest.mark.parametrize("q, clause", [
    ("借りた本の記録、知り合いに教えてもいい？", "lib:s1.i2"),
    ("貸出の記録を統計以外に使っていい？", "lib:s1.i1"),
    ("便利なツール入れたいんだけど", "lib:s3.i1"),
    ("トイレ行くときパソコンそのままでいい？", "lib:s3.i2"),
    ("利用者データUSBにコピーしていい？", "lib:s4.p1"),
    ("家から繋いで直してもいい？", "lib:s6.p1"),
    ("新しく入った人、市に名前出さなきゃいけない？", "lib:s7.i1"),
    ("繁忙期だけ応援で一人入ってもらうんだけど、市に何か出す？", "lib:s7.i1"),
    ("契約終わったら借りた資料どうする？", "lib:s9.p1"),
    ("申請書ってカウンターに置きっぱなしでいい？", "counter:s2.i2"),
    ("スマホ窓口に持ってっていい？", "counter:s3.p1"),
    ("お客さんから画面見えちゃうんだけど", "counter:s4.p1"),
    ("辞めた後なら話してもいい？", "counter:s5.p1"),
    ("電話で住所教えてって言われたら答えていい？", "counter:s6.p1"),
    ("クレーム言われたらどうする？", "counter:s8.p1"),
    # a handover to the wrong person is a mishap: the duty to report it leads (handlers/ask.EVENT)
    ("さっき窓口で、住民票を違う人に渡しちゃった…", "counter:s9.p1"),
    # 「…ないとだめ？」 asks whether one must (knowledge/asking._MUST): no lift for a prohibition
    ("窓口で住民票取りに来た人、免許証見せてもらわないとだめ？", "counter:s1.p1"),
])
def test_right_clause_first(dbs, q, clause):
    a = ask.answer(dbs[clause.split(":")[0]], q, source="架空市")
    assert a.found, (q, a.message)
    assert a.best.clause_id == clause, (q, a.best.clause_id)
