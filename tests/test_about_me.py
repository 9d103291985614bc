"""Questions about oneself and about mamoru are answered from the person's own page, not searched as rules
(「自分の契約ってどれ？」 got 【禁止】 from a rule on private devices; 「担当者だれ？」 【義務】)."""
import pytest

from conftest import run_mamoru
from handlers import capabilities


@pytest.mark.parametrize("text,name", [("自分の契約ってどれ？", "me.contract"), ("私の案件は？", "me.contract"),
                                       ("契約先どこ？", "me.contract"), ("担当者だれ？", "me.lead"),
                                       ("責任者って誰ですか", "me.lead"), ("私の上司は誰？", "me.lead"),
                                       ("前の質問の答えまだ？", "me.questions"), ("さっき送った質問の回答きた？", "me.questions"),
                                       ("このbot何ができるの？", "help"), ("mamoruって何ができますか", "help"), ("使い方は？", "help")])
def test_questions_about_oneself_and_mamoru_are_understood(text, name):
    m = capabilities.understand(text)
    assert m is not None and m.name == name


@pytest.mark.parametrize("text", ["契約書のコピーを取ってもいい？", "担当者に渡す書類はどうやって運ぶ？", "責任者の許可があれば持ち出せる？",
                                  "質問の答えに書いてある報告書はどこで出す？"])
def test_rule_questions_with_the_same_words_are_still_rule_questions(text):
    assert capabilities.understand(text) is None


def _register(db):
    assert run_mamoru(["contract", "add", "吉川市"], db).returncode == 0
    for args in (["ULEAD", "--name", "佐藤花子", "--role", "lead", "--contract", "吉川市"],
                 ["UW", "--name", "山田太郎", "--role", "worker", "--contract", "吉川市", "--lead", "ULEAD"]):
        assert run_mamoru(["users", "add", *args], db).returncode == 0


def test_a_worker_asking_whose_contract_and_lead_gets_their_own_details(db_path):
    _register(db_path)
    r = run_mamoru(["chat", "--as", "UW"], db_path,
                   input="自分の契約ってどれ？\n担当者だれ？\n前の質問の答えまだ？\nこのbot何ができるの？\n")
    assert r.returncode == 0, r.stderr
    assert "【" not in r.stdout                                    # no rule, no verdict
    assert r.stdout.count("案件: 吉川市") == 2 and "作業責任者: 佐藤花子さん" in r.stdout
    assert "担当者に確認中の質問はありません" in r.stdout
    assert "mamoru（守る）の使い方です" in r.stdout


def test_someone_not_registered_is_told_so_with_the_way_to_register(db_path):
    _register(db_path)
    r = run_mamoru(["chat", "--as", "UNEW"], db_path, input="自分の契約ってどれ？\n")
    assert r.returncode == 0, r.stderr
    assert "まだ mamoru に登録されていない" in r.stdout and "登録を申請する" in r.stdout
    assert "佐藤花子" not in r.stdout and "山田太郎" not in r.stdout   # nobody else's details


@pytest.mark.parametrize("text", ["研修の結果どうだった？", "自分の研修の状況は？", "研修終わってる？", "研修ってあとどれくらい？"])
def test_asking_how_ones_training_stands_shows_it(text):
    # 「研修の結果どうだった？」 was answered 【義務】 with the rule that the contractor must train its staff
    m = capabilities.understand(text)
    assert m is not None and m.name == "training.status"


@pytest.mark.parametrize("text", ["研修で習ったUSBのルールは？", "研修を受けていない人に作業させていい？"])
def test_rule_questions_on_training_are_still_rule_questions(text):
    assert capabilities.understand(text) is None


@pytest.mark.parametrize("text,name", [("チェックリスト出してない人いる？", "team"), ("今日のチェックまだやってない人は？", "team"),
                                       ("未提出の人は？", "team"), ("研修終わってない人は？", "training.status"),
                                       ("研修受けてない人いる？", "training.status"), ("未回答の質問ある？", "me.waiting"),
                                       ("回答待ちの質問は？", "me.waiting")])
def test_a_lead_asking_who_has_not_done_it_yet_is_understood(text, name):
    # 「研修終わってない人は？」 was answered 【義務】 with the training rule; the others were declined
    m = capabilities.understand(text)
    assert m is not None and m.name == name


@pytest.mark.parametrize("text", ["チェックリストを出していない人に作業させていい？", "チェックリスト出してないとダメ？"])
def test_rule_questions_about_those_who_have_not_are_still_rule_questions(text):
    assert capabilities.understand(text) is None


def test_a_lead_asking_for_unanswered_questions_gets_their_inbox_and_a_worker_their_own(db_path):
    _register(db_path)
    r = run_mamoru(["chat", "--as", "UW"], db_path, input="担当者に聞く：私物のタブレットで作業してもいいですか\n未回答の質問ある？\n")
    assert r.returncode == 0, r.stderr
    assert "回答待ちの質問が 1 件あります" in r.stdout and "私物のタブレットで作業してもいいですか" in r.stdout.split("への通知", 1)[1]
    lead = run_mamoru(["chat", "--as", "ULEAD"], db_path, input="未回答の質問ある？\n")
    assert "回答待ちの質問: 1 件" in lead.stdout and "山田太郎さん: 私物のタブレットで作業してもいいですか" in lead.stdout
    assert "【" not in lead.stdout
