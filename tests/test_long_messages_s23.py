"""Long messages as staff type them: a story, then the question (session 23).

- A mishap the message says is already reported (「市には報告済みです」) does not put the duty to report first:
  what is asked next is answered by the rule on that act (handlers/ask.reported_already).
- In a long message whose asking part names the information or thing the rules protect, an everyday topic
  told before it (lunch, a forgotten password) is the occasion, not a reason to decline (search._topic_said).
- 「家族なら教えてもいい？」 leads with the rule on answering other people, not the incident rule that lists
  漏えい among the things to report (knowledge/concepts/information.toml, third_party_disclosure).
The attachment and the questions are written for this test, not copied from any question set.
"""
import unicodedata

import pytest

from conftest import attachment_db
from handlers import ask

CENTER = """健診受付センター業務委託 個人情報取扱遵守事項
第1条 受託者は、受診者名簿の紛失、誤送付その他の事故が発生し、又は漏えいのおそれがあるときは、直ちに市の健康課に電話で報告しなければならない。
第2条 受託者は、事故について報道機関から取材を受けたときは、市の承認を得ずに回答してはならない。
第3条 受託者は、誤って交付した結果通知を回収したときは、これを廃棄せず、市の担当職員に引き渡さなければならない。
第4条 受託者は、受診者の家族その他の第三者から受診の有無や結果を問われても、回答してはならない。
第5条 受託者は、検診車の車内に名簿や問診票を置いたまま、車両を無人にしてはならない。
第6条 受託者は、本業務で知り得た個人情報を他に漏らしてはならない。
第7条 受託者は、従事者に対し、個人情報の取扱いに関する研修を年1回以上行わなければならない。
"""


@pytest.fixture(scope="module")
def center(tmp_path_factory):
    return attachment_db(tmp_path_factory.mktemp("center"), "center", CENTER, shipped=False)


def ids(a):
    return [h.clause_id for h in a.hits]


@pytest.mark.parametrize("q, act", [
    ("結果通知を別の人に渡してしまった件、健康課にはもう報告済みです。さっき地元紙の記者さんから電話があって、事情を聞かせてほしいと。"
     "こちらから説明しちゃっていいですか？", "center:a2"),
    ("別の人の結果通知を渡しちゃったのを追いかけて取り戻しました。担当の職員さんには口頭で伝えてあります。"
     "取り戻した通知、もう要らないのでシュレッダーしちゃっていいですよね？", "center:a3"),
])
def test_a_mishap_already_reported_is_answered_by_the_rule_on_what_is_asked_next(center, q, act):
    a = ask.answer(center, q, source="架空市")
    assert a.found, a.message
    # The report rule no longer leads; the act's rule is among the first two (the press one can still come
    # second to the general rule on answering third parties, which 記者 also names).
    assert a.best.clause_id != "center:a1", (q, ids(a))
    assert act in ids(a)[:2], (q, ids(a))
    assert ask.ALREADY_NOTE not in a.notes


@pytest.mark.parametrize("q", [
    "結果通知を別の人に渡しちゃいました。どうすればいいですか？",
    "名簿を一枚なくしました。市に連絡したいんですけど、どうすれば？",
    "名簿なくした。健康課に電話したけど誰も出ない。どうすればいい？",
])
def test_a_mishap_not_yet_reported_still_puts_the_report_first(center, q):
    a = ask.answer(center, q, source="架空市")
    assert a.found, a.message
    assert a.best.clause_id == "center:a1", (q, ids(a))


@pytest.mark.parametrize("q, done", [
    ("課長にはもう電話しました。謝りに行っていい？", True),
    ("市には報告して今は指示待ちです。記者に話していい？", True),
    ("報告しています。返ってきた書類は捨てていい？", True),
    ("もう報告した", False),                                         # nothing asked after it
    ("局への電話はもうしました。書面の方はいつまでに出せばいい？", False),  # asks about the written report
    ("課長に報告済み。市にも連絡した方がいい？", False),                 # asks about reporting again
    ("市に報告したらいい？", False),
    ("市に連絡したいんですけど、どうすれば？", False),
    ("電話したけど誰も出ない。どうする？", False),
])
def test_reported_already_reads_a_report_made_not_one_wished_tried_or_asked_about(q, done):
    assert bool(ask.reported_already(unicodedata.normalize("NFKC", q))) is done


def test_lunch_told_before_asking_about_the_roster_in_the_bus_is_a_rule_question(center):
    q = ("午後の検診バスの受付なんですが、昼休みにスタッフみんなでお弁当を買いに行こうって話になってまして、"
         "名簿とか問診の紙はバスの中に置いたままでいいですよね？鍵はかけます。")
    a = ask.answer(center, q, source="架空市")
    assert a.found, a.message
    assert a.best.clause_id == "center:a5", ids(a)


@pytest.mark.parametrize("q", [
    "午後の検診バスの受付が終わったら、スタッフみんなでお弁当を買いに行こうって話になってまして、どこのお店がおすすめですか？",
    "検診会場のスタッフで昼休みにお弁当を頼もうと思ってるんですが、毎回注文をまとめるのが大変で。何人前から配達してくれるお店がいいですかね？",
])
def test_a_long_message_about_lunch_alone_is_still_declined(center, q):
    a = ask.answer(center, q, source="架空市")
    assert not a.found, (q, ids(a))


def test_may_i_tell_the_family_leads_with_the_rule_on_answering_others_not_the_incident_rule(center):
    q = ("受付にいたら、受診者さんの息子さんだという人が来て『母が今日ちゃんと検診受けたか教えて』と言われました。"
         "家族なら教えても大丈夫ですか？")
    a = ask.answer(center, q, source="架空市")
    assert a.found, a.message
    assert a.best.clause_id == "center:a4", ids(a)


@pytest.mark.parametrize("q, ours", [
    ("駐輪場で自転車を盗まれたってお客さんが来て、防犯カメラを見せてと言っています", False),
    ("自転車盗まれたって利用者さんが来た", False),
    ("社用の自転車が盗まれた", True),
])
def test_a_member_of_the_publics_theft_told_with_tte_is_not_our_mishap(q, ours):
    assert ask.mishap_of_ours(unicodedata.normalize("NFKC", q)) is ours


@pytest.mark.parametrize("q, ours", [
    ("まあ大丈夫ですよね？盗られたこともないし。", False),
    ("USBなくしたことある人いる？", False),
    ("一度もなくしたことないです", False),
    ("USBなくした、どうしよう", True),
    ("名簿をなくしたことに今気づいた", True),
])
def test_whether_it_ever_happened_is_not_a_mishap_now(q, ours):
    assert ask.mishap_of_ours(unicodedata.normalize("NFKC", q)) is ours


def test_after_the_report_is_made_the_whole_rest_of_the_message_is_what_is_asked(center):
    # The last sentence names nothing (「説明していい？」): the reporter's call before it says what about.
    q = ("受診者名簿を一枚なくした件、健康課には報告して今は指示待ちです。さっき地元紙の記者さんから電話があって事情を聞きたいと。"
         "私から説明しても大丈夫ですか？")
    a = ask.answer(center, q, source="架空市")
    assert a.found, a.message
    assert a.best.clause_id != "center:a1", ids(a)
    assert "center:a2" in ids(a)[:3], ids(a)


@pytest.mark.parametrize("q, form", [
    ("いつもの担当さんが休みなんですが、代わりに入っていい？", None),          # いつも is "always"
    ("いつまでに出せばいい？", "以内"),
    ("隣の奥さんに『最近どうなの？』って聞かれた。話していい？", None),        # how someone is, not a consequence
    ("バレたらどうなる？", "損害賠償"),
    ("PCに残ったファイル消したら何か紙いる？", "証明"),
    ("データをコピーしたら何か書いとく？", "記録"),
])
def test_answer_forms_read_what_is_asked_not_a_word_that_looks_like_it(q, form):
    from knowledge.asking import answer_form_words
    words = answer_form_words(q)
    assert (form in words) if form else not words, (q, words)


@pytest.mark.parametrize("q, personal", [
    ("調査用のタブレットを電車に置き忘れた", False),
    ("社用スマホをなくしました", False),
    ("私物のスマホで名簿を撮った", True),
])
def test_a_tablet_or_phone_for_the_work_is_not_a_personal_device(q, personal):
    from knowledge import concept_map
    assert ("personal_device" in {c.id for c in concept_map.in_question(q)}) is personal


def test_a_quoted_question_inside_a_message_is_not_where_it_splits():
    from knowledge.asking import asking_part, split_parts
    q = ("町内会の会長さんに新しい名簿を渡しに行ったら、古いのを回収できませんでした。"
         "そのとき世間話で『お隣さん、障害何級なの？』って聞かれて…答えていいんでしょうか？")
    assert asking_part(q) == "そのとき世間話で『お隣さん、障害何級なの？』って聞かれて…答えていいんでしょうか？"
    assert split_parts("彼は「もう帰る？」と聞いた。いい？") == ["彼は「もう帰る？」と聞いた。", "いい？", ""]


@pytest.mark.parametrize("q, concept", [
    ("耳が遠い方なので、フルネームで大きめに呼んじゃおうかな", "calling_by_name"),
    ("名前をちょっと大きな声で呼んでいい？", "calling_by_name"),
])
def test_calling_someone_by_name_with_words_between_names_the_concept(q, concept):
    from knowledge import concept_map
    assert concept in {c.id for c in concept_map.in_question(q)}


def test_an_insurance_card_shown_at_a_visit_is_not_an_insurance_topic():
    from knowledge import concept_map
    assert not concept_map.outside("訪問先でおじいさんが保険のカードを出してくれたのでスマホで撮りました")
