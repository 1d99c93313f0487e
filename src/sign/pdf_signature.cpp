#include "sign/pdf_signature.h"

#include <podofo/podofo.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <sstream>

#include "common/deflate_level.h"
#include "common/error.h"
#include "common/utf8.h"
#include "fonts/font_face.h"
#include "pdf/cid_font.h"
#include "pdf/pdfa.h"
#include "sign/appearance_font.h"
#include "sign/openssl_util.h"
#include "sign/podofo_guard.h"
#include "sign/seal_image.h"

using namespace PoDoFo;

namespace zhiping::sign {
namespace {

const char kByteRangePlaceholder[] = "[ 0 1234567890 1234567890 1234567890]";  // what PdfSignatureField writes

std::u32string U32(const std::string& s) {
  std::u32string out;
  DecodeUtf8(s, &out);
  return out;
}

PdfObject* NewStream(PdfMemDocument& doc, const std::string& raw, const char* filter) {
  PdfObject* obj = doc.GetObjects().CreateObject();
  PdfMemoryInputStream in(raw.data(), static_cast<pdf_long>(raw.size()));
  obj->GetStream()->SetRawData(&in, static_cast<pdf_long>(raw.size()));
  if (filter) obj->GetDictionary().AddKey(PdfName("Filter"), PdfName(filter));
  return obj;
}

void Int(PdfDictionary& d, const char* key, pdf_int64 v) {
  d.AddKey(PdfName(key), PdfObject(v));
}

// A Type0 font (Identity-H) embedding the subset of `face` that draws `used` (pdf/cid_font.h: the page writer's
// own parts), with widths and a ToUnicode map: what PDF/A wants of every font, the appearance's included.
PdfObject* AddCidFont(PdfMemDocument& doc, const fonts::FontFace& face, const pdf::UsedCodes& used) {
  const std::shared_ptr<const AppearanceFont> made = AppearanceFontFor(face, used);  // compressed once, cached
  PdfObject* file = NewStream(doc, made->font_program, "FlateDecode");
  Int(file->GetDictionary(), "Length1", static_cast<pdf_int64>(made->font_program_length));
  PdfObject* descriptor = doc.GetObjects().CreateObject("FontDescriptor");
  PdfDictionary& fd = descriptor->GetDictionary();
  const pdf::DescriptorNumbers m = pdf::DescriptorFor(face);  // the page writer's numbers, one owner
  fd.AddKey(PdfName("FontName"), PdfName(made->name));
  Int(fd, "Flags", m.flags);
  PdfArray bbox;
  for (int v : m.bbox) bbox.push_back(PdfObject(static_cast<pdf_int64>(v)));
  fd.AddKey(PdfName("FontBBox"), bbox);
  Int(fd, "ItalicAngle", m.italic_angle);
  Int(fd, "Ascent", m.ascent);
  Int(fd, "Descent", m.descent);
  Int(fd, "CapHeight", m.cap_height);
  Int(fd, "StemV", m.stem_v);
  fd.AddKey(PdfName("FontFile2"), file->Reference());
  PdfObject* cid_to_gid = NewStream(doc, made->cid_to_gid, "FlateDecode");
  PdfArray widths;
  for (const auto& [code, width] : made->widths) {
    widths.push_back(PdfObject(static_cast<pdf_int64>(code)));
    PdfArray one;
    one.push_back(PdfObject(static_cast<pdf_int64>(width)));
    widths.push_back(one);
  }
  PdfObject* cid = doc.GetObjects().CreateObject("Font");
  PdfDictionary& cd = cid->GetDictionary();
  cd.AddKey(PdfName("Subtype"), PdfName("CIDFontType2"));
  cd.AddKey(PdfName("BaseFont"), PdfName(made->name));
  PdfDictionary info;
  info.AddKey(PdfName("Registry"), PdfString("Adobe"));
  info.AddKey(PdfName("Ordering"), PdfString("Identity"));
  Int(info, "Supplement", 0);
  cd.AddKey(PdfName("CIDSystemInfo"), info);
  cd.AddKey(PdfName("FontDescriptor"), descriptor->Reference());
  cd.AddKey(PdfName("CIDToGIDMap"), cid_to_gid->Reference());
  Int(cd, "DW", 1000);
  cd.AddKey(PdfName("W"), widths);
  PdfObject* to_unicode = NewStream(doc, made->to_unicode, "FlateDecode");
  PdfObject* font = doc.GetObjects().CreateObject("Font");
  PdfDictionary& f = font->GetDictionary();
  f.AddKey(PdfName("Subtype"), PdfName("Type0"));
  f.AddKey(PdfName("BaseFont"), PdfName(made->name));
  f.AddKey(PdfName("Encoding"), PdfName("Identity-H"));
  PdfArray descendants;
  descendants.push_back(cid->Reference());
  f.AddKey(PdfName("DescendantFonts"), descendants);
  f.AddKey(PdfName("ToUnicode"), to_unicode->Reference());
  return font;
}

// The seal picture as an image XObject, its alpha as an SMask (bytes compressed once, sign/seal_image.h).
PdfObject* AddSealImage(PdfMemDocument& doc, const SealPicture& seal) {
  auto image_dict = [&](PdfObject* obj, const char* space) {
    PdfDictionary& d = obj->GetDictionary();
    d.AddKey(PdfName("Type"), PdfName("XObject"));
    d.AddKey(PdfName("Subtype"), PdfName("Image"));
    Int(d, "Width", seal.width);
    Int(d, "Height", seal.height);
    d.AddKey(PdfName("ColorSpace"), PdfName(space));
    Int(d, "BitsPerComponent", 8);
  };
  PdfObject* img = seal.jpeg.empty() ? NewStream(doc, seal.deflated_pixels, "FlateDecode")
                                     : NewStream(doc, seal.jpeg, "DCTDecode");
  image_dict(img, seal.channels == 1 ? "DeviceGray" : "DeviceRGB");
  if (!seal.deflated_alpha.empty()) {
    PdfObject* mask = NewStream(doc, seal.deflated_alpha, "FlateDecode");
    image_dict(mask, "DeviceGray");
    img->GetDictionary().AddKey(PdfName("SMask"), mask->Reference());
  }
  return img;
}

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

// The appearance: the seal picture filling the box (square, centred), the lines in its lower part, centred, each
// in the embedded CJK face. Text is black over the red seal, as a signature over a stamp.
void AddAppearance(PdfMemDocument& doc, PdfSignatureField& field, const SignatureLook& look, double w, double h) {
  PdfXObject xobject(PdfRect(0, 0, w, h), &doc);
  std::string content;
  if (look.seal) {
    const double side = std::min(w, h);
    content += "q " + Num(side) + " 0 0 " + Num(side) + " " + Num((w - side) / 2) + " " + Num((h - side) / 2) +
               " cm /Seal Do Q\n";
    PdfDictionary images;
    images.AddKey(PdfName("Seal"), AddSealImage(doc, *look.seal)->Reference());
    xobject.GetResources()->GetDictionary().AddKey(PdfName("XObject"), images);
  }
  if (!look.lines.empty() && look.face) {
    const fonts::FontFace& face = *look.face;
    std::vector<std::u32string> lines;
    double widest = 1;
    for (const std::string& line : look.lines) {
      std::u32string text;
      for (char32_t cp : U32(line)) text += face.Has(cp) ? cp : U'?';
      double em = 0;
      for (char32_t cp : text) em += face.Advance(cp);
      widest = std::max(widest, em);
      lines.push_back(std::move(text));
    }
    const double n = static_cast<double>(lines.size());
    // As large as fits, up to 8 pt: without a seal in the lower 40 % of the box; over a seal in a narrow band just
    // inside its bottom edge, under the seal's own lettering, so that both stay readable.
    const double band = look.seal ? 0.11 : 0.4;
    double size = std::min({8.0, (w * (look.seal ? 0.6 : 1.0) - 6) / widest, (h * band) / (n * 1.2)});
    size = std::max(size, 2.0);
    pdf::UsedCodes used;
    content += "q BT 0 0 0 rg /F1 " + Num(size) + " Tf\n";
    double y = h * 0.06 + (n - 1) * size * 1.2;
    for (const std::u32string& text : lines) {
      double em = 0;
      for (char32_t cp : text) em += face.Advance(cp);
      const double x = (w - em * size) / 2;
      content += "1 0 0 1 " + Num(x) + " " + Num(y) + " Tm " + pdf::HexCodes(face, text, &used) + " Tj\n";
      y -= size * 1.2;
    }
    content += "ET Q\n";
    PdfDictionary fonts;
    fonts.AddKey(PdfName("F1"), AddCidFont(doc, face, used)->Reference());
    xobject.GetResources()->GetDictionary().AddKey(PdfName("Font"), fonts);
  }
  xobject.GetObject()->GetStream()->Set(content.data(), static_cast<pdf_long>(content.size()));
  field.SetAppearanceStream(&xobject);
}

std::string Utf8Of(const PdfString& s) { return s.IsValid() ? s.GetStringUtf8() : std::string(); }

// PDF/A-2b in the signature's revision (pdf/pdfa.h): XMP equal to the Info dictionary, the sRGB output intent.
void AddArchivalParts(PdfMemDocument& doc, const SignRequest& request, const std::string& date) {
  PdfInfo* info = doc.GetInfo();
  PdfDictionary& id = info->GetObject()->GetDictionary();
  auto utf8_string = [](const std::string& s) { return PdfString(reinterpret_cast<const pdf_utf8*>(s.c_str())); };
  if (!request.title.empty()) id.AddKey(PdfName("Title"), utf8_string(request.title));
  const std::string author = request.author.empty() ? request.location : request.author;
  if (!author.empty()) id.AddKey(PdfName("Author"), utf8_string(author));
  id.AddKey(PdfName("CreationDate"), PdfString(date));
  id.AddKey(PdfName("ModDate"), PdfString(date));
  // The XMP says what the Info dictionary says, read back from it (titles or tools the PDF had stay in agreement).
  auto entry = [&](const char* key) {
    const PdfObject* v = id.GetKey(PdfName(key));
    return v && v->IsString() ? Utf8Of(v->GetString()) : std::string();
  };
  for (const char* key : {"Subject", "Keywords"})
    if (id.HasKey(PdfName(key))) id.RemoveKey(PdfName(key));  // not ours; PDF/A would want them in the XMP too
  pdf::ArchivalInfo ai{entry("Title"), entry("Author"), entry("Creator"), entry("Producer"), date, date};
  const std::string xmp = pdf::XmpPacket(ai);
  PdfObject* metadata = doc.GetObjects().CreateObject("Metadata");
  metadata->GetDictionary().AddKey(PdfName("Subtype"), PdfName("XML"));
  metadata->GetStream()->Set(xmp.data(), static_cast<pdf_long>(xmp.size()), TVecFilters());  // PDF/A: unfiltered
  PdfDictionary& catalog = doc.GetCatalog()->GetDictionary();
  catalog.AddKey(PdfName("Metadata"), metadata->Reference());

  const pdf::IccProfile& icc = pdf::SrgbProfile();
  PdfObject* profile = NewStream(doc, icc.deflated, "FlateDecode");
  Int(profile->GetDictionary(), "N", 3);
  PdfDictionary intent;
  intent.AddKey(PdfName("Type"), PdfName("OutputIntent"));
  intent.AddKey(PdfName("S"), PdfName("GTS_PDFA1"));
  intent.AddKey(PdfName("OutputConditionIdentifier"), PdfString(pdf::kSrgbCondition));
  intent.AddKey(PdfName("Info"), PdfString(pdf::kSrgbCondition));
  intent.AddKey(PdfName("RegistryName"), PdfString("http://www.color.org"));
  intent.AddKey(PdfName("DestOutputProfile"), profile->Reference());
  PdfArray intents;
  intents.push_back(intent);
  catalog.AddKey(PdfName("OutputIntents"), intents);
}

PreparedPdf WriteUpdate(const std::string& pdf, const SignRequest& request, const SignatureLook& look,
                        const std::string& claimed_time_pdf, const std::string& contents_placeholder, bool archival) {
  PdfMemDocument doc;
  doc.LoadFromBuffer(pdf.data(), static_cast<long>(pdf.size()), true);
  const Appearance& ap = request.appearance;
  if (ap.page < 0 || ap.page >= doc.GetPageCount())
    ThrowInvalid("/appearance/page", "page " + std::to_string(ap.page) + " does not exist (the PDF has " +
                                          std::to_string(doc.GetPageCount()) + ")");
  if (ap.visible && (ap.w < 1 || ap.h < 1)) ThrowInvalid("/appearance", "a visible signature needs w and h >= 1");
  PdfPage* page = doc.GetPage(ap.page);
  // A damaged page tree can yield no page or a page that is not a dictionary; PoDoFo would dereference either.
  if (!page || !page->GetObject() || !page->GetObject()->IsDictionary())
    ThrowInvalid("", "page " + std::to_string(ap.page) + " of the PDF cannot be read");

  PdfAcroForm* form = doc.GetAcroForm(true, ePdfAcroFormDefaultAppearance_None);
  // SigFlags 3: SignaturesExist | AppendOnly — viewers must save later edits incrementally.
  form->GetObject()->GetDictionary().AddKey(PdfName("SigFlags"), PdfObject(static_cast<pdf_int64>(3)));

  PdfRect rect = ap.visible ? PdfRect(ap.x, ap.y, ap.w, ap.h) : PdfRect(0, 0, 0, 0);
  PdfAnnotation* widget = page->CreateAnnotation(ePdfAnnotation_Widget, rect);
  widget->GetObject()->GetDictionary().AddKey(PdfName("M"), PdfString(claimed_time_pdf));
  // PDF/A: Print set, never Hidden/NoView; an invisible signature is the zero rectangle (which needs no appearance).
  widget->SetFlags(ePdfAnnotationFlags_Print);
  PdfSignatureField field(widget, form, &doc);
  field.SetFieldName(PdfString("Signature" + std::to_string(doc.GetObjects().GetObjectCount())));
  if (!request.reason.empty())
    field.SetSignatureReason(PdfString(reinterpret_cast<const pdf_utf8*>(request.reason.c_str())));
  if (!request.location.empty())
    field.SetSignatureLocation(PdfString(reinterpret_cast<const pdf_utf8*>(request.location.c_str())));
  field.SetSignature(PdfData(contents_placeholder.c_str(), contents_placeholder.size()));
  PdfDictionary& sig = field.GetSignatureObject()->GetDictionary();
  // PoDoFo 0.9.8 writes adbe.pkcs7.detached; PAdES wants the CAdES sub-filter. /M is set here rather than with
  // PdfDate because that goes through the process-wide local time zone.
  sig.AddKey(PdfName("SubFilter"), PdfName("ETSI.CAdES.detached"));
  sig.AddKey(PdfName("M"), PdfString(claimed_time_pdf));
  if (ap.visible) {
    if (!look.face && !look.lines.empty()) throw Error(ErrorKind::kInternal, "a visible signature needs the CJK fonts (none given to the signer)");
    AddAppearance(doc, field, look, ap.w, ap.h);
  }
  if (archival) AddArchivalParts(doc, request, claimed_time_pdf);
  // PDF/A-2 is PDF 1.7; a file whose header says less (not ours: libharu writes 1.7) is raised by the catalog.
  if (archival && pdf.compare(0, 8, "%PDF-1.7") != 0)
    doc.GetCatalog()->GetDictionary().AddKey(PdfName("Version"), PdfName("1.7"));

  PdfRefCountedBuffer buffer;
  PdfOutputDevice device(&buffer);
  doc.WriteUpdate(&device, true);
  PreparedPdf prepared;
  prepared.bytes.assign(buffer.GetBuffer(), device.GetLength());
  return prepared;
}

}  // namespace

PreparedPdf PrepareSignatureUpdate(const std::string& pdf, const SignRequest& request, const SignatureLook& look,
                                   const std::string& claimed_time_pdf, size_t reserved_der_bytes, bool archival) {
  if (pdf.compare(0, 5, "%PDF-") != 0) ThrowInvalid("", "not a PDF (no %PDF- header)");
  const std::string zeros(reserved_der_bytes * 2, '0');
  PreparedPdf prepared;
  try {
    auto lock = LockPoDoFo();
    // The appearance's font program, CMaps and XMP are compressed by PoDoFo at zlib's default level; level 1 halves
    // that time for a few hundred bytes more (common/deflate_level.h; the seal and the profile come compressed).
    DeflateLevelScope level(1);
    prepared = WriteUpdate(pdf, request, look, claimed_time_pdf, zeros, archival);
  } catch (const PdfError& e) {
    throw Error(ErrorKind::kInvalidInput, std::string("cannot sign this PDF: ") + PdfError::ErrorName(e.GetError()));
  }

  // Only the appended update can hold the placeholders, so search from the end of the original file. Forward:
  // std::string::rfind compares at every position from the end back (a memcmp call each, through the appearance's
  // font and the colour profile: 3% of a bulk run), find skips to each '[' with memchr. PoDoFo writes one of each.
  std::string& b = prepared.bytes;
  const size_t contents = b.find("<" + zeros + ">", pdf.size());
  const size_t range = b.find(kByteRangePlaceholder, pdf.size());
  if (contents == std::string::npos || range == std::string::npos ||
      b.find(kByteRangePlaceholder, range + 1) != std::string::npos)
    throw Error(ErrorKind::kInternal, "signature placeholders not found in PoDoFo's output");
  prepared.contents_begin = contents;
  prepared.contents_end = contents + zeros.size() + 2;

  std::string value = "[0 " + std::to_string(prepared.contents_begin) + " " + std::to_string(prepared.contents_end) +
                      " " + std::to_string(b.size() - prepared.contents_end) + "]";
  const size_t width = sizeof kByteRangePlaceholder - 1;
  if (value.size() > width) throw Error(ErrorKind::kInternal, "PDF too large for the /ByteRange placeholder");
  value.append(width - value.size(), ' ');  // same length: no offset in the file moves
  b.replace(range, width, value);
  return prepared;
}

std::string DigestOfSignedRanges(const PreparedPdf& p) {
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), p.bytes.data(), p.contents_begin) != 1 ||
      EVP_DigestUpdate(ctx.get(), p.bytes.data() + p.contents_end, p.bytes.size() - p.contents_end) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), md, &len) != 1)
    ThrowOpenSsl(ErrorKind::kInternal, "cannot hash the signed ranges");
  return std::string(reinterpret_cast<char*>(md), len);
}

void EmbedSignature(PreparedPdf& p, const std::string& der) {
  std::string hex = HexEncode(der);
  if (hex.size() > p.contents_end - p.contents_begin - 2)
    throw Error(ErrorKind::kInternal, "signature (" + std::to_string(der.size()) +
                                          " bytes) larger than the room reserved in /Contents");
  p.bytes.replace(p.contents_begin + 1, hex.size(), hex);
}

}  // namespace zhiping::sign
