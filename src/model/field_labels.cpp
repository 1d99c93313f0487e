#include "model/field_labels.h"

#include <map>
#include <vector>

namespace zhiping::model {

namespace {

// Labels by scope and member path (array indices left out). A path not listed is named by its parent's label
// followed by its own key's label (kLeaf), so "opinions/unit/date" reads 单位意见日期.
const std::map<std::string, std::string>& Labels() {
  static const std::map<std::string, std::string> kLabels = {
      // applicant (the contract's applicant object)
      {"applicant:id", "申报编号"},
      {"applicant:name", "姓名"},
      {"applicant:gender", "性别"},
      {"applicant:id_number", "身份证号"},
      {"applicant:birth", "出生年月"},
      {"applicant:ethnicity", "民族"},
      {"applicant:political_status", "政治面貌"},
      {"applicant:phone", "联系电话"},
      {"applicant:unit", "工作单位"},
      {"applicant:post", "现任职务"},
      {"applicant:committee", "推荐评委会"},
      {"applicant:applying_for", "申报资格"},
      {"applicant:education", "学历"},
      {"applicant:education/level", "学历"},
      {"applicant:education/degree", "学位"},
      {"applicant:education/school", "毕业院校"},
      {"applicant:education/major", "所学专业"},
      {"applicant:education/graduated", "毕业时间"},
      {"applicant:work_start", "参加工作时间"},
      {"applicant:current_title", "现专业职务"},
      {"applicant:current_title/name", "现专业职务"},
      {"applicant:current_title/since", "现专业职务取得时间"},
      {"applicant:exam", "理论测试"},
      {"applicant:exam/score", "理论测试成绩"},
      {"applicant:exam/date", "理论测试时间"},
      {"applicant:exam/passed", "理论测试是否合格"},
      {"applicant:photo", "照片"},
      {"applicant:photo/media_type", "照片格式"},
      {"applicant:photo/data", "照片数据"},
      {"applicant:history", "工作经历"},
      {"applicant:history/from", "起始时间"},
      {"applicant:history/to", "截止时间"},
      {"applicant:history/unit", "单位"},
      {"applicant:history/post", "职务"},
      {"applicant:achievements", "业绩成果"},
      {"applicant:achievements/period", "时间"},
      {"applicant:achievements/title", "名称"},
      {"applicant:achievements/role", "本人作用"},
      {"applicant:achievements/description", "简介"},
      {"applicant:publications", "论文著作"},
      {"applicant:publications/title", "题目"},
      {"applicant:publications/venue", "刊物或出版社"},
      {"applicant:publications/date", "发表时间"},
      {"applicant:publications/role", "本人作用"},
      {"applicant:awards", "获奖情况"},
      {"applicant:awards/name", "名称"},
      {"applicant:awards/level", "级别"},
      {"applicant:awards/date", "时间"},
      {"applicant:appraisals", "年度考核"},
      {"applicant:appraisals/year", "年度"},
      {"applicant:appraisals/result", "结果"},
      {"applicant:opinions", "意见"},
      {"applicant:opinions/unit", "单位意见"},
      {"applicant:opinions/committee", "评委会意见"},
      {"applicant:opinions/senior", "高评委意见"},
      {"applicant:opinions/authority", "认定机关意见"},
      // result
      {"result:applicant_id", "申报编号"},
      {"result:mid_review", "中评委评审"},
      {"result:exam", "笔试"},
      {"result:senior_review", "高评委评审"},
      {"result:qualified_from", "资格取得时间"},
      // batch
      {"batch:", "批次"},
      {"batch:id", "批次编号"},
      {"batch:year", "年度"},
      {"batch:title", "评审资格名称"},
      {"batch:office", "职评办"},
      {"batch:office/short_name", "简称"},
      {"batch:office/phone", "电话"},
      {"batch:office/address", "地址"},
      {"batch:notice_ref", "通知文号"},
      {"batch:standard_ref", "评价标准"},
      {"batch:senior_committee", "高评委名称"},
      {"batch:deadline", "截止日期"},
      {"batch:exam_pass_line", "笔试合格线"},
      // the other sections of the bodies
      {"notice:", "公示"},
      {"notice:doc_no", "文号"},
      {"notice:title", "标题"},
      {"notice:issued", "发布日期"},
      {"notice:period", "公示期"},
      {"notice:period/start", "公示期开始日期"},
      {"notice:period/end", "公示期结束日期"},
      {"report:", "报告"},
      {"report:doc_no", "文号"},
      {"report:issued", "成文日期"},
      {"report:addressee", "主送机关"},
      {"committee:", "评委会"},
      {"committee:id", "编号"},
      {"committee:signer", "签发人"},
      {"letter:", "通知书"},
      {"letter:no", "编号"},
      {"letter:issued", "发文日期"},
      {"result_notice:", "结果通知"},
      {"result_notice:doc_no", "文号"},
      {"result_notice:title", "标题"},
      {"result_notice:addressee", "主送机关"},
      {"result_notice:cc", "抄送机关"},
      {"result_notice:printer", "印发机关"},
      {"result_notice:printed", "印发日期"},
      {"body:organs", "发文机关"},
      {"body:organs/name", "名称"},
      {"body:organs/short_name", "简称"},
      {"body:organs/signed", "署名日期"},
      {"body:filled", "填表日期"},
      {"body:applicants", "申报人名单"},
      {"body:results", "评审结果名单"},
      {"body:items", "通知书名单"},
      {"item:letter_no", "通知书编号"},
      {"item:applicant", "申报人"},
      {"item:result", "评审结果"},
  };
  return kLabels;
}

// The last key of a path not in the table.
const std::map<std::string, std::string>& Leaves() {
  static const std::map<std::string, std::string> kLeaves = {
      {"name", "名称"},     {"email", "电子邮箱"}, {"date", "日期"},     {"text", "内容"},
      {"score", "分数"},    {"passed", "是否通过"}, {"votes", "表决"},   {"for", "赞成票"},
      {"against", "反对票"}, {"abstain", "弃权票"}, {"id", "编号"},      {"applicant", "申报人"},
  };
  return kLeaves;
}

bool IsIndex(const std::string& token) {
  if (token.empty()) return false;
  for (char c : token) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string Unescape(const std::string& token) {
  std::string out;
  for (size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size()) out += token[++i] == '1' ? '/' : '~';
    else out += token[i];
  }
  return out;
}

std::string Label(const std::string& scope, const std::string& path) {
  auto it = Labels().find(scope + ":" + path);
  if (it != Labels().end()) return it->second;
  size_t slash = path.rfind('/');
  std::string last = slash == std::string::npos ? path : path.substr(slash + 1);
  auto leaf = Leaves().find(last);
  std::string own = leaf != Leaves().end() ? leaf->second : Unescape(last);  // a key not in the table: itself
  if (slash == std::string::npos) return own;
  return Label(scope, path.substr(0, slash)) + own;
}

// The members under an element of `scope`, from token `from` on: "工作经历第 2 条的起始时间".
std::string Members(const std::string& scope, const std::vector<std::string>& tokens, size_t from) {
  std::string out, path;
  bool after_index = false;
  for (size_t i = from; i < tokens.size(); ++i) {
    if (IsIndex(tokens[i]) && !path.empty()) {
      out += Label(scope, path) + "第 " + std::to_string(std::stoul(tokens[i]) + 1) + " 条";
      after_index = true;
      continue;
    }
    path += (path.empty() ? "" : "/") + tokens[i];
  }
  if (path.empty() || (after_index && IsIndex(tokens.back()))) return out;
  if (!after_index) return Label(scope, path);
  // Inside a row: the row's own member label ("history/from" -> 起始时间).
  return out + "的" + Label(scope, path);
}

std::string Ordinal(const std::string& token) { return std::to_string(std::stoul(token) + 1); }

std::string WithPerson(const std::string& element, const std::string& person) {
  return person.empty() ? element : element + "（" + person + "）";
}

}  // namespace

std::string ApplicantFieldLabel(const std::string& path) {
  auto it = Labels().find("applicant:" + path);
  return it == Labels().end() ? "" : it->second;
}

std::string PlaceOf(const std::string& pointer, const std::string& person) {
  if (pointer.empty()) return "";
  std::vector<std::string> tokens;
  size_t pos = 1;
  while (pos <= pointer.size()) {
    size_t next = pointer.find('/', pos);
    if (next == std::string::npos) next = pointer.size();
    tokens.push_back(pointer.substr(pos, next - pos));  // kept escaped: member paths are joined with '/'

    pos = next + 1;
  }
  const std::string& top = tokens[0];
  const bool indexed = tokens.size() > 1 && IsIndex(tokens[1]);
  if (top == "applicants" && indexed) {
    return WithPerson("第 " + Ordinal(tokens[1]) + " 位申报人", person) + Members("applicant", tokens, 2);
  }
  if (top == "results" && indexed) {
    return WithPerson("第 " + Ordinal(tokens[1]) + " 条评审结果", person) + Members("result", tokens, 2);
  }
  if (top == "items" && indexed) {
    std::string element = WithPerson("第 " + Ordinal(tokens[1]) + " 封", person);
    if (tokens.size() > 2 && (tokens[2] == "applicant" || tokens[2] == "result")) {
      return element + Label("item", tokens[2]) + Members(tokens[2], tokens, 3);
    }
    return element + Members("item", tokens, 2);
  }
  if (top == "applicant" || top == "result") {
    return WithPerson(Label("item", top), person) + Members(top, tokens, 1);
  }
  if (top == "batch" || top == "notice" || top == "report" || top == "committee" || top == "letter" ||
      top == "result_notice") {
    return Label(top, "") + Members(top, tokens, 1);
  }
  return Members("body", tokens, 0);
}

}  // namespace zhiping::model
