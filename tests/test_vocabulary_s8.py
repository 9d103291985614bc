"""The domain vocabulary, session eight: a new hire is not a temp, data written on something is not a
log, and a word typed in hiragana amid kanji (「データけす前に」) names its concept as its kanji would.
Asked on an attachment written for these tests, in words none of the development sets use.
"""
import pytest

from conftest import attachment_db
from handlers import ask
from knowledge import concept_map

STAFF = """人材派遣管理システム保守業務委託 情報セキュリティ特記事項
第1条 受託者は、本業務に従事する者から、秘密保持に関する誓約書を徴さなければならない。
第2条 受託者は、本業務を派遣労働者その他の正社員以外の者に行わせる場合は、本特記事項の義務を遵守させなければならない。
第3条 受託者は、情報が記録された記録媒体を、施錠できる保管庫に保管しなければならない。
第4条 受託者は、本業務で使用する端末の操作記録を取得し、一年間保存しなければならない。
第5条 受託者は、本業務で取り扱う情報を消去したときは、消去したことを証明する書類を市に提出しなければならない。
第6条 従事者は、貸与された入館カードを他の者に貸与し、又は他の者と共用してはならない。
第7条 受託者は、貸与された入館カードの記録情報を解析してはならない。
"""


@pytest.fixture(scope="module")
def staff(tmp_path_factory):
    return attachment_db(tmp_path_factory.mktemp("staff"), "staff", STAFF, shipped=False)


def test_a_new_hire_is_asked_about_the_pledge_not_the_rule_on_temps(staff):
    a = ask.answer(staff, "今月入った新人にも秘密を守るって一筆書いてもらうの？", source="架空市")
    assert a.found and a.best.clause_id == "staff:a1", a.best.clause_id if a.found else a.message
    temps = next(c for c in concept_map.load() if c.id == "dispatched_workers")
    assert not {"新人", "新入社員", "中途"} & set(temps.says)


def test_a_temp_still_names_the_rule_on_temps(staff):
    a = ask.answer(staff, "派遣さんにも同じルール守ってもらう必要ある？", source="架空市")
    assert a.found and a.best.clause_id == "staff:a2", a.best.clause_id if a.found else a.message


@pytest.mark.parametrize("text", ["情報が記録された記録媒体を、施錠できる保管庫に保管しなければならない。",
                                  "電磁的記録を含む情報資産を返還すること。"])
def test_data_written_on_something_is_not_a_log(text):
    assert "monitoring_logs" not in {c.id for c in concept_map.in_clause(text)}


def test_a_record_kept_of_who_came_is_still_a_log():
    assert "monitoring_logs" in {c.id for c in concept_map.in_clause("作業の記録を残すこと。")}


@pytest.mark.parametrize("q", ["来月まとめてデータけす予定なんだけど、けしたあと市に何か出すものある？",
                               "データをけしたら、ちゃんとけしましたって紙いるの？"])
def test_a_verb_typed_in_kana_amid_kanji_names_its_concept(staff, q):
    a = ask.answer(staff, q, source="架空市")
    assert a.found and a.best.clause_id == "staff:a5", (q, a.best.clause_id if a.found else a.message)


@pytest.mark.parametrize("q", ["入館カード家に忘れてもうた…隣の席の人のん借りて入ってもええ？",
                               "同僚がカード忘れたって言うから、私のカード貸してあげてもいい？"])
def test_lending_or_borrowing_a_card_is_sharing_it(staff, q):
    a = ask.answer(staff, q, source="架空市")
    assert a.found and a.best.clause_id == "staff:a6", (q, a.best.clause_id if a.found else a.message)


def test_a_room_that_locks_is_not_lending_a_key():
    # かぎかかる (a key locks) is not かぎかし (lending a key): a verb's stem alone is no phrase
    assert "lend_to_others" not in {c.id for c in concept_map.in_question("かぎかかるへやだしいいよね")}


@pytest.mark.parametrize("q", ["駐車場って使っていい？", "食堂使っていい？"])
def test_an_act_anyone_does_is_no_evidence_of_a_rule(kb_db, q):
    # 使う is shared with a USB rule; the parking lot is what is asked about, and no rule names it.
    a = ask.answer(kb_db, q)
    assert not a.found, (q, a.best.clause_id if a.found else None)


@pytest.mark.parametrize("q", ["私物のUSB使っていい？", "自分のスマホ使っていい？"])
def test_a_thing_a_rule_names_is_still_answered_with_the_same_verb(kb_db, q):
    a = ask.answer(kb_db, q)
    assert a.found and "私物" in a.best.text, (q, a.best.clause_id if a.found else a.message)


def test_a_phrasal_verb_with_its_object_between_is_the_phrase():
    from knowledge import english
    r = english.read("ok if I take the spreadsheet with the residents list home tonight?")
    assert "take_out" in r.concepts and any("…" in p for p in r.phrases), r
    # only home, back, out, away, outside: 「powering a fan off the USB port」 is no 「power off」
    assert not any("…" in p for p in english.read("powering a mini fan off the laptop's usb port").phrases)


def test_an_excel_file_carried_home_is_not_an_it_question(kb_db):
    a = ask.answer(kb_db, "didn't finish today, ok if I take the excel with the residents list home and carry on tonight?")
    assert a.found and ("持ち出" in a.best.text or "持出" in a.best.text), a.best.text if a.found else a.message


@pytest.mark.parametrize("q", ["how do you add a line break inside a cell in excel again?",
                               "what's the excel formula to count the filled cells?"])
def test_an_excel_how_to_in_english_stays_declined(kb_db, q):
    assert not ask.answer(kb_db, q).found, q


@pytest.mark.parametrize("q, words", [
    ("the city people want to come to check how we handle the files next week, can we say no?", ("検査", "監査")),
    ("is it fine to wear my company ID in my pocket instead of round my neck?", ("社員証", "証明書")),
])
def test_english_everyday_phrases_meet_their_rule(kb_db, q, words):
    a = ask.answer(kb_db, q)
    assert a.found and any(w in a.best.text for w in words), (q, a.best.text if a.found else a.message)


def test_a_luggage_rack_is_no_server_rack():
    from knowledge import english
    assert not {"取付け", "ラック"} & set(english.read("left my bag on the luggage rack of the bus").rule_words)


FIELD = """空き家実態調査業務委託 特記事項
第1条 調査員は、調査員証を携帯し、住民から求められたときは、これを提示しなければならない。
第2条 調査員は、所有者の承諾なく敷地内に立ち入ってはならない。
第3条 受託者は、調査で撮影した写真を、本業務以外の目的に使用してはならない。
第4条 受託者は、調査データを一括して抽出したときは、作業が終わった日のうちに消去しなければならない。
"""


@pytest.fixture(scope="module")
def field(tmp_path_factory):
    return attachment_db(tmp_path_factory.mktemp("field"), "field", FIELD, shipped=False)


@pytest.mark.parametrize("q, clause", [
    ("a neighbour stopped me and asked who I was, what should I show them?", "field:a1"),
    ("an elderly man doubted I was really from the city, is there something I can show him?", "field:a1"),
    ("nobody answered the door, can I walk into the back yard to check the roof?", "field:a2"),
    ("the photos look great, can we use them as a case study on our company website?", "field:a3"),
    ("I exported the survey data to a csv to check something, when do I have to get rid of it?", "field:a4"),
])
def test_english_questions_about_field_work_find_their_rule(field, q, clause):
    a = ask.answer(field, q, source="架空市")
    assert a.found and a.best.clause_id == clause, (q, a.best.clause_id if a.found else a.message)


@pytest.mark.parametrize("q", ["is there a night-shift allowance for the weekend maintenance?",
                               "who pays the usage fees for the shared server?",
                               "where's the smoking area for contractors at city hall?"])
def test_english_workplace_questions_no_rule_covers_stay_declined(kb_db, q):
    assert not ask.answer(kb_db, q).found, q


ELECTION = """市議会議員選挙 期日前投票所運営業務委託 特記事項
第1条 従事者は、期日前投票所において知り得た選挙人の氏名を他に漏らしてはならない。
第2条 従事者は、期日前投票所の受付において、選挙人の住所を読み上げてはならない。
第3条 受託者は、期日前投票所の従事者名簿を開設の７日前までに提出しなければならない。
第4条 受託者は、期日前投票所で使用した宣誓書を、閉鎖の日に委員会に引き渡さなければならない。
"""


@pytest.fixture(scope="module")
def election(tmp_path_factory):
    return attachment_db(tmp_path_factory.mktemp("election"), "election", ELECTION, shipped=False)


@pytest.mark.parametrize("q", ["期日前投票所って何時まで開いてる？営業時間知りたい", "期日前投票所の受付、エアコン効かないんだけど…",
                               "期日前投票所の日の作業着って自前？"])
def test_a_topic_no_rule_covers_in_the_setting_words_stays_declined(election, q):
    # 期日前投票所 is in every clause: sharing it shows nothing about opening hours or work clothes.
    a = ask.answer(election, q, source="架空市")
    assert not a.found, (q, a.best.clause_id if a.found else None)


def test_the_setting_words_still_carry_a_question_a_rule_covers(election):
    a = ask.answer(election, "期日前投票所の受付で住所を声に出して確認してもいい？", source="架空市")
    assert a.found and a.best.clause_id == "election:a2", a.best.clause_id if a.found else a.message


def test_a_fragment_of_a_setting_word_shows_nothing(election):
    # 期日前投票所 leaves 所 and 開く once its setting is set aside: neither names what a rule is about.
    a = ask.answer(election, "期日前投票所って何時まで開いてる？", source="架空市")
    assert not a.found, a.best.clause_id if a.found else None


@pytest.mark.parametrize("q, named", [("会議室の予約って何ヶ月前からできる？", False), ("何日くらいで届く？", False),
                                      ("ログって何年保存しとけばいい？", True), ("何年前のデータまで取っとかなきゃダメ？", True)])
def test_asking_how_long_names_the_retention_period_only_with_keeping(q, named):
    assert ("retention_period" in {c.id for c in concept_map.in_question(q)}) is named, q


@pytest.mark.parametrize("q", ["画面開いてるまま席を外してもいい？", "住民の誕生日の一覧をExcelで作っていい？",
                               "ガソリンスタンドで車に書類置いたまま離れてもいい？", "ホワイトボードの写真撮っていい？"])
def test_words_of_questions_rules_cover_are_no_outside_topic(q):
    assert not concept_map.outside(q), (q, [c.id for c in concept_map.outside(q)])


@pytest.mark.parametrize("q", ["市役所の喫茶コーナーって何時まで開いてる？", "サーバ室の蛍光灯が切れてる", "作業着って自前？"])
def test_workplace_matters_are_outside_topics(q):
    assert concept_map.outside(q), q


@pytest.mark.parametrize("q, clause", [
    ("the survey data arrived this morning, do I need to reply to the city or something?", "intake:a1"),
    ("can I forward the photos from the visit to my own phone to look at later?", "intake:a3"),
])
def test_english_questions_about_data_handling_find_their_rule(tmp_path_factory, q, clause):
    text = """調査データ入力業務委託 特記事項
第1条 受託者は、市から調査データを受け取ったときは、受領の連絡を当日中に市にしなければならない。
第2条 受託者は、成果品の検査に合格した日に、保有する調査データを消去しなければならない。
第3条 従事者は、業務で撮影した写真を私物の端末に転送してはならない。
"""
    db = attachment_db(tmp_path_factory.mktemp("intake"), "intake", text, shipped=False)
    a = ask.answer(db, q, source="架空市")
    assert a.found and a.best.clause_id == clause, (q, a.best.clause_id if a.found else a.message)


def test_a_planned_schedule_is_no_work_plan():
    from knowledge import english
    assert "maintenance_work" not in english.read("is the library closed on mondays? I'm trying to plan the work schedule").concepts


@pytest.mark.parametrize("q, words", [
    ("the folder with the city data on our shared drive turns out to be open to the whole company", ("アクセス", "作業従事者のみ")),
])
def test_more_english_everyday_phrases_meet_their_rule(kb_db, q, words):
    a = ask.answer(kb_db, q)
    assert a.found and any(w in a.best.text for w in words), (q, a.best.text if a.found else a.message)


@pytest.mark.parametrize("q", ["I typed the fax number wrong and the list went to a random place, what now?",
                               "my colleague left the bag with the work laptop on the luggage rack of the bus, what now?"])
def test_an_english_mishap_leads_with_the_duty_to_report(kb_db, q):
    a = ask.answer(kb_db, q)
    assert a.found and "報告" in a.best.text, (q, a.best.text if a.found else a.message)


@pytest.mark.parametrize("q, words", [
    ("I've just been made team lead, do I have to make sure my members actually follow the rules?", ("監督",)),
    ("people at the next desks can see my screen the whole time, should I do something?", ("覗き見",)),
])
def test_english_phrases_of_the_last_batch_meet_their_rule(kb_db, q, words):
    a = ask.answer(kb_db, q)
    assert a.found and any(w in a.best.text for w in words), (q, a.best.text if a.found else a.message)
