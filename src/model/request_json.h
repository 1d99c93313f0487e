// model/request_json.h — typed requests back to JSON, with the body's member names (model/request_fields.h).
//
// Used where a typed value must be kept or shown as a body: the letter each bulk item stands for is archived as
// `letter.json`, and the sample body of a template (model/sample.h) is given to users as JSON. Parsing the output
// with model/parse.h gives the same value (tests/model/request_json_test.cpp). Members in body order, absent
// optional members left out; numbers as JSON numbers, dates as "YYYY-MM-DD" / "YYYY-MM". Thread-safe.
#pragma once

#include <Poco/JSON/Object.h>

#include <string>

#include "model/request.h"

namespace zhiping::model {

Poco::JSON::Object::Ptr ToJson(const Request& request);
// Two-space indented text ending in a newline.
std::string ToJsonText(const Request& request);

}  // namespace zhiping::model
