#!/usr/bin/python3
"""Writes the sample request bodies under samples/ (all but notice.json and letter.json, which are written by hand).

The people are fictional; units, committees and dates follow the 2022 round (浙政职办〔2022〕1号: committees submit by
2022-09-15, senior review 2022-11-20, publicity 2022-12-01 to 12-07, qualification from 2022-12-30). Identity numbers
carry real GB 11643 check characters so the samples pass validation. Deterministic: the same files every run.

    /usr/bin/python3 tests/model/make_samples.py [REPO_DIR]
"""
import base64
import json
import os
import random
import struct
import sys
import zlib

BATCH = {
    "id": "zj-zgs-2022",
    "year": 2022,
    "title": "高级政工师",
    "office": {
        "name": "浙江省思想政治工作人员专业职务评定工作办公室",
        "short_name": "省政工职评办",
        "phone": "0571-87052402",
        "email": "zgzpb@163.com",
        "address": "杭州市省府路8号",
    },
    "notice_ref": "浙政职办〔2022〕1号",
    "standard_ref": "《浙江省高级政工师评价标准(试行)》（浙宣〔2020〕26号）",
    "senior_committee": "浙江省高级政工师专业职务评审委员会",
    "deadline": "2022-09-15",
    "exam_pass_line": 60,
}

# (region code, committee, units) — one intermediate committee per city or provincial department.
REGIONS = [
    ("330102", "杭州市中评委", ["杭州市上城区文化和广电旅游体育局", "杭州地铁集团有限责任公司", "杭州市第一人民医院"]),
    ("330212", "宁波市中评委", ["宁波市鄞州区教育局", "宁波舟山港股份有限公司", "宁波市鄞州区人民医院"]),
    ("330302", "温州市中评委", ["温州市鹿城区五马街道办事处", "温州市交通运输集团有限公司"]),
    ("330402", "嘉兴市中评委", ["嘉兴市南湖区融媒体中心", "嘉兴学院"]),
    ("330602", "绍兴市中评委", ["绍兴市越城区人力资源和社会保障局", "绍兴黄酒集团有限公司"]),
    ("330702", "金华市中评委", ["金华市婺城区城市管理局", "浙江师范大学附属中学"]),
    ("331002", "台州市中评委", ["台州市椒江区海门街道办事处", "台州市中心医院"]),
    ("330106", "省卫生健康委中评委", ["浙江省人民医院", "浙江省疾病预防控制中心"]),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万钱覃武戴孔汤庞樊兰殷施陆"
GIVEN_M = ["建国", "志强", "海涛", "立新", "俊杰", "文斌", "晓东", "永明", "国华", "振宇", "浩然", "明辉", "伟", "军", "磊"]
GIVEN_F = ["丽华", "晓燕", "秀英", "婷婷", "雅琴", "慧敏", "静", "芳", "玉兰", "佳怡", "欣悦", "素娟", "红梅", "雪", "琳"]
RARE_NAMES = [("吉𠮷", "男"), ("王䶮", "男"), ("龚𬌗", "女")]  # U+20BB7, U+4DAE (Ext. A), U+2C317 (Ext. E)
POSTS = ["办公室主任", "党委办公室副主任", "宣传科科长", "组织人事科科长", "党群工作部部长", "工会副主席", "团委书记", "思想政治工作处处长"]
SCHOOLS = [("浙江大学", "思想政治教育"), ("浙江师范大学", "汉语言文学"), ("杭州师范大学", "行政管理"), ("宁波大学", "新闻学"),
           ("浙江工商大学", "法学"), ("温州大学", "马克思主义理论"), ("浙江传媒学院", "广播电视编导")]
POLITICAL = ["中共党员", "中共党员", "中共党员", "民盟盟员", "群众"]
ETHNICITY = ["汉族"] * 9 + ["畲族", "回族"]


def check_character(digits17):
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(d) * w for d, w in zip(digits17, weights)) % 11]


def id_number(region, year, month, day, male, rng):
    seq = rng.randrange(0, 50) * 2 * 10 + rng.randrange(0, 10) * 2 + (1 if male else 0)
    digits = "%s%04d%02d%02d%03d" % (region, year, month, day, seq % 1000)
    return digits + check_character(digits)


def png(width, height, pixel):
    raw = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def portrait(x, y):
    """A one-inch ID photo: blue background, face, hair, dark jacket and white collar."""
    cx, cy = 50, 58
    if ((x - cx) / 24.0) ** 2 + ((y - cy) / 30.0) ** 2 <= 1.0:
        return (40, 32, 30) if y < 42 or ((x - cx) / 24.0) ** 2 + ((y - 40) / 16.0) ** 2 <= 1 and y < 46 else (236, 200, 176)
    if y >= 100 and abs(x - cx) <= 18 + (y - 100) * 1.6:
        return (245, 245, 245) if abs(x - cx) <= max(0, 8 - (y - 100) // 3) else (30, 36, 52)
    if 86 <= y < 100 and abs(x - cx) <= 9:
        return (230, 194, 170)
    return (67, 142, 219)


class People:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.used = set()

    def applicant(self, serial, rare=None):
        rng = self.rng
        region, committee, units = rng.choice(REGIONS)
        if rare:
            name, gender = rare
        else:
            while True:
                gender = rng.choice("男女")
                name = rng.choice(SURNAMES) + rng.choice(GIVEN_M if gender == "男" else GIVEN_F)
                if name not in self.used:
                    break
        self.used.add(name)
        year, month, day = rng.randrange(1968, 1987), rng.randrange(1, 13), rng.randrange(1, 29)
        school, major = rng.choice(SCHOOLS)
        master = rng.random() < 0.3
        grad_year = year + (25 if master else 22)
        since_year = rng.randrange(max(grad_year + 5, 2008), 2018)
        return {
            "id": "ZG2022-%06d" % serial,
            "name": name,
            "gender": gender,
            "id_number": id_number(region, year, month, day, gender == "男", rng),
            "birth": "%04d-%02d" % (year, month),
            "ethnicity": rng.choice(ETHNICITY),
            "political_status": rng.choice(POLITICAL),
            "phone": rng.choice(["138", "139", "135", "159", "186"]) + "%08d" % rng.randrange(10 ** 8),
            "unit": rng.choice(units),
            "post": rng.choice(POSTS),
            "committee": committee,
            "education": {"level": "硕士研究生" if master else "大学本科", "degree": "硕士" if master else "学士",
                          "school": school, "major": major, "graduated": "%04d-07" % grad_year},
            "work_start": "%04d-08" % grad_year,
            "current_title": {"name": "政工师", "since": "%04d-12" % since_year},
            "applying_for": "高级政工师",
        }


def result(applicant, rng):
    mid = round(rng.uniform(68, 96), 1)
    exam = rng.randrange(48, 97)
    r = {"applicant_id": applicant["id"],
         "mid_review": {"passed": True, "score": mid, "date": "2022-09-10"},
         "exam": {"score": exam}}
    if exam >= BATCH["exam_pass_line"]:
        against = rng.randrange(0, 5)
        abstain = rng.randrange(0, 2)
        passed = 17 - against - abstain >= 12
        r["senior_review"] = {"passed": passed, "score": round(rng.uniform(72, 95), 1), "date": "2022-11-20",
                              "votes": {"for": 17 - against - abstain, "against": against, "abstain": abstain}}
        if passed:
            r["qualified_from"] = "2022-12-30"
    return r


def roster_applicants(seed, count):
    people = People(seed)
    out = []
    for i in range(count):
        rare = RARE_NAMES[i // 10] if i % 10 == 3 and i // 10 < len(RARE_NAMES) else None
        out.append(people.applicant(i + 1, rare))
    return out


def review_form_applicant():
    people = People(7)
    a = people.applicant(123, ("吉𠮷", "男"))
    a.update({
        "id": "ZG2022-000123",
        "id_number": id_number("330102", 1979, 3, 14, True, random.Random(1)),
        "birth": "1979-03",
        "ethnicity": "汉族",
        "political_status": "中共党员",
        "unit": "杭州市上城区文化和广电旅游体育局",
        "post": "党委办公室主任",
        "committee": "杭州市中评委",
        "education": {"level": "硕士研究生", "degree": "硕士", "school": "浙江大学", "major": "思想政治教育",
                      "graduated": "2004-06"},
        "work_start": "2004-07",
        "current_title": {"name": "政工师", "since": "2012-12"},
        "photo": {"media_type": "image/png", "data": base64.b64encode(png(100, 140, portrait)).decode("ascii")},
        "history": [
            {"from": "1997-09", "to": "2001-07", "unit": "杭州师范大学政治经济学院", "post": "学生"},
            {"from": "2001-09", "to": "2004-06", "unit": "浙江大学马克思主义学院", "post": "硕士研究生"},
            {"from": "2004-07", "to": "2008-12", "unit": "杭州市上城区委宣传部", "post": "科员"},
            {"from": "2009-01", "to": "2013-06", "unit": "杭州市上城区委宣传部", "post": "理论科副科长"},
            {"from": "2013-07", "to": "2017-03", "unit": "杭州市上城区文化广电新闻出版局", "post": "办公室主任"},
            {"from": "2017-04", "to": "2019-12", "unit": "杭州市上城区文化和广电旅游体育局", "post": "党委办公室副主任"},
            {"from": "2020-01", "unit": "杭州市上城区文化和广电旅游体育局", "post": "党委办公室主任"},
        ],
        "achievements": [
            {"period": "2018-2020", "title": "“文化润城”基层宣讲品牌建设", "role": "主持",
             "description": "牵头策划并组织实施“文化润城”基层理论宣讲品牌，组建由机关干部、社区书记、道德模范和青年志愿者"
                            "组成的宣讲团42支，三年累计开展“板凳课堂”“院落夜谈”等宣讲活动1260余场，覆盖群众8.6万人次。\n"
                            "建立“点单—派单—评单”闭环机制，宣讲需求响应时间由平均7天缩短为3天；相关做法被市委宣传部"
                            "作为基层理论宣讲创新案例在全市推广，并入选2020年度浙江省基层理论宣讲优秀案例。"},
            {"period": "2019-2021", "title": "新时代文明实践所（站）思想政治工作规范化建设", "role": "主持",
             "description": "针对文明实践站点活动同质化、群众参与度不高的问题，调研走访全区14个街道、98个社区，形成"
                            "《关于提升新时代文明实践站点思想政治工作实效的调研报告》，提出“一站一品”“双向积分”等"
                            "8项举措，被区委采纳并写入区委全会报告。\n推动制定站点工作规范和考评办法，站点活动群众满意度"
                            "由81.3%提升到94.6%。"},
            {"period": "2020", "title": "抗击新冠肺炎疫情一线思想政治工作", "role": "具体负责",
             "description": "疫情防控期间负责全局干部职工和下沉社区人员的思想政治工作，建立每日谈心谈话和困难帮扶台账，"
                            "组织开展心理疏导和先进事迹宣传，编发《战“疫”一线简报》36期，挖掘宣传先进典型23人。"},
            {"period": "2021-2022", "title": "党史学习教育“红色文化进万家”系列活动", "role": "主要参与",
             "description": "参与策划党史学习教育系列活动，负责红色文化资源梳理和讲解员培训，培训基层讲解员120名，"
                            "打造红色研学线路5条，接待参观群众3.2万人次。"},
        ],
        "publications": [
            {"title": "基层理论宣讲“最后一公里”的实践路径探析", "venue": "《政工学刊》", "date": "2019-05", "role": "独著"},
            {"title": "新时代文明实践中的思想政治工作创新", "venue": "《浙江日报》理论版", "date": "2020-03", "role": "独著"},
            {"title": "以“数字赋能”提升基层思想政治工作实效", "venue": "《思想政治工作研究》", "date": "2021-08",
             "role": "第一作者"},
            {"title": "重大突发事件中的干部职工思想动态与疏导", "venue": "《政工研究文摘》", "date": "2020-11",
             "role": "第二作者"},
            {"title": "城市社区红色文化资源的整合与利用", "venue": "《杭州》(周刊)", "date": "2022-04", "role": "独著"},
        ],
        "awards": [
            {"name": "浙江省基层理论宣讲优秀案例", "level": "省级", "date": "2020-12"},
            {"name": "杭州市优秀思想政治工作者", "level": "市级", "date": "2019-06"},
            {"name": "杭州市抗击新冠肺炎疫情先进个人", "level": "市级", "date": "2020-09"},
            {"name": "上城区优秀共产党员", "level": "区级", "date": "2021-06"},
            {"name": "浙江省思想政治工作优秀研究成果三等奖", "level": "省级", "date": "2021-12"},
        ],
        "appraisals": [{"year": y, "result": r} for y, r in
                       [(2017, "称职"), (2018, "优秀"), (2019, "称职"), (2020, "优秀"), (2021, "优秀")]],
        "opinions": {
            "unit": {"text": "该同志政治立场坚定，长期从事宣传思想和思想政治工作，业绩突出，理论功底扎实，"
                             "群众认可度高。经单位研究，同意推荐其申报高级政工师专业职务任职资格。",
                     "date": "2022-08-01"},
            "committee": {"text": "经杭州市中评委评审，该同志符合高级政工师申报条件，同意推荐上报。",
                          "date": "2022-09-10", "votes": {"for": 11, "against": 0, "abstain": 1}},
        },
    })
    return a


def write(repo, name, body):
    path = os.path.join(repo, "samples", name)
    text = json.dumps(body, ensure_ascii=False, indent=2) + "\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    print("%s: %d bytes" % (path, len(text.encode("utf-8"))))


def main():
    repo = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    os.makedirs(os.path.join(repo, "samples"), exist_ok=True)

    write(repo, "review-form.json", {"batch": BATCH, "applicant": review_form_applicant()})

    roster = roster_applicants(2022, 30)
    write(repo, "roster-summary.json", {"batch": BATCH, "applicants": roster})
    qualification = json.loads(json.dumps(roster))
    for a in qualification:
        a["opinions"] = {"unit": {"text": "经审核，该同志符合申报条件，同意推荐。", "date": "2022-08-05"}}
    write(repo, "roster-qualification.json", {"batch": BATCH, "applicants": qualification})
    rng = random.Random(30)
    write(repo, "roster-results.json",
          {"batch": BATCH, "applicants": roster, "results": [result(a, rng) for a in roster]})

    hangzhou = [a for a in roster_applicants(330100, 60) if a["committee"] == "杭州市中评委"][:12]
    report_people = [{k: a[k] for k in ("id", "name", "gender", "unit", "post", "current_title", "applying_for")}
                     for a in hangzhou]
    write(repo, "report.json", {
        "batch": BATCH,
        "committee": {"id": "hz-zpw", "name": "杭州市思想政治工作人员专业职务中级评审委员会", "signer": "陈建华"},
        "report": {"doc_no": "杭政职评〔2022〕5号", "issued": "2022-09-13", "addressee": "省政工职评办"},
        "applicants": report_people,
    })

    people = People(50)
    items = []
    for i in range(50):
        rare = RARE_NAMES[1] if i == 17 else None
        a = people.applicant(1001 + i, rare)
        applicant = {k: a[k] for k in ("id", "name", "gender", "unit", "current_title", "applying_for")}
        against = i % 3
        items.append({
            "applicant": applicant,
            "result": {"applicant_id": a["id"],
                       "mid_review": {"passed": True, "score": 80 + (i * 7) % 15, "date": "2022-09-10"},
                       "exam": {"score": 62 + (i * 11) % 35},
                       "senior_review": {"passed": True, "score": 75 + (i * 13) % 20, "date": "2022-11-20",
                                         "votes": {"for": 17 - against, "against": against, "abstain": 0}},
                       "qualified_from": "2022-12-30"},
            "letter_no": "浙政职评通〔2022〕%03d号" % (i + 1),
        })
    write(repo, "bulk-letters.json", {"batch": BATCH, "letter": {"issued": "2022-12-30"}, "items": items})


if __name__ == "__main__":
    main()
