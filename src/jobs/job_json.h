// jobs/job_json.h — a job as its JSON: what GET /v1/jobs/{job} answers and a job's callback_url is POSTed, written
// in one place so the two never differ.
//
//   {"job", "kind", "state", "done", "total", "failed": [{"index", "reason"}], "created", "user"}
//
// Thread-safe; no errors of its own.
#pragma once

#include <Poco/JSON/Object.h>

#include <string>

#include "jobs/job_store.h"

namespace zhiping::jobs {

Poco::JSON::Object::Ptr JobObject(const JobRecord& job);
std::string JobJson(const JobRecord& job);

}  // namespace zhiping::jobs
