"""The domain vocabulary, session seventeen (b): a reporter on the phone, going to apologise, a near miss
shared with the team, a failed (×) self-check item and its correction, the team's own periodic check, tools
counted before leaving, taking sides in a quarrel, what a file is named, a table whose small groups give
people away, data copied to find a fault and deleted afterwards, logging in with a colleague's ID, checking
by reading aloud, an armband, a relative who collects for someone, keeping papers dry, moving a terminal,
using the figures for sales material, a wireless key said aloud, jotting what a caller says in a notebook,
telling a lottery result early, filling in what an applicant forgot, how long a password is, a friend in
the delivery van, checking a direct-debit file, a class teacher (講師), a key handed over at a shift change,
scraps left on a desk, how early to announce maintenance — on an attachment written for these tests (a
community-centre class desk that also delivers materials), asked the way staff talk, not as any eval line.
"""
import pytest

from conftest import attachment_db
from handlers import ask
from knowledge import concept_map

CLASSES = """市民講座受付及び教材配送業務委託 情報セキュリティ遵守事項
第1条 受託者は、報道機関から取材の申込みを受けたときは、自ら回答せず、市に引き継がなければならない。
第2条 受託者は、事故の相手方に対する謝罪を、市と協議した上で行わなければならない。
第3条 受託者は、事故に至らなかったヒヤリハット事例を記録し、従事者間で共有すること。
第4条 受託者は、点検の結果が不適合となった項目について是正の措置を講じ、その内容を市に報告すること。
第5条 受託者は、四半期ごとに自主点検を行い、その結果を市に提出すること。
第6条 従事者は、作業場所に持ち込んだ工具の員数を、作業の終了時に確認すること。
第7条 従事者は、受講者の間で争いがあるときは、一方に有利な発言をしてはならない。
第8条 受託者は、受講者の氏名をデータのファイル名に用いてはならない。
第9条 受託者は、アンケートの集計表において、回答者が特定されるおそれのある少数の区分に秘匿処理を施すこと。
第10条 受託者は、障害調査のため複製したデータを、調査の終了後速やかに消去すること。
第11条 従事者は、受付システムのIDを他の従事者と共用してはならない。
第12条 従事者は、受講申込みの入力内容を、二人一組で読み合わせて確認すること。
第13条 従事者は、受付業務を行う間、市が交付する腕章を着用すること。
第14条 受託者は、代理人から教材の受取りの申出があったときは、委任状を確認した上で応じること。
第15条 受託者は、雨天時には、配送する教材を防水袋に入れること。
第16条 従事者は、市の許可なく、受付端末の配置を変更してはならない。
第17条 受託者は、本業務で得た受講実績を、自社の営業資料に用いてはならない。
第18条 受託者は、無線LANの暗号設定に関する情報を、口頭で伝えてはならない。
第19条 従事者は、電話で聞き取った個人情報を、受付票以外の用紙に書き留めてはならない。
第20条 受託者は、受講者の抽選結果を、公表前に申込者に伝えてはならない。
第21条 従事者は、申込書の記載に不備があっても、自ら加筆してはならない。
第22条 受託者は、受付システムのパスワードを12文字以上としなければならない。
第23条 従事者は、従事者以外の者を配送車両に同乗させてはならない。
第24条 受託者は、受講料の口座振替データを作成したときは、件数及び合計金額を照合すること。
第25条 受託者は、講座の講師に受講者名簿を渡すときは、市の職員を通じて渡すこと。
第26条 受託者は、事務所の鍵の受渡しを、その都度、鍵管理簿に記録すること。
第27条 従事者は、作業を終えたときは、机上に書類の切れ端が残っていないことを確認すること。
第28条 受託者は、システムの保守作業を行うときは、作業日の前日までに作業予定を市に連絡すること。
"""


@pytest.fixture(scope="module")
def classes(tmp_path_factory):
    return attachment_db(tmp_path_factory.mktemp("classes"), "classes", CLASSES)


@pytest.mark.parametrize("q, clause", [
    ("テレビ局の人が話を聞かせてって来てる、対応していい？", "classes:a1"),
    ("迷惑かけちゃった受講者さんのとこに、すぐお詫びに行っていい？", "classes:a2"),
    ("ミスりかけたこと、チームで共有しなきゃいけない？", "classes:a3"),
    ("チェックでバツがついた項目、そのあとどうするの？", "classes:a4"),
    ("自分たちでやる点検、どのくらいの間隔？", "classes:a5"),
    ("持ってきた工具、帰る前に数えなきゃダメ？", "classes:a6"),
    ("受講者さん同士がもめてる、片方の味方していい？", "classes:a7"),
    ("ファイルの名前に受講者の名前入れとくと探しやすいんだけど", "classes:a8"),
    ("回答した人が一人しかいない区分、誰だか分かっちゃうけどそのまま？", "classes:a9"),
    ("不具合の原因を調べるのにコピーしたデータ、調べ終わったらどうする？", "classes:a10"),
    ("朝からログインできない、隣の人のIDで入っていい？", "classes:a11"),
    ("入力したの、声に出して確かめるのって必須？", "classes:a12"),
    ("腕に巻くやつ家に忘れた、つけずに受付していい？", "classes:a13"),
    ("お母さんの代わりに取りに来たって人、教材渡していい？", "classes:a14"),
    ("配送の日に降ってきた、教材が濡れないようにって決まりある？", "classes:a15"),
    ("受付のPC、見やすいように位置を変えてもいい？", "classes:a16"),
    ("受講者数の実績、うちのパンフに載せて売り込みに使っていい？", "classes:a17"),
    ("無線の鍵の設定、電話で聞かれたら答えていい？", "classes:a18"),
    ("電話で聞いた住所、自分の手帳にメモしといていい？", "classes:a19"),
    ("くじの結果、発表前だけど本人に教えていい？", "classes:a20"),
    ("申込書に書き忘れあった、代わりに書いてあげていい？", "classes:a21"),
    ("受付システムのパスワードって何ケタ以上？", "classes:a22"),
    ("配送の車に友達を乗せて一緒に回ってもいい？", "classes:a23"),
    ("引き落としのファイル作った、最後に何を確かめる？", "classes:a24"),
    ("講座の先生に名簿ほしいって言われた、直接渡していい？", "classes:a25"),
    ("遅番の人に鍵バトンタッチするとき何か書く？", "classes:a26"),
    ("帰る前に机の上の紙くずって確認する？", "classes:a27"),
    ("来週メンテやるんだけど、いつまでに知らせればいい？", "classes:a28"),
])
def test_classes_situation_finds_its_rule(classes, q, clause):
    a = ask.answer(classes, q, source="架空市")
    assert a.found, (q, a.message)
    assert a.best.clause_id == clause, (q, a.best.clause_id)


@pytest.mark.parametrize("q", [
    "講座の抽選って当たる確率どのくらい？",            # the odds: no rule sets them
    "市役所から公民館まで歩いて何分？",                # how far a place is
    "受付ブースって何人まで入れる？",                  # how many fit, not a rule on entering
    "講座の予約って一日何件まで取れる？",              # a capacity of the service
    "受付の当番、土日は何人体制？",                    # staffing numbers, not the registered team
])
def test_question_no_rule_covers_stays_declined(classes, q):
    a = ask.answer(classes, q, source="架空市")
    assert not a.found, (q, a.best.clause_id if a.found else None)


def _ids(text):
    return {c.id for c in concept_map.in_question(text)}


def test_short_hands_are_no_missing_item():
    assert "loss_theft" not in _ids("人手が足りないから一人で行っていい？")
    assert "loss_theft" not in _ids("時間が足りないので途中で帰ります")
    assert "loss_theft" in _ids("預かった書類が1枚足りない")


def test_a_reporter_is_the_press_and_an_apology_is_not_a_mistake():
    assert "press_inquiry" in _ids("新聞の人から電話きた")
    assert "apology" in _ids("相手の家に謝りに行きたい")
    # 誤って written in kana is a mistake, not an apology
    assert "apology" not in _ids("あやまって別の人に送っちゃった")


def test_a_clause_keeps_its_disposal_word_beside_the_investigation_phrase():
    ids = {c.id for c in concept_map.in_clause("障害の原因調査のため抽出したデータは、調査終了後直ちに消去しなければならない。")}
    assert {"investigation_data", "return_disposal"} <= ids


def test_a_small_group_rule_still_reads_as_a_category():
    # the small-cell phrases do not hide 区分 (information_classification) from the clause
    ids = {c.id for c in concept_map.in_clause("該当者が１０人未満となる区分の数値を表示しないものとする。")}
    assert {"small_cells", "information_classification"} <= ids
