"""The relevance decision and the domain vocabulary, session nine: an outside topic is answered only by
a clause that names it, the place of the work is no evidence that a clause answers, and a few words read
in the wrong sense (「なんて返せば」 is a reply, 「何時間」 alone no report deadline).
Asked on an attachment written for these tests, in words none of the development sets use.
"""
import pytest

from conftest import attachment_db
from handlers import ask
from knowledge import concept_map

POOL = """市民プール管理運営業務委託 情報セキュリティ特記事項
第1条 受託者は、市民プールの受付で受け取った利用申込書を、業務を行う場所から持ち出してはならない。
第2条 受託者は、利用者の名簿を施錠できる書庫に保管しなければならない。
第3条 従事者は、駐車場に停めた車両に利用申込書を置いたまま車両を離れてはならない。
第4条 受託者は、監視カメラの映像を、事故の調査以外の目的に使用してはならない。
第5条 受託者は、利用者からの苦情を受けたときは、その内容を記録し、市に報告しなければならない。
第6条 受託者は、事故が発生したときは、直ちに市に報告しなければならない。
第7条 受託者は、北館の管理事務室に置いた受付端末に、利用者の情報を保存してはならない。
第8条 受託者は、利用者の多い期間中は、予約管理システムの更新を行ってはならない。
第9条 従事者は、利用者以外の者から、特定の利用者の来場の有無について問合せを受けても、これに答えてはならない。
第10条 受託者は、従事者が業務を離れるときは、貸与した鍵及び入館証を返却させなければならない。
第11条 従事者は、監視カメラの画像を自らの端末に転送してはならない。
第12条 受託者は、業務が終了したときは、利用者の名簿を市に返却し、その写しを保持してはならない。
第13条 受託者は、従事者名簿に記載された者以外の者を、本業務に従事させてはならない。
第14条 市は、必要があると認めるときは、受託者の事務所において実地に確認することができる。
"""
TITLE = "市民プール管理運営業務委託 情報セキュリティ特記事項"


@pytest.fixture(scope="module")
def pool(tmp_path_factory):
    return attachment_db(tmp_path_factory.mktemp("pool"), "pool", POOL, title=TITLE, shipped=False)


def ask_pool(db, q):
    return ask.answer(db, q, source="pool")


@pytest.mark.parametrize("q", ["北館の食堂って何時まで開いてるの？",
                               "北館の管理事務室の食堂って？",
                               "北館の管理事務室、エアコンの温度って何度設定？"])
def test_an_outside_topic_is_not_answered_by_a_clause_sharing_only_the_place(pool, q):
    a = ask_pool(pool, q)
    assert not a.found, (q, a.best.clause_id if a.found else None)


def test_an_outside_topic_a_clause_names_is_still_answered(pool):
    a = ask_pool(pool, "駐車場の車に申込書置いたまま、ちょっと離れてもいい？")
    assert a.found and a.best.clause_id == "pool:a3", a.best.clause_id if a.found else a.message


def test_the_setting_of_the_work_does_not_name_a_thing_asked_about(pool):
    # プール is the title's word: sharing it and an everyday verb (持つ) shows nothing
    a = ask_pool(pool, "プール行くときって水着持ってかなきゃダメ？")
    assert not a.found, a.best.clause_id if a.found else None


def test_a_thing_of_the_setting_a_rule_names_is_still_answered(pool):
    a = ask_pool(pool, "受付でもらった申込書、家に持って帰って続きやってもいい？")
    assert a.found and a.best.clause_id == "pool:a1", a.best.clause_id if a.found else a.message


def test_answering_someone_back_is_not_returning_what_was_lent():
    ids = {c.id for c in concept_map.in_question("利用者さんに文句言われたらなんて返せばいい？")}
    assert "return_disposal" not in ids, ids
    assert "return_disposal" in {c.id for c in concept_map.in_question("借りてた名簿を返すのはいつ？")}


def test_a_bare_number_of_hours_is_no_report_deadline():
    assert "incident_report" not in {c.id for c in concept_map.in_question("監視員のシフトって１日何時間まで？")}
    assert "incident_report" in {c.id for c in concept_map.in_question("事故ったら何時間以内に報告しないとだめ？")}


@pytest.mark.parametrize("q", ["名刺きれちゃったけど追加ってどこに頼むの？", "ネットが遅いんだけど誰に言えばいい？"])
def test_business_cards_and_a_slow_network_are_outside_topics(q):
    assert concept_map.outside(q), q


def test_a_version_upgrade_is_updating_the_system(pool):
    a = ask_pool(pool, "夏休みで混んでる時期だけど、予約のやつバージョンアップしちゃっていい？")
    assert a.found and a.best.clause_id == "pool:a8", a.best.clause_id if a.found else a.message


def test_a_call_asking_about_someone_is_a_question_not_to_answer(pool):
    a = ask_pool(pool, "知らない人から「うちの子今日来てる？」って電話きたんだけど、教えてあげていい？")
    assert a.found and a.best.clause_id == "pool:a9", a.best.clause_id if a.found else a.message


def test_the_last_day_is_leaving_the_work(pool):
    a = ask_pool(pool, "バイトの子、来週が最終日なんだけど何かしてもらうことある？")
    assert a.found and a.best.clause_id == "pool:a10", a.best.clause_id if a.found else a.message


@pytest.mark.parametrize("q, cid", [("検証サーバのWindowsUpdate、半年放置してる", "patching"),
                                    ("市に契約の一部切られたら、こうむった損は請求できる？", "breach_penalty")])
def test_words_typed_together_or_in_between_name_their_concept(q, cid):
    assert cid in {c.id for c in concept_map.in_question(q)}, q


def test_someone_leaving_in_english_is_leaving_the_work(pool):
    a = ask_pool(pool, "one of our part-timers is leaving at the end of the month. anything they need to do before they go?")
    assert a.found and a.best.clause_id == "pool:a10", a.best.clause_id if a.found else a.message


def test_taking_forms_outside_in_english_is_taking_them_out(pool):
    from knowledge import english
    read = english.read_question("when we take the sign-up forms outside, do we write down what we took?")
    assert "take_out" in read.concepts, read.concepts
    a = ask_pool(pool, "if we take the sign-up forms outside to finish them at a cafe, is that ok?")
    assert a.found and a.best.clause_id == "pool:a1", a.best.clause_id if a.found else a.message


def test_a_meeting_room_one_carries_a_pc_into_is_no_room_booking():
    assert not concept_map.outside("can I carry the reception PC into the meeting room upstairs?")
    assert concept_map.outside("where do I book a meeting room for friday?")


def test_a_list_sent_to_another_company_is_no_subcontracting():
    from knowledge import english
    sent = english.read_question("I sent the list to the wrong address at another company, what now?")
    assert "subcontract" not in sent.concepts, sent.concepts
    asked = english.read_question("can we have another company do part of the data entry?")
    assert "subcontract" in asked.concepts, asked.concepts


def test_holding_onto_a_copy_is_about_returning_and_erasing(pool):
    from knowledge import english
    assert "return_disposal" in english.read_question("can we hold onto the data in case they want fixes?").concepts
    a = ask_pool(pool, "once the season's over, how long can we hang onto our copy of the member list?")
    assert a.found and a.best.clause_id == "pool:a12", a.best.clause_id if a.found else a.message


def test_a_pupils_essay_is_no_request_to_write_one():
    assert not concept_map.outside("子どもの絵とか作文、自分のスマホに送って取っといていい？")
    assert concept_map.outside("お礼の手紙、作文してくれる？")


@pytest.mark.parametrize("q", ["ランチ行くとき、PCの画面ロックしないとダメ？", "社員旅行の間、担当のPCを家に持って帰って置いといていい？",
                               "休暇中に家で作業してもいい？"])
def test_an_outside_topic_said_as_the_occasion_does_not_decline_the_question(kb_db, q):
    assert concept_map.outside(q) and not concept_map.outside(concept_map.without_passing_topics(q))
    a = ask.answer(kb_db, q)
    assert a.found, (q, a.message)


@pytest.mark.parametrize("q", ["ランチの店知ってる？", "有給って何日前までに申請すればいい？", "社員旅行って今年どこ行くの？"])
def test_an_outside_topic_asked_about_is_still_declined(kb_db, q):
    assert concept_map.outside(concept_map.without_passing_topics(q)), q
    assert not ask.answer(kb_db, q).found, q


@pytest.mark.parametrize("q", ["窓口が混む時間って何時ごろ？", "休憩室に椅子ってある？", "このPCどこのメーカー？", "夜勤って何時から？",
                               "how do I mute the chat notifications at night?", "any good lunch spots near the library?",
                               "what's the hourly wage for the night staff?"])
def test_everyday_workplace_questions_are_outside_topics(q):
    assert concept_map.outside(q), q


@pytest.mark.parametrize("q", ["窓口が混んでて、申請書を机に置いたまま離れちゃった", "メーカーに修理出すとき、データ消さないとダメ？"])
def test_the_same_words_in_a_rule_question_are_no_outside_topic(kb_db, q):
    assert ask.answer(kb_db, q).found, q


@pytest.mark.parametrize("q", ["住民アンケート、無料の翻訳サイトで翻訳していい？", "家のノートで計算していい？"])
def test_asking_leave_to_translate_or_calculate_is_no_request_to_the_bot(q):
    assert not concept_map.outside(q), q


@pytest.mark.parametrize("q", ["このメール英語に翻訳してもらえる？", "これ計算してくれる？", "議事録を要約してください"])
def test_a_request_to_the_bot_is_still_an_outside_topic(q):
    assert concept_map.outside(q), q


def test_leave_taken_as_the_reason_is_background():
    q = "リーダーが産休に入るので別の人がまとめ役になる、市に何か出す？"
    assert concept_map.outside(q) and not concept_map.outside(concept_map.without_passing_topics(q))
    assert concept_map.outside(concept_map.without_passing_topics("産休って何日前に言えばいい？"))


def test_someone_not_on_the_roster_meets_a_clause_on_those_not_listed(pool):
    assert "unregistered_person" in {c.id for c in concept_map.in_clause("名簿に記載された者以外の者を従事させないこと。")}
    a = ask_pool(pool, "名簿に載ってない子に、受付ちょっとだけ手伝ってもらってもいい？")
    assert a.found and a.best.clause_id == "pool:a13", a.best.clause_id if a.found else a.message


def test_the_city_checking_on_site_is_an_inspection(pool):
    assert "audit_inspection" in {c.id for c in concept_map.in_clause("市は、受託者の事務所において実地に確認することができる。")}
    a = ask_pool(pool, "市の人がうちの事務所に様子見に来ることってある？")
    assert a.found and a.best.clause_id == "pool:a14", a.best.clause_id if a.found else a.message


def test_connecting_over_vpn_from_home_is_remote_access():
    assert "remote_maintenance" in {c.id for c in concept_map.in_question("夜中に障害出たら自宅からVPNでつないで直していい？")}


@pytest.mark.parametrize("q", ["住基のデータ扱うPC、ネットにつながったままで作業していい？",
                               "is it ok if the PC with the tax data is connected to the internet?"])
def test_a_pc_left_online_is_about_isolating_it_from_the_internet(q):
    from knowledge import english
    read = english.read_question(q)
    ids = set(read.concepts) if read else {c.id for c in concept_map.in_question(q)}
    assert "network_isolation" in ids, (q, ids)


def test_a_team_lead_replaced_is_the_responsible_person():
    from knowledge import english
    assert "responsible_person" in english.read_question("our team lead is moving on, do we tell the city who the replacement is?").concepts


def test_reading_a_card_with_nfc_is_analysing_it(pool):
    assert "analysis_tampering" in {c.id for c in concept_map.in_clause("貸与されたカードの記録情報の解析等を試みてはならない。")}
    assert "analysis_tampering" not in {c.id for c in concept_map.in_clause("アクセスログを定期的に解析し、不正を監視すること。")}
    assert "analysis_tampering" in {c.id for c in concept_map.in_question("社員証ってスマホのNFCで中身読めるらしい、試していい？")}


@pytest.mark.parametrize("q", ["喫煙所で市の案件の話してたらまずい？", "忘年会の写真、住民のリストが写っちゃってるけどSNSにあげていい？",
                               "社食で住民データの話しちゃったけどまずい？", "駐車場の車にノートPC置いたまま昼飯いってもいい？"])
def test_a_workplace_place_said_as_where_it_happens_does_not_decline_the_question(kb_db, q):
    assert concept_map.outside(q) and not concept_map.outside(concept_map.without_passing_topics(q)), q
    a = ask.answer(kb_db, q)
    assert a.found, (q, a.message)


@pytest.mark.parametrize("q", ["食堂って業者も使える？", "喫煙所どこ？", "忘年会って何日？", "お昼って食堂でお弁当でる？"])
def test_the_place_itself_asked_about_is_still_an_outside_topic(kb_db, q):
    assert concept_map.outside(concept_map.without_passing_topics(q)), q
    assert not ask.answer(kb_db, q).found, q


def test_a_misprint_is_spoiled_paper_not_an_incident(kb_db):
    assert "incident_report" not in {c.id for c in concept_map.in_question("印刷ミスった住民の紙、普通のゴミ箱に捨てていい？")}
    a = ask.answer(kb_db, "印刷ミスった住民の紙、普通のゴミ箱に捨てていい？")
    assert a.found and "報告" not in a.best.text[:40], (a.best.citation, a.best.text[:60])
    mishap = ask.answer(kb_db, "ミスっちゃった、住民のリスト別の会社に送った")
    assert mishap.found and "報告" in mishap.best.text, mishap.best.text[:60]


@pytest.mark.parametrize("q", ["現場のトイレってどこ？", "コピー用紙の補充って誰の担当？", "来週の飲み会、何時集合？", "市役所の食堂のおすすめメニューは？"])
def test_where_or_what_a_thing_is_needs_a_clause_that_names_it(kb_db, q):
    assert not ask.answer(kb_db, q).found, q


@pytest.mark.parametrize("q", ["住民リストってどこに保管すればいい？", "借りてるICカード壊れた", "ウイルス対策ソフトのライセンス切れた"])
def test_where_to_keep_something_or_a_broken_thing_is_still_a_rule_question(kb_db, q):
    assert ask.answer(kb_db, q).found, q


def test_a_bullet_train_ticket_is_no_screen_peeking(kb_db):
    assert "shoulder_surfing" not in {c.id for c in concept_map.in_question("出張の新幹線って指定席取っていい？")}
    assert "shoulder_surfing" in {c.id for c in concept_map.in_question("新幹線でノートPC開いて住民データ見ていい？")}


@pytest.mark.parametrize("q", ["私物の宅配便を会社で受け取ってもいい？", "ノートPCの壁紙変えていい？", "会議の議事録ってどのフォーマットで書けばいい？"])
def test_parcels_wallpaper_and_formats_are_outside_topics(kb_db, q):
    assert concept_map.outside(q), q
    assert not ask.answer(kb_db, q).found, q


def test_making_new_year_cards_on_the_work_pc_is_still_a_rule_question(kb_db):
    assert ask.answer(kb_db, "支給PCで年賀状作ってもいい？").found


def test_a_long_english_mis_send_leads_with_the_duty_to_report(kb_db):
    a = ask.answer(kb_db, "I think I sent an email with the whole residents list attached to the wrong person, what now?")
    assert a.found and "報告" in a.best.text, (a.best.citation if a.found else a.message)
