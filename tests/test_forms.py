"""Forms (様式) kept apart when loading: listed by `kb show SLUG`, shown by `kb show SLUG:formN`,
written as a .docx to fill in by `kb form`; and in the terminal chat 「様式」. Real CLI."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

MAMORU = str(Path(sys.executable).with_name("mamoru"))


def run(tmp_path, *argv, stdin=None):
    env = dict(os.environ, MAMORU_DB=str(tmp_path / "m.db"), PYTHONIOENCODING="utf-8")
    return subprocess.run([MAMORU, *argv], env=env, capture_output=True, text=True, timeout=120, input=stdin,
                          cwd=tmp_path)


def test_list_show_and_docx(tmp_path):
    import docx

    r = run(tmp_path, "kb", "show", "hozen")
    assert r.returncode == 0 and "様式 hozen:form1  セキュリティ保全申出書" in r.stdout
    assert "様式 hozen:form2  セキュリティ保全状況報告書" in r.stdout
    # review tools read each tab-separated line as 「clause id, label, text」
    assert all(ln.split("\t", 1)[0].startswith("hozen:s") for ln in r.stdout.splitlines() if "\t" in ln)
    r = run(tmp_path, "kb", "show", "hozen:form2")
    assert r.returncode == 0 and r.stdout.startswith("【様式】セキュリティ保全に係る事項 セキュリティ保全状況報告書（hozen:form2）")
    assert "報告対象期間" in r.stdout
    r = run(tmp_path, "kb", "form", "hozen:form1", "-o", "f.docx")
    assert r.returncode == 0, r.stderr
    d = docx.Document(tmp_path / "f.docx")
    paras = [p.text for p in d.paragraphs]
    assert "セキュリティ保全申出書" in paras
    assert ["受託業務名", ""] in [[c.text for c in row.cells] for t in d.tables for row in t.rows]
    assert "出典: セキュリティ保全に係る事項 セキュリティ保全申出書" in d.sections[0].footer.paragraphs[0].text
    r = run(tmp_path, "kb", "form", "hozen:form9")
    assert r.returncode == 1 and "見つかりませんでした" in r.stderr


def test_terminal_chat_lists_forms_for_registered_people_only(tmp_path):
    assert run(tmp_path, "users", "add", "UOFF", "--name", "対策", "--role", "officer").returncode == 0
    r = run(tmp_path, "chat", "--as", "UOFF", stdin="様式\n様式 状況報告書\n")
    assert "・hozen:form2　セキュリティ保全状況報告書" in r.stdout
    assert "`mamoru kb form hozen:form2 -o ファイル名.docx`" in r.stdout
    r = run(tmp_path, "chat", "--as", "UNOBODY", stdin="様式\n")
    assert "hozen:form2" not in r.stdout


def test_a_form_whose_blank_date_lost_its_spaces_in_a_pdf_is_a_form():
    # PDFium drops the spaces it generated between 年 and 月: 「年月　　日」 is still a blank date to fill in
    from knowledge.parser import parse
    text = ("架空市 特記事項\n第１条　受注者は、端末を預かるときは、預り票の控えを交付するものとする。\n"
            "様式第１号（第１条関係）\n端末預り票\n年月　　　　日\n学校名\n担当教員氏名\n")
    doc = parse(text)
    assert [c.text for c in doc.clauses if c.text] == ["受注者は、端末を預かるときは、預り票の控えを交付するものとする。"]
    assert len(doc.forms) == 1
