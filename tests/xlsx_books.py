"""Excel workbooks made the way cities make them, with openpyxl (for tests/test_reader_xlsx.py and the Slack
upload test). The city, 霞ヶ台市, and every rule here are invented.

- ``checklist_book()``: a 表紙, the checklist (padding column and rows, title and dates in merged cells, a lead-in
  sentence cell broken by Alt+Enter, header 「No. | 確認項目 | 確認欄 | 備考」 set as print titles and copied again at the
  page break, section rows merged across, No. as numbers, □ or an empty drop-down in 確認欄, 備考, a hidden row holding a
  deleted rule, a hidden column of working notes, a comment, a struck-through old rule, No. as =ROW()-k formulas with no
  saved result as a tool other than Excel writes them), a 記入例 repeating it filled in, a blank 様式, a hidden list
  sheet and a very hidden old checklist.
- ``grid_book()``: Excel 方眼紙: columns 2.63 wide, 第N条 in B, paragraphs in C, items in D, each line its own row,
  sentences continued on the next row where the author pressed Enter at the right edge.
- ``ole_file()``: an OLE compound file (the container of .xls, .doc and of a password-protected .xlsx).
"""
from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.datavalidation import DataValidation

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")

TITLE = "窓口端末保守業務委託　情報セキュリティ遵守事項チェックシート"
PREAMBLE = ("このチェックシートは、霞ヶ台市（以下「市」という。）が委託する窓口端末保守業務の受託者が遵守すべき事項を定めるものである。\n"
            "このチェックシートにおいて「端末」とは、市が貸与する窓口用の端末をいう。\n"
            "作業責任者は、毎月末日に確認欄に記入し、翌月５日までに市に提出すること。")
# (No. or section, 確認項目, 備考); a section row is ("§", title)
ROWS = [
    ("§", "１　作業場所"),
    (1, "作業場所に私物のＵＳＢメモリその他の記録媒体を持ち込まないこと。\nただし、市の承認を得た場合は、この限りでない。", ""),
    (2, "作業場所への私物のスマートフォンの持込みは、禁止する。", "市の承認を得た場合は可"),
    (3, "離席するときは、端末の画面をロックすること。", ""),
    ("hidden", "個人情報を含む書類は、ＦＡＸで市に送付すること。", "旧第４項"),
    (4, "交換した部品は、管理番号及び交換の日時を作業記録に\n記載すること。", "様式第２号"),
    ("§", "２　情報の取扱い"),
    (5, "回収した端末から、次の事項を記録すること。\n①回収日時\n②端末の管理番号\n③回収した者の氏名", ""),
    (6, "端末内の住民情報を複写し、又は複製しないこと。", ""),
    ("struck", "端末の修理はすべて作業場所の外で行うことができる。", "令和６年度で廃止"),
    (7, "ﾊﾟｽﾜｰﾄﾞを付箋に書いて端末に貼らないこと。", ""),
    ("§", "３　事故の報告"),
    (8, "情報漏えいのおそれがある事故が発生したときは、直ちに市に電話で報告すること。", "夜間・休日も同じ"),
    (9, "事故の報告には、情報の内容、件数、発生場所及び発生状況を含めること。", ""),
    (10, "従事者に対し、業務の開始前に情報セキュリティの研修を実施すること。", "年度当初に実施"),
]
HEADER = ("No.", "確認項目", "確認欄", "備考")


def _save(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cover(wb: Workbook, title: str = TITLE) -> None:
    ws = wb.active
    ws.title = "表紙"
    ws.merge_cells("B8:J8")
    ws["B8"] = title
    ws["B8"].font = Font(size=20, bold=True)
    ws["B8"].alignment = Alignment(horizontal="center")
    ws.merge_cells("B14:J14")
    ws["B14"] = dt.datetime(2025, 4, 1)
    ws["B14"].number_format = '[$-ja-JP]ggge"年"m"月"d"日"'
    ws.merge_cells("B16:J16")
    ws["B16"] = "霞ヶ台市　総務部　情報政策課"
    ws["B18"] = "第1.2版"


def checklist_sheet(ws, *, filled: bool = False, formulas: bool = True, rows=ROWS, note: bool = True) -> None:
    """The checklist as a city lays it out: column A and row 1 as margins, B..E the table, G a hidden column of notes."""
    ws.column_dimensions["A"].width = 2
    ws.column_dimensions["B"].width = 5
    ws.column_dimensions["C"].width = 60
    ws.column_dimensions["D"].width = 8
    ws.column_dimensions["E"].width = 20
    ws.column_dimensions["F"].width = 2
    ws.column_dimensions["G"].hidden = True
    ws.row_dimensions[1].height = 8
    ws.merge_cells("B2:E2")
    ws["B2"] = "霞ヶ台市総務部情報政策課"
    ws["B2"].alignment = Alignment(horizontal="right")
    ws.merge_cells("B3:E3")
    ws["B3"] = dt.datetime(2025, 4, 1)
    ws["B3"].number_format = 'yyyy"年"m"月"d"日改定"'
    ws.merge_cells("B5:E5")
    ws["B5"] = ("【記入例】" if filled else "") + TITLE
    ws["B5"].font = Font(size=14, bold=True)
    ws.merge_cells("B7:E7")
    ws["B7"] = PREAMBLE
    ws["B7"].alignment = WRAP
    ws.row_dimensions[7].height = 90
    for col, name in zip("BCDE", HEADER):
        ws[f"{col}9"] = name
        ws[f"{col}9"].border = BOX
    ws.print_title_rows = "9:9"
    dv = DataValidation(type="list", formula1='"○,×"', allow_blank=True)
    ws.add_data_validation(dv)
    r = 10
    last = None                                       # the row of the last numbered item
    for row in rows:
        if row[0] == "§":
            ws.merge_cells(f"B{r}:E{r}")
            ws[f"B{r}"] = row[1]
            ws[f"B{r}"].font = Font(bold=True)
            r += 1
            continue
        no, text, remark = row
        if no == "hidden":
            ws.row_dimensions[r].hidden = True
            ws[f"B{r}"] = 4
        elif no == "struck":
            ws[f"B{r}"] = "-"
        elif formulas and no >= 5:
            ws[f"B{r}"] = f"=B{last}+1"                # a tool other than Excel writes no result
        else:
            ws[f"B{r}"] = no
        if isinstance(no, int):
            last = r
        ws[f"C{r}"] = text
        ws[f"C{r}"].alignment = WRAP
        if no == "struck":
            ws[f"C{r}"].font = Font(strike=True)
        if filled:
            ws[f"D{r}"] = "○"
            ws[f"E{r}"] = remark or "４月３日確認済み"
        else:
            if isinstance(no, int) and no % 2:
                ws[f"D{r}"] = "□"
            else:
                dv.add(f"D{r}")                     # an empty drop-down of ○ / ×
            ws[f"E{r}"] = remark or None
        for col in "BCDE":
            ws[f"{col}{r}"].border = BOX
        if no == 6 and not filled:
            ws[f"G{r}"] = "内部メモ：次回改定で文言を見直す予定"
            if note:
                ws[f"C{r}"].comment = Comment("この項目は令和６年度に追加しました。", "情報政策課")
        if no == 7 and not filled:
            r += 1                                   # the page break: the header copied by hand
            for col, name in zip("BCDE", HEADER):
                ws[f"{col}{r}"] = name
        r += 1
    r += 1
    for note in ("※　確認欄が「×」の項目は、備考欄に理由と改善予定日を記入すること。",
                 "※　記入した本シートの写しは、契約期間の終了後も受託者において保管すること。"):
        ws.merge_cells(f"B{r}:E{r}")
        ws[f"B{r}"] = note
        r += 1
    r += 1
    for line in ("確認日　　令和　　年　　月　　日", "受託者名", "作業責任者氏名　　　　　　　　　　　　　印"):
        ws.merge_cells(f"C{r}:E{r}")
        ws[f"C{r}"] = line
        r += 1


def form_sheet(ws) -> None:
    ws["B2"] = "様式第１号"
    ws.merge_cells("B4:H4")
    ws["B4"] = "作業従事者届出書"
    ws["B4"].alignment = Alignment(horizontal="center")
    ws["G6"] = "令和　　年　　月　　日"
    ws["B8"] = "霞ヶ台市長　様"
    for r, label in ((10, "会社名"), (11, "代表者氏名"), (12, "電話番号")):
        ws[f"E{r}"] = label
        ws.merge_cells(f"F{r}:H{r}")
        ws[f"F{r}"].border = BOX
    ws["B14"] = "次のとおり作業従事者を届け出ます。"
    for col, name in zip("BCDEF", ("氏名", "所属", "担当業務", "従事開始日", "連絡先")):
        ws[f"{col}16"] = name
    for r in range(17, 22):
        for col in "BCDEF":
            ws[f"{col}{r}"].border = BOX


def checklist_book(*, example: bool = True, form: bool = True, hidden: bool = True, cover: bool = True) -> bytes:
    wb = Workbook()
    if cover:
        _cover(wb)
        ws = wb.create_sheet("チェックシート")
    else:
        ws = wb.active
        ws.title = "チェックシート"
    checklist_sheet(ws)
    if example:
        checklist_sheet(wb.create_sheet("記入例"), filled=True, formulas=False)
    if form:
        form_sheet(wb.create_sheet("様式１"))
    if hidden:
        lists = wb.create_sheet("リスト")
        lists["A1"], lists["A2"] = "○", "×"
        lists.sheet_state = "hidden"
        old = wb.create_sheet("旧チェックシート")
        old["B2"] = "作業場所では私物のパソコンを使用してよい。"
        old["B3"] = "事故の報告は翌営業日までに書面で行うこと。"
        old.sheet_state = "veryHidden"
    return _save(wb)


# --- Excel 方眼紙 ------------------------------------------------------------

GRID_WIDTH = 2.63          # each column about 1.3 full-width characters
EDGE_COL = 40              # the print area's right edge: column AN
GRID = [
    # (column the line starts in, text): a line is wrapped at the edge onto the next row, starting one column right
    (12, "情報セキュリティ特記事項"),
    None,
    (2, "（目的）"),
    (2, "第１条　この特記事項は、霞ヶ台市（以下「市」という。）が発注する住民情報システム運用保守業務（以下「本業務」という。）の"
        "実施に当たり、受注者が遵守すべき情報セキュリティ対策を定めるものとする。"),
    None,
    (2, "（秘密の保持）"),
    (2, "第２条　受注者は、本業務の実施に当たり知り得た情報を第三者に漏らしてはならない。本業務が終了した後も、同様とする。"),
    (3, "２　受注者は、本業務に従事する者（以下「従事者」という。）に対し、前項の義務を遵守させるため、必要な教育及び"
        "監督を行わなければならない。"),
    None,
    (2, "（遵守事項）"),
    (2, "第３条　受注者は、本業務の実施に当たり、次に掲げる事項を遵守しなければならない。"),
    (4, "(1)　市の許可なく、本業務に係る情報を作業場所の外へ持ち出さないこと。"),
    (4, "(2)　市が貸与した端末に、市の承認を得ないでソフトウェアをインストールしないこと。"),
    (4, "(3)　作業場所に私物の電磁的記録媒体を持ち込まないこと。ただし、あらかじめ市の承認を得た場合は、この限りでない。"),
    (3, "２　受注者は、次に掲げる場合には、あらかじめ書面により市の承認を得なければならない。"),
    (4, "(1)　本業務の全部又は一部を第三者に再委託する場合"),
    (4, "(2)　作業場所を変更する場合"),
    None,
    (2, "（事故の報告）"),
    (2, "第４条　受注者は、情報の漏えい、滅失又はき損その他の事故が発生し、又は発生するおそれがあることを知ったときは、"
        "直ちに市に報告し、その指示に従わなければならない。"),
    (3, "２　前項の報告は、情報の内容、件数、発生場所及び発生状況を明らかにして行うものとする。"),
]


def _cap(col: int) -> int:
    """Full-width characters that fit between a column and the edge."""
    return int((EDGE_COL - col) * GRID_WIDTH / 2)


def grid_lines(entries=GRID) -> list[tuple[int, str] | None]:
    """The visual lines: each entry wrapped at the edge, the rest of the sentence one row down, one column right of
    where the entry starts (the hanging indent people keep by hand)."""
    out: list[tuple[int, str] | None] = []
    for e in entries:
        if e is None:
            out.append(None)
            continue
        col, text = e
        first = True
        while text:
            c = col if first else col + 1
            n = _cap(c)
            out.append((c, text[:n]))
            text, first = text[n:], False
    return out


def grid_sheet(ws, entries=GRID, *, start_row: int = 2) -> None:
    ws.sheet_format.defaultColWidth = GRID_WIDTH
    for i in range(1, 60):
        from openpyxl.utils import get_column_letter

        ws.column_dimensions[get_column_letter(i)].width = GRID_WIDTH
    r = start_row
    for line in grid_lines(entries):
        if line is not None:
            ws.cell(r, line[0], line[1])
        r += 1


def grid_book(entries=GRID) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "特記事項"
    grid_sheet(ws, entries)
    return _save(wb)


def mixed_book() -> bytes:
    """A 方眼紙 特記事項 and a checklist table in one workbook."""
    wb = Workbook()
    ws = wb.active
    ws.title = "特記事項"
    grid_sheet(ws)
    checklist_sheet(wb.create_sheet("チェックシート"), formulas=False)
    return _save(wb)


# --- other containers ----------------------------------------------------------

def as_xlsm(data: bytes) -> bytes:
    """The same workbook saved as a macro-enabled book: the workbook's content type says so, and it holds a VBA
    project (here a stand-in: nothing reads or runs it)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                body = body.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
                body = body.replace(b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.'
                                                 b'vbaProject"/></Types>')
            elif item.filename == "xl/_rels/workbook.xml.rels":
                body = body.replace(b"</Relationships>", b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/'
                                                         b'office/2006/relationships/vbaProject" Target="vbaProject.bin"/>'
                                                         b"</Relationships>")
            z.writestr(item, body)
        z.writestr("xl/vbaProject.bin", ole_file({"VBA": b"Attribute VB_Name = \"Module1\"\r\nSub Auto_Open()\r\nEnd Sub"
                                                  .ljust(4096, b"\x00")}))
    return buf.getvalue()


def ole_file(streams: dict[str, bytes]) -> bytes:
    """A minimal but well-formed OLE compound file (version 3, 512-byte sectors) holding the given streams, each
    stored in regular sectors (padded to 4096 bytes, the mini-stream cutoff): what an .xls (a 「Workbook」 stream) or
    a password-protected .xlsx (「EncryptionInfo」 and 「EncryptedPackage」) is on the outside."""
    end, free, fatsect = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    bodies = [b.ljust(max(4096, -(-len(b) // 512) * 512), b"\x00") for b in streams.values()]
    fat = [fatsect, end]                     # sector 0: the FAT; sector 1: the directory
    starts = []
    nxt = 2
    for body in bodies:
        n = len(body) // 512
        starts.append(nxt)
        fat.extend(list(range(nxt + 1, nxt + n)) + [end])
        nxt += n
    assert len(fat) <= 128, "one FAT sector is enough for these tests"
    fat += [free] * (128 - len(fat))
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\x00" * 6 + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<I", 0) + struct.pack("<I", free) * 108)
    assert len(header) == 512

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\x00\x00"
        return (raw.ljust(64, b"\x00") + struct.pack("<HBB", len(raw), kind, 1) + struct.pack("<III", free, right, child)
                + b"\x00" * 16 + b"\x00" * 4 + b"\x00" * 16 + struct.pack("<IQ", start, size))

    names = list(streams)
    entries = [entry("Root Entry", 5, 1, free, end, 0)]
    for i, n in enumerate(names):
        entries.append(entry(n, 2, free, i + 2 if i + 1 < len(names) else free, starts[i], len(streams[n])))
    while len(entries) % 4:
        entries.append(b"\x00" * 64 + struct.pack("<HBB", 0, 0, 0) + struct.pack("<III", free, free, free) + b"\x00" * 52)
    assert len(entries) == 4, "one directory sector is enough for these tests"
    return header + b"".join(struct.pack("<I", x) for x in fat) + b"".join(entries) + b"".join(bodies)


# A harder 方眼紙: the number typed in a cell of its own and the text in a cell further right (continuation rows start
# under the text), sub-items ア under an item, a 「・」 list, the title merged across, and a line broken at a 「、」 a few
# characters before the edge.
HARD = [
    # (column of the number, number, column of the text, text)
    (2, "", 2, "（目的）"),
    (2, "第１条", 5, "この特記事項は、霞ヶ台市（以下「市」という。）が発注する窓口受付業務（以下「本業務」という。）の実施に当た"
                   "り、受注者が遵守すべき事項を定めるものとする。"),
    None,
    (2, "", 2, "（再委託）"),
    (2, "第２条", 5, "受注者は、本業務の全部又は一部を第三者に委託（以下「再委託」という。）してはならない。ただし、あらかじめ"
                   "書面により市の承認を得た場合は、この限りでない。"),
    (3, "２", 5, "受注者は、前項ただし書の承認を得て再委託するときは、再委託先に対し、次に掲げる措置を講じさせなければならな"
                "い。"),
    (4, "(1)", 6, "本特記事項に定める受注者の義務と同等の義務を、再委託先にも課すこと。"),
    (4, "(2)", 6, "再委託先の作業場所において、次に掲げる事項を確認すること。"),
    (6, "ア", 7, "作業場所が施錠できる室であること。"),
    (6, "イ", 7, "入退室の記録が作成され、保存されていること。"),
    (3, "３", 5, "受注者は、再委託先の行為について、市に対し全ての責任を負うものとする。"),
    None,
    (2, "", 2, "（作業場所での禁止事項）"),
    (2, "第３条", 5, "従事者は、作業場所において、次に掲げる行為をしてはならない。"),
    (4, "・", 5, "私物の携帯電話、スマートフォンその他の撮影機能を有する機器を用いて、端末の画面を撮影すること。"),
    (4, "・", 5, "市の許可なく、作業場所に外部の者を立ち入らせること。"),
]


def hard_grid_book() -> bytes:
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "特記事項（方眼紙）"
    ws.sheet_format.defaultColWidth = GRID_WIDTH
    for i in range(1, 60):
        ws.column_dimensions[get_column_letter(i)].width = GRID_WIDTH
    ws.merge_cells(start_row=2, start_column=2, end_row=2, end_column=EDGE_COL - 1)
    ws.cell(2, 2, "窓口受付業務委託　情報セキュリティ特記事項")
    ws.cell(2, 2).alignment = Alignment(horizontal="center")
    r = 4
    for e in HARD:
        if e is None:
            r += 1
            continue
        num_col, num, col, text = e
        if num and num_col == col:
            text, num = f"{num}　{text}", ""
        if num:
            ws.cell(r, num_col, num)
        first = True
        while text:
            n = _cap(col)
            if first and "再委託先に対し、" in text and len(text) > n:
                n = text.index("再委託先に対し、") + len("再委託先に対し、")     # broken at the 「、」 before the edge
            ws.cell(r, col, text[:n])
            text, first = text[n:], False
            r += 1
    return _save(wb)


def typed_on_book() -> bytes:
    """A checklist whose author typed a long item on into the next row (no wrap, no number on the second row)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "点検表"
    ws["B2"] = "個人情報取扱状況点検表"
    for col, name in zip("BCD", ("No.", "点検項目", "点検結果")):
        ws[f"{col}4"] = name
    rows = [(1, "個人情報を含む書類は、施錠できる書庫に保管し、使用後は速やかに"),
            (None, "書庫に戻すこと。"),
            (2, "個人情報を含む電子データは、市が貸与した暗号化機能付きの"),
            (None, "ＵＳＢメモリ以外の記録媒体に保存しないこと。"),
            (3, "離席するときは、画面をロックすること。")]
    r = 5
    for no, text in rows:
        if no is not None:
            ws[f"B{r}"] = no
            ws[f"D{r}"] = "□"
        ws[f"C{r}"] = text
        r += 1
    return _save(wb)


def category_book() -> bytes:
    """A checklist whose 区分 cell is merged down over its rows (「区分 | No. | 確認項目 | 確認欄」), the 確認欄 an empty
    drop-down."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["B2"] = "委託業務セキュリティ点検表"
    for col, name in zip("BCDE", ("区分", "No.", "確認項目", "確認欄")):
        ws[f"{col}4"] = name
    groups = [("人的対策", ["従事者に守秘義務を課していること。", "従事者の名簿を市に届け出ていること。"]),
              ("物理的対策", ["書類を施錠できる書庫に保管していること。", "作業場所への入退室を記録していること。",
                          "私物の記録媒体を作業場所に持ち込んでいないこと。"])]
    r, n = 5, 1
    for name, items in groups:
        ws.merge_cells(start_row=r, start_column=2, end_row=r + len(items) - 1, end_column=2)
        ws.cell(r, 2, name)
        for it in items:
            ws.cell(r, 3, n)
            ws.cell(r, 4, it)
            r, n = r + 1, n + 1
    return _save(wb)


def with_text_box(data: bytes, text: str) -> bytes:
    """The workbook with a text box drawn over its first sheet (openpyxl writes none: the drawing part added by hand, as
    Excel stores it)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    drawing = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
               '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
               'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:twoCellAnchor>'
               '<xdr:from><xdr:col>6</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>3</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>'
               '<xdr:to><xdr:col>9</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>8</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>'
               '<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="2" name="テキスト ボックス 1"/><xdr:cNvSpPr txBox="1"/>'
               '</xdr:nvSpPr><xdr:spPr/><xdr:txBody><a:bodyPr/><a:p><a:r><a:t>' + text + '</a:t></a:r></a:p></xdr:txBody>'
               '</xdr:sp><xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                body = body.replace(b"</Types>", b'<Override PartName="/xl/drawings/drawing1.xml" ContentType="application/'
                                                 b'vnd.openxmlformats-officedocument.drawing+xml"/></Types>')
            elif item.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"</worksheet>", b'<drawing r:id="rIdDr1"/></worksheet>')
                if b"xmlns:r=" not in body:
                    body = body.replace(b"<worksheet ", b'<worksheet xmlns:r="http://schemas.openxmlformats.org/'
                                                        b'officeDocument/2006/relationships" ', 1)
            z.writestr(item, body)
        rels = "xl/worksheets/_rels/sheet1.xml.rels"
        old = src.read(rels).decode() if rels in src.namelist() else \
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>'
        z.writestr(rels, old.replace("</Relationships>", '<Relationship Id="rIdDr1" Type="http://schemas.openxmlformats.org/'
                                     'officeDocument/2006/relationships/drawing" Target="../drawings/drawing1.xml"/>'
                                     "</Relationships>"))
        z.writestr("xl/drawings/drawing1.xml", drawing)
    return buf.getvalue()


def merged_grid_table_book() -> bytes:
    """A checklist drawn on 方眼紙 with merged cells: every column 2.63 wide, No. in B:C, the item in D:AD, the box in
    AE:AG, the note in AH:AM, a section row merged across; the title merged over the whole width."""
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "チェックリスト"
    for i in range(1, 45):
        ws.column_dimensions[get_column_letter(i)].width = GRID_WIDTH
    def put(r, c1, c2, v):
        ws.merge_cells(start_row=r, start_column=c1, end_row=r, end_column=c2)
        ws.cell(r, c1, v)
    put(2, 2, 39, "庁舎清掃業務　情報セキュリティチェックリスト")
    for (c1, c2), name in zip(((2, 3), (4, 30), (31, 33), (34, 39)), ("No.", "確認項目", "確認欄", "備考")):
        put(4, c1, c2, name)
    rows = [("§", "１　執務室内での作業"), (1, "机上の書類を見たり、移動させたりしないこと。", "□", ""),
            (2, "端末の画面を見たり、操作したりしないこと。", "□", ""),
            (3, "清掃中に見つけた書類やＵＳＢメモリは、職員に届けること。", "□", "その場で渡す"),
            ("§", "２　退出時"), (4, "執務室の施錠を確認し、鍵を守衛室に返却すること。", "□", "")]
    r = 5
    for row in rows:
        if row[0] == "§":
            put(r, 2, 39, row[1])
        else:
            put(r, 2, 3, row[0])
            put(r, 4, 30, row[1])
            put(r, 31, 33, row[2])
            ws.merge_cells(start_row=r, start_column=34, end_row=r, end_column=39)
            if row[3]:
                ws.cell(r, 34, row[3])
        r += 1
    return _save(wb)


def monthly_book() -> bytes:
    """A monthly checklist: 「No. | 点検項目 | 点検結果（○・×） | 備考」 over two header rows, the result merged over a column
    a month (4月…3月), April filled in for two rows, a note giving the way out."""
    wb = Workbook()
    ws = wb.active
    ws.title = "月次点検"
    ws.merge_cells("B2:P2")
    ws["B2"] = "情報セキュリティ月次点検表"
    for ref, name in (("B4:B5", "No."), ("C4:C5", "点検項目"), ("D4:O4", "点検結果（○・×）"), ("P4:P5", "備考")):
        ws.merge_cells(ref)
        ws[ref.split(":")[0]] = name
    for i, m in enumerate(["4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月", "1月", "2月", "3月"]):
        ws.cell(5, 4 + i, m)
    items = ["離席時は画面をロックしていること。", "私物の記録媒体を持ち込んでいないこと。", "書類を施錠できる書庫に保管していること。"]
    for k, it in enumerate(items):
        ws.cell(6 + k, 2, k + 1)
        ws.cell(6 + k, 3, it)
        ws.cell(6 + k, 3).alignment = WRAP
        if k < 2:
            ws.cell(6 + k, 4, "○")
    ws.cell(7, 16, "市の承認を得た場合は可")
    return _save(wb)
