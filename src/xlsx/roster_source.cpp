#include "xlsx/roster_source.h"

#include <algorithm>

#include "common/error.h"
#include "model/parse.h"
#include "templating/view.h"

namespace zhiping::xlsx {

using templating::Data;
using templating::RowReads;
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

void RequestRosterSource::Row(size_t index, RowReads& reads, Data* out) {
  if (tmpl_.rows == model::kResultsList) templating::RowView(request_.results.at(index), reads, out);
  else templating::RowView(request_.applicants.at(index), reads, out);
}

bool RequestRosterSource::Partner(const RosterJoin& join, const std::string& match, RowReads& reads, Data* out) {
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
  if (results) templating::RowView(request_.results[found->second], reads, out);
  else templating::RowView(request_.applicants[found->second], reads, out);
  return true;
}

// ---- JoinIndex ----

JoinIndex::JoinIndex(const std::string& kind, const model::LazyBody& body, const model::ValidationContext& ctx)
    : kind_(kind), body_(body), ctx_(ctx) {}

void JoinIndex::ElementView(const std::string& list_name, size_t index, RowReads& reads,
                            model::LazyBody::Reader& reader, Data* out) {
  const model::LazyBody::List* list = body_.Find(list_name);
  if (!list) throw Error(ErrorKind::kInternal, "no located list " + list_name);
  if (list_name == model::kResultsList) {
    if (auto r = model::TypedRosterResult(reader, *list, index, ctx_)) return templating::RowView(*r, reads, out);
  } else if (auto a = model::TypedRosterApplicant(kind_, reader, *list, index, ctx_)) {
    return templating::RowView(*a, reads, out);
  }
  *out = Data(Data::type::object);  // it has a problem: the validation beside reports it and nothing is kept
}

std::string JoinIndex::KeyText(const RosterJoin& join, size_t index, model::LazyBody::Reader& reader) {
  const model::LazyBody::List* list = body_.Find(join.from);
  if (!list || list->elements[index].first != '{') return "";  // not an object: the validation reports it
  std::string key;
  if (reader.PlainMember(*list, index, join.key, &key)) return key;  // most keys: read without parsing
  const Selection only_key = Only(join.key);
  RowReads reads(only_key);
  Data view;
  ElementView(join.from, index, reads, reader, &view);
  return templating::TextOf(view.get(join.key));
}

std::optional<size_t> JoinIndex::Find(const RosterJoin& join, const std::string& match,
                                      model::LazyBody::Reader& reader) {
  auto [it, made] = index_.try_emplace(join.name);
  std::vector<Entry>& entries = it->second;
  const std::hash<std::string> hash;
  if (made) {
    if (const model::LazyBody::List* list = body_.Find(join.from)) {
      for (size_t i = 0; i < list->elements.size(); ++i) {
        std::string key = KeyText(join, i, reader);
        if (!key.empty()) entries.push_back(Entry{hash(key), static_cast<uint32_t>(i)});
      }
    }
    std::sort(entries.begin(), entries.end());
    entries.shrink_to_fit();
  }
  if (match.empty()) return std::nullopt;
  // The first element (lowest index) whose key is `match`: among those with its hash, in index order.
  const uint64_t wanted = hash(match);
  auto found = std::lower_bound(entries.begin(), entries.end(), Entry{wanted, 0});
  for (; found != entries.end() && found->hash == wanted; ++found) {
    if (KeyText(join, found->index, reader) == match) return found->index;
  }
  return std::nullopt;
}

std::string JoinIndex::MatchText(const RosterJoin& join, const model::Applicant& row) {
  std::unique_ptr<MatchView>& m = match_views_[join.name];
  if (!m) {
    m = std::make_unique<MatchView>();
    m->field.Add(join.match);
    m->reads.emplace(m->field);
  }
  templating::RowView(row, *m->reads, &m->view);
  return templating::TextOf(m->view.get(join.match));
}

// ---- FeedRow ----

FedRow FeedRow(const RosterTemplate& tmpl, model::Applicant row, JoinIndex& index, model::LazyBody::Reader& reader,
               const std::function<std::optional<model::Result>(size_t index)>& type_result) {
  FedRow fed;
  fed.applicant = std::move(row);
  for (const RosterJoin& join : tmpl.joins) {
    if (join.from != model::kResultsList) continue;
    FedPartner& p = fed.partners.emplace_back();
    p.join = join.name;
    p.match = index.MatchText(join, fed.applicant);
    p.index = index.Find(join, p.match, reader);
    if (p.index) p.result = type_result(*p.index);
  }
  return fed;
}

// ---- LazyRosterSource ----

LazyRosterSource::LazyRosterSource(const RosterTemplate& tmpl, const std::string& kind, const model::LazyBody& body,
                                   const model::Batch& batch, const model::ValidationContext& ctx,
                                   RowQueue<FedRow>* feed)
    : tmpl_(tmpl), body_(body), batch_(batch), ctx_(ctx), feed_(feed), reader_(body), index_(kind, body, ctx_) {
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

void LazyRosterSource::Row(size_t index, RowReads& reads, Data* out) {
  if (!feed_) return index_.ElementView(tmpl_.rows, index, reads, reader_, out);
  const FedRow* row = feed_->Pop();
  if (!row) {
    throw Error(ErrorKind::kUnavailable, feed_->cancelled() ? "roster writing stopped"
                                                            : "the rows ended before /" + tmpl_.rows + "/" +
                                                                  std::to_string(index));
  }
  fed_row_ = row;
  templating::RowView(row->applicant, reads, out);
}

bool LazyRosterSource::Partner(const RosterJoin& join, const std::string& match, RowReads& reads, Data* out) {
  for (const FedPartner& p : fed_row_ ? fed_row_->partners : std::vector<FedPartner>{}) {
    if (p.join != join.name || p.match != match) continue;
    if (!p.index) return false;
    if (p.result) templating::RowView(*p.result, reads, out);
    else *out = Data(Data::type::object);  // it has a problem: it reads as missing
    return true;
  }
  std::optional<size_t> found = index_.Find(join, match, reader_);
  if (!found) return false;
  index_.ElementView(join.from, *found, reads, reader_, out);
  return true;
}

}  // namespace zhiping::xlsx
