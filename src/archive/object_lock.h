// archive/object_lock.h — a lock on one archive object shared by every instance of a deployment.
//
// archive::Store already serialises commits to one object across threads and processes with flock(2) on the
// object's lock file. On shared storage (an NFS or CephFS mount that several machines write) flock is not
// something to bet the archive on, so a Store given ObjectLocks (StoreOptions) takes this lock for every commit
// as well: before the flock, released after it. The archive knows nothing of how it is held; the PostgreSQL one
// (archive/database_object_locks.h) is an advisory lock.
//
// Contract: Acquire blocks until no other holder of `object_id` (in this process or any other instance that uses
// the same ObjectLocks backend) holds it, and returns the held lock; destroying it releases. It throws
// zhiping::Error kUnavailable when the lock cannot be had (the database is down): the commit then writes nothing.
// A lock that is lost while held (the database restarts) is no danger to the archive: the commit's own
// compare-and-swap on the head (docs/archive.md, step 3) still refuses a second writer of the same version.
// Implementations are thread-safe; a Held belongs to the thread that acquired it. Not re-entrant.
#pragma once

#include <memory>
#include <string>

namespace zhiping::archive {

class ObjectLocks {
 public:
  class Held {
   public:
    virtual ~Held() = default;
  };
  virtual ~ObjectLocks() = default;
  virtual std::unique_ptr<Held> Acquire(const std::string& object_id) = 0;
};

}  // namespace zhiping::archive
