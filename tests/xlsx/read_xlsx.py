#!/usr/bin/python3
"""Reads an XLSX the way a user's spreadsheet would and prints what the C++ tests check, as JSON.

Usage: read_xlsx.py FILE [MAX_ROWS]. Run with /usr/bin/python3 (Debian's python3-openpyxl)."""
import datetime
import json
import sys
import zipfile
import xml.etree.ElementTree as ET

import openpyxl


def cell_json(cell):
    value = cell.value
    if isinstance(value, (datetime.datetime, datetime.date)):
        value = value.isoformat()
    return {"v": value, "py": type(cell.value).__name__, "t": cell.data_type, "fmt": cell.number_format}


def app_properties(path):
    with zipfile.ZipFile(path) as z:
        if "docProps/app.xml" not in z.namelist():
            return {}
        root = ET.fromstring(z.read("docProps/app.xml"))
    return {el.tag.split("}")[1]: el.text for el in root if el.text and not len(el)}


def main():
    path = sys.argv[1]
    max_rows = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    ps = ws.page_setup
    out = {
        "sheets": wb.sheetnames,
        "max_row": ws.max_row,
        "max_column": ws.max_column,
        "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "freeze": ws.freeze_panes,
        "autofilter": ws.auto_filter.ref,
        "print_title_rows": ws.print_title_rows,
        "orientation": ps.orientation,
        "paper": str(ps.paperSize),
        "fit_to_page": bool(ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage),
        "fit_width": ps.fitToWidth,
        "fit_height": ps.fitToHeight,
        "scale": ps.scale,
        "margins": {"left": ws.page_margins.left, "right": ws.page_margins.right,
                    "top": ws.page_margins.top, "bottom": ws.page_margins.bottom},
        "footer": ws.oddFooter.center.text,
        "title": wb.properties.title,
        "author": wb.properties.creator,
        "company": app_properties(path).get("Company"),
        "widths": {k: v.width for k, v in ws.column_dimensions.items()},
        "header_bold": bool(ws.cell(row=2, column=1).font.b),
        "header_fill": ws.cell(row=2, column=1).fill.fgColor.rgb,
        "header_wrap": bool(ws.cell(row=2, column=1).alignment.wrap_text),
        "header_border": ws.cell(row=2, column=1).border.left.style,
        "rows": [[cell_json(c) for c in row] for row in ws.iter_rows(max_row=min(ws.max_row, max_rows))],
    }
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
