// templating/view.h's refreshing RowView: one tree, refreshed row after row, is exactly the view RowView makes afresh
// of each row — members and derived fields (X_cn, X_count, X_first, _index) that come and go between consecutive
// rows included, nested records and lists, under several selections — and it is refreshed in place.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "model/request.h"
#include "model/request_fields.h"
#include "templating/scope.h"
#include "templating/view.h"

namespace zhiping::templating {
namespace {

// Every name a view of an applicant or a result can hold: the model's member names, each with its derived fields.
// (kainjow's data cannot list an object's members, so Dump asks for each of these.)
class Names {
 public:
  Names() {
    Visit(model::Applicant{});
    Visit(model::Result{});
    for (const std::string& n : std::set<std::string>(all_)) {
      for (const char* suffix : {"_cn", "_count", "_first"}) all_.insert(n + suffix);
    }
    all_.insert("_index");
  }
  const std::set<std::string>& all() const { return all_; }

  template <typename T>
  void Field(const char* name, const T&) {
    all_.insert(name);
    if constexpr (std::is_class_v<T> && !std::is_same_v<T, std::string> && !std::is_same_v<T, model::Date>) Visit(T{});
  }
  template <typename T>
  void Field(const char* name, const std::optional<T>&) {
    Field(name, T{});
  }
  template <typename T>
  void Field(const char* name, const std::vector<T>&) {
    Field(name, T{});
  }

 private:
  template <typename R>
  void Visit(const R& record) {
    model::VisitFields(record, *this);
  }
  std::set<std::string> all_;
};

// The whole of a view as one text, members in name order: two views are the same data when their dumps are.
std::string Dump(const Data& d) {
  static const Names names;
  if (d.is_string()) return "\"" + d.string_value() + "\"";
  if (d.is_true()) return "true";
  if (d.is_false()) return "false";
  std::string out;
  if (d.is_list()) {
    out = "[";
    for (const Data& e : d.list_value()) out += Dump(e) + ",";
    return out + "]";
  }
  if (!d.is_object()) return "?";
  out = "{";
  for (const std::string& n : names.all())
    if (const Data* m = d.get(n)) out += n + ":" + Dump(*m) + ",";
  return out + "}";
}

// Row i: each optional member present or absent by its own bit of i's hash, so that consecutive rows differ in
// every way (a member there, then gone, then back; a date, a non-date; lists of 0, 1 or 2 elements).
struct Switches {
  explicit Switches(size_t i) : bits(i * 0x9E3779B97F4A7C15ull + 1) {
    bits ^= bits >> 31, bits *= 0xBF58476D1CE4E5B9ull, bits ^= bits >> 27;
  }
  bool operator()(int bit) const { return (bits >> bit) & 1; }
  uint64_t bits;
};

model::Applicant ApplicantRow(size_t i) {
  const Switches on(i);
  model::Applicant a;
  a.id = "ZG2022-" + std::to_string(100000 + i);
  a.name = on(0) ? "张三" : "欧阳" + std::to_string(i % 7);
  if (on(1)) a.gender = on(2) ? "男" : "女";
  if (on(3)) a.birth = model::Date{1960 + static_cast<int>(i % 30), 1 + static_cast<int>(i % 12), on(4) ? 0 : 15};
  if (on(5)) a.unit = on(6) ? "杭州市某某局" : "2022-07-27";  // a text that reads as a date has X_cn too
  if (on(7)) a.post = "";
  if (on(8)) {
    a.education = model::Education{};
    if (on(9)) a.education->level = "大学本科";
    if (on(10)) a.education->graduated = model::Date{2004, 7, 0};
  }
  if (on(11)) {
    a.current_title = model::CurrentTitle{};
    if (on(12)) a.current_title->name = "政工师";
    if (on(13)) a.current_title->since = model::Date{2010 + static_cast<int>(i % 9), 12, 0};
  }
  if (on(14)) a.exam = model::ApplicantExam{on(15) ? std::optional<double>(60 + (i % 40) / 2.0) : std::nullopt,
                                           std::nullopt, on(16) ? std::optional<bool>(on(17)) : std::nullopt};
  for (size_t k = 0; k < (on.bits >> 18) % 3; ++k) {
    model::HistoryEntry h;
    h.from = model::Date{2000 + static_cast<int>(k), 1, 0};
    h.unit = "甲" + std::to_string(k);
    if (on(20)) h.post = "科员";
    a.history.push_back(h);
  }
  if (on(21)) {
    a.opinions = model::Opinions{};
    if (on(22)) a.opinions->unit = model::Opinion{"同意推荐", on(23) ? std::optional<model::Date>(model::Date{2022, 8, 1})
                                                                     : std::nullopt,
                                                 on(24) ? std::optional<model::Votes>(model::Votes{13, 2, 0}) : std::nullopt};
  }
  return a;
}

model::Result ResultRow(size_t i) {
  const Switches on(i);
  model::Result r;
  r.applicant_id = "ZG2022-" + std::to_string(100000 + i);
  if (on(0)) {
    r.mid_review = model::MidReview{};
    if (on(1)) r.mid_review->passed = on(2);
    if (on(3)) r.mid_review->score = 60 + (i % 40) + (i % 10) / 10.0;
    if (on(4)) r.mid_review->date = model::Date{2022, 9, on(5) ? 10 : 11};
  }
  if (on(6)) r.exam = model::ResultExam{on(7) ? std::optional<double>(50 + i % 50) : std::nullopt, std::nullopt};
  if (on(8)) {
    r.senior_review = model::SeniorReview{};
    if (on(9)) r.senior_review->passed = on(10);
    if (on(11)) r.senior_review->score = 55.5;
    if (on(12)) r.senior_review->votes = model::Votes{static_cast<int64_t>(i % 15), 2, 0};
  }
  if (on(13)) r.qualified_from = model::Date{2022, 12, 30};
  return r;
}

Selection Of(std::initializer_list<const char*> paths) {
  Selection s;
  for (const char* p : paths) s.Add(p);
  return s;
}

template <typename Make>
void ExpectRefreshedIsFresh(Make row, const Selection& reads) {
  RowReads resolved(reads);
  Data kept;
  for (size_t i = 0; i < 400; ++i) {
    const auto value = row(i);
    RowView(value, resolved, &kept);
    ASSERT_EQ(Dump(kept), Dump(RowView(value, reads))) << "row " << i;
  }
}

TEST(templating_RowView, ARefreshedApplicantIsTheFreshView) {
  Selection whole;
  whole.whole = true;
  for (const Selection& reads :
       {whole, Of({"name", "gender", "birth", "unit", "education.level", "current_title.since", "exam.score"}),
        Of({"birth_cn", "unit_cn", "history_count", "history_first.unit", "opinions.unit.votes.for", "post"}),
        Of({"history", "education", "exam", "opinions"}), Of({"nothing"})}) {
    SCOPED_TRACE(Dump(RowView(ApplicantRow(1), reads)));
    ExpectRefreshedIsFresh(ApplicantRow, reads);
  }
}

TEST(templating_RowView, ARefreshedResultIsTheFreshView) {
  Selection whole;
  whole.whole = true;
  // roster-results reads result whole ({{#result}}), and sections' names whole.
  for (const Selection& reads : {whole, Of({"mid_review", "senior_review.votes", "passed", "qualified_from_cn"}),
                                 Of({"exam.score", "senior_review.passed"})}) {
    SCOPED_TRACE(Dump(RowView(ResultRow(1), reads)));
    ExpectRefreshedIsFresh(ResultRow, reads);
  }
}

TEST(templating_RowView, ItRefreshesInPlaceAndRemakesWhatIsNoObject) {
  const Selection reads = Of({"name", "education.level"});
  RowReads resolved(reads);
  Data kept;
  model::Applicant a = ApplicantRow(0);
  a.name = "一个比较长的名字，长过短字符串的缓冲";
  a.education = model::Education{};
  a.education->level = "大学本科";
  RowView(a, resolved, &kept);
  const std::string* name = &kept.get("name")->string_value();
  const char* chars = name->data();
  const Data* education = kept.get("education");
  a.name = "张三";  // shorter: the string's buffer holds it
  a.education->level = "研究生";
  RowView(a, resolved, &kept);
  EXPECT_EQ(&kept.get("name")->string_value(), name) << "the same member, overwritten";
  EXPECT_EQ(kept.get("name")->string_value().data(), chars) << "its buffer reused";
  EXPECT_EQ(kept.get("education"), education) << "a record refreshed where it stands";
  EXPECT_EQ(TextOf(kept.get("education")->get("level")), "研究生");

  for (Data other : {Data(std::string("text")), Data(Data::type::list), Data(Data::type::bool_true)}) {
    RowView(a, resolved, &other);
    EXPECT_EQ(Dump(other), Dump(RowView(a, reads)));
  }
}

}  // namespace
}  // namespace zhiping::templating
