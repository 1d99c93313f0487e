// issuing/policy.h — the business rules every entry point applies, in one place: who may do what, how much one
// request may carry, and the round's deadline with its override. `zhiping` (cli/commands.cpp, jobs/bulk_command.cpp)
// and the HTTP service (service/routes.cpp, service/config.h) call these; neither writes a rule of its own. How a
// refusal is told (exit status and stderr, or 401/403/409/413 problem+json) stays at the entry point.
//
// Who: a caller holds a set of roles (service tokens, docs/configuration.md). An action needs one of the roles
// RolesFor() names. On the command line the caller is the local user, who has the archive on disk and the signing
// key in reach anyway, and holds every role (kLocalUserRoles).
//
// Limits: the defaults of the configuration keys server.body_limit, server.roster_body_limit and jobs.max_items
// (service/config.h reads them; the same values bound `zhiping bulk`). A roster's rows are bounded by validation
// (model/validate.h, kMaxRosterRows).
//
// Deadline: after batch.deadline a `report` is refused ("逾期系统将自动截止"); a caller who may override it (role
// admin) and gives a reason issues it anyway, and the reason is recorded in the archive version's message. "Today"
// comes from common/clock.h's OfficeToday() and nowhere else.
//
// Everything here is a pure function of its arguments (apart from reading the clock in CheckDeadline's short
// form): thread-safe, no state, throws nothing.
#pragma once

#include <cstddef>
#include <string>

#include "archive/archive.h"

namespace zhiping::issuing {

// Roles a caller can hold. Roles are independent: `admin` does not imply `render` (the ZHIPING_ADMIN_TOKEN token
// simply holds all four).
enum Role : unsigned { kRoleRender = 1u, kRoleIssue = 2u, kRoleRead = 4u, kRoleAdmin = 8u };
using RoleSet = unsigned;
constexpr RoleSet kAllRoles = kRoleRender | kRoleIssue | kRoleRead | kRoleAdmin;
// The person at the shell running `zhiping`.
constexpr RoleSet kLocalUserRoles = kAllRoles;

enum class Action {
  kListTemplates,     // the template list, one template's fields and sample
  kRender,            // a draft: rendered, nothing signed or stored
  kIssue,             // sign and archive a document, one or a round's letters in bulk
  kReadArchive,       // archived documents and versions
  kReadJobs,          // a bulk job's state and its zip
  kReadMetrics,       // the service's metrics
  kOverrideDeadline,  // issue a report after the round's deadline
  kCancelJob,         // stop an unfinished bulk job (MayCancelJob: whose)
};

// The roles of which the caller needs one to do `action`.
RoleSet RolesFor(Action action);
bool MayDo(RoleSet held, Action action);
// An issuing token may cancel the jobs it submitted; an admin token any job. Why: one office's clerk must not stop
// another office's round, and the operator must be able to stop anything.
bool MayCancelJob(RoleSet held, const std::string& token_name, const std::string& job_user);

// Who an archive version records: the person at the shell (urn:zhiping:user:NAME) or a service token
// (urn:zhiping:token:NAME), NAME with everything but [A-Za-z0-9._-] percent-encoded (UTF-8 bytes, upper-case hex),
// so the address is always a valid URI.
archive::User LocalUser(const std::string& name);
archive::User TokenUser(const std::string& token_name);

// Defaults of the configurable limits (bytes, items).
constexpr size_t kDefaultBodyLimit = 8u * 1024u * 1024u;           // a request body read whole
constexpr size_t kDefaultRosterBodyLimit = 128u * 1024u * 1024u;  // a roster draft's body, read piece by piece
constexpr size_t kDefaultBulkMaxItems = 20000;                     // items of one bulk letters body

// The round's deadline (batch.deadline) has passed for this document: issuing a `report` after it is refused.
// Returns the deadline ("2022-09-15") when `template_name` is report and `today` ("YYYY-MM-DD") is later; ""
// otherwise (other templates, no or malformed deadline, a body that is not JSON — validation answers that — or
// not yet passed: the deadline day itself is still open).
std::string PassedDeadline(const std::string& template_name, const std::string& body_json, const std::string& today);

struct DeadlineCheck {
  bool refused = false;   // past the deadline and not overridden: issue nothing
  std::string deadline;   // set when the deadline has passed (refused or overridden)
  std::string message;    // the archive version's message to use when not refused
};

// Decides whether `template_name` with `body_json` may be issued today by `user` holding `roles`, who gave
// `override_reason` ("" for none) and wants `message` recorded. Past the deadline it is refused unless the
// caller MayDo(kOverrideDeadline) and gave a reason; then the message becomes
// "deadline D overridden by USER: REASON[; MESSAGE]". The short form reads today from OfficeToday().
DeadlineCheck CheckDeadline(const std::string& template_name, const std::string& body_json, const std::string& user,
                            RoleSet roles, const std::string& override_reason, const std::string& message,
                            const std::string& today);
DeadlineCheck CheckDeadline(const std::string& template_name, const std::string& body_json, const std::string& user,
                            RoleSet roles, const std::string& override_reason, const std::string& message);

}  // namespace zhiping::issuing
