"""The domain vocabulary, session seventeen: letting someone ride in the work vehicle, using a device again
after an incident, stopping at a shop on the way, nobody at home, going to apologise, a call from the press,
fixing what a self-check found, counting the tools, bare hands on old papers, telling a password by word of
mouth, usage figures in a sales leaflet, posting on social media, reusing a memory stick, generative AI, a
stranger's letter slipped into an envelope, jotting down what a caller said, call recordings used in
training, the container for carrying papers, training finished before the work, an anonymous survey with a
name in it, shop talk at the pub, a laptop open in a café, moving the office, answering a caller without
checking who it is, whose OK is needed to hand data to a bank, staying beside a cleaner in the office, another section's folder, a
cabinet that will not lock, a code sent to the phone, a card left on the dashboard, the 「秘密守ります」 paper, staff
who might do wrong from inside — on an attachment written for these tests (a community-hall booking and leaflet-delivery
contract), asked the way staff talk, not as any eval line.
"""
import pytest

from conftest import attachment_db
from handlers import ask
from knowledge import concept_map

HALL = """市民ホール予約受付及び配布業務委託 情報セキュリティ特記事項
第1条 受託者は、市の承諾を得ないで、配布用車両に従事者以外の者を同乗させてはならない。
第2条 受託者は、ウイルスに感染した端末について、市の確認を受けるまで、その使用を再開してはならない。
第3条 従事者は、配布物を携行している間、私用のため店舗等に立ち寄ってはならない。
第4条 訪問先が不在のときは、市の定める不在票を差し置き、再訪問の予定を記録すること。
第5条 受託者は、事故の相手方への謝罪を、市と協議した上で行うこと。
第6条 受託者は、報道機関から取材の申込みを受けたときは、自ら回答せず、市に引き継ぐこと。
第7条 受託者は、自主点検で不備のあった事項について是正の措置を講じ、その結果を市に報告すること。
第8条 従事者は、ホールの設備点検に持ち込んだ工具の員数を、作業の前後に確認すること。
第9条 従事者は、ホールが保管する古文書その他の貴重な資料を、手袋を着用して取り扱うこと。
第10条 暗号化したファイルのパスワードは、口頭で伝えず、別の電子メールで通知すること。
第11条 受託者は、本業務で得た統計データを、市の許可なく自社の宣伝に使用してはならない。
第12条 従事者は、本業務で知った利用者の情報や写真をＳＮＳに投稿してはならない。
第13条 記録媒体を再利用するときは、記録されたデータを完全に消去してから使用すること。
第14条 従事者は、生成ＡＩに利用者の情報を入力してはならない。
第15条 受託者は、封入の後、他人あての書類が混入していないことを抜き取りにより確認すること。
第16条 従事者は、電話で聞き取った予約の内容を、予約票以外の用紙に書き留めてはならない。
第17条 受託者は、利用者を特定できる部分を除いた上で、通話の録音を従事者の研修に用いることができる。
第18条 従事者は、資料を運ぶときは、施錠できる運搬容器に入れなければならない。
第19条 受託者は、従事者が研修を修了するまで、利用者の情報を取り扱わせてはならない。
第20条 ホール利用者アンケートは無記名とするが、自由記述欄に記載された個人の情報は、個人情報として取り扱うこと。
第21条 従事者は、作業場所の外において、本業務の内容を話題にしないこと。
第22条 従事者は、作業中の画面を、喫茶店など人目のある場所で開いてはならない。
第23条 受託者は、事務所を移転するときは、あらかじめ市の承認を得なければならない。
第24条 受託者は、電話による予約の問合せに回答するときは、相手が本人であることを確認しなければならない。
第25条 受託者は、利用料の口座振替のため利用者の情報を金融機関に渡すときは、あらかじめ市の承認を得ること。
第26条 従事者は、清掃業者その他の従事者以外の者が事務室に立ち入るときは、これに同行しなければならない。
第27条 従事者は、業務に関係のない情報にアクセスしてはならない。
第28条 受託者は、予約票を施錠できる書庫に保管しなければならない。
第29条 予約システムへのログインには、多要素認証を用いること。
第30条 従事者は、入館カードを車内に放置してはならない。
第31条 受託者は、従事者から秘密保持に関する誓約書を徴しなければならない。
第32条 受託者は、従事者による内部不正を防止するための措置を講じなければならない。
"""


@pytest.fixture(scope="module")
def hall(tmp_path_factory):
    return attachment_db(tmp_path_factory.mktemp("hall"), "hall", HALL)


@pytest.mark.parametrize("q, clause", [
    ("配達の車に、近くまで行く友達乗せてあげてもいい？", "hall:a1"),
    ("ウイルス見つかったノートPC、駆除したしまた使い始めていい？", "hall:a2"),
    ("チラシ持ったまま、帰りにスーパー寄っていい？", "hall:a3"),
    ("インターホン押しても誰も出てこなかったら？", "hall:a4"),
    ("迷惑かけた利用者さんのとこ、先に謝りに行っちゃだめ？", "hall:a5"),
    ("テレビ局の人から話聞かせてって言われた", "hall:a6"),
    ("セルフチェックで守れてなかった項目、どうすればいい？", "hall:a7"),
    ("ドライバーとか道具の数、帰る前に数えなきゃダメ？", "hall:a8"),
    ("古い台帳、素手でめくって大丈夫？", "hall:a9"),
    ("zipのパスワード、隣の人に口で教えていい？", "hall:a10"),
    ("予約件数のグラフ、うちの会社のパンフに載せたい", "hall:a11"),
    ("イベントの様子、インスタに上げてもいい？", "hall:a12"),
    ("前の現場で使ったUSB、そのまま使い回していい？", "hall:a13"),
    ("Copilotに利用者の名前入れて整理させていい？", "hall:a14"),
    ("袋詰めのとき、別の人の分が紛れ込んでないか見る必要ある？", "hall:a15"),
    ("電話で聞いた連絡先、自分のメモ帳に控えちゃだめ？", "hall:a16"),
    ("お客さんとの会話の音声、新人研修で聞かせていい？", "hall:a17"),
    ("資料持って出るとき、入れ物の指定ってある？", "hall:a18"),
    ("研修が終わる前の新人に予約の受付やらせていい？", "hall:a19"),
    ("匿名アンケの自由欄に電話番号書いてあった、どう扱う？", "hall:a20"),
    ("居酒屋でホールの仕事の話するのはアウト？", "hall:a21"),
    ("ドトールでノートパソコン広げて仕事していい？", "hall:a22"),
    ("うちの営業所が引っ越すんだけど、市に何か出す？", "hall:a23"),
    ("「予約どうなってる？」って電話、そのまま教えていい？", "hall:a24"),
    ("引き落としの件で銀行にデータ渡すの、誰かのOKいる？", "hall:a25"),
    ("清掃の人が事務室に入るとき、横についてなきゃダメ？", "hall:a26"),
    ("共有フォルダで、よその課のファイルも開けちゃう。見てもいい？", "hall:a27"),
    ("予約票の棚、鍵かかんないんだけどまずい？", "hall:a28"),
    ("予約システムのログイン、スマホ認証にしたほうがいい？", "hall:a29"),
    ("入館カード、車のダッシュボードに置いといていい？", "hall:a30"),
    ("短期のバイトさんにも「秘密守ります」の紙書いてもらう？", "hall:a31"),
    ("身内が悪さする前提で対策しなきゃダメ？", "hall:a32"),
])
def test_hall_situation_finds_its_rule(hall, q, clause):
    a = ask.answer(hall, q, source="架空市")
    assert a.found, (q, a.message)
    assert a.best.clause_id == clause, (q, a.best.clause_id)


@pytest.mark.parametrize("q", [
    "スタバの新作っておいしい？",                  # a café named, but not as where the work is done
    "居酒屋ってどこがおすすめ？",
    "Yahooの天気予報って当たる？",
    "エクセルのグラフの色ってどう変える？",
    "コンビニで何買うのがおすすめ？",
    "テレビ局ってどこにあるの？",                  # the press named, but no call from it
    "ChatGPTって月いくら？",
    "アンケートって何問くらいが普通？",
])
def test_question_no_rule_covers_stays_declined(hall, q):
    a = ask.answer(hall, q, source="架空市")
    assert not a.found, (q, a.best.clause_id if a.found else None)


def _ids(text):
    return {c.id for c in concept_map.in_question(text)}


def test_sharing_a_card_is_not_reusing_a_medium():
    # 「使い回す」 is sharing when said of a card or an ID, reuse when said of a memory stick
    assert "reuse" not in _ids("カード1枚を2人で使い回してもいい？")
    assert "reuse" not in _ids("IDはチームで1個を使い回してもいいですか")
    assert "reuse" in _ids("前の案件のUSBメモリ、使い回していい？")


def test_a_paper_with_a_name_on_it_is_no_entry_log():
    # 「名前書いてある」 is personal information on paper, not signing the entry log
    assert "entry_control" not in _ids("名前書いてあるメモ、普通のゴミ箱でいい？")
    assert "entry_control" in _ids("入るたびに名前書かなきゃダメ？")
