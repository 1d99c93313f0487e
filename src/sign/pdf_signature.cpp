#include "sign/pdf_signature.h"

#include <podofo/podofo.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <sstream>

#include "common/error.h"
#include "sign/openssl_util.h"
#include "sign/podofo_guard.h"

using namespace PoDoFo;

namespace zhiping::sign {
namespace {

const char kByteRangePlaceholder[] = "[ 0 1234567890 1234567890 1234567890]";  // what PdfSignatureField writes

// A PDF literal string of the line's printable ASCII; anything else becomes '?' because the appearance uses the
// standard Helvetica font, which has no CJK glyphs.
std::string PdfLiteral(const std::string& text) {
  std::string out = "(";
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = text[i];
    if (c >= 0x80) {
      while (i + 1 < text.size() && (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80) ++i;
      out += '?';
    } else if (c == '(' || c == ')' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20) {
      out += static_cast<char>(c);
    }
  }
  return out + ")";
}

// Width of a line in Helvetica at size 1, from the standard metrics of the characters signatures use (digits,
// capitals, colons); close enough to fit the box without embedding a metrics table.
double HelveticaEm(const std::string& line) {
  double em = 0;
  for (unsigned char c : line) {
    if (c >= '0' && c <= '9') em += 0.556;
    else if (c >= 'A' && c <= 'Z') em += 0.667;
    else if (c == ':' || c == ' ' || c == '.' || c == ',' || c == 'i' || c == 'l' || c == 'j') em += 0.278;
    else if (c == 'm' || c == 'w' || c == 'M' || c == 'W') em += 0.833;
    else em += 0.556;
  }
  return em;
}

std::string AppearanceContent(const SignatureLook& look, double w, double h) {
  size_t n = look.lines.empty() ? 1 : look.lines.size();
  double widest = 1;
  for (const std::string& line : look.lines) widest = std::max(widest, HelveticaEm(line));
  // As large as fits both ways, up to 9 pt; below 2 pt it is unreadable anyway and gets clipped instead.
  double size = std::min({9.0, (h - 4) / (n * 1.25), (w - 6) / widest});
  if (size < 2) size = 2;
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(2);
  // A thin frame so that the box reads as a signature, then the lines inside a clip to the box.
  s << "q 0.5 w 0 0 0.6 RG 0.25 0.25 " << w - 0.5 << ' ' << h - 0.5 << " re S Q\n";
  s << "q 1 1 " << w - 2 << ' ' << h - 2 << " re W n\nBT /Helv " << size << " Tf 0 0 0 rg " << size * 1.25
    << " TL 3 " << h - 2 - size << " Td\n";
  for (const std::string& line : look.lines) s << PdfLiteral(line) << " Tj T*\n";
  s << "ET Q\n";
  return s.str();
}

void AddAppearance(PdfMemDocument& doc, PdfSignatureField& field, const SignatureLook& look, double w, double h) {
  PdfXObject xobject(PdfRect(0, 0, w, h), &doc);
  PdfObject* font = doc.GetObjects().CreateObject("Font");
  font->GetDictionary().AddKey(PdfName("Subtype"), PdfName("Type1"));
  font->GetDictionary().AddKey(PdfName("BaseFont"), PdfName("Helvetica"));
  font->GetDictionary().AddKey(PdfName("Encoding"), PdfName("WinAnsiEncoding"));
  PdfDictionary fonts;
  fonts.AddKey(PdfName("Helv"), font->Reference());
  xobject.GetResources()->GetDictionary().AddKey(PdfName("Font"), fonts);
  std::string content = AppearanceContent(look, w, h);
  xobject.GetObject()->GetStream()->Set(content.data(), static_cast<pdf_long>(content.size()));
  field.SetAppearanceStream(&xobject);
}

PreparedPdf WriteUpdate(const std::string& pdf, const SignRequest& request, const SignatureLook& look,
                        const std::string& claimed_time_pdf, const std::string& contents_placeholder) {
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
  widget->SetFlags(ap.visible ? ePdfAnnotationFlags_Print : (ePdfAnnotationFlags_Hidden | ePdfAnnotationFlags_Print));
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
  if (ap.visible) AddAppearance(doc, field, look, ap.w, ap.h);

  PdfRefCountedBuffer buffer;
  PdfOutputDevice device(&buffer);
  doc.WriteUpdate(&device, true);
  PreparedPdf prepared;
  prepared.bytes.assign(buffer.GetBuffer(), device.GetLength());
  return prepared;
}

}  // namespace

std::string PdfDateUtc(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "D:%Y%m%d%H%M%SZ", &tm);
  return buf;
}

PreparedPdf PrepareSignatureUpdate(const std::string& pdf, const SignRequest& request, const SignatureLook& look,
                                   const std::string& claimed_time_pdf, size_t reserved_der_bytes) {
  if (pdf.compare(0, 5, "%PDF-") != 0) ThrowInvalid("", "not a PDF (no %PDF- header)");
  const std::string zeros(reserved_der_bytes * 2, '0');
  PreparedPdf prepared;
  try {
    auto lock = LockPoDoFo();
    prepared = WriteUpdate(pdf, request, look, claimed_time_pdf, zeros);
  } catch (const PdfError& e) {
    throw Error(ErrorKind::kInvalidInput, std::string("cannot sign this PDF: ") + PdfError::ErrorName(e.GetError()));
  }

  // Only the appended update can hold the placeholders, so search from the end of the original file.
  std::string& b = prepared.bytes;
  size_t contents = b.find("<" + zeros + ">", pdf.size());
  size_t range = b.rfind(kByteRangePlaceholder);
  if (contents == std::string::npos || range == std::string::npos || range < pdf.size())
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
