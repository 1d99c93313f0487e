#include "seal/ofd_xml.h"

#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/NodeList.h>
#include <Poco/SAX/XMLReader.h>
#include <openssl/evp.h>

#include "common/error.h"

namespace zhiping::seal {

Poco::AutoPtr<Poco::XML::Document> ParseOfdXml(const std::string& bytes, const std::string& part, size_t max_bytes) {
  if (bytes.size() > max_bytes)
    throw Error(ErrorKind::kInvalidInput,
                part + ": " + std::to_string(bytes.size()) + " bytes (at most " + std::to_string(max_bytes) + ")");
  try {
    Poco::XML::DOMParser parser;
    parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, true);
    parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_GENERAL_ENTITIES, false);
    parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_PARAMETER_ENTITIES, false);
    return parser.parseMemory(bytes.data(), bytes.size());
  } catch (const Poco::Exception& e) {
    throw Error(ErrorKind::kInvalidInput, part + ": not well-formed XML (" + e.displayText() + ")");
  }
}

std::vector<Poco::XML::Element*> ChildrenNamed(const Poco::XML::Node* parent, const std::string& name) {
  std::vector<Poco::XML::Element*> out;
  if (!parent) return out;
  for (Poco::XML::Node* n = parent->firstChild(); n; n = n->nextSibling()) {
    if (n->nodeType() == Poco::XML::Node::ELEMENT_NODE && n->localName() == name)
      out.push_back(static_cast<Poco::XML::Element*>(n));
  }
  return out;
}

Poco::XML::Element* ChildNamed(const Poco::XML::Node* parent, const std::string& name) {
  std::vector<Poco::XML::Element*> all = ChildrenNamed(parent, name);
  return all.empty() ? nullptr : all.front();
}

std::string TrimmedText(const Poco::XML::Element* element) {
  if (!element) return "";
  std::string text = element->innerText();
  size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t\r\n") - begin + 1);
}

std::string Base64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(n);
  return out;
}

std::string FromBase64(const std::string& text, const std::string& what) {
  std::string clean;
  for (char c : text)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') clean.push_back(c);
  if (clean.size() % 4 != 0 || clean.size() > (64u << 20))
    throw Error(ErrorKind::kInvalidInput, what + ": not base64");
  std::string out(clean.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(clean.data()), static_cast<int>(clean.size()));
  if (n < 0) throw Error(ErrorKind::kInvalidInput, what + ": not base64");
  // EVP_DecodeBlock counts the padding as zero bytes.
  size_t pad = 0;
  if (!clean.empty() && clean.back() == '=') pad = clean[clean.size() - 2] == '=' ? 2 : 1;
  out.resize(n - pad);
  return out;
}

}  // namespace zhiping::seal
