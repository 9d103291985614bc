"""Each format through the real `mamoru kb add`, on files made the way cities make them
(tests/fixtures/parser_files/make.py: python-docx, then LibreOffice to PDF)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_mamoru

FILES = Path(__file__).parent / "fixtures" / "parser_files"


def _tree(db_path, slug) -> dict[str, dict]:
    r = run_mamoru(["kb", "show", slug, "--json"], db_path)
    assert r.returncode == 0, r.stderr
    return {c["label"]: c for c in json.loads(r.stdout)["clauses"]}


def _add(db_path, name, slug, *extra):
    r = run_mamoru(["kb", "add", str(FILES / name), "--slug", slug, "--municipality", "桜川町", *extra], db_path)
    assert r.returncode == 0, r.stderr
    return r.stdout


@pytest.mark.parametrize("name", ["numbered.pdf", "numbered.docx"])
def test_word_and_its_pdf_give_the_same_articles(db_path, name):
    out = _add(db_path, name, "sakura")
    assert "個人情報取扱特記事項" in out.splitlines()[0]          # the title read from the document
    assert "目次（9 行）" in out                                 # the contents page is dropped
    assert "複製物廃棄報告書" in out                              # the blank form is kept apart
    tree = _tree(db_path, "sakura")
    # Word's automatic numbering (第%1条, %2 from 2, （%3）, %4 in アイウエオ) comes out as a reader sees it
    assert tree["第2条第2項"]["text"] == "前項の義務は、契約が終了し、又は解除された後も同様とする。"
    assert tree["第3条第1項第2号ア"]["text"] == "入退室を記録する装置が設置されていること。"
    assert tree["第3条第1項第2号ア"]["parent"].endswith(":a3.p1.i2")
    assert tree["第5条第3項"]["text"].startswith("町は、必要と認めるときは")
    # a manual line break in mid-sentence is joined
    assert tree["第4条"]["text"] == "受注者は、町の承諾を得ずに、町から提供された資料を複写し、又は複製してはならない。"
    assert tree["第1条"]["heading"] == ["目的"]
    texts = " ".join(c["text"] for c in tree.values())
    assert "桜川町　個人情報取扱特記事項" not in texts and "- 2 -" not in texts and "....." not in texts
    assert not any(lb.startswith("第1条　目的") for lb in tree)


def test_pdf_running_header_and_page_numbers_are_reported(db_path):
    out = _add(db_path, "numbered.pdf", "sakura", "--dry-run")
    assert "ページのヘッダー「桜川町　個人情報取扱特記事項」（4 ページ）" in out
    assert "ページ番号（4 行）" in out
    assert "確認のみ" in out


def test_pdf_on_a_character_grid_with_letter_spacing(db_path):
    out = _add(db_path, "grid.pdf", "wakaba")
    assert "クラウド利用業務の情報セキュリティ要件" in out.splitlines()[0]
    assert "空白" not in out                                     # no spaced-out text was left
    tree = _tree(db_path, "wakaba")
    assert tree["1 適用"]["text"].startswith("この要件は、若葉台町が")
    assert tree["2(2)イ"]["text"] == "管理者の人数は必要最小限とすること。"
    # ア・イ・ウ written in one paragraph, wrapped by the page: three items
    assert tree["3(2)ウ"]["text"] == "保存期間を過ぎたバックアップは速やかに消去すること。"
    assert tree["3(2)イ"]["text"] == "バックアップの保存期間は９０日とすること。"


def test_city_web_page_without_its_site(db_path):
    out = _add(db_path, "page.html", "shinonome")
    assert "メニュー・パンくず" in out
    tree = _tree(db_path, "shinonome")
    assert tree["2(2)ア"]["text"] == "暗号化した媒体に保存すること。"     # <br> lines inside one <p>
    assert tree["3(2)"]["text"] == "離席するときは、画面をロックすること。"  # an <ol> under a heading
    assert tree["4 用語の定義（媒体）"]["text"].startswith("媒体: ")
    texts = "\n".join(c["text"] + " ".join(c["heading"]) for c in tree.values())
    for furniture in ("更新日", "ホーム", "サイトマップ", "文字サイズ", "PDF形式", "Adobe", "〒", "電話：",
                      "役に立ちましたか", "入札結果", "Shinonome", "関連ファイル", "Xでポスト"):
        assert furniture not in texts, furniture


def test_shift_jis_crlf_wrapped_text_and_a_one_line_paste(db_path):
    out = _add(db_path, "sjis_crlf.txt", "sjis")
    assert "Shift_JIS" in out
    tree = _tree(db_path, "sjis")
    assert tree["第2条第2項"]["text"] == "受注者は、名簿に記載のない者に特定個人情報を扱わせてはならない。"
    assert "発生の日から１４日以内に書面で" in tree["第4条"]["text"]     # "…から１" / "４日以内": a wrap
    assert tree["第3条第1項第2号"]["text"] == "書庫の開閉を記録簿に記入すること。"

    out = _add(db_path, "oneline.txt", "oneline")
    assert "改行のほとんどない" in out
    tree = _tree(db_path, "oneline")
    assert tree["第1条第2項"]["text"] == "前項の義務は、契約の終了後も同様とする。"
    assert tree["第2条第1項第2号"]["text"] == "個人情報を私物の端末に保存すること。"
    assert tree["第3条"]["heading"] == ["事故の報告"]
    assert not any("－" in c["text"] for c in tree.values())           # page numbers carried along


def test_old_table_layout_page_in_shift_jis(db_path):
    out = _add(db_path, "old_site_sjis.html", "midori")
    assert "電算処理業務委託に係る情報セキュリティ特記事項" in out.splitlines()[0]
    tree = _tree(db_path, "midori")
    assert tree["第2条第2項"]["text"] == "前項の規定は、契約終了後も同様とする。"
    assert tree["第3条第1項第2号"]["text"] == "市が承認した受託者の事業所"
    texts = " ".join(c["text"] + " ".join(c["heading"]) for c in tree.values())
    for furniture in ("メニュー", "ホーム", "問い合わせ", "最終更新日", "Copyright", "くらし"):
        assert furniture not in texts, furniture
