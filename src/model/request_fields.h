// model/request_fields.h — the members of every request type, by their body names, listed once.
//
// Stages that walk a request generically call VisitFields(value, visitor): the Mustache view (templating/view.h),
// JSON text (model/request_json.h), glyph coverage (render/). The visitor gets `visitor.Field(name, member)` for
// each member in body order, with member one of: std::string, Date, int64_t, double, bool, std::optional<X>, a
// std::vector<X>, or another request type (a record: the visitor recurses with VisitFields). Absent optional members
// are passed as empty optionals; visitors skip them (so "absent" never reaches a document).
//
// model/parse.cpp reads the same names from a body; tests/model/request_json_test.cpp checks the two agree (every
// sample's members survive parse → JSON unchanged).
#pragma once

#include <type_traits>

#include "model/qualification.h"
#include "model/request.h"

namespace zhiping::model {

// VisitFields(value, visitor) for a `T` or a `const T`: the visitor gets the members as the value's constness
// allows (the preview's marker fills absent texts of a request it owns; every other walk only reads).
template <class R, class T>
using Of = std::enable_if_t<std::is_same_v<std::remove_const_t<R>, T>>;

template <class R, class V> Of<R, Office> VisitFields(R& o, V& v) {
  v.Field("name", o.name);
  v.Field("short_name", o.short_name);
  v.Field("phone", o.phone);
  v.Field("email", o.email);
  v.Field("address", o.address);
}

template <class R, class V> Of<R, Batch> VisitFields(R& b, V& v) {
  v.Field("id", b.id);
  v.Field("year", b.year);
  v.Field("title", b.title);
  v.Field("office", b.office);
  v.Field("notice_ref", b.notice_ref);
  v.Field("standard_ref", b.standard_ref);
  v.Field("senior_committee", b.senior_committee);
  v.Field("deadline", b.deadline);
  v.Field("exam_pass_line", b.exam_pass_line);
}

template <class R, class V> Of<R, Education> VisitFields(R& e, V& v) {
  v.Field("level", e.level);
  v.Field("degree", e.degree);
  v.Field("school", e.school);
  v.Field("major", e.major);
  v.Field("graduated", e.graduated);
}

template <class R, class V> Of<R, CurrentTitle> VisitFields(R& t, V& v) {
  v.Field("name", t.name);
  v.Field("since", t.since);
}

template <class R, class V> Of<R, ApplicantExam> VisitFields(R& e, V& v) {
  v.Field("score", e.score);
  v.Field("date", e.date);
  v.Field("passed", e.passed);
}

template <class R, class V> Of<R, Photo> VisitFields(R& p, V& v) {
  v.Field("media_type", p.media_type);
  v.Field("data", p.data);
}

template <class R, class V> Of<R, HistoryEntry> VisitFields(R& h, V& v) {
  v.Field("from", h.from);
  v.Field("to", h.to);
  v.Field("unit", h.unit);
  v.Field("post", h.post);
}

template <class R, class V> Of<R, Achievement> VisitFields(R& a, V& v) {
  v.Field("period", a.period);
  v.Field("title", a.title);
  v.Field("role", a.role);
  v.Field("description", a.description);
}

template <class R, class V> Of<R, Publication> VisitFields(R& p, V& v) {
  v.Field("title", p.title);
  v.Field("venue", p.venue);
  v.Field("date", p.date);
  v.Field("role", p.role);
}

template <class R, class V> Of<R, Award> VisitFields(R& a, V& v) {
  v.Field("name", a.name);
  v.Field("level", a.level);
  v.Field("date", a.date);
}

template <class R, class V> Of<R, Appraisal> VisitFields(R& a, V& v) {
  v.Field("year", a.year);
  v.Field("result", a.result);
}

template <class R, class V> Of<R, Votes> VisitFields(R& x, V& v) {
  v.Field("for", x.for_);
  v.Field("against", x.against);
  v.Field("abstain", x.abstain);
}

template <class R, class V> Of<R, Opinion> VisitFields(R& o, V& v) {
  v.Field("text", o.text);
  v.Field("date", o.date);
  v.Field("votes", o.votes);
}

template <class R, class V> Of<R, Opinions> VisitFields(R& o, V& v) {
  v.Field("unit", o.unit);
  v.Field("committee", o.committee);
  v.Field("senior", o.senior);
  v.Field("authority", o.authority);
}

template <class R, class V> Of<R, Applicant> VisitFields(R& a, V& v) {
  v.Field("id", a.id);
  v.Field("name", a.name);
  v.Field("gender", a.gender);
  v.Field("birth", a.birth);
  v.Field("id_number", a.id_number);
  v.Field("ethnicity", a.ethnicity);
  v.Field("political_status", a.political_status);
  v.Field("phone", a.phone);
  v.Field("unit", a.unit);
  v.Field("post", a.post);
  v.Field("committee", a.committee);
  v.Field("applying_for", a.applying_for);
  v.Field("education", a.education);
  v.Field("work_start", a.work_start);
  v.Field("current_title", a.current_title);
  v.Field("exam", a.exam);
  v.Field("photo", a.photo);
  v.Field("history", a.history);
  v.Field("achievements", a.achievements);
  v.Field("publications", a.publications);
  v.Field("awards", a.awards);
  v.Field("appraisals", a.appraisals);
  v.Field("opinions", a.opinions);
}

template <class R, class V> Of<R, MidReview> VisitFields(R& m, V& v) {
  v.Field("passed", m.passed);
  v.Field("score", m.score);
  v.Field("date", m.date);
}

template <class R, class V> Of<R, ResultExam> VisitFields(R& e, V& v) {
  v.Field("score", e.score);
  v.Field("passed", e.passed);
}

template <class R, class V> Of<R, SeniorReview> VisitFields(R& s, V& v) {
  v.Field("passed", s.passed);
  v.Field("score", s.score);
  v.Field("date", s.date);
  v.Field("votes", s.votes);
}

template <class R, class V> Of<R, Result> VisitFields(R& r, V& v) {
  v.Field("applicant_id", r.applicant_id);
  v.Field("mid_review", r.mid_review);
  v.Field("exam", r.exam);
  v.Field("senior_review", r.senior_review);
  v.Field("qualified_from", r.qualified_from);
}

template <class R, class V> Of<R, Committee> VisitFields(R& c, V& v) {
  v.Field("id", c.id);
  v.Field("name", c.name);
  v.Field("signer", c.signer);
}

template <class R, class V> Of<R, NoticePeriod> VisitFields(R& p, V& v) {
  v.Field("start", p.start);
  v.Field("end", p.end);
}

template <class R, class V> Of<R, NoticeSection> VisitFields(R& n, V& v) {
  v.Field("doc_no", n.doc_no);
  v.Field("title", n.title);
  v.Field("issued", n.issued);
  v.Field("period", n.period);
}

template <class R, class V> Of<R, NoticeRequest> VisitFields(R& r, V& v) {
  v.Field("batch", r.batch);
  v.Field("notice", r.notice);
  v.Field("applicants", r.applicants);
}

template <class R, class V> Of<R, ReportSection> VisitFields(R& s, V& v) {
  v.Field("doc_no", s.doc_no);
  v.Field("issued", s.issued);
  v.Field("addressee", s.addressee);
}

template <class R, class V> Of<R, ReportRequest> VisitFields(R& r, V& v) {
  v.Field("batch", r.batch);
  v.Field("committee", r.committee);
  v.Field("report", r.report);
  v.Field("applicants", r.applicants);
}

template <class R, class V> Of<R, LetterSection> VisitFields(R& s, V& v) {
  v.Field("no", s.no);
  v.Field("issued", s.issued);
}

template <class R, class V> Of<R, LetterRequest> VisitFields(R& r, V& v) {
  v.Field("batch", r.batch);
  v.Field("applicant", r.applicant);
  v.Field("result", r.result);
  v.Field("letter", r.letter);
}

template <class R, class V> Of<R, ReviewFormRequest> VisitFields(R& r, V& v) {
  v.Field("batch", r.batch);
  v.Field("applicant", r.applicant);
  v.Field("filled", r.filled);
}

template <class R, class V> Of<R, RosterRequest> VisitFields(R& r, V& v) {
  v.Field("batch", r.batch);
  v.Field("applicants", r.applicants);
  if (r.kind == "roster-results" || !r.results.empty()) v.Field("results", r.results);
}

template <class R, class V> Of<R, Organ> VisitFields(R& o, V& v) {
  v.Field("name", o.name);
  v.Field("short_name", o.short_name);
  v.Field("signed", o.signed_on);
}

template <class R, class V> Of<R, ResultNoticeSection> VisitFields(R& s, V& v) {
  v.Field("doc_no", s.doc_no);
  v.Field("title", s.title);
  v.Field("addressee", s.addressee);
  v.Field("cc", s.cc);
  v.Field("printer", s.printer);
  v.Field("printed", s.printed);
}

template <class R, class V> Of<R, ResultNoticeRequest> VisitFields(R& r, V& v) {
  v.Field("batch", r.batch);
  v.Field("result_notice", r.result_notice);
  v.Field("organs", r.organs);
  v.Field("applicants", r.applicants);
  v.Field("results", r.results);
}

// Not a body member: the list a result notice publishes (model/qualification.h), made for the view only.
template <class R, class V> Of<R, ListedApplicant> VisitFields(R& l, V& v) {
  v.Field("committee", l.committee);
  v.Field("name", l.name);
  v.Field("gender", l.gender);
  v.Field("unit", l.unit);
  v.Field("post", l.post);
  v.Field("qualification", l.qualification);
  v.Field("qualified_from", l.qualified_from);
}

}  // namespace zhiping::model
