// sign/podofo_guard.h — how this stage uses PoDoFo 0.9.8 safely from many threads.
//
// Internal to src/sign. PoDoFo 0.9.8 calls localtime() (a shared static buffer) whenever it stamps a date — the
// widget's /M and the Info /ModDate on every incremental update — and builds some globals lazily. So every PoDoFo
// phase holds one process-wide lock; hashing, CMS signing and time-stamp requests run outside it, in parallel.
// PoDoFo's debug output and logging are switched off before first use: they would go to the service's stdout.
#pragma once

#include <mutex>

namespace zhiping::sign {

std::unique_lock<std::mutex> LockPoDoFo();

}  // namespace zhiping::sign
