// archive/staged_sync.h — making a commit's staged files and directories durable before the rename that publishes
// them (docs/archive.md, "Writing a version").
//
// Nothing staged in the workspace is visible before that rename, so the order of its fsyncs does not matter: only
// that every one is done before the rename. A commit that is the only one syncing in the process (an HTTP issue)
// hands them all to a small pool at once, and the disk serves them together: one after another, a new object's
// 13 fsyncs were most of an issue's time. While other commits are syncing at the same moment (a bulk run, a busy
// service), each thread issues its own one after another, as before: ext4 already folds concurrent threads'
// fsyncs into shared work, and more requests at once were slower there (the group-commit branch's measurements,
// docs/performance.md).
//
// Errors: every path is tried; the first failure in the given order is thrown as fs::WriteFileDurable's would be
// ("cannot fsync" / "cannot fsync directory" naming the path; kUnavailable for EIO, ENOSPC, EDQUOT). The test hook
// fs::g_fault_hook is asked ("fsync", path) for each file — not directories, as before — on the calling thread,
// in order, before any fsync, so injected failures stay deterministic. Thread-safe, and fork-safe: a child forked
// right after a parallel sync (without exec, as the archive's multi-process and crash tests do) starts with no
// pool and makes its own; the parent's threads are never left starting up or inside the pool's lock at a fork.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace zhiping::archive {

struct StagedPath {
  std::string path;
  bool dir = false;  // a directory: its entries are made durable
};

// Blocks until every one of `paths` (files written and closed, directories made) is durable.
void SyncStaged(const std::vector<StagedPath>& paths);

// How many SyncStaged calls issued their fsyncs in parallel, in this process (for tests).
size_t ParallelStagedSyncs();

// For benchmarks and tests: false makes every call issue its fsyncs one after another (the behaviour before), so
// one run can measure both. Default true.
void SetParallelStagedSyncs(bool allowed);

}  // namespace zhiping::archive
