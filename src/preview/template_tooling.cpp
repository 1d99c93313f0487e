#include "preview/template_tooling.h"

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Array.h>

#include <algorithm>
#include <ctime>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "common/clock.h"
#include "common/error.h"
#include "common/json.h"
#include "model/validate.h"
#include "preview/raster.h"
#include "render/renderer.h"
#include "templating/template.h"
#include "xlsx/roster_template.h"

namespace zhiping::preview {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Normalising raw paths.

struct Normalised {
  std::vector<FieldSegment> segs;
  bool date = false;
  bool cn = false;
};

// Derived view names folded into their sources (templating/view.h): X_cn -> X (a date), X_count / X_first -> the
// list X[], _index dropped.
Normalised Normalise(const std::string& raw) {
  Normalised n;
  std::vector<std::string> parts = Split(raw, '.');
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string p = parts[i];
    bool list = false;
    if (EndsWith(p, "[]")) {
      list = true;
      p = p.substr(0, p.size() - 2);
    }
    if (p.empty()) continue;
    if (p == "_index") break;
    const bool last = i + 1 == parts.size();
    if (last && EndsWith(p, "_count") && p.size() > 6) {
      n.segs.push_back({p.substr(0, p.size() - 6), true});
      break;
    }
    if (EndsWith(p, "_first") && p.size() > 6) {
      n.segs.push_back({p.substr(0, p.size() - 6), true});
      continue;
    }
    if (last && EndsWith(p, "_cn") && p.size() > 3) {
      n.segs.push_back({p.substr(0, p.size() - 3), false});
      n.date = n.cn = true;
      break;
    }
    n.segs.push_back({p, list});
  }
  return n;
}

std::string JoinPath(const std::vector<FieldSegment>& segs, size_t count) {
  std::string out;
  for (size_t i = 0; i < count && i < segs.size(); ++i) {
    if (i) out += '.';
    out += segs[i].name;
    if (segs[i].list) out += "[]";
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Values by field name.

Object::Ptr Obj() { return new Object; }

Object::Ptr O(std::initializer_list<std::pair<const char*, Var>> members) {
  Object::Ptr o = new Object;
  for (const auto& [k, v] : members) o->set(k, v);
  return o;
}

Array::Ptr List(std::initializer_list<Object::Ptr> items) {
  Array::Ptr a = new Array;
  for (const auto& i : items) a->add(i);
  return a;
}

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

std::string Two(int v) {
  char b[8];
  std::snprintf(b, sizeof b, "%02d", v);
  return b;
}

std::string Month(int y, int m) { return std::to_string(y) + "-" + Two(m); }

// A one-inch photo placeholder: a grey silhouette on light blue, as PNG (valid for the photo rules).
std::string PhotoBase64() {
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
    std::string png = EncodePngRgb(rgb.data(), w, h);
    std::ostringstream out;
    Poco::Base64Encoder enc(out);
    enc.rdbuf()->setLineLength(0);
    enc << png;
    enc.close();
    return out.str();
  }();
  return b64;
}

Object::Ptr MakeBatch() {
  Object::Ptr office = Obj();
  office->set("name", "浙江省思想政治工作人员专业职务评定工作办公室");
  office->set("short_name", "省政工职评办");
  office->set("phone", "0571-87052402");
  office->set("email", "zgzpb@163.com");
  office->set("address", "杭州市省府路8号");
  Object::Ptr b = Obj();
  b->set("id", "zj-zgs-2022");
  b->set("year", 2022);
  b->set("title", "高级政工师");
  b->set("office", office);
  b->set("notice_ref", "浙政职办〔2022〕1号");
  b->set("standard_ref", "《浙江省高级政工师评价标准(试行)》（浙宣〔2020〕26号）");
  b->set("senior_committee", "浙江省高级政工师专业职务评审委员会");
  b->set("deadline", "2022-09-15");
  b->set("exam_pass_line", 60);
  return b;
}

std::string ApplicantId(int i) { return "ZG2022-" + std::string("000") + std::to_string(121 + i); }

Object::Ptr Votes(int f, int a, int ab) {
  Object::Ptr v = Obj();
  v->set("for", f);
  v->set("against", a);
  v->set("abstain", ab);
  return v;
}

Object::Ptr MakeApplicant(int i) {
  const Person& p = kPeople[i % 3];
  Object::Ptr a = Obj();
  a->set("id", ApplicantId(i));
  a->set("name", p.name);
  a->set("gender", p.male ? "男" : "女");
  a->set("id_number", MakeIdNumber(p.y, p.m, p.d, p.male, 11 + 2 * i));
  a->set("birth", Month(p.y, p.m));
  a->set("ethnicity", p.ethnicity);
  a->set("political_status", "中共党员");
  a->set("phone", "1380571" + std::to_string(1000 + 37 * i));
  a->set("unit", p.unit);
  a->set("post", p.post);
  a->set("committee", p.committee);
  const int grad = p.y + 22;
  Object::Ptr edu = Obj();
  edu->set("level", "大学本科");
  edu->set("degree", "学士");
  edu->set("school", "浙江大学");
  edu->set("major", "思想政治教育");
  edu->set("graduated", Month(grad, 6));
  a->set("education", edu);
  a->set("work_start", Month(grad, 7));
  Object::Ptr title = Obj();
  title->set("name", "政工师");
  title->set("since", Month(2012 + i, 12));
  a->set("current_title", title);
  a->set("applying_for", "高级政工师");
  Object::Ptr photo = Obj();
  photo->set("media_type", "image/png");
  photo->set("data", PhotoBase64());
  a->set("photo", photo);

  a->set(
      "history",
      List({O({{"from", Month(grad - 4, 9)},
               {"to", Month(grad, 6)},
               {"unit", "浙江大学马克思主义学院"},
               {"post", "学生"}}),
            O({{"from", Month(grad, 7)}, {"to", Month(2016, 3)}, {"unit", "杭州市上城区委宣传部"}, {"post", "科员"}}),
            O({{"from", Month(2016, 4)}, {"unit", p.unit}, {"post", p.post}})}));
  a->set("achievements",
         List({O({{"period", "2018-2020"},
                  {"title", "基层单位思想政治工作创新实践"},
                  {"role", "主持"},
                  {"description", "牵头制定本单位思想政治工作三年规划，建立谈心谈话制度，相关经验在全市推广。"}}),
               O({{"period", "2020-2021"},
                  {"title", "新时代文明实践志愿服务项目"},
                  {"role", "主要参与"},
                  {"description", "组织志愿服务活动四十余场，服务群众三千余人次。"}})}));
  a->set("publications", List({O({{"title", "新时代基层思想政治工作的路径探析"},
                                  {"venue", "《思想政治工作研究》"},
                                  {"date", "2019-05"},
                                  {"role", "独著"}})}));
  a->set("awards", List({O({{"name", "全省优秀思想政治工作者"}, {"level", "省级"}, {"date", "2020-12"}})}));

  Array::Ptr appr = new Array;
  for (int y = 2019; y <= 2021; ++y) {
    Object::Ptr r = Obj();
    r->set("year", y);
    r->set("result", y == 2021 ? "优秀" : "称职");
    appr->add(r);
  }
  a->set("appraisals", appr);

  Object::Ptr opinions = Obj();
  Object::Ptr unit = Obj();
  unit->set("text", "该同志政治立场坚定，工作业绩突出，同意推荐申报高级政工师。");
  unit->set("date", "2022-08-01");
  opinions->set("unit", unit);
  Object::Ptr com = Obj();
  com->set("text", "经评审，同意推荐。");
  com->set("date", "2022-08-20");
  com->set("votes", Votes(11, 0, 1));
  opinions->set("committee", com);
  a->set("opinions", opinions);
  return a;
}

Object::Ptr MakeResult(int i, bool passed) {
  Object::Ptr r = Obj();
  r->set("applicant_id", ApplicantId(i));
  Object::Ptr mid = Obj();
  mid->set("passed", true);
  mid->set("score", 85.5 - i);
  mid->set("date", "2022-09-10");
  r->set("mid_review", mid);
  Object::Ptr exam = Obj();
  exam->set("score", 86 - 3 * i);
  exam->set("passed", true);
  r->set("exam", exam);
  Object::Ptr senior = Obj();
  senior->set("passed", passed);
  senior->set("score", passed ? 88.5 - i : 58.0);
  senior->set("date", "2022-11-20");
  senior->set("votes", passed ? Votes(15, 2, 0) : Votes(5, 11, 1));
  r->set("senior_review", senior);
  if (passed) r->set("qualified_from", "2022-12-30");
  return r;
}

Array::Ptr Applicants() {
  Array::Ptr a = new Array;
  for (int i = 0; i < 3; ++i) a->add(MakeApplicant(i));
  return a;
}

Array::Ptr Results() {
  Array::Ptr a = new Array;
  for (int i = 0; i < 3; ++i) a->add(MakeResult(i, i != 2));
  return a;
}

// The documented body of each contract template (docs: contract.md, "Request bodies").
Object::Ptr BaseBody(const std::string& name) {
  Object::Ptr b = Obj();
  b->set("batch", MakeBatch());
  if (name == "notice") {
    Object::Ptr n = Obj();
    n->set("doc_no", "浙政职办〔2022〕12号");
    n->set("issued", "2022-11-30");
    Object::Ptr period = Obj();
    period->set("start", "2022-12-01");
    period->set("end", "2022-12-09");
    n->set("period", period);
    b->set("notice", n);
    b->set("applicants", Applicants());
  } else if (name == "report") {
    Object::Ptr c = Obj();
    c->set("id", "hz");
    c->set("name", "杭州市思想政治工作人员中级专业职务评审委员会");
    c->set("signer", "陈志远");
    b->set("committee", c);
    Object::Ptr r = Obj();
    r->set("doc_no", "杭政职评〔2022〕3号");
    r->set("issued", "2022-09-01");
    r->set("addressee", "省政工职评办");
    b->set("report", r);
    b->set("applicants", Applicants());
  } else if (name == "letter") {
    b->set("applicant", MakeApplicant(0));
    b->set("result", MakeResult(0, true));
    Object::Ptr l = Obj();
    l->set("no", "浙政职评通〔2022〕0001号");
    l->set("issued", "2022-12-30");
    b->set("letter", l);
  } else if (name == "review-form") {
    b->set("applicant", MakeApplicant(0));
  } else if (name == "roster-summary" || name == "roster-qualification" || name == "roster-results") {
    b->set("applicants", Applicants());
    if (name != "roster-summary") b->set("results", Results());
  } else if (name == "bulk-letters") {
    Object::Ptr l = Obj();
    l->set("issued", "2022-12-30");
    b->set("letter", l);
    Array::Ptr items = new Array;
    for (int i = 0; i < 3; ++i) {
      Object::Ptr it = Obj();
      it->set("applicant", MakeApplicant(i));
      it->set("result", MakeResult(i, i != 2));
      it->set("letter_no", "浙政职评通〔2022〕000" + std::to_string(i + 1) + "号");
      items->add(it);
    }
    b->set("items", items);
  }
  return b;
}

const std::set<std::string>& MonthNames() {
  static const std::set<std::string> s = {"birth", "work_start", "since", "graduated", "from", "to"};
  return s;
}

bool LooksLikeDate(const std::string& n) {
  static const std::set<std::string> s = {"date",   "issued", "deadline",       "start",      "end",
                                          "filled", "signed", "qualified_from", "valid_until"};
  return s.count(n) || MonthNames().count(n) || EndsWith(n, "_date") || EndsWith(n, "_at") || EndsWith(n, "_on");
}

// A plausible value for a field the documented bodies do not have, by its name (and its parent's).
Var ValueFor(const std::string& name, const std::string& parent, bool date, int index) {
  if (date || LooksLikeDate(name))
    return MonthNames().count(name) ? Var(std::string("2021-06")) : Var(std::string("2022-12-30"));
  if (name == "score" || EndsWith(name, "_score")) return Var(86.5);
  if (name == "passed" || name.rfind("is_", 0) == 0 || name.rfind("has_", 0) == 0) return Var(true);
  if (name == "year") return Var(2022);
  if (name == "for") return Var(15);
  if (name == "against") return Var(1);
  if (name == "abstain") return Var(0);
  if (name == "votes") return Var(Votes(15, 1, 0));
  if (name == "count" || name == "total" || EndsWith(name, "_count")) return Var(3);
  if (name == "id_number") return Var(MakeIdNumber(1980, 1, 1, true));
  if (name == "gender" || name == "sex") return Var(std::string("男"));
  if (name == "phone" || name == "tel" || name == "mobile") return Var(std::string("0571-87052402"));
  if (name == "email") return Var(std::string("office@example.cn"));
  if (name == "id" || EndsWith(name, "_id")) return Var("SAMPLE-" + std::to_string(index + 1));
  if (name == "name" && (parent.empty() || parent == "applicant" || parent == "applicants" || parent == "person"))
    return Var(std::string(kPeople[index % 3].name));
  if (name == "name" || name == "signer") return Var(std::string(parent == "signer" ? "陈志远" : "示例名称"));
  if (name == "unit" || name == "organ" || name == "office") return Var(std::string("杭州市某某局"));
  if (name == "post" || name == "position") return Var(std::string("办公室主任"));
  if (name == "no" || name == "doc_no" || EndsWith(name, "_ref") || EndsWith(name, "_no"))
    return Var(std::string("浙政职办〔2022〕9号"));
  if (name == "address") return Var(std::string("杭州市省府路8号"));
  if (name == "level") return Var(std::string("省级"));
  if (name == "result") return Var(std::string("优秀"));
  if (name == "role") return Var(std::string("主持"));
  if (name == "title") return Var(std::string("示例标题"));
  if (name == "text" || name == "description" || name == "remark" || name == "note")
    return Var(std::string("示例说明文字。"));
  return Var("示例" + name);
}

bool IsEmptyValue(const Var& v) { return v.isEmpty() || (v.isString() && v.extract<std::string>().empty()); }

Object::Ptr AsObject(const Var& v) {
  if (v.type() == typeid(Object::Ptr)) return v.extract<Object::Ptr>();
  return nullptr;
}
Array::Ptr AsArray(const Var& v) {
  if (v.type() == typeid(Array::Ptr)) return v.extract<Array::Ptr>();
  return nullptr;
}

// Makes sure every element along `segs` exists, filling leaves by name.
void Ensure(Object::Ptr obj, const TemplateField& f, size_t i, int index) {
  if (!obj || i >= f.segments.size()) return;
  const FieldSegment& s = f.segments[i];
  const bool last = i + 1 == f.segments.size();
  const std::string parent = i ? f.segments[i - 1].name : "";
  Var cur = obj->has(s.name) ? obj->get(s.name) : Var();
  if (s.list) {
    Array::Ptr arr = AsArray(cur);
    if (!arr) {
      arr = new Array;
      for (int k = 0; k < 2; ++k) arr->add(last ? ValueFor(s.name, parent, false, k) : Var(Obj()));
      obj->set(s.name, arr);
    }
    if (last) return;
    for (unsigned k = 0; k < arr->size(); ++k) Ensure(AsObject(arr->get(k)), f, i + 1, static_cast<int>(k));
    return;
  }
  if (last) {
    if (IsEmptyValue(cur)) obj->set(s.name, ValueFor(s.name, parent, f.date, index));
    return;
  }
  Object::Ptr child = AsObject(cur);
  if (!child) {
    child = Obj();
    obj->set(s.name, child);
  }
  Ensure(child, f, i + 1, index);
}

// Sets the value at a JSON Pointer, creating objects on the way (used to satisfy "required" problems).
void SetAtPointer(const Object::Ptr& root, const std::string& pointer, int index) {
  std::vector<std::string> toks = Split(pointer.substr(1), '/');
  Var cur = root;
  for (size_t i = 0; i < toks.size(); ++i) {
    const bool last = i + 1 == toks.size();
    std::string parent = i ? toks[i - 1] : "";
    if (Array::Ptr arr = AsArray(cur)) {
      unsigned k = static_cast<unsigned>(std::stoul(toks[i]));
      if (k >= arr->size()) return;
      cur = arr->get(k);
      continue;
    }
    Object::Ptr o = AsObject(cur);
    if (!o) return;
    if (last) {
      o->set(toks[i], ValueFor(toks[i], parent, false, index));
      return;
    }
    if (!o->has(toks[i]) || o->get(toks[i]).isEmpty()) o->set(toks[i], Obj());
    cur = o->get(toks[i]);
  }
}

}  // namespace

// -----------------------------------------------------------------------------------------------------------------

std::string MakeIdNumber(int year, int month, int day, bool male, int seq) {
  char body[32];
  int s = seq % 1000;
  // The 17th digit (last of the sequence) is odd for men, even for women.
  if ((s % 2 == 1) != male) s = (s + 1) % 1000;
  std::snprintf(body, sizeof body, "330102%04d%02d%02d%03d", year, month, day, s);
  static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (body[i] - '0') * w[i];
  static const char* check = "10X98765432";
  return std::string(body) + check[sum % 11];
}

std::string TodayOr(const std::string& today) {
  return today.empty() ? LocalIsoDate() : today;
}

std::string MissingMarker(const std::string& field) { return "【缺：" + field + "】"; }

TemplateFields ReadTemplateFields(const std::string& name, const std::string& file) {
  TemplateFields out;
  out.name = name;
  out.file = file;
  const std::string text = ReadFile(file);
  out.output = templating::TemplateOutputKind(text);
  // The template's own compiler lists what it reads, names resolved by the templates' lookup rule.
  std::vector<templating::FieldUse> uses;
  if (out.output == "pdf")
    uses = templating::PdfTemplate::Parse(text, file)->FieldUses();
  else if (out.output == "xlsx")
    uses = xlsx::RosterFields(xlsx::ParseRosterTemplate(text, file));
  else
    throw Error(ErrorKind::kTemplate, file + ":1: the first directive must be '@template pdf' or '@template xlsx'",
                {{file + ":1", "the first directive must be '@template pdf' or '@template xlsx'"}});

  std::map<std::string, TemplateField> by_path;
  auto add_field = [&](const std::vector<FieldSegment>& segs, const templating::FieldUse* u, const Normalised* n) {
    std::string path = JoinPath(segs, segs.size());
    TemplateField& f = by_path[path];
    f.path = path;
    f.segments = segs;
    if (u) {
      f.value = f.value || u->value;
      f.condition = f.condition || u->condition;
    }
    if (n) {
      f.date = f.date || n->date;
      f.shown_as_cn = f.shown_as_cn || n->cn;
    }
  };
  for (const templating::FieldUse& u : uses) {
    Normalised n = Normalise(u.path);
    if (n.segs.empty()) continue;
    // Every list on the way is a field of its own ("applicants[]").
    for (size_t k = 0; k + 1 < n.segs.size(); ++k) {
      if (n.segs[k].list)
        add_field(std::vector<FieldSegment>(n.segs.begin(), n.segs.begin() + k + 1), nullptr, nullptr);
    }
    add_field(n.segs, &u, &n);
  }
  // A path that is also the parent of another is an object (or a list), not a leaf: keep it only as a list entry
  // or as a condition (`@if result.senior_review`).
  for (auto& [path, f] : by_path) out.fields.push_back(f);
  return out;
}

Poco::JSON::Array::Ptr FieldTree(const TemplateFields& fields) {
  struct Node {
    std::string path, name;
    bool list = false, date = false;
    std::map<std::string, Node> children;
  };
  Node root;
  for (const TemplateField& f : fields.fields) {
    Node* cur = &root;
    for (size_t i = 0; i < f.segments.size(); ++i) {
      const FieldSegment& s = f.segments[i];
      Node& child = cur->children[s.name];
      child.name = s.name;
      child.path = JoinPath(f.segments, i + 1);
      if (EndsWith(child.path, "[]")) child.path.resize(child.path.size() - 2);
      child.list = child.list || s.list;
      if (i + 1 == f.segments.size()) child.date = child.date || f.date;
      cur = &child;
    }
  }
  std::function<Array::Ptr(const Node&)> emit = [&](const Node& n) {
    Array::Ptr arr = new Array;
    for (const auto& [k, c] : n.children) {
      Object::Ptr o = Obj();
      o->set("path", c.path);
      o->set("name", c.name);
      o->set("list", c.list);
      if (c.date) o->set("date", true);
      o->set("children", emit(c));
      arr->add(o);
    }
    return arr;
  };
  return emit(root);
}

Poco::JSON::Object::Ptr GenerateSample(const TemplateFields& fields, const std::string& today) {
  Object::Ptr body = BaseBody(fields.name);
  for (const TemplateField& f : fields.fields) Ensure(body, f, 0, 0);
  // Whatever validation still asks for, by name (a template added later, a rule added later).
  model::ValidationContext ctx;
  ctx.today = TodayOr(today);
  for (int round = 0; round < 4; ++round) {
    Problems problems;
    try {
      problems = model::ValidateRequest(fields.name, body, ctx);
    } catch (const Error&) {
      break;  // a template name validation does not know: nothing more to satisfy
    }
    bool changed = false;
    for (const Problem& p : problems) {
      if (p.rule == "required" && !p.pointer.empty()) {
        SetAtPointer(body, p.pointer, 0);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return body;
}

Poco::JSON::Object::Ptr DescribeTemplate(const render::Renderer& renderer, const std::string& name) {
  for (const render::TemplateInfo& info : renderer.Templates()) {
    if (info.name != name) continue;
    TemplateFields fields = ReadTemplateFields(info.name, info.path);
    Object::Ptr out = Obj();
    out->set("name", info.name);
    out->set("title", info.title);
    out->set("output", info.output);
    out->set("fields", FieldTree(fields));
    out->set("sample", GenerateSample(fields));
    return out;
  }
  throw Error(ErrorKind::kNotFound, "unknown template '" + name + "'");
}

// -----------------------------------------------------------------------------------------------------------------
// Missing fields.

namespace {

struct Site {
  Object::Ptr parent;                 // the object that should hold the value (null: an object on the way is absent)
  std::string pointer;                // pointer of the absent value
  std::vector<std::string> creating;  // absent objects between `holder` and the value (keys, in order)
  Object::Ptr holder;                 // the deepest existing object
};

void FindMissing(const Var& node, const TemplateField& f, size_t i, const std::string& ptr,
                 const std::set<std::string>& tested, std::vector<Site>* out) {
  Object::Ptr o = AsObject(node);
  if (!o) return;
  const FieldSegment& s = f.segments[i];
  const bool last = i + 1 == f.segments.size();
  const std::string here = ptr + "/" + PointerToken(s.name);
  Var v = o->has(s.name) ? o->get(s.name) : Var();
  if (s.list) {
    Array::Ptr arr = AsArray(v);
    if (!arr || last) return;  // an absent list is reported by validation or shown as no rows
    for (unsigned k = 0; k < arr->size(); ++k)
      FindMissing(arr->get(k), f, i + 1, here + "/" + std::to_string(k), tested, out);
    return;
  }
  if (last) {
    bool empty = IsEmptyValue(v);
    if (!empty && f.shown_as_cn && o->has(s.name + "_cn")) empty = false;
    if (empty) {
      Site site;
      site.parent = o;
      site.holder = o;
      site.pointer = here;
      out->push_back(site);
    }
    return;
  }
  if (IsEmptyValue(v)) {
    // An absent object the template tests ({{#…votes}}): its members are not printed, so nothing is missing.
    for (size_t k = i; k + 1 < f.segments.size(); ++k)
      if (tested.count(JoinPath(f.segments, k + 1))) return;
    // Absent objects on the way; lists further down cannot be marked.
    Site site;
    site.holder = o;
    site.pointer = here;
    site.creating.push_back(s.name);
    for (size_t k = i + 1; k < f.segments.size(); ++k) {
      if (f.segments[k].list) return;
      site.pointer += "/" + PointerToken(f.segments[k].name);
      site.creating.push_back(f.segments[k].name);
    }
    out->push_back(site);
    return;
  }
  FindMissing(v, f, i + 1, here, tested, out);
}

}  // namespace

std::vector<MissingField> MarkMissingFields(const TemplateFields& fields, const Poco::JSON::Object::Ptr& body,
                                            const std::string& template_name, const std::string& today) {
  std::vector<MissingField> out;
  if (!body) return out;
  // Prefixes the template tests (`{{#result.mid_review}}`): creating such an object would change what is shown.
  std::set<std::string> tested;
  for (const TemplateField& f : fields.fields)
    if (f.condition) tested.insert(f.path);

  struct Marked {
    size_t field;
    Object::Ptr obj;         // where the marker key was set
    std::string key;         // the marker key
    Object::Ptr created_in;  // when objects were created: the holder and the first created key
    std::string created_key;
    std::string pointer;
    bool alive = true;
  };
  std::vector<Marked> marks;

  for (const TemplateField& f : fields.fields) {
    if (f.condition || !f.value || f.segments.empty() || f.segments.back().list) continue;
    // Only leaves: a path that is the parent of another field is an object.
    bool parent_of_other = false;
    for (const TemplateField& g : fields.fields)
      if (g.path.size() > f.path.size() && g.path.compare(0, f.path.size() + 1, f.path + ".") == 0)
        parent_of_other = true;
    if (parent_of_other) continue;
    std::vector<Site> sites;
    FindMissing(body, f, 0, "", tested, &sites);
    if (sites.empty()) continue;
    MissingField m;
    m.field = f.path;
    bool can_create = true;
    for (const std::string& t : tested)
      if (f.path.compare(0, t.size() + 1, t + ".") == 0) can_create = false;
    for (const Site& s : sites) {
      m.pointers.push_back(s.pointer);
      if (!s.creating.empty() && !can_create) continue;
      Object::Ptr holder = s.holder;
      Marked mk;
      mk.field = out.size();
      mk.pointer = s.pointer;
      if (!s.creating.empty()) {
        mk.created_in = holder;
        mk.created_key = s.creating.front();
        for (size_t k = 0; k + 1 < s.creating.size(); ++k) {
          Object::Ptr child = Obj();
          holder->set(s.creating[k], child);
          holder = child;
        }
      }
      const std::string leaf = f.segments.back().name;
      mk.obj = holder;
      mk.key = f.shown_as_cn ? leaf + "_cn" : leaf;
      holder->set(mk.key, MissingMarker(f.path));
      if (f.shown_as_cn) mk.pointer = mk.pointer + "_cn";
      marks.push_back(mk);
      m.marked = true;
    }
    out.push_back(m);
  }

  // A marker must not turn valid data into invalid data (a date field holding text, a length limit).
  model::ValidationContext ctx;
  ctx.today = TodayOr(today);
  for (int round = 0; round < 8 && !marks.empty(); ++round) {
    Problems problems;
    try {
      problems = model::ValidateRequest(template_name, body, ctx);
    } catch (const Error&) {
      break;
    }
    bool removed = false;
    for (Marked& mk : marks) {
      if (!mk.alive) continue;
      for (const Problem& p : problems) {
        std::string created_ptr;
        bool hit = p.pointer == mk.pointer || p.pointer.rfind(mk.pointer + "/", 0) == 0;
        if (!hit && mk.created_in) {
          // a problem inside an object we created
          size_t cut = mk.pointer.rfind("/" + PointerToken(mk.created_key));
          if (cut != std::string::npos) {
            created_ptr = mk.pointer.substr(0, cut + 1 + PointerToken(mk.created_key).size());
            hit = p.pointer == created_ptr || p.pointer.rfind(created_ptr + "/", 0) == 0;
          }
        }
        if (!hit) continue;
        if (mk.created_in)
          mk.created_in->remove(mk.created_key);
        else
          mk.obj->remove(mk.key);
        mk.alive = false;
        removed = true;
        break;
      }
    }
    if (!removed) break;
  }
  for (MissingField& m : out) m.marked = false;
  for (const Marked& mk : marks)
    if (mk.alive) out[mk.field].marked = true;
  return out;
}

}  // namespace zhiping::preview
