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
#include "model/validate.h"
#include "render/renderer.h"
#include "templating/template.h"
#include "xlsx/roster_template.h"

namespace zhiping::preview {

using Poco::Dynamic::Var;
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

// ---------------------------------------------------------------------------------------------------------------
// Walking bodies.

bool IsEmptyValue(const Var& v) { return v.isEmpty() || (v.isString() && v.extract<std::string>().empty()); }

Object::Ptr AsObject(const Var& v) {
  if (v.type() == typeid(Object::Ptr)) return v.extract<Object::Ptr>();
  return nullptr;
}
Array::Ptr AsArray(const Var& v) {
  if (v.type() == typeid(Array::Ptr)) return v.extract<Array::Ptr>();
  return nullptr;
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

struct Site {
  Object::Ptr parent;                 // the object that should hold the value (null: an object on the way is absent)
  std::string pointer;                // pointer of the absent value
  std::vector<std::string> creating;  // absent objects between `holder` and the value (keys, in order)
  Object::Ptr holder;                 // the deepest existing object
};

void FindMissing(const Var& node, const TemplateField& f, size_t i, const std::string& ptr,
                 const std::set<std::string>& tested, std::vector<Site>* out) {
  Object::Ptr o = AsObject(node);
  if (!o) return;
  const FieldSegment& s = f.segments[i];
  const bool last = i + 1 == f.segments.size();
  const std::string here = ptr + "/" + PointerToken(s.name);
  Var v = o->has(s.name) ? o->get(s.name) : Var();
  if (s.list) {
    Array::Ptr arr = AsArray(v);
    if (!arr || last) return;  // an absent list is reported by validation or shown as no rows
    for (unsigned k = 0; k < arr->size(); ++k)
      FindMissing(arr->get(k), f, i + 1, here + "/" + std::to_string(k), tested, out);
    return;
  }
  if (last) {
    bool empty = IsEmptyValue(v);
    if (!empty && f.shown_as_cn && o->has(s.name + "_cn")) empty = false;
    if (empty) {
      Site site;
      site.parent = o;
      site.holder = o;
      site.pointer = here;
      out->push_back(site);
    }
    return;
  }
  if (IsEmptyValue(v)) {
    // An absent object the template tests ({{#…votes}}): its members are not printed, so nothing is missing.
    for (size_t k = i; k + 1 < f.segments.size(); ++k)
      if (tested.count(JoinPath(f.segments, k + 1))) return;
    // Absent objects on the way; lists further down cannot be marked.
    Site site;
    site.holder = o;
    site.pointer = here;
    site.creating.push_back(s.name);
    for (size_t k = i + 1; k < f.segments.size(); ++k) {
      if (f.segments[k].list) return;
      site.pointer += "/" + PointerToken(f.segments[k].name);
      site.creating.push_back(f.segments[k].name);
    }
    out->push_back(site);
    return;
  }
  FindMissing(v, f, i + 1, here, tested, out);
}

}  // namespace

std::vector<MissingField> MarkMissingFields(const TemplateFields& fields, const Poco::JSON::Object::Ptr& body,
                                            const std::string& template_name, const std::string& today) {
  std::vector<MissingField> out;
  if (!body) return out;
  // Prefixes the template tests (`{{#result.mid_review}}`): creating such an object would change what is shown.
  std::set<std::string> tested;
  for (const TemplateField& f : fields.fields)
    if (f.condition) tested.insert(f.path);

  struct Marked {
    size_t field;
    Object::Ptr obj;         // where the marker key was set
    std::string key;         // the marker key
    Object::Ptr created_in;  // when objects were created: the holder and the first created key
    std::string created_key;
    std::string pointer;
    bool alive = true;
  };
  std::vector<Marked> marks;

  for (const TemplateField& f : fields.fields) {
    if (f.condition || !f.value || f.segments.empty() || f.segments.back().list) continue;
    // Only leaves: a path that is the parent of another field is an object.
    bool parent_of_other = false;
    for (const TemplateField& g : fields.fields)
      if (g.path.size() > f.path.size() && g.path.compare(0, f.path.size() + 1, f.path + ".") == 0)
        parent_of_other = true;
    if (parent_of_other) continue;
    std::vector<Site> sites;
    FindMissing(body, f, 0, "", tested, &sites);
    if (sites.empty()) continue;
    MissingField m;
    m.field = f.path;
    bool can_create = true;
    for (const std::string& t : tested)
      if (f.path.compare(0, t.size() + 1, t + ".") == 0) can_create = false;
    for (const Site& s : sites) {
      m.pointers.push_back(s.pointer);
      if (!s.creating.empty() && !can_create) continue;
      Object::Ptr holder = s.holder;
      Marked mk;
      mk.field = out.size();
      mk.pointer = s.pointer;
      if (!s.creating.empty()) {
        mk.created_in = holder;
        mk.created_key = s.creating.front();
        for (size_t k = 0; k + 1 < s.creating.size(); ++k) {
          Object::Ptr child = Object::Ptr(new Object);
          holder->set(s.creating[k], child);
          holder = child;
        }
      }
      const std::string leaf = f.segments.back().name;
      mk.obj = holder;
      mk.key = f.shown_as_cn ? leaf + "_cn" : leaf;
      holder->set(mk.key, MissingMarker(f.path));
      if (f.shown_as_cn) mk.pointer = mk.pointer + "_cn";
      marks.push_back(mk);
      m.marked = true;
    }
    out.push_back(m);
  }

  // A marker must not turn valid data into invalid data (a date field holding text, a length limit).
  model::ValidationContext ctx;
  ctx.today = OfficeToday(today);
  for (int round = 0; round < 8 && !marks.empty(); ++round) {
    Problems problems;
    try {
      problems = model::ValidateRequest(template_name, body, ctx);
    } catch (const Error&) {
      break;
    }
    bool removed = false;
    for (Marked& mk : marks) {
      if (!mk.alive) continue;
      for (const Problem& p : problems) {
        std::string created_ptr;
        bool hit = p.pointer == mk.pointer || p.pointer.rfind(mk.pointer + "/", 0) == 0;
        if (!hit && mk.created_in) {
          // a problem inside an object we created
          size_t cut = mk.pointer.rfind("/" + PointerToken(mk.created_key));
          if (cut != std::string::npos) {
            created_ptr = mk.pointer.substr(0, cut + 1 + PointerToken(mk.created_key).size());
            hit = p.pointer == created_ptr || p.pointer.rfind(created_ptr + "/", 0) == 0;
          }
        }
        if (!hit) continue;
        if (mk.created_in)
          mk.created_in->remove(mk.created_key);
        else
          mk.obj->remove(mk.key);
        mk.alive = false;
        removed = true;
        break;
      }
    }
    if (!removed) break;
  }
  for (MissingField& m : out) m.marked = false;
  for (const Marked& mk : marks)
    if (mk.alive) out[mk.field].marked = true;
  return out;
}

}  // namespace zhiping::preview
