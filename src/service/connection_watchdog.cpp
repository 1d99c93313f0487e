#include "service/connection_watchdog.h"

#include <Poco/Net/HTTPServerConnection.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/TCPServerConnection.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace zhiping::service {

ConnectionWatchdog::ConnectionWatchdog() : thread_([this] { Run(); }) {}

ConnectionWatchdog::~ConnectionWatchdog() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  for (auto& [id, e] : entries_) ::close(e.fd);
}

uint64_t ConnectionWatchdog::Register(int fd) {
  int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (copy < 0) return 0;
  std::lock_guard<std::mutex> lock(mutex_);
  uint64_t id = next_id_++;
  entries_[id].fd = copy;
  return id;
}

void ConnectionWatchdog::Arm(uint64_t id, Clock::time_point deadline) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(id);
    if (it == entries_.end()) return;
    it->second.armed = true;
    it->second.deadline = deadline;
  }
  wake_.notify_one();  // the new deadline may be the earliest
}

void ConnectionWatchdog::Disarm(uint64_t id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(id);
  if (it != entries_.end()) it->second.armed = false;
}

void ConnectionWatchdog::Unregister(uint64_t id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  ::close(it->second.fd);
  entries_.erase(it);
}

uint64_t ConnectionWatchdog::cut_off() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return cut_off_;
}

size_t ConnectionWatchdog::registered() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

void ConnectionWatchdog::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    const Clock::time_point now = Clock::now();
    Clock::time_point next = Clock::time_point::max();
    // A linear scan: there are at most server.threads + server.max_queued connections, and it runs once per
    // deadline or arming, not per byte.
    for (auto& [id, e] : entries_) {
      if (!e.armed) continue;
      if (e.deadline <= now) {
        ::shutdown(e.fd, SHUT_RDWR);  // wakes the thread blocked reading; it sees end of stream
        e.armed = false;
        ++cut_off_;
      } else if (e.deadline < next) {
        next = e.deadline;
      }
    }
    if (next == Clock::time_point::max()) {
      wake_.wait(lock);
    } else {
      wake_.wait_until(lock, next);
    }
  }
}

namespace {

// The guarded connection served by this thread (a Poco connection runs start to end on one pool thread).
struct Current {
  ConnectionWatchdog* watchdog = nullptr;
  uint64_t id = 0;
  const ConnectionTimeouts* timeouts = nullptr;
};
thread_local Current current;

class GuardedConnection : public Poco::Net::TCPServerConnection {
 public:
  GuardedConnection(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params,
                    Poco::Net::HTTPRequestHandlerFactory::Ptr handlers, std::shared_ptr<ConnectionWatchdog> watchdog,
                    const ConnectionTimeouts& timeouts)
      : Poco::Net::TCPServerConnection(socket),
        inner_(socket, params, handlers),
        watchdog_(std::move(watchdog)),
        timeouts_(timeouts) {}

  void run() override {
    const uint64_t id = watchdog_->Register(socket().impl()->sockfd());
    if (id != 0) watchdog_->Arm(id, ConnectionWatchdog::Clock::now() + timeouts_.header);
    current = Current{id != 0 ? watchdog_.get() : nullptr, id, &timeouts_};
    struct Done {
      ConnectionWatchdog& watchdog;
      uint64_t id;
      ~Done() {
        current = Current{};
        if (id != 0) watchdog.Unregister(id);
      }
    } done{*watchdog_, id};
    inner_.run();
  }

 private:
  Poco::Net::HTTPServerConnection inner_;
  std::shared_ptr<ConnectionWatchdog> watchdog_;
  ConnectionTimeouts timeouts_;
};

}  // namespace

GuardedConnectionFactory::GuardedConnectionFactory(Poco::Net::HTTPServerParams::Ptr params,
                                                   Poco::Net::HTTPRequestHandlerFactory::Ptr handlers,
                                                   std::shared_ptr<ConnectionWatchdog> watchdog,
                                                   ConnectionTimeouts timeouts)
    : params_(std::move(params)), handlers_(std::move(handlers)), watchdog_(std::move(watchdog)), timeouts_(timeouts) {}

Poco::Net::TCPServerConnection* GuardedConnectionFactory::createConnection(const Poco::Net::StreamSocket& socket) {
  return new GuardedConnection(socket, params_, handlers_, watchdog_, timeouts_);
}

void ConnectionHeadersRead(bool body_follows) {
  if (current.watchdog == nullptr) return;
  if (body_follows) {
    current.watchdog->Arm(current.id, ConnectionWatchdog::Clock::now() + current.timeouts->body);
  } else {
    current.watchdog->Disarm(current.id);
  }
}

void ConnectionBodyRead() {
  if (current.watchdog != nullptr) current.watchdog->Disarm(current.id);
}

void ConnectionAnswered() {
  if (current.watchdog == nullptr) return;
  current.watchdog->Arm(current.id,
                        ConnectionWatchdog::Clock::now() + current.timeouts->keep_alive + current.timeouts->header);
}

}  // namespace zhiping::service
