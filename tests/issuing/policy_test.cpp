// The business rules of issuing/policy.h, one row per rule: who may do what, the deadline and its override, and
// that the service's configuration takes its limits from the policy.
#include "issuing/policy.h"

#include <gtest/gtest.h>

#include "service/config.h"

namespace zhiping::issuing {
namespace {

const char kReport[] = R"({"batch": {"id": "2022-1", "deadline": "2022-09-15"}})";

TEST(issuing_Policy, WhoMayDoWhat) {
  struct Row {
    Action action;
    RoleSet allowed;  // exactly these single roles may do it
  } rows[] = {
      {Action::kListTemplates, kRoleRender | kRoleIssue},
      {Action::kRender, kRoleRender},
      {Action::kIssue, kRoleIssue},
      {Action::kReadArchive, kRoleRead},
      {Action::kReadJobs, kRoleIssue | kRoleRead},
      {Action::kReadMetrics, kRoleAdmin | kRoleRead},
      {Action::kOverrideDeadline, kRoleAdmin},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(RolesFor(row.action), row.allowed) << static_cast<int>(row.action);
    for (RoleSet role : {kRoleRender, kRoleIssue, kRoleRead, kRoleAdmin}) {
      EXPECT_EQ(MayDo(role, row.action), (row.allowed & role) != 0) << static_cast<int>(row.action) << " " << role;
    }
    EXPECT_FALSE(MayDo(0, row.action));
    EXPECT_TRUE(MayDo(kLocalUserRoles, row.action)) << "the local user may do everything";
  }
}

TEST(issuing_Policy, DeadlinePassesAfterItsDay) {
  struct Row {
    const char* template_name;
    const char* body;
    const char* today;
    const char* passed;
  } rows[] = {
      {"report", kReport, "2022-09-14", ""},
      {"report", kReport, "2022-09-15", ""},  // the deadline day itself is still open
      {"report", kReport, "2022-09-16", "2022-09-15"},
      {"report", kReport, "2023-01-01", "2022-09-15"},
      {"letter", kReport, "2023-01-01", ""},  // only reports close
      {"notice", kReport, "2023-01-01", ""},
      {"report", R"({"batch": {"id": "2022-1"}})", "2023-01-01", ""},  // no deadline
      {"report", R"({"batch": {"deadline": "15.9.2022"}})", "2023-01-01", ""},  // not an ISO day
      {"report", "{not json", "2023-01-01", ""},  // validation answers that, with every problem
  };
  for (const Row& row : rows) {
    EXPECT_EQ(PassedDeadline(row.template_name, row.body, row.today), row.passed)
        << row.template_name << " " << row.body << " " << row.today;
  }
}

TEST(issuing_Policy, OnlyAnAdminWithAReasonOverridesTheDeadline) {
  struct Row {
    RoleSet roles;
    const char* reason;
    const char* message;
    bool refused;
    const char* recorded;
  } rows[] = {
      {kRoleIssue, "", "", true, ""},
      {kRoleIssue, "late post", "", true, ""},  // a reason without the role
      {kRoleAdmin | kRoleIssue, "", "", true, ""},  // the role without a reason
      {kRoleAdmin, "late post", "", false, "deadline 2022-09-15 overridden by ops: late post"},
      {kRoleAdmin, "late post", "second try", false, "deadline 2022-09-15 overridden by ops: late post; second try"},
  };
  for (const Row& row : rows) {
    DeadlineCheck c = CheckDeadline("report", kReport, "ops", row.roles, row.reason, row.message, "2022-10-01");
    EXPECT_EQ(c.refused, row.refused) << row.roles << " " << row.reason;
    EXPECT_EQ(c.deadline, "2022-09-15");
    if (!row.refused) {
      EXPECT_EQ(c.message, row.recorded);
    }
  }
  // Before the deadline nothing changes, whoever asks.
  DeadlineCheck open = CheckDeadline("report", kReport, "ops", 0, "", "as usual", "2022-09-01");
  EXPECT_FALSE(open.refused);
  EXPECT_EQ(open.deadline, "");
  EXPECT_EQ(open.message, "as usual");
}

TEST(issuing_Policy, TodayComesFromTheOneClock) {
  // A deadline far in the past has passed today, one far in the future has not: the short form reads the clock.
  EXPECT_TRUE(CheckDeadline("report", R"({"batch": {"deadline": "2000-01-01"}})", "u", 0, "", "").refused);
  EXPECT_FALSE(CheckDeadline("report", R"({"batch": {"deadline": "2999-01-01"}})", "u", 0, "", "").refused);
}

TEST(issuing_Policy, WhoIsRecordedIsAlwaysAValidUri) {
  struct Row {
    const char* name;
    const char* encoded;
  } rows[] = {
      {"clerk", "clerk"}, {"a.b_c-d", "a.b_c-d"}, {"王五", "%E7%8E%8B%E4%BA%94"}, {"a b/c:d%", "a%20b%2Fc%3Ad%25"},
      {"~!", "%7E%21"},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(LocalUser(row.name).name, row.name);
    EXPECT_EQ(LocalUser(row.name).address, std::string("urn:zhiping:user:") + row.encoded);
    EXPECT_EQ(TokenUser(row.name).name, row.name);
    EXPECT_EQ(TokenUser(row.name).address, std::string("urn:zhiping:token:") + row.encoded);
  }
}

TEST(issuing_Policy, TheServiceConfigurationTakesItsLimitsFromThePolicy) {
  const service::ServiceConfig defaults;
  EXPECT_EQ(defaults.body_limit, kDefaultBodyLimit);
  EXPECT_EQ(defaults.roster_body_limit, kDefaultRosterBodyLimit);
  EXPECT_EQ(defaults.job_max_items, kDefaultBulkMaxItems);
}

}  // namespace
}  // namespace zhiping::issuing
