#include "ofd/ofd_xml.h"

#include <Poco/SAX/AttributesImpl.h>

#include <cstdio>

namespace zhiping::ofd {

std::string OfdNumber(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s == "-0" || s.empty()) s = "0";
  return s;
}

OfdXmlWriter::OfdXmlWriter() : writer_(out_, Poco::XML::XMLWriter::WRITE_XML_DECLARATION) {
  writer_.startDocument();
  writer_.startPrefixMapping("ofd", kOfdNamespace);
}

void OfdXmlWriter::Open(const std::string& name, const Attrs& attrs) {
  Poco::XML::AttributesImpl a;
  for (const auto& [k, v] : attrs) a.addAttribute("", k, k, "CDATA", v);
  writer_.startElement(kOfdNamespace, name, "ofd:" + name, a);
}

void OfdXmlWriter::Close(const std::string& name) { writer_.endElement(kOfdNamespace, name, "ofd:" + name); }

void OfdXmlWriter::Empty(const std::string& name, const Attrs& attrs) {
  Open(name, attrs);
  Close(name);
}

void OfdXmlWriter::Element(const std::string& name, const std::string& text, const Attrs& attrs) {
  Open(name, attrs);
  writer_.characters(text);
  Close(name);
}

std::string OfdXmlWriter::Finish() {
  writer_.endPrefixMapping("ofd");
  writer_.endDocument();
  return out_.str();
}

}  // namespace zhiping::ofd
