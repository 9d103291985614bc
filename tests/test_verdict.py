"""Verdicts follow the reviewers' rules (../shared/eval/verdict_rules.md), on wording written for
this test (not the shipped documents'), and through the real `mamoru kb add` / `kb show`."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from knowledge import verdict as v
from knowledge.verdict import APPROVAL, ENCOURAGED, INFO, PROHIBITED, REQUIRED, judge


@pytest.mark.parametrize("text, expected", [
    # 規定: asks nothing of the worker
    ("この要領は、受注者が守るべき情報セキュリティ対策を定めるものである。", INFO),
    ("この基準は、市の情報を扱う全ての委託業務に適用する。", INFO),
    ("この特記事項において「機密情報」とは、市が指定した情報をいう。", INFO),
    ("要保護情報: 市から預かった情報のこと。", INFO),
    ("市は、必要があると認めるときは、受注者の事務所に立ち入って調査することができる。", INFO),
    ("発注者は、受注者に対し、作業の中止を指示することができる。", INFO),
    ("受注者が本特記事項に違反した場合、市は契約を解除することができる。", INFO),
    ("本書に定めのない事項は、両者が協議の上定める。", INFO),
    ("受注者は、この契約の解除により生じた損害について、市に賠償を請求することはできないものとする。", INFO),
    ("第３条の規定は、再委託先が行う作業について準用する。", INFO),
    ("業務の状況を確かめるため、市による立入検査を行うことができるものとする。", INFO),
    # 許可・承認が必要: the unit itself gives the approval route
    ("受注者は、市の許可を得て、資料を庁舎外に持ち出すことができる。", APPROVAL),
    ("受注者は、市が承諾した場合を除き、業務を他者に請け負わせてはならない。", APPROVAL),
    ("記録媒体を無断で持ち帰らないこと。", APPROVAL),
    ("資料を複写しないこと。ただし、市が必要と認めた場合は、この限りでない。", APPROVAL),
    ("受託者は、市の承認を得なければ、個人情報を外部に送信してはならない。", APPROVAL),
    ("外部委託は原則禁止であるが、やむを得ない場合は計画書を提出し、市の承認を受けること。", APPROVAL),
    # ... but not when approval only names a category or is the background of a duty
    ("管理区域への立入りは、入室を許可された者のみに制限すること。", REQUIRED),
    ("許可されていない機器を接続しないこと。", PROHIBITED),
    ("前項の承認を受けて再委託する場合には、再委託先にも同等の対策を求めなければならない。", REQUIRED),
    # 禁止, including an exception not obtained by asking
    ("受注者は、原則として業務を他者に委託してはならない。", PROHIBITED),
    ("業務で扱う帳票を自宅に持ち帰ることは厳禁とする。", PROHIBITED),
    ("作業室には私物の記録媒体を持ち込ませないこと。", PROHIBITED),
    ("端末の設定を変えないこと。", PROHIBITED),
    ("情報を第三者に漏らしてはならない。ただし、法令に基づく場合はこの限りでない。", PROHIBITED),
    ("利用者の画面を他人がのぞき見ることのないようにしなければならない。", PROHIBITED),
    # a negation inside a duty stays a duty
    ("作業開始前に、端末に不要なソフトウェアが入っていないことを確認すること。", REQUIRED),
    ("従事者に業務上知り得た情報を漏らさない旨の誓約書を提出させること。", REQUIRED),
    ("外部記録媒体に情報が複写されないよう制御すること。", REQUIRED),
    ("作業区画の入口に、関係者以外の立入りを禁止する旨を掲示すること。", REQUIRED),
    ("受注者は、ウイルス検査を行わなければ、媒体を端末に接続してはならない。", REQUIRED),
    # 励行: effort wins over the negation inside it
    ("受注者は、情報を不用意に口外しないよう努めること。", ENCOURAGED),
    ("退席時の画面ロックの励行", ENCOURAGED),
    ("従事者は、定期的にパスワードを変更するよう心がける。", ENCOURAGED),
    # 義務
    ("受注者は、事故を知ったときは直ちに市に報告しなければならない。", REQUIRED),
    ("従事者名簿を作業開始前に提出すること。", REQUIRED),
    ("受注者は、作業記録を５年間保存するものとする。", REQUIRED),
    # the main rule is the first sentence that asks something; なお/また do not change it
    ("受注者は、情報を外部に持ち出してはならない。なお、持ち出しの記録は毎月報告すること。", PROHIBITED),
    # letter-spaced text from a PDF reads the same
    ("受 注 者 は 、 情 報 を 第 三 者 に 漏 ら し て は な ら な い 。", PROHIBITED),
    # 禁止 inside a noun (禁止事項, 禁止行為) is what a duty is about, not the rule's modality
    ("受注者は、作業開始前に、窓口での禁止事項について従事者に研修を行わなければならない。", REQUIRED),
    ("受注者は、禁止行為の一覧を作業室に掲示すること。", REQUIRED),
    ("従事者は、立入禁止区域に立ち入ってはならない。", PROHIBITED),
    ("私物の持込みを禁止する。", PROHIBITED),
    # the contractor must forbid something to its staff: a duty (rule 6)
    ("受注者は、従事者ごとにＩＤを付与し、その共用を禁止しなければならない。", REQUIRED),
    # 「Xするまで Yしてはならない」 reads as 「Xしなければ Yしてはならない」 (rule 7)
    ("従事者は、本人であることを確認するまで、相談の内容を告げてはならない。", REQUIRED),
    ("受注者は、市の承認を得るまでの間、新しい機器を接続してはならない。", APPROVAL),
    ("支援員は、保護者に電話で確認が取れるまで児童を引き渡してはならない。", REQUIRED),
    # …until an event, not a step the worker takes: still forbidden
    ("受注者は、契約が終了するまで、作業記録を消去してはならない。", PROHIBITED),
    # 「承認を得ていない場合は…してはならない」 is 「承認を得なければ…」 (rule 7)
    ("受注者は、市の承認を得ていない場合は、再委託してはならない。", APPROVAL),
    ("暗号化していない場合は、電子メールで送信してはならない。", REQUIRED),
    # consent that only names a kind of thing (同意を得ていない児童の写真) is no way to be allowed (rule 3)
    ("掲載の同意を得ていない児童の写真を、広報誌に使用しないこと。", PROHIBITED),
    ("受託者は、案内員が研修を修了するまで、当該案内員を窓口に配置してはならない。", REQUIRED),
    # scope (rule 2), a restriction to keep (rule 9), the contractor's own security officer's approval
    ("この特記事項は、本業務に係る委託契約と一体のものとして適用する。", INFO),
    ("端末に接続する記録媒体は、市が貸与したものに限る。", REQUIRED),
    ("映像の閲覧は、受注者の情報セキュリティ責任者の承認を得て行うこと。", REQUIRED),
    ("従事者は、窓口で住民の氏名を大声で呼ばないよう配慮すること。", PROHIBITED),
    # a category (届出をしていない者) inside a sentence that ends forbidding: still 禁止
    ("前項の届出をしていない者に利用者情報を取り扱わせないこと。", PROHIBITED),
    ("持込禁止物品の一覧を、カウンター内の見やすい場所に掲示すること。", REQUIRED),
    ("入力した内容と調査票の記載内容に相違がないことを、別の入力者による読み合わせにより確認すること。", REQUIRED),
    # polite wording: a release, a wait for a step, a wait for the city's instruction, liability, scope
    ("市の職員が立ち会った軽微な作業については、作業報告書の作成を要しません。", INFO),
    ("消去が完了するまで、保守用端末を他の業務に使用しないでください。", REQUIRED),
    ("事故の原因となった機器の電源は、市の指示があるまで切らないでください。", PROHIBITED),
    ("受託者がこの遵守事項に違反して市に損害を与えたときは、その損害を賠償していただきます。", INFO),
    ("受託者が作業従事者に行わせる作業についても、受託者の行為とみなして、この特記事項を適用する。", INFO),
    # checklist markers: the line's own wording still counts (無断で, …しないこと)
    ("【禁止】利用者の登録内容を私物のスマートフォンで撮影すること。", PROHIBITED),
    ("【禁止】無断で、利用者情報のファイルを電子メールに添付して送信すること。", APPROVAL),
    ("【禁止】電話照会に対し、本人確認をせずに登録内容を回答すること。", REQUIRED),
    ("【必須】窓口の端末は、離席時に画面をロックすること。", REQUIRED),
    ("【必須】窓口で、利用者の氏名を声に出して読み上げないこと。", PROHIBITED),
    ("【推奨】パスワードは定期的に変更すること。", ENCOURAGED),
    # a table of what may be done (作業 / 可否 / 備考), a row read with its cells apart
    ("運用端末からのインターネットの閲覧　×　ウイルス定義ファイルの更新を除く。", PROHIBITED),
    ("税務データの外部記録媒体への書き出し　要承認　書き出した媒体は暗号化すること。", APPROVAL),
    ("稼働監視画面の閲覧　○　－", INFO),
    ("表中の「×」は行ってはならない作業を、「要承認」は市の承認を得た場合に限り行ってよい作業を示す。", INFO),
    # an FAQ's answer is the rule, not its question
    ("Ｑ：申請書類を翌朝まで事業所で保管してもよいですか。　Ａ：事業所で保管することはできません。", PROHIBITED),
    # polite recommendations; the contractor's own right; approval as the background of a duty
    ("端末にログインしたら、前回のログイン日時を確かめましょう。", ENCOURAGED),
    ("不要になった書類は早めに片付けるようにしましょう。", ENCOURAGED),
    ("通話の最後には、予約番号をもう一度お伝えしてから電話を切りましょう。", ENCOURAGED),   # a godan verb's ましょう
    ("お迎えの方かどうかを名簿で確認しましょう。", ENCOURAGED),                           # する's ましょう, as 確かめましょう
    ("席を離れるときは、短い時間でも必ず画面をロックしましょう。", REQUIRED),               # 必ず: a must
    ("クラブの固定電話を必ず使いましょう。", REQUIRED),
    ("私物のスマートフォンは使わないようにしましょう。", PROHIBITED),
    # a self-check list asks its rules
    ("収集車には、収集順路表のみを持ち込み、利用者名簿を持ち込んでいないか。", PROHIBITED),
    ("ハンディ端末には、6桁以上の暗証番号を設定しているか。", REQUIRED),
    ("新しい従事者には、収集に出る前に研修を行ったか。", REQUIRED),
    ("利用者名簿を複写するときは、事前に市の承認を得ているか。", APPROVAL),
    ("乙は、本業務に必要な範囲で、甲の庁舎内の休憩室を使用できるものとする。", INFO),
    ("乙は、甲の承諾を得て複写した書類について、複写の日時及び枚数を記録しなければならない。", REQUIRED),
    # the contractor's own 情報セキュリティ対策責任者 is no city; a table row's label before the city's right
    ("受託者は、情報セキュリティ対策責任者の承認を得なければ、端末の設定を変更してはならない。", REQUIRED),
    ("公表: 市は、必要と認めるときは、事故の概要を公表します。", INFO),
    # a polite page: what the writer (the city) does is no request; its rule is the next sentence
    ("アカウント: 管理画面のアカウントは、一人に一つ発行します。アカウントを他の人と共有しないでください。", PROHIBITED),
    ("受託事業者は、毎月の作業内容を報告します。", REQUIRED),
    ("私物の端末の業務利用は、原則禁止とします。", PROHIBITED),
    ("私物のノートに、請求者の氏名を書き写さないようお願いします。", PROHIBITED),
    # a 可否 table's × with the city's way out in its note
    ("税務データを用いた処理の試験　×　ただし、市が承認した場合は、この限りでない。", APPROVAL),
    # scope said as 「この…は、…適用する」, talks to agree what is not set (contract machinery), polite ご…ください
    ("この遵守事項は、契約終了後も受託者がデータを保有している間は適用する。", INFO),
    ("この遵守事項に定めていないことは、市と受託者が話し合って決めます。", INFO),
    ("市が事務所を調査するときは、ご協力ください。", REQUIRED),
    ("私物の持込みはご遠慮ください。", PROHIBITED),
    # allowed once the city approves (rule 3), not the contractor's free permission
    ("前項の規定にかかわらず、受注者は、市の承認を得たときは、印刷業務を再委託することができる。", APPROVAL),
    ("受注者は、業務責任者の承認を得たときは、複写することができる。", PROHIBITED),
    ("受注者は、作業の記録を電子データで保存することができる。", INFO),
])
def test_unit_verdicts(text, expected):
    assert judge(text).verdict == expected, judge(text)


@pytest.mark.parametrize("text, expected, why", [
    # the reason `kb show` prints names what decided it
    ("従事者は、私物を持ち込んではならない。ただし、作業責任者の許可を得た場合は、この限りでない。", PROHIBITED,
     "市（甲）の許可・承認ではない"),
    ("従事者は、媒体を使うときは、作業責任者の承認を得ること。", REQUIRED, "承認を得る手順が義務"),
    ("受注者は、名簿を提出しなければならない。ただし、市が不要と認めた場合は、この限りでない。", REQUIRED,
     "義務を免除する"),
    ("受注者は、点検記録の確認を怠ってはならない。", REQUIRED, "怠"),
    ("受注者は、資料を複写しないものとし、終了後は返却しなければならない。", PROHIBITED, "禁止を含む文"),
    ("作業従事者は、暗号化せずに情報を送信してはならない。", REQUIRED, "先に行うべき手順"),
    ("この規定は、受注者が追加の対策を講ずることを妨げるものではない。", INFO, "求めないこと"),
])
def test_reasons_name_what_decided(text, expected, why):
    j = judge(text)
    assert j.verdict == expected and why in j.reason, j


def test_headings_and_bare_nouns_carry_no_verdict_of_their_own():
    assert judge("").verdict is None
    j = judge("修理業者と交わした秘密保持契約書の写し")
    assert j.verdict is None and j.bare


def _assign(rows):
    return {k: verdict for k, (verdict, _why) in v.assign(rows).items()}


def test_lead_in_flows_to_bare_items_but_not_to_items_with_their_own_modality():
    got = _assign([
        ("a1", None, "受注者は、次に掲げる行為をしてはならない。"),
        ("a1.i1", "a1", "業務用の資料を自宅に持ち帰ること。"),
        ("a1.i2", "a1", "私物の記録媒体の使用"),
        ("a1.i3", "a1", "市の許可なく情報を複写すること。"),
        ("a2", None, "受注者は、次の措置を講じなければならない。"),
        ("a2.i1", "a2", "端末にパスワードを設定すること。"),
        ("a2.i2", "a2", "作業室に私物を持ち込まないこと。"),
        ("a2.i3", "a2", "離席時の画面ロックの励行"),
    ])
    assert got == {
        "a1": PROHIBITED, "a1.i1": PROHIBITED, "a1.i2": PROHIBITED, "a1.i3": APPROVAL,
        "a2": REQUIRED, "a2.i1": REQUIRED, "a2.i2": PROHIBITED, "a2.i3": ENCOURAGED,
    }


def test_a_lead_in_paragraph_governs_the_sub_lists_under_the_same_heading():
    got = _assign([
        ("s3", None, ""),
        ("s3.p1", "s3", "受注者は、次の対策に努めること。"),
        ("s3.r1", "s3", ""),                              # a sub-heading such as （共通）
        ("s3.r1.b1", "s3.r1", "端末にのぞき見防止の対策を行うこと。"),
        ("s3.r1.b2", "s3.r1", "媒体に情報が複写されないよう制御すること。"),
        ("s3.r1.b3", "s3.r1", "情報を無断で持ち出すことがないよう管理を徹底すること。"),
        ("s4", None, ""),
        ("s4.p1", "s4", "作業場所を施錠すること。"),        # another heading: no lead-in flows there
    ])
    assert got["s3.r1.b1"] == ENCOURAGED and got["s3.r1.b2"] == ENCOURAGED
    assert got["s3.r1.b3"] == APPROVAL            # its own approval route wins
    assert got["s3"] == INFO and got["s3.r1"] == INFO
    assert got["s4.p1"] == REQUIRED


def test_nested_items_inherit_through_a_sub_list_title():
    got = _assign([
        ("p", None, "作業に当たっては、以下の事項を遵守すること。"),
        ("p.i1", "p", "端末の利用"),
        ("p.i1.s1", "p.i1", "私物端末の持込禁止"),
        ("p.i1.s2", "p.i1", "業務終了時のログオフの励行"),
        ("p.i1.s3", "p.i1", "作業記録の作成"),
    ])
    assert got["p.i1.s1"] == PROHIBITED and got["p.i1.s2"] == ENCOURAGED and got["p.i1.s3"] == REQUIRED


ATTACHMENT = """試験市 委託業務の情報セキュリティ特記事項

第１条 この特記事項は、委託業務における情報の取扱いについて定めるものとする。
第２条 受注者は、次に掲げる行為をしてはならない。
（１）業務で扱う書類を自宅に持ち帰ること。
（２）業務用端末で私的な電子メールを送ること。
第３条 受注者は、市の承認を得た場合を除き、業務を第三者に再委託してはならない。
第４条 市は、必要に応じ、受注者の作業場所を調査することができる。
"""


def test_kb_add_and_kb_show_give_each_verdict_with_its_reason(tmp_path):
    env_db = tmp_path / "m.db"
    doc = tmp_path / "tokki.txt"
    doc.write_text(ATTACHMENT, encoding="utf-8")

    def mamoru(*args):
        r = subprocess.run([sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True,
                           env={"MAMORU_DB": str(env_db), "PATH": "/usr/bin:/bin"}, check=True)
        return r.stdout

    mamoru("kb", "add", str(doc), "--title", "委託業務の情報セキュリティ特記事項", "--municipality", "試験市",
           "--slug", "shiken")
    ids = [line.split("\t")[0] for line in mamoru("kb", "show", "shiken").splitlines() if line.strip()]
    clauses = [json.loads(mamoru("kb", "show", i, "--json")) for i in ids]

    def by_text(fragment):  # the parser's labels are not what this test is about
        return next(c for c in clauses if fragment in c["text"])

    assert by_text("定めるものとする")["verdict"] == "info"
    take_home = by_text("自宅に持ち帰ること")
    assert take_home["verdict"] == "prohibited"                 # 「…すること。」 under してはならない
    assert "柱書き" in take_home["verdict_reason"]
    assert by_text("私的な電子メール")["verdict"] == "prohibited"
    assert by_text("再委託してはならない")["verdict"] == "approval"
    assert by_text("調査することができる")["verdict"] == "info"
    assert "種別: 禁止（理由: 柱書き（リード文）の禁止が及ぶ項目）" in mamoru("kb", "show", take_home["id"])


def test_a_forbidden_item_with_the_citys_approval_as_its_way_out_needs_approval():
    # 原則禁止 with the route in the unit is 許可・承認が必要 (verdict_rules.md), for a bare item under a
    # 「してはならない」 lead-in too; an approval inside the contractor (業務責任者) is no way out.
    out = v.assign([
        ("a", None, "受託者は、次に掲げる行為をしてはならない。"),
        ("b", "a", "申告書等を作業場所の外へ持ち出すこと。ただし、市の承認を得たときは、この限りでない。"),
        ("c", "a", "申告書等を撮影すること。"),
        ("d", "a", "申告書等を複写すること。ただし、業務責任者の承認を得たときは、この限りでない。"),
    ])
    assert out["b"][0] == APPROVAL, out["b"]
    assert out["c"][0] == PROHIBITED
    assert out["d"][0] == PROHIBITED, out["d"]


@pytest.mark.parametrize("proviso, approved", [
    ("ただし、第一号に掲げる行為について、あらかじめ市の承認を得たときは、この限りでない。", {"i1"}),
    ("ただし、第２号及び第３号に掲げる行為について、市の承諾を得た場合は、この限りでない。", {"i2", "i3"}),
    ("ただし、第一号から第二号までに掲げる行為について、市の承認を得たときは、この限りでない。", {"i1", "i2"}),
    ("ただし、市の承認を得たときは、この限りでない。", {"i1", "i2", "i3"}),          # no item named: every one
    ("ただし、前各号に掲げる行為について市の承認を得たときは、この限りでない。", {"i1", "i2", "i3"}),
    # items named by their katakana labels (ア イ ウ), as a 1 / (1) / ア document numbers them
    ("ただし、イ及びウに掲げる行為について、あらかじめ書面により市の承認を得た場合は、この限りでない。", {"i2", "i3"}),
])
def test_a_way_out_limited_to_some_items_leaves_the_others_forbidden(proviso, approved):
    # 「…してはならない。ただし、第一号に掲げる行為について…この限りでない。」: the second and third acts stay 禁止
    # (showing them as 許可・承認が必要 would tell a worker the city may allow what it never does)
    out = v.assign([
        ("a", None, "受託者は、次に掲げる行為をしてはならない。" + proviso),
        ("i1", "a", "個人情報を作業場所の外に持ち出すこと。"),
        ("i2", "a", "個人情報を第三者に提供すること。"),
        ("i3", "a", "個人情報を複写すること。"),
    ])
    assert out["a"][0] == APPROVAL
    assert {k for k in ("i1", "i2", "i3") if out[k][0] == APPROVAL} == approved, out
    assert all(out[k][0] == PROHIBITED for k in ("i1", "i2", "i3") if k not in approved), out


def test_a_step_to_take_first_in_a_forbidden_item_makes_it_a_duty():
    # 「ケーブル類を撤去せずに機器室を離れること。」 under 「次に掲げる行為をしてはならない。」 reads
    # 「撤去せずに離れてはならない」 (rule 7): the step is the duty; the city's instruction is no step (rule 3)
    out = v.assign([
        ("a", None, "受託者は、次に掲げる行為をしてはならない。"),
        ("i1", "a", "保守作業で使用したケーブル類を撤去せずに機器室を離れること。"),
        ("i2", "a", "原本を、市の指示を受けずに補修すること。"),
        ("i3", "a", "作業責任者の許可を得ずに、ソフトウェアを導入すること。"),
        ("i4", "a", "個人情報を複写すること。"),
    ])
    assert [out[k][0] for k in ("i1", "i2", "i3", "i4")] == [REQUIRED, PROHIBITED, PROHIBITED, PROHIBITED], out


def test_the_citys_approval_among_the_cases_excepted_is_a_way_out():
    # 「次の各号のいずれかに該当する場合を除き、…してはならない。」: the case 「市の承認を得た場合」 is the city's way
    # out (rule 3); the law's, or the contractor's own people's approval, is none
    out = v.assign([
        ("a", None, "受注者は、次の各号のいずれかに該当する場合を除き、税務データを複製してはならない。"),
        ("i1", "a", "あらかじめ市の承認を得た場合"),
        ("i2", "a", "法令に基づく場合"),
        ("i3", "a", "作業責任者の承認を得た場合"),
    ])
    assert [out[k][0] for k in ("a", "i1", "i2", "i3")] == [PROHIBITED, APPROVAL, PROHIBITED, PROHIBITED], out


def test_a_bare_item_with_its_own_proviso_takes_the_lead_ins_label_or_its_way_out():
    # 「所有者情報の複写又は複製。ただし、市の承認を受けたものを除く。」 under 「次に掲げる行為をしてはならない。」 was
    # shown as 規定 (asks nothing): it needs the city's approval; an exception by law stays 禁止
    out = v.assign([
        ("a", None, "受注者は、次に掲げる行為をしてはならない。"),
        ("i1", "a", "所有者情報の複写又は複製。ただし、市の承認を受けたものを除く。"),
        ("i2", "a", "調査成果の第三者への提供"),
        ("i3", "a", "現地写真の公開。ただし、法令に基づく場合を除く。"),
    ])
    assert [out[k][0] for k in ("i1", "i2", "i3")] == [APPROVAL, PROHIBITED, PROHIBITED], out
