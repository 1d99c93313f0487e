// service/connection_watchdog.h — a deadline for reading each request, so slow clients are cut off, not waited for.
//
// Poco's per-receive timeout (server.request_timeout) never trips for a client that sends one byte a second, and
// every such client holds a connection thread (slowloris). The watchdog bounds the whole read instead: a connection
// must deliver its request headers within server.header_timeout of connecting (or of its previous answer, plus the
// keep-alive wait), and its body within server.body_timeout of the headers. When a deadline passes, the watchdog's
// thread shuts the socket down (shutdown(2), both directions); the thread blocked reading it sees end of stream and
// the connection ends. Work on a request (rendering, signing) is never cut off: the deadline is disarmed once the
// body has been read.
//
// fd reuse: the watchdog never touches the connection's own descriptor, which Poco closes whenever it likes. It
// holds a dup() of it, shuts that down (shutdown acts on the socket, not the descriptor) and closes it only when
// the connection unregisters, all under its mutex; so a descriptor number reused by a newer connection is never hit.
//
// GuardedConnectionFactory makes every connection Poco's HTTPServerConnection wrapped in a registration with the
// watchdog. While a guarded connection runs, the functions below (called by the request handler factory, the body
// reader and the dispatcher, on the connection's own thread) move its deadline; elsewhere they do nothing.
//
// Thread safety: ConnectionWatchdog is safe to use from any thread. It must outlive its connections (the factory
// holds it by shared_ptr).
#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace zhiping::service {

class ConnectionWatchdog {
 public:
  using Clock = std::chrono::steady_clock;

  ConnectionWatchdog();   // starts the watchdog's thread
  ~ConnectionWatchdog();  // stops it; closes the descriptors still registered
  ConnectionWatchdog(const ConnectionWatchdog&) = delete;
  ConnectionWatchdog& operator=(const ConnectionWatchdog&) = delete;

  // Registers the socket `fd` (duplicated; the caller keeps its own). Returns an id, or 0 when the descriptor
  // cannot be duplicated (out of descriptors): such a connection simply has no deadline.
  uint64_t Register(int fd);
  void Arm(uint64_t id, Clock::time_point deadline);  // replaces any earlier deadline
  void Disarm(uint64_t id);
  void Unregister(uint64_t id);  // closes the duplicate

  uint64_t cut_off() const;  // connections shut down for a missed deadline so far
  size_t registered() const;

 private:
  struct Entry {
    int fd = -1;
    bool armed = false;
    Clock::time_point deadline;
  };
  void Run();

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::map<uint64_t, Entry> entries_;
  uint64_t next_id_ = 1;
  uint64_t cut_off_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

struct ConnectionTimeouts {
  std::chrono::milliseconds header{10000};     // connect (or previous answer + keep_alive) to complete headers
  std::chrono::milliseconds body{120000};      // complete headers to the body's last byte
  std::chrono::milliseconds keep_alive{5000};  // how long Poco waits for the next request on an idle connection
};

class GuardedConnectionFactory : public Poco::Net::TCPServerConnectionFactory {
 public:
  GuardedConnectionFactory(Poco::Net::HTTPServerParams::Ptr params,
                           Poco::Net::HTTPRequestHandlerFactory::Ptr handlers,
                           std::shared_ptr<ConnectionWatchdog> watchdog, ConnectionTimeouts timeouts);
  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override;

 private:
  Poco::Net::HTTPServerParams::Ptr params_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr handlers_;
  std::shared_ptr<ConnectionWatchdog> watchdog_;
  ConnectionTimeouts timeouts_;
};

// On the thread serving a guarded connection: the request's headers are in. With a body to come, the body
// deadline starts; without one there is nothing left to wait for.
void ConnectionHeadersRead(bool body_follows);
// The body has been read (or refused and abandoned): no deadline while the request is worked on.
void ConnectionBodyRead();
// The answer is out: the next request's headers must arrive within the keep-alive wait plus the header timeout.
void ConnectionAnswered();

}  // namespace zhiping::service
