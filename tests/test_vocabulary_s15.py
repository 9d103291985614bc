"""The domain vocabulary, session fifteen: a device that freezes, a caller or neighbour who gets angry, a
phone call from home, camera footage and call recordings and how long they are kept, closed days, a thing
left in the car with its name in the middle (「車に…置きっぱ」, the map's gapped phrases), looking into a
letterbox, stepping into a garden, splitting up a pair, taking a device apart, waiting for the city's
witness, checking that whoever collects a child is the parent, a voice memo — on an attachment written for
these tests (a community-centre reception desk with home visits), asked the way staff talk, not as any
eval line.
"""
import pytest

from conftest import attachment_db
from handlers import ask
from knowledge import concept_map

CENTRE = """地域交流センター受付及び訪問業務委託 個人情報取扱特記事項
第1条 従事者は、受付端末の不具合を発見したときは、自ら修理を試みず、直ちに市の担当職員に連絡しなければならない。
第2条 従事者は、利用者から苦情を受けたときは、その内容を記録し、当日中に市に報告しなければならない。
第3条 従事者は、受付業務の間、私用の通話をしてはならない。
第4条 監視カメラの映像の保存期間は、録画の日から１０日間とする。
第5条 受託者は、休館日に受付業務を行う場合は、あらかじめ市の承認を得なければならない。
第6条 従事者は、利用者名簿を車内に放置してはならない。
第7条 従事者は、訪問先の郵便受けの中をのぞき込んではならない。
第8条 従事者は、訪問先の承諾なく敷地内に立ち入ってはならない。
第9条 従事者は、訪問を二人一組で行わなければならない。
第10条 従事者は、市が貸与したICカードを分解してはならない。
第11条 受託者は、機器の保守を行うときは、市の職員の立会いの下で行わなければならない。
第12条 従事者は、児童の引渡しの際は、保護者の本人確認を行わなければならない。
第13条 従事者は、利用者との会話を録音してはならない。
第14条 受託者は、市の承諾を得ないで、本業務を他の者に請け負わせてはならない。
"""


@pytest.fixture(scope="module")
def centre(tmp_path_factory):
    return attachment_db(tmp_path_factory.mktemp("centre"), "centre", CENTRE)


@pytest.mark.parametrize("q, clause", [
    ("受付のPCフリーズしちゃった、自分で再起動していい？", "centre:a1"),
    ("利用者さんにめっちゃ怒られた…何かしなきゃダメ？", "centre:a2"),
    ("受付中に子どもから電話きた、出てもいい？", "centre:a3"),
    ("防犯ビデオって何日ぶん残してる？", "centre:a4"),
    ("センターが閉まってる日に出てきて受付していい？", "centre:a5"),
    ("名簿、車の座席に置きっぱでお昼行っていい？", "centre:a6"),
    ("留守っぽいお宅、ポストのぞいて確かめていい？", "centre:a7"),
    ("庭までいって声かけてもいい？", "centre:a8"),
    ("今日は手分けして別々に回っていい？", "centre:a9"),
    ("ICカード、バラして中見てみたい", "centre:a10"),
    ("機械の点検、市役所の人が来るまで待たなきゃダメ？", "centre:a11"),
    ("お迎えの人が本当に親か確かめたほうがいい？", "centre:a12"),
    ("話が長いからボイスメモ取っといていい？", "centre:a13"),
    ("点検、下請けに頼んでもいい？", "centre:a14"),
])
def test_centre_situation_finds_its_rule(centre, q, clause):
    a = ask.answer(centre, q, source="架空市")
    assert a.found, (q, a.message)
    assert a.best.clause_id == clause, (q, a.best.clause_id)


@pytest.mark.parametrize("q", [
    "センターの駐車場って何台とめられる？",
    "受付の椅子、高さ変えていい？",
    "受付のコピー用紙ってどこに発注してる？",     # where a thing is bought: no rule says
    "センターの裏に自分の車とめていい？",           # parking, not a car left with papers in it
    "センターのロッカーって全部で何か所ある？",   # how many there are
])
def test_question_no_rule_covers_stays_declined(centre, q):
    a = ask.answer(centre, q, source="架空市")
    assert not a.found, (q, a.best.clause_id if a.found else None)


def _ids(text):
    return {c.id for c in concept_map.in_question(text)}


def test_gapped_phrase_meets_a_thing_named_in_the_middle():
    assert "vehicle_left" in _ids("社用車に工具箱置きっぱで昼行った")


def test_gapped_phrase_stays_in_one_sentence_and_close():
    # the parts in two sentences, or too far apart, are not the phrase
    assert "vehicle_left" not in _ids("車に乗った。家に置きっぱ")
    assert "vehicle_left" not in _ids("車にのってとなりまちのおみせまでいって家に置きっぱ")


def test_a_matter_being_settled_is_no_frozen_device():
    assert "device_trouble" in _ids("パソコンが固まって動かない")
    assert "device_trouble" not in _ids("方針が固まったら連絡します")


def test_a_gapped_rule_phrase_marks_a_clause_with_its_thing_in_the_middle():
    assert "vehicle_left" in {c.id for c in concept_map.in_clause("受注者は、点検車両内に図面等を放置しないよう努めること。")}
    assert "vehicle_left" not in {c.id for c in concept_map.in_clause("受注者は、車両の鍵を放置しないこと。")}


def test_a_place_whose_own_thing_is_asked_about_is_only_the_setting():
    # 「駐車場の防犯ビデオ」 asks about the footage; 「駐車場の台数」 and 「忘年会の出欠」 about the place and the party
    assert concept_map.without_passing_topics("駐車場の防犯ビデオって何日分残してる？").startswith("\u3000")
    assert concept_map.without_passing_topics("駐車場の台数って何台？").startswith("駐車場")
    assert concept_map.without_passing_topics("忘年会の出欠っていつまでに返せばいい？").startswith("忘年会")


def test_the_footage_of_a_place_finds_its_rule(centre):
    a = ask.answer(centre, "センター駐車場の防犯ビデオって何日分残してる？", source="架空市")
    assert a.found and a.best.clause_id == "centre:a4", (a.found, a.best and a.best.clause_id)
