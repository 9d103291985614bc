"""Long messages as staff type them (session 33): a story first, then the question, often without a
question mark, and the situations every facility that serves people meets.

- the part that asks may end 「…だっけ」「…かな」 with no 「？」, after a 「…よね？って思ったけど」 that only
  tells what the asker thought (a quoted thought is not a sentence of its own);
- 「…いいのかな？それとも…？」 is one question in two halves;
- someone the service is for forgetting their password (「生徒がパスワード忘れた」) is the work, not
  the asker's own IT trouble (an outside topic);
- 「忘れてあったスマホ」 is a user's lost property, 「有名な選手が来てた」 is a famous person's visit,
  「どれくらいの時間で連絡」 asks for a time limit, 「事業ごと買われる」 is handing the contract on,
  「呼び出す」 in a rule is how counters call people;
- a domain concept told in the story (the phone left behind, the My Number work) still says what the
  message is about when the part that asks only says 「勝手にさわっちゃダメ？」「別の端末いる？」;
- an everyday topic told after the question (「送別会の幹事もやらなきゃで頭いっぱい」) is an afterthought;
- a pledge is a signed paper (誓約書), not every clause on keeping secrets (秘密保持).

The attachment was written for these tests in the usual municipal style.
"""
import pytest

from conftest import assert_first, attachment_db, concepts
from handlers import ask
from knowledge import concept_map
from knowledge.asking import asking_part


CENTRE = """市民体育センター及び学習支援室運営業務 個人情報取扱特記事項
1 利用者情報
(1) 受託者は、利用者情報を本業務以外の目的に利用してはならない。
(2) 受託者は、著名人その他の利用者が来館した事実を、ＳＮＳその他の方法により外部に知らせてはならない。
2 拾得物
(1) 受託者は、拾得した財布その他の忘れ物の中身を確認するときは、従事者二人以上で行わなければならない。
(2) 従事者は、拾得した携帯電話の画面を操作してはならない。
3 学習用アカウント
受託者は、生徒のアカウントのパスワードを初期化するときは、保護者又は学校が発行する依頼書に基づいて行い、電話のみによる依頼に応じてはならない。
4 窓口
受託者は、窓口で利用者を呼び出すときは、受付番号によるものとし、氏名を呼ばないよう努めなければならない。
5 事故
(1) 受託者は、利用者情報の漏えい、紛失その他の事故が発生したときは、発見から１時間以内に市に報告しなければならない。
(2) 受託者は、事故の原因及び再発防止策を書面により市に報告しなければならない。
6 権利義務の譲渡
受託者は、この契約により生ずる権利又は義務を、市の承諾なく第三者に譲渡し、又は承継させてはならない。
7 作業場所
受託者は、利用者情報を取り扱う作業を、市が承認した場所以外で行ってはならない。
"""


@pytest.fixture(scope="module")
def centre(tmp_path_factory):
    return attachment_db(tmp_path_factory.mktemp("centre"), "centre", CENTRE, shipped=False)


OFFICE = """庁内システム運用保守業務 情報セキュリティ特記事項
第1条 受託者は、本業務で知り得た情報を第三者に漏らしてはならない。契約終了後も同様とする。
第2条 受託者は、作業従事者に秘密保持に関する誓約書を提出させなければならない。
第3条 受託者は、通信の速度及び安定性を維持するため、市が求めるときは、サービスレベルを保証する内容を提示しなければならない。
第4条 受託者は、定期報告の手順を定め、市に提出しなければならない。
第5条 作業従事者は、本業務で使用する情報資産以外へのアクセスを行ってはならない。
第6条 受託者は、特定個人情報を取り扱う端末をインターネットから分離しなければならない。
第7条 受託者は、作業従事者が退職するときは、貸与した機器を返却させ、退職後も業務上知り得た情報を漏らさない旨を合意させなければならない。
第8条 作業従事者は、端末から離席するときは、画面をロックしなければならない。
"""


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    return attachment_db(tmp_path_factory.mktemp("office"), "office", OFFICE, shipped=False)


@pytest.mark.parametrize("attachment, q, clause", [
    # the question at the end without 「？」, after a thought in quotes ending 「？って思ったけど」
    ("centre", "日曜の夜、家でテレビ見てたら遅番の子から「利用者の名簿が入ったUSBが見当たらない」ってLINEが来た。"
     "月曜に出勤してから言えばいいよね？って思ったけど念のため。市への連絡って何時間以内とか決まってたっけ",
     "centre:s5.i1"),
    # a user's phone left behind, asked about with 「勝手に」 (which alone would be any approval rule)
    ("centre", "卓球台の横に忘れてあったスマホがずっと鳴ってて、ロックもかかってないっぽい。開いて家族に電話したら早いかなって"
     "思うんだけど、勝手にさわっちゃダメなんだっけ？", "centre:s2.i2"),
    # a famous visitor posted about, no photo
    ("centre", "今日、有名なサッカー選手が筋トレしに来てた！受付のバイトの子が写真なしで名前だけインスタに上げたいって"
     "言ってるんだけど、文字だけならいいかな？", "centre:s1.i2"),
    # a pupil's password, asked for by phone: the work, not the asker's own forgotten password
    ("centre", "さっき学校の先生から電話で「うちの生徒がパスワード忘れちゃったから今すぐ戻してあげて」って頼まれた。"
     "声でいつもの先生ってわかるし急ぎみたいなんだけど、電話だけでリセットしていいのかな？", "centre:s3.p1"),
    # calling people at the counter: the rule says 呼び出す (the verb), not 呼出し
    ("centre", "受付で名前を呼ぶと、おじいちゃんたちすぐ気づいてくれるから楽なんだよね。でも先輩にちょっと嫌な顔された。"
     "呼び出しってどうするのが正しいの？", "centre:s4.p1"),
    # the company bought, the contract carried over
    ("centre", "うちの会社、春に別の会社に事業ごと買われるらしい。このセンターの仕事もそのまま向こうに移るって部長が"
     "言ってたけど、市に何も言わずに移っちゃって大丈夫なの？", "centre:s6.p1"),
    # an office contract's rules
    ("office", "新しく入るバイトさんに、外で話しませんって紙にサインしてもらうべき？口頭で言っとけば十分？", "office:a2"),
    ("office", "共有フォルダを見てたら、うちの業務と全然関係ない課のフォルダも開けちゃうことに気づいた。中身ちょっと"
     "気になるけど、開いたら怒られる？", "office:a5"),
    ("office", "今度マイナンバーの処理をやることになったんだけど、いつものPCでそのままやっていいのかな？"
     "ネット切った別の端末とか用意しなきゃいけない？", "office:a6"),
])
def test_right_clause_first(request, attachment, q, clause):
    assert_first(request.getfixturevalue(attachment), q, clause)


def test_an_everyday_topic_after_the_question_is_an_afterthought(office):
    q = ("来月やめる人がいて、会社のノートPCは最終日に回収するつもり。あと辞めた後も黙っててねって一筆もらっとくべき？"
         "送別会の幹事もやらなきゃで頭いっぱい")
    a = ask.answer(office, q, source="架空市")
    assert a.found, a.message
    assert "office:a7" in [h.clause_id for h in a.hits[:3]], [h.clause_id for h in a.hits[:3]]
    # the same topic asked about is still no rule's business
    assert not ask.answer(office, "送別会の幹事やることになったんだけど、お店ってどこがいいかな？", source="架空市").found


@pytest.mark.parametrize("q", ["庁舎のWi-Fiって速度どれくらい出るの？", "ネットの速さってどれくらい？遅くない？"])
def test_a_speed_no_rule_sets_is_still_declined(office, q):
    a = ask.answer(office, q, source="架空市")
    assert not a.found, a.best and a.best.clause_id


def test_own_forgotten_password_is_still_an_outside_topic(centre):
    # the asker's own login trouble is IT help, not a rule of the contract
    a = ask.answer(centre, "パスワード忘れちゃったんだけど、どうすればいい？", source="架空市")
    assert not a.found, a.best and a.best.clause_id


@pytest.mark.parametrize("question, part", [
    # no question mark: the last sentence that asks (っけ) is the part, not the earlier 「…よね？」 thought
    ("土曜の夜に家でご飯食べてたら、夜勤の子から「端末に変な警告が出てます」ってLINEが来た。"
     "月曜の朝イチで連絡すればいいよね…？って思ったけど念のため。何時間以内とか決まってたっけ",
     "何時間以内とか決まってたっけ"),
    ("いつもと違うおじいちゃんがお迎えに来たんだけど、台帳には登録がなくて、ママの携帯もつながらないんだよね。"
     "もう六時半だし、知ってる人なら帰しちゃっていいかな",
     "もう六時半だし、知ってる人なら帰しちゃっていいかな"),
    # the other half of one question joins the first
    ("窓口でおばあちゃんに払ったかどうか聞かれた。データ見たら入ってるのはわかるんだけど、ここで言っちゃっていいのかな？"
     "それともどこか案内する感じ？", "ここで言っちゃっていいのかな？それともどこか案内する感じ？"),
])
def test_the_part_that_asks(question, part):
    assert asking_part(question) == part


def test_statements_do_not_ask():
    # 「…気まずい」 ends a statement (まずい inside it is not 「まずい？」): the question before it asks
    q = ("今月の給料明細見たら残業代が思ってたより少なくて、先月めっちゃ市役所に詰めてたのに。"
         "残業ってどうやって計算されてるんだっけ？総務の人に聞くのもなんか気まずい")
    assert asking_part(q) == "残業ってどうやって計算されてるんだっけ？"


@pytest.mark.parametrize("question, concept", [
    ("プールサイドに忘れていった財布", "found_property"),
    ("更衣室に落ちてた定期券、持ち主に連絡したい", "found_property"),
    ("有名人が来てたってSNSに書いていい？", "celebrity"),
    ("a famous singer came to the gym today", "celebrity"),
    ("市にはどれくらいの時間で連絡すればいい？", "time_limit"),
    ("報告は週明けでいい？", "time_limit"),
    ("今夜のうちに電話しないとダメ？", "working_hours"),
    ("来月、別の会社に事業ごと買われる", "assignment_of_rights"),
    ("ノートPCのディスクまるごと鍵かけとくべき？", "encryption"),
    ("払ったはずなのに督促が来たって電話", "payment_inquiry"),
    ("ネット切った別の端末を用意する？", "network_isolation"),
    ("業務と全然関係ない課のフォルダも開けちゃう", "out_of_scope_access"),
    ("外で話しませんって紙にサイン", "pledge_confidentiality"),
    ("おばあちゃんが孫の借りてる本を知りたいって。家族なら教えていいよね？", "identity_verification"),
    ("Who's on the hook for security in that case, us or the city?", "responsibility_scope"),
    ("電話したら奥さんっぽい人が出て、用件を聞かれた", "identity_verification"),
    ("来週の遠足に子どもたちの連絡先を持っていきたい", "outing"),
    ("can I bring the kids' contact list on the field trip?", "outing"),
    ("where exactly does your part end and the cloud vendor's begin?", "responsibility_scope"),
])
def test_everyday_phrases_name_their_concept(question, concept):
    assert concept in concepts(question)


def test_working_at_the_client_is_not_a_resident_program():
    # 客先常駐 is where staff sit; 常駐 in a rule is antivirus kept running
    assert "antivirus_running" not in concepts("客先常駐の残業ってどう計算するの？")
    assert "antivirus_running" in concepts("ウイルス対策ソフトって常駐させとかないとダメ？")


def test_a_pledge_is_the_signed_paper_not_every_secrecy_clause():
    pledge = {c.id for c in concept_map.in_clause("作業従事者に秘密保持に関する誓約書を提出させなければならない。")}
    secrecy = {c.id for c in concept_map.in_clause("受託者は、秘密保持の義務を負う。")}
    assert "pledge_confidentiality" in pledge
    assert "pledge_confidentiality" not in secrecy and "confidentiality_talk" in secrecy


def test_someones_password_is_not_an_outside_topic():
    ids = lambda t: {c.id for c in concept_map.outside(concept_map.without_passing_topics(t))}  # noqa: E731
    assert "it_howto" not in ids("3年2組の子がパスワード忘れちゃったって先生から電話")
    assert "it_howto" not in ids("利用者さんのパスワード忘れの問い合わせ")
    assert "it_howto" in ids("パスワード忘れちゃった、どうしよう")
