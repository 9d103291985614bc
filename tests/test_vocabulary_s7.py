"""The domain vocabulary, session seven: situations met face to face, in a tenant's home or at a polling
station — a gift at the door, a voicemail, mail piling up, being asked who one is, a bag left in the car,
gossip about a household, bank-transfer data, ordinary post, a water leak, political badges, someone
voting twice, reading out loud, turnout figures, leftover tickets — on two attachments written for these
tests (municipal housing rent collection with home visits; polling-station reception), contract kinds
none of the concept map's entries were written from, asked the way staff talk and not as any eval line.
"""
import pytest

from conftest import attachment_db
from handlers import ask

HOUSING = """市営住宅家賃収納及び訪問業務委託 個人情報取扱特記事項
第1条 従事者は、訪問先の入居者又はその家族から、金銭、物品その他の謝礼を受け取ってはならない。
第2条 従事者は、入居者に電話が通じず留守番電話につながったときは、家賃の滞納その他の用件を録音してはならない。
第3条 従事者は、訪問の際に入居者の安否が気遣われる状況を認めたときは、直ちに市の住宅課に連絡しなければならない。
第4条 従事者は、訪問の際は市が交付する従事者証を携帯し、入居者から求められたときは、これを提示しなければならない。
第5条 従事者は、滞納者の一覧を入れた鞄を車内に置いたまま車両を離れてはならない。
第6条 従事者は、訪問を通じて知り得た入居者の暮らしぶり及び家族の状況を口外してはならない。
第7条 受託者は、家賃の口座振替データを金融機関に直接送付してはならず、暗号化した上で市の職員に引き渡さなければならない。
第8条 受託者は、入居者に督促状を郵送するときは、簡易書留その他の追跡可能な方法によらなければならない。
第9条 従事者は、入居者に不安を与えないよう、身なりを整え、丁寧な応対に努めなければならない。
第10条 従事者は、訪問の際に住戸の設備の破損又は漏水を認めたときは、当日中に市に報告しなければならない。
第11条 従事者は、市が貸与する端末を持ち運ぶときは、施錠できる鞄に入れ、常に身から離さないようにしなければならない。
第12条 受託者は、業務の終了後、市から貸与された端末及び資料を速やかに返還しなければならない。
"""

POLLING = """市長選挙 期日前投票所受付業務委託 個人情報取扱特記事項
第1条 従事者は、本業務で知り得た選挙人が投票したかどうかを、他に漏らしてはならない。
第2条 従事者は、本業務に従事する間、特定の候補者を支持する行為その他の政治活動と誤解されるおそれのある行為をしてはならない。
第3条 受託者は、候補者又は政党その他の政治団体の関係者から本業務に関する問合せを受けたときは、回答せず、選挙管理委員会に報告しなければならない。
第4条 従事者は、二重投票の疑いがあるときは、自ら判断せず、直ちに投票管理者に申し出なければならない。
第5条 従事者は、受付において、選挙人の氏名、住所その他の事項を周囲に聞こえる声で読み上げてはならない。
第6条 受託者は、期日前投票をした人の数を、選挙管理委員会が公表する前に外部に伝えてはならない。
第7条 受託者は、使わなかった投票所入場整理券を、業務の終了後に選挙管理委員会に返還しなければならない。
"""


@pytest.fixture(scope="module")
def housing(tmp_path_factory):
    return attachment_db(tmp_path_factory.mktemp("housing"), "housing", HOUSING, shipped=False)


@pytest.fixture(scope="module")
def polling(tmp_path_factory):
    return attachment_db(tmp_path_factory.mktemp("polling"), "polling", POLLING, shipped=False)


@pytest.mark.parametrize("q, clause", [
    ("入居者のおばあちゃんが帰り際に果物くれようとした。断りにくいんだけど、もらっても平気？", "housing:a1"),
    ("The tenant tried to hand me a gift card after the visit. Is it fine to take it?", "housing:a1"),
    ("家賃のことで電話したら留守電になった。払ってない件、吹き込んどいていい？", "housing:a2"),
    ("訪問したら新聞が何日分もたまってて、中で倒れてないか心配…", "housing:a3"),
    ("住人に「本当に市から来たの？」って疑われた。何か見せるものある？", "housing:a4"),
    ("滞納リスト入りのバッグ、車に積んだままちょっとコンビニ行ってもいい？", "housing:a5"),
    ("訪問先の家がゴミ屋敷でさ、飲み会でネタにしちゃまずい？", "housing:a6"),
    ("引き落としのデータ、うちから銀行に直接送っちゃダメなの？", "housing:a7"),
    ("督促の手紙、普通郵便でポストに出すのってアリ？", "housing:a8"),
    ("訪問のときジャージとサンダルでも大丈夫？", "housing:a9"),
    ("お部屋に上がったら台所で水漏れしてた。いつまでに市に言えばいい？", "housing:a10"),
    ("貸してもらってるタブレット、エコバッグに入れて持ち歩いてもいい？", "housing:a11"),
])
def test_housing_visit_situation_finds_its_rule(housing, q, clause):
    a = ask.answer(housing, q, source="架空市")
    assert a.found, (q, a.message)
    assert a.best.clause_id == clause, (q, a.best.clause_id)


@pytest.mark.parametrize("q, clause", [
    ("受付で見かけたご近所さんが来てたこと、家でしゃべってもいい？", "polling:a1"),
    ("推してる議員の缶バッジ、受付中につけっぱなしでもいい？", "polling:a2"),
    ("立候補してる人の陣営から「今日の受付どんな感じ？」って電話がかかってきた", "polling:a3"),
    ("さっき投票した人がもう一回来た気がするんだけど、どうする？", "polling:a4"),
    ("受付でお名前と住所を大きな声で確認するのはまずい？", "polling:a5"),
    ("昼までに何人来たか、知り合いの記者に教えてあげてもいい？", "polling:a6"),
    ("余った整理券、こっちで捨てちゃっていい？", "polling:a7"),
])
def test_polling_station_situation_finds_its_rule(polling, q, clause):
    a = ask.answer(polling, q, source="架空市")
    assert a.found, (q, a.message)
    assert a.best.clause_id == clause, (q, a.best.clause_id)


@pytest.mark.parametrize("db_name, q", [
    ("housing", "訪問で使ったガソリン代って会社に請求できる？"),
    ("housing", "訪問先の近くでおすすめのランチある？"),
    ("housing", "給料の振込先を変えたいんだけど、どこに出せばいい？"),
    ("polling", "お昼休憩っていつ取ればいい？交代制？"),
    ("polling", "投票所の日ってお弁当出る？"),
])
def test_question_no_rule_covers_stays_declined(request, db_name, q):
    a = ask.answer(request.getfixturevalue(db_name), q, source="架空市")
    assert not a.found, (q, a.best.clause_id if a.found else None)
