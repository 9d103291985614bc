"""A rule about enquiries or the phone is a rule, not the page's contact box.

City pages end with 「お問い合わせ」 and 「電話：…」, which the HTML reader drops as furniture. A call
centre's or a counter's attachment has articles headed 「（問合せへの対応）」 and sentences such as
「問合せを受けても、これに答えてはならない。」: those must stay, through the real `mamoru kb add`."""
from __future__ import annotations

import json

from conftest import run_mamoru

PAGE = """<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>特記事項｜桜川町</title></head>
<body><div id="header"><a href="/">桜川町トップ</a></div>
<div class="breadcrumb"><a href="/">ホーム</a> &gt; <a href="/kurashi">くらし</a> &gt; 特記事項</div>
<div id="main"><h1>桜川町税務コールセンター業務委託に係る個人情報取扱特記事項</h1>
<p class="update">更新日：2025年4月1日</p>
<h3>第1条（本人の確認）</h3>
<p>受託者は、納税者から電話で納付状況の問合せを受けたときは、登録された電話番号及び生年月日により本人であることを確かめなければならない。</p>
<h3>第2条（問合せへの対応）</h3>
<p>受託者は、納税者以外の者から、特定の者の納付状況について問合せを受けても、これに答えてはならない。</p>
<p>2　受託者は、問い合わせの内容及び回答を記録し、月ごとに町に報告しなければならない。</p>
<h3>第3条（事故の報告）</h3>
<p>受託者は、事故が発生したときは、直ちに町に報告しなければならない。</p>
<h2>お問い合わせ</h2>
<p>総務部 税務課 収納係<br>〒300-0000　桜川町本町1番地<br>電話：0296-00-0000　ファックス：0296-00-0001</p>
<p>このページに関するお問い合わせはメールフォームから</p>
</div>
<div id="footer"><p>Copyright © Sakuragawa Town. All Rights Reserved.</p></div></body></html>
"""


def test_articles_on_enquiries_stay_and_the_contact_box_goes(db_path, tmp_path):
    page = tmp_path / "callcenter.html"
    page.write_text(PAGE, encoding="utf-8")
    r = run_mamoru(["kb", "add", str(page), "--slug", "sakura-cc", "--municipality", "桜川町"], db_path)
    assert r.returncode == 0, r.stderr
    shown = run_mamoru(["kb", "show", "sakura-cc", "--json"], db_path)
    assert shown.returncode == 0, shown.stderr
    clauses = json.loads(shown.stdout)["clauses"]
    texts = "\n".join(c["text"] for c in clauses)
    assert "特定の者の納付状況について問合せを受けても、これに答えてはならない。" in texts
    assert "問い合わせの内容及び回答を記録し" in texts
    assert "登録された電話番号及び生年月日により" in texts
    heads = "\n".join(" ".join(c["heading"]) if isinstance(c["heading"], list) else str(c["heading"]) for c in clauses)
    assert "問合せへの対応" in heads
    for furniture in ("〒300", "電話：0296", "メールフォーム", "Copyright", "更新日"):
        assert furniture not in texts + heads, furniture
    verdicts = {c["text"][:20]: c["verdict"] for c in clauses if c["text"]}
    assert any(v == "prohibited" for t, v in verdicts.items() if t.startswith("受託者は、納税者以外")), verdicts


POLITE = PAGE.replace("""<h3>第1条（本人の確認）</h3>
<p>受託者は、納税者から電話で納付状況の問合せを受けたときは、登録された電話番号及び生年月日により本人であることを確かめなければならない。</p>
<h3>第2条（問合せへの対応）</h3>
<p>受託者は、納税者以外の者から、特定の者の納付状況について問合せを受けても、これに答えてはならない。</p>
<p>2　受託者は、問い合わせの内容及び回答を記録し、月ごとに町に報告しなければならない。</p>""", """<h2>問合せへの対応</h2>
<p>納税者から電話で納付状況の問合せを受けたときは、生年月日により本人であることを確認してから回答してください。</p>
<p>家族や職場の方からの問合せであっても、本人以外の方に納付状況をお伝えしないでください。</p>
<p>問合せの内容は受付票に記録し、月ごとに町へ報告してください。</p>""")


def test_a_polite_section_on_enquiries_stays_too(db_path, tmp_path):
    # a page in です・ます (「…確認してから回答してください。」) headed 「問合せへの対応」: its rules are no contact box
    page = tmp_path / "polite.html"
    page.write_text(POLITE, encoding="utf-8")
    r = run_mamoru(["kb", "add", str(page), "--slug", "sakura-p", "--municipality", "桜川町"], db_path)
    assert r.returncode == 0, r.stderr
    clauses = json.loads(run_mamoru(["kb", "show", "sakura-p", "--json"], db_path).stdout)["clauses"]
    texts = "\n".join(c["text"] for c in clauses)
    for said in ("本人であることを確認してから回答してください", "本人以外の方に納付状況をお伝えしないでください",
                 "月ごとに町へ報告してください"):
        assert said in texts, said
    for furniture in ("〒300", "電話：0296", "メールフォーム", "Copyright", "更新日"):
        assert furniture not in texts, furniture
