// render/output_format.h — which file format a render produces: the template's own, or one its pages also make.
//
// A PDF template's laid-out pages can be written as PDF or as OFD (GB/T 33190, ofd/ofd_writer.h); a roster is a
// workbook only. Every entry point takes the same words (`zhiping render --format`, `?format=`), parsed here once.
//
// Errors: zhiping::Error kInvalidInput with one problem (code format.unknown / format.template, Chinese and English)
// naming `format`, so the CLI exits 2 and HTTP answers 422. Thread safety: pure functions.
#pragma once

#include <string>

namespace zhiping::render {

enum class OutputFormat {
  kTemplate,  // the template's own: PDF for a PDF template, XLSX for a roster
  kPdf,
  kOfd,
  kXlsx,
};

// "" → kTemplate; "pdf", "ofd", "xlsx" (as written, lower case); anything else throws (format.unknown).
OutputFormat ParseOutputFormat(const std::string& text);
// "pdf" / "ofd" / "xlsx" / "" (kTemplate).
const char* OutputFormatName(OutputFormat format);

// Throws (format.template) unless `format` is an output of a template whose own output is `template_output`
// ("pdf": kTemplate, kPdf or kOfd; "xlsx": kTemplate or kXlsx). `template_name` names it in the message.
void CheckOutputFormat(OutputFormat format, const std::string& template_name, const std::string& template_output);

}  // namespace zhiping::render
