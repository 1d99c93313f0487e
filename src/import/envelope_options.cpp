#include "import/envelope_options.h"

namespace zhiping::import {

const std::vector<EnvelopeOption>& EnvelopeOptions() {
  using O = EnvelopeOption;
  static const std::vector<EnvelopeOption> options = {
      {"batch-id", "批次编号", O::kText, {{"*", "/batch/id"}}},
      {"year", "年度", O::kNumber, {{"*", "/batch/year"}}},
      {"title", "评审名称", O::kText, {{"*", "/batch/title"}}},
      {"office", "职评办名称", O::kText, {{"*", "/batch/office/name"}}},
      {"deadline", "申报截止日期", O::kDate, {{"*", "/batch/deadline"}}},
      {"issued", "发文日期", O::kDate,
       {{"notice", "/notice/issued"}, {"report", "/report/issued"}, {"letter", "/letter/issued"},
        {"bulk-letters", "/letter/issued"}, {"review-form", "/filled"}}},
      {"doc-no", "发文字号", O::kText, {{"notice", "/notice/doc_no"}, {"report", "/report/doc_no"}}},
      {"notice-title", "公示标题", O::kText, {{"notice", "/notice/title"}}},
      {"period-start", "公示开始日期", O::kDate, {{"notice", "/notice/period/start"}}},
      {"period-end", "公示结束日期", O::kDate, {{"notice", "/notice/period/end"}}},
      {"committee-id", "评委会编号", O::kText, {{"report", "/committee/id"}}},
      {"committee", "评委会名称", O::kText, {{"report", "/committee/name"}}},
      {"signer", "评委会负责人", O::kText, {{"report", "/committee/signer"}}},
      {"addressee", "主送机关", O::kText, {{"report", "/report/addressee"}}},
      {"letter-no", "通知书编号", O::kText, {{"letter", "/letter/no"}}},
  };
  return options;
}

std::string OptionPointer(const EnvelopeOption& o, const std::string& template_name) {
  for (const auto& [t, pointer] : o.pointers) {
    if (template_name == t || std::string(t) == "*") return pointer;
  }
  return "";
}

const EnvelopeOption* OptionForPointer(const std::string& template_name, const std::string& pointer) {
  for (const EnvelopeOption& o : EnvelopeOptions()) {
    const std::string p = OptionPointer(o, template_name);
    if (p.empty()) continue;
    // The member itself, inside it, or the object holding it when that is missing (/notice when notice is absent).
    if (pointer == p || pointer.rfind(p + "/", 0) == 0 || (p.rfind(pointer + "/", 0) == 0 && pointer != "/batch")) {
      return &o;
    }
  }
  return nullptr;
}

std::string OptionSpelling(const EnvelopeOption& o) {
  std::string query = o.name;
  for (char& c : query) {
    if (c == '-') c = '_';
  }
  return std::string("--") + o.name + "（HTTP ?" + query + "=）";
}

}  // namespace zhiping::import
