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

// ---------------------------------------------------------------------------------------------------------------
// Mustache tags in template text.

struct Tag {
  char kind = 0;  // 0 value, '#' section, '^' inverted, '/' close
  std::string name;
};

std::string Trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r\n"), b = s.find_last_not_of(" \t\r\n");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

std::vector<Tag> ScanTags(const std::string& text) {
  std::vector<Tag> out;
  size_t pos = 0;
  while ((pos = text.find("{{", pos)) != std::string::npos) {
    bool triple = text.compare(pos, 3, "{{{") == 0;
    size_t start = pos + (triple ? 3 : 2);
    size_t end = text.find(triple ? "}}}" : "}}", start);
    if (end == std::string::npos) break;
    std::string inner = Trim(text.substr(start, end - start));
    pos = end + (triple ? 3 : 2);
    if (inner.empty() || inner[0] == '!' || inner[0] == '=' || inner[0] == '>') continue;
    Tag t;
    if (inner[0] == '#' || inner[0] == '^' || inner[0] == '/' || inner[0] == '&') {
      t.kind = inner[0] == '&' ? 0 : inner[0];
      inner = Trim(inner.substr(1));
    }
    if (inner.empty() || inner == ".") continue;
    t.name = inner;
    out.push_back(t);
  }
  return out;
}

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

// `path` (dotted, maybe with [] markers) ends with the name `n` as written in a tag ("name", "current_title.name").
bool TailMatches(const std::string& path, const std::string& n) {
  std::string p;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path.compare(i, 2, "[]") == 0) {
      ++i;
      continue;
    }
    p += path[i];
  }
  return p == n || EndsWith(p, "." + n);
}

// A raw use of a field as the template writes it, before normalising.
struct RawUse {
  std::string path;
  bool value = false;
  bool condition = false;
};

// ---------------------------------------------------------------------------------------------------------------
// Normalising raw paths.

struct Normalised {
  std::vector<FieldSegment> segs;
  bool date = false;
  bool cn = false;
};

Normalised Normalise(const std::string& raw, const std::set<std::string>& roots) {
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
  // Mustache looks a name up in the element first, then in the enclosing contexts: `{{batch.title}}` inside the
  // notice's table is the body's batch.title, not a field of each applicant.
  for (size_t k = n.segs.size(); k-- > 0;) {
    if (n.segs[k].list && k + 1 < n.segs.size() && roots.count(n.segs[k + 1].name) &&
        n.segs[k + 1].name != n.segs[0].name) {
      n.segs.erase(n.segs.begin(), n.segs.begin() + static_cast<long>(k) + 1);
      break;
    }
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
// Raw uses per template kind.

std::vector<RawUse> PdfUses(const std::string& file, const std::string& text) {
  auto tmpl = templating::PdfTemplate::Load(file);
  std::vector<std::string> paths = tmpl->Fields();
  // Which names the text prints and which it tests: the PDF template API lists paths, the text says how.
  std::set<std::string> values, conditions;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::string t = Trim(line);
    if (t.empty() || t[0] == '#') continue;
    for (const char* d : {"@if ", "@unless "}) {
      if (t.rfind(d, 0) == 0) conditions.insert(Trim(t.substr(std::string(d).size())));
    }
    if (t.rfind("@image", 0) == 0 || t.find("@photo") != std::string::npos) {
      // src=FIELD / @photo FIELD: an image, not text; never marked.
      continue;
    }
    for (const Tag& tag : ScanTags(line)) {
      if (tag.kind == 0)
        values.insert(tag.name);
      else if (tag.kind == '#' || tag.kind == '^')
        conditions.insert(tag.name);
    }
  }
  // The template API lists names as written; a name inside a section of an object (`{{#…votes}}{{for}}{{/…}}`) is
  // that object's member. Resolve those per line: name -> the section paths it sits in (relative to the line).
  std::set<std::string> root_names = {"batch"};  // names with a member or list: a bare name may be a member
  for (const std::string& p : paths)
    if (p.find_first_of(".[") != std::string::npos) root_names.insert(Split(Split(p, '.')[0], '[')[0]);
  std::map<std::string, std::set<std::string>> in_section;  // "for" -> {"applicant.opinions.committee.votes.for"}
  std::set<std::string> outside;                            // names also used outside any section
  std::istringstream lines(text);
  while (std::getline(lines, line)) {
    std::vector<std::string> stack;
    for (const Tag& tag : ScanTags(line)) {
      if (tag.kind == '/') {
        if (!stack.empty()) stack.pop_back();
        continue;
      }
      std::string name = tag.name;
      if (stack.empty()) {
        outside.insert(name);
      } else {
        const std::string& s = stack.back();
        const std::string first = Split(name, '.')[0];
        const std::string last_of_s = Split(s, '.').back();
        std::string base = EndsWith(name, "_cn") ? name.substr(0, name.size() - 3) : name;
        bool member = !root_names.count(first) && name != s && base != last_of_s && first != Split(s, '.')[0];
        if (member)
          in_section[name].insert(s + "." + name);
        else
          outside.insert(name);
      }
      if (tag.kind == '#' || tag.kind == '^') stack.push_back(name);
    }
  }
  std::vector<std::string> resolved;
  for (const std::string& p : paths) {
    size_t cut = p.rfind("[].");
    const std::string prefix = cut == std::string::npos ? "" : p.substr(0, cut + 3);
    const std::string tail = cut == std::string::npos ? p : p.substr(cut + 3);
    auto it = in_section.find(tail);
    if (it == in_section.end()) {
      resolved.push_back(p);
      continue;
    }
    for (const std::string& full : it->second) resolved.push_back(prefix + full);
    if (outside.count(tail)) resolved.push_back(p);
  }
  paths = resolved;

  std::vector<RawUse> out;
  for (const std::string& p : paths) {
    RawUse u;
    u.path = p;
    if (EndsWith(p, "[]")) {
      out.push_back(u);
      continue;
    }
    for (const std::string& v : values) u.value = u.value || TailMatches(p, v);
    for (const std::string& c : conditions) u.condition = u.condition || TailMatches(p, c);
    out.push_back(u);
  }
  return out;
}

// Names in one Mustache text, resolved against sections: a name inside {{#a.b}} is a.b's member unless it is
// absolute (starts with a root name or the section's own first name).
void MustacheUses(const std::string& text, const std::set<std::string>& absolute,
                  const std::function<void(const std::string&, bool value)>& emit) {
  std::vector<std::string> stack;
  for (const Tag& tag : ScanTags(text)) {
    if (tag.kind == '/') {
      if (!stack.empty()) stack.pop_back();
      continue;
    }
    std::string name = tag.name;
    if (!stack.empty()) {
      const std::string first = Split(name, '.')[0];
      bool abs = absolute.count(first) > 0;
      for (const std::string& s : stack) abs = abs || Split(s, '.')[0] == first || s == name;
      if (!abs) name = stack.back() + "." + name;
    }
    emit(name, tag.kind == 0);
    if (tag.kind == '#' || tag.kind == '^') stack.push_back(name);
  }
}

std::vector<RawUse> RosterUses(const std::string& file, const std::string& text) {
  xlsx::RosterTemplate t = xlsx::ParseRosterTemplate(text, file);
  std::string rows;
  for (size_t i = 0; i < t.rows.size(); ++i) rows += (i ? "." : "") + t.rows[i];
  std::map<std::string, std::string> joins;  // name -> "results[]"
  std::set<std::string> absolute = {"batch"};
  std::vector<RawUse> out;
  auto add = [&](const std::string& path, bool value) {
    RawUse u;
    u.path = path;
    u.value = value;
    u.condition = !value;
    out.push_back(u);
  };
  if (!rows.empty()) {
    absolute.insert(Split(rows, '.')[0]);
    add(rows + "[]", false);
  }
  for (const xlsx::RosterJoin& j : t.joins) {
    std::string from;
    for (size_t i = 0; i < j.from.size(); ++i) from += (i ? "." : "") + j.from[i];
    joins[j.name] = from + "[]";
    absolute.insert(j.from.empty() ? j.name : j.from[0]);
    add(from + "[]." + j.key, true);
    if (!rows.empty()) add(rows + "[]." + j.match, true);
  }
  auto body_text = [&](const std::string& s) {
    MustacheUses(s, absolute, [&](const std::string& n, bool v) { add(n, v); });
  };
  auto row_text = [&](const std::string& s) {
    std::set<std::string> abs = absolute;
    for (const auto& [name, from] : joins) abs.insert(name);
    MustacheUses(s, abs, [&](const std::string& n, bool v) {
      const std::string first = Split(n, '.')[0];
      const std::string rest = n.size() > first.size() ? n.substr(first.size()) : "";
      auto j = joins.find(first);
      if (j != joins.end())
        add(j->second + rest, v);
      else if (first == "batch" || rows.empty())
        add(n, v);
      else
        add(rows + "[]." + n, v);
    });
  };
  body_text(t.title);
  body_text(t.subject);
  body_text(t.author);
  body_text(t.company);
  for (const xlsx::RosterColumn& c : t.columns) {
    body_text(c.header);
    row_text(c.value);
    row_text(c.until);
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
  std::vector<RawUse> uses;
  if (out.output == "pdf")
    uses = PdfUses(file, text);
  else if (out.output == "xlsx")
    uses = RosterUses(file, text);
  else
    throw Error(ErrorKind::kTemplate, file + ":1: the first directive must be '@template pdf' or '@template xlsx'",
                {{file + ":1", "the first directive must be '@template pdf' or '@template xlsx'"}});

  std::set<std::string> roots;
  for (const RawUse& u : uses) {
    std::string first = Split(u.path, '.')[0];
    if (EndsWith(first, "[]")) first = first.substr(0, first.size() - 2);
    roots.insert(first);
  }
  std::map<std::string, TemplateField> by_path;
  auto add_field = [&](const std::vector<FieldSegment>& segs, const RawUse* u, const Normalised* n) {
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
  for (const RawUse& u : uses) {
    Normalised n = Normalise(u.path, roots);
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
