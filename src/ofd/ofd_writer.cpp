#include "ofd/ofd_writer.h"

#include "ofd/ofd_xml.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>
#include <unordered_map>
#include <utility>

#include "common/error.h"
#include "common/utf8.h"
#include "fonts/font_face.h"
#include "fonts/subset.h"
#include "image/png_encoder.h"
#include "layout/geometry.h"
#include "ofd/ofd_xml.h"

namespace zhiping::ofd {

namespace {

// The one conversion from the layout's space (PDF points, origin bottom-left, y up) to OFD's (millimetres, origin
// top-left, y down). Every coordinate written goes through it.
struct PageSpace {
  double height_pt = layout::PageGeometry().height;
  static double Mm(double pt) { return pt / layout::kPtPerMm; }
  double Y(double y_pt) const { return Mm(height_pt - y_pt); }
};

std::string Box(double x, double y, double w, double h) {
  return OfdNumber(x) + " " + OfdNumber(y) + " " + OfdNumber(w) + " " + OfdNumber(h);
}

std::string Rgb(const layout::Color& c) {
  auto channel = [](double v) { return std::to_string(static_cast<int>(std::lround(std::clamp(v, 0.0, 1.0) * 255))); };
  return channel(c.r) + " " + channel(c.g) + " " + channel(c.b);
}

struct FontInDoc {
  int id = 0;
  std::map<char32_t, uint16_t> chars;  // character drawn -> glyph in the prepared font
};

struct ImageInDoc {
  int id = 0;
  std::string file;  // "image_7.png", under Doc_0/Res
};

// FontName and FamilyName: the face's own names (readers that draw with installed fonts, ofd.js 0.2.6 among
// them, look the family up), else the font file's name.
std::pair<std::string, std::string> FaceNames(const fonts::FontFace& face) {
  std::string file = face.prepared().source.path;
  const size_t slash = file.rfind('/');
  if (slash != std::string::npos) file = file.substr(slash + 1);
  const size_t dot = file.rfind('.');
  if (dot != std::string::npos && dot > 0) file = file.substr(0, dot);
  return {face.postscript_name().empty() ? file : face.postscript_name(), face.family().empty() ? file : face.family()};
}

std::string Sha256Hex32(const Package& package) {
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  if (!md) throw Error(ErrorKind::kInternal, "OFD: cannot hash the package");
  EVP_DigestInit_ex(md, EVP_sha256(), nullptr);
  for (const PackageFile& f : package.files) {
    EVP_DigestUpdate(md, f.path.data(), f.path.size() + 1);  // with the NUL: names and bytes cannot run together
    EVP_DigestUpdate(md, f.bytes.data(), f.bytes.size());
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_DigestFinal_ex(md, digest, &len);
  EVP_MD_CTX_free(md);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < 16 && i < len; ++i) out += hex[digest[i] >> 4], out += hex[digest[i] & 15];
  return out;
}

class Writer {
 public:
  Writer(const layout::LaidOutDocument& doc, const OfdOptions& options) : doc_(doc), options_(options) {}

  OfdDocument Write() {
    OfdDocument out;
    // IDs in document order: each page first, then its layer and objects; fonts and images when first used.
    std::vector<std::string> contents;
    for (size_t p = 0; p < doc_.pages.size(); ++p) {
      OfdPageRef ref;
      ref.id = NextId();
      ref.content_path = "Doc_0/Pages/Page_" + std::to_string(p) + "/Content.xml";
      out.pages.push_back(ref);
      contents.push_back(PageContent(doc_.pages[p]));
    }
    out.max_unit_id = next_id_ - 1;

    Package& pkg = out.package;
    pkg.Put("OFD.xml", "");  // first in the ZIP, written last: its DocID hashes the rest
    pkg.Put("Doc_0/Document.xml", DocumentXml(out));
    pkg.Put("Doc_0/PublicRes.xml", PublicResXml());
    pkg.Put("Doc_0/DocumentRes.xml", DocumentResXml());
    for (size_t p = 0; p < contents.size(); ++p) pkg.Put(out.pages[p].content_path, std::move(contents[p]));
    for (const auto& face : font_order_) {
      const FontInDoc& f = fonts_.at(face);
      std::vector<uint16_t> glyphs;
      for (const auto& [cp, gid] : f.chars) glyphs.push_back(gid);
      fonts::FontSubset subset = fonts::SubsetTrueType(face->data(), face->size(), glyphs, &f.chars);
      pkg.Put("Doc_0/Res/" + FontFile(f), std::move(subset.ttf));
    }
    for (auto& [file, bytes] : image_files_) pkg.Put("Doc_0/Res/" + file, std::move(bytes), /*compress=*/false);
    pkg.Put("OFD.xml", OfdXml(Sha256Hex32(pkg)));

    auto place = [&](const layout::SealBox& s) {
      OfdSealPlace at;
      if (s.page >= 0 && s.page < static_cast<int>(out.pages.size())) {
        at.page = s.page;
        at.page_id = out.pages[s.page].id;
        at.x = PageSpace::Mm(s.x);
        at.y = space_.Y(s.y + s.h);
        at.w = PageSpace::Mm(s.w);
        at.h = PageSpace::Mm(s.h);
      }
      return at;
    };
    out.seal = place(doc_.seal);
    if (doc_.seals.empty()) out.seals.push_back(out.seal);
    for (const layout::SealBox& s : doc_.seals) out.seals.push_back(place(s));
    return out;
  }

 private:
  int NextId() { return next_id_++; }
  static std::string FontFile(const FontInDoc& f) { return "font_" + std::to_string(f.id) + ".ttf"; }

  FontInDoc& Font(const fonts::FontFace* face) {
    auto it = fonts_.find(face);
    if (it != fonts_.end()) return it->second;
    font_order_.push_back(face);
    FontInDoc& f = fonts_[face];
    f.id = NextId();
    return f;
  }

  // The image as a MultiMedia resource, once per decoded image however often it is drawn.
  const ImageInDoc& Image(const std::shared_ptr<const image::DecodedImage>& img) {
    auto it = images_.find(img.get());
    if (it != images_.end()) return it->second;
    ImageInDoc& m = images_[img.get()];
    m.id = NextId();
    image_order_.push_back(img.get());
    std::string bytes;
    if (!img->jpeg.empty()) {
      m.file = "image_" + std::to_string(m.id) + ".jpg";
      bytes = img->jpeg;  // verified by the image stage to decode whole into `pixels`
    } else {
      m.file = "image_" + std::to_string(m.id) + ".png";
      if (img->channels == 3) {
        bytes = image::EncodePngRgb(reinterpret_cast<const unsigned char*>(img->pixels.data()), img->width, img->height);
      } else {  // gray: the encoder takes RGB
        std::string rgb;
        rgb.reserve(img->pixels.size() * 3);
        for (char c : img->pixels) rgb.append(3, c);
        bytes = image::EncodePngRgb(reinterpret_cast<const unsigned char*>(rgb.data()), img->width, img->height);
      }
    }
    image_files_.emplace_back(m.file, std::move(bytes));
    return m;
  }

  std::string PageContent(const layout::Page& page) {
    OfdXmlWriter x;
    x.Open("Page");
    x.Open("Content");
    x.Open("Layer", {{"ID", std::to_string(NextId())}});
    // Images first, then rules, then text on top (as the PDF draws them).
    for (const auto& img : page.images) {
      const ImageInDoc& m = Image(img.image);
      const double w = PageSpace::Mm(img.w), h = PageSpace::Mm(img.h);
      x.Empty("ImageObject", {{"ID", std::to_string(NextId())},
                              {"Boundary", Box(PageSpace::Mm(img.x), space_.Y(img.y + img.h), w, h)},
                              {"CTM", OfdNumber(w) + " 0 0 " + OfdNumber(h) + " 0 0"},
                              {"ResourceID", std::to_string(m.id)}});
    }
    for (const auto& r : page.rules) {
      // The boundary holds the line and half its width on every side; the path is relative to its corner.
      const double lw = PageSpace::Mm(r.width);
      const double x1 = PageSpace::Mm(r.x1), y1 = space_.Y(r.y1), x2 = PageSpace::Mm(r.x2), y2 = space_.Y(r.y2);
      const double bx = std::min(x1, x2) - lw / 2, by = std::min(y1, y2) - lw / 2;
      const double bw = std::fabs(x2 - x1) + lw, bh = std::fabs(y2 - y1) + lw;
      x.Open("PathObject", {{"ID", std::to_string(NextId())},
                            {"Boundary", Box(bx, by, bw, bh)},
                            {"LineWidth", OfdNumber(lw)},
                            {"Stroke", "true"},
                            {"Fill", "false"}});
      x.Empty("StrokeColor", {{"Value", Rgb(r.color)}});
      x.Element("AbbreviatedData",
                "M " + OfdNumber(x1 - bx) + " " + OfdNumber(y1 - by) + " L " + OfdNumber(x2 - bx) + " " + OfdNumber(y2 - by));
      x.Close("PathObject");
    }
    std::string text, delta;
    for (const auto& run : page.runs) {
      if (run.glyphs.empty()) continue;
      FontInDoc& font = Font(run.face);
      const double h = run.hscale > 0 ? run.hscale : 1;
      const double size = PageSpace::Mm(run.size);
      const auto& gl = run.glyphs;
      // The boundary: from the first glyph's left edge to the last one's right, an em above the baseline and a
      // quarter below, plus the emulated bold's stroke (some readers clip an object to its boundary).
      const double stroke = run.bold > 0 ? run.bold * size : 0;
      const double left = PageSpace::Mm(gl.front().x) - stroke;
      const double right = PageSpace::Mm(gl.back().x) + run.face->Advance(gl.back().cp) * size * h + stroke;
      const double baseline = space_.Y(run.y);
      const double top = baseline - size - stroke;
      const double bottom = baseline + 0.25 * size + stroke;
      for (const auto& g : gl) font.chars[g.cp] = run.face->Glyph(g.cp);
      OfdXmlWriter::Attrs attrs = {
          {"ID", std::to_string(NextId())}, {"Boundary", Box(left, top, right - left, bottom - top)},
          {"Font", std::to_string(font.id)}, {"Size", OfdNumber(size)}};
      if (h != 1) attrs.emplace_back("CTM", OfdNumber(h) + " 0 0 1 0 0");
      if (stroke > 0) {
        attrs.emplace_back("Stroke", "true");
        attrs.emplace_back("LineWidth", OfdNumber(stroke));
      }
      x.Open("TextObject", attrs);
      x.Empty("FillColor", {{"Value", Rgb(run.color)}});
      if (stroke > 0) x.Empty("StrokeColor", {{"Value", Rgb(run.color)}});
      // One TextCode, with X and DeltaX in the object's own space (with a CTM scaling x by h, page distances
      // divided by h) — cut after each character beyond the BMP: DeltaX counts characters, but some readers (ofd.js
      // 0.2.6) count UTF-16 units, and a new TextCode's own X keeps their error from moving the characters after it.
      for (size_t i = 0; i < gl.size();) {
        size_t j = i;
        while (j + 1 < gl.size() && gl[j].cp < 0x10000) ++j;  // [i, j]: up to and including a non-BMP character
        text.clear();
        delta.clear();
        for (size_t k = i; k <= j; ++k) {
          AppendUtf8(gl[k].cp, &text);
          if (k > i) {
            if (k > i + 1) delta += ' ';
            delta += OfdNumber(PageSpace::Mm(gl[k].x - gl[k - 1].x) / h);
          }
        }
        OfdXmlWriter::Attrs code = {{"X", OfdNumber((PageSpace::Mm(gl[i].x) - left) / h)}, {"Y", OfdNumber(baseline - top)}};
        if (j > i) code.emplace_back("DeltaX", delta);
        x.Element("TextCode", text, code);
        i = j + 1;
      }
      x.Close("TextObject");
    }
    x.Close("Layer");
    x.Close("Content");
    x.Close("Page");
    return x.Finish();
  }

  std::string DocumentXml(const OfdDocument& out) {
    OfdXmlWriter x;
    x.Open("Document");
    x.Open("CommonData");
    x.Element("MaxUnitID", std::to_string(out.max_unit_id));
    x.Open("PageArea");
    x.Element("PhysicalBox", Box(0, 0, PageSpace::Mm(layout::PageGeometry().width), PageSpace::Mm(space_.height_pt)));
    x.Close("PageArea");
    x.Element("PublicRes", "PublicRes.xml");
    x.Element("DocumentRes", "DocumentRes.xml");
    x.Close("CommonData");
    x.Open("Pages");
    for (size_t p = 0; p < out.pages.size(); ++p)
      x.Empty("Page", {{"ID", std::to_string(out.pages[p].id)}, {"BaseLoc", "Pages/Page_" + std::to_string(p) + "/Content.xml"}});
    x.Close("Pages");
    x.Close("Document");
    return x.Finish();
  }

  // A resource part (GB/T 33190 §7.9): Res with BaseLoc "Res" holding one list of resources, each an element with
  // attributes and the name of its file under Doc_0/Res.
  struct Resource {
    OfdXmlWriter::Attrs attrs;
    std::string file;
  };
  static std::string ResXml(const char* list, const char* item, const char* file_element,
                            const std::vector<Resource>& resources) {
    OfdXmlWriter x;
    x.Open("Res", {{"BaseLoc", "Res"}});
    if (!resources.empty()) {
      x.Open(list);
      for (const Resource& r : resources) {
        x.Open(item, r.attrs);
        x.Element(file_element, r.file);
        x.Close(item);
      }
      x.Close(list);
    }
    x.Close("Res");
    return x.Finish();
  }

  std::string PublicResXml() {
    std::vector<Resource> fonts;
    for (const fonts::FontFace* face : font_order_) {
      const FontInDoc& f = fonts_.at(face);
      const auto [font_name, family] = FaceNames(*face);
      fonts.push_back({{{"ID", std::to_string(f.id)}, {"FontName", font_name}, {"FamilyName", family}}, FontFile(f)});
    }
    return ResXml("Fonts", "Font", "FontFile", fonts);
  }

  std::string DocumentResXml() {
    std::vector<Resource> media;
    for (const image::DecodedImage* img : image_order_) {
      const ImageInDoc& m = images_.at(img);
      const bool jpeg = m.file.size() > 4 && m.file.compare(m.file.size() - 4, 4, ".jpg") == 0;
      media.push_back({{{"ID", std::to_string(m.id)}, {"Type", "Image"}, {"Format", jpeg ? "JPEG" : "PNG"}}, m.file});
    }
    return ResXml("MultiMedias", "MultiMedia", "MediaFile", media);
  }

  std::string OfdXml(const std::string& doc_id) {
    OfdXmlWriter x;
    x.Open("OFD", {{"Version", "1.0"}, {"DocType", "OFD"}});
    x.Open("DocBody");
    x.Open("DocInfo");
    x.Element("DocID", doc_id);
    if (!doc_.title.empty()) x.Element("Title", doc_.title);
    if (!options_.author.empty()) x.Element("Author", options_.author);
    if (!options_.creation_date.empty()) x.Element("CreationDate", options_.creation_date);
    if (!options_.creator.empty()) x.Element("Creator", options_.creator);
    x.Element("CreatorVersion", ZHIPING_VERSION);
    x.Close("DocInfo");
    x.Element("DocRoot", "Doc_0/Document.xml");
    x.Close("DocBody");
    x.Close("OFD");
    return x.Finish();
  }

  const layout::LaidOutDocument& doc_;
  const OfdOptions& options_;
  PageSpace space_;
  int next_id_ = 1;
  std::unordered_map<const fonts::FontFace*, FontInDoc> fonts_;
  std::vector<const fonts::FontFace*> font_order_;
  std::unordered_map<const image::DecodedImage*, ImageInDoc> images_;
  std::vector<const image::DecodedImage*> image_order_;
  std::vector<std::pair<std::string, std::string>> image_files_;
};

}  // namespace

OfdDocument WriteOfd(const layout::LaidOutDocument& doc, const OfdOptions& options) {
  return Writer(doc, options).Write();
}

}  // namespace zhiping::ofd
