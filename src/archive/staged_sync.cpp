#include "archive/staged_sync.h"

#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <new>
#include <thread>

#include "archive/fs_util.h"

namespace zhiping::archive {
namespace {

// fsync waits on the disk, not the CPU: more threads than cores.
constexpr unsigned kPoolThreads = 8;

std::atomic<int> syncing{0};  // SyncStaged calls in progress in this process
std::atomic<size_t> parallel_calls{0};
std::atomic<bool> parallel_allowed{true};

// 0, or the errno of opening or fsyncing `p`.
int SyncOne(const StagedPath& p) {
  const int fd = ::open(p.path.c_str(), O_RDONLY | O_CLOEXEC | (p.dir ? O_DIRECTORY : 0));
  if (fd < 0) return errno;
  int err = ::fsync(fd) == 0 ? 0 : errno;
  if (::close(fd) != 0 && err == 0) err = errno;
  return err;
}

// One SyncStaged call's paths, shared by the pool's threads and the caller.
struct Batch {
  const std::vector<StagedPath>* paths = nullptr;
  std::vector<int>* errors = nullptr;  // one per path, the caller's
  std::atomic<size_t> next{0};
  size_t done = 0;    // paths synced; guarded by the pool's mutex
  unsigned active = 0;  // helpers inside Work(); guarded by the pool's mutex
  std::condition_variable finished;

  // Takes paths until none is left; returns how many this thread synced.
  size_t Work() {
    size_t n = 0;
    for (size_t i; (i = next.fetch_add(1)) < paths->size(); ++n) (*errors)[i] = SyncOne((*paths)[i]);
    return n;
  }
};

// Fork safety. Tests (and any program) may fork a child that commits without exec. A child has only the forking
// thread, so what the pool's threads held at that moment stays held in it forever: a thread still starting up (the
// sanitizers' allocator takes locks then; a CI run hung in a child on one), or the pool's mutex. Therefore the
// threads are waited for until they are all started and idle, fork waits until no thread is inside the pool's
// critical section (pthread_atfork), and a child starts with no pool: its first parallel sync makes its own threads.
class Pool {
 public:
  static Pool& Shared() {
    static Pool* pool = [] {
      Pool* p = new Pool();  // never destroyed: its threads wait for work until the process ends
      ::pthread_atfork([] { Shared().mu_.lock(); }, [] { Shared().mu_.unlock(); }, [] { Shared().AfterForkInChild(); });
      return p;
    }();
    return *pool;
  }

  void Run(Batch* batch) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (threads_ == 0) {
        for (; threads_ < kPoolThreads; ++threads_) std::thread([this] { Serve(); }).detach();
        started_cv_.wait(lock, [&] { return started_ == threads_; });
      }
      // One helper per path beyond the caller's own; they find nothing left when the caller was quicker.
      for (size_t i = 1; i < batch->paths->size() && i < kPoolThreads + 1; ++i) queue_.push_back(batch);
    }
    wake_.notify_all();
    const size_t mine = batch->Work();
    std::unique_lock<std::mutex> lock(mu_);
    batch->done += mine;
    // Every path done and no helper still inside Work(): then nobody touches the batch after we return (entries
    // still queued are removed under the same lock).
    batch->finished.wait(lock, [&] { return batch->done == batch->paths->size() && batch->active == 0; });
    for (auto it = queue_.begin(); it != queue_.end();) it = *it == batch ? queue_.erase(it) : it + 1;
  }

 private:
  // In a forked child, with the mutex the prepare handler took: the parent's threads do not exist here. The
  // condition variables are made anew: signalling one that counts waiters from the parent can block (glibc waits
  // for old waiters to wake).
  void AfterForkInChild() {
    threads_ = 0;
    started_ = 0;
    queue_.clear();
    new (&wake_) std::condition_variable();
    new (&started_cv_) std::condition_variable();
    mu_.unlock();
  }

  void Serve() {
    std::unique_lock<std::mutex> lock(mu_);
    ++started_;
    started_cv_.notify_all();
    for (;;) {
      wake_.wait(lock, [&] { return !queue_.empty(); });
      Batch* batch = queue_.front();
      queue_.pop_front();
      ++batch->active;
      lock.unlock();
      const size_t n = batch->Work();
      lock.lock();
      batch->done += n;
      --batch->active;
      batch->finished.notify_all();
    }
  }

  std::mutex mu_;
  std::condition_variable wake_, started_cv_;
  std::deque<Batch*> queue_;
  unsigned threads_ = 0, started_ = 0;
};

}  // namespace

void SyncStaged(const std::vector<StagedPath>& paths) {
  for (const StagedPath& p : paths)
    if (!p.dir)
      if (int injected = fs::g_fault_hook ? fs::g_fault_hook("fsync", p.path) : 0)
        fs::ThrowErrno("cannot fsync", p.path, injected, /*writing=*/true);
  struct Count {
    int now = ++syncing;
    ~Count() { --syncing; }
  } count;
  std::vector<int> errors(paths.size(), 0);
  if (count.now == 1 && paths.size() > 1 && parallel_allowed.load()) {
    Batch batch;
    batch.paths = &paths;
    batch.errors = &errors;
    Pool::Shared().Run(&batch);
    ++parallel_calls;
  } else {
    for (size_t i = 0; i < paths.size(); ++i) errors[i] = SyncOne(paths[i]);
  }
  for (size_t i = 0; i < paths.size(); ++i)
    if (errors[i] != 0)
      fs::ThrowErrno(paths[i].dir ? "cannot fsync directory" : "cannot fsync", paths[i].path, errors[i],
                     /*writing=*/true);
}

size_t ParallelStagedSyncs() { return parallel_calls.load(); }

void SetParallelStagedSyncs(bool allowed) { parallel_allowed = allowed; }

}  // namespace zhiping::archive
