// tests/ofd/ofd_read_back.h — an OFD package read back for the tests: its parts parsed (Poco DOM, namespaces on),
// and every glyph, rule and image of its pages in page space. Test code only: it reads the packages ofd_writer
// makes (one Layer per page, TextObject / PathObject / ImageObject with Boundary and an optional scaling CTM) and
// fails the test (ADD_FAILURE) on anything else it meets.
#pragma once

#include <gtest/gtest.h>

#include <Poco/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/DOM/NodeList.h>
#include <Poco/SAX/XMLReader.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "common/utf8.h"
#include "ofd/ofd_writer.h"
#include "ofd/package.h"

namespace zhiping::ofdtest {

using Dom = Poco::AutoPtr<Poco::XML::Document>;

inline Dom ParseXml(const std::string& xml) {
  Poco::XML::DOMParser parser;
  parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, true);
  return parser.parseString(xml);
}

// The elements named `name` (in the OFD namespace) under `root`, in document order.
inline std::vector<Poco::XML::Element*> All(Poco::XML::Node* root, const std::string& name) {
  std::vector<Poco::XML::Element*> out;
  Poco::AutoPtr<Poco::XML::NodeList> list =
      root->nodeType() == Poco::XML::Node::DOCUMENT_NODE
          ? static_cast<Poco::XML::Document*>(root)->getElementsByTagNameNS(ofd::kOfdNamespace, name)
          : static_cast<Poco::XML::Element*>(root)->getElementsByTagNameNS(ofd::kOfdNamespace, name);
  for (unsigned long i = 0; i < list->length(); ++i) out.push_back(static_cast<Poco::XML::Element*>(list->item(i)));
  return out;
}

inline std::vector<double> Numbers(const std::string& text) {
  std::vector<double> out;
  std::istringstream in(text);
  double v;
  while (in >> v) out.push_back(v);
  return out;
}

struct OfdGlyph {
  int page = 0;
  char32_t cp = 0;
  double x = 0, y = 0;  // mm from the page's top-left: the glyph's left edge and its baseline
  int font = 0;
  double size = 0;      // mm
};

struct OfdRule {
  int page = 0;
  double x1, y1, x2, y2, width;  // mm, page space
};

struct OfdPageContent {
  std::vector<OfdGlyph> glyphs;
  std::vector<OfdRule> rules;
  int images = 0;
};

// The pages named by Document.xml, in order, with their content in page space.
inline std::vector<OfdPageContent> ReadPages(const ofd::Package& package) {
  std::vector<OfdPageContent> pages;
  const ofd::PackageFile* document = package.Find("Doc_0/Document.xml");
  if (!document) {
    ADD_FAILURE() << "no Doc_0/Document.xml";
    return pages;
  }
  Dom doc = ParseXml(document->bytes);
  for (Poco::XML::Element* page : All(doc, "Page")) {
    const std::string path = ofd::ResolvePath("Doc_0/Document.xml", page->getAttribute("BaseLoc"));
    const ofd::PackageFile* content = package.Find(path);
    if (!content) {
      ADD_FAILURE() << "page content " << path << " is missing";
      continue;
    }
    OfdPageContent out;
    const int index = static_cast<int>(pages.size());
    Dom c = ParseXml(content->bytes);
    for (Poco::XML::Element* t : All(c, "TextObject")) {
      const std::vector<double> b = Numbers(t->getAttribute("Boundary"));
      std::vector<double> ctm = t->hasAttribute("CTM") ? Numbers(t->getAttribute("CTM")) : std::vector<double>{1, 0, 0, 1, 0, 0};
      EXPECT_EQ(b.size(), 4u);
      EXPECT_EQ(ctm.size(), 6u);
      if (b.size() != 4 || ctm.size() != 6) continue;
      for (Poco::XML::Element* code : All(t, "TextCode")) {
        std::u32string text;
        EXPECT_TRUE(DecodeUtf8(code->innerText(), &text));
        const std::vector<double> delta = Numbers(code->getAttribute("DeltaX"));
        EXPECT_EQ(delta.size() + 1, text.size()) << "a DeltaX for every glyph after the first: " << code->innerText();
        double x = std::stod(code->getAttribute("X"));
        const double y = std::stod(code->getAttribute("Y"));
        for (size_t k = 0; k < text.size(); ++k) {
          if (k > 0 && k - 1 < delta.size()) x += delta[k - 1];
          OfdGlyph g;
          g.page = index;
          g.cp = text[k];
          g.x = b[0] + ctm[0] * x + ctm[2] * y + ctm[4];
          g.y = b[1] + ctm[1] * x + ctm[3] * y + ctm[5];
          g.font = std::stoi(t->getAttribute("Font"));
          g.size = std::stod(t->getAttribute("Size"));
          out.glyphs.push_back(g);
        }
      }
    }
    for (Poco::XML::Element* p : All(c, "PathObject")) {
      const std::vector<double> b = Numbers(p->getAttribute("Boundary"));
      std::istringstream in(All(p, "AbbreviatedData").at(0)->innerText());
      std::string m, l;
      OfdRule r{index, 0, 0, 0, 0, std::stod(p->getAttribute("LineWidth"))};
      in >> m >> r.x1 >> r.y1 >> l >> r.x2 >> r.y2;
      EXPECT_EQ(m, "M");
      EXPECT_EQ(l, "L");
      r.x1 += b.at(0), r.x2 += b.at(0), r.y1 += b.at(1), r.y2 += b.at(1);
      out.rules.push_back(r);
    }
    out.images = static_cast<int>(All(c, "ImageObject").size());
    pages.push_back(std::move(out));
  }
  return pages;
}

}  // namespace zhiping::ofdtest
