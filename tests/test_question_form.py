"""The form of a question, read apart from its subject (knowledge/asking.py): the question word
asks for a kind of clause (「いつ」 a time, 「誰が」 a person …), and in a long message the part
that asks decides the rule, not a word in the story before it. Checked on an attachment the
product has never seen."""
import pytest

from handlers import ask
from knowledge.asking import answer_form_words, asking_part, asks_permission, counted_as

# Each pair shares its subject; one clause also answers the form of the question.
UNSEEN = """第1条 受注者は、業務で取り扱うデータを適切に管理し、データの消去の記録を残さなければならない。データの消去の記録は、データの種類ごとに作成する。
第2条 受注者は、データが不要となったときは、速やかに消去しなければならない。
第3条 受注者は、預かった書類を保管庫で管理し、書類の管理状況を確認しなければならない。
第4条 書類の管理状況は、業務責任者が毎月確認する。
第5条 受注者は、電子メールで情報を送信するときは、電子メールの宛先を確認し、添付ファイルを暗号化しなければならない。
第6条 受注者は、離席するときは、端末をロックしなければならない。
第7条 この規定に定めのない事項は、発注者と受注者が協議して定める。
"""


@pytest.fixture(scope="module")
def unseen_db(tmp_path_factory):
    from knowledge import library
    from storage.db import open_db

    db = open_db(tmp_path_factory.mktemp("form") / "kb.db")
    library.load_text(db, UNSEEN, slug="form", title="情報取扱特記事項", municipality="架空市")
    return db


@pytest.mark.parametrize("q, words", [
    ("いらなくなったデータっていつ消せばいい？", "速やか"), ("When do I have to report it?", "以内"),
    ("誰がチェックするの", "責任者"), ("申請書には何を書けばいいですか", "項目"), ("修理に出すとき市に何を出せばいい？", "書面"),
    ("ルールを守れなかったらどうなるの？", "損害賠償"), ("書類はどこにしまえばいい？", "保管場所"),
])
def test_the_question_word_names_the_kind_of_clause(q, words):
    assert words in answer_form_words(q)


@pytest.mark.parametrize("q", ["USBメモリを使っていい？", "再委託", "パスワードを付箋に書いて貼るのはダメ？"])
def test_a_question_with_no_question_word_asks_for_no_kind(q):
    assert answer_form_words(q) == []


def test_the_clause_that_answers_the_form_comes_first(unseen_db, monkeypatch):
    # Same subject (データの消去 / 書類の管理状況): the time and the person decide.
    assert ask.answer(unseen_db, "データっていつ消せばいい？").best.clause_id == "form:a2"
    assert ask.answer(unseen_db, "書類の管理状況って誰が確認するの？").best.clause_id == "form:a4"
    # Asked without the question word, the words alone rank the longer clause first: the form, not
    # the subject, moved the answer. (The control is on the words alone: meaning may put either
    # clause first for a bare subject, both answer it.)
    monkeypatch.setenv("MAMORU_MEANING", "off")
    assert ask.answer(unseen_db, "データの消去について").best.clause_id == "form:a1"
    assert ask.answer(unseen_db, "書類の管理状況について").best.clause_id == "form:a3"


def test_only_a_long_message_of_several_parts_has_an_asking_part():
    assert asking_part("USBメモリを使っていい？") is None
    assert asking_part("あ" * 80) is None
    story = "さっき会議から戻ったら、隣の人に画面がつけっぱなしでメールが丸見えでしたよと言われて冷や汗をかきました。" \
            "それでも席を立つたびに毎回なにかしないといけなかったんでしょうか？"
    assert asking_part(story) == "それでも席を立つたびに毎回なにかしないといけなかったんでしょうか？"
    assert asking_part("個人情報の入ったファイルを暗号化してメールで送る決まりになっているのは知っているんですけど、"
                       "宛先の確認は二人でやらないといけないんですか？").startswith("宛先の確認")


def test_a_word_in_the_story_does_not_decide_the_rule(unseen_db):
    story = ("さっき打ち合わせから戻ったら、隣の席の人に『画面つけっぱなしで電子メールの添付ファイルまで丸見えでしたよ』と言われて"
             "冷や汗をかきました。打ち合わせは同じフロアの会議室で十五分くらいだったんですが、"
             "それでも席を立つたびに毎回なにかしないといけなかったんでしょうか？")
    assert ask.answer(unseen_db, story).best.clause_id == "form:a6"
    # The same words as one short question are about the e-mail: the story is read as a story only
    # when there is a part that asks.
    assert ask.answer(unseen_db, "電子メールの添付ファイル").best.clause_id == "form:a5"


def test_an_asking_part_that_names_nothing_leaves_the_story_as_the_question(unseen_db):
    story = ("さっき電子メールで住民のファイルを送るときに、添付ファイルを暗号化しないでそのまま送ってしまいました。"
             "宛先は合っていたし、相手もすぐ開けたみたいなので実害はないと思うんですけど、席に戻ってから気になってきました。"
             "こういうのって何か規定ありましたっけ？")
    from knowledge.search import searcher_for

    searcher = searcher_for(unseen_db)
    # The part that asks names no domain concept: the whole message is the question, at full weight.
    assert searcher._focus(story) is None
    assert ask.answer(unseen_db, story).best.clause_id == "form:a5"
    assert searcher._focus(story.replace("こういうのって何か規定ありましたっけ？", "暗号化しないで送るのはだめでしたっけ？"))["k"]


def test_how_an_english_question_asks_is_not_its_subject():
    from knowledge import concept_map

    # "Is that allowed?" asks permission (like 「いい？」); "documents" are not paper by themselves.
    found = {c.id for c in concept_map.in_question("We'd like to paste the city's documents into ChatGPT. Is that allowed?")}
    assert "external_service" in found and not found & {"approval", "paper_documents"}
    assert "approval" in {c.id for c in concept_map.in_question("Do I need permission to take it home?")}
    assert "paper_documents" in {c.id for c in concept_map.in_question("Can I take the paper documents home?")}


@pytest.mark.parametrize("q, concept", [("申請書には何を書けばいいですか", "incident_details"),
                                        ("パスワードを忘れたらどうすればいい？", "incident_response")])
def test_a_question_word_names_no_topic(q, concept):
    # 「何を書けば」「どうすれば」 are how anything is asked (knowledge.asking reads them as forms).
    from knowledge import concept_map

    assert concept not in {c.id for c in concept_map.in_question(q)}


def test_a_kind_of_person_asked_with_a_duty_leaves_the_duty_as_the_subject(tmp_path):
    from knowledge import library
    from storage.db import open_db

    db = open_db(tmp_path / "kb.db")
    library.load_text(db, "第1条 受注者は、派遣労働者、契約社員その他の正社員以外の労働者に本業務を行わせる場合は、"
                          "正社員以外の労働者にこの特記事項の義務を守らせなければならない。\n"
                          "第2条 受注者は、作業従事者に秘密保持の誓約書を提出させなければならない。\n"
                          "第3条 受注者は、作業従事者に情報セキュリティの研修を行わなければならない。\n",
                      slug="who", title="特記事項", municipality="架空市")
    assert ask.answer(db, "誓約書ってアルバイトも書かないといけない？").best.clause_id == "who:a2"
    # The words of the kind of person (契約社員, 正社員, 以外) count as little as the kind itself.
    assert ask.answer(db, "パートさんにも秘密守りますって紙にサインもらう？").best.clause_id == "who:a2"
    # Asked alone, the kind of person is the subject.
    assert ask.answer(db, "派遣社員に作業させてもいい？").best.clause_id == "who:a1"


@pytest.mark.parametrize("q, subject", [("Can my team share one login for the city system?", "account_password"),
                                        ("市のシステムの画面をスクショして貼ってもいい？", "copy")])
def test_the_citys_system_as_the_setting_is_not_the_topic(q, subject):
    # Work on a city contract is always on the city's systems: naming them sets the scene; the
    # concept of the city's environment and its restrictions needs words about restrictions.
    from knowledge import concept_map

    found = {c.id for c in concept_map.in_question(q)}
    assert subject in found and "city_environment" not in found


def test_the_city_staff_named_in_a_question_are_who_acts_not_what_is_asked(tmp_path):
    from knowledge import concept_map, library
    from storage.db import open_db

    db = open_db(tmp_path / "kb.db")
    library.load_text(db, "第1条 受注者は、市の指示に従い、市から求められた協力を行わなければならない。\n"
                          "第2条 受注者は、私物の携帯電話に情報を保存してはならない。\n",
                      slug="staff", title="特記事項", municipality="架空市")
    q = "市の担当さんが、私物のスマホに名簿の写真を送ってくるんだけど、受け取っちゃっていい？"
    assert ask.answer(db, q).best.clause_id == "staff:a2"
    assert "city_instructions" not in {c.id for c in concept_map.in_question(q)}
    # What the city tells us to do is still the city's instructions.
    assert ask.answer(db, "市から言われたら断れない？").best.clause_id == "staff:a1"


def test_asking_whether_to_do_it_is_not_having_done_it():
    from knowledge import concept_map

    assert "incident_report" not in {c.id for c in concept_map.in_question("急ぎなんですが、これってやっちゃっても大丈夫ですか？")}
    assert "incident_report" in {c.id for c in concept_map.in_question("やっちゃった…どうしよう")}


def test_whether_something_counts_as_a_kind_asks_about_the_kind():
    # The instance comes first, the kind it may count as last: the kind is what the rule is about.
    assert asking_part("グループ会社にちょっとだけ作業を手伝ってもらうのも、再委託に当たる？") == "再委託に当たる"
    assert asking_part("社内チャットにスクショを貼るのも、複製ってことになる？") == "複製ってことになる"
    assert asking_part("再委託に当たる？") is None  # nothing before it: the whole question is the part


def test_a_reason_clause_is_circumstance_not_the_question():
    # Why someone did it (「…がいるから」「重いので」) is not what they ask about; 「市から」 (from) is no reason.
    assert asking_part("ソフトの更新、管理者権限がいるから面倒で放置してるけどまずい？") == "ソフトの更新、面倒で放置してるけどまずい?"
    assert asking_part("共有フォルダが重いので、手元に保存していい？") == "、手元に保存していい?"
    assert asking_part("市からもらった資料を家で読んでいい？") is None
    # Written in kana, a space ends a phrase as a comma would: what is written down stays in the question.
    assert asking_part("かーどのばんごう わすれそうだから てちょうにかいといていい？") == "かーどのばんごう  てちょうにかいといていい?"


def test_the_reason_does_not_decide_the_rule(unseen_db):
    # The reason names e-mail; what was done is leaving the desk without locking.
    q = "電子メールの返信を急いでたから、ロックしないで席を外しちゃったけどまずい？"
    assert ask.answer(unseen_db, q).best.clause_id == "form:a6"


def test_the_part_that_asks_is_the_last_one_with_a_question_mark():
    msg = ("来週から新しく来てもらう派遣さんの件で、秘密を守りますって書面はやっぱり本人から取るんですか？"
           "派遣元がまとめて出してくれるなら、それでいいような気もするんですけど")
    assert asking_part(msg) == "来週から新しく来てもらう派遣さんの件で、秘密を守りますって書面はやっぱり本人から取るんですか？"


@pytest.mark.parametrize("q, asks", [("ネットつながったままでもよか？", True), ("案内送ったらアカン？", True),
                                     ("これってええの？", True), ("家でやってもいけん？", True),
                                     ("市に言わなあかん？", False), ("これって怒られるやつ？", True)])
def test_dialects_ask_permission_too(q, asks):
    assert asks_permission(q) is asks


def test_a_purpose_phrase_is_circumstance_too(unseen_db):
    # 「…用に、」「…のために、」 say what for; what is done is the question.
    assert asking_part("不具合の報告用に、画面のスクショを社内チャットに貼った") == "、画面のスクショを社内チャットに貼った"
    assert ask.answer(unseen_db, "電子メールの返信用に、ロックしないで席を外していい？").best.clause_id == "form:a6"


def test_what_counts_as_the_kind_says_which_sense_of_it_is_meant(tmp_path):
    # 「外に出した」 is taking data out or giving work out; a subsidiary helping says it is the latter.
    from conftest import attachment_db
    db = attachment_db(tmp_path, "kinds", "第1条 受注者は、情報資産を作業場所の外に持ち出してはならない。\n"
                                         "第2条 受注者は、本業務の一部を第三者に再委託してはならない。\n", shipped=False)
    assert counted_as("子会社にテストを手伝ってもらうのも、外に出したって扱いになる？") == \
        ("子会社にテストを手伝ってもらうのも", "外に出したって扱い")
    assert ask.answer(db, "子会社にテストを手伝ってもらうのも、外に出したって扱いになる？").best.clause_id == "kinds:a2"
    assert ask.answer(db, "資料を家に持って帰るのも、外に出したって扱いになる？").best.clause_id == "kinds:a1"


def test_getting_told_off_asks_whether_it_is_allowed_not_about_penalties():
    from knowledge import concept_map
    assert "breach_penalty" not in {c.id for c in concept_map.in_question("更新を止めたままにしてる。怒られるやつ？")}
    assert "breach_penalty" in {c.id for c in concept_map.in_question("ルール破ったらどうなる？")}


def test_whether_something_counts_as_a_term_finds_its_definition(tmp_path):
    from conftest import attachment_db
    from handlers import ask

    db = attachment_db(tmp_path, "teigi", """再委託に関する特記事項
第1条 受注者は、本業務の一部を第三者に委託（以下「再委託」という。）してはならない。
第2条 受注者は、やむを得ず再委託をする場合は、再委託先の名称、再委託の理由及び再委託先の安全管理措置を記載した書面により、あらかじめ市の承認を受けなければならない。
第3条 受注者は、再委託先に対し、本特記事項と同等の義務を負わせなければならない。
""", shipped=False)
    a = ask.answer(db, "グループ会社にテストだけ手伝ってもらうのも、再委託って扱いになる？", source="架空市")
    assert a.found and a.best.clause_id == "teigi:a1", a.best.clause_id


@pytest.mark.parametrize("q", ["関連会社に一部お願いするのも、再委託ってことになる？",
                               "フリーランスの人に手伝ってもらうのも、再委託に当たる？"])
def test_whether_it_counts_as_subcontracting_leads_with_the_definition(kb_db, q):
    from handlers import ask

    a = ask.answer(kb_db, q)
    assert a.found and "以下「再委託」という" in a.best.text, a.best.citation


def test_a_nominalised_topic_is_the_subject_not_the_means(kb_db):
    # 「名簿を廃棄するの、メールで報告すれば十分？」 asks about disposal; e-mail is how the asker means to report it
    from handlers import ask

    a = ask.answer(kb_db, "名簿を廃棄するの、メールで報告すれば十分？")
    assert a.found and "廃棄" in a.best.text, a.best.citation
    assert asking_part("名簿を廃棄するの、メールで報告すれば十分？") == "名簿を廃棄する"
    assert asking_part("USBで渡すのはダメ？") is None


def test_a_clause_that_asks_nothing_gives_way_to_the_rule_on_the_same_words(tmp_path):
    # A definition and a prohibition say the same words; a worker asking whether to do it needs the rule.
    from conftest import attachment_db

    db = attachment_db(tmp_path, "info", "第1条 持出しとは、作業場所の外に住民の書類を出すことをいう。\n"
                                         "第2条 受注者は、作業場所の外に住民の書類を出してはならない。\n"
                                         "第3条 受注者は、離席するときは、端末をロックしなければならない。\n",
                       title="情報取扱特記事項", shipped=False)
    for q in ("住民の書類を作業場所の外に出したい", "住民の書類を作業場所の外に出すのってあり？"):
        a = ask.answer(db, q)
        assert a.found and a.best.clause_id == "info:a2", (q, [h.clause_id for h in a.hits])
        assert a.hits[1].clause_id == "info:a1"
