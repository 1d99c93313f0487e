#include "pdf/pdfa.h"

#include <openssl/evp.h>
#include <zlib.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

#include "common/error.h"
#include "common/messages.h"

namespace zhiping::pdf {
namespace {

std::string XmlEscape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default:
        // XML 1.0 has no control characters but tab/newline; a title never needs them.
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n') out += c;
    }
  }
  return out;
}

IccProfile LoadProfile() {
  IccProfile p;
  const char* env = std::getenv("ZHIPING_SRGB_PROFILE");
  p.path = env && *env ? env : kSrgbProfilePath;
  std::ifstream in(p.path, std::ios::binary);
  std::ostringstream raw;
  raw << in.rdbuf();
  const std::string bytes = raw.str();
  // An ICC profile starts with its size (big-endian) and has 'acsp' at offset 36.
  if (bytes.size() < 128 || bytes.compare(36, 4, "acsp") != 0)
    throw Error(ErrorKind::kNotFound, RenderMessage(Msg::kSrgbProfileMissing, {p.path, "icc-profiles-free", "ZHIPING_SRGB_PROFILE"},
                                                    ProcessLanguage()));
  p.size = bytes.size();
  uLongf len = compressBound(bytes.size());
  p.deflated.resize(len);
  if (compress2(reinterpret_cast<Bytef*>(p.deflated.data()), &len, reinterpret_cast<const Bytef*>(bytes.data()),
                bytes.size(), 9) != Z_OK)
    throw Error(ErrorKind::kInternal, "cannot compress the sRGB profile");
  p.deflated.resize(len);
  return p;
}

}  // namespace

std::string PdfDateToXmp(const std::string& d) {
  // D:YYYYMMDDHHmmSS followed by Z, or +HH'mm' / -HH'mm'.
  if (d.size() < 16 || d.compare(0, 2, "D:") != 0) throw Error(ErrorKind::kInternal, "not a PDF date: " + d);
  std::string x = d.substr(2, 4) + "-" + d.substr(6, 2) + "-" + d.substr(8, 2) + "T" + d.substr(10, 2) + ":" +
                  d.substr(12, 2) + ":" + d.substr(14, 2);
  const std::string zone = d.substr(16);
  if (zone.empty() || zone[0] == 'Z') return x + "Z";
  if ((zone[0] == '+' || zone[0] == '-') && zone.size() >= 3) {
    std::string minutes = zone.size() >= 6 ? zone.substr(4, 2) : "00";
    return x + zone.substr(0, 3) + ":" + minutes;
  }
  throw Error(ErrorKind::kInternal, "not a PDF date: " + d);
}

std::string PdfDateUtc(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "D:%Y%m%d%H%M%SZ", &tm);
  return buf;
}

std::string XmpPacket(const ArchivalInfo& info) {
  const std::string created = PdfDateToXmp(info.created);
  const std::string modified = PdfDateToXmp(info.modified.empty() ? info.created : info.modified);
  std::string x =
      "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
      "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
      "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
      "<rdf:Description rdf:about=\"\"\n"
      " xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"\n"
      " xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
      " xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
      " xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n"
      "<pdfaid:part>2</pdfaid:part>\n<pdfaid:conformance>B</pdfaid:conformance>\n";
  x += "<dc:format>application/pdf</dc:format>\n";
  if (!info.title.empty())
    x += "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">" + XmlEscape(info.title) + "</rdf:li></rdf:Alt></dc:title>\n";
  if (!info.author.empty())
    x += "<dc:creator><rdf:Seq><rdf:li>" + XmlEscape(info.author) + "</rdf:li></rdf:Seq></dc:creator>\n";
  if (!info.creator_tool.empty()) x += "<xmp:CreatorTool>" + XmlEscape(info.creator_tool) + "</xmp:CreatorTool>\n";
  x += "<xmp:CreateDate>" + created + "</xmp:CreateDate>\n<xmp:ModifyDate>" + modified +
       "</xmp:ModifyDate>\n<xmp:MetadataDate>" + modified + "</xmp:MetadataDate>\n";
  if (!info.producer.empty()) x += "<pdf:Producer>" + XmlEscape(info.producer) + "</pdf:Producer>\n";
  x += "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n";
  // Padding lets an editor rewrite the packet in place (XMP spec part 1, 7.3.2); 10 lines is plenty here.
  for (int i = 0; i < 10; ++i) x += std::string(99, ' ') + "\n";
  x += "<?xpacket end=\"w\"?>";
  return x;
}

const IccProfile& SrgbProfile() {
  static const IccProfile profile = LoadProfile();  // a failed load throws again on the next call
  return profile;
}

std::string DocumentId(const std::string& seed) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(seed.data(), seed.size(), md, &len, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<char*>(md), 16);
}

}  // namespace zhiping::pdf
