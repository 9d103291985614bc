"""The domain vocabulary, session ten: changes to what was notified, who may see a shared drive, a screen
in plain view, a misdelivery that is not our fault, merging lists, a caller who gives only a name,
reading someone's record out of curiosity, bringing one's own tools to the site.
Asked on an attachment written for these tests, in words none of the question sets use.
"""
import pytest

from conftest import attachment_db
from handlers import ask
from knowledge import concept_map

MUSEUM = """市立美術館会員管理及び案内状発送業務委託 情報セキュリティ特記事項
第1条 受託者は、本業務の責任者、作業内容、従事者及び作業場所を定め、市に通知しなければならない。これらを変更する場合も同様とする。
第2条 受託者は、会員情報をファイルサーバ等に保存する場合は、従事者のみがアクセスできるよう設定しなければならない。
第3条 受託者は、受付に置く端末を、その画面が来館者から見えないよう配置しなければならない。
第4条 受託者は、案内状の誤配その他の事故が発生したときは、帰責の有無にかかわらず、直ちに市に報告しなければならない。
第5条 受託者は、会員情報を、受託者が保有する他の顧客名簿と統合してはならない。
第6条 受託者は、会員から電話で問合せを受けたときは、本人であることを確認した後でなければ回答してはならない。
第7条 受託者は、業務上必要な範囲を超えて会員情報を閲覧してはならない。
第8条 受託者は、情報資産を作業場所に持ち込む場合は、あらかじめ市の承認を得なければならない。
第9条 受託者は、会員情報を記録した媒体を施錠できる保管庫に保管しなければならない。
第10条 受託者は、案内状の数が発送簿の記載と合わないときは、事故として扱い、第4条により報告しなければならない。
第11条 受託者は、契約が終了したときは、会員情報を市に返還し、受託者の端末に残る会員情報を復元できない方法で消去しなければならない。
第12条 受託者は、従事者を受付に配置する前に、会員情報の取扱いに関する研修を行わなければならない。
第13条 従事者は、来館者を呼び出すときは、番号札の番号により行い、氏名を大きな声で呼ばないこと。
第14条 従事者は、自己又は親族に係る入会の申込みを自ら受け付けてはならない。
第15条 従事者は、市の職員から直接指示を受けたときは、これに従わず、業務責任者に報告しなければならない。
第16条 受託者は、会員に対し、受託者が独自に販売する商品の広告を送付してはならない。
第17条 従事者は、会員管理システムのIDを他の者と共用し、又はパスワードを他の者に教えてはならない。
第18条 受託者は、会員名簿を運搬するときは、公共交通機関を利用してはならない。
"""
TITLE = "市立美術館会員管理及び案内状発送業務委託 情報セキュリティ特記事項"


@pytest.fixture(scope="module")
def museum(tmp_path_factory):
    return attachment_db(tmp_path_factory.mktemp("museum"), "museum", MUSEUM, title=TITLE, shipped=False)


@pytest.mark.parametrize("q, clause", [
    ("担当の主任が異動で別の人がやることになったんだけど、市に届け出いる？", "museum:a1"),
    ("最初に伝えた作業に発送作業が追加されたんだけど、市に連絡し直さなきゃ？", "museum:a1"),
    ("会社の共有ドライブに会員リスト置いたら全員が見れる設定だった、まずい？", "museum:a2"),
    ("受付のパソコン、お客さんから画面丸見えの位置なんだけどこのままでいい？", "museum:a3"),
    ("郵便屋さんが案内状を違うお宅に入れちゃったみたい。向こうのミスだけど報告いる？", "museum:a4"),
    ("会員さんの名簿、うちの通販のお客さんリストとひとつにまとめちゃダメ？", "museum:a5"),
    ("電話で名前だけ言われて、予約の中身を教えてって言われた。答えていい？", "museum:a6"),
    ("荷物がいまどこにあるか、名前しか言わない電話の人に答えちゃっていい？", "museum:a6"),
    ("有名人の名前が会員にあって、気になってつい読んじゃった…", "museum:a7"),
    ("自分で作ったツールを美術館の作業場所に持って行って使ってもいい？", "museum:a8"),
])
def test_everyday_words_reach_the_rule(museum, q, clause):
    a = ask.answer(museum, q, source="museum")
    assert a.found and clause in [h.clause_id for h in a.hits[:2]], (q, [h.clause_id for h in a.hits[:3]] if a.found else a.message)


def test_where_a_thing_is_asked_outright_is_still_an_outside_topic(museum):
    assert concept_map.outside("美術館のロッカーってどこにあるの？")
    a = ask.answer(museum, "美術館のロッカーってどこにあるの？", source="museum")
    assert not a.found


def test_where_a_thing_is_inside_a_question_about_telling_it_is_not(museum):
    assert not concept_map.outside("荷物がいまどこにあるか教えていい？")


@pytest.mark.parametrize("q", ["スクショ代わりに印刷していい？", "画面が変わったんだけど操作どうするの？"])
def test_an_everyday_substitute_or_a_new_screen_is_no_change_to_notify(q):
    ids = {c.id for c in concept_map.in_question(q)}
    assert "change_notice" not in ids, ids


def test_a_change_of_lead_is_a_change_to_notify():
    assert "change_notice" in {c.id for c in concept_map.in_question("来月からリーダーが別の人に替わります")}


def test_the_rule_that_names_the_mishap_leads_over_the_general_duty_to_report(museum):
    # The search finds the specific rule first (a count that does not match is an incident); the general
    # rule to report at once must not displace it, and 「もう報告しなきゃ？」 is not a report already made.
    a = ask.answer(museum, "発送簿だと500通なのに数えたら499通しかない…もうちょい探してからでいい？それとももう報告しなきゃ？",
                   source="museum")
    assert a.found and a.hits[0].clause_id == "museum:a10", [h.clause_id for h in a.hits[:3]]
    assert "museum:a4" in [h.clause_id for h in a.hits[:3]]


@pytest.mark.parametrize("q, done", [("もう報告しなきゃダメ？", False), ("もう市に報告したんだけど", True), ("既に連絡済みです", True)])
def test_a_report_already_made_is_told_from_one_still_to_make(q, done):
    assert bool(ask.FIRST_DONE.search(q)) is done


@pytest.mark.parametrize("q", ["Our agreement, I mean the contract with the museum, ends next month. What happens to the member list on our laptops?",
                               "Once we deliver everything, can we keep the working spreadsheets on our PCs just in case they ask for changes?"])
def test_english_about_the_end_of_the_contract_reaches_return_and_erasure(museum, q):
    a = ask.answer(museum, q, source="museum")
    assert a.found and a.hits[0].clause_id == "museum:a11", [h.clause_id for h in a.hits[:3]] if a.found else a.message


def test_a_verb_of_ending_may_follow_its_subject_a_few_words_later():
    from knowledge import english
    found, _ = english.Phrases({"contract ends": ("終了",)}).find(english.tokens("our contract with the city ends in march"))
    assert [v for _, v in found] == [("終了",)]


@pytest.mark.parametrize("q, two", [("来週から派遣さんが2人来ることになった", False), ("バイトさん3人入れてもいい？", False),
                                    ("書類の箱、1人で運んでもいい？", True), ("点検は二人でやらなきゃだめ？", True)])
def test_a_head_count_is_not_two_people_working_together(q, two):
    assert ("two_person" in {c.id for c in concept_map.in_question(q)}) is two


def test_taking_on_part_timers_is_registering_workers():
    assert "worker_registration" in {c.id for c in concept_map.in_question("繁忙期だけ短期のバイトさん入れる予定なんだけど")}



@pytest.mark.parametrize("q, clause", [
    ("来週からの新人さん、研修まだだけど受付に立ってもらっていい？", "museum:a12"),
    ("混んでるから来た人を名前で呼んじゃってもいい？", "museum:a13"),
    ("お父さんが入会の申込みに来たんだけど、私がそのまま受け付けていい？", "museum:a14"),
    ("市の職員さんに直接頼まれた作業、そのままやっちゃっていい？", "museum:a15"),
    ("うちの通販のチラシ、案内状に同封してもいい？", "museum:a16"),
    ("休みの日だけ後輩に代わりにログインしてもらうのってまずい？", "museum:a17"),
    ("名簿の箱、バスで持っていってもいい？", "museum:a18"),
])
def test_counter_and_staff_rules_in_everyday_words(museum, q, clause):
    a = ask.answer(museum, q, source="museum")
    assert a.found and a.hits[0].clause_id == clause, (q, [h.clause_id for h in a.hits[:3]] if a.found else a.message)


def test_kana_typed_with_spaces_between_words_still_names_its_concept(museum):
    # 「最後まで読ん」 spans the spaces of 「さいごまで よんじゃった」
    q = "かいいんの りすと みてたら きになって つい さいごまで よんじゃった。。まずい？"
    a = ask.answer(museum, q, source="museum")
    assert a.found and a.hits[0].clause_id == "museum:a7", [h.clause_id for h in a.hits[:3]] if a.found else a.message


@pytest.mark.parametrize("q, event", [("last night I left my laptop on the bus", True),
                                      ("I think I emailed the member list to the wrong address", True),
                                      ("we sent our monthly report yesterday, do we keep a copy?", False),
                                      ("I left the office early, can I finish at home?", False)])
def test_something_that_happened_is_read_in_english_too(q, event):
    assert bool(ask.EVENT.search(q)) is event


def test_sending_something_is_not_by_itself_email(museum):
    # 'send' alone is post, a courier or e-mail; the rule on mail is not the subject of flyers sent out
    ids = {c.id for c in concept_map.in_question("can we send our own flyers to the members?")}
    assert "email_send" not in ids, ids
    assert "email_send" in {c.id for c in concept_map.in_question("can I send an email with the list attached?")}
