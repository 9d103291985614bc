"""A question about a property of a thing (colour, price, capacity, speed, typeface, brand) or a choice
between named products is answered only by a clause that speaks of it (knowledge/concepts/attributes.toml):
the rule to use an encrypted USB stick does not say how big it is. Asked on an attachment written for
these tests, in words none of the question sets use."""
import pytest

from conftest import attachment_db
from handlers import ask
from knowledge import asking

ARCHIVE = """市立資料館収蔵品データベース入力業務委託 情報セキュリティ特記事項
第1条 受託者は、市が貸与する暗号化機能付きの電磁的記録媒体により、入力したデータを市に納品しなければならない。
第2条 受託者は、作業室の入退室を入退室記録簿に記録しなければならない。
第3条 受託者は、収蔵品の写真を撮影するときは、市が貸与するデジタルカメラを用い、私物のスマートフォンを用いてはならない。
第4条 受託者は、納品する画像の解像度を、市が定める基準以上としなければならない。
第5条 受託者は、貸与された物品を紛失したときは、その費用を負担しなければならない。
第6条 受託者は、寄贈者の氏名及び寄贈額を、業務に必要な範囲を超えて第三者に提供してはならない。
第7条 受託者は、作業に用いる端末を、インターネットに接続してはならない。
"""
TITLE = "市立資料館収蔵品データベース入力業務委託 情報セキュリティ特記事項"


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    return attachment_db(tmp_path_factory.mktemp("archive"), "archive", ARCHIVE, title=TITLE, shipped=False)


@pytest.mark.parametrize("q", ["市から借りる暗号化されたメモリ、容量って何ギガ？足りるかな",
                               "入退室記録簿って何色のペンで書けばいい？",
                               "作業用の端末、ネットにつながってないけどスペックどのくらい？",
                               "撮影用のデジカメってどこで買ってるの？",
                               "写真の整理、どのアプリが楽？",
                               "納品のときの電磁的記録媒体ってなんの略？",
                               "納品データの一覧、ワード？エクセル？",
                               "収蔵品データの入力、1時間何件がふつう？",
                               "入退室記録簿ってテンプレある？",
                               "夜中にデータ納品で呼ばれたらタクシー代でる？"])
def test_a_property_no_clause_speaks_of_is_not_answered(archive, q):
    a = ask.answer(archive, q, source="archive")
    assert not a.found, (q, a.best.clause_id if a.found else None)


@pytest.mark.parametrize("q, clause", [
    ("納品する画像って画質どのくらい必要？", "archive:a4"),                        # the clause speaks of it (解像度)
    ("借りたデジカメなくしたら、いくらくらい払うことになる？", "archive:a5"),      # 費用を負担
    ("収蔵品撮るの、スマホとデジカメどっちでやればいい？", "archive:a3"),          # a choice the clause names
    ("寄贈者がいくら寄贈したかの一覧、そのまま業者に渡していい？", "archive:a6"),  # 「いくら」 inside what is handed over
    ("作業用のPC、ネットにつないだままのが何台かあるんだけどまずい？", "archive:a7"),  # 「何台か」 is some, not how many
])
def test_a_property_or_choice_the_clause_speaks_of_is_answered(archive, q, clause):
    a = ask.answer(archive, q, source="archive")
    assert a.found and a.hits[0].clause_id == clause, (q, [h.clause_id for h in a.hits[:3]] if a.found else a.message)


def test_choice_options_are_the_named_things():
    assert asking.choice_options("ログの置き場所、S3とGlacierどっちがいい？") == ("s3", "glacier")
    assert asking.choice_options("報告って、どれくらいの頻度で出すの？") == ()
