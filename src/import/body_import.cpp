#include "import/body_import.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cstdlib>
#include <exception>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <set>
#include <thread>

#include "common/error.h"
#include "common/ids.h"
#include "common/json.h"
#include "common/problem.h"
#include "common/spooled_file.h"
#include "import/workbook.h"
#include "model/lazy_body.h"
#include "model/parse.h"
#include "xlsx/row_queue.h"  // header only: the roster writer's bounded hand-over queue

namespace zhiping::import {

namespace {

// How a template's body holds its people.
enum class Shape {
  kRoster,  // {batch, applicants[], results[]?}: checked element by element
  kList,    // notice, report: {…, applicants[]}
  kSingle,  // letter, review-form: {…, applicant, result?}
  kBulk,    // bulk letters: {batch, letter, items[{applicant, result, letter_no?}]}
};

Shape ShapeOf(const std::string& t) {
  if (model::RosterValidation::IsRosterKind(t)) return Shape::kRoster;
  if (t == "notice" || t == "report") return Shape::kList;
  if (t == "bulk-letters") return Shape::kBulk;
  return Shape::kSingle;
}

// Where a person's row is: which table (0 the applicants', 1 the results'), the row, the name shown.
struct Place {
  uint8_t table = 0;
  uint32_t row = 0;
  std::string name;
};

// A result read from its own sheet, waiting for its applicant.
struct PendingResult {
  std::string object_members;  // the result's members, without applicant_id
  std::string letter_no;       // JSON text, "" when none
  Place place;
  bool used = false;
};

std::string Shown(const Place& p, size_t index) {
  return p.name.empty() ? "第 " + std::to_string(index + 1) + " 位" : p.name;
}

// The body's list (or member) that target `t` of person `index` is written to.
std::string Prefix(Shape shape, Target t, size_t index) {
  const std::string i = std::to_string(index);
  switch (shape) {
    case Shape::kRoster:
    case Shape::kList:
      return t == Target::kResult ? "/results/" + i : "/applicants/" + i;
    case Shape::kSingle:
      return t == Target::kResult ? "/result" : "/applicant";
    case Shape::kBulk:
      return "/items/" + i + (t == Target::kResult ? "/result" : t == Target::kItem ? "" : "/applicant");
  }
  return "";
}

// The id an applicant row gets: its 编号, else its ID number, else its row (JSON text).
std::string ApplicantId(const SheetTable& table, const RowRecord& r) {
  static const int id = FieldIndex(Target::kApplicant, "id");
  static const int id_number = FieldIndex(Target::kApplicant, "id_number");
  if (table.Has(id)) return r.values[id].empty() ? "\"\"" : r.values[id];
  std::string out;
  const std::string raw = r.Plain(id_number);
  AppendJsonString(IsValidId(raw) ? raw : "row-" + std::to_string(r.row), &out);
  return out;
}

// The envelope: the options' values at their pointers, the round defaulting to the title row.
std::string EnvelopeText(const ImportOptions& options, const std::string& title) {
  EnvelopeValues values = options.values;
  static const std::regex kTitle(R"((\d{4})\s*年度?\s*(.*?)(申报人员汇总表|人员汇总表|汇总表|花名册|评审结果花名册|评审结果|资格审查花名册)?)");
  std::smatch m;
  if (std::regex_match(title, m, kTitle)) {
    if (values["year"].empty()) values["year"] = m[1].str();
    if (values["title"].empty()) values["title"] = m[2].str();
  }
  if (values["batch-id"].empty() && !values["year"].empty()) values["batch-id"] = "import-" + values["year"];
  Poco::JSON::Object::Ptr root = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const EnvelopeOption& o : EnvelopeOptions()) {
    auto v = values.find(o.name);
    const std::string pointer = OptionPointer(o, options.template_name);
    if (v == values.end() || v->second.empty() || pointer.empty()) continue;
    Poco::JSON::Object::Ptr at = root;
    size_t begin = 1;
    for (size_t slash; (slash = pointer.find('/', begin)) != std::string::npos; begin = slash + 1) {
      const std::string key = pointer.substr(begin, slash - begin);
      if (!at->has(key)) at->set(key, Poco::JSON::Object::Ptr(new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER)));
      at = at->getObject(key);
    }
    const std::string key = pointer.substr(begin);
    const std::string& text = v->second;
    if (o.kind == EnvelopeOption::kNumber && !text.empty() && text.size() < 10 &&
        text.find_first_not_of("0123456789") == std::string::npos) {
      at->set(key, std::atoi(text.c_str()));
    } else if (o.kind == EnvelopeOption::kDate && !NormalizeDateText(text).empty()) {
      at->set(key, NormalizeDateText(text));
    } else {
      at->set(key, text);  // the model says what is wrong with it
    }
  }
  std::string text = JsonText(root);
  text.pop_back();  // the closing brace: the lists follow
  return text;
}

// The model's check of a roster's applicants, run beside the reading of the sheet: the reader hands each
// applicant's JSON text over as it writes it into the body, and this class's thread parses and checks it, in order
// (RosterValidation::Applicant). Reading and checking, about half of the import's time each, then overlap instead of
// following each other (bench/import_bench.sh). Used by one reading thread; Finish (or the destructor) joins.
class ApplicantCheck {
 public:
  explicit ApplicantCheck(model::RosterValidation* validation)
      : validation_(validation), thread_([this] { Run(); }) {}
  ~ApplicantCheck() {
    if (!thread_.joinable()) return;
    queue_.Cancel();
    thread_.join();
  }
  ApplicantCheck(const ApplicantCheck&) = delete;
  ApplicantCheck& operator=(const ApplicantCheck&) = delete;

  // Element `count()` of /applicants. Throws what the checking thread met (after joining it).
  void Add(std::string text) {
    if (queue_.Push(std::move(text))) return;
    thread_.join();
    if (error_) std::rethrow_exception(error_);
    throw Error(ErrorKind::kInternal, "the applicants' check stopped");
  }
  // Waits until every applicant handed over is checked; throws what the checking thread met.
  void Finish() {
    queue_.Close();
    thread_.join();
    if (error_) std::rethrow_exception(error_);
  }

 private:
  void Run() {
    try {
      Poco::JSON::Parser parser;
      size_t index = 0;
      for (const std::string* text; (text = queue_.Pop()) != nullptr; ++index) {
        Poco::Dynamic::Var value;
        Message why;
        size_t offset = 0;
        // The importer wrote this text itself: malformed JSON here is a bug, not the user's.
        if (!TryParseJson(parser, *text, &value, &why, &offset))
          throw Error(ErrorKind::kInternal, "the importer wrote an applicant that is not JSON");
        validation_->Applicant(index, value);
      }
    } catch (...) {
      error_ = std::current_exception();
      queue_.Cancel();
    }
  }

  model::RosterValidation* const validation_;
  xlsx::RowQueue<std::string> queue_;
  std::exception_ptr error_;
  std::thread thread_;  // last: it starts once the members above exist
};

class Importer {
 public:
  Importer(const std::string& path, const ImportOptions& options, const model::ValidationContext& ctx)
      : path_(path), options_(options), ctx_(ctx), shape_(ShapeOf(options.template_name)), book_(path) {}

  ImportResult Run(const std::string& body_path);

 private:
  void FindResults(const SheetTable& main);
  void ReadPendingResults();
  void Write(std::ofstream& out, const std::string& text) {
    out << text;
    if (!out) throw Error(ErrorKind::kUnavailable, "cannot write the imported body");
  }
  void CellProblems(const SheetTable& table, const RowRecord& r, Target target, size_t index,
                    const std::string& shown);
  void Check(const std::string& body_path);
  void MapProblem(Problem p);
  std::string PlaceText(const Place& place, size_t index, Target target, const std::string& member) const;

  const std::string path_;
  const ImportOptions& options_;
  const model::ValidationContext& ctx_;
  const Shape shape_;
  Workbook book_;
  std::unique_ptr<Workbook> results_book_;  // results_path
  std::vector<SheetTable> tables_;          // [0] the applicants', [1] the results' when separate
  std::string results_sheet_;               // "" when results come from the rows themselves or not at all
  bool same_row_results_ = false;
  int key_field_ = -1;                      // how results are matched to applicants
  std::vector<PendingResult> pending_;
  std::map<std::string, size_t> pending_by_key_;
  std::vector<Place> applicants_, results_;
  Problems problems_;
  std::set<std::string> cell_problems_;  // pointers with a cell problem: the model's "required" there is not added
  std::string title_;
  // A roster's applicants are checked while the sheet is read (ApplicantCheck); Check does the rest.
  std::unique_ptr<model::RosterValidation> roster_check_;
  std::unique_ptr<ApplicantCheck> applicant_check_;
};

void Importer::FindResults(const SheetTable& main) {
  const std::string& t = options_.template_name;
  const bool wanted = t == "roster-results" || t == "letter" || t == "bulk-letters" || t == "roster-qualification";
  if (!wanted) return;
  if (!options_.results_path.empty() || !options_.results_sheet.empty()) {
    if (!options_.results_path.empty()) results_book_ = std::make_unique<Workbook>(options_.results_path);
    Workbook& book = results_book_ ? *results_book_ : book_;
    results_sheet_ = options_.results_sheet.empty() ? book.sheets().front() : options_.results_sheet;
    return;
  }
  if (main.HasAny(Target::kResult)) {
    same_row_results_ = true;
    return;
  }
  if (t == "roster-qualification") return;  // its results are optional: only from the rows or when named
  for (const std::string& name : book_.sheets()) {
    if (name == main.sheet) continue;
    try {
      Problems ignored;
      const SheetTable other = ReadTable(book_, name, [](const SheetTable&, const RowRecord&) { return false; },
                                         &ignored, /*header_only=*/true);
      if (other.HasAny(Target::kResult)) {
        results_sheet_ = name;
        return;
      }
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::kInvalidInput) throw;  // a sheet without a header row is not the results sheet
    }
  }
}

void Importer::ReadPendingResults() {
  Workbook& book = results_book_ ? *results_book_ : book_;
  const size_t cap = shape_ == Shape::kRoster ? model::kMaxRosterRows : model::kMaxListEntries;
  bool too_many = false;
  SheetTable table = ReadTable(
      book, results_sheet_,
      [&](const SheetTable& t, const RowRecord& r) {
        if (pending_.size() >= cap) {
          too_many = true;
          return false;
        }
        if (pending_.empty()) {
          // The key both sheets have: 编号, else 身份证号, else 姓名.
          for (const char* k : {"id", "id_number", "name"}) {
            const int f = FieldIndex(Target::kApplicant, k);
            if (key_field_ < 0 && tables_[0].Has(f) && t.Has(f)) key_field_ = f;
          }
          if (key_field_ < 0) {
            throw Error(ErrorKind::kInvalidInput, "评审结果表“" + t.sheet +
                                                      "”与申报人员表没有共同的“编号”“身份证号”或“姓名”列，无法对应到人：未导入。");
          }
        }
        PendingResult p;
        p.place = {1, r.row, r.name};
        p.object_members = r.Object(Target::kResult);
        const int letter_no = FieldIndex(Target::kItem, "letter_no");
        p.letter_no = r.values[letter_no];
        const std::string key = r.Plain(key_field_);
        const size_t index = pending_.size();
        for (const auto& [f, text] : r.problems) {
          const Field& field = Fields()[static_cast<size_t>(f)];
          if (field.target == Target::kApplicant) continue;
          AddProblem(&problems_, {"", t.Place(f, r.row) + "（" + Shown(p.place, index) + "）" +
                                          t.field_label[static_cast<size_t>(f)] + "：" + text});
        }
        if (key.empty()) {
          AddProblem(&problems_, {"", t.Place(key_field_, r.row) + "（" + Shown(p.place, index) + "）" +
                                          Fields()[static_cast<size_t>(key_field_)].headers[0] +
                                          "：为空，无法对应到申报人员"});
        } else if (!pending_by_key_.emplace(key, index).second) {
          AddProblem(&problems_, {"", t.Place(key_field_, r.row) + "（" + Shown(p.place, index) + "）" +
                                          t.field_label[static_cast<size_t>(key_field_)] + "：与第 " +
                                          std::to_string(pending_[pending_by_key_[key]].place.row) +
                                          " 行重复，同一人只能有一条评审结果"});
        }
        pending_.push_back(std::move(p));
        return true;
      },
      &problems_);
  if (too_many) {
    AddProblem(&problems_, {"", table.sheet + "：评审结果超过 " + std::to_string(cap) + " 行，其后的行未读取"});
  }
  tables_.push_back(std::move(table));
}

void Importer::CellProblems(const SheetTable& table, const RowRecord& r, Target target, size_t index,
                            const std::string& shown) {
  for (const auto& [f, text] : r.problems) {
    const Field& field = Fields()[static_cast<size_t>(f)];
    if (field.target != target) continue;
    const std::string pointer = Prefix(shape_, target, index) + "/" + field.path;
    cell_problems_.insert(pointer);
    // Free text that names its own place (common/problem.h): told as written in Chinese, the pointer kept.
    Problem p{pointer, ""};
    p.place = table.Place(f, r.row) + "（" + shown + "）" + table.field_label[static_cast<size_t>(f)];
    p.rule = p.place + "：" + text;
    AddProblem(&problems_, std::move(p));
  }
}

ImportResult Importer::Run(const std::string& body_path) {
  const std::string& t = options_.template_name;
  if (!ImportsInto(t)) {
    throw Error(ErrorKind::kInvalidInput, "无法从工作簿导入“" + t + "”：可导入的有 roster-summary、roster-qualification、"
                                          "roster-results、notice、report、letter、review-form 和 bulk-letters。");
  }
  ImportResult result;
  Problems ignored;
  tables_.push_back(ReadTable(book_, options_.sheet, [](const SheetTable&, const RowRecord&) { return false; },
                              &ignored, /*header_only=*/true));
  title_ = tables_[0].title;
  FindResults(tables_[0]);
  if (!results_sheet_.empty()) ReadPendingResults();
  const bool needs_results = t == "roster-results" || t == "letter" || t == "bulk-letters";
  if (needs_results && results_sheet_.empty() && !same_row_results_) {
    throw Error(ErrorKind::kInvalidInput,
                "工作簿中没有评审结果：应有“评审结果”“高评委评审”“成绩”等列（在申报人员表中，或在另一张工作表，"
                "用 --results-sheet 指定；或在另一个工作簿，用 --results 指定）。");
  }

  std::ofstream out(body_path, std::ios::binary | std::ios::trunc);
  if (!out) throw Error(ErrorKind::kUnavailable, "cannot write " + body_path);
  // Results go to a file of their own while applicants are written, and follow them (a roster's two lists).
  std::unique_ptr<SpooledFile> results_spool;
  std::ofstream results_out;
  if (shape_ == Shape::kRoster) {
    results_spool = std::make_unique<SpooledFile>();
    results_spool->Close();
    results_out.open(results_spool->path(), std::ios::binary | std::ios::trunc);
  }
  const size_t cap = shape_ == Shape::kRoster ? model::kMaxRosterRows : model::kMaxListEntries;
  bool too_many = false;
  bool started = false;
  std::string chunk, results_chunk;  // not yet written
  std::string single_applicant, single_result;  // kSingle: the one picked
  size_t people = 0;                            // kSingle: rows seen
  const int letter_no = FieldIndex(Target::kItem, "letter_no");

  // The result of applicant row `r` (members after applicant_id) and its place, or false.
  auto result_of = [&](const SheetTable& table, const RowRecord& r, const Place& place, size_t index,
                       std::string* members, std::string* letter, Place* where) {
    if (same_row_results_) {
      if (!r.Any(Target::kResult)) return false;
      CellProblems(table, r, Target::kResult, index, Shown(place, index));
      *members = r.Object(Target::kResult);
      *letter = r.values[letter_no];
      *where = place;
      return true;
    }
    if (pending_.empty() && results_sheet_.empty()) return false;
    auto it = pending_by_key_.find(r.Plain(key_field_));
    if (it == pending_by_key_.end()) return false;
    PendingResult& p = pending_[it->second];
    p.used = true;
    *members = p.object_members;
    *letter = p.letter_no;
    *where = p.place;
    return true;
  };

  if (shape_ == Shape::kRoster) {
    // The model checks every applicant as it is written; the envelope and the results once the body is whole
    // (Check). RosterValidation takes them in any order and lists its problems in document order.
    roster_check_ = std::make_unique<model::RosterValidation>(t, ctx_);
    applicant_check_ = std::make_unique<ApplicantCheck>(roster_check_.get());
  }
  const SheetTable main = ReadTable(
      book_, options_.sheet,
      [&](const SheetTable& table, const RowRecord& r) {
        if (!started) {
          started = true;
          if (shape_ != Shape::kSingle) {
            std::string env = EnvelopeText(options_, title_);
            env += env.size() > 1 ? ",\n" : "\n";
            env += shape_ == Shape::kBulk ? "\"items\": [" : "\"applicants\": [";
            Write(out, env);
          }
        }
        const Place place{0, r.row, r.name};
        if (shape_ == Shape::kSingle) {
          ++people;
          const bool picked = options_.row != 0 ? r.row == options_.row
                              : !options_.person.empty()
                                  ? (r.Plain(FieldIndex(Target::kApplicant, "id")) == options_.person ||
                                     r.Plain(FieldIndex(Target::kApplicant, "id_number")) == options_.person ||
                                     r.name == options_.person)
                                  : people == 1;
          if (!picked || !applicants_.empty()) return true;  // keep reading: count the people
          const std::string id = ApplicantId(table, r);
          CellProblems(table, r, Target::kApplicant, 0, Shown(place, 0));
          single_applicant = r.Object(Target::kApplicant, "\"id\": " + id);
          applicants_.push_back(place);
          std::string members, letter;
          Place where;
          if (t == "letter" && result_of(table, r, place, 0, &members, &letter, &where)) {
            single_result = "{\"applicant_id\": " + id + (members.size() > 2 ? ", " + members.substr(1) : "}");
            results_.push_back(where);
          }
          return true;
        }
        const size_t index = applicants_.size();
        if (index >= cap) {
          too_many = true;
          return false;
        }
        applicants_.push_back(place);
        const std::string id = ApplicantId(table, r);
        CellProblems(table, r, Target::kApplicant, index, Shown(place, index));
        const std::string applicant = r.Object(Target::kApplicant, "\"id\": " + id);
        std::string members, letter;
        Place where;
        const bool has_result =
            (shape_ == Shape::kBulk || model::RosterValidation::HasResults(t)) &&
            result_of(table, r, place, index, &members, &letter, &where);
        const std::string result_text =
            has_result ? "{\"applicant_id\": " + id + (members.size() > 2 ? ", " + members.substr(1) : "}") : "";
        chunk += index == 0 ? "\n  " : ",\n  ";
        if (shape_ == Shape::kBulk) {
          chunk += "{\"applicant\": " + applicant;
          if (has_result) chunk += ", \"result\": " + result_text;
          if (!letter.empty()) chunk += ", \"letter_no\": " + letter;
          chunk += "}";
          results_.push_back(has_result ? where : place);
        } else {
          chunk += applicant;
          if (applicant_check_) applicant_check_->Add(applicant);
          if (has_result) {
            results_chunk += results_.empty() ? "\n  " : ",\n  ";
            results_chunk += result_text;
            results_.push_back(where);
          }
        }
        if (chunk.size() > (1 << 20)) {
          Write(out, chunk);
          chunk.clear();
        }
        if (results_chunk.size() > (1 << 20)) {
          Write(results_out, results_chunk);
          results_chunk.clear();
        }
        return true;
      },
      &problems_);
  result.sheet = main.sheet;
  result.header_row = main.header_row;
  static const int id_field = FieldIndex(Target::kApplicant, "id");
  static const int id_number_field = FieldIndex(Target::kApplicant, "id_number");
  result.id_source = main.Has(id_field) ? "编号列" : main.Has(id_number_field) ? "身份证号" : "行号";
  result.results_sheet = same_row_results_ ? main.sheet : results_sheet_;

  if (too_many) {
    Problem p{shape_ == Shape::kBulk ? "/items" : "/applicants",
              main.sheet + "：申报人超过 " + std::to_string(cap) + " 行（最多 " + std::to_string(cap) +
                  " 人），其后的行未读取"};
    p.place = main.sheet;
    AddProblem(&problems_, std::move(p));
  }
  if (shape_ == Shape::kSingle) {
    if (applicants_.empty()) {
      const std::string which = options_.row != 0 ? "第 " + std::to_string(options_.row) + " 行"
                                : !options_.person.empty() ? "“" + options_.person + "”"
                                                           : "";
      throw Error(ErrorKind::kInvalidInput, "工作表“" + main.sheet + "”中" +
                                                (which.empty() ? "没有人员。" : "没有" + which + "的人员。"));
    }
    if (people > 1 && options_.row == 0 && options_.person.empty()) {
      throw Error(ErrorKind::kInvalidInput, "工作表“" + main.sheet + "”有 " + std::to_string(people) +
                                                " 人：请用 --row 行号 或 --id 编号/身份证号/姓名（HTTP ?row= 或 ?id=）选择一人。");
    }
    std::string body = EnvelopeText(options_, title_);
    body += body.size() > 1 ? ",\n" : "\n";
    body += "\"applicant\": " + single_applicant;
    if (!single_result.empty()) body += ",\n\"result\": " + single_result;
    body += "\n}\n";
    Write(out, body);
  } else {
    if (!started) {  // a header and nobody under it
      std::string env = EnvelopeText(options_, title_);
      env += env.size() > 1 ? ",\n" : "\n";
      Write(out, env + (shape_ == Shape::kBulk ? "\"items\": [" : "\"applicants\": ["));
    }
    Write(out, chunk + (applicants_.empty() ? "]" : "\n]"));
    chunk.clear();
    if (shape_ == Shape::kRoster && model::RosterValidation::HasResults(t) &&
        (t == "roster-results" || !results_.empty())) {
      Write(results_out, results_chunk);
      results_out.close();
      Write(out, ",\n\"results\": [");
      std::ifstream in(results_spool->path(), std::ios::binary);
      out << in.rdbuf();
      Write(out, results_.empty() ? "]" : "\n]");
    }
    Write(out, "\n}\n");
  }
  out.close();
  if (!out) throw Error(ErrorKind::kUnavailable, "cannot write " + body_path);
  result.applicants = applicants_.size();
  result.results = results_.size();

  // A result no applicant claimed.
  for (size_t i = 0; i < pending_.size(); ++i) {
    const PendingResult& p = pending_[i];
    if (p.used || shape_ == Shape::kSingle) continue;
    const SheetTable& rt = tables_[1];
    AddProblem(&problems_, {"", rt.Place(key_field_, p.place.row) + "（" + Shown(p.place, i) + "）：申报人员表“" +
                                    main.sheet + "”中没有" + rt.field_label[static_cast<size_t>(key_field_)] +
                                    "相同的人员"});
  }
  if (tables_.size() == 1) tables_.push_back(main);
  tables_[0] = main;
  Check(body_path);
  if (!problems_.empty()) ThrowProblems("sheet " + main.sheet, std::move(problems_));
  return result;
}

// The model checks the body (a roster one element at a time); its problems are mapped back to cells.
void Importer::Check(const std::string& body_path) {
  Problems checked;
  if (shape_ == Shape::kRoster && applicant_check_ && !applicants_.empty()) {
    // The applicants were checked while they were read (ApplicantCheck); the results follow them in the body.
    applicant_check_->Finish();
    applicant_check_.reset();
    model::LazyBody lazy = model::LazyBody::FromFile(body_path, {model::kApplicantsList, model::kResultsList});
    roster_check_->Envelope(lazy);  // the batch, and the lengths of both lists
    const model::LazyBody::List* results = lazy.Find(model::kResultsList);
    if (results != nullptr && model::RosterValidation::HasResults(options_.template_name)) {
      model::LazyBody::Reader reader(lazy);
      for (size_t i = 0; i < results->elements.size(); ++i) roster_check_->Result(i, reader.Parse(*results, i));
    }
    checked = roster_check_->Finish();
  } else if (shape_ == Shape::kRoster) {
    // Nobody was read (the envelope's "must not be empty" is the model's to say): the body is checked as written.
    applicant_check_.reset();
    roster_check_.reset();
    model::LazyBody lazy = model::LazyBody::FromFile(body_path, {model::kApplicantsList, model::kResultsList});
    model::RosterValidation validation(options_.template_name, ctx_);
    validation.Envelope(lazy);
    // A second thread parses the applicants' JSON (half of the check's time) while this one checks them, in order.
    const model::LazyBody::List* list = lazy.Find(model::kApplicantsList);
    const size_t count = list ? list->elements.size() : 0;
    xlsx::RowQueue<Poco::Dynamic::Var> parsed;
    std::exception_ptr parse_error;
    std::thread parser([&] {
      try {
        model::LazyBody::Reader reader(lazy);
        for (size_t i = 0; i < count; ++i) {
          if (!parsed.Push(reader.Parse(*list, i))) return;
        }
        parsed.Close();
      } catch (...) {
        parse_error = std::current_exception();
        parsed.Cancel();
      }
    });
    try {
      size_t i = 0;
      for (const Poco::Dynamic::Var* v; i < count && (v = parsed.Pop()) != nullptr; ++i) validation.Applicant(i, *v);
    } catch (...) {
      parsed.Cancel();
      parser.join();
      throw;
    }
    parser.join();
    if (parse_error) std::rethrow_exception(parse_error);
    model::LazyBody::Reader reader(lazy);
    if (model::RosterValidation::HasResults(options_.template_name)) {
      for (size_t i = 0; i < results_.size(); ++i) validation.Result(reader, i);
    }
    checked = validation.Finish();
  } else {
    checked = model::ValidateRequest(options_.template_name, ParseJson(ReadFile(body_path)), ctx_);
  }
  for (Problem& p : checked) {
    if (p.omitted > 0 || cell_problems_.count(p.pointer) > 0) continue;
    // Nor the record holding such a cell ("/applicants/0/current_title" missing when its only cell was unreadable).
    auto below = cell_problems_.lower_bound(p.pointer + "/");
    if (below != cell_problems_.end() && below->rfind(p.pointer + "/", 0) == 0) continue;
    MapProblem(std::move(p));
  }
  if (OmittedProblems(checked) > 0) AddProblem(&problems_, MoreProblems(OmittedProblems(checked)));
}

std::string Importer::PlaceText(const Place& place, size_t index, Target target, const std::string& member) const {
  const SheetTable& table = tables_[place.table];
  const auto& fields = Fields();
  int f = FieldIndex(target, member);
  if (target == Target::kApplicant && member == "id" && !table.Has(f)) f = FieldIndex(target, "id_number");
  if (target == Target::kResult && member == "applicant_id") {
    f = place.table == 1 ? key_field_ : FieldIndex(Target::kApplicant, "name");
  }
  for (size_t g = 0; g < fields.size() && f < 0; ++g) {  // a record or a member below a column's
    const std::string path = fields[g].path;
    if (fields[g].target != target || path.empty()) continue;
    if (path.rfind(member + "/", 0) == 0 || member.rfind(path + "/", 0) == 0) f = static_cast<int>(g);
  }
  const std::string shown = "（" + Shown(place, index) + "）";
  if (f >= 0 && table.Has(f)) {
    return table.Place(f, place.row) + shown + table.field_label[static_cast<size_t>(f)] + "：";
  }
  if (f >= 0) return table.Place(f, place.row) + shown + fields[static_cast<size_t>(f)].headers[0] + "（表中没有这一列）：";
  return table.sheet + "!第 " + std::to_string(place.row) + " 行" + shown + (member.empty() ? "" : member + "：");
}

void Importer::MapProblem(Problem p) {
  static const std::regex kList(R"(/(applicants|results|items)/(\d+)(?:/(applicant|result|letter_no))?(?:/(.*))?)");
  static const std::regex kOne(R"(/(applicant|result)(?:/(.*))?)");
  std::smatch m;
  std::optional<std::pair<Target, size_t>> who;
  std::string member;
  if (std::regex_match(p.pointer, m, kList)) {
    const size_t index = std::strtoul(m[2].str().c_str(), nullptr, 10);
    const std::string list = m[1].str(), part = m[3].str();
    Target target = list == "results" || part == "result" ? Target::kResult : Target::kApplicant;
    if (part == "letter_no") {
      target = Target::kItem;
      member = "letter_no";
    } else {
      member = m[4].matched ? m[4].str() : "";
    }
    who = {target, index};
  } else if (std::regex_match(p.pointer, m, kOne)) {
    who = {m[1].str() == "result" ? Target::kResult : Target::kApplicant, 0};
    member = m[2].matched ? m[2].str() : "";
  }
  // Where the clerk finds it in the workbook ("汇总表!E7（张三）身份证号："), or which option gives it.
  std::string where;
  if (who) {
    const std::vector<Place>& places = who->first == Target::kApplicant ? applicants_ : results_;
    const size_t index = who->second;
    if (index < places.size()) {
      where = PlaceText(places[index], index, who->first, member);
    } else if (who->first == Target::kResult && index < applicants_.size()) {
      // An item or letter without a result: its applicant's row.
      where = PlaceText(applicants_[index], index, Target::kApplicant, "") + "没有评审结果：";
    }
  } else if (const EnvelopeOption* o = OptionForPointer(options_.template_name, p.pointer)) {
    where = std::string(o->label) + "（" + OptionSpelling(*o) + "）：";
  } else if (p.pointer.rfind("/batch", 0) == 0) {
    where = "批次（取自标题行“" + title_ + "”或 --year/--title/--batch-id）" + p.pointer.substr(6) + "：";
  }
  // The workbook's place replaces the model's (common/problem.h): Chinese answers read place：rule in Chinese; the
  // English rule keeps the place in front, as it always did. A place ending in "：" is not a sentence of its own.
  if (!where.empty()) {
    const std::string colon = "：";
    p.place = where.size() >= colon.size() && where.compare(where.size() - colon.size(), colon.size(), colon) == 0
                  ? where.substr(0, where.size() - colon.size())
                  : where;
    p.rule = where + p.rule;
  }
  AddProblem(&problems_, std::move(p));
}

}  // namespace

bool ImportsInto(const std::string& t) {
  return model::RosterValidation::IsRosterKind(t) || t == "notice" || t == "report" || t == "letter" ||
         t == "review-form" || t == "bulk-letters";
}

ImportResult ImportBodyToFile(const std::string& path, const ImportOptions& options,
                              const model::ValidationContext& ctx, const std::string& body_path) {
  Importer importer(path, options, ctx);
  return importer.Run(body_path);
}

ImportResult ImportBody(const std::string& path, const ImportOptions& options, const model::ValidationContext& ctx) {
  SpooledFile spool;
  spool.Close();
  ImportResult result = ImportBodyToFile(path, options, ctx, spool.path());
  result.body = ReadFile(spool.path());
  return result;
}

}  // namespace zhiping::import
