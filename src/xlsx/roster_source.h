// xlsx/roster_source.h — what a roster is written from: typed values (model/request.h), handed to the writer as
// the template's data by the one view builder (templating::RowView), so the writer never reads a request body.
//
// A source gives the envelope ({batch: …}), the rows of the template's @rows list in order, and for each @join the
// element of its list whose key matches a row. Each value is made only of what the template reads (`reads`). Rows
// and partners are viewed into the caller's data, refreshed in place (templating::RowView's refreshing form: the
// writer keeps one tree for the current row and one per join instead of making them again 100,000 times).
// Two sources: RequestRosterSource, a roster request held whole; LazyRosterSource, a body kept as text whose rows
// may be handed over typed by the thread that validates them (render/renderer.cpp). One writer uses a source at a
// time, from one thread; a source is not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/lazy_body.h"
#include "model/request.h"
#include "model/validate.h"
#include "templating/scope.h"
#include "templating/selection.h"
#include "templating/view.h"
#include "xlsx/roster_template.h"
#include "xlsx/row_queue.h"

namespace zhiping::xlsx {

class RosterSource {
 public:
  virtual ~RosterSource() = default;
  virtual templating::Data Envelope(const templating::Selection& reads) = 0;
  virtual size_t RowCount() const = 0;
  // Row `index` (called for 0, 1, … in order) into `*out` (as templating::RowView refreshes it: it holds an earlier
  // row viewed with the same `reads`, or an empty object). Throws zhiping::Error kUnavailable when the rows stop
  // coming (the feed was cancelled).
  virtual void Row(size_t index, templating::RowReads& reads, templating::Data* out) = 0;
  // The element of `join.from` whose `join.key` reads `match` into `*out` (refreshed the same way); false when none
  // (`*out` is then left as it was).
  virtual bool Partner(const RosterJoin& join, const std::string& match, templating::RowReads& reads,
                       templating::Data* out) = 0;
};

// A roster request held whole (ParseRoster's value). Borrows `request`, which must outlive the source.
class RequestRosterSource : public RosterSource {
 public:
  RequestRosterSource(const RosterTemplate& tmpl, const model::RosterRequest& request);
  templating::Data Envelope(const templating::Selection& reads) override;
  size_t RowCount() const override;
  void Row(size_t index, templating::RowReads& reads, templating::Data* out) override;
  bool Partner(const RosterJoin& join, const std::string& match, templating::RowReads& reads,
               templating::Data* out) override;

 private:
  const RosterTemplate& tmpl_;
  const model::RosterRequest& request_;
  // Per join name: key text -> element index (the first element with that key).
  std::unordered_map<std::string, std::unordered_map<std::string, size_t>> index_;
};

// The elements of a body's located list by the text of one of their fields (a @join's key), for LazyRosterSource
// and for the thread that feeds it (FedRow). The first element with a key is its partner; an element that is not
// an object, or whose key field does not type (a problem the validation reports), has no key. Most keys are read
// without parsing the element (LazyBody::Reader::PlainMember). A join's index holds 12 bytes an element (the key's
// hash and the element's number, sorted); a lookup reads the key of each element with the hash again, so a hash
// collision never joins the wrong element. Borrows `body` and `ctx`; one thread.
class JoinIndex {
 public:
  JoinIndex(const std::string& kind, const model::LazyBody& body, const model::ValidationContext& ctx);
  // The index in `join.from` of the partner of `match`; nullopt when none. The join's index is built on first use.
  std::optional<size_t> Find(const RosterJoin& join, const std::string& match, model::LazyBody::Reader& reader);
  // The text `row` matches partners with (its `join.match` field as the writer reads it: TextOf its view), read
  // through a view kept per join and refreshed row after row.
  std::string MatchText(const RosterJoin& join, const model::Applicant& row);
  // Element `index` of `list_name` typed and viewed into `*out` (only `reads`; refreshed as RowView does); an empty
  // object when it does not type.
  void ElementView(const std::string& list_name, size_t index, templating::RowReads& reads,
                   model::LazyBody::Reader& reader, templating::Data* out);

 private:
  struct Entry {
    uint64_t hash;
    uint32_t index;
    bool operator<(const Entry& o) const { return hash != o.hash ? hash < o.hash : index < o.index; }
  };
  // The key text of element `index` of `list` (join.from); "" when it has none.
  std::string KeyText(const RosterJoin& join, size_t index, model::LazyBody::Reader& reader);

  std::string kind_;
  const model::LazyBody& body_;
  const model::ValidationContext& ctx_;
  std::unordered_map<std::string, std::vector<Entry>> index_;  // per join name, sorted
  struct MatchView {
    templating::Selection field;  // only join.match
    std::optional<templating::RowReads> reads;  // of `field`, made once it is filled
    templating::Data view;
  };
  std::unordered_map<std::string, std::unique_ptr<MatchView>> match_views_;  // per join name
};

// A row handed to LazyRosterSource by the thread that validates the body: the typed applicant, and the partners
// it already found and typed for the template's joins over /results (so the writer parses no result itself).
struct FedPartner {
  std::string join;                      // RosterJoin::name
  std::string match;                     // the row's match text it was found for
  std::optional<size_t> index;           // the partner's index in /results; nullopt: no partner
  std::optional<model::Result> result;   // typed; nullopt when it has a problem (then it reads as missing)
};
struct FedRow {
  model::Applicant applicant;
  std::vector<FedPartner> partners;
};

// The feeding thread's half: `row` with its partners over /results found (`index`, its own JoinIndex) and typed
// by `type_result` (the validation's Result: a result is then parsed and checked once, by that thread).
FedRow FeedRow(const RosterTemplate& tmpl, model::Applicant row, JoinIndex& index, model::LazyBody::Reader& reader,
               const std::function<std::optional<model::Result>(size_t index)>& type_result);

// A body kept as text (model::LazyBody), validated elsewhere: the envelope's batch comes typed from that validation;
// rows come typed through `feed` when given (the validator's applicants, in order, with their partners: FeedRow),
// else are read from the body; joined elements not fed are read from the body when a row needs them. Elements are
// typed by the model's rules (model::TypedRosterApplicant/Result); one that does not type (it has a problem, which
// the validation reports) reads as missing. Borrows everything given, which must outlive the source.
class LazyRosterSource : public RosterSource {
 public:
  LazyRosterSource(const RosterTemplate& tmpl, const std::string& kind, const model::LazyBody& body,
                   const model::Batch& batch, const model::ValidationContext& ctx,
                   RowQueue<FedRow>* feed = nullptr);
  ~LazyRosterSource() override;
  templating::Data Envelope(const templating::Selection& reads) override;
  size_t RowCount() const override;
  void Row(size_t index, templating::RowReads& reads, templating::Data* out) override;
  bool Partner(const RosterJoin& join, const std::string& match, templating::RowReads& reads,
               templating::Data* out) override;

 private:
  const RosterTemplate& tmpl_;
  const model::LazyBody& body_;
  const model::Batch& batch_;
  model::ValidationContext ctx_;
  RowQueue<FedRow>* feed_;
  model::LazyBody::Reader reader_;
  JoinIndex index_;
  const FedRow* fed_row_ = nullptr;  // the current row when fed (valid until the next Pop)
};

}  // namespace zhiping::xlsx
