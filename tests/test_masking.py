"""The masking table: ordinary Japanese ways of writing personal data, each hidden before storage.

Every row is (what it is, the text as a worker types it, the secret that must disappear, the kind
named to the person). Plain text that is not personal data (dates of an incident, counts, clause
numbers, colleagues' names, times) must come through unchanged.
"""
from __future__ import annotations

import unicodedata

import pytest

from handlers.incident import mask

TABLE = [
    # phone numbers
    ("固定電話", "連絡先は03-1234-5678です", "1234-5678", "phone"),
    ("固定電話・括弧", "電話 03(1234)5678 に", "5678", "phone"),
    ("固定電話・区切りなし", "0312345678へ電話", "0312345678", "phone"),
    ("固定電話・全角", "０３－１２３４－５６７８", "5678", "phone"),
    ("固定電話・全角空白", "０３　１２３４　５６７８", "5678", "phone"),
    ("固定電話・長音記号", "03ー1234ー5678", "5678", "phone"),
    ("固定電話・ドット", "048.982.1234", "982", "phone"),
    ("市外局番4桁", "0489-82-1234", "1234", "phone"),
    ("携帯", "携帯 090-1234-5678", "1234", "phone"),
    ("携帯・区切りなし", "09012345678", "09012345678", "phone"),
    ("携帯・空白", "080 1234 5678", "5678", "phone"),
    ("携帯・全角長音", "０９０ー１２３４ー５６７８", "５６７８", "phone"),
    ("携帯・ダッシュ", "070—1234—5678", "5678", "phone"),
    ("国際表記", "+81-90-1234-5678", "5678", "phone"),
    ("国際表記・空白", "+81 3 1234 5678", "5678", "phone"),
    ("フリーダイヤル", "0120-123-456", "456", "phone"),
    ("携帯・漢数字", "〇九〇－一二三四－五六七八", "五六七八", "phone"),
    # postal codes
    ("郵便番号", "〒342-0038 吉川市", "0038", "postal"),
    ("郵便番号・記号なし", "住所は342-0038の", "0038", "postal"),
    ("郵便番号・全角", "〒３４２－００３８", "００３８", "postal"),
    ("郵便番号・7桁", "〒3420038", "3420038", "postal"),
    # my number, cards
    ("マイナンバー", "個人番号 1234 5678 9012", "9012", "mynumber"),
    ("マイナンバー・区切りなし", "123456789012", "123456789012", "mynumber"),
    ("マイナンバー・全角", "１２３４－５６７８－９０１２", "９０１２", "mynumber"),
    ("カード番号・空白", "カード 4111 1111 1111 1111", "1111 1111", "card"),
    ("カード番号・ハイフン", "4111-1111-1111-1111", "1111-1111", "card"),
    ("カード番号・全角空白", "４１１１　１１１１　１１１１　１１１１", "１１１１", "card"),
    ("カード番号・AMEX", "3782 822463 10005", "822463", "card"),
    ("カード番号・連続", "5555555555554444", "5555555555554444", "card"),
    # bank accounts
    ("口座番号", "口座番号 1234567", "1234567", "account"),
    ("普通預金", "普通 7654321 に振込", "7654321", "account"),
    ("支店と口座", "吉川支店 普通預金 口座 0123456", "0123456", "account"),
    ("ゆうちょ記号番号", "ゆうちょ 10120-12345671", "12345671", "account"),
    # e-mail
    ("メール", "taro.yamada@example.co.jp に誤送信", "example.co.jp", "email"),
    ("メール・全角＠", "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", "example", "email"),
    ("メール・全角英字", "ＨＡＮＡＫＯ．ＳＡＴＯ＠ＧＭＡＩＬ．ＣＯＭ", "GMAIL", "email"),
    ("メール・携帯", "abc-123_x@docomo.ne.jp", "docomo", "email"),
    # identity numbers
    ("運転免許証", "免許証番号 301234567890", "567890", "id"),
    ("パスポート", "パスポート TK1234567", "TK1234567", "id"),
    ("旅券・文脈なし", "番号はAB7654321でした", "AB7654321", "id"),
    ("基礎年金番号", "基礎年金番号 1234-567890", "567890", "id"),
    ("保険証", "保険証の記号 12 番号 3456789", "3456789", "id"),
    ("住民票コード", "住民票コード 12345678901", "12345678901", "id"),
    ("長い番号", "受付番号 9876543210123", "9876543210123", "id"),
    # birthdays
    ("生年月日・西暦", "生年月日 1980年4月1日", "1980年4月1日", "birthday"),
    ("生年月日・和暦", "生年月日：昭和55年4月1日", "昭和55年4月1日", "birthday"),
    ("生年月日・略記", "S55.4.1生まれ", "S55.4.1", "birthday"),
    ("誕生日・スラッシュ", "誕生日は1990/12/24", "1990/12/24", "birthday"),
    ("生年・和暦", "平成2年3月4日生", "平成2年3月4日", "birthday"),
    # addresses
    ("住所・丁目番号", "埼玉県吉川市きよみ野1丁目2番3号", "1丁目2番3号", "address"),
    ("住所・ハイフン", "吉川市きよみ野1-2-3に住む", "1-2-3", "address"),
    ("住所・全角", "吉川市木売２－３－４", "2-3-4", "address"),
    ("住所・長音", "千代田区丸の内1ー1ー1", "1-1-1", "address"),
    ("住所・漢数字", "東京都千代田区丸の内一丁目1番1号", "一丁目", "address"),
    ("住所・番地", "長野市大字長野元善町491番地", "491番地", "address"),
    ("住所・号室", "草加市高砂2-7-1 サンハイツ201号室", "201号室", "address"),
]

PLAIN = [
    "2026年12月1日 10時30分ごろ、吉川市役所の執務室でUSBメモリを紛失しました",
    "約120件、3人分の名簿です",
    "吉川市 情報セキュリティ特記仕様書 第11条第1項第6号",
    "鈴木さんと佐藤さんに報告しました",
    "12/1 18:30 に気づきました",
    "ICカード1枚",
    "セキュリティ保全に係る事項 3(1)キ",
    "2026-12-01",
]


def test_the_table_has_forty_ordinary_formats():
    assert len(TABLE) >= 40
    assert len({r[0] for r in TABLE}) == len(TABLE)


@pytest.mark.parametrize("what, text, secret, kind", TABLE, ids=[r[0] for r in TABLE])
def test_each_format_is_masked(what, text, secret, kind):
    m = mask.mask(text)
    shown = unicodedata.normalize("NFKC", secret)
    assert secret not in m.text and shown not in m.text, (what, m.text)
    assert kind in m.kinds, (what, m.kinds, m.text)
    assert "伏せ字" in m.text and m.labels()


@pytest.mark.parametrize("text", PLAIN)
def test_ordinary_text_is_left_alone(text):
    m = mask.mask(text)
    assert m.kinds == () and m.text == text, m.text


def test_several_in_one_message_each_named():
    m = mask.mask("滞納者の件：090-1234-5678、taro@example.jp、〒342-0038 吉川市きよみ野1-2-3")
    assert set(m.kinds) >= {"phone", "email", "postal", "address"}
    assert "5678" not in m.text and "example" not in m.text and "0038" not in m.text
    assert m.labels().startswith("メールアドレス")
