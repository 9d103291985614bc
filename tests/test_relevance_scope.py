"""Whether a rule covers the question, inside one contract's attachment.

An attachment is about a setting (printing, a school, a cloud service) named in its title and in
most of its clauses. A question that only shares that setting (「印刷工場の駐車場」) is not about
any of its rules; one that asks about a situation in that setting still is. Each attachment here
was written for these tests.
"""
import pytest

from conftest import attachment_db
from handlers import ask

PRINTING = """第1条 受注者は、発注者があらかじめ確認した印刷工場の作業区画でのみ本業務を行わなければならない。
第2条 受注者は、印刷データを受け取ったときは、件数を照合し、その結果を発注者に報告しなければならない。
第3条 受注者は、印刷を終えた通知書を施錠できる保管庫に保管しなければならない。
第4条 受注者は、封入封緘の前に、宛名と同封書類の識別番号が一致することを機械で確認しなければならない。
第5条 受注者は、印刷の過程で生じた損紙を工場の外へ持ち出してはならず、裁断して廃棄しなければならない。
第6条 受注者は、業務が終わったときは、宛名データを7日以内に消去し、消去証明書を提出しなければならない。
第7条 受注者は、作業従事者に個人情報の取扱いに関する研修を年1回以上行わなければならない。
"""

CLOUD = """1 受注者は、市の承認を得ずに市の情報を生成AIその他の外部サービスに入力してはならない。
2 受注者は、クラウドサービスの管理画面へのログインに多要素認証を用いなければならない。
3 受注者は、クラウドサービス上の操作ログを1年以上保存しなければならない。
4 受注者は、契約が終了したときは、クラウドサービス上の市の情報を消去し、その結果を市に報告しなければならない。
5 受注者は、データセンターの所在地を国内とし、変更するときはあらかじめ市の承認を得なければならない。
6 受注者は、障害によりサービスが停止したときは、直ちに市に連絡しなければならない。
"""


@pytest.fixture(scope="module")
def printing_db(tmp_path_factory):
    return attachment_db(tmp_path_factory.mktemp("printing"), "printing", PRINTING,
                         title="印刷及び封入封緘業務に係る個人情報取扱特記仕様書")


@pytest.fixture(scope="module")
def cloud_db(tmp_path_factory):
    return attachment_db(tmp_path_factory.mktemp("cloud"), "cloud", CLOUD,
                         title="クラウドサービスを利用した業務委託に関する情報セキュリティ基準")


@pytest.mark.parametrize("q", [
    "印刷工場の駐車場って社員も停めていいの？",
    "封入封緘の機械の紙詰まりってどうやって直すの？",
    "個人情報保護士の資格とったら会社から手当出るの？",
    "契約書の印紙っていくら貼ればいい？",
])
def test_sharing_only_the_setting_is_declined(printing_db, q):
    a = ask.answer(printing_db, q, source="printing")
    assert not a.found, (q, a.best.text if a.best else None)


@pytest.mark.parametrize("q, clause", [
    ("ミスプリントの紙、裏紙として家で使っていい？", "損紙"),
    ("刷り終わった通知書はどこに置いておけばいい？", "保管庫"),
    ("仕事が終わったら宛名のデータは何日以内に消す？", "宛名データを7日以内"),
])
def test_a_situation_in_the_setting_is_answered(printing_db, q, clause):
    a = ask.answer(printing_db, q, source="printing")
    assert a.found and any(clause in h.text for h in a.hits[:3]), (q, [h.text[:20] for h in a.hits[:3]])


@pytest.mark.parametrize("q", [
    "クラウドの月額料金って年払いにすると安くなる？",
])
def test_the_setting_alone_is_not_a_subject_in_the_cloud_contract(cloud_db, q):
    assert not ask.answer(cloud_db, q, source="cloud").found


@pytest.mark.parametrize("q, clause", [
    ("ChatGPTに市の資料を貼って要約させていい？", "生成AI"),
    ("契約が終わったらクラウドに残ってるデータはどうする？", "契約が終了したとき"),
    ("クラウドの管理画面、IDとパスワードだけで入っていい？", "多要素認証"),
])
def test_the_setting_with_a_situation_is_answered_in_the_cloud_contract(cloud_db, q, clause):
    a = ask.answer(cloud_db, q, source="cloud")
    assert a.found and any(clause in h.text for h in a.hits[:3]), (q, [h.text[:20] for h in a.hits[:3]])


@pytest.mark.parametrize("q, words", [
    ("資料を家に持って帰ってもいい？", "持出し"),        # the clause says 持出し, the asker 持って帰る
])
def test_one_contracts_documents_answer_in_their_own_words(kb_db, q, words):
    # searched in 長野市's document alone, no word is shared with the clause, only the concept
    a = ask.answer(kb_db, q, source="長野市")
    assert a.found and words in a.best.text, a.message or a.best.citation


@pytest.mark.parametrize("q", ["有給っていつまでに申請すればいい？", "社食のメニューどこで見れる？", "交通費の精算っていつまで？"])
def test_one_contracts_documents_still_decline_what_no_rule_covers(kb_db, q):
    assert not ask.answer(kb_db, q, source="長野市").found, q
