// daemon/delivery_service.hpp — depthmond's alert delivery: the receivers of [[alert.receiver]]
// (plus the demo's --webhook) with their secrets loaded, the durable outbox under state_dir
// (outbox.sqlite) and the delivery thread (alert/delivery.hpp). The alert thread submits to
// sink(); /metrics reads figures(); a reload calls reconfigure().
//
// Threads: start/reconfigure/stop from the main thread; sink() is used by the alert thread;
// figures() from the HTTP thread. Errors: start() and reconfigure() return false with a one-line
// reason (unreadable secret file, outbox not writable) that never carries a secret; a refused
// reconfigure keeps the running receivers.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "alert/alert_config.hpp"
#include "alert/delivery.hpp"
#include "feed/log_sink.hpp"
#include "metrics/render.hpp"

namespace depthmon::daemon {

// The receiver `--webhook URL [--webhook-secret-file FILE]` adds to the demo: generic webhook,
// Alertmanager v4 body, Standard Webhooks signature when a secret file is given.
alert::receiver_config demo_webhook_receiver(const std::string& url, const std::string& secret_file);
// The receiver `--alertmanager URL` adds to the demo: Alertmanager API v2 at URL
// (/api/v2/alerts), group_wait 0 so Alertmanager's own route does the grouping.
alert::receiver_config demo_alertmanager_receiver(const std::string& url);

class delivery_service {
 public:
  delivery_service() = default;
  ~delivery_service();  // stop()
  delivery_service(const delivery_service&) = delete;
  delivery_service& operator=(const delivery_service&) = delete;

  // Opens state_dir/outbox.sqlite (creating state_dir) and starts delivering, also what a
  // previous run left pending. No receivers: nothing starts, sink() is null.
  bool start(const std::string& state_dir, const std::vector<alert::receiver_config>& receivers,
             const alert::render_context& ctx, feed::log_sink& log, std::string* error);
  // A reload: the new receiver list (the first receivers of a daemon started without any start
  // delivery now). The sink stays the same object.
  bool reconfigure(const std::vector<alert::receiver_config>& receivers, std::string* error);
  void stop();

  alert::notification_sink* sink() noexcept { return delivery_.get(); }
  std::vector<metrics::receiver_figures> figures() const;

 private:
  std::string state_dir_;
  alert::render_context ctx_;
  feed::log_sink* log_ = nullptr;
  std::unique_ptr<alert::outbox> outbox_;
  std::unique_ptr<alert::delivery> delivery_;
};

}  // namespace depthmon::daemon
