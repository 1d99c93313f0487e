// tests/support/resource_bounds.h — time and memory bounds for the tests that measure them, scaled for sanitizer
// builds (CI's second build, .ci/sanitizers.sh). AddressSanitizer runs code 2-3 times slower and gives every
// allocation redzones and a quarantine, so a bound chosen for the release build would fail there for no defect of
// ours; the bounds stay bounds (a runaway still fails), only wider.
#pragma once

#if defined(__SANITIZE_ADDRESS__)
#define ZHIPING_TEST_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ZHIPING_TEST_UNDER_ASAN 1
#endif
#endif

namespace zhiping::testing {

#ifdef ZHIPING_TEST_UNDER_ASAN
constexpr double kTimeScale = 4.0;
constexpr long kMemoryScale = 4;
#else
constexpr double kTimeScale = 1.0;
constexpr long kMemoryScale = 1;
#endif

}  // namespace zhiping::testing
