#include "jobs/bulk_kind.h"

namespace zhiping::jobs {

namespace {

const BulkKind kLetters{"letters", "letter", "letters", "评审结果通知书", "评审结果通知书打印文件",
                        "姓名", "applicant", "name", "工作单位", "applicant", "unit"};
const BulkKind kReviewForms{"review-forms", "review-form", "review forms", "评审表", "评审表打印文件",
                            "姓名", "applicant", "name", "工作单位", "applicant", "unit"};
// A report per committee: the index names the committee and the report's 文号.
const BulkKind kReports{"reports", "report", "reports", "评审委员会报告", "评审委员会报告打印文件",
                        "评审委员会", "committee", "name", "文号", "report", "doc_no"};

}  // namespace

const BulkKind& LettersKind() { return kLetters; }

const std::vector<const BulkKind*>& BulkKinds() {
  static const std::vector<const BulkKind*> kinds = {&kLetters, &kReviewForms, &kReports};
  return kinds;
}

const BulkKind* FindBulkKind(const std::string& name) {
  for (const BulkKind* k : BulkKinds())
    if (name == k->name) return k;
  return nullptr;
}

std::string BulkKindNames() {
  std::string out;
  for (const BulkKind* k : BulkKinds()) out += (out.empty() ? "" : "|") + std::string(k->name);
  return out;
}

}  // namespace zhiping::jobs
