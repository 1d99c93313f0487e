// The view of a typed request (templating/view.h, built member by member) binds every repository template exactly
// as the JSON view of the same request's JSON form: derived fields, @allow filtering, lists, numbers and dates
// alike. Checked on the repository's samples and on the model's own samples.
#include <gtest/gtest.h>

#include <string>

#include "common/json.h"
#include "common/utf8.h"
#include "model/parse.h"
#include "model/request_json.h"
#include "model/sample.h"
#include "support/paths.h"
#include "support/samples.h"
#include "templating/template.h"

namespace zhiping::templating {
namespace {

// Everything a bound document says, as one text (a difference anywhere shows in it).
std::string Flatten(const layout::DocumentSpec& spec) {
  std::string out = EncodeUtf8(spec.letterhead) + "|" + spec.title + "\n";
  for (const layout::Block& b : spec.blocks) {
    out += std::to_string(static_cast<int>(b.kind)) + ":";
    for (const std::u32string* t :
         {&b.text, &b.organ, &b.doc_number, &b.signer, &b.date, &b.label, &b.title, &b.cc, &b.printer})
      out += EncodeUtf8(*t) + "|";
    for (const auto& item : b.items) out += EncodeUtf8(item) + ";";
    for (const auto& column : b.columns) out += EncodeUtf8(column.header) + ";";
    for (const auto& row : b.rows)
      for (const auto& cell : row) out += EncodeUtf8(cell) + ";";
    out += "image " + std::to_string(b.image_bytes.size()) + ";";
    for (const auto& row : b.form_rows)
      for (const auto& cell : row.cells) {
        for (const auto& para : cell.paras) out += EncodeUtf8(para.text) + ";";
        out += "photo " + std::to_string(cell.image_bytes.size()) + ";";
      }
    out += "\n";
  }
  return out;
}

TEST(templating_TypedView, BindsAsTheJsonViewOfTheSameRequest) {
  const model::ValidationContext ctx("2023-06-30");
  for (const char* name : {"notice", "report", "letter", "review-form"}) {
    SCOPED_TRACE(name);
    auto tmpl = PdfTemplate::Load(zhiping::testing::SourceDir() + "/templates/" + name + ".tmpl");
    const model::Request from_sample =
        model::ParseRequest(name, zhiping::testing::SampleJson(name), ctx).ValueOrThrow("sample");
    for (const model::Request& request : {from_sample, model::SampleRequest(name)}) {
      const std::string typed = Flatten(tmpl->Bind(request));
      const std::string json = Flatten(tmpl->BindJson(model::ToJson(request)));
      EXPECT_EQ(typed, json);
      EXPECT_GT(typed.size(), 200u);  // a real document, not two empty ones
    }
  }
}

}  // namespace
}  // namespace zhiping::templating
