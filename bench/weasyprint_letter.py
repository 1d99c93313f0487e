#!/usr/bin/python3
"""Baseline for bench/bulk_bench.sh: WeasyPrint (Debian package `weasyprint`) rendering the same one-page result
letter as HTML, N times in one warm Python process, with the same font (AR PL SungtiL GB). Prints letters/s.
    /usr/bin/python3 bench/weasyprint_letter.py [N]
    /usr/bin/python3 bench/weasyprint_letter.py --html     (prints the HTML: bench/compare.sh gives it to wkhtmltopdf)
"""
import json, os, sys, time

html_only = len(sys.argv) > 1 and sys.argv[1] == "--html"
n = int(sys.argv[1]) if len(sys.argv) > 1 and not html_only else 50
here = os.path.dirname(os.path.abspath(__file__))
d = json.load(open(os.path.join(here, "..", "samples", "letter.json"), encoding="utf-8"))
b, a = d["batch"], d["applicant"]
html = f"""<html><head><style>
@page {{ size: A4; margin: 37mm 26mm 35mm 28mm; }}
body {{ font-family: 'AR PL SungtiL GB'; font-size: 16pt; line-height: 28.99pt; }}
h1 {{ font-size: 22pt; text-align: center; font-weight: normal; }}
.head {{ color: #e00; text-align: center; font-size: 20pt; border-bottom: 3px double #e00; }}
p {{ text-indent: 2em; margin: 0; text-align: justify; }}
.sig {{ text-align: right; margin-top: 58pt; padding-right: 4em; }}
</style></head><body>
<div class="head">{b['office']['name']}</div>
<p style="text-align:right">编号：{d['letter']['no']}</p>
<h1>评审结果通知书</h1>
<p style="text-indent:0">{a['name']}同志：</p>
<p>根据{b['standard_ref']}和《关于开展{b['year']}年度{b['title']}专业职务评定工作的通知》（{b['notice_ref']}），经{b['senior_committee']}于2022年11月20日评审，并经公示无异议，你已通过{b['title']}专业职务任职资格评审，具备{b['title']}专业职务任职资格，资格取得时间为2022年12月30日。</p>
<p>请妥善保管本通知书。如有疑问，请与{b['office']['short_name']}联系，电话：{b['office']['phone']}，电子邮箱：{b['office']['email']}。</p>
<p>特此通知。</p>
<div class="sig">{b['office']['name']}<br>2022年12月30日</div>
</body></html>"""
if html_only:
    print(html)
    sys.exit(0)
from weasyprint import HTML

HTML(string=html).write_pdf()  # warm-up: fonts, CSS machinery
t = time.perf_counter()
for _ in range(n):
    HTML(string=html).write_pdf()
dt = time.perf_counter() - t
print(f"weasyprint {n} letters in {dt:.2f}s: {n / dt:.1f} letters/s, {1000 * dt / n:.1f} ms/letter")
