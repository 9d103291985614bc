"""An FAQ written as a question line and its answer line is one unit: the answer is the rule, found by the
words people ask with and shown with its question; a question line alone never carries a verdict of its own."""
import pytest

from knowledge import parser, verdict

FAQ = """受付業務の手引き
１　よくある質問
Q1　休憩中に、私物のスマートフォンで受付画面を撮影してもよいですか。
A　いいえ。受付画面の撮影は、目的を問わず禁止しています。
Q2　研修は毎年受けなければいけませんか。
A　年１回の受講を推奨しています。
問３　市の職員が作業場所を見に来ることはありますか。
答　はい。市は、事前の通知なく作業場所を訪問し、遵守状況を確認することがあります。
Q4. 資料をなくしたかもしれません。
A. 直ちに作業責任者に電話で報告してください。
２　その他
問合せの内容は、受付票に記録すること。
A　この行は答えだけです。記録簿を保管すること。
"""


@pytest.fixture(scope="module")
def clauses():
    return [c.text for c in parser.parse(FAQ).clauses]


@pytest.mark.parametrize("question, answer", [
    ("Q1　休憩中に", "A　いいえ。受付画面の撮影"),
    ("Q2　研修は毎年", "A　年１回の受講を推奨"),
    ("問３　市の職員が", "答　はい。市は"),
    ("Q4. 資料をなくした", "A. 直ちに作業責任者"),
])
def test_question_and_answer_lines_are_one_unit(clauses, question, answer):
    unit = [t for t in clauses if question in t]
    assert len(unit) == 1 and answer in unit[0], unit
    assert not [t for t in clauses if t.startswith(answer)], "the answer line must not stand alone as well"


def test_lines_that_only_look_like_questions_stay_apart(clauses):
    assert "問合せの内容は、受付票に記録すること。" in clauses
    assert any(t.startswith("A　この行は答えだけです") for t in clauses)


@pytest.mark.parametrize("text, expected", [
    # the question's own 「なければいけません」 or 「なくした」 must not decide: the answer does
    ("Q2　研修は毎年受けなければいけませんか。　A　年１回の受講を推奨しています。", verdict.ENCOURAGED),
    ("Q1　撮影してもよいですか。　A　いいえ。受付画面の撮影は、目的を問わず禁止しています。", verdict.PROHIBITED),
    ("問３　市の職員が見に来ることはありますか。　答　はい。市は、事前の通知なく作業場所を訪問し、遵守状況を確認することがあります。",
     verdict.INFO),
    ("Q4. 資料をなくしたかもしれません。　A. 直ちに作業責任者に電話で報告してください。", verdict.REQUIRED),
    ("Ｑ：コピーを渡してもよいですか。　Ａ：市の承認を得た場合に限り、渡すことができます。", verdict.APPROVAL),
])
def test_the_answer_decides_the_verdict(text, expected):
    assert verdict.judge(text).verdict == expected
