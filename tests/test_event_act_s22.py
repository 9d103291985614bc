"""After a mishap, leave asked for a particular act (talk to the press, visit the household, shred what came
back) is answered by the rule on that act, and the duty to report comes second with a note; asking what to do,
whom to tell or how to report still puts the report first (handlers/ask._event_first). The attachment and the
questions are written for this test, not copied from any question set."""
import pytest

from conftest import attachment_db
from handlers import ask

SURVEY = """訪問調査業務委託 情報セキュリティ遵守事項
第1条 受託者は、調査票の紛失、盗難その他の事故が発生したときは、直ちに市の担当課に電話で報告しなければならない。
第2条 受託者は、事故について報道機関から問合せを受けたときは、市の承認を得ずに回答してはならない。
第3条 受託者は、事故により影響を受ける世帯への説明及び謝罪を、市の承認を得るまで行ってはならない。
第4条 受託者は、調査票を自宅に持ち帰ってはならない。
第5条 受託者は、不要となった調査票を、市の指示によりシュレッダーで裁断しなければならない。
"""


@pytest.fixture(scope="module")
def survey(tmp_path_factory):
    return attachment_db(tmp_path_factory.mktemp("survey"), "survey", SURVEY, shipped=False)


@pytest.mark.parametrize("q, act", [
    ("調査票を一枚なくしちゃった。テレビ局の記者から取材の電話がきたけど、答えていい？", "survey:a2"),
    ("調査票を落としてしまいました。そのお宅に先におわびに伺ってもいいですか？", "survey:a3"),
])
def test_leave_for_another_act_after_a_mishap_answers_that_act_then_the_report(survey, q, act):
    a = ask.answer(survey, q, source="架空市")
    assert a.found, a.message
    assert a.best.clause_id == act, (q, [h.clause_id for h in a.hits])
    assert a.hits[1].clause_id == "survey:a1", (q, [h.clause_id for h in a.hits])
    assert ask.REPORT_SECOND_NOTE in a.notes
    assert ask.ALREADY_NOTE not in a.notes


@pytest.mark.parametrize("q", [
    "調査票を一枚なくしちゃった。どうすればいい？",
    "調査票なくした…誰に言えばいい？",
    "調査票をなくしました。市にはメールで報告でいいですか？",
    "調査票を一枚なくしちゃった。テレビ局の記者から電話がきた。まず何をすればいい？",
])
def test_what_to_do_whom_to_tell_or_how_to_report_puts_the_report_first(survey, q):
    a = ask.answer(survey, q, source="架空市")
    assert a.found, a.message
    assert a.best.clause_id == "survey:a1", (q, [h.clause_id for h in a.hits])
    assert ask.ALREADY_NOTE in a.notes
    assert ask.REPORT_SECOND_NOTE not in a.notes


@pytest.mark.parametrize("q, ours", [
    # a download, not a loss
    ("ログ調査のため、顧客データを一旦ローカルに落としたんですが、いつまでに消せばいい？", False),
    ("作業用の名簿を端末に落としました。暗号化は必要ですか", False),
    # left safe at home or in the office
    ("入館証を家に忘れてきた…今日どうやって入ればいい？", False),
    ("ICカードを会社に置いてきちゃった", False),
    ("入館証忘れてきたので、同僚のを借りて入っていい？", False),
    ("タクシーに社用スマホを忘れてきたかも", True),
    # someone else's loss, not ours
    ("自転車を盗まれた利用者が窓口に来て、防犯カメラの映像を見せてと言っている", False),
    ("鍵なくしたって人が多いんだけど、暗証番号式にしていい？", False),
    # 〜たり: what might be done
    ("USBを落としたりしなければ暗号化しなくてもいいよね？", False),
    # ours
    ("USBメモリを駅で落としちゃった", True),
    ("住民の名簿を家に持ち帰る途中で、電車に置いてきた", True),
    ("作業用のノートPCを盗まれました", True),
    # a colleague's loss is ours to report
    ("申込書をなくした人がいる、どうしよう", True),
])
def test_a_mishap_of_ours_is_told_from_a_download_a_thing_left_at_home_and_someone_elses(q, ours):
    import unicodedata
    assert ask.mishap_of_ours(unicodedata.normalize("NFKC", q)) is ours


def test_a_badge_left_at_home_is_not_answered_as_an_incident(survey):
    a = ask.answer(survey, "調査票は持ち帰ってないけど、身分証を家に忘れてきちゃった。訪問していい？", source="架空市")
    assert ask.ALREADY_NOTE not in a.notes and ask.REPORT_SECOND_NOTE not in a.notes, a.notes
