"""What a typed message means: the phrasings workers really send, per capability (half-width kana,
typos, stretched endings, polite and casual forms), and the questions that must stay questions.
The table is checked against handlers.capabilities.understand, the one place that decides."""
import json
from pathlib import Path

import pytest

from handlers import capabilities

MEANS = {
    "pledge": ["誓約します", "誓約します！", "誓約する", "誓約いたします", "誓約しました", "ｾｲﾔｸします", "せいやくします",
               "制約します", "同意して誓約します", "誓約書に同意します", "誓約"],
    "ic.received": ["ICカード受け取りました", "icｶｰﾄﾞ受け取りました", "ＩＣカードを受け取りました", "ICカード受領",
                    "ICカードもらいました", "カード受け取りましたー", "icカード借りました", "今日のICカード受け取り"],
    "ic.returned": ["icｶｰﾄﾞ返却しました", "ICカード返却", "ICカードを返却しました。", "ICカード返しました", "icカード返却済み",
                    "ｱｲｼｰｶｰﾄﾞ返却しました", "ICカード戻しました", "カード返却しまーす"],
    "ic.lost": ["ICカードなくしました", "ICカードを紛失しました", "icｶｰﾄﾞ落としました", "ICカードが見当たりません",
                "すみません、ICカード無くしました", "ICカード盗まれました", "ICカードが見つからない"],
    "ic.menu": ["ICカード", "icｶｰﾄﾞ", "ICカードの記録", "ICカードの記録をつける"],
    "away": ["ちょっと席外しまーす", "離席します", "離席", "席を外します", "少し離席します", "トイレ行ってきます",
             "休憩入ります", "お昼行ってきます", "会議行ってきます", "りせきします", "いったん席はずします", "席外します〜"],
    "back": ["戻りました", "もどりました", "戻りましたー", "席に戻りました", "ただいま", "ただいま戻りました", "戻った",
             "復帰しました", "戻りましたw"],
    "training.start": ["研修やりたいです", "研修を受けたい", "研修受けます", "研修始めたいです", "研修の続き",
                       "研修お願いします", "けんしゅうやりたい", "研修を再開します", "研修開始", "テスト受けたいです"],
    "training.status": ["研修の状況", "研修の進捗", "自分の研修の状況を見たい", "研修の結果どうだった？", "研修終わってる？",
                        "研修終わってない人は？"],
    "checklist.open": ["チェックリスト", "今日のチェックリスト", "チェックリスト開いて", "始業チェック", "終業チェックします",
                       "ﾁｪｯｸﾘｽﾄ", "チェックリストお願いします", "今日の作業終わりました", "これから作業始めます"],
    "checklist.missed": ["チェックリストまだ出してない", "今日のチェックリストまだやってない", "チェックリスト出し忘れてた",
                         "チェック忘れてました", "昨日のチェックリスト出し忘れた", "昨日の分のチェック忘れてた",
                         "金曜の終業チェック出してなかった", "始業チェックやり忘れました", "12/1のチェックリスト出していません"],
    "days_off.add": ["明日休みます", "12/10 休みます", "来週の月曜は有給です", "今日は休みです", "明日お休みいただきます",
                     "12月10日は有給を取ります", "１２／２４〜１２／２６　休みます", "明日午前休です", "明後日は半休いただきます",
                     "明日休み取りました", "明日は休みにします", "明日休みです。よろしくお願いします", "明日休ませていただきます"],
    "days_off.remove": ["明日やっぱり出勤します", "12/10の休み取り消し", "明日の休みキャンセルします", "来週の月曜の有給を取り消します",
                        "明日はやっぱり出社します"],
    # a plain 「明日出勤します」: an undo only when that day is a registered day off (handlers/days_off.py)
    "days_off.working": ["明日出勤します", "明日は出勤です", "明日出社予定です", "12/10は出勤します", "明日出勤するよ",
                         "来週の月曜は出勤になりました"],
    # a question about one day, or the day with no verb: answered, nothing recorded
    "days_off.ask": ["明日の休みは？", "明日って休み？", "明日の休み", "明日は休みですか", "明日休み", "明日の休みは",
                     "12/10の有給って取れてる？", "明日って休みだっけ？", "明日休みなので",
                     # not coming in, or asking whether it is a day off: the state and the button, nothing recorded
                     "明日は出勤しません", "明日出社しません", "明日休みじゃない？", "明日って休みじゃないですか"],
    "days_off.list": ["休みの予定", "私の休み", "休みの予定は？", "自分の休みの一覧を見せて"],
    "team": ["チームの状況", "チームの様子を見せて", "うちのチームの状況", "メンバーの状況", "チーム状況", "team status",
             "チェックリスト出してない人いる？", "未提出の人は？"],
    "me.contract": ["自分の契約ってどれ？", "私の案件は？", "契約先どこ？"],
    "me.lead": ["担当者だれ？", "責任者って誰ですか", "私の上司は誰？"],
    "me.questions": ["前の質問の答えまだ？", "さっき送った質問の回答きた？"],
    "me.waiting": ["未回答の質問ある？", "回答待ちの質問は？"],
    "help": ["このbot何ができるの？", "mamoruって何ができますか", "使い方は？"],
    "weekly": ["先週のまとめ見せて", "今週のまとめは？", "週報"],
    "report": ["report 吉川市 12/1 12/7", "/mamoru report 吉川市 12/1 12/7", "今月の状況報告", "先月の状況報告をください",
               "吉川市の状況報告", "状況報告書お願いします", "レポート 吉川市 先月"],
    "member": ["作業二郎さんの研修どうなってる？", "山田さんチェックリスト出した？", "佐藤さんの状況", "山田太郎さんの様子教えて",
               "田中さん今日のチェックリスト終わった？"],
    "member.nudge": ["山田さんに催促して", "作業三郎さんにリマインドしといて", "未提出の人に催促して",
                     "チェックリスト出してない人にリマインドお願い", "みんなに声かけして"],
    "records": ["今月のチェックリストの記録をエクセルでほしい", "研修の記録を出して", "吉川市 12/1 12/31 のチェックリストの記録",
                "チェックリストの記録", "先月のチェックリストの履歴ください"],
    "roster": ["名簿出して", "吉川市の従事者名簿ください", "名簿をエクセルでください", "作業従事者名簿を見せて"],
    "incident.list": ["インシデント一覧", "インシデント 一覧", "事故報告の一覧見せて", "今月のインシデントは？", "インシデントある？",
                      "事故報告きてる？", "最近の事故は何件？", "incident list", "ヒヤリハットの一覧"],
    "incident.show": ["/mamoru incident show INC-2026-0001", "incident show INC-2026-0001", "incident INC-2026-0001 show",
                      "INC-2026-0001", "INC-2026-0001の詳細", "show INC-2026-0001", "inc-2026-0001 を表示"],
    "choice": ["B", "b", "Ｂ", "2", "２", "Bです", "2番", "答えはC", "○", "×"],
    "ask.lead": ["担当者に聞く", "担当者に聞きたいです", "リーダーに確認したいです", "さっきの質問を担当者に聞いて",
                 "担当者に聞く：私物のUSBメモリを使ってもいいですか？", "担当者に聞く、USBは？", "ﾘｰﾀﾞｰに相談したい"],
}

QUESTIONS = [  # rule questions and reasons that share words with an intent: no intent at all
    "離席するときは画面ロックが必要ですか", "離席時のルールは？", "ICカードを返却するには？", "ICカードをなくしたらどうする",
    "研修はいつまでに受ければいい？", "誓約書は必要ですか", "状況報告はいつ出す？", "状況報告 いつまで",
    "チェックリストって何ですか", "私物のUSBメモリを使っていい？", "戻ったらまず何をすればいい？",
    "ICカードを自宅に置き忘れたため", "研修の期限はいつですか", "チームの誰に聞けばいいですか",
    "会議室でPCを開いたまま離席しても大丈夫ですか", "ありがとうございます", "",
    "明日休みますがチェックリストは必要ですか？", "休みの日もチェックリストは必要？", "明日休みたいです",
    "明日出勤したら何をすればいい？", "明日は出勤しないといけないの？", "休みの日に出勤してもいい？", "明日有給取れますか",
    "有給の日はどうすればいい？", "チェックリストを出し忘れたらどうなる？", "お休みなさい",
    "担当者に聞くべき？", "作業責任者に報告する必要ある？", "責任者に相談しないといけない", "リーダーに確認しなきゃだめ",
    "事故あった時どうする？", "名簿持ち帰っていい？", "名簿を出してもいいですか", "名簿を見せてって言われた", "チェックリストの記録は何年保存？", "研修の記録って残さなきゃダメ？", "派遣さんの研修は必要？", "派遣さんも誓約書いる？", "業者さんをサーバー室に入れていい？", "事故が起きたら何分以内に報告？", "インシデントって何？",
]


@pytest.mark.parametrize("name,said", [(n, s) for n, phrases in MEANS.items() for s in phrases])
def test_each_phrasing_means_its_capability(name, said):
    m = capabilities.understand(said)
    assert m is not None and m.name == name, (said, m)


@pytest.mark.parametrize("said", QUESTIONS)
def test_questions_mean_no_intent(said):
    assert capabilities.understand(said) is None, said


def test_every_intent_has_phrasings_and_a_capability_that_answers():
    capabilities.load()
    names = {n for n, _ in capabilities.INTENTS}
    assert names == set(MEANS)
    assert all(capabilities._intents.get(n) for n in names), [n for n in names if not capabilities._intents.get(n)]


# What the days-off intents must never catch: the questions of the evaluation sets (rule questions about
# 有給・休憩・休館日 and the like). Their patterns were widened (days_off.ask, days_off.working), so every one
# of these is checked, as the phrasings above are.
_ROOT = Path(__file__).resolve().parent.parent
_SETS = sorted([*(_ROOT / "tests" / "data").glob("questions_*.jsonl"), *(_ROOT.parent / "shared" / "eval").glob("questions_dev*.jsonl")])


def test_no_question_of_the_evaluation_sets_is_taken_for_a_day_off():
    caught, seen = [], 0
    for f in _SETS:
        for line in f.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            q = row.get("question") or row.get("q") or ""
            seen += 1
            m = capabilities.understand(q)
            if m is not None and m.name.startswith("days_off."):
                caught.append((f.name, m.name, q))
    assert seen > 1000 and caught == []


def test_report_dates_are_carried_as_written():
    assert capabilities.understand("/mamoru report 吉川市 12/1 12/7").args == ("吉川市 12/1 12/7",)
    assert capabilities.understand("今月の状況報告").args == ("今月",)
    assert capabilities.understand("incident show INC-2026-0001").args == ("inc-2026-0001",)
