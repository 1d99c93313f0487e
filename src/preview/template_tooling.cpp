#include "preview/template_tooling.h"

#include "model/request_json.h"
#include "model/sample.h"

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
#include "model/request_fields.h"
#include "model/validate.h"
#include "render/renderer.h"
#include "templating/template.h"
#include "xlsx/roster_template.h"

namespace zhiping::preview {

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

}  // namespace

// -----------------------------------------------------------------------------------------------------------------

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
      Object::Ptr o = Object::Ptr(new Object);
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

Poco::JSON::Object::Ptr GenerateSample(const std::string& template_name) {
  try {
    return model::ToJson(model::SampleRequest(template_name));
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::kNotFound) throw;
    return new Object;  // a template the model has no request for: nothing can render it
  }
}

Poco::JSON::Object::Ptr DescribeTemplate(const render::Renderer& renderer, const std::string& name) {
  for (const render::TemplateInfo& info : renderer.Templates()) {
    if (info.name != name) continue;
    TemplateFields fields = ReadTemplateFields(info.name, info.path);
    Object::Ptr out = Object::Ptr(new Object);
    out->set("name", info.name);
    out->set("title", info.title);
    out->set("output", info.output);
    out->set("fields", FieldTree(fields));
    out->set("sample", GenerateSample(info.name));
    return out;
  }
  throw Error(ErrorKind::kNotFound, "unknown template '" + name + "'");
}

// -----------------------------------------------------------------------------------------------------------------
// Missing fields.

namespace {

bool AbsentText(const std::string& s) { return s.empty(); }
bool AbsentText(const model::Text& t) { return !t || t->empty(); }

// One field's path walked through a typed request: at its end, an absent text gets the marker (when `may_mark`),
// and every absent value is reported by its JSON Pointer. An absent object on the way is walked as an empty one
// and kept only when a marker went into it, so creating it cannot change anything but the marked text.
class MarkWalk {
 public:
  struct Result {
    std::vector<std::string> pointers;
    bool marked = false;
  };
  MarkWalk(const TemplateField& f, const std::set<std::string>& tested, size_t depth, std::string pointer,
           bool may_mark, Result* out)
      : f_(f), tested_(tested), i_(depth), pointer_(std::move(pointer)), may_mark_(may_mark), out_(out) {}

  template <typename T>
  void Field(const char* name, T& member) {
    if (i_ >= f_.segments.size() || f_.segments[i_].name != name) return;
    Step(member, pointer_ + "/" + PointerToken(name));
  }

 private:
  bool last() const { return i_ + 1 == f_.segments.size(); }

  template <typename T>
  void Down(T& record, const std::string& here, bool may_mark) {
    MarkWalk next(f_, tested_, i_ + 1, here, may_mark, out_);
    model::VisitFields(record, next);
  }

  // Texts: the marker's place.
  template <typename S>
  void Text(S& text, const std::string& here) {
    if (!last() || !AbsentText(text)) return;
    out_->pointers.push_back(here);
    if (!may_mark_) return;
    text = MissingMarker(f_.path);
    out_->marked = true;
  }
  void Step(std::string& text, const std::string& here) { Text(text, here); }
  void Step(model::Text& text, const std::string& here) { Text(text, here); }

  // Values that cannot hold a marker (dates, numbers, yes/no): reported when absent, never filled.
  template <typename T>
  void Absent(const std::optional<T>& value, const std::string& here) {
    if (last() && !value) out_->pointers.push_back(here);
  }
  void Step(std::optional<model::Date>& v, const std::string& here) { Absent(v, here); }
  void Step(std::optional<double>& v, const std::string& here) { Absent(v, here); }
  void Step(std::optional<int64_t>& v, const std::string& here) { Absent(v, here); }
  void Step(std::optional<bool>& v, const std::string& here) { Absent(v, here); }
  void Step(model::Date&, const std::string&) {}  // required: always there
  void Step(double&, const std::string&) {}
  void Step(int64_t&, const std::string&) {}
  void Step(bool&, const std::string&) {}

  template <typename T>
  void Step(std::vector<T>& list, const std::string& here) {
    if (last() || !f_.segments[i_].list) return;  // an absent list is validation's, or shows as no rows
    for (size_t k = 0; k < list.size(); ++k) Down(list[k], here + "/" + std::to_string(k), may_mark_);
  }
  template <typename T>
  void Step(std::optional<T>& record, const std::string& here) {
    if (last()) {
      if (!record) out_->pointers.push_back(here);
      return;
    }
    if (record) return Down(*record, here, may_mark_);
    // An absent object the template tests ({{#…votes}}): its members are not printed, so nothing is missing.
    for (size_t k = i_; k + 1 < f_.segments.size(); ++k)
      if (tested_.count(JoinPath(f_.segments, k + 1))) return;
    for (size_t k = i_ + 1; k < f_.segments.size(); ++k)
      if (f_.segments[k].list) return;  // lists further down cannot be marked
    // Created only where no condition of the template looks at it (creating it would change what is shown).
    bool may_create = may_mark_;
    for (const std::string& t : tested_)
      if (f_.path.compare(0, t.size() + 1, t + ".") == 0) may_create = false;
    T created{};
    const bool before = out_->marked;
    out_->marked = false;
    Down(created, here, may_create);
    if (out_->marked) record = std::move(created);
    out_->marked = out_->marked || before;
  }
  template <typename T>
  void Step(T& record, const std::string& here) {  // a record that is always there (batch, applicant, …)
    if (!last()) Down(record, here, may_mark_);
  }

  const TemplateField& f_;
  const std::set<std::string>& tested_;
  size_t i_;
  std::string pointer_;
  bool may_mark_;
  Result* out_;
};

}  // namespace

std::vector<MissingField> MarkMissingFields(const TemplateFields& fields, model::Request* request) {
  std::vector<MissingField> out;
  // Prefixes the template tests (`{{#result.mid_review}}`): creating such an object would change what is shown.
  std::set<std::string> tested;
  for (const TemplateField& f : fields.fields)
    if (f.condition) tested.insert(f.path);

  for (const TemplateField& f : fields.fields) {
    if (f.condition || !f.value || f.segments.empty() || f.segments.back().list) continue;
    // Only leaves: a path that is the parent of another field is an object.
    bool parent_of_other = false;
    for (const TemplateField& g : fields.fields)
      if (g.path.size() > f.path.size() && g.path.compare(0, f.path.size() + 1, f.path + ".") == 0)
        parent_of_other = true;
    if (parent_of_other) continue;
    MarkWalk::Result result;
    std::visit(
        [&](auto& typed) {
          MarkWalk walk(f, tested, 0, "", true, &result);
          model::VisitFields(typed, walk);
        },
        *request);
    if (result.pointers.empty()) continue;
    MissingField m;
    m.field = f.path;
    m.pointers = std::move(result.pointers);
    m.marked = result.marked;
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace zhiping::preview
