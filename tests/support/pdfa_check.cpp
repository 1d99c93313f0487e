#include "support/pdfa_check.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <map>
#include <regex>

#include "support/run_command.h"

namespace zhiping::testing {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

struct Objects {
  Object::Ptr all;  // "obj:N 0 R" -> {"value": …} or {"stream": {"dict": …}}
  // The dictionary of an object (a stream's dictionary), following a reference "N 0 R".
  Object::Ptr Dict(const Poco::Dynamic::Var& v) const {
    if (v.type() == typeid(Object::Ptr)) return v.extract<Object::Ptr>();
    if (!v.isString()) return nullptr;
    Object::Ptr o = all->getObject("obj:" + v.toString());
    if (!o) return nullptr;
    if (o->has("stream")) return o->getObject("stream")->getObject("dict");
    if (o->has("value") && o->get("value").type() == typeid(Object::Ptr)) return o->getObject("value");
    return nullptr;
  }
  bool IsStream(const Poco::Dynamic::Var& v) const {
    if (!v.isString()) return false;
    Object::Ptr o = all->getObject("obj:" + v.toString());
    return o && o->has("stream");
  }
};

std::string Str(Object::Ptr d, const std::string& key) { return d && d->has(key) ? d->get(key).toString() : ""; }

// The value of an XMP element "<tag>…</tag>" (the first), or the li inside it.
std::string XmpValue(const std::string& xmp, const std::string& tag) {
  std::smatch m;
  if (!std::regex_search(xmp, m, std::regex("<" + tag + ">([\\s\\S]*?)</" + tag + ">"))) return "";
  std::string v = m[1];
  std::smatch li;
  if (std::regex_search(v, li, std::regex("<rdf:li[^>]*>([\\s\\S]*?)</rdf:li>"))) v = li[1];
  return v;
}

std::map<std::string, std::string> PdfinfoFields(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    size_t v = line.find_first_not_of(' ', colon + 1);
    out[line.substr(0, colon)] = v == std::string::npos ? "" : line.substr(v);
  }
  return out;
}

}  // namespace

std::vector<std::string> PdfAProblems(const std::string& path) {
  std::vector<std::string> p;
  const CommandResult json = RunCommand("qpdf --json --json-key=qpdf " + Quote(path));
  if (json.exit_code != 0) return {"qpdf --json failed: " + json.output()};
  Objects objs;
  try {
    Poco::JSON::Parser parser;
    objs.all = parser.parse(json.out).extract<Object::Ptr>()->getArray("qpdf")->getObject(1);
  } catch (const std::exception& e) {
    return {std::string("qpdf --json output unreadable: ") + e.what()};
  }
  Object::Ptr trailer = objs.all->getObject("trailer")->getObject("value");
  if (!trailer->has("/ID") || trailer->getArray("/ID")->size() != 2) p.push_back("trailer has no /ID");
  if (trailer->has("/Encrypt")) p.push_back("trailer has /Encrypt");
  Object::Ptr catalog = objs.Dict(trailer->get("/Root"));
  if (!catalog) return {"no catalog"};
  Object::Ptr meta = catalog->has("/Metadata") ? objs.Dict(catalog->get("/Metadata")) : nullptr;
  if (!meta || !objs.IsStream(catalog->get("/Metadata"))) {
    p.push_back("catalog has no /Metadata stream");
  } else {
    if (Str(meta, "/Type") != "/Metadata") p.push_back("metadata /Type is " + Str(meta, "/Type"));
    if (Str(meta, "/Subtype") != "/XML") p.push_back("metadata /Subtype is '" + Str(meta, "/Subtype") + "'");
    if (meta->has("/Filter")) p.push_back("metadata stream is filtered");
  }
  Array::Ptr intents = catalog->has("/OutputIntents") ? catalog->getArray("/OutputIntents") : nullptr;
  bool pdfa_intent = false;
  for (size_t i = 0; intents && i < intents->size(); ++i) {
    Object::Ptr intent = objs.Dict(intents->get(i));
    if (Str(intent, "/S") != "/GTS_PDFA1") continue;
    Poco::Dynamic::Var profile = intent->get("/DestOutputProfile");
    if (objs.IsStream(profile) && Str(objs.Dict(profile), "/N") == "3") pdfa_intent = true;
  }
  if (!pdfa_intent) p.push_back("no /OutputIntents entry /GTS_PDFA1 with an RGB ICC stream");

  static const std::regex base14("/(Helvetica|Times|Courier|Symbol|ZapfDingbats)");
  std::vector<std::string> keys;
  objs.all->getNames(keys);
  int fonts = 0;
  for (const std::string& key : keys) {
    if (key.compare(0, 4, "obj:") != 0) continue;
    Object::Ptr d = objs.Dict(key.substr(4));
    if (!d) continue;
    if (Str(d, "/Type") == "/Font" && Str(d, "/Subtype") != "/CIDFontType2") {
      ++fonts;
      const std::string name = Str(d, "/BaseFont");
      if (std::regex_search(name, base14)) p.push_back("base-14 font " + name);
      if (Str(d, "/Subtype") != "/Type0") {
        p.push_back("font " + name + " is " + Str(d, "/Subtype") + ", not an embedded Type0");
        continue;
      }
      if (!d->has("/ToUnicode")) p.push_back("font " + name + " has no ToUnicode");
      Object::Ptr cid = objs.Dict(d->getArray("/DescendantFonts")->get(0));
      if (!cid) {
        p.push_back("font " + name + " has no descendant");
        continue;
      }
      for (const char* k : {"/CIDSystemInfo", "/CIDToGIDMap", "/W", "/FontDescriptor"})
        if (!cid->has(k)) p.push_back("font " + name + " has no " + k);
      Object::Ptr fd = cid->has("/FontDescriptor") ? objs.Dict(cid->get("/FontDescriptor")) : nullptr;
      if (!fd || !fd->has("/FontFile2")) p.push_back("font " + name + " is not embedded (no FontFile2)");
    }
    if (Str(d, "/Type") == "/Annot" || d->has("/Rect")) {
      const int flags = d->has("/F") ? d->getValue<int>("/F") : 0;
      if (!(flags & 4) || (flags & (2 | 32 | 1 | 256))) p.push_back("annotation " + key + " has flags " + std::to_string(flags));
      Array::Ptr rect = d->getArray("/Rect");
      bool zero = rect && rect->size() == 4 && rect->get(0).convert<double>() == rect->get(2).convert<double>() &&
                  rect->get(1).convert<double>() == rect->get(3).convert<double>();
      if (!zero && !d->has("/AP")) p.push_back("annotation " + key + " has no appearance");
    }
  }
  if (fonts == 0) p.push_back("no fonts at all");
  if (std::regex_search(json.out, std::regex("\"/BaseFont\": \"/(Helvetica|Times|Courier|Symbol|ZapfDingbats)")))
    p.push_back("a base-14 /BaseFont");

  // XMP against the Info dictionary (pdfinfo -isodates prints both the way the XMP spells them).
  const CommandResult xmp = RunCommand("pdfinfo -meta " + Quote(path));
  const CommandResult info = RunCommand("pdfinfo -isodates " + Quote(path));
  for (const CommandResult* r : {&xmp, &info})
    if (r->exit_code != 0 || !r->err.empty()) p.push_back("pdfinfo: " + r->output());
  const auto fields = PdfinfoFields(info.out);
  auto field = [&](const std::string& k) { auto it = fields.find(k); return it == fields.end() ? "" : it->second; };
  if (XmpValue(xmp.out, "pdfaid:part") != "2") p.push_back("XMP pdfaid:part is not 2");
  if (XmpValue(xmp.out, "pdfaid:conformance") != "B") p.push_back("XMP pdfaid:conformance is not B");
  const std::pair<const char*, const char*> pairs[] = {{"Title", "dc:title"},          {"Author", "dc:creator"},
                                                       {"Creator", "xmp:CreatorTool"}, {"Producer", "pdf:Producer"},
                                                       {"CreationDate", "xmp:CreateDate"}, {"ModDate", "xmp:ModifyDate"}};
  for (auto [info_key, xmp_tag] : pairs)
    if (field(info_key) != XmpValue(xmp.out, xmp_tag))
      p.push_back(std::string("Info ") + info_key + " '" + field(info_key) + "' but XMP " + xmp_tag + " '" +
                  XmpValue(xmp.out, xmp_tag) + "'");
  if (field("Title").empty() || field("CreationDate").empty()) p.push_back("Info has no Title or CreationDate");
  for (const char* tool : {"pdffonts", "pdftotext"}) {
    const CommandResult r = RunCommand(std::string(tool) + " " + Quote(path) + (tool[3] == 't' ? " /dev/null" : ""));
    if (r.exit_code != 0 || !r.err.empty()) p.push_back(std::string(tool) + ": " + r.output());
  }
  return p;
}

}  // namespace zhiping::testing
