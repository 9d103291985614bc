#!/usr/bin/env python3
"""Build corpus2 from docs_def.py with the development corpus's own builder.

The writers (python-docx documents, LibreOffice headless PDFs, Word automatic numbering, the
wrapped plain-text copy) are those of ../shared/corpus/build.py, loaded from the project root's
../shared/corpus/ (in a git worktree, from the main worktree's); this file adds what corpus2
needs on top: an article heading printed on the article's first line (第１条（目的）　本文), a
footer "－ N －", another CMS page around the HTML, and a text copy with the PDF's page numbers.

Writes, next to this file: docN.<pdf|docx|html|txt>, docN.source.txt, gold.jsonl and
questions.jsonl, then checks every fragment and question (see check()) and prints a report.

    python3 tests/data/corpus2/build.py [--keep-build]      # a Python with python-docx

Needs python-docx, LibreOffice (`soffice`, with fonts-ipafont-mincho) and poppler (`pdftotext`).
Exits 1 on any problem.
"""
import importlib.util, json, os, re, shutil, subprocess, sys, tempfile, unicodedata, zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]


def shared_corpus():
    """The development corpus: the project root's ../shared/corpus, or, in a git worktree, the
    main worktree's."""
    cands = [ROOT.parent / "shared" / "corpus"]
    try:
        common = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--git-common-dir"],
                                capture_output=True, text=True).stdout.strip()
        if common:
            cands.append((ROOT / common).resolve().parent.parent / "shared" / "corpus")
    except OSError:
        pass
    for c in cands:
        if (c / "build.py").exists() and (c / "score.py").exists():
            return c
    raise SystemExit(f"../shared/corpus not found (looked in {', '.join(map(str, cands))})")


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


SHARED = shared_corpus()
B = load("corpus_build", SHARED / "build.py")          # the development corpus's builder
S = load("corpus_score", SHARED / "score.py")          # its scorer (is_junk)
DOCS = load("corpus2_docs", HERE / "docs_def.py").DOCS
norm, clean = B.norm, B.clean


# ============================================================================ additions
_marker_kind = B.marker_kind


def marker_kind(mk):
    """第１条（目的） at the start of an article is an article marker."""
    if re.fullmatch(r"第[０-９0-9]+条[（(][^）)]+[）)]", mk.lstrip("+^")):
        return "art"
    return _marker_kind(mk)


B.marker_kind = marker_kind

_running_furniture = B.running_furniture


def running_furniture(d, opts):
    """The shared header and footers, plus footer "fw_dash": "－ N －"."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    if opts.get("footer") != "fw_dash":
        return _running_furniture(d, opts)
    _running_furniture(d, dict(opts, footer=None))
    fp = d.sections[0].footer.paragraphs[0]
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fp.add_run("－ ")
    B.field(fp, "PAGE")
    fp.add_run(" －")


B.running_furniture = running_furniture


def make_pdf(name, doc, els, work):
    dx = os.path.join(work, name + ".docx")
    B.write_docx(doc, els, dx)
    pdf = B.soffice_pdf(dx, work)
    shutil.copy(pdf, HERE / doc["file"])


PAGE_TOP = """<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}｜{muni}</title>
<meta name="keywords" content="選挙,ポスター掲示場,委託,個人情報">
<link rel="stylesheet" href="/assets/css/common.css">
<link rel="stylesheet" href="/assets/css/page.css">
<script src="/assets/js/jquery.min.js"></script>
<script src="/assets/js/common.js"></script>
</head>
<body id="page_detail">
<div id="wrapper">
<p class="skip_link"><a href="#main_body">本文へスキップ</a></p>
<header id="site_header">
<div class="header_inner">
<p class="site_logo"><a href="/"><img src="/assets/img/logo.svg" alt="{muni}" width="220" height="48"></a></p>
<ul class="header_util">
<li><a href="/yasashii/">やさしい日本語</a></li>
<li><a href="/foreign/" lang="en">Foreign Language</a></li>
<li><a href="/sitemap/">サイトマップ</a></li>
</ul>
<div class="header_tools">
<div class="font_size"><span>文字サイズ</span><button type="button">標準</button><button type="button">大きく</button></div>
<div class="bg_color"><span>背景色</span><button type="button">白</button><button type="button">黒</button></div>
</div>
<form class="site_search" action="/search/" method="get"><label for="kw">サイト内検索</label><input id="kw" type="search" name="kw"><button type="submit">検索</button></form>
</div>
<nav id="global_nav">
<ul>
<li><a href="/kurashi/">くらし・手続き</a></li>
<li><a href="/kosodate/">子育て・教育</a></li>
<li><a href="/kenko/">健康・福祉</a></li>
<li><a href="/bunka/">文化・スポーツ</a></li>
<li><a href="/jigyosha/">事業者の方へ</a></li>
<li><a href="/shisei/">市政情報</a></li>
</ul>
</nav>
</header>
<nav id="breadcrumb">
<ol>
<li><a href="/">ホーム</a> &gt; </li>
<li><a href="/shisei/">市政情報</a> &gt; </li>
<li><a href="/shisei/senkyo/">選挙</a> &gt; </li>
<li><a href="/shisei/senkyo/itaku/">選挙事務の受託者の方へ</a> &gt; </li>
<li>{title}</li>
</ol>
</nav>
<div id="container">
<main id="main_body">
<article class="detail">
<h1>{title}</h1>
<div class="page_info">
<p class="date">更新日：2025年8月20日</p>
<p class="page_id">ページ番号：5124</p>
</div>
<ul class="sns_share">
<li><a href="javascript:void(0)">Xでポスト</a></li>
<li><a href="javascript:void(0)">Facebookでシェア</a></li>
<li><a href="javascript:void(0)">LINEで送る</a></li>
</ul>
<p class="print"><a href="?mode=print">印刷用ページを表示する</a></p>
<div class="detail_body">
"""

PAGE_BOTTOM = """</div>
<h2>関連ファイル</h2>
<ul class="file_list">
<li><a href="/material/senkyo/poster_kijun.pdf">{title}（PDF：185KB）</a></li>
<li><a href="/material/senkyo/poster_meibo.docx">作業員名簿（様式）（Word：42KB）</a></li>
</ul>
<div class="plugin">
<p>PDF形式のファイルをご覧いただくには、Adobe Acrobat Reader が必要です。お持ちでない方は、アドビ社のサイトからダウンロード（無料）してください。</p>
</div>
<div class="inquiry">
<h2>このページに関するお問い合わせ</h2>
<p>選挙管理委員会事務局<br>
〒000-0000　{muni}中央一丁目1番1号　市役所西庁舎3階<br>
電話：0000-11-2345　ファクス：0000-11-2399<br>
<a href="/inquiry/form/?p=5124">お問い合わせフォーム</a></p>
</div>
<div class="feedback">
<h2>このページの情報は役に立ちましたか？</h2>
<form action="/feedback/" method="post">
<label><input type="radio" name="useful" value="1">役に立った</label>
<label><input type="radio" name="useful" value="2">どちらともいえない</label>
<label><input type="radio" name="useful" value="3">役に立たなかった</label>
<p>このページの内容は分かりやすかったですか？</p>
<label><input type="radio" name="clear" value="1">分かりやすかった</label>
<label><input type="radio" name="clear" value="2">分かりにくかった</label>
<p><button type="submit">送信</button></p>
</form>
</div>
</article>
</main>
<aside id="side_nav">
<h2>選挙</h2>
<ul>
<li><a href="/shisei/senkyo/schedule/">選挙の日程</a></li>
<li><a href="/shisei/senkyo/kijitsumae/">期日前投票</a></li>
<li><a href="/shisei/senkyo/kekka/">選挙の結果</a></li>
<li><a href="/shisei/senkyo/itaku/">選挙事務の受託者の方へ</a></li>
</ul>
</aside>
</div>
<footer id="site_footer">
<p class="page_top"><a href="#wrapper">ページの先頭へ</a></p>
<ul class="footer_links">
<li><a href="/about/site/">このサイトについて</a></li>
<li><a href="/about/privacy/">個人情報の取扱い</a></li>
<li><a href="/about/accessibility/">ウェブアクセシビリティ方針</a></li>
</ul>
<address>{muni}役所　〒000-0000　{muni}中央一丁目1番1号<br>
電話：0000-11-1111（代表）　開庁時間：月曜日から金曜日の午前8時30分から午後5時15分（祝日・年末年始を除く）</address>
<p class="copyright"><small>&copy; 2025 {roman}.</small></p>
</footer>
</div>
</body>
</html>
"""


def write_html(doc, els, path):
    """The development corpus's rule markup (B.write_html) inside another CMS's page."""
    body, para = [], []

    def flush():
        if para:
            body.append("<p>" + "<br>\n".join(para) + "</p>")
            para.clear()
    for e in els:
        k = e["kind"]
        if k == "P":
            flush()
            body.append("<p>" + clean(e["text"]) + "</p>")
        elif k == "H":
            flush()
            body.append("<h2>" + e["text"] + "</h2>")
        elif k == "U":
            mk, text = e["marker"], clean(e["text"])
            if not mk:
                flush()
                body.append("<p>" + text + "</p>")
                continue
            if mk.startswith("^"):
                flush()
                mk = mk[1:]
            indent = "&emsp;" if re.fullmatch(r"[ア-ン]", mk) else ""
            para.append(indent + mk + "&nbsp;" + text)
    flush()
    fill = dict(title=doc["title"], muni=doc["municipality"], roman=doc["opts"]["roman"])
    html = PAGE_TOP.format(**fill) + "\n".join(body) + "\n" + PAGE_BOTTOM.format(**fill)
    open(path, "w", encoding="utf-8").write(html)


def txt_pages(doc, els):
    """The shared wrapped plain-text copy, with the PDF's page number on a line of its own
    after every `page_lines` lines and at the end."""
    lines = B.txt_utf8(doc, els).rstrip("\n").split("\n")
    n, mark = doc["opts"]["page_lines"], doc["opts"]["page_mark"]
    out = []
    for i in range(0, len(lines), n):
        out += lines[i:i + n]
        out.append(mark.format(n=i // n + 1))
    return "\n".join(out) + "\n"


def build_one(name, doc, els, work):
    path = HERE / doc["file"]
    fmt = doc["fmt"]
    if fmt == "pdf":
        make_pdf(name, doc, els, work)
    elif fmt == "docx":
        B.write_docx(doc, els, str(path))
    elif fmt == "docx-num":
        B.write_docx_numbered(doc, els, str(path))
    elif fmt == "html":
        write_html(doc, els, path)
    elif fmt == "txt-pages":
        open(path, "w", encoding="utf-8", newline="").write(txt_pages(doc, els))
    else:
        raise SystemExit(f"unknown format {fmt}")
    open(HERE / (name + ".source.txt"), "w", encoding="utf-8").write(B.source_text(doc, els))
    return str(path)


# ============================================================================ checks
def frag_of(u):
    m = re.search(r"\[\[(.+?)\]\]", u["text"])
    return clean(m.group(1)) if m else None


def artifacts(name, doc, path, els, work):
    out, problems = [], []
    fmt, o = doc["fmt"], doc["opts"]
    if fmt == "pdf":
        t = B.pdftotext(path)
        pages = [p for p in t.split("\f") if p.strip()]
        out.append(f"pages {len(pages)}")
        if o.get("footer") == "dash":
            ok = all(re.search(rf"-\s*{i + 1}\s*-", p) for i, p in enumerate(pages))
        elif o.get("footer") == "fw_dash":
            ok = all(re.search(rf"－\s*{i + 1}\s*－", p) for i, p in enumerate(pages))
        else:
            ok = None
        if ok is not None:
            out.append(f"footer {o['footer']} on every page: {ok}")
            ok or problems.append(f"{name}: footer missing on a page")
        if o.get("running_header"):
            ok = all(norm(o["running_header"]) in norm(p) and norm(o.get("header_left", "")) in norm(p) for p in pages)
            out.append(f"running header on every page: {ok}")
            ok or problems.append(f"{name}: running header missing on a page")
        inline = [ln for ln in t.splitlines() if re.match(r"\s*第\s*[０-９0-9]+\s*条\s*[（(]", ln)]
        if inline:
            out.append(f"lines starting 第Ｎ条（見出し）: {len(inline)}")
        forms = [e["text"] for e in els if e["kind"] == "F"]
        if forms:
            last = norm(pages[-1])
            ok = all(norm(f) in last for f in forms if len(norm(f)) > 6)     # short ones are spread out by the layout
            out.append(f"blank form on the last page: {ok}")
            ok or problems.append(f"{name}: form not on the last page")
    elif fmt == "docx-num":
        with zipfile.ZipFile(path) as z:
            x = z.read("word/document.xml").decode("utf-8")
            numbering = z.read("word/numbering.xml").decode("utf-8")
        text = re.sub(r"<[^>]+>", "", re.sub(r"</w:p>", "\n", x))
        typed = [ln for ln in text.splitlines() if re.match(r"\s*(第[０-９0-9]+条|[０-９0-9]+　|\(\d+\)|[ア-ン]　)", ln)]
        out.append(f"w:numPr paragraphs {x.count('<w:numPr>')} (units {len(B.units(els))}), numbering.xml has "
                   f"第%1条: {'第%1条' in numbering}, paragraphs with a typed number: {len(typed)}")
        if x.count("<w:numPr>") != len(B.units(els)) or typed:
            problems.append(f"{name}: numbering")
        check = os.path.join(work, name + "_rendered.docx")
        shutil.copy(path, check)
        rendered = B.pdftotext(B.soffice_pdf(check, work)).replace(" ", "")
        want = ["第１条", "第１２条", "(1)", "ア", "２", "３"]
        got = [m for m in want if m in rendered]
        out.append(f"LibreOffice renders the numbers: {got}")
        if len(got) != len(want):
            problems.append(f"{name}: LibreOffice does not render {set(want) - set(got)}")
        # the item under a second paragraph is rendered (1) after ２
        m = re.search(r"２リモート保守の接続は.*?\n\(1\)専用回線", rendered, re.S)
        out.append(f"(1) restarts under paragraph ２: {bool(m)}")
        m or problems.append(f"{name}: (1) under ２ not rendered")
    elif fmt == "docx":
        with zipfile.ZipFile(path) as z:
            x = z.read("word/document.xml").decode("utf-8")
        paras = [re.sub(r"<[^>]+>", "", p) for p in re.findall(r"<w:p[ >].*?</w:p>", x, re.S)]
        kata = [p[:8] for p in paras if re.match(r"[ア-ン][^　 ]", p)]
        out.append(f"manual line breaks <w:br/>: {x.count('<w:br/>')}, paragraphs starting with a katakana "
                   f"(a body split by a hard return): {kata}, ア イ ウ in one paragraph: "
                   f"{any('ア　' in p and '　イ　' in p and '　ウ　' in p for p in paras)}")
    elif fmt == "html":
        h = open(path, encoding="utf-8").read()
        out.append(f"<p> with <br> inside: {len(re.findall(r'<p>[^<]*<br>', h))}, <h2> {h.count('<h2>')}")
    elif fmt == "txt-pages":
        t = open(path, encoding="utf-8").read()
        lines = t.split("\n")
        marks = [i for i, ln in enumerate(lines) if re.fullmatch(r"- \d+ -", ln)]
        mid = [lines[i - 1][-6:] + " / " + lines[i + 1][:6] for i in marks
               if 0 < i < len(lines) - 2 and lines[i + 1] and not re.match(r"[（(]|第[０-９]", lines[i + 1])]
        out.append(f"page-number lines {len(marks)}; page breaks inside a unit: {mid}")
        mid or problems.append(f"{name}: no page break inside a unit")
        breaks = []
        for a, b in zip(lines, lines[1:]):
            if a and b and (re.match(r"[0-9０-９]", b) or re.match(r"[ア-ン][^　 ]", b)) and not re.search(r"。$", a) \
                    and not re.fullmatch(r"- \d+ -", a):
                breaks.append(a[-4:] + "/" + b[:5])
        out.append(f"mid-sentence wraps before digits or katakana: {breaks}")
        out.append(f"longest line {max(sum(B.col(c) for c in ln) for ln in lines):.0f} columns")
        if b"\r" in open(path, "rb").read():
            problems.append(f"{name}: CR in a LF file")
    return out, problems


def furniture(doc, els, path):
    """Lines of page furniture this document has, which the scorer must count as junk."""
    o = doc["opts"]
    f = [e["text"].replace("TABLE:", "").replace("|", "　") for e in els if e["kind"] == "F"]
    if o.get("running_header"):
        f.append((o.get("header_left", "") + "　" + o["running_header"]).strip("　"))
    if o.get("footer") == "dash":
        f.append("- 2 -")
    if o.get("footer") == "fw_dash":
        f.append("－ 2 －")
    if doc["fmt"] == "txt-pages":
        f += [ln for ln in open(path, encoding="utf-8").read().split("\n") if re.fullmatch(r"- \d+ -", ln)]
    if doc["fmt"] == "html":
        h = open(path, encoding="utf-8").read()
        f += [re.sub(r"<[^>]+>", "", x).replace("&gt;", ">").strip() for x in
              (re.search(r'<nav id="breadcrumb">(.*?)</nav>', h, re.S).group(1).replace("\n", " "),
               '<p class="date">更新日：2025年8月20日</p>', "ページ番号：5124",
               "電話：0000-11-2345　ファクス：0000-11-2399", f"{doc['title']}（PDF：185KB）",
               "このページに関するお問い合わせ", "このページの情報は役に立ちましたか？", "ページの先頭へ",
               "© 2025 " + o["roman"] + ".", "サイトマップ", "文字サイズ", "背景色")]
    return f


def check(name, doc, els, path, gold_line, qs, src):
    problems, rep = [], []
    us = B.units(els)
    labels = [u["label"] for u in us]
    if len(labels) != len(set(labels)):
        problems.append(f"{name}: duplicate labels")
    if not 25 <= len(us) <= 45:
        problems.append(f"{name}: {len(us)} units (want 25-45)")
    whole = norm(src)
    ext = norm(B.extracted_text(path))
    unit_texts = {u["label"]: norm(clean(u["text"])) for u in us}
    for c in gold_line["clauses"]:
        f = c["frag"]
        nf = norm(f)
        where = f"{name} {c['label']} {f}"
        if unicodedata.normalize("NFKC", f) != f:
            problems.append(f"{where}: changed by NFKC")
        if not 10 <= len(nf) <= 30:
            problems.append(f"{where}: {len(nf)} characters")
        if whole.count(nf) != 1:
            problems.append(f"{where}: {whole.count(nf)} times in the source text")
        if nf not in unit_texts[c["label"]]:
            problems.append(f"{where}: not in its own unit")
        if sum(nf in t for t in unit_texts.values()) != 1:
            problems.append(f"{where}: in more than one unit")
        if nf not in ext:
            problems.append(f"{where}: not in the delivered file's extracted text")
    frags = {norm(c["frag"]): c["label"] for c in gold_line["clauses"]}
    apart = 0
    for q in qs:
        if q.get("abstain"):
            toks, _ = B.q_tokens(q["q"])
            inside = sorted(t for t in toks if t in whole)
            rep.append(f"    {q['id']:<9} out of scope; its words in the document: {','.join(inside) or '-'}")
            continue
        g = [norm(x) for x in q["gold"]]
        holders = [lab for lab, t in unit_texts.items() if any(x in t for x in g)]
        if len(holders) != 1 or not all(x in frags for x in g):
            problems.append(f"{name} {q['id']}: gold not inside exactly one gold clause ({holders})")
            continue
        u = next(u for u in us if u["label"] == holders[0])
        sh = B.shared_words(q["q"], clean(u["text"]))
        apart += not sh
        rep.append(f"    {q['id']:<9} {holders[0]:<18} shares {','.join(sh) if sh else '-'}")
    n_in = sum(1 for q in qs if not q.get("abstain"))
    n_out = len(qs) - n_in
    if n_in != 6 or n_out != 2:
        problems.append(f"{name}: {n_in} questions in scope, {n_out} out of scope (want 6 + 2)")
    if apart < 3:
        problems.append(f"{name}: only {apart} of {n_in} questions share no content word with their clause")
    return problems, rep, apart


def main():
    keep = "--keep-build" in sys.argv
    work = str(HERE / "build") if keep else tempfile.mkdtemp(prefix="corpus2-build-")
    os.makedirs(work, exist_ok=True)
    B.WORK = work
    gold, questions, problems, report = [], [], [], []
    try:
        for name, doc in DOCS.items():
            els = B.parse(doc)
            us = B.units(els)
            alts = B.label_alts(doc, els)
            clauses = []
            for u in us:
                f = frag_of(u)
                if f is None:
                    problems.append(f"{name} {u['label']}: no [[fragment]] marked")
                    continue
                c = {"label": u["label"], "frag": f}
                if alts.get(u["label"]):
                    c["alt"] = alts[u["label"]]
                clauses.append(c)
            path = build_one(name, doc, els, work)
            g = {"doc": name, "file": doc["file"], "municipality": doc["municipality"],
                 "title": doc["title"], "slug": doc["slug"], "clauses": clauses}
            gold.append(g)
            frag_by_label = {c["label"]: c["frag"] for c in clauses}
            qs = []
            for i, e in enumerate([e for e in els if e["kind"] == "Q"], 1):
                if e["label"] not in frag_by_label:
                    problems.append(f"{name}: question for unknown label {e['label']}")
                    continue
                qs.append({"id": f"{doc['slug']}-q{i}", "q": e["q"], "source": doc["slug"],
                           "gold": [frag_by_label[e["label"]]]})
            for i, e in enumerate([e for e in els if e["kind"] == "O"], 1):
                qs.append({"id": f"{doc['slug']}-x{i}", "q": e["text"], "source": doc["slug"],
                           "gold": [], "abstain": True})
            questions += qs
            src = open(HERE / (name + ".source.txt"), encoding="utf-8").read()
            probs, qrep, apart = check(name, doc, els, path, g, qs, src)
            problems += probs
            arts, aprobs = artifacts(name, doc, path, els, work)
            problems += aprobs
            furn = furniture(doc, els, path)
            missed = [x for x in furn if not S.is_junk(x, "", [], norm(doc["title"]))]
            if missed:
                problems.append(f"{name}: furniture the scorer would not count as junk: {missed}")
            arts.append(f"furniture lines the scorer counts as junk: {len(furn) - len(missed)}/{len(furn)}")
            formlike = [u["label"] for u in us if S.is_junk(clean(u["text"]), u["label"], [], norm(doc["title"]))]
            if formlike:
                arts.append(f"rule units that look like furniture (exempt: they hold their fragment): {formlike}")
            lens = [len(norm(c["frag"])) for c in clauses]
            report.append(f"{name} {doc['file']:<10} {doc['municipality']:<5} {doc['slug']} units {len(us):>2}  "
                          f"fragments {min(lens)}-{max(lens)} chars  questions sharing no content word {apart}/6")
            report += ["    " + a for a in arts] + qrep
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    with open(HERE / "gold.jsonl", "w", encoding="utf-8") as f:
        for g in gold:
            f.write(json.dumps(g, ensure_ascii=False) + "\n")
    with open(HERE / "questions.jsonl", "w", encoding="utf-8") as f:
        for q in questions:
            f.write(json.dumps(q, ensure_ascii=False) + "\n")
    print("\n".join(report))
    print(f"total units {sum(len(g['clauses']) for g in gold)}, questions "
          f"{sum(1 for q in questions if not q.get('abstain'))} + {sum(1 for q in questions if q.get('abstain'))} out-of-scope")
    if problems:
        print("PROBLEMS:\n  " + "\n  ".join(problems))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
