#include "model/request.h"

namespace zhiping::model {

std::string TemplateOf(const Request& request) {
  struct Name {
    std::string operator()(const NoticeRequest&) const { return "notice"; }
    std::string operator()(const ReportRequest&) const { return "report"; }
    std::string operator()(const LetterRequest&) const { return "letter"; }
    std::string operator()(const ReviewFormRequest&) const { return "review-form"; }
    std::string operator()(const RosterRequest& r) const { return r.kind; }
    std::string operator()(const ResultNoticeRequest&) const { return "result-notice"; }
  };
  return std::visit(Name{}, request);
}

}  // namespace zhiping::model
