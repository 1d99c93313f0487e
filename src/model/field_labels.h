// model/field_labels.h — where a problem is, told as a clerk reads it: "/applicants/3/id_number" becomes
// "第 4 位申报人（张三）身份证号". The one table of Chinese field labels of the request schema (the schema's owner
// is src/model); the rule itself is said by the message catalog (common/messages.h).
//
// Pure functions, thread-safe. Unknown members (a template's own data) are named by their key.
#pragma once

#include <string>

namespace zhiping::model {

// The Chinese place of `pointer` in a request body. `person` is the name of the person the pointer lies under
// (an applicant's name; a result's or bulk item's applicant), "" when unknown: it is shown in brackets after the
// element, "第 4 位申报人（张三）". "" for the whole body.
//   /applicants/3/id_number            第 4 位申报人（张三）身份证号
//   /applicants/3/history/1/from       第 4 位申报人（张三）工作经历第 2 条的起始时间
//   /applicant/education/level         申报人（张三）学历
//   /results/0/senior_review/score     第 1 条评审结果（ZG2022-001）高评委评审分数
//   /items/3/applicant/id_number       第 4 封（张三）申报人身份证号
//   /batch/office/email                批次职评办电子邮箱
std::string PlaceOf(const std::string& pointer, const std::string& person = "");

// The label of a member path of an applicant ("id_number", "education/level"), "" when the table has none; for
// other stages that name applicant fields (an importer's column headers must agree).
std::string ApplicantFieldLabel(const std::string& path);

}  // namespace zhiping::model
