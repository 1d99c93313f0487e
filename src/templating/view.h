// templating/view.h — the data a template sees: the request as Mustache data, plus derived fields. This is the one
// view builder for documents: a PDF template reads data made here from the typed request (model/request.h), member
// by member through model/request_fields.h, so a template sees exactly the members the schema knows; so does a
// roster's writer, row by row (RowView), made only of what its columns read.
//
// Two walks build the data — the typed request (documents, roster rows) and a JSON value (the template language's
// own tests and tools, BindJson) — through one set of derived-field rules in view.cpp:
//   X_cn      for every ISO date string X: "2022-07-27" -> "2022年7月27日", "1980-01" -> "1980年1月"
//   X_count   for every list X: its length;  X_first: its first element
//   _index    in every object of a list: its 1-based position
//   listed    (result-notice only, typed requests) the applicants it publishes: model::ListedApplicants
// Public documents declare `@allow LIST: field field …`: the list's elements then carry only those fields, so an
// ID number or phone can never reach the page, whatever the template text says (allow-list, not deny-list).
#pragma once

#include <Poco/Dynamic/Var.h>

#include <kainjow/mustache.hpp>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "model/request.h"
#include "templating/selection.h"

namespace zhiping::templating {

using AllowList = std::map<std::string, std::set<std::string>>;  // list name -> allowed dotted paths

kainjow::mustache::data BuildView(const model::Request& request, const AllowList& allow);
// The same for a JSON value that is not a request (the template language's own tests and tools).
kainjow::mustache::data BuildView(const Poco::Dynamic::Var& body, const AllowList& allow);

// One roster row or joined element, and a roster's envelope ({batch: …}): the members and derived fields a PDF
// template sees of them, only those `reads` selects (a member is made when it or one of its derived fields is).
kainjow::mustache::data RowView(const model::Applicant& applicant, const Selection& reads);
kainjow::mustache::data RowView(const model::Result& result, const Selection& reads);
kainjow::mustache::data EnvelopeView(const model::Batch& batch, const Selection& reads);

// `reads` resolved for row views, once: which members are made, under which keys (X_cn …), and what of each member's
// own members — for a roster that views a row and its partners 100,000 times with the same selection. Built as the
// first views walk the members (the same resolution every view makes), then only read. Borrows `reads`, which must
// not change while this lives. One thread at a time (the views change it while it is being built).
class RowReads {
 public:
  explicit RowReads(const Selection& reads);
  ~RowReads();
  RowReads(RowReads&&) noexcept;
  RowReads& operator=(RowReads&&) noexcept;

 private:
  friend void RowView(const model::Applicant& applicant, RowReads& reads, kainjow::mustache::data* view);
  friend void RowView(const model::Result& result, RowReads& reads, kainjow::mustache::data* view);
  struct Plans;
  std::unique_ptr<Plans> plans_;
};

// The same views, refreshed in place: `*view` becomes exactly what RowView(value, reads) makes (same members, same
// texts), without making it again. The members it already has are overwritten where they stand (a text reuses its
// string's capacity; an unchanged text or date, and its X_cn, are left as they are); those this value lacks are
// removed; records are refreshed the same way, member by member; lists are made afresh. Why: a roster's rows all
// have the same shape, and making a tree of maps and strings per row and per joined element was a quarter (summary)
// to a third (results) of the writer's time. `*view` must hold what an earlier call with the same selection left,
// or be an empty object (or any value that is not an object: it is then made afresh). Throws only std::bad_alloc.
void RowView(const model::Applicant& applicant, RowReads& reads, kainjow::mustache::data* view);
void RowView(const model::Result& result, RowReads& reads, kainjow::mustache::data* view);

struct Image {
  std::string bytes;
  bool png = false;
};
// The photo object ({media_type, data: base64}) at `path` in the context; empty bytes when absent.
Image ImageAt(const kainjow::mustache::basic_context<std::string>& ctx, const std::string& path);

}  // namespace zhiping::templating
