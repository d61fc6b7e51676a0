#include "daemon/delivery_service.hpp"

#include <filesystem>

namespace depthmon::daemon {
namespace {

bool load_all(const std::vector<alert::receiver_config>& receivers,
              std::vector<alert::receiver_endpoint>& out, std::string* error) {
  out.clear();
  for (const auto& r : receivers) {
    auto e = alert::load_endpoint(r, error);
    if (!e) return false;
    out.push_back(std::move(*e));
  }
  return true;
}

}  // namespace

alert::receiver_config demo_webhook_receiver(const std::string& url, const std::string& secret_file) {
  alert::receiver_config r;
  r.name = "demo-webhook";
  r.kind = alert::receiver_kind::webhook;
  r.url = url;
  r.secret_file = secret_file;
  // The demo compresses time: keep retries short so a restarted endpoint gets its alerts soon.
  r.backoff_initial = std::chrono::milliseconds(500);
  r.backoff_max = std::chrono::milliseconds(10'000);
  r.max_retry_duration = std::chrono::milliseconds(600'000);
  // Every demo book is its own group (50 of them, thinning together): at the default 1/s a
  // wave of firing notifications takes a minute to drain and the resolutions queue behind it.
  r.rate_limit_per_s = 10;
  r.rate_limit_burst = 50;
  return r;
}

alert::receiver_config demo_alertmanager_receiver(const std::string& url) {
  alert::receiver_config r = demo_webhook_receiver(url, "");
  r.name = "demo-alertmanager";
  r.kind = alert::receiver_kind::alertmanager;
  // Alertmanager groups, waits and deduplicates itself: hand it every change at once.
  r.group_wait = std::chrono::milliseconds(0);
  // Firing alerts carry no endsAt, so Alertmanager drops them after its resolve_timeout (5 min
  // by default) unless refreshed: repeat well inside it (the demo fires for about four minutes).
  r.repeat_interval = std::chrono::milliseconds(60'000);
  return r;
}

delivery_service::~delivery_service() { stop(); }

bool delivery_service::start(const std::string& state_dir,
                             const std::vector<alert::receiver_config>& receivers,
                             const alert::render_context& ctx, feed::log_sink& log,
                             std::string* error) {
  state_dir_ = state_dir;
  ctx_ = ctx;
  log_ = &log;
  if (receivers.empty()) return true;
  std::vector<alert::receiver_endpoint> eps;
  if (!load_all(receivers, eps, error)) return false;
  std::error_code ec;
  std::filesystem::create_directories(state_dir, ec);
  if (ec) {
    *error = "cannot create the state directory " + state_dir + ": " + ec.message();
    return false;
  }
  outbox_ = alert::outbox::open(state_dir + "/outbox.sqlite", error);
  if (!outbox_) return false;
  alert::delivery_options o;
  o.render = ctx;
  o.log = &log;
  delivery_ = std::make_unique<alert::delivery>(*outbox_, std::move(eps), o);
  delivery_->start();
  return true;
}

bool delivery_service::reconfigure(const std::vector<alert::receiver_config>& receivers,
                                   std::string* error) {
  std::vector<alert::receiver_endpoint> eps;
  if (!load_all(receivers, eps, error)) return false;
  if (!delivery_) return eps.empty() || start(state_dir_, receivers, ctx_, *log_, error);
  delivery_->set_receivers(std::move(eps));
  return true;
}

void delivery_service::stop() {
  if (delivery_) delivery_->stop();
}

std::vector<metrics::receiver_figures> delivery_service::figures() const {
  std::vector<metrics::receiver_figures> out;
  if (!delivery_) return out;
  for (const auto& c : delivery_->counters())
    out.push_back({c.receiver, c.delivered, c.failed, c.outbox_pending, c.retried, c.dead_letter});
  return out;
}

}  // namespace depthmon::daemon
