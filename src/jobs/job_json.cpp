#include "jobs/job_json.h"

#include <Poco/JSON/Array.h>

#include <sstream>

namespace zhiping::jobs {

Poco::JSON::Object::Ptr JobObject(const JobRecord& job) {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  out->set("job", job.id);
  out->set("kind", job.kind);
  out->set("state", job.state);
  out->set("done", job.done);
  out->set("total", job.total);
  Poco::JSON::Array::Ptr failed = new Poco::JSON::Array;
  for (const auto& f : job.failures) {
    Poco::JSON::Object::Ptr item = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    // A failure of the job as a whole is at index -1 (jobs/job_store.h).
    item->set("index", f.index == static_cast<size_t>(-1) ? Poco::Dynamic::Var(-1) : Poco::Dynamic::Var(f.index));
    item->set("reason", f.reason);
    failed->add(item);
  }
  out->set("failed", failed);
  out->set("created", job.created);
  out->set("user", job.user);
  return out;
}

std::string JobJson(const JobRecord& job) {
  std::ostringstream s;
  JobObject(job)->stringify(s);
  return s.str();
}

}  // namespace zhiping::jobs
