// tests/support/webhook_receiver.hpp — a recording HTTPS webhook receiver for the delivery
// tests: lib/net's http_server on 127.0.0.1 with a certificate from a throw-away CA
// (net::write_loopback_pki; clients trust ca_file(), verification stays on). Every POST is
// recorded with its Standard Webhooks headers and whether the signature verifies (HMAC-SHA256
// of id.timestamp.body under the configured key, computed here independently of lib/alert,
// constant-time compare, timestamp within 5 minutes). Answers can be scripted per request:
// a status (500, 429 + Retry-After, 400, ...) or a hang (no answer until the receiver stops).
// down() closes the listener and every connection; up() listens again on the same port.
//
// Threads: the server runs its own io_context on its own thread; every method may be called
// from the test thread. Stops by itself after `lifetime`. Test support: throws on setup errors.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace depthmon::test {

struct webhook_hit {
  std::string path, method, body, content_type;
  std::string id, timestamp, signature;  // Standard Webhooks headers (empty when absent)
  std::string idempotency_key;
  bool signature_ok = false;             // verified against the key (false when no key)
  unsigned answered = 0;                 // status sent (0: hung)
  std::chrono::steady_clock::time_point at;
};

struct webhook_answer {
  unsigned status = 200;
  std::string retry_after{};  // Retry-After header when non-empty
  bool hang = false;        // never answer
  std::string body = "ok";
};

struct webhook_receiver_options {
  std::string key{};          // HMAC key bytes (decoded whsec_ secret); empty: do not verify
  bool tls = true;
  std::chrono::milliseconds lifetime{120'000};
  std::chrono::milliseconds delay{0};  // answer every request this late (a slow receiver)
};

class webhook_receiver {
 public:
  explicit webhook_receiver(webhook_receiver_options o = {});
  ~webhook_receiver();
  webhook_receiver(const webhook_receiver&) = delete;
  webhook_receiver& operator=(const webhook_receiver&) = delete;

  std::string url(const std::string& path = "/hook") const;
  std::uint16_t port() const noexcept;
  const std::string& ca_file() const;

  // Answers for the next requests, in order; then 200 again.
  void script(std::vector<webhook_answer> answers);
  void down();  // stop listening and drop every connection
  void up();    // listen again on the same port

  std::vector<webhook_hit> hits() const;
  // Waits until pred(hits) holds or timeout passes; true if it held.
  bool wait_for(const std::function<bool(const std::vector<webhook_hit>&)>& pred,
                std::chrono::milliseconds timeout) const;

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

}  // namespace depthmon::test
