"""The domain vocabulary, session eleven: the hours one may call or work (夜10時, 朝7時), abuse and threats
from the public (怒鳴られ, 殺すぞ), a neighbour or a spouse asking about someone (お隣さんに聞かれた),
a suspicious person (怪しい人), disposing of what was shredded (処分), a copy of a key (合鍵), going
further into a home than the door (家の奥まで), papers left in a parked truck, the storage of an
appliance (記憶装置 for ハードディスク); a word of the question inside a longer one of the clause
(外す in 取り外す). Asked on three attachments written for these tests (rent collection, cleaning and
night security of a city hall, bulky-waste collection), in words none of the question sets use.
"""
import pytest

from conftest import attachment_db
from handlers import ask

RENT = """市営住宅家賃収納及び督促業務委託 情報セキュリティ特記事項
第1条 受託者は、入居者の滞納に関する情報を、督促業務以外の目的に利用してはならない。
第2条 受託者は、督促の電話をかけるときは、相手方が入居者本人であることを確認した後でなければ、滞納の事実を告げてはならない。
第3条 受託者は、入居者の家族、近隣住民その他の第三者に滞納の事実を知らせてはならない。
第4条 受託者は、訪問による督促を行うときは、二人以上で行わなければならない。
第5条 受託者は、通話の録音データを、業務終了後三十日以内に消去しなければならない。
第6条 受託者は、入居者の勤務先に電話をかけてはならない。
第7条 受託者は、督促の電話を午前八時前又は午後九時以降にかけてはならない。
第8条 受託者は、入居者から暴言又は脅迫を受けたときは、直ちに市に報告しなければならない。
第9条 受託者は、市から貸与された督促システムの端末を、作業室の外に持ち出してはならない。
"""
NIGHT = """庁舎清掃及び夜間警備業務委託 情報セキュリティ特記事項
第1条 受託者は、清掃の際に執務室の机上にある書類を閲覧し、又は移動してはならない。
第2条 受託者は、市から貸与された鍵を、業務以外の目的で使用し、又は複製してはならない。
第3条 受託者は、鍵の受渡しを行ったときは、その日時及び受渡しを行った者の氏名を鍵管理簿に記録しなければならない。
第4条 受託者は、巡回中に施錠されていない書庫を発見したときは、施錠せずに、翌朝までに所管課に報告しなければならない。
第5条 受託者は、不審者を発見したときは、直ちに警察に通報するとともに、市に報告しなければならない。
第6条 受託者は、シュレッダーにかけた紙を、市の指定する方法により処分しなければならない。
第7条 従事者は、執務室内で私物の携帯電話により撮影をしてはならない。
"""


BULKY = """粗大ごみ受付センター運営及び戸別収集業務委託 情報セキュリティ特記事項
第1条 受託者は、申込者の氏名、住所及び電話番号を、受付及び収集以外の目的に利用してはならない。
第2条 従事者は、収集の際に、申込者の住居に立ち入ってはならない。
第3条 受託者は、収集車両に搭載する収集予定表を、車両から離れる際は施錠した車内に保管しなければならない。
第4条 受託者は、電話の応対記録を、受付システム以外の場所に保存してはならない。
第5条 受託者は、パソコン等の家電を収集したときは、記憶装置を取り外さずに、市の指定する処理施設に搬入しなければならない。
第6条 受託者は、申込者の手数料券の番号を、収集完了後一年間保存しなければならない。
"""


def _attachment(tmp_path_factory, slug: str, text: str):
    return attachment_db(tmp_path_factory.mktemp(slug), slug, text, title=text.splitlines()[0])


def _leads_with(db, source: str, q: str, clause: str):
    a = ask.answer(db, q, source=source)
    assert a.found and a.hits[0].clause_id == clause, (q, [h.clause_id for h in a.hits[:3]] if a.found else a.message)


@pytest.fixture(scope="module")
def bulky(tmp_path_factory):
    return _attachment(tmp_path_factory, "bulky", BULKY)


@pytest.mark.parametrize("q, clause", [
    ("玄関までじゃなくて家の奥まで入って運び出すのはあり？", "bulky:a2"),
    ("おばあちゃんに「部屋の中まで運んで〜」って言われた、上がっていい？", "bulky:a2"),
    ("トラック停めてコンビニ行くとき、回収ルートの紙って置いといていい？", "bulky:a3"),
    ("家電のハードディスク、外して処分場に持ってく？", "bulky:a5"),
])
def test_bulky_waste_collection(bulky, q, clause):
    _leads_with(bulky, "bulky", q, clause)


MEALS = """高齢者配食及び見守り業務委託 個人情報取扱特記事項
第1条 受託者は、利用者の氏名、住所、病状及び食事制限に関する情報を、配食及び見守り以外の目的に利用してはならない。
第2条 配達員は、利用者が応答しないときは、配食を置いて立ち去らず、直ちに市に連絡しなければならない。
第3条 受託者は、利用者から住居の鍵を預かってはならない。
第4条 受託者は、利用者から金銭又は物品を受け取ってはならない。
第5条 配達員は、配達の際に知り得た利用者の生活の状況を、他に漏らしてはならない。
"""


@pytest.fixture(scope="module")
def meals(tmp_path_factory):
    return _attachment(tmp_path_factory, "meals", MEALS)


@pytest.mark.parametrize("q, clause", [
    ("おじいちゃんがお礼にって千円くれようとする…", "meals:a4"),
    ("みかんもらっちゃったけどいいのかな", "meals:a4"),
    # chatting with a colleague about a home is telling others, not small talk with the bot
    ("配達先のおうちの事情、同僚と雑談で話してもいい？", "meals:a5"),
    ("インターホン鳴らしても返事なかったら、玄関に置いて帰っていい？", "meals:a2"),
    # the goods a meal-delivery contract delivers are no lunch question
    ("ピンポンしても出てこない…お弁当ドアノブにかけて次行っていい？", "meals:a2"),
])
def test_meal_delivery_and_watching_over(meals, q, clause):
    _leads_with(meals, "meals", q, clause)


@pytest.fixture(scope="module")
def rent(tmp_path_factory):
    return _attachment(tmp_path_factory, "rent", RENT)


@pytest.fixture(scope="module")
def night(tmp_path_factory):
    return _attachment(tmp_path_factory, "night", NIGHT)


@pytest.mark.parametrize("q, clause", [
    ("夜10時くらいに電話しても平気？", "rent:a7"),
    ("朝7時に電話かけてもいい？", "rent:a7"),
    ("電話で怒鳴られて「殺すぞ」って言われた、どうしよう", "rent:a8"),
    ("お隣さんに「あの人家賃払ってる？」って聞かれた、答えていい？", "rent:a3"),
    ("会社の方に電話したら繋がりそうなんだけど、かけていい？", "rent:a6"),
])
def test_rent_collection(rent, q, clause):
    _leads_with(rent, "rent", q, clause)


@pytest.mark.parametrize("q, clause", [
    ("夜に怪しい人が庁舎にいた！", "night:a5"),
    ("シュレッダーのくず、普通のゴミで出していい？", "night:a6"),
    ("預かってるカギ、合鍵作っておいたら便利なんだけど", "night:a2"),
    ("見回りしてたら書庫が開けっぱなしだった、閉めといていい？", "night:a4"),
])
def test_cleaning_and_night_security(night, q, clause):
    _leads_with(night, "night", q, clause)


def test_this_morning_is_no_hour_of_work(rent):
    # 今朝 and 昨夜 tell when a mishap happened, not the hours a rule sets
    from knowledge import concept_map
    for q in ("今朝USBなくした", "昨夜パソコン盗まれた"):
        assert "working_hours" not in [c.id for c in concept_map.in_question(q)]


@pytest.mark.parametrize("q", ["昨日の夜、PCを電車に忘れた", "kinou no yoru, pc wo densha ni wasureta",
                               "タクシーに書類の入った封筒忘れてきた…"])
def test_something_left_on_a_train_is_a_loss(kb_db, q):
    a = ask.answer(kb_db, q)
    assert a.found, (q, a.message)
    assert any(w in a.hits[0].text for w in ("紛失", "盗難", "事故", "インシデント")), (q, a.hits[0].text)


def test_a_forgotten_password_is_no_loss():
    from knowledge import concept_map
    assert "loss_theft" not in [c.id for c in concept_map.in_question("パスワード忘れた")]
    assert "loss_theft" in [c.id for c in concept_map.in_question("PCを電車に忘れた")]


def test_left_on_said_short_is_left_on(kb_db):
    # 「つけっぱ」 is 「つけっぱなし」 clipped, as people type it
    a = ask.answer(kb_db, "PCの画面つけっぱで帰っちゃった")
    assert a.found, a.message
    assert "シャットダウン" in a.hits[0].text or "ログオフ" in a.hits[0].text, a.hits[0].text


@pytest.mark.parametrize("q", ["ルートのパスワード教えてもらっていい？", "rootパスワードを共有してもいい？"])
def test_root_is_the_administrator(q):
    from knowledge import concept_map
    assert "admin_rights" in [c.id for c in concept_map.in_question(q)]
    assert "admin_rights" not in [c.id for c in concept_map.in_question("配送ルートの確認")]
