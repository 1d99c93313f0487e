#include "render/glyph_coverage.h"

#include <cstring>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/utf8.h"
#include "fonts/font_set.h"
#include "model/field_labels.h"
#include "model/request_fields.h"

namespace zhiping::render {

namespace {

class GlyphChecker {
 public:
  GlyphChecker(const fonts::FontSet& fonts, Problems* problems, std::string pointer)
      : fonts_(fonts), problems_(problems), pointer_(std::move(pointer)) {}

  void Field(const char* name, const std::string& text) { CheckText(Child(name), text); }
  // Dates and numbers are ASCII digits, which every font has.
  void Field(const char*, const model::Date&) {}
  void Field(const char*, int64_t) {}
  void Field(const char*, double) {}
  void Field(const char*, bool) {}
  void Field(const char*, const model::Photo&) {}  // base64, never drawn as text
  template <typename T>
  void Field(const char* name, const std::optional<T>& value) {
    if (value) Field(name, *value);
  }
  template <typename T>
  void Field(const char* name, const std::vector<T>& list) {
    const std::string list_pointer = Child(name);
    for (size_t i = 0; i < list.size(); ++i) {
      GlyphChecker element(fonts_, problems_, list_pointer + "/" + std::to_string(i));
      model::VisitFields(list[i], element);
    }
  }
  template <typename T>
  void Field(const char* name, const T& record) {
    GlyphChecker child(fonts_, problems_, Child(name));
    model::VisitFields(record, child);
  }

 private:
  std::string Child(const char* name) const { return pointer_ + "/" + PointerToken(name); }

  void CheckText(const std::string& pointer, const std::string& text) {
    std::u32string u;
    if (!DecodeUtf8(text, &u)) {
      AddProblem(problems_, MakeProblem(pointer, Msg::kNotUtf8, model::PlaceOf(pointer)));
      return;
    }
    for (char32_t cp : u) {
      if (IsInvisible(cp)) continue;  // never drawn; validation refuses them where they are printed
      bool found = false;
      for (int r = 0; r < fonts::kRoleCount && !found; ++r) found = fonts_.Resolve(static_cast<fonts::Role>(r), cp);
      if (!found) {
        AddProblem(problems_, MakeProblem(pointer, Message(Msg::kGlyphMissing, {DescribeCodePoint(cp)}),
                                          model::PlaceOf(pointer)));
        return;
      }
    }
  }

  const fonts::FontSet& fonts_;
  Problems* problems_;
  std::string pointer_;
};

}  // namespace

void CheckGlyphCoverage(const model::Request& request, const fonts::FontSet& fonts, Problems* problems) {
  GlyphChecker checker(fonts, problems, "");
  std::visit([&](const auto& r) { model::VisitFields(r, checker); }, request);
}

}  // namespace zhiping::render
