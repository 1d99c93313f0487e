#include "render/output_format.h"

#include "common/error.h"
#include "common/problem.h"

namespace zhiping::render {

namespace {

[[noreturn]] void Refuse(const Message& message) {
  Problem p = MakeProblem("", message, "输出格式（format）");
  const std::string text = "format: " + p.rule;
  throw Error(ErrorKind::kInvalidInput, text, {std::move(p)});
}

}  // namespace

OutputFormat ParseOutputFormat(const std::string& text) {
  if (text.empty()) return OutputFormat::kTemplate;
  if (text == "pdf") return OutputFormat::kPdf;
  if (text == "ofd") return OutputFormat::kOfd;
  if (text == "xlsx") return OutputFormat::kXlsx;
  // The value is the user's: kept short and printable in the message.
  std::string shown;
  for (char c : text.substr(0, 20)) shown += (c >= 0x20 && c < 0x7F) ? c : '?';
  Refuse(Message(Msg::kFormatUnknown, {shown}));
}

const char* OutputFormatName(OutputFormat format) {
  switch (format) {
    case OutputFormat::kPdf: return "pdf";
    case OutputFormat::kOfd: return "ofd";
    case OutputFormat::kXlsx: return "xlsx";
    case OutputFormat::kTemplate: break;
  }
  return "";
}

void CheckOutputFormat(OutputFormat format, const std::string& template_name, const std::string& template_output) {
  if (format == OutputFormat::kTemplate) return;
  const bool pdf_template = template_output == "pdf";
  const bool fits = pdf_template ? (format == OutputFormat::kPdf || format == OutputFormat::kOfd)
                                 : format == OutputFormat::kXlsx;
  if (!fits)
    Refuse(Message(Msg::kFormatNotForTemplate, {OutputFormatName(format), template_name,
                                               pdf_template ? MessageArg("pdf, ofd", "pdf 或 ofd") : MessageArg("xlsx")}));
}

}  // namespace zhiping::render
