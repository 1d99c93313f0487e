// seal/ofd_xml.h — the few XML operations the seal needs on OFD parts: parse a part that may be hostile (a size cap,
// no external entities; expat refuses entity-expansion bombs), find elements by local name in the OFD namespace,
// and base64 both ways. Internal to src/seal. Errors: zhiping::Error kInvalidInput naming the part.
#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>

#include "ofd/ofd_xml.h"

#include <string>
#include <vector>

namespace zhiping::seal {

using ofd::kOfdNamespace;  // ofd/ofd_xml.h

// Parses `bytes` (package part `part`) if it is at most `max_bytes`.
Poco::AutoPtr<Poco::XML::Document> ParseOfdXml(const std::string& bytes, const std::string& part, size_t max_bytes);
// The child elements of `parent` whose local name is `name` (any namespace: readers in the wild differ).
std::vector<Poco::XML::Element*> ChildrenNamed(const Poco::XML::Node* parent, const std::string& name);
// The first such child, or nullptr.
Poco::XML::Element* ChildNamed(const Poco::XML::Node* parent, const std::string& name);
// The element's text with surrounding white space removed.
std::string TrimmedText(const Poco::XML::Element* element);

std::string Base64(const std::string& bytes);
// Decodes base64 (white space ignored); throws kInvalidInput naming `what` when it is not base64.
std::string FromBase64(const std::string& text, const std::string& what);

}  // namespace zhiping::seal
