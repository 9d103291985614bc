"""Short forms people type are the word itself (knowledge/abbreviations.toml): 「Pマーク」 is
プライバシーマーク, 「スマホ」 is スマートフォン, counted as much as the asker's own word."""
from handlers import ask

UNSEEN = """第1条 受注者は、次のいずれかの認証を取得していること。
（1）ISMS認証
（2）プライバシーマーク
第2条 受注者は、作業場所にスマートフォンを持ち込む場合は、発注者の承認を得なければならない。
第3条 受注者は、作業場所に私物のカメラを持ち込んではならない。
"""


def test_a_short_form_finds_the_clause_written_in_full(tmp_path):
    from knowledge import library
    from storage.db import open_db

    db = open_db(tmp_path / "kb.db")
    library.load_text(db, UNSEEN, slug="abbr", title="特記事項", municipality="架空市")
    assert "プライバシーマーク" in ask.answer(db, "Pマークって持ってないとダメ？").best.text
    assert ask.answer(db, "スマホを作業場所に持ち込むときの手続きは？").best.clause_id == "abbr:a2"


def test_every_short_form_differs_from_its_full_word():
    from knowledge.search import _abbreviations

    table = _abbreviations()
    assert table and all(short != full for short, full in table.items())
    assert table["pマーク"] == "プライバシーマーク"
