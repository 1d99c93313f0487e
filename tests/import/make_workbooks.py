#!/usr/bin/env python3
"""tests/import/make_workbooks.py OUTDIR NAME... — workbooks shaped like the ones offices send (openpyxl), and
hostile ones written as raw XLSX parts (zipfile), for tests/import/import_test.cpp. Each NAME writes OUTDIR/NAME.xlsx
(or .xls). The people are fictional; their ID numbers carry correct check digits."""
import sys, zipfile, zlib, datetime

def check_digit(id17):
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(c) * k for c, k in zip(id17, w)) % 11]

def idn(birth, seq):  # birth "19800115", seq "123" (odd: man)
    s = "330102" + birth + seq
    return s + check_digit(s)

PEOPLE = [  # name, gender, id number, unit
    ("张三", "男", idn("19800115", "123"), "杭州市第一中学"),
    ("李四", "女", idn("19751030", "222"), "宁波港集团有限公司"),
    ("王五", "男", idn("19690705", "311"), "温州医科大学"),
]

# The other columns roster-summary requires, for the workbooks that should import whole.
MORE = ["工作单位", "现专业职务", "联系电话"]
MORE_VALUES = ["杭州市第一中学", "政工师", "13800138000"]

def openpyxl_book():
    import openpyxl
    return openpyxl.Workbook()

def header_not_first(path):
    wb = openpyxl_book(); ws = wb.active; ws.title = "汇总表"
    ws["A1"] = "2022年度高级政工师申报人员汇总表"; ws.merge_cells("A1:H2")
    ws["A3"] = "填报单位（盖章）：杭州市人力社保局"
    ws.append(["序号", "姓名", "性别", "出生年月", "身份证号", "工作单位", "现专业职务", "取得时间", "联系电话"])
    for i, (n, g, i_d, u) in enumerate(PEOPLE):
        ws.append([i + 1, n, g, datetime.datetime(int(i_d[6:10]), int(i_d[10:12]), 1), i_d, u, "政工师",
                   datetime.datetime(2012, 12, 1), 13800138000 + i])
        ws.cell(ws.max_row, 4).number_format = "yyyy.mm"
        ws.cell(ws.max_row, 8).number_format = "yyyy-mm-dd"
    wb.save(path)

def variant_headers(path):
    wb = openpyxl_book(); ws = wb.active; ws.title = "Sheet1"
    ws.append(["单位", "公民身份号码", "姓 名", "出生日期", "性别", "现任专业技术职务", "手机", "申报职务", "备注"])
    ws.cell(1, 2).value = "公民身份\n号码"
    for n, g, i_d, u in PEOPLE:
        ws.append([u, i_d, n, f"{i_d[6:10]}-{i_d[10:12]}-{i_d[12:14]}", g, "政工师", "13800138000", "高级政工师", "无"])
    wb.save(path)

def text_dates(path):
    wb = openpyxl_book(); ws = wb.active; ws.title = "汇总表"
    ws.append(["姓名", "性别", "出生年月", "身份证号", "参加工作时间"] + MORE)
    forms = ["1980.01", "1975-10", "196907", "1980年1月"]
    births = ["1980.01", "1975-10", "196907"]
    for (n, g, i_d, u), b, w in zip(PEOPLE, births, ["2002.07", "1998年8月", "199107"]):
        ws.append([n, g, b, i_d, w] + MORE_VALUES)
    ws.append(["赵六", "男", forms[3], idn("19800101", "135"), 1998.1] + MORE_VALUES)  # 1998.10 typed into a number cell
    wb.save(path)

def id_as_number(path):
    wb = openpyxl_book(); ws = wb.active; ws.title = "汇总表"
    ws.append(["姓名", "性别", "身份证号"] + MORE)
    n, g, i_d, u = PEOPLE[0]
    ws.append([n, g, int(i_d)] + MORE_VALUES)  # Excel keeps 15 significant digits: the last ones are lost
    n, g, i_d, u = PEOPLE[1]
    ws.append([n, g, i_d] + MORE_VALUES)
    wb.save(path)

def trailing_empty(path):
    wb = openpyxl_book(); ws = wb.active; ws.title = "汇总表"
    ws.append(["序号", "姓名", "性别", "身份证号"] + MORE)
    for i, (n, g, i_d, u) in enumerate(PEOPLE):
        ws.append([i + 1, n, g, i_d] + MORE_VALUES)
    for r in range(5, 40):
        for c in range(1, 5):
            ws.cell(r, c).border = __import__("openpyxl").styles.Border(left=__import__("openpyxl").styles.Side("thin"))
    ws.cell(41, 1, "填表人：王小明    审核人：    日期：2022年9月1日")
    ws.cell(42, 2, "   ")
    wb.save(path)

def two_sheets(path):
    wb = openpyxl_book(); ws = wb.active; ws.title = "说明"
    ws["A1"] = "本表由各单位填写，第二张表为申报人员名单。"
    ws2 = wb.create_sheet("申报人员")
    ws2.append(["姓名", "性别", "身份证号"] + MORE)
    for n, g, i_d, u in PEOPLE[:2]:
        ws2.append([n, g, i_d] + MORE_VALUES)
    wb.save(path)

def bad_person(path):
    wb = openpyxl_book(); ws = wb.active; ws.title = "汇总表"
    ws.append(["姓名", "性别", "身份证号", "出生年月"] + MORE)
    n, g, i_d, u = PEOPLE[0]
    ws.append([n, g, i_d[:-1] + ("0" if i_d[-1] != "0" else "1"), "1980-01"] + MORE_VALUES)  # wrong check digit
    ws.append(["李四", "女", PEOPLE[1][2], "某年某月"] + MORE_VALUES)
    wb.save(path)

def office_results(path):  # 申报人员 and the office's own 评审结果 sheet (other order, one person failed)
    wb = openpyxl_book(); ws = wb.active; ws.title = "申报人员"
    ws["A1"] = "2022年度高级政工师申报人员汇总表"; ws.merge_cells("A1:F1")
    ws.append(["序号", "姓名", "性别", "身份证号", "工作单位", "现专业职务", "联系电话"])
    for i, (n, g, i_d, u) in enumerate(PEOPLE):
        ws.append([i + 1, n, g, i_d, u, "政工师", "13800138000"])
    ws.append(["填报单位（盖章）：省政工职评办        填表人：王小明        日期：2022年12月1日"])
    rs = wb.create_sheet("评审结果")
    rs.append(["姓名", "身份证号", "理论考试成绩", "评审结果", "通过时间"])
    rs.append([PEOPLE[2][0], PEOPLE[2][2], 58.5, "未通过", None])
    rs.append([PEOPLE[0][0], PEOPLE[0][2], 66, "通过", "2022年12月1日"])
    rs.append([PEOPLE[1][0], PEOPLE[1][2], "72", "是", datetime.datetime(2022, 12, 1)])
    rs.cell(rs.max_row, 5).number_format = "yyyy-mm-dd"
    wb.save(path)

def results_unknown_person(path):  # a result for someone not on the roster, a score that is not a number
    office_results(path)
    import openpyxl
    wb = openpyxl.load_workbook(path); rs = wb["评审结果"]
    rs.append(["赵六", idn("19800101", "135"), "缺考", "通过", "2022-12"])
    wb.save(path)

def table_gap(path):  # a row without 姓名 and 身份证号 inside the table: people follow it
    wb = openpyxl_book(); ws = wb.active; ws.title = "汇总表"
    ws.append(["姓名", "性别", "身份证号"] + MORE)
    n, g, i_d, u = PEOPLE[0]
    ws.append([n, g, i_d] + MORE_VALUES)
    ws.append([None, None, None] + MORE_VALUES)
    n, g, i_d, u = PEOPLE[1]
    ws.append([n, g, i_d] + MORE_VALUES)
    wb.save(path)

# ---- raw packages: what openpyxl will not write ----
CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="xml" ContentType="application/xml"/></Types>')
WB = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
      '<sheet name="汇总表" sheetId="1" r:id="rId1"/></sheets></workbook>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        '</Relationships>')
SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_TAIL = '</sheetData></worksheet>'

def t(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'

HEADER_ROW = '<row r="1">' + t("A1", "姓名") + t("B1", "性别") + t("C1", "身份证号") + '</row>'

def raw(path, sheet, shared=None, chunks=None):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CT)
        z.writestr("xl/workbook.xml", WB)
        z.writestr("xl/_rels/workbook.xml.rels", RELS)
        if shared is not None:
            z.writestr("xl/sharedStrings.xml", shared)
        if chunks is None:
            z.writestr("xl/worksheets/sheet1.xml", sheet)
        else:
            with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
                for c in chunks:
                    f.write(c)

# The header row of the formula workbooks (they need the columns roster-summary requires).
FORMULA_HEADER = ('<row r="1">' + t("A1", "姓名") + t("B1", "性别") + t("C1", "身份证号") + t("D1", "工作单位") +
                  t("E1", "现专业职务") + t("F1", "联系电话") + '</row>')

def formulas(path):
    n, g, i_d, u = PEOPLE[0]
    row = (f'<row r="2">{t("A2", n)}<c r="B2" t="str"><f>IF(MOD(MID(C2,17,1),2)=1,"男","女")</f><v>{g}</v></c>'
           f'<c r="C2" t="str"><f>"{i_d}"</f><v>{i_d}</v></c>{t("D2", u)}{t("E2", "政工师")}'
           f'<c r="F2"><f>13800138000+0</f><v>13800138000</v></c></row>')
    raw(path, SHEET_HEAD + FORMULA_HEADER + row + SHEET_TAIL)

def formula_no_value(path):  # formulas a program wrote and nothing calculated; an error value
    n, g, i_d, u = PEOPLE[0]
    row = (f'<row r="2">{t("A2", n)}<c r="B2" t="str"><f>IF(MOD(MID(C2,17,1),2)=1,"男","女")</f></c>'
           f'{t("C2", i_d)}{t("D2", u)}<c r="E2" t="e"><f>VLOOKUP(A2,X:Y,2,0)</f><v>#N/A</v></c>'
           f'<c r="F2"><f>13800138000+0</f><v>13800138000</v></c></row>')
    raw(path, SHEET_HEAD + FORMULA_HEADER + row + SHEET_TAIL)

def broken_xml(path):
    raw(path, SHEET_HEAD + HEADER_ROW + '<row r="2"><c r="A2" t="inlineStr"><is><t>张三</t></is></row></sheetData>')

def zip_bomb(path):  # the shared strings inflate to 300 MiB of spaces (each part is capped; these at 256 MiB)
    block = b" " * (1 << 20)
    def gen():
        yield ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               '<si><t>a</t></si>').encode()
        for _ in range(300):
            yield block
        yield b"</sst>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CT)
        z.writestr("xl/workbook.xml", WB)
        z.writestr("xl/_rels/workbook.xml.rels", RELS)
        z.writestr("xl/worksheets/sheet1.xml", SHEET_HEAD + HEADER_ROW + SHEET_TAIL)
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            for c in gen():
                f.write(c)

def huge_shared(path):  # 1.2 million shared strings
    head = '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    body = "".join(f"<si><t>{i}</t></si>" for i in range(1200000))
    raw(path, SHEET_HEAD + HEADER_ROW + SHEET_TAIL, shared=head + body + "</sst>")

def max_rows(path):  # every row Excel allows, each a person (over the model's 100,000)
    def gen():
        yield (SHEET_HEAD + HEADER_ROW).encode()
        rows = []
        for r in range(2, 1048577):
            rows.append(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>张三</t></is></c></row>')
            if len(rows) == 50000:
                yield "".join(rows).encode(); rows = []
        yield ("".join(rows) + SHEET_TAIL).encode()
    raw(path, None, chunks=gen())

def old_xls(path):
    open(path, "wb").write(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + b"\0" * 504 + "Workbook".encode("utf-16-le") + b"\0" * 1024)

def encrypted(path):
    open(path, "wb").write(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le")
                           + b"\0" * 50 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 1024)

def not_workbook(path):
    open(path, "w").write("姓名,性别\n张三,男\n")

MAKERS = {k: v for k, v in globals().items() if callable(v) and k not in
          ("check_digit", "idn", "openpyxl_book", "t", "raw", "gen")}

if __name__ == "__main__":
    out = sys.argv[1]
    for name in sys.argv[2:]:
        ext = ".xls" if name == "old_xls" else ".csv" if name == "not_workbook" else ".xlsx"
        MAKERS[name](f"{out}/{name}{ext}")
