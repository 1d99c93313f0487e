#include "model/sample.h"

#include <cstdio>
#include <vector>

#include "common/error.h"
#include "image/png_encoder.h"
#include "model/id_number.h"
#include "model/photo.h"

namespace zhiping::model {

namespace {

struct Person {
  const char* name;
  bool male;
  int y, m, d;
  const char* unit;
  const char* post;
  const char* committee;
  const char* ethnicity;
};

const Person kPeople[] = {
    {"张伟明", true, 1979, 3, 14, "杭州市上城区文化和广电旅游体育局", "党委办公室主任", "杭州市中评委", "汉族"},
    {"李秀英", false, 1983, 7, 22, "宁波市鄞州区教育局", "宣传科科长", "宁波市中评委", "汉族"},
    {"王建国", true, 1976, 11, 5, "温州市鹿城区人民医院", "党办主任", "温州市中评委", "畲族"},
};
constexpr int kSampleApplicants = 3;

Date Day(int y, int m, int d) { return Date{y, m, d}; }
Date Month(int y, int m) { return Date{y, m, 0}; }

// A one-inch photo placeholder: a grey silhouette on light blue, as PNG (valid for the photo rules).
const std::string& PhotoBase64() {
  static const std::string b64 = [] {
    const int w = 90, h = 126;
    std::vector<unsigned char> rgb(static_cast<size_t>(w) * h * 3);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        double hx = (x - 45) / 20.0, hy = (y - 48) / 25.0;   // head
        double bx = (x - 45) / 42.0, by = (y - 130) / 50.0;  // shoulders
        bool person = hx * hx + hy * hy <= 1 || bx * bx + by * by <= 1;
        unsigned char* p = &rgb[(static_cast<size_t>(y) * w + x) * 3];
        p[0] = person ? 120 : 200;
        p[1] = person ? 124 : 222;
        p[2] = person ? 132 : 245;
      }
    return EncodeBase64(image::EncodePngRgb(rgb.data(), w, h));
  }();
  return b64;
}

Batch SampleBatch() {
  Batch b;
  b.id = "zj-zgs-2022";
  b.year = 2022;
  b.title = "高级政工师";
  Office& o = b.office.emplace();
  o.name = "浙江省思想政治工作人员专业职务评定工作办公室";
  o.short_name = "省政工职评办";
  o.phone = "0571-87052402";
  o.email = "zgzpb@163.com";
  o.address = "杭州市省府路8号";
  b.notice_ref = "浙政职办〔2022〕1号";
  b.standard_ref = "《浙江省高级政工师评价标准(试行)》（浙宣〔2020〕26号）";
  b.senior_committee = "浙江省高级政工师专业职务评审委员会";
  b.deadline = Day(2022, 9, 15);
  b.exam_pass_line = 60;
  return b;
}

std::string ApplicantId(int i) { return "ZG2022-000" + std::to_string(121 + i); }

Votes SampleVotes(int f, int a, int ab) {
  Votes v;
  v.for_ = f;
  v.against = a;
  v.abstain = ab;
  return v;
}

Opinion SampleOpinion(const char* text, Date date, std::optional<Votes> votes) {
  Opinion o;
  o.text = text;
  o.date = date;
  o.votes = votes;
  return o;
}

Applicant SampleApplicant(int i) {
  const Person& p = kPeople[i % kSampleApplicants];
  Applicant a;
  a.id = ApplicantId(i);
  a.name = p.name;
  a.gender = p.male ? "男" : "女";
  a.birth = Month(p.y, p.m);
  a.id_number = MakeIdNumber(p.y, p.m, p.d, p.male, 11 + 2 * i);
  a.ethnicity = p.ethnicity;
  a.political_status = "中共党员";
  a.phone = "1380571" + std::to_string(1000 + 37 * i);
  a.unit = p.unit;
  a.post = p.post;
  a.committee = p.committee;
  a.applying_for = "高级政工师";
  const int grad = p.y + 22;
  Education& e = a.education.emplace();
  e.level = "大学本科";
  e.degree = "学士";
  e.school = "浙江大学";
  e.major = "思想政治教育";
  e.graduated = Month(grad, 6);
  a.work_start = Month(grad, 7);
  CurrentTitle& t = a.current_title.emplace();
  t.name = "政工师";
  t.since = Month(2012 + i, 12);
  ApplicantExam& x = a.exam.emplace();
  x.score = 86 - 3 * i;
  x.date = Day(2022, 10, 15);
  x.passed = true;
  a.photo = Photo{"image/png", PhotoBase64()};
  a.history = {
      HistoryEntry{Month(grad - 4, 9), Month(grad, 6), "浙江大学马克思主义学院", std::string("学生")},
      HistoryEntry{Month(grad, 7), Month(2016, 3), "杭州市上城区委宣传部", std::string("科员")},
      HistoryEntry{Month(2016, 4), std::nullopt, p.unit, std::string(p.post)},
  };
  a.achievements = {
      Achievement{std::string("2018-2020"), "基层单位思想政治工作创新实践", std::string("主持"),
                  std::string("牵头制定本单位思想政治工作三年规划，建立谈心谈话制度，相关经验在全市推广。")},
      Achievement{std::string("2020-2021"), "新时代文明实践志愿服务项目", std::string("主要参与"),
                  std::string("组织志愿服务活动四十余场，服务群众三千余人次。")},
  };
  a.publications = {Publication{"新时代基层思想政治工作的路径探析", std::string("《思想政治工作研究》"),
                                Month(2019, 5), std::string("独著")}};
  a.awards = {Award{"全省优秀思想政治工作者", std::string("省级"), Month(2020, 12)}};
  for (int y = 2019; y <= 2021; ++y) a.appraisals.push_back(Appraisal{y, y == 2021 ? "优秀" : "称职"});
  Opinions& o = a.opinions.emplace();
  o.unit = SampleOpinion("该同志政治立场坚定，工作业绩突出，同意推荐申报高级政工师。", Day(2022, 8, 1), std::nullopt);
  o.committee = SampleOpinion("经评审，同意推荐。", Day(2022, 8, 20), SampleVotes(11, 0, 1));
  o.senior = SampleOpinion("经评审，具备高级政工师任职资格。", Day(2022, 11, 20), SampleVotes(15, 2, 0));
  o.authority = SampleOpinion("同意认定。", Day(2022, 12, 30), std::nullopt);
  return a;
}

// Every sample applicant passed: a result of each kind of column is filled (the preview marks nothing missing).
Result SampleResult(int i) {
  Result r;
  r.applicant_id = ApplicantId(i);
  MidReview& m = r.mid_review.emplace();
  m.passed = true;
  m.score = 85.5 - i;
  m.date = Day(2022, 9, 10);
  ResultExam& x = r.exam.emplace();
  x.score = 86 - 3 * i;
  x.passed = true;
  SeniorReview& s = r.senior_review.emplace();
  s.passed = true;
  s.score = 88.5 - i;
  s.date = Day(2022, 11, 20);
  s.votes = SampleVotes(15, 2, 0);
  r.qualified_from = Day(2022, 12, 30);
  return r;
}

std::vector<Applicant> SampleApplicants() {
  std::vector<Applicant> out;
  for (int i = 0; i < kSampleApplicants; ++i) out.push_back(SampleApplicant(i));
  return out;
}

}  // namespace

std::string MakeIdNumber(int year, int month, int day, bool male, int seq) {
  char body[32];
  int s = seq % 1000;
  if ((s % 2 == 1) != male) s = (s + 1) % 1000;  // the 17th digit is odd for men, even for women
  std::snprintf(body, sizeof body, "330102%04d%02d%02d%03d", year, month, day, s);
  return std::string(body) + IdNumberCheckCharacter(body);
}

Request SampleRequest(const std::string& template_name) {
  if (template_name == "notice") {
    NoticeRequest r;
    r.batch = SampleBatch();
    r.notice.doc_no = "浙政职办〔2022〕12号";
    r.notice.title = "关于2022年度高级政工师评审结果的公示";
    r.notice.issued = Day(2022, 11, 30);
    r.notice.period = NoticePeriod{Day(2022, 12, 1), Day(2022, 12, 9)};
    r.applicants = SampleApplicants();
    return r;
  }
  if (template_name == "report") {
    ReportRequest r;
    r.batch = SampleBatch();
    r.committee = Committee{"hz", "杭州市思想政治工作人员中级专业职务评审委员会", "陈志远"};
    r.report.doc_no = "杭政职评〔2022〕3号";
    r.report.issued = Day(2022, 9, 1);
    r.report.addressee = "省政工职评办";
    r.applicants = SampleApplicants();
    return r;
  }
  if (template_name == "letter") {
    LetterRequest r;
    r.batch = SampleBatch();
    r.applicant = SampleApplicant(0);
    r.result = SampleResult(0);
    r.letter.no = "浙政职评通〔2022〕0001号";
    r.letter.issued = Day(2022, 12, 30);
    return r;
  }
  if (template_name == "review-form") {
    ReviewFormRequest r;
    r.batch = SampleBatch();
    r.applicant = SampleApplicant(0);
    r.filled = Day(2022, 7, 20);
    return r;
  }
  if (template_name == "result-notice") {
    ResultNoticeRequest r;
    r.batch = SampleBatch();
    r.result_notice.doc_no = "浙宣〔2023〕3号";
    r.result_notice.title = "关于公布2022年度高级政工师任职资格评审结果的通知";
    r.result_notice.addressee = "各市委宣传部、人力社保局，省直各单位，中央部属在浙有关单位";
    r.result_notice.cc = "省政工职评办，各市政工职评办";
    r.result_notice.printer = "中共浙江省委宣传部办公室";
    r.result_notice.printed = Day(2023, 1, 10);
    r.organs = {Organ{"中共浙江省委宣传部", std::string("省委宣传部"), Day(2023, 1, 9)},
                Organ{"浙江省人力资源和社会保障厅", std::string("省人力社保厅"), Day(2023, 1, 9)}};
    r.applicants = SampleApplicants();
    for (int i = 0; i < kSampleApplicants; ++i) r.results.push_back(SampleResult(i));
    return r;
  }
  if (template_name == "roster-summary" || template_name == "roster-qualification" ||
      template_name == "roster-results") {
    RosterRequest r;
    r.kind = template_name;
    r.batch = SampleBatch();
    r.applicants = SampleApplicants();
    if (template_name != "roster-summary")
      for (int i = 0; i < kSampleApplicants; ++i) r.results.push_back(SampleResult(i));
    return r;
  }
  throw Error(ErrorKind::kNotFound, "unknown template '" + template_name + "'");
}

}  // namespace zhiping::model
