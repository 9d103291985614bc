"""The domain vocabulary, session six: being asked who one is on a visit, a caller proving who they
are with a name and birth date, a mishap reported in English, someone not on the list of workers, a bill paid twice, the city asking how the data is handled, a server down at night with no time for the paperwork, stepping into a garden, a machine outside the work asked for; on an attachment written for these
tests (a water-meter reading contract), asked the way staff talk.
"""
import pytest

from conftest import attachment_db
from handlers import ask

METER = """水道メーター検針業務委託 個人情報取扱特記事項
第1条 受託者は、検針で知り得た使用者の氏名、住所及び使用水量を、本業務以外の目的に使用してはならない。
第2条 検針員は、業務中は市が交付する検針員証を携帯し、使用者から求められたときは、これを提示しなければならない。
第3条 受託者は、使用者から電話で使用水量の問合せを受けたときは、登録された電話番号への折り返しにより本人であることを確認した後に回答しなければならない。
第4条 検針員は、使用者の承諾なく、門扉の内側に立ち入ってはならない。
第5条 受託者は、検針用の携帯端末を紛失し、又は盗まれたときは、直ちに市に事故として報告しなければならない。
第6条 受託者は、検針票を施錠できる保管庫に保管しなければならない。
第7条 受託者は、業務の終了後、市から貸与された携帯端末及び資料を速やかに返還しなければならない。
第8条 受託者は、検針センターの事務室に入退室した者の氏名及び時刻を記録しなければならない。
第9条 受託者は、作業従事者以外の者を事務室に入室させるときは、あらかじめ市の承認を得て、作業従事者を同行させなければならない。
第10条 受託者は、水道料金の二重納付その他の誤収納を把握したときは、翌営業日までに市に連絡し、市の指示に従って処理しなければならない。
第11条 受託者は、市から個人情報の取扱いの状況について報告を求められたときは、直ちに報告しなければならない。
第12条 受託者は、定期の保守作業を行うときは、作業日の５営業日前までに作業申請書を市に提出しなければならない。
第13条 受託者は、障害のため緊急に作業を行う必要があるときは、前条の規定にかかわらず、電話で市の承認を得て作業を開始することができる。この場合、作業終了後速やかに作業申請書を提出しなければならない。
第14条 受託者は、検針センターで保守を行うときは、市の職員が指定した範囲の機器以外を操作してはならない。
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return attachment_db(tmp_path_factory.mktemp("meter"), "meter", METER, shipped=False)


@pytest.mark.parametrize("q, clause", [
    ("メーター見てたら、おばあちゃんに『あんた誰？』って言われた…何か見せなきゃだめ？", "meter:a2"),
    ("検針中に家の人からどちら様ですかって聞かれたら、どうすればいい？", "meter:a2"),
    ("お客さんから電話で『先月どれくらい使ったか教えて』って。名前と生年月日言ってくれたら答えていいよね？", "meter:a3"),
    ("I think I left the meter reading handheld on the bus. What should I do?", "meter:a5"),
    ("名簿に載ってない応援の人、事務室に一緒に入ってもらってもいい？", "meter:a9"),
    ("同じお客さんが今月分を2回払っちゃってるみたい。こっちで返金しちゃっていい？", "meter:a10"),
    ("市から『お客さんの情報、今どう扱ってるか教えて』って連絡きた。来月の定例でまとめて返事でいい？", "meter:a11"),
    ("夜中に検針のサーバ落ちて今すぐ直しに行かなきゃ。申請書出してる時間ないけどどうすれば？", "meter:a13"),
    ("留守のお宅、メーターが裏にあるから庭にちょっと入っちゃっていい？", "meter:a4"),
    ("センターで作業してたら隣の機械のランプが赤く点滅してた。ついでに見てあげてもいい？", "meter:a14"),
])
def test_right_clause_first(db, q, clause):
    a = ask.answer(db, q, source="架空市")
    assert a.found, (q, a.message)
    assert a.best.clause_id == clause, (q, a.best.clause_id)
