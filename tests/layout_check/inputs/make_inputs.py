#!/usr/bin/env python3
"""Writes the layout checker's hard inputs (issue 11) from the repository's samples: run from anywhere,
`python3 tests/layout_check/inputs/make_inputs.py`; the JSON files beside it are its output, committed.
Each is valid for the model (documents_test.cpp renders them; a render error fails the test)."""
import copy, json, os

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = os.path.join(HERE, '..', '..', '..', 'samples')

def sample(name):
    with open(os.path.join(SAMPLES, name + '.json'), encoding='utf-8') as f:
        return json.load(f)

def id_number(region, birth, seq, male):
    """A GB 11643 citizen number with a correct check digit; birth 'YYYY-MM' (day 01..28 from seq)."""
    day = 1 + seq % 28
    order = (seq * 2 + (1 if male else 0)) % 1000
    body = '%s%s%s%02d%03d' % (region, birth[:4], birth[5:7], day, order)
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = '10X98765432'[sum(int(c) * w for c, w in zip(body, weights)) % 11]
    return body + check

# Names the repository's fonts draw (rare ones from the samples and CJK Ext. A/B): four-character, compound
# surnames, one-character given names.
NAMES = ['欧阳㐨䶮', '吉𠮷', '司马相如', '诸葛明亮', '王䶮', '上官婉儿', '端木蕻良', '李一', '买买提艾力', '皇甫嵩']
LONG_OFFICE = '浙江省思想政治工作人员专业职务评定工作领导小组办公室暨省直机关政工职称评审服务中心'       # 40
LONG_COMMITTEE = '杭州市思想政治工作人员专业职务中级评审委员会（杭州市直属机关及事业单位政工人员评审分会）'  # 44
LONGEST_NAME = '浙江省思想政治工作人员专业职务评定工作办公室暨省直属机关、企事业单位思想政治工作人员职称评审服务中心'  # 51
LONG_UNIT = '浙江省交通投资集团有限公司所属浙江沪杭甬高速公路股份有限公司杭州管理处党群工作部'
URL_TEXT = ('详情见https://www.zjzgzp.gov.cn/tzgg/2022/12/t20221201_123456.html，或发送电子邮件至'
            'zhiping.service-desk@zjzgzp.gov.cn查询——逾期不再受理……')

def applicants(base, n):
    out = []
    for i in range(n):
        a = copy.deepcopy(base[i % len(base)])
        a['id'] = 'ZG2022-%06d' % (900001 + i)
        a['name'] = NAMES[i % len(NAMES)] if i % 3 == 0 else a['name']
        male = a.get('gender') == '男'
        if 'id_number' in a:
            a['id_number'] = id_number(a['id_number'][:6], a['birth'], i, male)
        if i % 7 == 0:
            a['unit'] = LONG_UNIT
        out.append(a)
    return out

def write(name, body):
    with open(os.path.join(HERE, name), 'w', encoding='utf-8') as f:
        json.dump(body, f, ensure_ascii=False, indent=1)
        f.write('\n')

notice = sample('notice')
big = copy.deepcopy(notice)
big['batch']['office']['name'] = LONG_OFFICE
big['batch']['office']['email'] = 'zhiping.service-desk@zjzgzp.gov.cn'
big['batch']['office']['address'] = '杭州市省府路8号省行政中心3号楼(东楼)1201室'
big['applicants'] = applicants(notice['applicants'], 300)
write('notice-300.json', big)

one = copy.deepcopy(notice)
one['batch']['office']['name'] = LONGEST_NAME
one['applicants'] = applicants(notice['applicants'], 1)
one['applicants'][0]['name'] = '欧阳㐨䶮'
write('notice-one.json', one)

letter = sample('letter')
lt = copy.deepcopy(letter)
lt['batch']['office']['name'] = LONG_OFFICE
lt['applicant']['name'] = '欧阳㐨䶮'
lt['applicant']['unit'] = LONG_UNIT
lt['batch']['office']['email'] = 'zhiping.service-desk@zjzgzp.gov.cn'
write('letter-long.json', lt)

report = sample('report')
rp = copy.deepcopy(report)
rp['committee']['name'] = LONG_COMMITTEE
rp['applicants'] = applicants(report['applicants'], 40)
write('report-long.json', rp)

form = sample('review-form')
rf = copy.deepcopy(form)
rf['applicant']['name'] = '欧阳㐨䶮'
rf['applicant']['unit'] = LONG_UNIT
rf['applicant']['achievements'][0]['description'] += '\n' + URL_TEXT + '（参见Zhejiang (2022) 年报第3章）'
rf['applicant']['opinions']['unit']['text'] += '\n' + URL_TEXT
rf['applicant']['achievements'][1]['title'] = '“思政+安全”校企共建项目（2.0版）——基于https://szaq.zj.cn平台'
rf['applicant']['publications'][1]['title'] = '新时代国有企业思想政治工作“思政+”模式研究——以浙江省交通投资集团有限公司为例'
rf['applicant']['publications'][1]['venue'] = '《浙江省社会科学界联合会年会论文集（2021）》'
rf['applicant']['awards'][1]['name'] = '浙江省宣传思想文化系统“五个一工程”暨优秀思想政治工作研究成果一等奖'
write('review-form-long.json', rf)

# The joint result notice (issue 15): 300 qualified applicants over six committees, interleaved in the body (the
# list groups them), rare names and long units; every one passed, so every one is published.
rn = copy.deepcopy(sample('result-notice'))
COMMITTEES = ['杭州市中评委', '宁波市中评委', '温州市中评委', '湖州市中评委', '嘉兴市中评委', '省直单位中评委']
rn_people = applicants(rn['applicants'][:1], 300)
rn['results'] = []
for i, a in enumerate(rn_people):
    a['committee'] = COMMITTEES[0 if i % 3 == 0 else i % 6]
    if i % 11 == 0:
        a['unit'] = LONG_UNIT
    rn['results'].append({'applicant_id': a['id'], 'exam': {'score': 60 + i % 40, 'passed': True},
                          'senior_review': {'passed': True, 'date': '2022-11-20'}, 'qualified_from': '2022-12-30'})
rn['applicants'] = rn_people
write('result-notice-300.json', rn)
