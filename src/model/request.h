// model/request.h — the typed values a request body becomes: Batch, Applicant, Result, and one request type per
// template and for bulk letters.
//
// Contract of this stage: model/parse.h turns a body into these values or into every problem, never both. A value
// of these types has passed every rule of docs/validation.md for its template (required members present, lengths,
// calendar dates, ID numbers, cross-field order): later stages (templating, issuing, jobs, xlsx, preview) read the
// members directly and never re-check, re-parse or look anything up by JSON Pointer. Members a template does not
// require are std::optional (absent or JSON null in the body); an optional text given as "" stays "" (a template
// may test it). Unknown members of the body are not kept: nothing downstream can depend on a field the schema does
// not know.
//
// The member names are the body's (docs/validation.md); model/request_fields.h lists them once, for every stage
// that walks a value generically (the Mustache view, JSON text, glyph coverage). Plain values: copy freely, no
// thread affinity.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model/dates.h"

namespace zhiping::model {

using Text = std::optional<std::string>;

struct Office {
  std::string name;
  Text short_name, phone, email, address;
};

// The evaluation round: every body has one.
struct Batch {
  std::string id;  // a valid id (model/ids.h): the round's archive key
  int64_t year = 0;
  std::string title;
  std::optional<Office> office;
  Text notice_ref, standard_ref, senior_committee;
  std::optional<Date> deadline;
  std::optional<double> exam_pass_line;
};

struct Education {
  Text level, degree, school, major;
  std::optional<Date> graduated;
};

struct CurrentTitle {
  Text name;
  std::optional<Date> since;
};

struct ApplicantExam {
  std::optional<double> score;
  std::optional<Date> date;
  std::optional<bool> passed;
};

struct Photo {
  std::string media_type;  // image/jpeg or image/png
  std::string data;        // base64 as sent; checked to decode to an image of media_type within the caps
};

struct HistoryEntry {
  Date from;
  std::optional<Date> to;  // absent: up to now
  std::string unit;
  Text post;
};

struct Achievement {
  Text period;
  std::string title;
  Text role, description;
};

struct Publication {
  std::string title;
  Text venue;
  std::optional<Date> date;
  Text role;
};

struct Award {
  std::string name;
  Text level;
  std::optional<Date> date;
};

struct Appraisal {
  int64_t year = 0;
  std::string result;
};

struct Votes {
  int64_t for_ = 0;  // "for" in the body
  int64_t against = 0;
  int64_t abstain = 0;
};

struct Opinion {
  std::string text;
  std::optional<Date> date;
  std::optional<Votes> votes;
};

struct Opinions {
  std::optional<Opinion> unit, committee, senior, authority;
};

struct Applicant {
  std::string id;  // a valid id: the applicant's archive key
  std::string name;
  Text gender;  // 男 / 女
  std::optional<Date> birth;
  Text id_number;  // GB 11643, consistent with birth and gender
  Text ethnicity, political_status, phone, unit, post, committee, applying_for;
  std::optional<Education> education;
  std::optional<Date> work_start;
  std::optional<CurrentTitle> current_title;
  std::optional<ApplicantExam> exam;
  std::optional<Photo> photo;
  std::vector<HistoryEntry> history;
  std::vector<Achievement> achievements;
  std::vector<Publication> publications;
  std::vector<Award> awards;
  std::vector<Appraisal> appraisals;
  std::optional<Opinions> opinions;
};

struct MidReview {
  std::optional<bool> passed;
  std::optional<double> score;
  std::optional<Date> date;
};

struct ResultExam {
  std::optional<double> score;
  std::optional<bool> passed;
};

struct SeniorReview {
  std::optional<bool> passed;  // required (and so present) in a letter
  std::optional<double> score;
  std::optional<Date> date;
  std::optional<Votes> votes;
};

struct Result {
  std::string applicant_id;
  std::optional<MidReview> mid_review;
  std::optional<ResultExam> exam;
  std::optional<SeniorReview> senior_review;
  std::optional<Date> qualified_from;  // required in a letter when senior_review.passed
};

struct Committee {
  std::string id;  // a valid id: part of the report's file name
  std::string name;
  std::string signer;
};

// ---- one request type per template ----

struct NoticePeriod {
  Date start, end;  // at least 5 working days
};
struct NoticeSection {
  Text doc_no, title;
  Date issued;
  NoticePeriod period;
};
struct NoticeRequest {  // 公示
  Batch batch;  // office required
  NoticeSection notice;
  std::vector<Applicant> applicants;
};

struct ReportSection {
  std::string doc_no;
  Date issued;
  Text addressee;
};
struct ReportRequest {  // 中评委 report
  Batch batch;
  Committee committee;
  ReportSection report;
  std::vector<Applicant> applicants;
};

struct LetterSection {
  Text no;
  Date issued;
};
struct LetterRequest {  // 评审结果通知书; result.applicant_id == applicant.id
  Batch batch;  // office required
  Applicant applicant;
  Result result;
  LetterSection letter;
};

struct ReviewFormRequest {  // 评审表
  Batch batch;
  Applicant applicant;
  std::optional<Date> filled;
};

// 联合行文: one organ of a joint document, in signing order (the lead organ, 主办机关, first).
struct Organ {
  std::string name;   // 发文机关全称: the organ mark's line and the signature
  Text short_name;    // 简称 (省委宣传部): the body's wording
  Date signed_on;     // "signed" in the body: the organ's 成文日期
};
struct ResultNoticeSection {
  std::string doc_no;     // the lead organ's 发文字号
  Text title;             // default: 关于公布{year}年度{title}任职资格评审结果的通知
  std::string addressee;  // 主送机关
  Text cc;                // 版记 抄送 (none: no 抄送 line)
  std::string printer;    // 版记 印发机关
  Date printed;           // 版记 印发日期
};
struct ResultNoticeRequest {  // 关于公布评审结果的通知 (joint, downward)
  Batch batch;
  ResultNoticeSection result_notice;
  std::vector<Organ> organs;  // 2 or 3, lead organ first
  std::vector<Applicant> applicants;  // committee and unit required
  std::vector<Result> results;        // who is published: model/qualification.h
};

// A roster (roster-summary, roster-qualification, roster-results). Rosters may hold 100,000 rows and are usually
// parsed element by element (RosterParser, model/parse.h); this whole form is for small bodies and tests.
struct RosterRequest {
  std::string kind;
  Batch batch;
  std::vector<Applicant> applicants;
  std::vector<Result> results;  // roster-results; optional in roster-qualification (test scores); never in summary
};

// The body of `zhiping bulk letters` / POST /v1/jobs/letters without its items (which are parsed one at a time:
// ParseBulkLetter (model/parse.h)). Every item's letter shares this batch and issue date.
struct BulkLettersEnvelope {
  Batch batch;  // office required
  Date issued;  // letter.issued
};

// A request for any template. The PDF templates and rosters are told apart by type; the roster's kind by its member.
using Request =
    std::variant<NoticeRequest, ReportRequest, LetterRequest, ReviewFormRequest, RosterRequest, ResultNoticeRequest>;

// The template name a request is for ("notice", "roster-results", …).
std::string TemplateOf(const Request& request);

}  // namespace zhiping::model
