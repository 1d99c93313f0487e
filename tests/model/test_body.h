// tests/model/test_body.h — building request bodies for validation tests: start from a valid body, break one rule.
#pragma once

#include <Poco/Dynamic/Var.h>

#include <string>

#include "common/problem.h"
#include "model/validate.h"
#include "support/json_edit.h"
#include "support/samples.h"

namespace zhiping::model::testing {

// Samples and edits at a JSON pointer: tests/support.
using zhiping::testing::RemoveAt;
using zhiping::testing::SampleJson;
using zhiping::testing::SetAt;
Poco::Dynamic::Var Parse(const std::string& json);

// A notice and a letter body written here, so the tests do not depend on samples owned by another stage.
Poco::Dynamic::Var ValidNotice();
Poco::Dynamic::Var ValidLetter();

// Validates with today = 2022-12-31 (the end of the 2022 round) unless told otherwise.
Problems Validate(const std::string& kind, const Poco::Dynamic::Var& body, const std::string& today = "2022-12-31");

std::string Describe(const Problems& problems);

}  // namespace zhiping::model::testing

// Exactly one problem, at `pointer`, whose rule contains `text`.
#define EXPECT_ONLY_PROBLEM(problems_arg, pointer_arg, text_arg)                                           \
  do {                                                                                                      \
    const ::zhiping::Problems& ps_ = (problems_arg);                                                        \
    ASSERT_EQ(ps_.size(), 1u) << ::zhiping::model::testing::Describe(ps_);                                  \
    EXPECT_EQ(ps_[0].pointer, (pointer_arg)) << ::zhiping::model::testing::Describe(ps_);                   \
    EXPECT_NE(ps_[0].rule.find(text_arg), std::string::npos) << ::zhiping::model::testing::Describe(ps_);   \
  } while (0)
