#include "pdf/pdf_writer.h"

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_list.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_map>

#include "common/deflate_level.h"
#include "common/error.h"
#include "common/utf8.h"
#include "fonts/font_face.h"
#include "fonts/subset.h"
#include "pdf/cid_font.h"

namespace zhiping::pdf {

namespace {

void OnHaruError(HPDF_STATUS error_no, HPDF_STATUS detail_no, void* user_data);

// One libharu document per thread, reused for every PDF that thread writes.
class HaruContext {
 public:
  HaruContext() {
    doc_ = HPDF_New(OnHaruError, this);
    if (!doc_) throw Error(ErrorKind::kInternal, "libharu: cannot create a document");
    HPDF_UseUTFEncodings(doc_);
  }
  ~HaruContext() {
    if (doc_) HPDF_Free(doc_);
  }
  HPDF_Doc doc() { return doc_; }

  // libharu's name of a prepared font, loading it the first time this thread sees it.
  const char* FontName(const fonts::FontFace* face, bool source = false) {
    const std::string key = source ? "src:" + face->prepared().source.Describe() : face->file();
    auto it = names_.find(key);
    if (it != names_.end()) return it->second.c_str();
    const auto& src = face->prepared().source;
    const bool ttc = src.path.size() > 4 && src.path.substr(src.path.size() - 4) == ".ttc";
    // Prepared fonts are loaded for metrics only: we embed our own subset (EmbedSubset). Source fonts (benchmarks)
    // go through libharu's own embedding.
    const char* name = !source ? HPDF_LoadTTFontFromFile(doc_, face->file().c_str(), HPDF_FALSE)
                       : ttc   ? HPDF_LoadTTFontFromFile2(doc_, src.path.c_str(), src.index, HPDF_TRUE)
                               : HPDF_LoadTTFontFromFile(doc_, src.path.c_str(), HPDF_TRUE);
    Check("loading font " + face->prepared().source.Describe());
    if (!name) throw Error(ErrorKind::kFont, "libharu could not load font " + face->prepared().source.Describe());
    return names_.emplace(key, name).first->second.c_str();
  }

  bool failed() const { return error_ != 0; }
  void Clear() {
    error_ = 0;
    HPDF_ResetError(doc_);
  }
  void Fail(HPDF_STATUS error_no, HPDF_STATUS detail_no) {
    if (!error_) {
      error_ = error_no;
      detail_ = detail_no;
    }
  }
  // Throws (outside libharu's frames) if libharu reported an error since the last check.
  void Check(const std::string& what) {
    if (!error_) return;
    char buf[64];
    std::snprintf(buf, sizeof buf, "0x%04X (detail %u)", static_cast<unsigned>(error_), static_cast<unsigned>(detail_));
    error_ = 0;
    HPDF_ResetError(doc_);
    throw Error(ErrorKind::kInternal, "libharu error " + std::string(buf) + " while " + what);
  }

 private:
  HPDF_Doc doc_ = nullptr;
  std::unordered_map<std::string, std::string> names_;
  HPDF_STATUS error_ = 0, detail_ = 0;
};

void OnHaruError(HPDF_STATUS error_no, HPDF_STATUS detail_no, void* user_data) {
  static_cast<HaruContext*>(user_data)->Fail(error_no, detail_no);
}

HaruContext& ThreadContext() {
  thread_local HaruContext context;
  return context;
}

// The image as an XObject of the open document. Only the image stage's checked output reaches libharu: a verified
// JPEG's own bytes (DCTDecode: libharu reads just their frame header and copies them), otherwise the decoded 8-bit
// pixels. libharu's PNG loader is never used: on a corrupt file it ends the process (abort()), and it decodes
// whatever size the header claims.
HPDF_Image EmbedImage(HaruContext& ctx, HPDF_Doc pdf, const image::DecodedImage& img) {
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

// libharu's /W for a CID font lists the width of every glyph of the whole font that differs from /DW (DejaVu
// Serif: ~3,000 numbers, 15 KB a letter) although the subset embeds only the glyphs drawn. Every PDF reader parses
// it; qpdf (the print file's merge, jobs/pdf_merge.h) spent most of its time per letter on it. Rewritten here to
// the codes used, in libharu's own form (first-code [w w …] for each run of consecutive codes), with the widths
// libharu computed, so a drawn glyph's width is exactly what it was.
void KeepUsedWidths(HPDF_Doc pdf, HPDF_Dict cid_font, const std::map<char32_t, char32_t>& used) {
  auto* w = static_cast<HPDF_Array>(HPDF_Dict_GetItem(cid_font, "W", HPDF_OCLASS_ARRAY));
  if (!w) return;
  auto number = [](void* item, HPDF_INT32* out) {
    auto* header = static_cast<HPDF_Obj_Header*>(item);
    if (!item || (header->obj_class & HPDF_OCLASS_ANY) != HPDF_OCLASS_NUMBER) return false;
    *out = static_cast<HPDF_Number>(item)->value;
    return true;
  };
  std::map<char32_t, HPDF_INT32> widths;  // used code -> its width, for the codes /W names
  const HPDF_UINT n = HPDF_Array_Items(w);
  for (HPDF_UINT i = 0; i + 1 < n;) {
    HPDF_INT32 first = 0, last = 0, width = 0;
    if (!number(HPDF_List_ItemAt(w->list, i), &first)) return;  // not a form we know: leave /W as it is
    void* next = HPDF_List_ItemAt(w->list, i + 1);
    if (number(next, &last)) {  // first last width
      if (i + 2 >= n || !number(HPDF_List_ItemAt(w->list, i + 2), &width)) return;
      for (auto it = used.lower_bound(static_cast<char32_t>(first)); it != used.end() && it->first <= static_cast<char32_t>(last); ++it)
        widths[it->first] = width;
      i += 3;
      continue;
    }
    auto* run = static_cast<HPDF_Array>(next);
    if ((static_cast<HPDF_Obj_Header*>(next)->obj_class & HPDF_OCLASS_ANY) != HPDF_OCLASS_ARRAY) return;
    const HPDF_UINT count = HPDF_Array_Items(run);
    for (auto it = used.lower_bound(static_cast<char32_t>(first));
         it != used.end() && it->first < static_cast<char32_t>(first) + count; ++it)
      if (number(HPDF_List_ItemAt(run->list, it->first - first), &width)) widths[it->first] = width;
    i += 2;
  }
  HPDF_Array kept = HPDF_Array_New(pdf->mmgr);
  HPDF_Array run = nullptr;
  char32_t previous = 0;
  for (const auto& [code, width] : widths) {
    if (!run || code != previous + 1) {
      HPDF_Array_AddNumber(kept, static_cast<HPDF_INT32>(code));
      run = HPDF_Array_New(pdf->mmgr);
      HPDF_Array_Add(kept, run);
    }
    HPDF_Array_AddNumber(run, width);
    previous = code;
  }
  HPDF_Dict_Add(cid_font, "W", kept);  // frees libharu's array
}

struct FontInDoc {
  HPDF_Font font;
  UsedCodes used;  // code drawn -> real character
};

// Embeds the glyphs `fd` used as a subset font program (fonts/subset.h) with a CIDToGIDMap covering only the codes
// used, in place of libharu's full-size embedding. libharu builds the font descriptor lazily in the font's
// before-write hook; we run that hook now, then add what it would have added for an embedded font.
void EmbedSubset(HPDF_Doc pdf, const fonts::FontFace* face, const FontInDoc& fd, int number, bool compress) {
  const EmbeddedGlyphs embedded = EmbedGlyphs(*face, fd.used);
  const fonts::FontSubset& subset = embedded.subset;
  HPDF_Dict font = fd.font;
  if (font->before_write_fn) {
    font->before_write_fn(font);
    font->before_write_fn = nullptr;
  }
  auto* descendants = static_cast<HPDF_Array>(HPDF_Dict_GetItem(font, "DescendantFonts", HPDF_OCLASS_ARRAY));
  HPDF_Dict cid_font = descendants ? static_cast<HPDF_Dict>(HPDF_Array_GetItem(descendants, 0, HPDF_OCLASS_DICT)) : nullptr;
  HPDF_Dict descriptor =
      cid_font ? static_cast<HPDF_Dict>(HPDF_Dict_GetItem(cid_font, "FontDescriptor", HPDF_OCLASS_DICT)) : nullptr;
  auto* base = static_cast<HPDF_Name>(HPDF_Dict_GetItem(font, "BaseFont", HPDF_OCLASS_NAME));
  if (!cid_font || !descriptor || !base) throw Error(ErrorKind::kInternal, "libharu font without descriptor");
  // A subset's name carries a six-letter tag (PDF 32000 §9.6.4); ours is deterministic: same document, same bytes.
  std::string tag = "ZPAAAA";
  for (int i = 5, n = number; i >= 2 && n > 0; --i, n /= 26) tag[i] = static_cast<char>('A' + n % 26);
  const std::string name = tag + "+" + HPDF_Name_GetValue(base);
  HPDF_Dict_AddName(font, "BaseFont", name.c_str());
  HPDF_Dict_AddName(cid_font, "BaseFont", name.c_str());
  HPDF_Dict_AddName(descriptor, "FontName", name.c_str());
  const HPDF_UINT filter = compress ? HPDF_STREAM_FILTER_FLATE_DECODE : HPDF_STREAM_FILTER_NONE;
  HPDF_Dict program = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
  program->filter = filter;
  HPDF_Stream_Write(program->stream, reinterpret_cast<const HPDF_BYTE*>(subset.ttf.data()),
                    static_cast<HPDF_UINT>(subset.ttf.size()));
  HPDF_Dict_AddNumber(program, "Length1", static_cast<HPDF_INT32>(subset.ttf.size()));
  HPDF_Dict_Add(descriptor, "FontFile2", program);
  const std::string& map = embedded.cid_to_gid;
  HPDF_Dict cid_to_gid = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
  cid_to_gid->filter = filter;
  HPDF_Stream_Write(cid_to_gid->stream, reinterpret_cast<const HPDF_BYTE*>(map.data()),
                    static_cast<HPDF_UINT>(map.size()));
  HPDF_Dict_Add(cid_font, "CIDToGIDMap", cid_to_gid);
  KeepUsedWidths(pdf, cid_font, fd.used);
}

}  // namespace

std::string WritePdf(const layout::LaidOutDocument& doc, const PdfOptions& options) {
  HaruContext& ctx = ThreadContext();
  HPDF_Doc pdf = ctx.doc();
  DeflateLevelScope level_scope(options.deflate_level);
  HPDF_NewDoc(pdf);
  ctx.Check("starting a document");
  struct DocGuard {
    HPDF_Doc d;
    ~DocGuard() { HPDF_FreeDoc(d); }  // keeps font definitions for the next document on this thread
  } guard{pdf};
  // Load every font this document needs (libharu accepts fonts only while a document is open; each is parsed once
  // per thread and kept across documents).
  for (const auto& page : doc.pages)
    for (const auto& run : page.runs) ctx.FontName(run.face, options.use_source_fonts);
  HPDF_SetCompressionMode(pdf, options.compress ? HPDF_COMP_ALL : HPDF_COMP_NONE);
  // PDF 1.7 (ISO 32000-1), what PDF/A-2 is based on: the signing step adds the archival parts (pdf/pdfa.h) and a
  // seal image with transparency (an SMask, PDF 1.4). libharu 2.3 writes 1.3 unless told.
  pdf->pdf_version = HPDF_VER_17;
  HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, options.creator.c_str());
  HPDF_SetInfoAttr(pdf, HPDF_INFO_PRODUCER, "zhiping " ZHIPING_VERSION " (libharu)");

  std::unordered_map<const fonts::FontFace*, FontInDoc> fonts_in_doc;
  auto font_for = [&](const fonts::FontFace* face) -> FontInDoc& {
    auto it = fonts_in_doc.find(face);
    if (it != fonts_in_doc.end()) return it->second;
    HPDF_Font f = HPDF_GetFont(pdf, ctx.FontName(face, options.use_source_fonts), "UTF-8");
    ctx.Check("using font " + face->prepared().source.Describe());
    return fonts_in_doc.emplace(face, FontInDoc{f, {}}).first->second;
  };

  std::string utf8;
  for (const auto& lp : doc.pages) {
    HPDF_Page page = HPDF_AddPage(pdf);
    HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    // Images first, then rules, then text on top.
    for (const auto& img : lp.images) {
      HPDF_Image image = EmbedImage(ctx, pdf, *img.image);
      HPDF_Page_DrawImage(page, image, static_cast<HPDF_REAL>(img.x), static_cast<HPDF_REAL>(img.y),
                          static_cast<HPDF_REAL>(img.w), static_cast<HPDF_REAL>(img.h));
    }
    for (const auto& r : lp.rules) {
      HPDF_Page_SetLineWidth(page, static_cast<HPDF_REAL>(r.width));
      HPDF_Page_SetRGBStroke(page, static_cast<HPDF_REAL>(r.color.r), static_cast<HPDF_REAL>(r.color.g),
                             static_cast<HPDF_REAL>(r.color.b));
      HPDF_Page_MoveTo(page, static_cast<HPDF_REAL>(r.x1), static_cast<HPDF_REAL>(r.y1));
      HPDF_Page_LineTo(page, static_cast<HPDF_REAL>(r.x2), static_cast<HPDF_REAL>(r.y2));
      HPDF_Page_Stroke(page);
    }
    if (!lp.runs.empty()) {
      HPDF_Page_BeginText(page);
      double scale = 1;  // the page's current horizontal scaling (Tz 100)
      for (const auto& run : lp.runs) {
        if (run.glyphs.empty()) continue;
        FontInDoc& fd = font_for(run.face);
        HPDF_Page_SetFontAndSize(page, fd.font, static_cast<HPDF_REAL>(run.size));
        HPDF_Page_SetRGBFill(page, static_cast<HPDF_REAL>(run.color.r), static_cast<HPDF_REAL>(run.color.g),
                             static_cast<HPDF_REAL>(run.color.b));
        if (run.bold > 0) {
          HPDF_Page_SetTextRenderingMode(page, HPDF_FILL_THEN_STROKE);
          HPDF_Page_SetRGBStroke(page, static_cast<HPDF_REAL>(run.color.r), static_cast<HPDF_REAL>(run.color.g),
                                 static_cast<HPDF_REAL>(run.color.b));
          HPDF_Page_SetLineWidth(page, static_cast<HPDF_REAL>(run.bold * run.size));
        } else {
          HPDF_Page_SetTextRenderingMode(page, HPDF_FILL);
        }
        // Tz scales advances and Tc alike: the spacing below is worked out in unscaled text space.
        const double h = run.hscale > 0 ? run.hscale : 1;
        if (h != scale) {
          HPDF_Page_SetHorizontalScalling(page, static_cast<HPDF_REAL>(h * 100));
          scale = h;
        }
        // Glyphs spaced by a constant amount beyond their natural advance share one Tj with Tc = that amount.
        size_t i = 0;
        const auto& gl = run.glyphs;
        while (i < gl.size()) {
          size_t j = i + 1;
          double spacing = 0;
          if (j < gl.size()) spacing = (gl[j].x - gl[i].x) / h - run.face->Advance(gl[i].cp) * run.size;
          while (j < gl.size() &&
                 std::fabs((gl[j].x - gl[j - 1].x) / h - run.face->Advance(gl[j - 1].cp) * run.size - spacing) < 0.005)
            ++j;
          if (j == i + 1) spacing = 0;
          utf8.clear();
          for (size_t k = i; k < j; ++k) {
            char32_t code = run.face->PdfCode(gl[k].cp);
            AppendUtf8(code, &utf8);
            fd.used[code] = gl[k].cp;
          }
          HPDF_Page_SetCharSpace(page, static_cast<HPDF_REAL>(std::max(-30.0, std::min(300.0, spacing))));
          HPDF_Page_TextOut(page, static_cast<HPDF_REAL>(gl[i].x), static_cast<HPDF_REAL>(run.y), utf8.c_str());
          i = j;
        }
      }
      HPDF_Page_EndText(page);
    }
    ctx.Check("drawing a page");
  }
  // Replace libharu's malformed ToUnicode CMaps with correct ones for the codes used, and (prepared fonts) embed
  // our own subsets.
  int font_number = 0;
  for (auto& [face, fd] : fonts_in_doc) {
    HPDF_Dict tu = static_cast<HPDF_Dict>(HPDF_Dict_GetItem(fd.font, "ToUnicode", HPDF_OCLASS_DICT));
    if (!tu || !tu->stream) throw Error(ErrorKind::kInternal, "libharu font has no ToUnicode stream");
    HPDF_MemStream_FreeData(tu->stream);
    const std::string cmap = ToUnicodeCMap(fd.used);
    HPDF_Stream_Write(tu->stream, reinterpret_cast<const HPDF_BYTE*>(cmap.data()), static_cast<HPDF_UINT>(cmap.size()));
    if (!options.use_source_fonts) EmbedSubset(pdf, face, fd, font_number++, options.compress);
    ctx.Check("embedding font " + face->prepared().source.Describe());
  }
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
