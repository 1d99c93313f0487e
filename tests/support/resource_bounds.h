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
// Freed memory is held back in ASan's quarantine (256 MiB by default) before it can be reused, so a peak can grow
// by that much on top of what the program really holds.
constexpr long kQuarantineKiB = 256L * 1024;
#else
constexpr double kTimeScale = 1.0;
constexpr long kMemoryScale = 1;
constexpr long kQuarantineKiB = 0;
#endif

// A peak-memory bound (KiB) chosen for the release build, widened for this build.
constexpr long MemoryBoundKiB(long release_kib) { return release_kib * kMemoryScale + kQuarantineKiB; }

}  // namespace zhiping::testing
