#include "issuing/policy.h"

#include <cctype>

#include "common/clock.h"
#include "common/error.h"
#include "common/json.h"
#include "model/parse.h"

namespace zhiping::issuing {

RoleSet RolesFor(Action action) {
  switch (action) {
    case Action::kListTemplates:
      return kRoleRender | kRoleIssue;
    case Action::kRender:
      return kRoleRender;
    case Action::kIssue:
      return kRoleIssue;
    case Action::kReadArchive:
      return kRoleRead;
    case Action::kReadJobs:
      return kRoleIssue | kRoleRead;
    case Action::kReadMetrics:
      return kRoleAdmin | kRoleRead;
    case Action::kOverrideDeadline:
      return kRoleAdmin;
    case Action::kCancelJob:
      return kRoleIssue | kRoleAdmin;
  }
  return 0;  // an action nobody may do
}

bool MayDo(RoleSet held, Action action) { return (held & RolesFor(action)) != 0; }

bool MayCancelJob(RoleSet held, const std::string& token_name, const std::string& job_user) {
  if (held & kRoleAdmin) return true;
  return (held & kRoleIssue) && !token_name.empty() && token_name == job_user;
}

namespace {

std::string PercentEncoded(const std::string& name) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : name) {
    if (std::isalnum(c) || c == '.' || c == '_' || c == '-') {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace

archive::User LocalUser(const std::string& name) { return {name, "urn:zhiping:user:" + PercentEncoded(name)}; }

archive::User TokenUser(const std::string& token_name) {
  return {token_name, "urn:zhiping:token:" + PercentEncoded(token_name)};
}

std::string PassedDeadline(const std::string& template_name, const std::string& body_json, const std::string& today) {
  if (template_name != "report") return "";
  std::optional<model::Date> deadline;
  try {
    deadline = model::DeadlineOf(ParseJson(body_json));
  } catch (const Error&) {
    return "";  // a malformed body is answered by validation, with every problem
  }
  model::Date now;
  if (!deadline || !model::ParseDate(today, false, &now)) return "";
  // A deadline day itself is still open.
  if (model::CompareDates(now, *deadline) <= 0) return "";
  return model::FormatDate(*deadline);
}

DeadlineCheck CheckDeadline(const std::string& template_name, const std::string& body_json, const std::string& user,
                            RoleSet roles, const std::string& override_reason, const std::string& message,
                            const std::string& today) {
  DeadlineCheck check;
  check.message = message;
  check.deadline = PassedDeadline(template_name, body_json, today);
  if (check.deadline.empty()) return check;
  if (override_reason.empty() || !MayDo(roles, Action::kOverrideDeadline)) {
    check.refused = true;
    return check;
  }
  check.message = "deadline " + check.deadline + " overridden by " + user + ": " + override_reason +
                  (message.empty() ? "" : "; " + message);
  return check;
}

DeadlineCheck CheckDeadline(const std::string& template_name, const std::string& body_json, const std::string& user,
                            RoleSet roles, const std::string& override_reason, const std::string& message) {
  return CheckDeadline(template_name, body_json, user, roles, override_reason, message, OfficeToday());
}

}  // namespace zhiping::issuing
