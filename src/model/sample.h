// model/sample.h — a realistic request for each template, made from the typed model itself (no second schema).
//
// Every member the schema knows is filled (so a template reading any field shows a value), with plausible office
// data: real-looking names and units, GB 11643 ID numbers consistent with birth and gender, dates in order, a
// photo that decodes. The sample parses without a problem (model/parse.h) for a `today` on or after 2022-12-30
// (tests/model/sample_test.cpp). Used by `zhiping templates NAME`, GET /v1/templates/{name} and the preview.
#pragma once

#include <string>

#include "model/request.h"

namespace zhiping::model {

// Throws zhiping::Error kNotFound for a template name the model does not know.
Request SampleRequest(const std::string& template_name);

// GB 11643-1999: the 18-character resident ID number for a birth date and gender (region 330102, sequence `seq`:
// its last digit is made odd for men, even for women).
std::string MakeIdNumber(int year, int month, int day, bool male, int seq = 12);

}  // namespace zhiping::model
