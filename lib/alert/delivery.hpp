// alert/delivery.hpp — the delivery side of alerting: the notification_sink the alert thread
// submits to, and the thread that sends what the outbox holds to each receiver.
//
// submit() (alert thread) renders the notification for its receiver, writes the rows to the
// outbox (durable when it returns) and wakes the delivery thread; it never waits on a network.
// The delivery thread runs its own io_context with one lane per receiver: its own
// net::http_client, its own timer and token bucket, one request in flight, rows in seq order.
// So a receiver that hangs or is down only holds up its own lane; feeds, alert evaluation and
// other receivers go on. Per attempt: 2xx removes the row; 429 / 5xx / network errors / timeouts
// retry after full-jitter exponential backoff (backoff_initial doubling to backoff_max), or
// after Retry-After when the receiver sent one; other statuses, max_attempts or
// max_retry_duration move the row to the dead-letter table. On start every pending row is
// resent under its stored webhook-id (a restart after SIGKILL loses nothing). Every
// sweep_interval idle lanes look at the outbox again, so rows another process put there
// (`depthmon alerts requeue`) are sent without a restart.
//
// Counters per receiver (notifications_total{result}): delivered (2xx), failed (attempts that
// did not get a 2xx), retried (failed attempts that will be tried again), dead_letter (rows
// given up on); outbox_pending from the outbox.
//
// Threads: construct, start(), stop(), set_receivers() from the owner's thread; submit() from
// the alert thread; counters() from any thread. Errors: submit() returns a status (unknown
// receiver, outbox write failed); delivery failures are counted and logged (redacted), never
// thrown.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "alert/notification.hpp"
#include "alert/outbox.hpp"
#include "alert/receivers.hpp"
#include "feed/log_sink.hpp"

namespace depthmon::alert {

struct delivery_options {
  render_context render;
  feed::log_sink* log = nullptr;  // may be null
  std::uint64_t seed = 0;         // jitter; 0: random
  bool use_proxy_environment = true;  // http(s)_proxy / no_proxy for receiver requests
  std::chrono::milliseconds sweep_interval{5000};  // idle lanes re-read the outbox
};

struct receiver_counters {
  std::string receiver;
  std::uint64_t delivered = 0, retried = 0, failed = 0, dead_letter = 0;
  std::uint64_t outbox_pending = 0;
};

class delivery final : public notification_sink {
 public:
  delivery(outbox& box, std::vector<receiver_endpoint> receivers, delivery_options o = {});
  ~delivery() override;  // stop()
  delivery(const delivery&) = delete;
  delivery& operator=(const delivery&) = delete;

  void start();  // the delivery thread; resends what the outbox holds
  void stop();   // in-flight requests are abandoned (their rows stay pending)

  core::status submit(notification n) override;

  // Reload: receivers added, changed (URL, secret, limits) or removed; rows of a removed
  // receiver stay in the outbox until it is configured again.
  void set_receivers(std::vector<receiver_endpoint> receivers);

  std::vector<receiver_counters> counters() const;  // configured receivers, config order

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

// Standard Webhooks id for a notification without one: stable per (receiver, group, creation,
// status), e.g. "msg_5f0c8f9d1a2b3c4d_1787562930123456789_firing".
std::string make_webhook_id(const notification& n);

}  // namespace depthmon::alert
