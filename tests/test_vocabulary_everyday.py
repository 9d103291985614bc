"""Everyday words for situations the concept map missed (third round, written by the lead):
a system 'released' and its builders' IDs, a PC left on at the end of the day, papers left out on
a desk, materials borrowed from the city. Each case is on an attachment written for it and failed
before the entry it checks; the entries name situations, never a clause or a document.
"""
import re

import pytest

from conftest import attachment_db
from handlers import ask

SYSTEM = """システム構築業務 情報セキュリティ特記事項
1 作業場所
受注者は、あらかじめ市に届け出た場所以外で作業を行ってはならない。
2 開発用アカウント
受注者は、開発作業に用いるID及びパスワードを作業者ごとに管理し、開発完了後は速やかに開発用IDを削除しなければならない。
3 認証
(1) 受注者は、作業従事者が正当なアクセス権を有する者であることを確認するため、ID及びパスワードによる認証を行わなければならない。
(2) 受注者は、作業従事者のIDを本人以外が利用できないよう管理しなければならない。
4 端末の管理
(1) 受注者は、業務終了時には端末からログオフし、電源を切らなければならない。
(2) 受注者は、離席するときは、画面をロックしなければならない。
5 貸与資料の管理
受注者は、市から貸与された資料を、作業従事者以外の者が閲覧できないよう管理しなければならない。
6 資料の返還
受注者は、業務が完了したときは、市から貸与された資料を速やかに市に返還しなければならない。
7 複写の禁止
受注者は、市の許可なく、資料を複写してはならない。
"""


@pytest.fixture(scope="module")
def system_db(tmp_path_factory):
    return attachment_db(tmp_path_factory.mktemp("system"), "system", SYSTEM, shipped=False)


@pytest.mark.parametrize("q, clause", [
    # A system 'released' (リリース) and 'built' (構築): development is over, its IDs go.
    ("リリース後、構築メンバーのログインが有効なままだけど問題ある？", "s2"),
    ("構築メンバーのログイン、リリースしたら止めるんだっけ？", "s2"),
    ("本番リリース後も構築チームのIDって残しておいていい？", "s2"),
    # Guards: with 「帰る」 no longer the logoff rule by itself, a PC left on still finds it.
    # A PC left on (つけたまま, つけっぱなし) at the end of the day, or its power 'dropped'.
    ("PCつけたまま帰ってもいい？", "s4.i1"),
    ("定時で上がるとき、パソコンの電源って落としてから帰るべき？", "s4.i1"),
    # Papers left out on a desk: the rule is who may see them.
    ("借りてる紙の資料、机の上に広げたまま帰ってもいい？", "s5"),
])
def test_everyday_words_find_the_rule(system_db, q, clause):
    a = ask.answer(system_db, q, source="架空市")
    assert a.found, (q, a.message)
    assert re.search(rf":{re.escape(clause)}(\.p1)?$", a.best.clause_id), (q, a.best.clause_id, a.best.text)


def test_going_home_alone_is_a_time_not_the_logoff_rule(system_db):
    # 「帰るとき」 only says when; the question is about the papers, not the terminal.
    a = ask.answer(system_db, "帰るとき、借りてる資料は机に出しっぱなしでいい？", source="架空市")
    assert a.found and re.search(r":s5(\.p1)?$", a.best.clause_id), (a.best.clause_id if a.found else a.message)


DEVICES = """端末等の取扱いに関する遵守事項
1 不正プログラム対策
(1) 受注者は、作業に用いる端末にウイルス対策ソフトウェアを導入し、定義ファイルを常に最新の状態に保たなければならない。
(2) 受注者は、作業に用いる端末のOS及びソフトウェアに、修正プログラムを速やかに適用しなければならない。
2 持込み
受注者は、個人所有のパソコン、スマートフォン等を作業室に持ち込んではならない。
3 機器の接続
受注者は、市の許可なく、私物の機器を作業に用いる端末に接続してはならない。
4 媒体の管理
受注者は、USBメモリ等の記録媒体を施錠できる保管庫で管理しなければならない。
"""


@pytest.fixture(scope="module")
def devices_db(tmp_path_factory):
    return attachment_db(tmp_path_factory.mktemp("devices"), "devices", DEVICES, shipped=False)


@pytest.mark.parametrize("q, clause", [
    # An update of Windows or an application is a patch; 「最新の状態」 of a pattern file is antivirus.
    ("Windowsの更新、再起動がうざいから止めてるけどだめ？", "s1.i2"),
    ("アクロバットリーダーの更新、ずっと放置してるけどまずい？", "s1.i2"),
    ("ウイルス対策ソフトの定義ファイル、古いままでもいい？", "s1.i1"),
    # Plugging a phone into the work PC to charge it is connecting a device, not bringing one in.
    ("スマホの充電したいから、PCのUSBポートにケーブルさしてもいい？", "s3"),
    # Bringing one in still is.
    ("私物のノートPC、作業室に持ち込んでいい？", "s2"),
])
def test_devices_what_is_done_decides(devices_db, q, clause):
    a = ask.answer(devices_db, q, source="架空市")
    assert a.found, (q, a.message)
    assert re.search(rf":{re.escape(clause)}(\.p1)?$", a.best.clause_id), (q, a.best.clause_id, a.best.text)


OFFICE = """情報資産の取扱いに関する特記事項
第1条 受注者は、作業責任者を定め、書面により市に届け出なければならない。作業責任者を変更する場合も、同様とする。
第2条 受注者は、市の許可なく、情報資産を複写し、又は複製してはならない。
第3条 受注者は、市が貸与した端末にソフトウェアをインストールしてはならない。
第4条 受注者は、作業に用いる端末にウイルス対策ソフトウェアを常駐させなければならない。
第5条 受注者は、契約期間が満了したときは、市から提供を受けた情報を速やかに返還し、又は消去しなければならない。
第6条 受注者は、情報を消去するときは、市から立会いを求められた場合は、これに応じなければならない。
第7条 受注者は、サーバ室に入室する者の氏名及び入退室の時刻を記録しなければならない。
第8条 受注者は、入館カードを他の者に貸与してはならない。
"""


@pytest.fixture(scope="module")
def office_db(tmp_path_factory):
    return attachment_db(tmp_path_factory.mktemp("office"), "office", OFFICE, shipped=False)


@pytest.mark.parametrize("q, clause", [
    ("プロジェクトのリーダーが別の人に替わるんだけど、市に何か出す？", "a1"),
    ("顧客一覧、紙のほうが見やすいから全部プリントアウトしていい？", "a2"),
    ("いつも使ってるテキストエデイタ、貸与PCに入れたらまずい？", "a3"),   # エデイタ: a small ィ typed big
    ("ウイルス対策ソフトが重いから、常駐切っちゃっていい？", "a4"),
    ("来月で契約切れるけど、預かったデータってそのままでいい？", "a5"),
    ("データ消すとき、市の人がそばで見てたいって言うんだけど断れる？", "a6"),
    ("サーバ室に空調の点検業者が入るけど、名前とか書いてもらう？", "a7"),
    ("douryou ga nyuukan card wasureta. watashi no card kashite ii?", "a8"),   # card in romaji
])
def test_everyday_words_of_an_office(office_db, q, clause):
    a = ask.answer(office_db, q, source="架空市")
    assert a.found, (q, a.message)
    assert re.search(rf":{re.escape(clause)}(\.p1)?$", a.best.clause_id), (q, a.best.clause_id, a.best.text)


@pytest.mark.parametrize("q", [
    "家で使ってるマウスが電池切れっぽい、交換していい？",
    "ノートPCの画面の明るさってどこで変えるの？",
])
def test_how_to_with_a_device_is_declined(office_db, q):
    assert not ask.answer(office_db, q, source="架空市").found, q


@pytest.mark.parametrize("q, words", [
    ("テキストエデイタ、市のPCに入れてもいい？", ("インストール",)),
    # 返還 (吉川市) or 草加市's 返却 of data at the contract's end, with erasure: both answer it
    ("3月で契約切れるけど、預かったデータどうする？", ("返還", "返却")),
    ("データ消すとき市の人が立ち会いたいって言ってる", ("立会い",)),
])
def test_everyday_words_on_the_shipped_documents(kb_db, q, words):
    a = ask.answer(kb_db, q)
    assert a.found and any(w in a.best.text for w in words), (q, a.best.text if a.found else a.message)


def test_a_mouse_battery_is_not_a_rule_question(kb_db):
    assert not ask.answer(kb_db, "マウスの電池切れたっぽい、どうしよう").found


COUNTER = """窓口受付業務 個人情報取扱特記事項
1 受付
受託者は、申請書を受け付けたときは、受付簿に記録しなければならない。
2 問い合わせへの対応
受託者は、申請者から審査の状況や結果を問われても自ら回答せず、市の担当課を案内しなければならない。
3 書類の保管
受託者は、申請書を施錠できる書庫に保管しなければならない。
4 事故の報告
受託者は、書類の紛失その他の事故が発生したときは、直ちに市に報告しなければならない。
5 書庫への立入り
受託者は、名簿に記載のない者を書庫に立ち入らせるときは、あらかじめ市の承認を得て、作業従事者を同行させなければならない。
"""


@pytest.fixture(scope="module")
def counter_db(tmp_path_factory):
    return attachment_db(tmp_path_factory.mktemp("counter"), "counter", COUNTER, shipped=False)


@pytest.mark.parametrize("q", [
    "申請した人から電話で「審査通りそう？」って聞かれた。画面見ればわかるし教えてあげていい？",
    "窓口で結果どうなったか聞かれたら答えちゃっていいの？",
])
def test_answering_a_callers_question_is_the_inquiry_rule(counter_db, q):
    a = ask.answer(counter_db, q, source="架空市")
    assert a.found and re.search(r":s2(\.p1)?$", a.best.clause_id), (q, a.best.clause_id if a.found else a.message)


def test_taking_someone_along_is_the_entry_rule(counter_db):
    a = ask.answer(counter_db, "書庫に業者さん連れていきたいんだけど、うちの人が一緒についていけばOK？", source="架空市")
    assert a.found and re.search(r":s5(\.p1)?$", a.best.clause_id), a.best.clause_id if a.found else a.message


PERSONAL = """私物機器の取扱い
1 持込み
受注者は、個人所有のパソコン、スマートフォン、タブレット等の機器を作業室に持ち込んではならない。
2 私物の利用
受注者は、情報の保管又は処理に、作業従事者の私物の機器を用いてはならない。
"""


@pytest.fixture(scope="module")
def personal_db(tmp_path_factory):
    return attachment_db(tmp_path_factory.mktemp("personal"), "personal", PERSONAL, shipped=False)


@pytest.mark.parametrize("q, clause", [
    # using a personal phone for the data is not bringing it in (bring_in is a narrow concept)
    ("市の人が私物のスマホにLINEで名簿の写真送ってくるけど、受け取っていい？", "s2"),
    ("自分のタブレットに作業データ入れて見てもいい？", "s2"),
    # bringing it in still is
    ("私物のスマホ、作業室に持って入っていい？", "s1"),
    ("業者さんが自分のノートPC持って作業室に入りたいって言ってるけど、通していい？", "s1"),
])
def test_using_a_personal_device_is_not_bringing_it_in(personal_db, q, clause):
    a = ask.answer(personal_db, q, source="架空市")
    assert a.found and re.search(rf":{clause}(\.p1)?$", a.best.clause_id), (q, a.best.clause_id if a.found else a.message)
