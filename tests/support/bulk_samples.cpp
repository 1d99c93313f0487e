#include "support/bulk_samples.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <vector>

#include "support/json_edit.h"
#include "support/samples.h"

namespace zhiping::testing {

namespace {

Poco::JSON::Object::Ptr Copy(const Poco::JSON::Object::Ptr& o) { return ParseObject(ToJson(o)); }

const std::vector<std::string>& Cities() {
  static const std::vector<std::string> cities = {"杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "衢州",
                                                  "舟山", "台州", "丽水"};
  return cities;
}

}  // namespace

std::string ReviewFormName(size_t index) {
  static const std::vector<std::string> names = {"张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强",
                                                 "周婷", "吴昊", "徐丽", "孙斌"};
  return names[index % names.size()] + (index < names.size() ? "" : std::to_string(index / names.size()));
}

std::string ReportCommitteeName(size_t index) {
  return Cities()[index % Cities().size()] + "市思想政治工作人员专业职务中级评审委员会";
}

std::string LettersBody(size_t count, const std::string& prefix, const std::set<size_t>& broken) {
  auto root = SampleJson("bulk-letters").extract<Poco::JSON::Object::Ptr>();
  auto items = root->getArray("items");
  Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
  for (size_t i = 0; i < count; ++i) {
    auto item = ParseObject(ToJson(items->getObject(static_cast<unsigned>(i % items->size()))));
    const std::string id = prefix + std::to_string(i);
    item->getObject("applicant")->set("id", id);
    item->getObject("result")->set("applicant_id", id);
    item->remove("letter_no");
    if (broken.count(i)) item->getObject("applicant")->remove("name");
    out->add(item);
  }
  root->set("items", out);
  return ToJson(root);
}

std::string ReviewFormsBody(size_t count, const std::set<size_t>& broken, const std::string& prefix) {
  auto sample = SampleJson("review-form").extract<Poco::JSON::Object::Ptr>();
  Poco::JSON::Object::Ptr root = new Poco::JSON::Object;
  root->set("batch", sample->getObject("batch"));
  Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
  for (size_t i = 0; i < count; ++i) {
    Poco::JSON::Object::Ptr applicant = Copy(sample->getObject("applicant"));
    applicant->set("id", prefix + std::to_string(i));
    applicant->set("name", ReviewFormName(i));
    applicant->remove("photo");  // the same photo in every form only makes the test slower
    if (broken.count(i)) applicant->remove("name");
    Poco::JSON::Object::Ptr item = new Poco::JSON::Object;
    item->set("applicant", applicant);
    items->add(item);
  }
  root->set("items", items);
  return ToJson(root);
}

std::string ReportsBody(size_t count, const std::set<size_t>& broken, size_t applicants) {
  auto sample = SampleJson("report").extract<Poco::JSON::Object::Ptr>();
  Poco::JSON::Object::Ptr root = new Poco::JSON::Object;
  root->set("batch", sample->getObject("batch"));
  Poco::JSON::Array::Ptr listed = new Poco::JSON::Array;
  auto all = sample->getArray("applicants");
  for (size_t i = 0; i < applicants && i < all->size(); ++i) listed->add(all->get(static_cast<unsigned>(i)));
  Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
  for (size_t i = 0; i < count; ++i) {
    Poco::JSON::Object::Ptr committee = Copy(sample->getObject("committee"));
    committee->set("id", "c" + std::to_string(i));
    committee->set("name", ReportCommitteeName(i));
    if (broken.count(i)) committee->remove("name");
    Poco::JSON::Object::Ptr report = Copy(sample->getObject("report"));
    report->set("doc_no", "杭政职评〔2022〕" + std::to_string(i + 5) + "号");
    Poco::JSON::Object::Ptr item = new Poco::JSON::Object;
    item->set("committee", committee);
    item->set("report", report);
    item->set("applicants", listed);
    items->add(item);
  }
  root->set("items", items);
  return ToJson(root);
}

}  // namespace zhiping::testing
