"""Layouts of corpus4's attachments (session 29), each in a small file written for the test: a 別表 whose rows are
typed as cells apart by full-width spaces (a records table: 番号　記録の種類　保存期間), where a row reads like a heading
and another ends without 。; a Word rules table whose first column numbers the rows 「（１）」 beside a scene and its
rule; a forwarded e-mail's closing words after the last section."""
from __future__ import annotations

from knowledge import library
from storage.db import open_db
from tests.test_layouts_s15 import _docx, _one, _p


def _load(tmp_path, data: bytes, name: str):
    db = open_db(tmp_path / "kb.db")
    library.load_file(db, data, name=name, slug="d", title=None, municipality="架空市")
    return list(db["clauses"].rows_where("doc_slug = 'd'"))


RECORDS = """公用車運行管理業務委託に係る個人情報取扱特記事項
（記録の保存）
第１条　受託者は、別表に掲げる記録を、同表に定める期間保存しなければならない。
（調査）
第２条　市は、必要があると認めるときは、受託者の事務所に立ち入り、調査することができる。
別表（第１条関係）
番号　記録の種類　保存期間
１　運行日誌　契約期間の終了後5年間
２　鍵の貸出し及び返却の記録　貸し出した日から1年間
３　ドライブレコーダーの映像　録画した日から30日間。ただし、事故に係るものは、市の指示があるまで
４　GPS端末の走行記録　走行した日の属する月の翌月末まで
"""


def test_each_row_of_a_table_typed_with_spaces_is_its_own_row_of_the_appendix(tmp_path):
    """Row ２ reads like a heading (no 。) and row ３ like its body; row ３ ends without 。, so row ４ looked like
    its wrapped line. Each numbered line under the 別表 is its next row, cited 別表N, its cells kept as text."""
    clauses = _load(tmp_path, RECORDS.encode("utf-8"), "records.txt")
    rows = {c["label"]: c["text"] for c in clauses if c["label"].startswith("別表") and c["text"]}
    assert rows == {
        "別表1": "運行日誌　契約期間の終了後5年間",
        "別表2": "鍵の貸出し及び返却の記録　貸し出した日から1年間",
        "別表3": "ドライブレコーダーの映像　録画した日から30日間。ただし、事故に係るものは、市の指示があるまで",
        "別表4": "GPS端末の走行記録　走行した日の属する月の翌月末まで",
    }
    assert not [c for c in clauses if "第3項" in c["label"] or "記録の種類" in c["text"]]


def test_near_case_numbered_sections_outside_an_appendix_keep_their_headings_and_bodies(tmp_path):
    """Outside a 別表, 「２　見出し」 over a sentence is still a section with its body, and the next number a section."""
    text = ("架空市 遵守事項\n１　目的\nこの遵守事項は、個人情報の取扱いについて定める。\n２　事故の報告\n"
            "受託者は、事故を知ったときは、直ちに市に報告すること。\n３　再委託\n受託者は、再委託してはならない。\n")
    clauses = _load(tmp_path, text.encode("utf-8"), "sections.txt")
    assert _one(clauses, "この遵守事項は")["label"] == "1 目的"
    assert _one(clauses, "受託者は、事故を知ったときは")["label"] == "2 事故の報告"
    assert _one(clauses, "受託者は、再委託して")["label"] == "3 再委託"


def _rules_table(rows: list[tuple[str, str, str]]) -> str:
    out = "<w:tbl>" + "".join(f"<w:tr><w:tc>{_p(a)}</w:tc><w:tc>{_p(b)}</w:tc><w:tc>{_p(c)}</w:tc></w:tr>" for a, b, c in rows)
    return out + "</w:tbl>"


SCENES = _docx(
    _p("放課後児童クラブ運営業務委託における個人情報等取扱要領")
    + _p("１　児童の情報の取扱い")
    + _p("（１）　児童の名簿は、クラブ室の施錠できる書庫に保管すること。")
    + _p("２　場面ごとの遵守事項")
    + _rules_table([("番号", "場面", "守ること"),
                    ("（１）", "保護者からの電話", "電話で他の児童の出欠を聞かれても答えない。"),
                    ("（２）", "学校との連絡", "児童の情報をやり取りするときは、保護者の同意を得る。"),
                    ("（３）", "退所", "退所した児童の書類は、年度末に市へ引き渡す。")])
    + _p("３　事故が起きたとき")
    + _p("（１）　名簿を紛失したときは、直ちに市に電話で報告すること。"))


def test_a_numbered_row_of_scene_and_rule_is_one_item_cited_by_its_number(tmp_path):
    """「（１）｜保護者からの電話｜電話で…答えない。」: one item 2(1) holding the scene and its rule (it was the scene
    alone as 2(1), and the rule a paragraph 「第1段落」 of section 2), with the rule's verdict."""
    clauses = _load(tmp_path, SCENES, "scenes.docx")
    phone = _one(clauses, "保護者からの電話")
    assert phone["label"] == "2(1)" and phone["text"] == "保護者からの電話：電話で他の児童の出欠を聞かれても答えない。"
    assert phone["verdict"] == "prohibited"
    consent = _one(clauses, "学校との連絡")
    assert consent["label"] == "2(2)" and consent["verdict"] == "required"       # 「…同意を得る。」 used as a rule
    assert _one(clauses, "退所")["label"] == "2(3)" and _one(clauses, "退所")["verdict"] == "required"
    assert not [c for c in clauses if "段落" in c["label"] or c["text"] in ("番号", "場面", "守ること")]
    assert _one(clauses, "名簿を紛失したときは")["label"] == "3(1)"


def test_near_case_an_article_row_keeps_its_heading_cell_apart(tmp_path):
    """A row numbered 「第１条」 beside a heading cell and its text is an article, read as before (not joined)."""
    data = _docx(_p("架空市 入力業務 特記事項")
                 + _rules_table([("第１条", "管理責任者", "受託者は、管理責任者を選任し、市に届け出なければならない。"),
                                 ("第２条", "従事者", "受託者は、届け出た従事者以外の者に申請書を取り扱わせてはならない。")]))
    clauses = _load(tmp_path, data, "articles.docx")
    assert not [c for c in clauses if "：" in c["text"]]
    assert [c["label"] for c in clauses if "受託者は、管理責任者を選任し" in c["text"]] == ["第1条"]


def test_an_emails_closing_words_are_no_paragraph_of_the_last_section(tmp_path):
    text = ("架空市 乳幼児健診予約受付業務 遵守事項\n1.　目的\nこの遵守事項は、予約受付の個人情報について定める。\n"
            "2.　契約終了時の措置\n受注者は、契約が終了したときは、予約データを全て消去し、消去証明書を提出すること。\n\n"
            "ご不明な点がありましたら、下記までお問い合わせください。\nよろしくお願いいたします。\n")
    clauses = _load(tmp_path, text.encode("utf-8"), "mail.txt")
    last = _one(clauses, "受注者は、契約が終了したときは")
    assert last["label"] == "2 契約終了時の措置" and last["verdict"] == "required"
    assert not [c for c in clauses if "お問い合わせ" in c["text"] or "よろしく" in c["text"]]
    # a rule that tells the worker whom to ask stays a rule
    (tmp_path / "rule").mkdir()
    rule = "架空市 遵守事項\n1.　照会\n受注者は、取扱いに疑義があるときは、市に問い合わせること。\n"
    asked = _one(_load(tmp_path / "rule", rule.encode("utf-8"), "rule.txt"), "受注者は、取扱いに疑義")
    assert asked["label"] == "1 照会" and asked["verdict"] == "required"
