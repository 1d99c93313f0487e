#include "xlsx/roster_source.h"

#include "common/error.h"
#include "model/parse.h"
#include "templating/view.h"

namespace zhiping::xlsx {

using templating::Data;
using templating::Selection;

namespace {

Selection Only(const std::string& name) {
  Selection s;
  s.Add(name);
  return s;
}

template <typename T>
std::string KeyOf(const T& element, const std::string& key) {
  Data view = templating::RowView(element, Only(key));
  return templating::TextOf(view.get(key));
}

}  // namespace

// ---- RequestRosterSource ----

RequestRosterSource::RequestRosterSource(const RosterTemplate& tmpl, const model::RosterRequest& request)
    : tmpl_(tmpl), request_(request) {}

Data RequestRosterSource::Envelope(const Selection& reads) { return templating::EnvelopeView(request_.batch, reads); }

size_t RequestRosterSource::RowCount() const {
  return tmpl_.rows == model::kResultsList ? request_.results.size() : request_.applicants.size();
}

Data RequestRosterSource::Row(size_t index, const Selection& reads) {
  if (tmpl_.rows == model::kResultsList) return templating::RowView(request_.results.at(index), reads);
  return templating::RowView(request_.applicants.at(index), reads);
}

bool RequestRosterSource::Partner(const RosterJoin& join, const std::string& match, const Selection& reads,
                                  Data* out) {
  const bool results = join.from == model::kResultsList;
  auto [it, made] = index_.try_emplace(join.name);
  auto& by_key = it->second;
  if (made) {
    const size_t n = results ? request_.results.size() : request_.applicants.size();
    for (size_t i = 0; i < n; ++i) {
      std::string key = results ? KeyOf(request_.results[i], join.key) : KeyOf(request_.applicants[i], join.key);
      if (!key.empty()) by_key.emplace(std::move(key), i);  // the first element with a key is its partner
    }
  }
  auto found = by_key.find(match);
  if (found == by_key.end()) return false;
  *out = results ? templating::RowView(request_.results[found->second], reads)
                 : templating::RowView(request_.applicants[found->second], reads);
  return true;
}

// ---- LazyRosterSource ----

LazyRosterSource::LazyRosterSource(const RosterTemplate& tmpl, const std::string& kind, const model::LazyBody& body,
                                   const model::Batch& batch, const model::ValidationContext& ctx,
                                   RowQueue<model::Applicant>* feed)
    : tmpl_(tmpl), kind_(kind), body_(body), batch_(batch), ctx_(ctx), feed_(feed), reader_(body) {
  if (feed_ && tmpl_.rows != model::kApplicantsList) {
    throw Error(ErrorKind::kInternal, "applicants handed over for a roster whose rows are " + tmpl_.rows);
  }
}

LazyRosterSource::~LazyRosterSource() = default;

Data LazyRosterSource::Envelope(const Selection& reads) { return templating::EnvelopeView(batch_, reads); }

size_t LazyRosterSource::RowCount() const {
  const model::LazyBody::List* list = body_.Find(tmpl_.rows);
  return list ? list->elements.size() : 0;  // not a located list: the validation reports it, nothing is written
}

Data LazyRosterSource::ElementView(const std::string& list_name, size_t index, const Selection& reads) {
  const model::LazyBody::List* list = body_.Find(list_name);
  if (!list) throw Error(ErrorKind::kInternal, "no located list " + list_name);
  if (list_name == model::kResultsList) {
    if (auto r = model::TypedRosterResult(reader_, *list, index, ctx_)) return templating::RowView(*r, reads);
  } else if (auto a = model::TypedRosterApplicant(kind_, reader_, *list, index, ctx_)) {
    return templating::RowView(*a, reads);
  }
  return Data(Data::type::object);  // it has a problem: the validation beside reports it and nothing is kept
}

Data LazyRosterSource::Row(size_t index, const Selection& reads) {
  if (!feed_) return ElementView(tmpl_.rows, index, reads);
  const model::Applicant* row = feed_->Pop();
  if (!row) {
    throw Error(ErrorKind::kUnavailable, feed_->cancelled() ? "roster writing stopped"
                                                            : "the rows ended before /" + tmpl_.rows + "/" +
                                                                  std::to_string(index));
  }
  return templating::RowView(*row, reads);
}

std::string LazyRosterSource::KeyText(const std::string& list_name, size_t index, const std::string& key) {
  const model::LazyBody::List* list = body_.Find(list_name);
  std::string text;
  if (list && reader_.PlainMember(*list, index, key, &text)) return text;  // most keys: read without parsing
  Data view = ElementView(list_name, index, Only(key));
  return templating::TextOf(view.get(key));
}

bool LazyRosterSource::Partner(const RosterJoin& join, const std::string& match, const Selection& reads,
                               Data* out) {
  auto [it, made] = index_.try_emplace(join.name);
  auto& by_key = it->second;
  if (made) {
    if (const model::LazyBody::List* list = body_.Find(join.from)) {
      for (size_t i = 0; i < list->elements.size(); ++i) {
        if (list->elements[i].first != '{') continue;  // not an object: the validation reports it
        std::string key = KeyText(join.from, i, join.key);
        if (!key.empty()) by_key.emplace(std::move(key), i);  // the first element with a key is its partner
      }
    }
  }
  auto found = by_key.find(match);
  if (found == by_key.end()) return false;
  *out = ElementView(join.from, found->second, reads);
  return true;
}

}  // namespace zhiping::xlsx
