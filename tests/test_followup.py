"""A follow-up (「紙の資料なら？」「じゃあ長野市の場合は？」) is read with the person's question before it,
in their own conversation only, for a few minutes (handlers/followup.py)."""
import json

import pytest

from conftest import run_mamoru
from handlers.followup import KEEP_SECONDS, Memory, follow_up

FOLLOW_UPS = ["紙の資料なら？", "じゃあ長野市の場合は？", "子会社でも？", "タブレットは？", "トイレのときも？",
              "USBメモリの場合は？", "長野市だと？", "何時間以内？", "いつまで？", "それなら家族は？", "ちなみに土日も？",
              "私物のPCでも大丈夫？", "メールでもいい？", "電話だとどう？", "在宅勤務のときは？", "ＵＳＢは？",
              "じゃ、紙は?", "誰に？", "印刷物も同じ？", "バイトの子もいいの？", "紙もダメ？", "家族でもだめですか？",
              "それって誰に報告すればいい？", "その場合も申請いる？", "じゃあそれは禁止ってこと？"]
# A question that says what it asks by itself: a verb or an adjective of its own, or a long message.
WHOLE = ["USBは使っていい？", "USBメモリを家に持ち帰ってもいい？", "パスワードは何文字以上？", "家で作業してもいいですか",
         "離席するときは画面ロック必要？", "私物のスマホで撮影したい", "経費精算のやり方を教えて", "USB使っていい？",
         "削除しないとダメ？", "家で作業できる？", "写真撮っていい？", "捨てていい？", "ありがとう", "はい", "チェックリスト",
         "個人情報が入った書類をシュレッダーにかける場合は？それとも溶解処理の業者に頼む場合は？", "それぞれの端末にパスワードは必要？",
         "それって何のルールに書いてあるか、条文の番号まで全部教えてもらえますか？"]


@pytest.mark.parametrize("text", FOLLOW_UPS)
def test_a_bare_thing_and_a_particle_is_a_follow_up(text):
    assert follow_up(text)


@pytest.mark.parametrize("text", WHOLE)
def test_a_question_with_an_act_of_its_own_is_not(text):
    assert not follow_up(text)


def test_memory_continues_the_first_question_for_each_person_and_carrier_for_a_few_minutes():
    m = Memory()
    assert m.question("U1", "slack_dm", "USBメモリを家に持ち帰ってもいい？", now=0) == ("USBメモリを家に持ち帰ってもいい？", False)
    assert m.question("U1", "slack_dm", "紙の資料なら？", now=10) == ("USBメモリを家に持ち帰ってもいい？　紙の資料なら？", True)
    # a chain goes on from the same question, not from the last follow-up
    assert m.question("U1", "slack_dm", "長野市だと？", now=20) == ("USBメモリを家に持ち帰ってもいい？　長野市だと？", True)
    # another person, or the same person in a channel, has no question before
    assert m.question("U2", "slack_dm", "紙の資料なら？", now=30) == ("紙の資料なら？", False)
    assert m.question("U1", "slack_mention", "紙の資料なら？", now=30) == ("紙の資料なら？", False)
    # too late: read alone
    assert m.question("U1", "slack_dm", "子会社でも？", now=30 + KEEP_SECONDS + 1) == ("子会社でも？", False)


def test_a_new_question_replaces_the_old_one_and_a_repeated_message_is_not_doubled():
    m = Memory()
    m.question("U1", "terminal", "パスワードは何文字以上？", now=0)
    m.question("U1", "terminal", "離席するときは画面ロック必要？", now=1)
    assert m.question("U1", "terminal", "トイレのときも？", now=2)[0] == "離席するときは画面ロック必要？　トイレのときも？"
    # a retried delivery of the first question itself is not a follow-up of it
    m.question("U9", "terminal", "紙は？", now=0)
    assert m.question("U9", "terminal", "紙は？", now=1) == ("紙は？", False)


def test_memory_is_bounded():
    m = Memory(size=3)
    for n in range(5):
        m.question(f"U{n}", "slack_dm", f"質問{n}の内容はなんですか", now=n)
    assert m.question("U0", "slack_dm", "紙は？", now=6) == ("紙は？", False)       # the oldest forgotten
    assert m.question("U4", "slack_dm", "紙は？", now=6)[1]


def _answers(stdout: str) -> list[str]:
    """The chat's answers, one per question (each ends with its buttons or its friendly reply)."""
    return [a for a in stdout.split("← 番号を入力すると押せます") if "【" in a or "見つかりませんでした" in a]


def test_the_terminal_chat_answers_a_follow_up_from_the_question_before(db_path):
    r = run_mamoru(["chat"], db_path, input="USBメモリを家に持ち帰ってもいい？\nありがとう\nじゃあ長野市の場合は？\n")
    assert r.returncode == 0, r.stderr
    follow = r.stdout.split("どういたしまして", 1)[1]
    # 長野市's rule on taking information out, said to be read with the question before
    assert "長野市 情報セキュリティ要件 第6第1項）" in follow.split("関連する条項")[0]
    assert "直前のご質問の続きとして" in follow
    # alone, 「じゃあ長野市の場合は？」 asks nothing a rule answers
    alone = run_mamoru(["chat"], db_path, input="じゃあ長野市の場合は？\n")
    assert "見つかりませんでした" in alone.stdout and "第6第1項" not in alone.stdout
    assert "直前のご質問" not in alone.stdout


def test_the_routed_question_carries_the_question_before(db_path):
    r = run_mamoru(["contract", "add", "吉川市"], db_path)
    assert r.returncode == 0, r.stderr
    for args in (["ULEAD", "--name", "佐藤花子", "--role", "lead", "--contract", "吉川市"],
                 ["UW", "--name", "山田太郎", "--role", "worker", "--contract", "吉川市", "--lead", "ULEAD"]):
        assert run_mamoru(["users", "add", *args], db_path).returncode == 0
    r = run_mamoru(["chat", "--as", "UW"], db_path, input="USBメモリを家に持ち帰ってもいい？\n紙の資料なら？\n担当者に聞く\n")
    assert r.returncode == 0, r.stderr
    sent = r.stdout.split("への通知", 1)[1]
    assert "USBメモリを家に持ち帰ってもいい？" in sent and "紙の資料なら？" in sent
    assert json.loads(run_mamoru(["kb", "gaps", "--json"], db_path).stdout)[0]["question"].endswith("紙の資料なら？")
