#include "model/validate.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "common/error.h"
#include "model/checker.h"
#include "model/field_labels.h"
#include "model/id_number.h"
#include "model/photo.h"
#include "model/qualification.h"
#include "model/parse.h"

namespace zhiping::model {



namespace {

using Poco::Dynamic::Var;
using Obj = JsonObject;
using Arr = JsonArray;
using Past = Checker::Past;

// Limits. Lengths count code points (𠮷 is one), so a clerk's idea of "characters" matches ours.
constexpr size_t kMaxApplicants = kMaxListEntries;  // the largest province-wide round, with room to spare
constexpr size_t kMaxHistory = 100;
constexpr size_t kMaxAchievements = 200;
constexpr size_t kMaxPublications = 200;
constexpr size_t kMaxAwards = 200;
constexpr size_t kMaxAppraisals = 100;
constexpr size_t kNameChars = 50;
constexpr size_t kShortChars = 20;    // ethnicity, political status, education level, appraisal result
constexpr size_t kTitleChars = 50;    // professional titles, roles, document numbers
constexpr size_t kLabelChars = 100;   // posts, schools, committees, office names
constexpr size_t kUnitChars = 200;    // units, addresses, publication and award names
constexpr size_t kFreeTextChars = 10000;
constexpr int64_t kMaxVotes = 100000;

// Applicant fields a template cannot do without, as paths relative to the applicant. An object is listed together
// with its required members. `id` and `name` are required everywhere and not listed. See docs/validation.md.
using FieldSet = std::set<std::string, std::less<>>;  // looked up by const char* without making a string

const FieldSet& RequiredApplicantFields(const std::string& kind) {
  static const std::map<std::string, FieldSet> kFields = {
      {"notice", {"unit", "current_title", "current_title/name"}},
      {"report", {"unit"}},
      {"letter", {}},
      {"bulk-letters", {}},
      {"review-form",
       {"gender", "birth", "ethnicity", "political_status", "unit", "post", "work_start", "education",
        "education/level", "current_title", "current_title/name", "current_title/since"}},
      {"roster-summary", {"gender", "id_number", "unit", "phone", "current_title", "current_title/name"}},
      {"roster-qualification",
       {"gender", "birth", "id_number", "unit", "work_start", "current_title", "current_title/name",
        "current_title/since"}},
      {"roster-results", {"unit"}},
      {"result-notice", {"unit", "committee"}},  // committee: the published list's groups
  };
  return kFields.at(kind);
}

Need NeedFor(const FieldSet& required, const char* path) {
  return required.count(path) ? Need::kRequired : Need::kOptional;
}

// A member's value, or nullptr (which AsObject reports as "required") when absent.
const JsonValue* MemberOf(const Obj& parent, const char* key) { return parent ? JsonMember(*parent, key) : nullptr; }

// The object a value is, or nullptr.
Obj ObjectOf(const JsonValue* v) { return v && v->IsObject() ? v : nullptr; }

// A string member's text, or nullopt when absent or not a string.
std::optional<std::string> StringMember(const Obj& parent, const char* key) {
  const JsonValue* v = MemberOf(parent, key);
  if (!v || !v->IsString()) return std::nullopt;
  return std::string(JsonString(*v));
}

// The date of a checked date, for the typed value.
std::optional<Date> DateOf(const std::optional<DateAt>& at) {
  return at ? std::optional<Date>(at->date) : std::nullopt;
}
template <typename T>
void Take(T* out, std::optional<T> value) {
  if (value) *out = std::move(*value);
}

bool IsPhoneNumber(const std::string& s) {
  int digits = 0;
  for (char c : s) {
    if (c >= '0' && c <= '9') ++digits;
    else if (c != '-' && c != '+' && c != ' ' && c != '(' && c != ')') return false;
  }
  return digits >= 7 && digits <= 20;
}

bool IsEmailAddress(const std::string& s) {
  size_t at = s.find('@');
  if (at == std::string::npos || at == 0 || s.find('@', at + 1) != std::string::npos) return false;
  size_t dot = s.find('.', at);
  return dot != std::string::npos && dot > at + 1 && dot + 1 < s.size() && s.find(' ') == std::string::npos;
}

// GB/T 9704 §7.2.5: the serial number of a 发文字号 is not padded with zeros (〔2022〕18号, never 〔2022〕018号).
// True when the digits right before the closing 号 start with 0 (ASCII or full-width digits).
bool HasZeroPaddedSerial(const std::string& doc_no) {
  static const std::string kHao = "号";
  if (doc_no.size() < kHao.size() || doc_no.compare(doc_no.size() - kHao.size(), kHao.size(), kHao) != 0) return false;
  const std::string head = doc_no.substr(0, doc_no.size() - kHao.size());
  static const std::string kFullZero = "０";  // a full-width digit is 3 bytes: EF BC 90..99
  size_t start = head.size();
  while (true) {
    if (start >= 1 && head[start - 1] >= '0' && head[start - 1] <= '9') {
      --start;
    } else if (start >= 3 && static_cast<unsigned char>(head[start - 3]) == 0xEF &&
               static_cast<unsigned char>(head[start - 2]) == 0xBC &&
               static_cast<unsigned char>(head[start - 1]) >= 0x90 && static_cast<unsigned char>(head[start - 1]) <= 0x99) {
      start -= 3;
    } else {
      break;
    }
  }
  if (start == head.size()) return false;  // no serial digits: another rule's business
  return head[start] == '0' || head.compare(start, kFullZero.size(), kFullZero) == 0;
}

class RequestValidator {
 public:
  RequestValidator(Problems* out, const ValidationContext& ctx) : c_(out, ctx) {}

  void Notice(const Obj& body, NoticeRequest* out);
  void Report(const Obj& body, ReportRequest* out);
  void Letter(const Obj& body, LetterRequest* out);
  void ReviewForm(const Obj& body, ReviewFormRequest* out);
  void ResultNotice(const Obj& body, ResultNoticeRequest* out);
  // The whole bulk body, items and all (ValidateRequest("bulk-letters")); its envelope alone (ParseBulkEnvelope).
  void BulkLetters(const Obj& body, BulkLettersEnvelope* out);
  std::optional<DateAt> BulkEnvelope(const Obj& body, BulkLettersEnvelope* out);

  // Used element by element by RosterValidation (the roster kinds).
  struct ResultFacts {
    std::optional<std::string> applicant_id;
    std::optional<DateAt> senior_review_date;
  };
  void Batch(const Obj& body, bool office_required, model::Batch* out);
  // The applicant's id when it is valid (for uniqueness); fills `out` (may be null: only checked).
  std::optional<std::string> Applicant(const JsonValue* value, const std::string& ptr, const FieldSet& required,
                                       model::Applicant* out);
  ResultFacts Result(const JsonValue* value, const std::string& ptr, bool for_letter, model::Result* out);
  Checker& checker() { return c_; }
  void Close() { c_.Close(); }

 private:
  // Every entry of body.applicants; returns applicant id -> pointer of the applicant, reporting repeated ids.
  std::map<std::string, std::string> Applicants(const Obj& body, const FieldSet& required,
                                                std::vector<model::Applicant>* out);
  Text IdNumber(const Obj& a, const std::string& ptr, const FieldSet& required, const std::optional<DateAt>& birth,
                const std::optional<std::string>& gender);
  std::optional<model::Photo> Photo(const Obj& a, const std::string& ptr);
  void History(const Obj& a, const std::string& ptr, const std::optional<DateAt>& birth,
               std::vector<HistoryEntry>* out);
  void Achievements(const Obj& a, const std::string& ptr, std::vector<Achievement>* out);
  void Publications(const Obj& a, const std::string& ptr, std::vector<Publication>* out);
  void Awards(const Obj& a, const std::string& ptr, std::vector<Award>* out);
  void Appraisals(const Obj& a, const std::string& ptr, std::vector<Appraisal>* out);
  std::optional<model::Opinions> Opinions(const Obj& a, const std::string& ptr);
  std::optional<model::Votes> Votes(const Obj& parent, const std::string& ptr);
  // A 发文字号 (doc_no) of the notice or the report: the length rule plus §7.2.5's serial number.
  Text DocNumber(const Obj& parent, const std::string& parent_ptr, Need need);
  // A result must belong to the applicant it is printed for.
  void SameApplicant(const std::optional<std::string>& applicant_id, const std::string& applicant_ptr,
                     const ResultFacts& result, const std::string& result_ptr);

  Checker c_;
};

void RequestValidator::Batch(const Obj& body, bool office_required, model::Batch* out) {
  Obj batch = c_.Nested(body, "", "batch", Need::kRequired);
  if (!batch) return;
  const std::string ptr = "/batch";
  Take(&out->id, c_.Id(batch, ptr, "id", Need::kRequired));
  Take(&out->year, c_.Integer(batch, ptr, "year", Need::kRequired, 2000, 2100));
  Take(&out->title, c_.String(batch, ptr, "title", Need::kRequired, kTitleChars));
  Obj office = c_.Nested(batch, ptr, "office", office_required ? Need::kRequired : Need::kOptional);
  if (office) {
    const std::string optr = ptr + "/office";
    Office& o = out->office.emplace();
    Take(&o.name, c_.String(office, optr, "name", Need::kRequired, kLabelChars));
    o.short_name = c_.String(office, optr, "short_name", Need::kOptional, kTitleChars);
    o.phone = c_.String(office, optr, "phone", Need::kOptional, kLabelChars);  // often several numbers: "0571—87052402，87054675"
    o.email = c_.String(office, optr, "email", Need::kOptional, kLabelChars);
    if (o.email && !o.email->empty() && !IsEmailAddress(*o.email)) c_.Add(optr + "/email", Msg::kEmail);
    o.address = c_.String(office, optr, "address", Need::kOptional, kUnitChars);
  }
  out->notice_ref = c_.String(batch, ptr, "notice_ref", Need::kOptional, kLabelChars);
  out->standard_ref = c_.String(batch, ptr, "standard_ref", Need::kOptional, kUnitChars);
  out->senior_committee = c_.String(batch, ptr, "senior_committee", Need::kOptional, kLabelChars);
  out->deadline = DateOf(c_.Date(batch, ptr, "deadline", Need::kOptional, false));
  out->exam_pass_line = c_.Number(batch, ptr, "exam_pass_line", Need::kOptional, 0, 100);
}

std::map<std::string, std::string> RequestValidator::Applicants(const Obj& body, const FieldSet& required,
                                                                std::vector<model::Applicant>* out) {
  std::map<std::string, std::string> seen;
  Arr list = c_.List(body, "", "applicants", Need::kRequired, 1, kMaxApplicants);
  if (!list) return seen;
  out->reserve(std::min<size_t>(list->Size(), kMaxApplicants));
  for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
    std::string ptr = Child("/applicants", i);
    // Past the first problem nothing is kept: the value is thrown away anyway, the problems are what counts.
    model::Applicant* into = c_.problem_count() == 0 ? &out->emplace_back() : nullptr;
    auto id = Applicant(&(*list)[i], ptr, required, into);
    if (!id) continue;
    auto [it, inserted] = seen.emplace(*id, ptr);
    if (!inserted) c_.Add(ptr + "/id", Msg::kNotUnique, Checker::PointerArg(it->second + "/id"));
  }
  return seen;
}

std::optional<std::string> RequestValidator::Applicant(const JsonValue* value, const std::string& ptr,
                                                       const FieldSet& required, model::Applicant* out) {
  model::Applicant scratch;
  model::Applicant& a_out = out ? *out : scratch;
  Obj a = c_.AsObject(value, ptr);
  if (!a) return std::nullopt;
  Checker::PersonScope person(c_, ptr, a, "name");
  auto id = c_.Id(a, ptr, "id", Need::kRequired);
  if (id) a_out.id = *id;
  Take(&a_out.name, c_.String(a, ptr, "name", Need::kRequired, kNameChars));
  a_out.gender = c_.Choice(a, ptr, "gender", NeedFor(required, "gender"), {"男", "女"}, Msg::kChoiceGender);
  auto birth = c_.Date(a, ptr, "birth", NeedFor(required, "birth"), true, Past::kNotInFuture);
  a_out.birth = DateOf(birth);
  a_out.id_number = IdNumber(a, ptr, required, birth, a_out.gender);
  a_out.ethnicity = c_.String(a, ptr, "ethnicity", NeedFor(required, "ethnicity"), kShortChars);
  a_out.political_status = c_.String(a, ptr, "political_status", NeedFor(required, "political_status"), kShortChars);
  a_out.phone = c_.String(a, ptr, "phone", NeedFor(required, "phone"), 30);
  if (a_out.phone && !a_out.phone->empty() && !IsPhoneNumber(*a_out.phone)) {
    c_.Add(ptr + "/phone", Msg::kPhone);
  }
  a_out.unit = c_.String(a, ptr, "unit", NeedFor(required, "unit"), kUnitChars);
  a_out.post = c_.String(a, ptr, "post", NeedFor(required, "post"), kLabelChars);
  a_out.committee = c_.String(a, ptr, "committee", NeedFor(required, "committee"), kLabelChars);
  a_out.applying_for = c_.String(a, ptr, "applying_for", Need::kOptional, kTitleChars);

  std::optional<DateAt> graduated;
  if (Obj edu = c_.Nested(a, ptr, "education", NeedFor(required, "education"))) {
    const std::string eptr = ptr + "/education";
    Education& e = a_out.education.emplace();
    e.level = c_.String(edu, eptr, "level", NeedFor(required, "education/level"), kShortChars);
    e.degree = c_.String(edu, eptr, "degree", Need::kOptional, kShortChars);
    e.school = c_.String(edu, eptr, "school", Need::kOptional, kLabelChars);
    e.major = c_.String(edu, eptr, "major", Need::kOptional, kLabelChars);
    graduated = c_.Date(edu, eptr, "graduated", Need::kOptional, true, Past::kNotInFuture);
    e.graduated = DateOf(graduated);
  }
  auto work_start = c_.Date(a, ptr, "work_start", NeedFor(required, "work_start"), true, Past::kNotInFuture);
  a_out.work_start = DateOf(work_start);
  std::optional<DateAt> title_since;
  if (Obj title = c_.Nested(a, ptr, "current_title", NeedFor(required, "current_title"))) {
    const std::string tptr = ptr + "/current_title";
    CurrentTitle& t = a_out.current_title.emplace();
    t.name = c_.String(title, tptr, "name", NeedFor(required, "current_title/name"), kTitleChars);
    title_since = c_.Date(title, tptr, "since", NeedFor(required, "current_title/since"), true, Past::kNotInFuture);
    t.since = DateOf(title_since);
  }
  // Not in the contract's applicant, but the review form prints it (理论测试成绩, 测试时间, 是否合格).
  if (Obj exam = c_.Nested(a, ptr, "exam", Need::kOptional)) {
    ApplicantExam& x = a_out.exam.emplace();
    x.score = c_.Number(exam, ptr + "/exam", "score", Need::kOptional, 0, 100);
    x.date = DateOf(c_.Date(exam, ptr + "/exam", "date", Need::kOptional, false));
    x.passed = c_.Bool(exam, ptr + "/exam", "passed", Need::kOptional);
  }
  c_.RequireOrder(birth, graduated, true);
  c_.RequireOrder(birth, work_start, true);
  c_.RequireOrder(work_start, title_since, false);

  a_out.photo = Photo(a, ptr);
  History(a, ptr, birth, &a_out.history);
  Achievements(a, ptr, &a_out.achievements);
  Publications(a, ptr, &a_out.publications);
  Awards(a, ptr, &a_out.awards);
  Appraisals(a, ptr, &a_out.appraisals);
  a_out.opinions = Opinions(a, ptr);
  return id;
}

Text RequestValidator::IdNumber(const Obj& a, const std::string& ptr, const FieldSet& required,
                                const std::optional<DateAt>& birth, const std::optional<std::string>& gender) {
  const std::string iptr = ptr + "/id_number";
  auto number = c_.String(a, ptr, "id_number", NeedFor(required, "id_number"), 64);
  if (!number || (number->empty() && !required.count("id_number"))) return number;
  IdNumberFacts facts;
  if (std::optional<Message> problem = IdNumberMessage(*number, &facts)) {
    c_.Add(iptr, std::move(*problem));
    return std::nullopt;
  }
  if (birth) {
    const Date& given = birth->date;
    bool same = given.year == facts.birth.year && given.month == facts.birth.month &&
                (given.day == 0 || given.day == facts.birth.day);
    if (!same) {
      c_.Add(iptr, Msg::kIdNumberBirthMismatch, FormatDate(facts.birth), Checker::PointerArg(birth->pointer),
             birth->text);
    }
  }
  if (gender) {
    const char* in_number = facts.male ? "男" : "女";
    if (*gender != in_number) {
      MessageArg whose = facts.male ? MessageArg("man's (17th digit odd)", "男性号码（第 17 位为奇数）")
                                    : MessageArg("woman's (17th digit even)", "女性号码（第 17 位为偶数）");
      c_.Add(iptr, Msg::kIdNumberGenderMismatch, std::move(whose), Checker::PointerArg(ptr + "/gender"), *gender);
    }
  }
  return number;
}

std::optional<model::Photo> RequestValidator::Photo(const Obj& a, const std::string& ptr) {
  Obj photo = c_.Nested(a, ptr, "photo", Need::kOptional);
  if (!photo) return std::nullopt;
  model::Photo out;
  const std::string pptr = ptr + "/photo";
  auto media_type = c_.String(photo, pptr, "media_type", Need::kRequired, kLabelChars);
  if (media_type) {
    if (std::optional<Message> problem = PhotoMediaTypeMessage(*media_type))
      c_.Add(pptr + "/media_type", std::move(*problem));
    out.media_type = *media_type;
  }
  // No length limit here: PhotoDataProblem measures the decoded bytes, which is what the limit is about.
  auto data = c_.String(photo, pptr, "data", Need::kRequired, SIZE_MAX);
  if (data) {
    if (std::optional<Message> problem =
            PhotoDataMessage(media_type.value_or(""), *data, pptr + "/media_type"))
      c_.Add(pptr + "/data", std::move(*problem));
    out.data = std::move(*data);
  }
  return out;
}

void RequestValidator::History(const Obj& a, const std::string& ptr, const std::optional<DateAt>& birth,
                               std::vector<HistoryEntry>* out) {
  c_.EachObject(a, ptr, "history", Need::kOptional, 0, kMaxHistory, [&](const Obj& row, const std::string& rptr) {
    HistoryEntry& h = out->emplace_back();
    auto from = c_.Date(row, rptr, "from", Need::kRequired, true, Past::kNotInFuture);
    auto to = c_.Date(row, rptr, "to", Need::kOptional, true, Past::kNotInFuture);  // absent: up to now
    Take(&h.from, DateOf(from));
    h.to = DateOf(to);
    Take(&h.unit, c_.String(row, rptr, "unit", Need::kRequired, kUnitChars));
    h.post = c_.String(row, rptr, "post", Need::kOptional, kLabelChars);
    c_.RequireOrder(from, to, false);
    c_.RequireOrder(birth, from, true);
  });
}

void RequestValidator::Achievements(const Obj& a, const std::string& ptr, std::vector<Achievement>* out) {
  c_.EachObject(a, ptr, "achievements", Need::kOptional, 0, kMaxAchievements,
                [&](const Obj& row, const std::string& rptr) {
                  Achievement& x = out->emplace_back();
                  x.period = c_.String(row, rptr, "period", Need::kOptional, kTitleChars);  // free form: "2018-2020", "2019年至今"
                  Take(&x.title, c_.String(row, rptr, "title", Need::kRequired, kUnitChars));
                  x.role = c_.String(row, rptr, "role", Need::kOptional, kTitleChars);
                  x.description = c_.String(row, rptr, "description", Need::kOptional, kFreeTextChars, TextKind::kText);
                });
}

void RequestValidator::Publications(const Obj& a, const std::string& ptr, std::vector<Publication>* out) {
  c_.EachObject(a, ptr, "publications", Need::kOptional, 0, kMaxPublications,
                [&](const Obj& row, const std::string& rptr) {
                  Publication& x = out->emplace_back();
                  Take(&x.title, c_.String(row, rptr, "title", Need::kRequired, kUnitChars));
                  x.venue = c_.String(row, rptr, "venue", Need::kOptional, kUnitChars);
                  x.date = DateOf(c_.Date(row, rptr, "date", Need::kOptional, true, Past::kNotInFuture));
                  x.role = c_.String(row, rptr, "role", Need::kOptional, kTitleChars);
                });
}

void RequestValidator::Awards(const Obj& a, const std::string& ptr, std::vector<Award>* out) {
  c_.EachObject(a, ptr, "awards", Need::kOptional, 0, kMaxAwards, [&](const Obj& row, const std::string& rptr) {
    Award& x = out->emplace_back();
    Take(&x.name, c_.String(row, rptr, "name", Need::kRequired, kUnitChars));
    x.level = c_.String(row, rptr, "level", Need::kOptional, kTitleChars);
    x.date = DateOf(c_.Date(row, rptr, "date", Need::kOptional, true, Past::kNotInFuture));
  });
}

void RequestValidator::Appraisals(const Obj& a, const std::string& ptr, std::vector<Appraisal>* out) {
  std::map<int64_t, std::string> years;
  c_.EachObject(a, ptr, "appraisals", Need::kOptional, 0, kMaxAppraisals, [&](const Obj& row, const std::string& rptr) {
    Appraisal& x = out->emplace_back();
    auto year = c_.Integer(row, rptr, "year", Need::kRequired, 1950, 2100);
    Take(&x.result, c_.String(row, rptr, "result", Need::kRequired, kShortChars));
    if (!year) return;
    x.year = *year;
    auto [it, inserted] = years.emplace(*year, rptr);
    if (!inserted) c_.Add(rptr + "/year", Msg::kAppraisalYearRepeated, Checker::PointerArg(it->second + "/year"));
  });
}

std::optional<model::Opinions> RequestValidator::Opinions(const Obj& a, const std::string& ptr) {
  Obj opinions = c_.Nested(a, ptr, "opinions", Need::kOptional);
  if (!opinions) return std::nullopt;
  model::Opinions out;
  const std::string optr = ptr + "/opinions";
  // unit and committee are in the contract; senior (高评委) and authority (认定机关) are the form's other two boxes.
  for (auto [box, slot] : {std::pair<const char*, std::optional<Opinion>*>{"unit", &out.unit},
                           {"committee", &out.committee}, {"senior", &out.senior}, {"authority", &out.authority}}) {
    Obj opinion = c_.Nested(opinions, optr, box, Need::kOptional);
    if (!opinion) continue;
    const std::string bptr = Child(optr, box);
    Opinion& o = slot->emplace();
    Take(&o.text, c_.String(opinion, bptr, "text", Need::kRequired, kFreeTextChars, TextKind::kText));
    o.date = DateOf(c_.Date(opinion, bptr, "date", Need::kOptional, false));
    o.votes = Votes(opinion, bptr);
  }
  return out;
}

std::optional<model::Votes> RequestValidator::Votes(const Obj& parent, const std::string& ptr) {
  Obj votes = c_.Nested(parent, ptr, "votes", Need::kOptional);
  if (!votes) return std::nullopt;
  model::Votes out;
  const std::string vptr = ptr + "/votes";
  for (auto [key, slot] : {std::pair<const char*, int64_t*>{"for", &out.for_}, {"against", &out.against},
                           {"abstain", &out.abstain}}) {
    Take(slot, c_.Integer(votes, vptr, key, Need::kRequired, 0, kMaxVotes));
  }
  return out;
}

RequestValidator::ResultFacts RequestValidator::Result(const JsonValue* value, const std::string& ptr, bool for_letter,
                                                       model::Result* out) {
  model::Result scratch;
  model::Result& r_out = out ? *out : scratch;
  ResultFacts facts;
  Obj r = c_.AsObject(value, ptr);
  if (!r) return facts;
  Checker::PersonScope person(c_, ptr, r, "applicant_id");  // a result names its applicant by id only
  facts.applicant_id = c_.Id(r, ptr, "applicant_id", Need::kRequired);
  if (facts.applicant_id) r_out.applicant_id = *facts.applicant_id;
  std::optional<DateAt> mid_date;
  if (Obj mid = c_.Nested(r, ptr, "mid_review", Need::kOptional)) {
    const std::string mptr = ptr + "/mid_review";
    MidReview& m = r_out.mid_review.emplace();
    m.passed = c_.Bool(mid, mptr, "passed", Need::kOptional);
    m.score = c_.Number(mid, mptr, "score", Need::kOptional, 0, 100);
    mid_date = c_.Date(mid, mptr, "date", Need::kOptional, false);
    m.date = DateOf(mid_date);
  }
  if (Obj exam = c_.Nested(r, ptr, "exam", Need::kOptional)) {
    ResultExam& x = r_out.exam.emplace();
    x.score = c_.Number(exam, ptr + "/exam", "score", Need::kOptional, 0, 100);
    x.passed = c_.Bool(exam, ptr + "/exam", "passed", Need::kOptional);
  }
  std::optional<bool> passed;
  const std::string sptr = ptr + "/senior_review";
  // A letter announces the senior committee's decision, so that decision must be there.
  Need letter_need = for_letter ? Need::kRequired : Need::kOptional;
  if (Obj senior = c_.Nested(r, ptr, "senior_review", letter_need)) {
    SeniorReview& s = r_out.senior_review.emplace();
    passed = c_.Bool(senior, sptr, "passed", letter_need);
    s.passed = passed;
    s.score = c_.Number(senior, sptr, "score", Need::kOptional, 0, 100);
    facts.senior_review_date = c_.Date(senior, sptr, "date", Need::kOptional, false);
    s.date = DateOf(facts.senior_review_date);
    s.votes = Votes(senior, sptr);
  }
  std::optional<DateAt> qualified_from;
  const JsonValue* given_qualified_from = MemberOf(r, "qualified_from");
  if (for_letter && passed.value_or(false) && (!given_qualified_from || given_qualified_from->IsNull())) {
    c_.Add(ptr + "/qualified_from", Msg::kQualifiedFromRequired, Checker::PointerArg(sptr + "/passed"));
  } else {
    qualified_from = c_.Date(r, ptr, "qualified_from", Need::kOptional, false);
    r_out.qualified_from = DateOf(qualified_from);
  }
  c_.RequireOrder(mid_date, facts.senior_review_date, false);
  c_.RequireOrder(facts.senior_review_date, qualified_from, false);
  return facts;
}

void RequestValidator::SameApplicant(const std::optional<std::string>& applicant_id, const std::string& applicant_ptr,
                                     const ResultFacts& result, const std::string& result_ptr) {
  if (applicant_id && result.applicant_id && *applicant_id != *result.applicant_id) {
    c_.Add(result_ptr + "/applicant_id", Msg::kResultOtherApplicant, Checker::PointerArg(applicant_ptr + "/id"),
           *applicant_id);
  }
}

Text RequestValidator::DocNumber(const Obj& parent, const std::string& parent_ptr, Need need) {
  Text doc_no = c_.String(parent, parent_ptr, "doc_no", need, kTitleChars);
  if (doc_no && HasZeroPaddedSerial(*doc_no))
    c_.Add(parent_ptr + "/doc_no", Msg::kDocNoZeroPadded);
  return doc_no;
}

void RequestValidator::Notice(const Obj& body, NoticeRequest* out) {
  Batch(body, true, &out->batch);
  if (Obj notice = c_.Nested(body, "", "notice", Need::kRequired)) {
    NoticeSection& n = out->notice;
    n.doc_no = DocNumber(notice, "/notice", Need::kOptional);
    n.title = c_.String(notice, "/notice", "title", Need::kOptional, kLabelChars);
    auto issued = c_.Date(notice, "/notice", "issued", Need::kRequired, false);
    Take(&n.issued, DateOf(issued));
    if (Obj period = c_.Nested(notice, "/notice", "period", Need::kRequired)) {
      auto start = c_.Date(period, "/notice/period", "start", Need::kRequired, false);
      auto end = c_.Date(period, "/notice/period", "end", Need::kRequired, false);
      Take(&n.period.start, DateOf(start));
      Take(&n.period.end, DateOf(end));
      c_.RequireOrder(issued, start, false);
      size_t before = c_.problem_count();
      c_.RequireOrder(start, end, false);
      if (start && end && c_.problem_count() == before) {
        const WorkCalendar& calendar = c_.calendar();
        int days = calendar.WorkingDaysBetween(start->date, end->date);
        if (days < 5) {
          std::optional<int> unknown_year;
          for (int year : {start->date.year, end->date.year}) {
            if (!unknown_year && !calendar.KnowsYear(year)) unknown_year = year;
          }
          if (unknown_year) c_.Add(end->pointer, Msg::kPublicityTooShortHolidaysUnknown, days, *unknown_year);
          else c_.Add(end->pointer, Msg::kPublicityTooShort, days);
        }
      }
    }
  }
  Applicants(body, RequiredApplicantFields("notice"), &out->applicants);
}

void RequestValidator::Report(const Obj& body, ReportRequest* out) {
  Batch(body, false, &out->batch);
  if (Obj committee = c_.Nested(body, "", "committee", Need::kRequired)) {
    Take(&out->committee.id, c_.Id(committee, "/committee", "id", Need::kRequired));
    Take(&out->committee.name, c_.String(committee, "/committee", "name", Need::kRequired, kLabelChars));
    // 签发人 of an upward document
    Take(&out->committee.signer, c_.String(committee, "/committee", "signer", Need::kRequired, kNameChars));
  }
  if (Obj report = c_.Nested(body, "", "report", Need::kRequired)) {
    Take(&out->report.doc_no, DocNumber(report, "/report", Need::kRequired));
    Take(&out->report.issued, DateOf(c_.Date(report, "/report", "issued", Need::kRequired, false)));
    out->report.addressee = c_.String(report, "/report", "addressee", Need::kOptional, kLabelChars);
  }
  Applicants(body, RequiredApplicantFields("report"), &out->applicants);
}

void RequestValidator::Letter(const Obj& body, LetterRequest* out) {
  // The applicant's name for every place of the letter, the result's too.
  Checker::PersonScope person(c_, "", ObjectOf(MemberOf(body, "applicant")), "name");
  Batch(body, true, &out->batch);
  auto applicant_id =
      Applicant(MemberOf(body, "applicant"), "/applicant", RequiredApplicantFields("letter"), &out->applicant);
  ResultFacts result = Result(MemberOf(body, "result"), "/result", true, &out->result);
  SameApplicant(applicant_id, "/applicant", result, "/result");
  if (Obj letter = c_.Nested(body, "", "letter", Need::kRequired)) {
    out->letter.no = c_.String(letter, "/letter", "no", Need::kOptional, kTitleChars);
    auto issued = c_.Date(letter, "/letter", "issued", Need::kRequired, false);
    Take(&out->letter.issued, DateOf(issued));
    c_.RequireOrder(result.senior_review_date, issued, false);
  }
}

void RequestValidator::ReviewForm(const Obj& body, ReviewFormRequest* out) {
  Checker::PersonScope person(c_, "", ObjectOf(MemberOf(body, "applicant")), "name");
  Batch(body, false, &out->batch);
  Applicant(MemberOf(body, "applicant"), "/applicant", RequiredApplicantFields("review-form"), &out->applicant);
  out->filled = DateOf(c_.Date(body, "", "filled", Need::kOptional, false));  // 填表日期
}

Arr ArrayMember(const Obj& parent, const char* key);  // below

namespace {

std::string ScoreText(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

}  // namespace

void RequestValidator::ResultNotice(const Obj& body, ResultNoticeRequest* out) {
  Batch(body, false, &out->batch);
  if (Obj n = c_.Nested(body, "", "result_notice", Need::kRequired)) {
    const std::string ptr = "/result_notice";
    ResultNoticeSection& s = out->result_notice;
    Take(&s.doc_no, DocNumber(n, ptr, Need::kRequired));  // the lead organ's
    s.title = c_.String(n, ptr, "title", Need::kOptional, kLabelChars);
    Take(&s.addressee, c_.String(n, ptr, "addressee", Need::kRequired, kUnitChars));
    s.cc = c_.String(n, ptr, "cc", Need::kOptional, kUnitChars);
    Take(&s.printer, c_.String(n, ptr, "printer", Need::kRequired, kLabelChars));
    Take(&s.printed, DateOf(c_.Date(n, ptr, "printed", Need::kRequired, false)));
  }
  // 联合行文: two organs at least; three fit one row of signatures and seals (GB/T 9704 §7.3.5.2).
  c_.EachObject(body, "", "organs", Need::kRequired, 2, 3, [&](const Obj& o, const std::string& optr) {
    Organ& organ = out->organs.emplace_back();
    Take(&organ.name, c_.String(o, optr, "name", Need::kRequired, kLabelChars));
    organ.short_name = c_.String(o, optr, "short_name", Need::kOptional, kTitleChars);
    Take(&organ.signed_on, DateOf(c_.Date(o, optr, "signed", Need::kRequired, false)));
  });
  std::map<std::string, std::string> applicants =
      Applicants(body, RequiredApplicantFields("result-notice"), &out->applicants);
  // Each result, told with its applicant's name (第 3 条评审结果（王五）…).
  std::map<std::string, Obj> applicant_objects;
  if (Arr list = ArrayMember(body, "applicants"))
    for (const JsonValue& element : list->GetArray())
      if (Obj a = ObjectOf(&element))
        if (std::optional<std::string> id = StringMember(a, "id")) applicant_objects.emplace(std::move(*id), a);
  Arr results = c_.List(body, "", "results", Need::kRequired, 1, kMaxApplicants);
  std::map<std::string, std::string> seen;
  size_t listed = 0;
  for (rapidjson::SizeType i = 0; results && i < results->Size(); ++i) {
    const std::string rptr = Child("/results", i);
    const JsonValue* value = &(*results)[i];
    Obj applicant = nullptr;
    if (std::optional<std::string> id = StringMember(ObjectOf(value), "applicant_id")) {
      auto it = applicant_objects.find(*id);
      if (it != applicant_objects.end()) applicant = it->second;
    }
    Checker::PersonScope person(c_, rptr, applicant, "name");
    model::Result typed;
    const size_t before = c_.problem_count();
    ResultFacts facts = Result(value, rptr, false, &typed);
    if (facts.applicant_id) {
      if (!applicants.count(*facts.applicant_id)) c_.Add(rptr + "/applicant_id", Msg::kResultNoApplicant, *facts.applicant_id);
      auto [it, inserted] = seen.emplace(*facts.applicant_id, rptr);
      if (!inserted) c_.Add(rptr + "/applicant_id", Msg::kNotUnique, Checker::PointerArg(it->second + "/applicant_id"));
    }
    if (c_.problem_count() == before && typed.qualified_from) {
      // Listed as qualified: the rule of model/qualification.h, its reason told.
      switch (ExclusionOf(out->batch, typed)) {
        case Exclusion::kNone: ++listed; break;
        case Exclusion::kSeniorNotPassed:
          c_.Add(rptr + "/qualified_from", Msg::kListedSeniorNotPassed,
                 Checker::PointerArg(rptr + "/senior_review/passed"));
          break;
        case Exclusion::kExamNotPassed:
          c_.Add(rptr + "/qualified_from", Msg::kListedExamNotPassed, Checker::PointerArg(rptr + "/exam/passed"));
          break;
        case Exclusion::kExamBelowPassLine:
          c_.Add(rptr + "/qualified_from", Msg::kListedExamBelowPassLine, ScoreText(*typed.exam->score),
                 ScoreText(*out->batch.exam_pass_line));
          break;
      }
    }
    out->results.push_back(std::move(typed));
  }
  if (results && c_.problem_count() == 0 && listed == 0) c_.Add("/results", Msg::kNoneListed);
}

std::optional<DateAt> RequestValidator::BulkEnvelope(const Obj& body, BulkLettersEnvelope* out) {
  Batch(body, true, &out->batch);
  std::optional<DateAt> issued;
  if (Obj letter = c_.Nested(body, "", "letter", Need::kRequired)) {
    issued = c_.Date(letter, "/letter", "issued", Need::kRequired, false);
    Take(&out->issued, DateOf(issued));
  }
  return issued;
}

void RequestValidator::BulkLetters(const Obj& body, BulkLettersEnvelope* out) {
  const std::optional<DateAt> issued = BulkEnvelope(body, out);
  Arr items = c_.List(body, "", "items", Need::kRequired, 1, kMaxApplicants);
  if (!items) return;
  std::map<std::string, std::string> applicant_ids;
  std::map<std::string, std::string> letter_nos;
  for (rapidjson::SizeType i = 0; i < items->Size(); ++i) {
    std::string ptr = Child("/items", i);
    Obj item = c_.AsObject(&(*items)[i], ptr);
    if (!item) continue;
    Checker::PersonScope person(c_, ptr, ObjectOf(MemberOf(item, "applicant")), "name");  // 第 4 封（张三）
    auto applicant_id =
        Applicant(MemberOf(item, "applicant"), ptr + "/applicant", RequiredApplicantFields("bulk-letters"), nullptr);
    ResultFacts result = Result(MemberOf(item, "result"), ptr + "/result", true, nullptr);
    SameApplicant(applicant_id, ptr + "/applicant", result, ptr + "/result");
    c_.RequireOrder(result.senior_review_date, issued, false);
    auto letter_no = c_.String(item, ptr, "letter_no", Need::kOptional, kTitleChars);
    if (applicant_id) {
      auto [it, inserted] = applicant_ids.emplace(*applicant_id, ptr);
      if (!inserted) c_.Add(ptr + "/applicant/id", Msg::kNotUnique, Checker::PointerArg(it->second + "/applicant/id"));
    }
    if (letter_no && !letter_no->empty()) {
      auto [it, inserted] = letter_nos.emplace(*letter_no, ptr);
      if (!inserted) c_.Add(ptr + "/letter_no", Msg::kNotUnique, Checker::PointerArg(it->second + "/letter_no"));
    }
  }
}

// An array member, or nullptr.
Arr ArrayMember(const Obj& parent, const char* key) {
  const JsonValue* v = MemberOf(parent, key);
  return v && v->IsArray() ? v : nullptr;
}

// The bounds of a list whose elements are counted, not held (the messages of Checker::List).
void CheckCount(Checker& c, const std::string& pointer, size_t count, size_t min_items, size_t max_items) {
  if (count < min_items) {
    if (min_items == 1) c.Add(pointer, Msg::kArrayEmpty);
    else c.Add(pointer, Msg::kArrayTooFew, min_items);
  }
  if (count > max_items) c.Add(pointer, Msg::kArrayTooMany, max_items, count);
}

}  // namespace

namespace {

// Where a problem stands in the order ValidateRequest reports a roster's problems: the envelope (batch, the
// applicants list), each applicant in turn, the results list, each result in turn.
std::pair<int, size_t> RosterProblemRank(const std::string& pointer) {
  auto element = [&](const std::string& list, size_t* index) {
    if (pointer.compare(0, list.size(), list) != 0) return false;
    size_t at = list.size();
    if (at == pointer.size() || pointer[at] != '/') {
      *index = 0;
      return at == pointer.size();
    }
    size_t end = at + 1;
    while (end < pointer.size() && pointer[end] >= '0' && pointer[end] <= '9') ++end;
    if (end == at + 1 || (end < pointer.size() && pointer[end] != '/')) return false;
    *index = std::stoul(pointer.substr(at + 1, end - at - 1)) + 1;
    return true;
  };
  size_t index = 0;
  if (element("/applicants", &index) && index > 0) return {1, index};
  if (element("/results", &index)) return {2, index};
  return {0, 0};
}

}  // namespace

struct RosterValidation::Impl {
  Impl(const std::string& k, const ValidationContext& ctx)
      : kind(k), required(RequiredApplicantFields(k)), v(&problems, ctx) {
    // Elements may be checked out of order (a result beside the applicant it belongs to): the problems listed are
    // the first in document order all the same.
    v.checker().SetOrder(RosterProblemRank);
  }

  template <typename Fn>
  void Guard(Fn fn) {
    if (!usable) return;
    try {
      fn();
    } catch (const Poco::Exception& e) {
      throw Error(ErrorKind::kInternal, "validating " + kind + " failed: " + e.displayText());
    }
  }

  // /applicants or /results: as the envelope holds it (nullopt), or counted.
  void List(const char* key, Need need, size_t min_items, std::optional<size_t> count) {
    if (count) {
      if (const JsonValue* list = MemberOf(envelope, key); !list || list->IsNull()) {
        v.checker().Add(Child("", key), Msg::kRequired);  // a caller that counts a list the envelope lacks
      } else {
        CheckCount(v.checker(), Child("", key), *count, min_items, kMaxRosterRows);
      }
    } else {
      v.checker().List(envelope, "", key, need, min_items, kMaxRosterRows);
    }
  }

  std::string kind;
  FieldSet required;
  Problems problems;
  RequestValidator v;
  JsonDom envelope_dom;
  Obj envelope = nullptr;
  JsonDom element_dom;  // an element given as a Poco value, copied
  model::Batch batch;
  bool usable = true;  // false once the body is known not to be an object: nothing else is reported
  const LazyBody* lazy = nullptr;  // Envelope(LazyBody): where Applicant/Result(reader, index) find their lists
  bool has_applicants = false;
  // First index of each id; ids are kept, pointers are made only for the rare repeat.
  std::unordered_map<std::string, size_t> applicant_ids;
  std::unordered_map<std::string, size_t> result_ids;
  // Results may come in any order, so their cross-checks wait for Finish: result_ids keeps the lowest index of
  // each applicant_id, and every other index carrying it is a repeat.
  std::vector<std::pair<size_t, std::string>> result_repeats;
};


bool RosterValidation::HasResults(const std::string& kind) {
  return kind == "roster-results" || kind == "roster-qualification";
}

bool RosterValidation::IsRosterKind(const std::string& kind) {
  return kind == "roster-summary" || kind == "roster-qualification" || kind == "roster-results";
}

RosterValidation::RosterValidation(const std::string& kind, const ValidationContext& ctx) {
  if (!IsRosterKind(kind)) throw Error(ErrorKind::kNotFound, "unknown roster template '" + kind + "'");
  impl_ = std::make_unique<Impl>(kind, ctx);
}

RosterValidation::~RosterValidation() = default;

void RosterValidation::Envelope(const Var& envelope, std::optional<size_t> applicants) {
  impl_->envelope_dom.Assign(envelope);
  Envelope(impl_->envelope_dom.root(), applicants);
}

void RosterValidation::Envelope(const JsonValue& envelope, std::optional<size_t> applicants) {
  Impl& m = *impl_;
  m.envelope = ObjectOf(&envelope);
  if (!m.envelope) {
    m.v.checker().Add("", Msg::kNotObject);
    m.usable = false;
    return;
  }
  m.has_applicants = MemberOf(m.envelope, "applicants") != nullptr;
  m.Guard([&] {
    m.v.Batch(m.envelope, false, &m.batch);
    m.List("applicants", Need::kRequired, 1, applicants);
  });
}

std::optional<model::Applicant> RosterValidation::Applicant(size_t index, const Var& element) {
  impl_->element_dom.Assign(element);
  return Applicant(index, impl_->element_dom.root());
}

std::optional<model::Applicant> RosterValidation::Applicant(size_t index, const JsonValue& element) {
  Impl& m = *impl_;
  std::optional<model::Applicant> out;
  m.Guard([&] {
    std::string ptr = Child("/applicants", index);
    const size_t before = m.v.checker().problem_count();
    model::Applicant applicant;
    auto id = m.v.Applicant(&element, ptr, m.required, &applicant);
    if (id) {
      auto [it, inserted] = m.applicant_ids.emplace(*id, index);
      if (!inserted)
        m.v.checker().Add(ptr + "/id", Msg::kNotUnique, Checker::PointerArg(Child("/applicants", it->second) + "/id"));
    }
    if (m.v.checker().problem_count() == before) out = std::move(applicant);
  });
  return out;
}

void RosterValidation::Results(std::optional<size_t> results) {
  Impl& m = *impl_;
  if (!HasResults(m.kind)) return;
  // roster-results is about them; roster-qualification prints the test score when they are given.
  const Need need = m.kind == "roster-results" ? Need::kRequired : Need::kOptional;
  m.Guard([&] { m.List("results", need, 0, results); });
}

std::optional<model::Result> RosterValidation::Result(size_t index, const Var& element) {
  impl_->element_dom.Assign(element);
  return Result(index, impl_->element_dom.root());
}

std::optional<model::Result> RosterValidation::Result(size_t index, const JsonValue& element) {
  Impl& m = *impl_;
  std::optional<model::Result> out;
  if (!HasResults(m.kind)) return out;
  m.Guard([&] {
    std::string ptr = Child("/results", index);
    const size_t before = m.v.checker().problem_count();
    model::Result typed;
    RequestValidator::ResultFacts result = m.v.Result(&element, ptr, false, &typed);
    if (result.applicant_id) {
      auto [it, inserted] = m.result_ids.emplace(*result.applicant_id, index);
      if (!inserted) {
        m.result_repeats.emplace_back(std::max(index, it->second), *result.applicant_id);
        it->second = std::min(index, it->second);
      }
    }
    if (m.v.checker().problem_count() == before) out = std::move(typed);
  });
  return out;
}

void RosterValidation::Envelope(const LazyBody& body) {
  const LazyBody::List* applicants = body.Find(kApplicantsList);
  Envelope(body.envelope(), applicants ? std::optional<size_t>(applicants->count) : std::nullopt);
  const LazyBody::List* results = body.Find(kResultsList);
  Results(results ? std::optional<size_t>(results->count) : std::nullopt);
  // The id tables' final size is known: no rehash while 100,000 ids go in.
  if (applicants) impl_->applicant_ids.reserve(applicants->elements.size());
  if (results && HasResults(impl_->kind)) impl_->result_ids.reserve(results->elements.size());
  impl_->lazy = &body;
}

std::optional<model::Applicant> RosterValidation::Applicant(LazyBody::Reader& reader, size_t index) {
  const LazyBody::List* list = impl_->lazy ? impl_->lazy->Find(kApplicantsList) : nullptr;
  if (!list) throw Error(ErrorKind::kInternal, "RosterValidation: no located applicants");
  return Applicant(index, reader.ParseValue(*list, index));
}

std::optional<model::Result> RosterValidation::Result(LazyBody::Reader& reader, size_t index) {
  const LazyBody::List* list = impl_->lazy ? impl_->lazy->Find(kResultsList) : nullptr;
  if (!list) throw Error(ErrorKind::kInternal, "RosterValidation: no located results");
  return Result(index, reader.ParseValue(*list, index));
}

std::optional<model::Applicant> TypedRosterApplicant(const std::string& kind, LazyBody::Reader& reader,
                                                     const LazyBody::List& list, size_t index,
                                                     const ValidationContext& ctx) {
  Problems problems;
  RequestValidator v(&problems, ctx);
  model::Applicant applicant;
  v.Applicant(&reader.ParseValue(list, index), "", RequiredApplicantFields(kind), &applicant);
  if (v.checker().problem_count() > 0) return std::nullopt;
  return applicant;
}

std::optional<model::Result> TypedRosterResult(LazyBody::Reader& reader, const LazyBody::List& list, size_t index,
                                               const ValidationContext& ctx) {
  Problems problems;
  RequestValidator v(&problems, ctx);
  model::Result result;
  v.Result(&reader.ParseValue(list, index), "", false, &result);
  if (v.checker().problem_count() > 0) return std::nullopt;
  return result;
}

size_t RosterValidation::problem_count() const { return impl_->v.checker().problem_count(); }

const model::Batch& RosterValidation::batch() const { return impl_->batch; }

Problems RosterValidation::Finish() {
  Impl& m = *impl_;
  for (const auto& [index, id] : m.result_repeats) {
    m.v.checker().Add(Child("/results", index) + "/applicant_id", Msg::kNotUnique,
                      Checker::PointerArg(Child("/results", m.result_ids.at(id)) + "/applicant_id"));
  }
  m.result_repeats.clear();
  if (m.has_applicants) {
    for (const auto& [id, index] : m.result_ids) {
      if (!m.applicant_ids.count(id))
        m.v.checker().Add(Child("/results", index) + "/applicant_id", Msg::kResultNoApplicant, id);
    }
  }
  m.v.Close();  // in document order (SetOrder), cut to kMaxProblems
  return std::move(m.problems);
}

namespace {

// One request type: the body checked by `rule` into a T, or every problem.
template <typename T, typename Rule>
Parsed<T> ParseWith(const char* kind, const JsonValue& body, const ValidationContext& ctx, Rule rule) {
  Obj root = ObjectOf(&body);
  if (!root) return Parsed<T>(Problems{MakeProblem("", Msg::kNotObject)});
  Problems problems;
  T value;
  try {
    RequestValidator validator(&problems, ctx);
    rule(validator, root, &value);
    validator.Close();
  } catch (const Poco::Exception& e) {
    throw Error(ErrorKind::kInternal, std::string("validating ") + kind + " failed: " + e.displayText());
  }
  if (!problems.empty()) return Parsed<T>(std::move(problems));
  return Parsed<T>(std::move(value));
}

// A body given as a Poco value (ParseJson's, or one built in code), copied once into the form the checks read.
template <typename Parse>
auto WithDom(const Var& body, Parse parse) {
  JsonDom dom;
  dom.Assign(body);
  return parse(dom.root());
}

Parsed<RosterRequest> ParseRosterValue(const std::string& kind, const JsonValue& body, const ValidationContext& ctx) {
  Obj root = ObjectOf(&body);
  if (!root) {
    if (!RosterValidation::IsRosterKind(kind)) throw Error(ErrorKind::kNotFound, "unknown template '" + kind + "'");
    return Parsed<RosterRequest>(Problems{MakeProblem("", Msg::kNotObject)});
  }
  // The same element-by-element checks that render uses for bodies kept as text.
  RosterValidation roster(kind, ctx);
  RosterRequest out;
  out.kind = kind;
  roster.Envelope(*root, std::nullopt);
  if (Arr list = ArrayMember(root, "applicants")) {
    for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
      auto applicant = roster.Applicant(i, (*list)[i]);
      if (applicant && roster.problem_count() == 0) out.applicants.push_back(std::move(*applicant));
    }
  }
  roster.Results(std::nullopt);
  if (Arr list = ArrayMember(root, "results")) {
    for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
      auto result = roster.Result(i, (*list)[i]);
      if (result && roster.problem_count() == 0) out.results.push_back(std::move(*result));
    }
  }
  Problems problems = roster.Finish();
  if (!problems.empty()) return Parsed<RosterRequest>(std::move(problems));
  out.batch = roster.batch();
  return Parsed<RosterRequest>(std::move(out));
}

// Each request type from the form the checks read.
Parsed<NoticeRequest> NoticeOf(const JsonValue& body, const ValidationContext& ctx) {
  return ParseWith<NoticeRequest>("notice", body, ctx,
                                  [](RequestValidator& v, const Obj& root, NoticeRequest* out) { v.Notice(root, out); });
}
Parsed<ReportRequest> ReportOf(const JsonValue& body, const ValidationContext& ctx) {
  return ParseWith<ReportRequest>("report", body, ctx,
                                  [](RequestValidator& v, const Obj& root, ReportRequest* out) { v.Report(root, out); });
}
Parsed<LetterRequest> LetterOf(const JsonValue& body, const ValidationContext& ctx) {
  return ParseWith<LetterRequest>("letter", body, ctx,
                                  [](RequestValidator& v, const Obj& root, LetterRequest* out) { v.Letter(root, out); });
}
Parsed<ReviewFormRequest> ReviewFormOf(const JsonValue& body, const ValidationContext& ctx) {
  return ParseWith<ReviewFormRequest>(
      "review-form", body, ctx,
      [](RequestValidator& v, const Obj& root, ReviewFormRequest* out) { v.ReviewForm(root, out); });
}
Parsed<ResultNoticeRequest> ResultNoticeOf(const JsonValue& body, const ValidationContext& ctx) {
  return ParseWith<ResultNoticeRequest>(
      "result-notice", body, ctx,
      [](RequestValidator& v, const Obj& root, ResultNoticeRequest* out) { v.ResultNotice(root, out); });
}

// The letter a bulk item stands for ({batch, applicant, result, letter: {…shared, no: letter_no}}), composed in
// `dom` from the envelope's and the item's values (strings are shared, not copied: `dom` is used at once).
const JsonValue& ComposeBulkLetter(const JsonValue& envelope, const JsonValue& item, JsonDom* dom) {
  dom->SetObject();
  JsonValue& body = dom->root();
  auto& pool = dom->allocator();
  Obj root = ObjectOf(&envelope);
  Obj it = ObjectOf(&item);
  auto add = [&](JsonValue& to, const char* key, const JsonValue* value) {
    if (value) to.AddMember(rapidjson::StringRef(key), JsonCopy(*value, pool), pool);
  };
  add(body, "batch", MemberOf(root, "batch"));
  add(body, "applicant", MemberOf(it, "applicant"));
  add(body, "result", MemberOf(it, "result"));
  JsonValue letter(rapidjson::kObjectType);
  if (Obj shared = ObjectOf(MemberOf(root, "letter"))) {
    for (const auto& member : shared->GetObject()) {
      letter.AddMember(JsonCopy(member.name, pool), JsonCopy(member.value, pool), pool);  // a repeat: last wins
    }
  }
  add(letter, "no", MemberOf(it, "letter_no"));
  body.AddMember("letter", letter, pool);
  return body;
}

}  // namespace

Parsed<NoticeRequest> ParseNotice(const Var& body, const ValidationContext& ctx) {
  return WithDom(body, [&](const JsonValue& root) { return NoticeOf(root, ctx); });
}

Parsed<ReportRequest> ParseReport(const Var& body, const ValidationContext& ctx) {
  return WithDom(body, [&](const JsonValue& root) { return ReportOf(root, ctx); });
}

Parsed<LetterRequest> ParseLetter(const Var& body, const ValidationContext& ctx) {
  return WithDom(body, [&](const JsonValue& root) { return LetterOf(root, ctx); });
}

Parsed<ReviewFormRequest> ParseReviewForm(const Var& body, const ValidationContext& ctx) {
  return WithDom(body, [&](const JsonValue& root) { return ReviewFormOf(root, ctx); });
}

Parsed<ResultNoticeRequest> ParseResultNotice(const Var& body, const ValidationContext& ctx) {
  return WithDom(body, [&](const JsonValue& root) { return ResultNoticeOf(root, ctx); });
}

Parsed<RosterRequest> ParseRoster(const std::string& kind, const Var& body, const ValidationContext& ctx) {
  return WithDom(body, [&](const JsonValue& root) { return ParseRosterValue(kind, root, ctx); });
}

Parsed<BulkLettersEnvelope> ParseBulkEnvelope(const Var& envelope, std::optional<size_t> items, size_t max_items,
                                              const ValidationContext& ctx) {
  return WithDom(envelope, [&](const JsonValue& body) {
    return ParseWith<BulkLettersEnvelope>(
        "bulk letters", body, ctx, [&](RequestValidator& v, const Obj& root, BulkLettersEnvelope* out) {
          v.BulkEnvelope(root, out);
          if (items) {
            CheckCount(v.checker(), "/items", *items, 1, max_items);
          } else {
            v.checker().List(root, "", "items", Need::kRequired, 1, max_items);
          }
        });
  });
}

Parsed<LetterRequest> ParseBulkLetter(const Var& envelope, const Var& item, const ValidationContext& ctx) {
  // The letter an item stands for, checked as any letter is (so its problems read like a letter's).
  JsonDom envelope_dom, item_dom, letter_dom;
  envelope_dom.Assign(envelope);
  item_dom.Assign(item);
  return LetterOf(ComposeBulkLetter(envelope_dom.root(), item_dom.root(), &letter_dom), ctx);
}

Parsed<BulkLettersEnvelope> ParseBulkEnvelope(const LazyBody& body, size_t max_items, const ValidationContext& ctx) {
  const LazyBody::List* items = body.Find(kBulkItemsList);
  return ParseBulkEnvelope(body.envelope(), items ? std::optional<size_t>(items->count) : std::nullopt, max_items,
                           ctx);
}

Parsed<LetterRequest> ParseBulkLetter(const LazyBody& body, LazyBody::Reader& reader, size_t index,
                                      const ValidationContext& ctx) {
  const LazyBody::List* items = body.Find(kBulkItemsList);
  if (!items || index >= items->elements.size())
    throw Error(ErrorKind::kInternal, "no bulk item " + std::to_string(index));
  const JsonValue& item = reader.ParseValue(*items, index);
  JsonDom envelope_dom, letter_dom;
  envelope_dom.Assign(body.envelope());
  Parsed<LetterRequest> letter = LetterOf(ComposeBulkLetter(envelope_dom.root(), item, &letter_dom), ctx);
  if (letter.ok()) return letter;
  // The problems point into the letter the item stands for (jobs report them so); told to a clerk, they name the
  // item as the bulk body has it: 第 4 封（张三）申报人身份证号.
  const std::string person = Checker::PersonName(ObjectOf(MemberOf(ObjectOf(&item), "applicant")), "name");
  const std::string item_ptr = Child("/items", index);
  Problems problems = letter.TakeProblems();
  for (Problem& p : problems) {
    if (p.omitted) continue;
    std::string in_body;
    if (p.pointer.rfind("/applicant", 0) == 0 || p.pointer.rfind("/result", 0) == 0) in_body = item_ptr + p.pointer;
    else if (p.pointer == "/letter/no") in_body = item_ptr + "/letter_no";
    if (!in_body.empty()) p.place = PlaceOf(in_body, person);
  }
  return Parsed<LetterRequest>(std::move(problems));
}

bool IsBulkDocumentTemplate(const std::string& template_name) {
  return template_name == "review-form" || template_name == "report";
}

Parsed<Batch> ParseBulkDocumentsEnvelope(const std::string& template_name, const LazyBody& body, size_t max_items,
                                         const ValidationContext& ctx) {
  if (!IsBulkDocumentTemplate(template_name))
    throw Error(ErrorKind::kNotFound, "template '" + template_name + "' is not issued in bulk this way");
  const LazyBody::List* items = body.Find(kBulkItemsList);
  return WithDom(body.envelope(), [&](const JsonValue& envelope) {
    return ParseWith<Batch>(template_name.c_str(), envelope, ctx, [&](RequestValidator& v, const Obj& root, Batch* out) {
      v.Batch(root, false, out);  // as ReviewForm and Report check it
      if (items) {
        CheckCount(v.checker(), "/items", items->count, 1, max_items);
      } else {
        v.checker().List(root, "", "items", Need::kRequired, 1, max_items);
      }
    });
  });
}

Parsed<Request> ParseBulkDocument(const std::string& template_name, const LazyBody& body, LazyBody::Reader& reader,
                                  size_t index, const ValidationContext& ctx) {
  if (!IsBulkDocumentTemplate(template_name))
    throw Error(ErrorKind::kNotFound, "template '" + template_name + "' is not issued in bulk this way");
  const LazyBody::List* items = body.Find(kBulkItemsList);
  if (!items || index >= items->elements.size())
    throw Error(ErrorKind::kInternal, "no bulk item " + std::to_string(index));
  // The item's own members, but the envelope's batch (never the item's own).
  const JsonValue& item = reader.ParseValue(*items, index);
  JsonDom envelope_dom, document_dom;
  envelope_dom.Assign(body.envelope());
  document_dom.SetObject();
  JsonValue& document = document_dom.root();
  auto& pool = document_dom.allocator();
  if (Obj it = ObjectOf(&item)) {
    for (const auto& member : it->GetObject()) {
      if (JsonString(member.name) != "batch") {
        document.AddMember(JsonCopy(member.name, pool), JsonCopy(member.value, pool), pool);
      }
    }
  }
  if (const JsonValue* batch = MemberOf(ObjectOf(&envelope_dom.root()), "batch")) {
    document.AddMember("batch", JsonCopy(*batch, pool), pool);
  }
  return ParseRequest(template_name, document, ctx);
}

Parsed<Request> ParseRequest(const std::string& kind, const JsonValue& body, const ValidationContext& ctx) {
  auto widen = [](auto parsed) {
    if (!parsed.ok()) return Parsed<Request>(parsed.TakeProblems());
    return Parsed<Request>(Request(parsed.TakeValue()));
  };
  if (kind == "notice") return widen(NoticeOf(body, ctx));
  if (kind == "report") return widen(ReportOf(body, ctx));
  if (kind == "letter") return widen(LetterOf(body, ctx));
  if (kind == "review-form") return widen(ReviewFormOf(body, ctx));
  if (kind == "result-notice") return widen(ResultNoticeOf(body, ctx));
  if (RosterValidation::IsRosterKind(kind)) return widen(ParseRosterValue(kind, body, ctx));
  throw Error(ErrorKind::kNotFound, "unknown template '" + kind + "'");
}

Parsed<Request> ParseRequest(const std::string& kind, const Var& body, const ValidationContext& ctx) {
  return WithDom(body, [&](const JsonValue& root) { return ParseRequest(kind, root, ctx); });
}

std::optional<Date> DeadlineOf(const Var& body) {
  // Read from the Poco value as it is: this runs before the body is checked (or copied for the checks).
  using Poco::JSON::Object;
  auto object_of = [](const Var& v) -> Object::Ptr {
    if (v.type() == typeid(Object::Ptr)) return v.extract<Object::Ptr>();
    if (v.type() == typeid(Object)) return new Object(v.extract<Object>());
    return nullptr;
  };
  Object::Ptr root = object_of(body);
  Object::Ptr batch = root && root->has("batch") ? object_of(root->get("batch")) : nullptr;
  if (!batch || !batch->has("deadline") || !batch->get("deadline").isString()) return std::nullopt;
  Date deadline;
  if (!ParseDate(batch->get("deadline").extract<std::string>(), false, &deadline)) return std::nullopt;
  return deadline;
}

Problems ValidateRequest(const std::string& kind, const Var& body, const ValidationContext& ctx) {
  if (kind == "bulk-letters") {
    return WithDom(body, [&](const JsonValue& root) {
      return ParseWith<BulkLettersEnvelope>("bulk-letters", root, ctx,
                                            [](RequestValidator& v, const Obj& r, BulkLettersEnvelope* out) {
                                              v.BulkLetters(r, out);
                                            })
          .TakeProblems();
    });
  }
  return ParseRequest(kind, body, ctx).TakeProblems();
}

}  // namespace zhiping::model
