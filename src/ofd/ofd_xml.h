// ofd/ofd_xml.h — writing an OFD part: Poco's XML writer with the ofd: prefix on every element of the OFD namespace
// (GB/T 33190 §7), attributes as a list in the order given, and numbers the way OFD writes them. Used by the OFD
// writer (ofd_writer.h) and by the seal (src/seal), which writes Signature.xml and Signatures.xml: one way to write
// a part. Not thread-safe (one writer per part); reentrant otherwise.
#pragma once

#include <Poco/XML/XMLWriter.h>

#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace zhiping::ofd {

inline constexpr const char* kOfdNamespace = "http://www.ofdspec.org/2016";

// A number to 1/1000 (of a millimetre: finer than any printer), no trailing zeros, never "-0".
std::string OfdNumber(double v);

class OfdXmlWriter {
 public:
  using Attrs = std::vector<std::pair<std::string, std::string>>;

  OfdXmlWriter();  // starts the document (with its XML declaration) and the ofd: prefix mapping
  void Open(const std::string& name, const Attrs& attrs = {});
  void Close(const std::string& name);
  void Empty(const std::string& name, const Attrs& attrs = {});
  void Element(const std::string& name, const std::string& text, const Attrs& attrs = {});
  std::string Finish();  // ends the document; the part's bytes

 private:
  std::ostringstream out_;
  Poco::XML::XMLWriter writer_;
};

}  // namespace zhiping::ofd
