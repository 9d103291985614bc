"""Search, verdicts and answers on the shipped documents (a real SQLite knowledge base)."""
import pytest

from handlers import ask
from knowledge import verdict


def top(kb_db, q, **kw):
    a = ask.answer(kb_db, q, **kw)
    assert a.found, (q, a.message)
    return a


@pytest.mark.parametrize("q, expect", [
    ("ちょっと席を外すだけでも画面ロックいる？", "端末機等ロック"),
    ("私物のスマホ持ち込んでいい？", "個人所有"),
    ("下請けに頼むときは？", "再委託"),
    ("名札はどこにつける？", "社員証"),
    ("資料を家に持ち帰ってもいい？", "持ち出"),
    ("USBメモリを使っていい？", "電磁的記録媒体"),
    ("ＦＡＸで送ってもいいですか", "FAX"),
    ("ぱそこんにソフトを入れていい？", "インストール"),
])
def test_colloquial_questions_find_the_governing_clause(kb_db, q, expect):
    a = top(kb_db, q)
    assert any(expect in h.text for h in a.hits[:3]), [h.text[:40] for h in a.hits]


def test_answer_cites_municipality_document_and_position(kb_db):
    a = top(kb_db, "個人情報をメールで送るときは？", source="吉川市")
    assert a.best.citation.startswith("吉川市 情報セキュリティ特記仕様書 第11条第1項")
    assert all(h.source == "yoshikawa" for h in a.hits)


def test_document_without_municipality_is_cited_by_title(kb_db):
    a = top(kb_db, "離席時に端末をロックする", source="hozen")
    assert a.best.citation.startswith("セキュリティ保全に係る事項 ")


@pytest.mark.parametrize("q, v", [
    ("ICカードを同僚に貸してもいい？", verdict.PROHIBITED),
    ("市の許可なく持ち出すのはだめ？", verdict.APPROVAL),
    ("離席時の端末ロック", verdict.ENCOURAGED),
])
def test_answer_leads_with_the_verdict(kb_db, q, v):
    a = top(kb_db, q)
    assert a.verdict == v
    assert a.verdict_line == verdict.LINES[v]


@pytest.mark.parametrize("q", ["今日の天気は？", "経費精算のやり方を教えて", "おすすめのランチは？",
                               # a word of the setting (サーバ室, 作業) with a facilities or weather question
                               "サーバ室の空調って何度に設定されてるの？寒すぎる", "雨が降ったら明日の作業って中止になる？",
                               # a keyboard setting to put back is IT how-to, not returning equipment
                               "作業PCのキーボード、いつの間にか英字配列になってた。日本語配列への戻し方わかる？"])
def test_out_of_scope_questions_say_not_found(kb_db, q):
    a = ask.answer(kb_db, q)
    assert not a.found and a.best is None
    assert "見つかりませんでした" in a.message


@pytest.mark.parametrize("q", [
    "", "   ", "\n", '"', '""""', "NEAR(", "NEAR(a b)", "*", "OR", "AND OR NOT", "🙂", "🔒🔒🔒",
    "'; DROP TABLE clauses; --", "(((", "ロック*", '"ICカード" OR "USB"', "\x00", "ｱｲｳ", "　　",
])
def test_syntax_only_or_odd_questions_get_a_clear_answer(kb_db, q):
    a = ask.answer(kb_db, q)
    assert isinstance(a.found, bool)
    if not a.found:
        assert a.message  # always something to say


def test_huge_question_is_answered_and_told_it_was_cut(kb_db):
    q = "ICカードを貸してもいいですか。" + "あ" * 40000
    a = ask.answer(kb_db, q)
    assert a.found
    assert any("最初" in n for n in a.notes)


def test_fts_like_syntax_does_not_break_a_real_question(kb_db):
    a = top(kb_db, '"USB" AND メモリ* NEAR(コピー)')
    assert any("電磁的記録媒体" in h.text or "USB" in h.text for h in a.hits[:3])


def test_the_askers_contract_alone_answers(kb_db):
    a = top(kb_db, "再委託はしてもいい？", prefer="長野市")
    assert {h.source for h in a.hits} == {"nagano"} and not a.others


def test_another_contracts_rule_is_shown_apart_only_when_the_own_has_none(kb_db):
    a = ask.answer(kb_db, "ICカードを同僚に貸してもいい？", prefer="吉川市")
    assert not a.found and a.best is None and "あなたの契約" in a.message
    assert a.others and all(h.source != "yoshikawa" for h in a.others)
    assert "ほかの契約の規定" in a.others_heading


def test_loading_another_attachment_never_changes_a_contracts_answers(tmp_path):
    from knowledge import library
    from storage.db import open_db

    db = open_db(tmp_path / "kb.db")
    library.ensure_builtin(db)
    qs = ["私物のUSBメモリを使っていい？", "下請けに頼みたい", "経費精算のやり方", "ChatGPTに資料を貼っていい？"]
    before = [[(h.clause_id, h.score) for h in ask.answer(db, q, prefer="吉川市").hits] for q in qs]
    library.load_text(db, "第1条 受注者は、USBメモリ及び私物の機器を使用してはならない。\n"
                          "第2条 受注者は、再委託をしてはならない。\n第3条 生成AIに情報を入力してはならない。\n",
                      slug="other", title="遵守事項", municipality="川口市")
    after = [[(h.clause_id, h.score) for h in ask.answer(db, q, prefer="吉川市").hits] for q in qs]
    assert after == before
    # ... while the new document answers its own contract's questions.
    assert ask.answer(db, "USBメモリ使っていい？", source="川口市").best.clause_id == "other:a1"


def test_unknown_source_falls_back_with_a_note(kb_db):
    a = top(kb_db, "再委託", source="存在しない市")
    assert any("一致する文書がない" in n for n in a.notes)


@pytest.mark.parametrize("q", ["USBメモリなくした", "メール誤送信しちゃった", "ウイルスに感染したかも", "ノートPC電車に置き忘れた",
                               "住民データのファイル、間違えて別のお客さんにメールしちゃった",
                               "通知の封入ミスで、別の人の分が混ざって届いちゃったみたい", "住民データの扱いでミスっちゃったかも…",
                               "やらかしました、顧客情報の入ったファイルをどこかにやってしまったかもしれない",
                               "ノーパソ入れたカバン、タクシーに置いてきたっぽい",
                               "さっき送った住民リストのメール、宛先が違う人だったかも",
                               "電話で、誤って別の人の住所を答えてしまった", "違う人の通知を封筒に同封しちゃった",
                               # left behind and not found since; typed in kana
                               "帰りのバスに業務用のノートPCの入った袋を置いたまま降りちゃって、まだ見つかってないです",
                               "じゅうみんのめいぼ、あてさきまちがえてとりひきさきにおくっちゃった",
                               "ゆーえすびーめもりなくしちゃった、どうしよう", "通知を違う保護者の家に送っちゃったかも",
                               "夜中に、住民データが外に漏れてるっぽいログを見つけた",
                               "預かってた申請書、一枚どっかいったっぽい…誰かに言わなきゃダメ？",
                               # a number mistyped, in kana and kanji; the antivirus found something; in English
                               "電話番号まちがえて、よその会社に名簿を送っちゃった", "宛先を間違えて、関係ない人に申請書を送信しちゃった",
                               "作業用PCでウイルスが検出されたって画面に出た、どうしよう",
                               "I think I left my work laptop in a taxi last night", "We accidentally emailed the resident list to another client",
                               "My bag with the printed forms got stolen on the way back",
                               # found missing on a count
                               "預かった申請書、数えたら一枚足りない！", "返送されてきた通知書の数が合わない…",
                               # found missing just now
                               "USB入れてたケースが見当たらないのに今気づいた、どうしよう",
                               # typed in romaji, half- or full-width
                               "usb memori nakushita, dou sureba ii?", "ｊｕｕｍｉｎ ｎｏ ｓｈｏｒｕｉ ｎａｋｕｓｈｉｔａ",
                               # an attack found, not yet sure
                               "サーバのログに改ざんっぽい跡を見つけた", "不審なアクセスが続いてるのに気づいた"])
def test_something_that_happened_leads_with_the_duty_to_report(kb_db, q):
    a = ask.answer(kb_db, q)
    assert a.found and "報告" in a.best.text and ("事故" in a.best.text or "インシデント" in a.best.text), a.best.citation
    assert any("事故の報告の決まりを先に" in n for n in a.notes)


@pytest.mark.parametrize("q", ["置いたまま帰ったらまずい？", "書類、机に置いたまま帰っていいよね？", "まだ見つかってないファイルの整理ってどうする？",
                               "違う宛先に送ったらどうなる？", "漏れてるかどうかってどう確認する？",
                               "使わなくなってるアカウントってどうする？", "必要なくなったデータは消す？",
                               # a thing that stopped working has not gone missing
                               "カメラが使えなくなってる、設定いじってonにしていい？", "画面が映らなくなったけど再起動していい？"])
def test_a_habit_or_a_tidy_up_is_not_a_mishap(q):
    assert not ask.EVENT.search(q)


@pytest.mark.parametrize("q", ["データが漏れたときの連絡先、一覧にしておく必要ある？", "なくしたときの手順って決めとかなきゃだめ？",
                               "間違えて送りそうで怖いから、送る前に確認する方法ある？", "I left the office at six, can I take the files?",
                               "I sent the monthly report to the city yesterday, is that enough?",
                               "人手が足りないから外注したい", "枚数が合わないときはどうする？", "資料がないと作業できない",
                               "What if I lost my badge?", "不正アクセスを見つけたらどうする？"])
def test_when_it_happens_or_a_plain_past_is_not_a_mishap_that_happened(q):
    assert not ask.EVENT.search(q)


@pytest.mark.parametrize("q", ["インシデントが起きたらどうすればいい", "USBメモリをなくしたら誰に連絡すればいいですか",
                               "個人情報の漏えいが発生した場合の対応は？", "What should I do if I lose my work laptop? もし紛失したら",
                               "ウイルスが見つかったらどうすればいい？"])
def test_what_to_do_if_it_happens_leads_with_the_duty_to_report(kb_db, q):
    a = ask.answer(kb_db, q)
    assert a.found and "報告" in a.best.text and ("事故" in a.best.text or "インシデント" in a.best.text), a.best.citation
    assert any("起きたときの対応" in n for n in a.notes)
    assert not any("起きてしまったこと" in n for n in a.notes)


def test_what_to_do_if_it_happens_on_an_attachment_never_seen(tmp_path):
    from knowledge import library
    from storage.db import open_db

    db = open_db(tmp_path / "kb.db")
    library.load_text(db, "第1条 受注者は、情報セキュリティ事故の発生時の公表について市に協力するよう努めること。\n"
                          "第2条 受注者は、情報セキュリティインシデントの発生に備え、対応計画を定めること。\n"
                          "第3条 受注者は、事故が発生したときは、直ちに市に報告しなければならない。\n",
                      slug="other", title="遵守事項", municipality="川口市")
    plain = ask.answer(db, "インシデントの公表や対応計画について")
    assert plain.best.clause_id != "other:a3"  # the reordering below is not what search does anyway
    a = ask.answer(db, "インシデントが起きたらどうすればいい？")
    assert a.best.clause_id == "other:a3", [h.clause_id for h in [a.best, *a.related]]


@pytest.mark.parametrize("q", ["ノートPC盗まれてもデータ漏れないようにしとく必要ある？", "ICカードをなくさないために気を付けることは？",
                               "情報が漏れたら会社名がニュースに出る？", "封入ミスで違う人に届いたらどうなる？",
                               # a plan to have beforehand: the clause that asks for it fits far better than the report duty
                               "情報漏えいが起きたときに誰に連絡して何をするか、緊急時の計画を会社で定めておかないといけない？"])
def test_a_hypothetical_keeps_the_search_order(kb_db, q):
    a = ask.answer(kb_db, q)
    assert not any("事故の報告の決まりを先に" in n for n in a.notes)


def test_an_empty_medium_is_still_a_medium_not_device_trouble(kb_db):
    # 「空っぽ」 once marked IT how-to (an app emptied by a new phone); an empty USB stick is a rule question.
    a = ask.answer(kb_db, "空っぽのUSBメモリなら、机の上に置きっぱなしで帰ってもいい？")
    assert a.found and "媒体" in a.best.text + "".join(h.text for h in a.related[:2])


@pytest.mark.parametrize("q, slugs", [
    ("長野の案件で、市から借りた資料を印刷して配っていい？", ["nagano"]),
    ("吉川市の仕事で使うUSBメモリ、私物でもいい？", ["yoshikawa"]),
    ("草加の件、サーバ室に入るとき何がいる？", ["soka"]),
])
def test_a_city_named_in_the_question_answers_from_its_documents(kb_db, q, slugs):
    a = ask.answer(kb_db, q)
    assert a.found and {h.source for h in a.hits} <= set(slugs), [h.source for h in a.hits]
    said = "長野" if "長野の" in q else "吉川市" if "吉川市" in q else "草加"
    assert any(f"ご質問に「{said}」とあるため" in n for n in a.notes), a.notes


@pytest.mark.parametrize("q", ["吉川さんに聞いたら、USBメモリは私物でもいいって言われた", "長野と草加で、持出しのルールって違う？",
                               "USBメモリは私物でもいい？"])
def test_a_persons_name_two_cities_or_none_search_the_whole_library(kb_db, q):
    a = ask.answer(kb_db, q)
    assert not any("とあるため" in n for n in a.notes)


def test_a_registered_workers_own_contract_comes_before_a_named_city(kb_db):
    a = ask.answer(kb_db, "長野の案件で、市から借りた資料を印刷していい？", prefer="吉川市")
    assert {h.source for h in a.hits} <= {"yoshikawa"}


def test_an_item_is_shown_with_the_sentence_it_belongs_to(kb_db):
    from bot.render_text import answer_text

    a = ask.answer(kb_db, "Pマークって持ってないとだめ？", source="吉川市")
    assert a.best.text == "プライバシーマーク"
    assert a.best.lead and "以下のいずれかを取得していなければならない" in a.best.lead[1]
    assert "この項目は次の文の一部です（第4条第1項）" in answer_text(a)
    from bot.render_blocks import answer_messages
    import json
    assert "この項目は次の文の一部です" in json.dumps(answer_messages(a), ensure_ascii=False)
    # a paragraph under an article heading has no lead-in
    b = ask.answer(kb_db, "再委託してもいい？", source="吉川市")
    assert b.best.lead is None


TWO_STAGE = ("第1条 受注者は、情報資産を紛失し、又は盗まれたときは、直ちに市に電話で連絡しなければならない。\n"
             "第2条 受注者は、前条の連絡の後、７日以内に事故の経過及び再発防止策を記載した報告書を市に提出しなければならない。\n"
             "第3条 受注者は、作業の終了後、作業の内容を翌営業日までに市に報告しなければならない。\n"
             "第4条 受注者は、帳票を施錠できる保管庫に保管しなければならない。\n")


@pytest.mark.parametrize("q, first", [
    # the first report is a 連絡 here: it leads for a mishap
    ("帳票を一枚なくしちゃった…", "two:a1"),
    # said to be made already: the written report that follows it leads
    ("帳票なくした件、市には電話で連絡入れました。このあと書類って何か出すの？", "two:a2"),
    ("一報はもう入れたんだけど、あとから紙でも出さなきゃだめ？", "two:a2"),
    # asked about the later report itself
    ("なくした後の詳しい報告って何日以内？", "two:a2"),
    ("帳票なくしちゃった件の報告書、締切はいつ？", "two:a2"),
])
def test_the_first_report_and_the_written_report_after_it(tmp_path, q, first):
    from conftest import attachment_db

    db = attachment_db(tmp_path, "two", TWO_STAGE, shipped=False)
    a = ask.answer(db, q, source="架空市")
    assert a.found and a.best.clause_id == first, [h.clause_id for h in a.hits]


def test_not_knowing_whom_to_call_is_no_report_made():
    assert not ask.FIRST_DONE.search("誰に連絡したらいいか分からなかった")
    assert not ask.FIRST_DONE.search("電話で伝えたらいい？")



@pytest.mark.parametrize("q", ["住民データが入ったノートPC、家に持って帰って続きやってもいい？"])
def test_what_is_done_with_the_information_decides_the_rule(kb_db, q):
    # 住民データ is what is carried; taking it home is the act the rule is about (not test data, not
    # the general duty to protect personal information)
    a = ask.answer(kb_db, q)
    assert a.found and ("持ち出" in a.best.text or "持出" in a.best.text), a.best.citation


QUANTITIES = ("第1条 受託者は、外部記録媒体を使用する場合は、市が貸与した暗号化機能付きのものに限り使用すること。\n"
              "第2条 受託者は、情報資産を扱う端末には、次の設定を施すものとする。\n"
              "(1) パスワードは１４文字以上とし、アルファベットの大文字・小文字と数字をすべて含めること。\n"
              "(2) ５回続けて認証に失敗したときは、利用者ＩＤが停止されるようにすること。\n"
              "(3) １５分間操作がないときは、画面が自動的にロックされるようにすること。\n"
              "(4) パスワードを紙に書き留めて端末の周囲に掲示しないこと。\n"
              "第3条 受託者は、業務の処理を第三者に委ねようとするときは、申請書を提出し、市の承認を受けるものとする。\n")


def test_a_quantity_in_the_question_meets_the_clause_with_the_same_unit(tmp_path):
    # 「8文字で足りてる？」 asks about the length the rule sets (１４文字以上)
    from conftest import attachment_db

    db = attachment_db(tmp_path, "qty", QUANTITIES, shipped=False)
    a = ask.answer(db, "端末のログインパス、8文字で英数字まぜてるけど足りてる？", source="架空市")
    assert a.found and a.best.clause_id == "qty:a2.p1.i1", [h.clause_id for h in a.hits]


_DELIVERY = """第1条 受注者は、通知書を使用者の郵便受けに投函するときは、宛名を確認すること。
第2条 受注者は、検針票の誤配布、使用者情報の漏えいその他の事故を知ったときは、直ちに市に電話で連絡すること。
第3条 受注者は、前条の連絡をした後、７日以内に事故の報告書を提出すること。
第4条 受注者は、検針に用いる端末を施錠できる場所に保管すること。
"""


@pytest.fixture(scope="module")
def delivery_db(tmp_path_factory):
    from conftest import attachment_db

    return attachment_db(tmp_path_factory.mktemp("delivery"), "delivery", _DELIVERY, title="検針業務の遵守事項",
                         shipped=False)


@pytest.mark.parametrize("q", ["やばい、一軒となりのポストにお知らせ入れちゃったかも…どうしよう",
                               "間違えて隣のお宅に配っちゃった、取り返せない",
                               "うっかり別の人の郵便受けに投函しちゃった"])
def test_something_put_in_the_wrong_hands_leads_with_the_report_to_make_at_once(delivery_db, q):
    # Not the written report that follows (第3条): the call to make at once (第2条).
    a = ask.answer(delivery_db, q)
    assert a.found, a.message
    assert a.best.clause_id == "delivery:a2", [h.clause_id for h in a.hits]


@pytest.mark.parametrize("q", ["社食でお弁当落としちゃった", "Excelの関数ミスっちゃった", "隣のポストに入れたらだめ？"])
def test_a_mishap_to_nothing_the_rules_protect_is_not_an_incident(delivery_db, q):
    a = ask.answer(delivery_db, q)
    assert not (a.found and a.best.clause_id == "delivery:a2"), (q, a.best.clause_id if a.found else a.message)
