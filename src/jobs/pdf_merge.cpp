#include "jobs/pdf_merge.h"

#include <openssl/evp.h>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDFAnnotationObjectHelper.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <set>

#include "common/error.h"
#include "pdf/pdfa.h"

namespace zhiping::jobs {

// A page of an opened source: its object, and its annotations' appearances to draw into its content (what qpdf's
// flattenAnnotations does, without its QPDF::newStream: that resolves every object of the file).
struct OpenedPage {
  QPDFObjectHandle page;
  std::string extra;                                                // content drawing the appearances
  std::vector<std::pair<std::string, QPDFObjectHandle>> forms;      // their names and form XObjects
};

struct PdfMerger::Opened {
  std::string pdf;  // the bytes qpdf reads from (processMemoryFile does not copy them)
  std::string what;
  QPDF q;
  std::vector<OpenedPage> pages;
};

namespace {

// Resolves every object a page's copy will read (qpdf parses an object when first used), so that parsing is done
// on the thread that opened the source, not on the writer's.
void Resolve(QPDFObjectHandle h, std::set<QPDFObjGen>& seen) {
  if (h.isIndirect() && !seen.insert(h.getObjGen()).second) return;
  if (h.isStream()) {
    Resolve(h.getDict(), seen);
  } else if (h.isArray()) {
    for (QPDFObjectHandle e : h.getArrayAsVector()) Resolve(e, seen);
  } else if (h.isDictionary()) {
    for (auto& [key, v] : h.getDictAsMap())
      if (key != "/Parent" && key != "/Annots") Resolve(v, seen);
  }
}

}  // namespace

void PdfMerger::OpenedDeleter::operator()(Opened* o) const { delete o; }

PdfMerger::OpenedPtr PdfMerger::Open(std::string pdf, std::string what) {
  OpenedPtr o(new Opened);
  o->pdf = std::move(pdf);
  o->what = std::move(what);
  try {
    o->q.setSuppressWarnings(true);
    o->q.processMemoryFile(o->what.c_str(), o->pdf.data(), o->pdf.size());
    QPDFPageDocumentHelper doc(o->q);
    doc.pushInheritedAttributesToPage();  // each page carries its own /Resources, /MediaBox
    std::set<QPDFObjGen> seen;
    for (QPDFPageObjectHelper& page : doc.getAllPages()) {
      OpenedPage op{page.getObjectHandle(), {}, {}};
      for (QPDFAnnotationObjectHelper& a : page.getAnnotations()) {
        const std::string name = "/ZpAnnot" + std::to_string(op.forms.size() + 1);
        const std::string content = a.getPageContentForAppearance(name, 0, 0, an_invisible | an_hidden);
        if (content.empty()) continue;
        op.forms.emplace_back(name, a.getAppearanceStream("/N"));
        op.extra += content;
        Resolve(op.forms.back().second, seen);
      }
      Resolve(op.page, seen);
      o->pages.push_back(std::move(op));
    }
  } catch (const std::exception& e) {
    throw Error(ErrorKind::kInvalidInput, o->what + " 无法读取为 PDF：" + e.what());
  }
  return o;
}

// One source PDF being copied: its objects' new numbers. Objects are written depth first, children before the
// object that refers to them, so a stream's whole text (dictionary with renumbered references, and bytes) is known
// before it is written and can be recognised as one written before.
struct PdfMerger::Source {
  PdfMerger& m;
  std::map<QPDFObjGen, int> numbers;  // written, or reserved while in progress (a reference cycle)
  std::set<QPDFObjGen> open;          // being serialised now

  // The number object `h` (indirect) has in the output, writing it first if it was not yet.
  int Ref(QPDFObjectHandle h) {
    const QPDFObjGen og = h.getObjGen();
    if (auto it = numbers.find(og); it != numbers.end()) return it->second;
    if (open.count(og)) return numbers[og] = m.NewObject();  // a cycle: it keeps this number, and is not shared
    open.insert(og);
    std::string body;
    std::shared_ptr<Buffer> data;
    if (h.isStream()) {
      data = h.getRawStreamData();  // still compressed: copied, not decoded
      Dictionary(h.getDict(), body, {"/Length"});
      body.insert(body.size() - 2, "/Length " + std::to_string(data->getSize()));
    } else {
      Value(h, body, /*top=*/true);
    }
    open.erase(og);
    const auto reserved = numbers.find(og);
    const int n = m.Emit(body, data ? reinterpret_cast<const char*>(data->getBuffer()) : nullptr,
                         data ? data->getSize() : 0, reserved != numbers.end() ? reserved->second : 0);
    return numbers[og] = n;
  }

  // A new stream of `content` (uncompressed), or the same one written before.
  int NewStream(const std::string& content) {
    return m.Emit("<</Length " + std::to_string(content.size()) + ">>", content.data(), content.size(), 0);
  }

  // Page `page`, its annotations' appearances drawn into its content (what qpdf's flattenAnnotations does, without
  // its QPDF::newStream: that resolves every object of the file, ~1.7 ms a letter, most of the merge's time).
  std::string Page(const OpenedPage& page, int parent) {
    QPDFObjectHandle p = page.page;
    const std::string& extra = page.extra;
    const auto& forms = page.forms;
    std::set<std::string> skip = {"/Parent", "/Annots", "/B", "/StructParents"};
    if (!forms.empty()) skip.insert({"/Resources", "/Contents"});
    std::string body;
    Dictionary(p, body, skip);
    std::string added = "/Parent " + std::to_string(parent) + " 0 R";
    if (!forms.empty()) {
      QPDFObjectHandle res = p.getKey("/Resources");
      std::string resources = "<<>>", xobjects = "<<>>";
      if (res.isDictionary()) {
        Dictionary(res, resources, {"/XObject"});
        resources.erase(0, 4);  // "<<>>" + "<<…>>": keep the second
        if (res.getKey("/XObject").isDictionary()) {
          xobjects.clear();
          Dictionary(res.getKey("/XObject"), xobjects, {});
        }
      }
      for (auto& [name, form] : forms)
        xobjects.insert(xobjects.size() - 2, name + " " + std::to_string(Ref(form)) + " 0 R ");
      resources.insert(resources.size() - 2, "/XObject " + xobjects);
      std::string contents = "[" + std::to_string(NewStream("q\n")) + " 0 R ";
      QPDFObjectHandle c = p.getKey("/Contents");
      for (QPDFObjectHandle part : c.isArray() ? c.getArrayAsVector() : std::vector<QPDFObjectHandle>{c}) {
        if (part.isNull()) continue;
        Value(part, contents);
        contents += ' ';
      }
      contents += std::to_string(NewStream("\nQ\n" + extra)) + " 0 R]";
      added += " /Resources " + resources + " /Contents " + contents;
    }
    body.insert(body.size() - 2, added);
    return body;
  }

  // One pass over the dictionary (getDictAsMap: getKeys and a getKey per key cost twice the lookups), names
  // written as they are when they need no #-escape (every key zhiping's letters have).
  void Dictionary(QPDFObjectHandle d, std::string& out, const std::set<std::string>& skip) {
    out += "<<";
    for (auto& [key, v] : d.getDictAsMap()) {
      if (skip.count(key)) continue;
      if (!v.isIndirect() && v.isNull()) continue;
      AppendName(key, out);
      out += ' ';
      Value(v, out);
      out += ' ';
    }
    out += ">>";
  }

  static void AppendName(const std::string& name, std::string& out) {
    for (size_t i = 1; i < name.size(); ++i) {
      const unsigned char c = static_cast<unsigned char>(name[i]);
      if (c <= ' ' || c >= 0x7F || std::strchr("#()<>[]{}/%", c)) {
        out += QPDFObjectHandle::newName(name).unparse();
        return;
      }
    }
    out += name;
  }

  void Value(QPDFObjectHandle h, std::string& out, bool top = false) {
    if (!top && h.isIndirect()) {
      out += std::to_string(Ref(h)) + " 0 R";
    } else if (h.isArray()) {
      out += '[';
      for (QPDFObjectHandle e : h.getArrayAsVector()) {
        Value(e, out);
        out += ' ';
      }
      out += ']';
    } else if (h.isDictionary()) {
      Dictionary(h, out, {});
    } else {
      out += h.unparse();
    }
  }
};

PdfMerger::PdfMerger(std::ostream& out) : out_(out) {
  offsets_.push_back(0);  // object 0 is the head of the free list
  Write("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n");
  root_pages_ = NewObject();
}

PdfMerger::~PdfMerger() = default;

int PdfMerger::NewObject() {
  offsets_.push_back(0);
  return static_cast<int>(offsets_.size() - 1);
}

int PdfMerger::Emit(const std::string& body, const char* data, size_t size, int reserved) {
  std::string digest;
  if (data && !reserved) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> c(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    EVP_DigestInit_ex(c.get(), EVP_sha256(), nullptr);
    EVP_DigestUpdate(c.get(), body.data(), body.size());
    EVP_DigestUpdate(c.get(), data, size);
    EVP_DigestFinal_ex(c.get(), md, &length);
    digest.assign(reinterpret_cast<const char*>(md), length);
    if (auto same = streams_.find(digest); same != streams_.end()) return same->second;
  }
  const int n = reserved ? reserved : NewObject();
  if (!digest.empty()) streams_.emplace(digest, n);
  Begin(n);
  Write(std::to_string(n) + " 0 obj\n");
  Write(body);
  if (data) {
    Write("\nstream\n");
    Write(data, size);
    Write("\nendstream");
  }
  Write("\nendobj\n");
  return n;
}

void PdfMerger::Begin(int number) { offsets_[number] = offset_; }

void PdfMerger::Write(const char* data, size_t size) {
  out_.write(data, static_cast<std::streamsize>(size));
  offset_ += size;
}

void PdfMerger::Write(const std::string& text) { Write(text.data(), text.size()); }

int PdfMerger::Append(const std::string& pdf, const std::string& what, bool front) {
  return Append(Open(pdf, what), front);
}

int PdfMerger::Append(OpenedPtr source, bool front) {
  try {
    Source copy{*this, {}, {}};
    int count = 0;
    for (OpenedPage& page : source->pages) {
      const std::string body = copy.Page(page, root_pages_);
      const int n = NewObject();
      copy.numbers[page.page.getObjGen()] = n;
      Begin(n);
      Write(std::to_string(n) + " 0 obj\n" + body + "\nendobj\n");
      (front ? front_pages_ : pages_).push_back(n);
      if (page.page.hasKey("/MediaBox")) media_box_ = page.page.getKey("/MediaBox").unparseResolved();
      ++count;
    }
    last_front_ = front;
    return count;
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Error(ErrorKind::kInvalidInput, source->what + " 无法读取为 PDF：" + e.what());
  }
}

void PdfMerger::AppendBlank(bool front) {
  const int n = NewObject();
  Begin(n);
  Write(std::to_string(n) + " 0 obj\n<</Type /Page /Parent " + std::to_string(root_pages_) + " 0 R /MediaBox " +
        media_box_ + " /Resources <<>> >>\nendobj\n");
  (front ? front_pages_ : pages_).push_back(n);
}

void PdfMerger::Finish(const std::string& title) {
  std::string kids;
  kids.reserve((front_pages_.size() + pages_.size()) * 10);
  for (const auto* group : {&front_pages_, &pages_})
    for (int n : *group) kids += std::to_string(n) + " 0 R ";
  Begin(root_pages_);
  Write(std::to_string(root_pages_) + " 0 obj\n<</Type /Pages /Count " + std::to_string(pages()) + " /Kids [" +
        kids + "]>>\nendobj\n");
  // PDF/A-2b (pdf/pdfa.h): XMP metadata equal to the Info dictionary, the sRGB output intent, a trailer /ID.
  const std::string date = pdf::PdfDateUtc(std::time(nullptr));
  pdf::ArchivalInfo archival;
  archival.title = title;
  archival.producer = "zhiping";
  archival.created = archival.modified = date;
  const std::string xmp = pdf::XmpPacket(archival);
  const int metadata = Emit("<</Type /Metadata /Subtype /XML /Length " + std::to_string(xmp.size()) + ">>",
                            xmp.data(), xmp.size(), NewObject());
  const pdf::IccProfile& icc = pdf::SrgbProfile();
  const int profile = Emit("<</N 3 /Filter /FlateDecode /Length " + std::to_string(icc.deflated.size()) + ">>",
                           icc.deflated.data(), icc.deflated.size(), NewObject());
  const std::string condition = QPDFObjectHandle::newString(pdf::kSrgbCondition).unparse();
  const int catalog = NewObject();
  Begin(catalog);
  Write(std::to_string(catalog) + " 0 obj\n<</Type /Catalog /Pages " + std::to_string(root_pages_) +
        " 0 R /Metadata " + std::to_string(metadata) + " 0 R /OutputIntents [<</Type /OutputIntent /S /GTS_PDFA1"
        " /OutputConditionIdentifier " + condition + " /Info " + condition +
        " /RegistryName (http://www.color.org) /DestOutputProfile " + std::to_string(profile) + " 0 R>>]>>\nendobj\n");
  const int info = NewObject();
  Begin(info);
  Write(std::to_string(info) + " 0 obj\n<</Title " + QPDFObjectHandle::newUnicodeString(title).unparse() +
        " /Producer (zhiping) /CreationDate (" + date + ") /ModDate (" + date + ")>>\nendobj\n");
  const uint64_t xref = offset_;
  std::string table = "xref\n0 " + std::to_string(offsets_.size()) + "\n0000000000 65535 f \n";
  char line[24];
  for (size_t i = 1; i < offsets_.size(); ++i) {
    std::snprintf(line, sizeof line, "%010" PRIu64 " 00000 n \n", offsets_[i]);
    table += line;
  }
  Write(table);
  std::string id;
  for (unsigned char c : pdf::DocumentId(title + date + std::to_string(offset_))) {
    char hex[3];
    std::snprintf(hex, sizeof hex, "%02X", c);
    id += hex;
  }
  Write("trailer\n<</Size " + std::to_string(offsets_.size()) + " /Root " + std::to_string(catalog) +
        " 0 R /Info " + std::to_string(info) + " 0 R /ID [<" + id + "> <" + id + ">]>>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n");
  out_.flush();
}

}  // namespace zhiping::jobs
