#include "pdf/pdf_writer.h"

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_pages.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_map>

#include "common/deflate_level.h"
#include "common/error.h"
#include "fonts/font_face.h"
#include "pdf/cid_font.h"
#include "pdf/font_program.h"
#include "pdf/haru_document_pool.h"

namespace zhiping::pdf {

namespace {

// Numbers in content streams: at most three decimals (1/1000 pt is far below what a printer or a reader resolves),
// no trailing zeros, never "-0".
void AppendNumber(std::string* out, double v) {
  long long scaled = std::llround(v * 1000);
  if (scaled < 0) {
    out->push_back('-');
    scaled = -scaled;
  }
  *out += std::to_string(scaled / 1000);
  int frac = static_cast<int>(scaled % 1000);
  if (frac == 0) return;
  char buf[8];
  std::snprintf(buf, sizeof buf, ".%03d", frac);
  size_t n = 4;
  while (buf[n - 1] == '0') --n;
  out->append(buf, n);
}

void AppendColor(std::string* out, const layout::Color& c, const char* op) {
  AppendNumber(out, c.r);
  out->push_back(' ');
  AppendNumber(out, c.g);
  out->push_back(' ');
  AppendNumber(out, c.b);
  out->push_back(' ');
  *out += op;
  out->push_back('\n');
}

void AppendHex4(std::string* out, unsigned v) {
  static const char kHex[] = "0123456789ABCDEF";
  const char d[4] = {kHex[(v >> 12) & 15], kHex[(v >> 8) & 15], kHex[(v >> 4) & 15], kHex[v & 15]};
  out->append(d, 4);
}

// One face as this document uses it. Its codes are the document's own: the characters drawn, numbered 1, 2, … in
// code-point order. Dense codes keep every per-font table as small as the glyph count: the CIDToGIDMap is two bytes
// a character drawn (with the code point as code it needed two bytes for every code up to the largest, 80–130 KB
// for CJK, compressed in every letter) and /W is a single run.
struct DocFont {
  const fonts::FontFace* face = nullptr;
  std::string resource;        // "F1", "F2", … in order of first use
  std::vector<char32_t> chars;  // sorted, unique: code k draws chars[k - 1]
  std::vector<int> widths;      // 1/1000 em, by code - 1: what /W says and what the spacing below is worked from

  unsigned Code(char32_t cp) const {
    return static_cast<unsigned>(std::lower_bound(chars.begin(), chars.end(), cp) - chars.begin()) + 1;
  }
  UsedCodes Used() const {
    UsedCodes used;
    for (size_t k = 0; k < chars.size(); ++k) used.emplace_hint(used.end(), static_cast<char32_t>(k + 1), chars[k]);
    return used;
  }
};

// The document's faces in order of first use, each with the characters it draws.
std::vector<DocFont> CollectFonts(const layout::LaidOutDocument& doc) {
  std::vector<DocFont> fonts;
  std::unordered_map<const fonts::FontFace*, size_t> index;
  for (const auto& page : doc.pages)
    for (const auto& run : page.runs) {
      if (run.glyphs.empty()) continue;
      auto [it, added] = index.emplace(run.face, fonts.size());
      if (added) {
        fonts.emplace_back();
        fonts.back().face = run.face;
        fonts.back().resource = "F" + std::to_string(fonts.size());
      }
      auto& chars = fonts[it->second].chars;
      for (const auto& g : run.glyphs) chars.push_back(g.cp);
    }
  for (auto& f : fonts) {
    std::sort(f.chars.begin(), f.chars.end());
    f.chars.erase(std::unique(f.chars.begin(), f.chars.end()), f.chars.end());
    f.widths.reserve(f.chars.size());
    for (char32_t cp : f.chars) f.widths.push_back(WidthInThousandths(*f.face, cp));
  }
  return fonts;
}

HPDF_Dict NewIndirectDict(HPDF_Doc pdf) {
  HPDF_Dict d = HPDF_Dict_New(pdf->mmgr);
  if (d) HPDF_Xref_Add(pdf->xref, d);
  return d;
}

// libharu writes a stream's /Filter only for the filters it applies itself; this writes it for bytes that arrive
// already compressed (pdf/deflater.h, pdf/font_program.h).
HPDF_STATUS WriteFlateFilter(HPDF_Dict, HPDF_Stream stream) { return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012"); }

// Writes `bytes` as the stream's data, as they are: `deflated` says they are a zlib stream already, which libharu
// then declares (/FlateDecode) without compressing again.
void SetStreamBytes(HPDF_Dict stream, const std::string& bytes, bool deflated) {
  if (!stream) return;  // libharu reported the failure; the caller's Check throws it
  stream->filter = HPDF_STREAM_FILTER_NONE;
  if (deflated) stream->write_fn = WriteFlateFilter;
  HPDF_Stream_Write(stream->stream, reinterpret_cast<const HPDF_BYTE*>(bytes.data()),
                    static_cast<HPDF_UINT>(bytes.size()));
}

HPDF_Dict NewStream(HPDF_Doc pdf, const std::string& bytes, bool deflated) {
  HPDF_Dict s = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
  SetStreamBytes(s, bytes, deflated);
  return s;
}

// How the writer compresses its streams: with the lease's Deflater, or not at all.
struct Compression {
  Deflater* deflater = nullptr;  // null: uncompressed
  int level = 1;
  // `bytes` compressed, or as they are.
  std::string Apply(const std::string& bytes) const {
    return deflater ? deflater->Zlib(bytes.data(), bytes.size(), level) : bytes;
  }
};

// A stream of `bytes`, compressed when `c` says so.
HPDF_Dict NewStream(HPDF_Doc pdf, const std::string& bytes, const Compression& c) {
  return NewStream(pdf, c.Apply(bytes), c.deflater != nullptr);
}

// The Type0 font (Identity-H) for `f`: a CIDFontType2 descendant embedding the subset of the glyphs drawn
// (fonts/subset.h) with its CIDToGIDMap, /W and descriptor, and a ToUnicode map of exactly the codes used, each to
// its real character (so 𠮷 extracts as 𠮷). Built with libharu's object API; libharu's own font machinery is not
// used (for a TrueType font it scans all 65,536 BMP code points per document and embeds full-size tables).
HPDF_Dict AddFont(HPDF_Doc pdf, const DocFont& f, int number, const Compression& c) {
  const UsedCodes used = f.Used();
  const EmbeddedGlyphs embedded = EmbedGlyphs(*f.face, used);
  // A subset's name carries a six-letter tag (PDF 32000 §9.6.4); ours is deterministic: same document, same bytes.
  std::string tag = "ZPAAAA";
  for (int i = 5, n = number; i >= 2 && n > 0; --i, n /= 26) tag[i] = static_cast<char>('A' + n % 26);
  const std::string name = SubsetFontName(tag, *f.face);
  const DescriptorNumbers m = DescriptorFor(*f.face);

  HPDF_Dict program = NewStream(pdf, c.deflater ? DeflateFontProgram(f.face->digest(), embedded.subset, c.level, c.deflater)
                                                 : embedded.subset.ttf,
                                c.deflater != nullptr);
  HPDF_Dict_AddNumber(program, "Length1", static_cast<HPDF_INT32>(embedded.subset.ttf.size()));
  HPDF_Dict descriptor = NewIndirectDict(pdf);
  HPDF_Dict_AddName(descriptor, "Type", "FontDescriptor");
  HPDF_Dict_AddName(descriptor, "FontName", name.c_str());
  HPDF_Dict_AddNumber(descriptor, "Flags", m.flags);
  HPDF_Array bbox = HPDF_Array_New(pdf->mmgr);
  for (int v : m.bbox) HPDF_Array_AddNumber(bbox, v);
  HPDF_Dict_Add(descriptor, "FontBBox", bbox);
  HPDF_Dict_AddNumber(descriptor, "ItalicAngle", m.italic_angle);
  HPDF_Dict_AddNumber(descriptor, "Ascent", m.ascent);
  HPDF_Dict_AddNumber(descriptor, "Descent", m.descent);
  HPDF_Dict_AddNumber(descriptor, "CapHeight", m.cap_height);
  HPDF_Dict_AddNumber(descriptor, "StemV", m.stem_v);
  HPDF_Dict_Add(descriptor, "FontFile2", program);

  HPDF_Dict cid_font = NewIndirectDict(pdf);
  HPDF_Dict_AddName(cid_font, "Type", "Font");
  HPDF_Dict_AddName(cid_font, "Subtype", "CIDFontType2");
  HPDF_Dict_AddName(cid_font, "BaseFont", name.c_str());
  HPDF_Dict info = HPDF_Dict_New(pdf->mmgr);
  HPDF_Dict_Add(info, "Registry", HPDF_String_New(pdf->mmgr, "Adobe", nullptr));
  HPDF_Dict_Add(info, "Ordering", HPDF_String_New(pdf->mmgr, "Identity", nullptr));
  HPDF_Dict_AddNumber(info, "Supplement", 0);
  HPDF_Dict_Add(cid_font, "CIDSystemInfo", info);
  HPDF_Dict_Add(cid_font, "FontDescriptor", descriptor);
  HPDF_Dict_AddNumber(cid_font, "DW", 1000);
  HPDF_Array w = HPDF_Array_New(pdf->mmgr);
  HPDF_Array run = HPDF_Array_New(pdf->mmgr);
  HPDF_Array_AddNumber(w, 1);  // codes 1 … n: one run
  for (int width : f.widths) HPDF_Array_AddNumber(run, width);
  HPDF_Array_Add(w, run);
  HPDF_Dict_Add(cid_font, "W", w);
  HPDF_Dict_Add(cid_font, "CIDToGIDMap", NewStream(pdf, embedded.cid_to_gid, c));

  HPDF_Dict font = NewIndirectDict(pdf);
  HPDF_Dict_AddName(font, "Type", "Font");
  HPDF_Dict_AddName(font, "Subtype", "Type0");
  HPDF_Dict_AddName(font, "BaseFont", name.c_str());
  HPDF_Dict_AddName(font, "Encoding", "Identity-H");
  HPDF_Array descendants = HPDF_Array_New(pdf->mmgr);
  HPDF_Array_Add(descendants, cid_font);
  HPDF_Dict_Add(font, "DescendantFonts", descendants);
  HPDF_Dict_Add(font, "ToUnicode", NewStream(pdf, ToUnicodeCMap(used), c));
  return font;
}

// The image as an XObject of the open document. Only the image stage's checked output reaches libharu: a verified
// JPEG's own bytes (DCTDecode: libharu reads just their frame header and copies them), otherwise the decoded 8-bit
// pixels. libharu's PNG loader is never used: on a corrupt file it ends the process (abort()), and it decodes
// whatever size the header claims.
HPDF_Image EmbedImage(HaruDocument& ctx, HPDF_Doc pdf, const image::DecodedImage& img) {
  if (!img.jpeg.empty()) {
    HPDF_Image jpeg = HPDF_LoadJpegImageFromMem(pdf, reinterpret_cast<const HPDF_BYTE*>(img.jpeg.data()),
                                                static_cast<HPDF_UINT>(img.jpeg.size()));
    if (jpeg && !ctx.failed()) return jpeg;
    // libharu's marker walk is stricter than libjpeg's (no fill bytes before the frame header): use the pixels.
    ctx.Clear();
  }
  HPDF_Image raw = HPDF_LoadRawImageFromMem(pdf, reinterpret_cast<const HPDF_BYTE*>(img.pixels.data()),
                                            static_cast<HPDF_UINT>(img.width), static_cast<HPDF_UINT>(img.height),
                                            img.channels == 1 ? HPDF_CS_DEVICE_GRAY : HPDF_CS_DEVICE_RGB, 8);
  ctx.Check("embedding an image");
  return raw;
}

// The page's rules and text as content-stream operators (appended after libharu's image operators).
void AppendRulesAndText(const layout::Page& lp, const std::vector<DocFont>& fonts,
                        const std::unordered_map<const fonts::FontFace*, size_t>& font_index, std::string* out,
                        std::vector<bool>* fonts_used) {
  double line_width = -1;
  layout::Color stroke{-1, -1, -1};
  for (const auto& r : lp.rules) {
    if (r.width != line_width) {
      AppendNumber(out, r.width);
      *out += " w\n";
      line_width = r.width;
    }
    if (!(r.color == stroke)) {
      AppendColor(out, r.color, "RG");
      stroke = r.color;
    }
    AppendNumber(out, r.x1);
    out->push_back(' ');
    AppendNumber(out, r.y1);
    *out += " m\n";
    AppendNumber(out, r.x2);
    out->push_back(' ');
    AppendNumber(out, r.y2);
    *out += " l\nS\n";
  }
  bool in_text = false;
  const DocFont* font = nullptr;
  double size = -1, scale = 1, spacing_now = 0;
  layout::Color fill{0, 0, 0};
  int mode = 0;  // text rendering mode: 0 fill, 2 fill then stroke (emulated bold)
  std::vector<unsigned> codes;
  for (const auto& run : lp.runs) {
    if (run.glyphs.empty()) continue;
    if (!in_text) {
      *out += "BT\n";
      in_text = true;
    }
    const size_t fi = font_index.at(run.face);
    const DocFont& f = fonts[fi];
    (*fonts_used)[fi] = true;
    if (&f != font || run.size != size) {
      *out += "/" + f.resource + " ";
      AppendNumber(out, run.size);
      *out += " Tf\n";
      font = &f;
      size = run.size;
    }
    if (!(run.color == fill)) {
      AppendColor(out, run.color, "rg");
      fill = run.color;
    }
    if (run.bold > 0) {
      AppendColor(out, run.color, "RG");
      stroke = run.color;
      AppendNumber(out, run.bold * run.size);
      *out += " w\n";
      line_width = run.bold * run.size;
      if (mode != 2) *out += "2 Tr\n";
      mode = 2;
    } else if (mode != 0) {
      *out += "0 Tr\n";
      mode = 0;
    }
    // Tz scales advances and Tc alike: the spacing below is worked out in unscaled text space.
    const double h = run.hscale > 0 ? run.hscale : 1;
    if (h != scale) {
      AppendNumber(out, h * 100);
      *out += " Tz\n";
      scale = h;
    }
    const auto& gl = run.glyphs;
    codes.resize(gl.size());
    for (size_t k = 0; k < gl.size(); ++k) codes[k] = f.Code(gl[k].cp);
    auto advance = [&](size_t k) { return f.widths[codes[k] - 1] / 1000.0 * run.size; };
    // Glyphs spaced by a constant amount beyond their advance (as /W states it) share one Tj with Tc = that amount.
    size_t i = 0;
    while (i < gl.size()) {
      size_t j = i + 1;
      double spacing = 0;
      if (j < gl.size()) spacing = (gl[j].x - gl[i].x) / h - advance(i);
      while (j < gl.size() && std::fabs((gl[j].x - gl[j - 1].x) / h - advance(j - 1) - spacing) < 0.005) ++j;
      if (j == i + 1) spacing = 0;
      spacing = std::max(-30.0, std::min(300.0, spacing));
      if (std::llround(spacing * 1000) != std::llround(spacing_now * 1000)) {
        AppendNumber(out, spacing);
        *out += " Tc\n";
        spacing_now = spacing;
      }
      *out += "1 0 0 1 ";
      AppendNumber(out, gl[i].x);
      out->push_back(' ');
      AppendNumber(out, run.y);
      *out += " Tm <";
      for (size_t k = i; k < j; ++k) AppendHex4(out, codes[k]);
      *out += "> Tj\n";
      i = j;
    }
  }
  if (in_text) *out += "ET\n";
}

// Adds `object` to the page's resources under /`kind` (Font, XObject) as `name`.
void AddResource(HPDF_Doc pdf, HPDF_Page page, const char* kind, const std::string& name, void* object) {
  HPDF_Dict resources = static_cast<HPDF_Dict>(HPDF_Dict_GetItem(page, "Resources", HPDF_OCLASS_DICT));
  if (!resources) {
    resources = HPDF_Dict_New(pdf->mmgr);
    HPDF_Dict_Add(page, "Resources", resources);
  }
  HPDF_Dict group = static_cast<HPDF_Dict>(HPDF_Dict_GetItem(resources, kind, HPDF_OCLASS_DICT));
  if (!group) {
    group = HPDF_Dict_New(pdf->mmgr);
    HPDF_Dict_Add(resources, kind, group);
  }
  HPDF_Dict_Add(group, name.c_str(), object);
}

}  // namespace

std::string WritePdf(const layout::LaidOutDocument& doc, const PdfOptions& options) {
  HaruDocumentPool::Lease lease = HaruDocumentPool::Shared().Acquire();
  HaruDocument& ctx = *lease;
  ctx.Clear();
  HPDF_Doc pdf = ctx.doc();
  DeflateLevelScope level_scope(options.deflate_level);
  HPDF_NewDoc(pdf);
  ctx.Check("starting a document");
  struct DocGuard {
    HPDF_Doc d;
    ~DocGuard() { HPDF_FreeDoc(d); }  // keeps the handle's memory manager for the next document
  } guard{pdf};
  // libharu compresses only what it makes itself, the images' decoded pixels; every other stream is ours
  // (Compression below), compressed with the lease's one zlib stream.
  HPDF_SetCompressionMode(pdf, options.compress ? HPDF_COMP_IMAGE : HPDF_COMP_NONE);
  const Compression compression{options.compress ? &ctx.deflater() : nullptr, options.deflate_level};
  // PDF 1.7 (ISO 32000-1), what PDF/A-2 is based on: the signing step adds the archival parts (pdf/pdfa.h) and a
  // seal image with transparency (an SMask, PDF 1.4). libharu 2.3 writes 1.3 unless told.
  pdf->pdf_version = HPDF_VER_17;
  HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, options.creator.c_str());
  HPDF_SetInfoAttr(pdf, HPDF_INFO_PRODUCER, "zhiping " ZHIPING_VERSION " (libharu)");

  const std::vector<DocFont> fonts = CollectFonts(doc);
  std::unordered_map<const fonts::FontFace*, size_t> font_index;
  for (size_t i = 0; i < fonts.size(); ++i) font_index.emplace(fonts[i].face, i);
  std::vector<std::pair<HPDF_Page, std::vector<bool>>> pages;  // each page with the fonts it shows
  std::string content;
  int image_count = 0;
  for (const auto& lp : doc.pages) {
    HPDF_Page page = HPDF_AddPage(pdf);
    HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    // Images first, then rules, then text on top.
    content.clear();
    for (const auto& img : lp.images) {
      HPDF_Image image = EmbedImage(ctx, pdf, *img.image);
      const std::string name = "Im" + std::to_string(++image_count);
      AddResource(pdf, page, "XObject", name, image);
      content += "q\n";
      AppendNumber(&content, img.w);
      content += " 0 0 ";
      AppendNumber(&content, img.h);
      content.push_back(' ');
      AppendNumber(&content, img.x);
      content.push_back(' ');
      AppendNumber(&content, img.y);
      content += " cm\n/" + name + " Do\nQ\n";
    }
    ctx.Check("embedding a page's images");
    std::vector<bool> used(fonts.size(), false);
    AppendRulesAndText(lp, fonts, font_index, &content, &used);
    SetStreamBytes(static_cast<HPDF_PageAttr>(page->attr)->contents, compression.Apply(content),
                   compression.deflater != nullptr);
    ctx.Check("drawing a page");
    pages.emplace_back(page, std::move(used));
  }
  for (size_t i = 0; i < fonts.size(); ++i) {
    HPDF_Dict font = AddFont(pdf, fonts[i], static_cast<int>(i), compression);
    ctx.Check("embedding font " + fonts[i].face->prepared().source.Describe());
    for (auto& [page, used] : pages)
      if (used[i]) AddResource(pdf, page, "Font", fonts[i].resource, font);
  }
  ctx.Check("adding the fonts to the pages");
  HPDF_SaveToStream(pdf);
  ctx.Check("saving the document");
  HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
  std::string out(size, '\0');
  HPDF_UINT32 got = size;
  HPDF_ReadFromStream(pdf, reinterpret_cast<HPDF_BYTE*>(out.data()), &got);
  out.resize(got);
  ctx.Clear();  // libharu reports reaching the end of its stream as an error; the bytes are complete
  if (got != size) throw Error(ErrorKind::kInternal, "libharu returned a short document");
  return out;
}

}  // namespace zhiping::pdf
