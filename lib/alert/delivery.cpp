#include "alert/delivery.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "net/backoff.hpp"
#include "net/http_client.hpp"

namespace depthmon::alert {
namespace {
namespace asio = boost::asio;
using std::chrono::milliseconds;
using sys = std::chrono::system_clock;
using steady = std::chrono::steady_clock;

std::int64_t now_ms() {
  return std::chrono::duration_cast<milliseconds>(sys::now().time_since_epoch()).count();
}

std::uint64_t fnv1a(std::string_view s, std::uint64_t h = 1469598103934665603ull) {
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

net::http_options client_options(const receiver_config& c, bool proxy_env) {
  net::http_options o;
  o.ca_file = c.ca_file;
  o.proxy.use_environment = proxy_env;
  o.user_agent = "depthmon";
  o.request_timeout = c.timeout;
  o.connect_timeout = o.tls_timeout = std::min(c.timeout, milliseconds(3000));
  o.body_limit = 1u << 20;
  return o;
}

// One receiver's delivery state; lives on the delivery thread.
struct lane {
  lane(asio::io_context& ioc, receiver_endpoint e, bool proxy_env)
      : ep(std::move(e)), client(std::make_unique<net::http_client>(ioc, client_options(ep.config, proxy_env))),
        timer(ioc), tokens(static_cast<double>(std::max<std::uint32_t>(1, ep.config.rate_limit_burst))),
        refilled(steady::now()) {}
  receiver_endpoint ep;
  std::unique_ptr<net::http_client> client;
  std::unique_ptr<net::http_client> retired;  // replaced by a reload while a request was in flight
  asio::steady_timer timer;
  double tokens;
  steady::time_point refilled;
  bool busy = false;
  bool removed = false;
};

}  // namespace

std::string make_webhook_id(const notification& n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::uint64_t h = fnv1a(n.group_key, fnv1a(n.receiver));
  std::string hx(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) hx[static_cast<std::size_t>(i)] = digits[h & 15];
  return "msg_" + hx + "_" + std::to_string(n.created) + "_" + std::string(to_string(n.status));
}

struct delivery::impl : std::enable_shared_from_this<delivery::impl> {
  impl(outbox& b, delivery_options opt) : box(b), o(std::move(opt)), rng(o.seed ? o.seed : std::random_device{}()) {}

  outbox& box;
  delivery_options o;
  asio::io_context ioc;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::thread th;
  std::mt19937_64 rng;  // delivery thread only

  // Shared with submit() and counters(): guarded by mu.
  mutable std::mutex mu;
  std::vector<receiver_endpoint> endpoints;  // config order
  std::map<std::string, receiver_counters> counts;

  std::map<std::string, std::shared_ptr<lane>> lanes;  // delivery thread only
  std::optional<asio::steady_timer> sweep;             // delivery thread only

  void log(feed::log_level l, const std::string& m) {
    if (o.log) o.log->log(l, "delivery", m);
  }
  void count(const std::string& r, std::uint64_t receiver_counters::*field) {
    std::lock_guard lock(mu);
    auto it = counts.find(r);
    if (it != counts.end()) ++(it->second.*field);
  }

  // ---- delivery thread ----
  void apply(std::vector<receiver_endpoint> eps) {
    std::map<std::string, std::shared_ptr<lane>> next;
    for (auto& e : eps) {
      const std::string name = e.config.name;  // e is moved from below
      auto it = lanes.find(name);
      if (it == lanes.end()) {
        next.emplace(name, std::make_shared<lane>(ioc, std::move(e), o.use_proxy_environment));
        continue;
      }
      auto l = it->second;
      if (l->busy) l->retired = std::move(l->client);  // its callback still has to run
      l->client = std::make_unique<net::http_client>(ioc, client_options(e.config, o.use_proxy_environment));
      l->ep = std::move(e);
      next.emplace(it->first, l);
      lanes.erase(it);
    }
    for (auto& [name, l] : lanes) {
      l->removed = true;
      l->timer.cancel();
    }
    lanes = std::move(next);
    for (auto& [name, l] : lanes) pump(l);
  }

  // Rows can reach the outbox from outside submit() (`depthmon alerts requeue` in another
  // process): idle lanes look again on this cadence. A lane that is busy or waiting keeps its
  // state (pump() re-arms the same wait).
  void arm_sweep() {
    sweep->expires_after(std::max(o.sweep_interval, milliseconds(10)));
    sweep->async_wait([w = weak_from_this()](boost::system::error_code ec) {
      if (ec) return;
      if (auto self = w.lock()) {
        for (auto& [name, l] : self->lanes) self->pump(l);
        self->arm_sweep();
      }
    });
  }

  void wake(const std::string& receiver) {
    if (auto it = lanes.find(receiver); it != lanes.end()) pump(it->second);
  }

  void arm(const std::shared_ptr<lane>& l, milliseconds d) {
    l->timer.expires_after(std::max(d, milliseconds(1)));
    l->timer.async_wait([w = weak_from_this(), l](boost::system::error_code ec) {
      if (ec) return;
      if (auto self = w.lock()) self->pump(l);
    });
  }

  bool exhausted(const lane& l, const outbox_row& r, std::int64_t now) const {
    const auto& c = l.ep.config;
    if (c.max_attempts != 0 && r.attempts >= c.max_attempts) return true;
    return now - r.created_ms >= c.max_retry_duration.count();
  }

  void to_dead_letter(const std::shared_ptr<lane>& l, const outbox_row& r, const std::string& why) {
    const auto& name = l->ep.config.name;
    count(name, &receiver_counters::dead_letter);
    // Stored redacted as logged: `depthmon alerts dead-letters` prints the reason.
    if (!box.dead_letter(r.seq, now_ms(), redact(why, l->ep)))
      log(feed::log_level::error, "receiver " + name + ": outbox: " + box.last_error());
    log(feed::log_level::error, "receiver " + name + ": notification " + r.id +
                                    " dead-lettered after " + std::to_string(r.attempts) +
                                    " attempt(s): " + redact(why, l->ep));
  }

  void pump(const std::shared_ptr<lane>& l) {
    if (l->busy || l->removed) return;
    auto row = box.head(l->ep.config.name);
    if (!row) return;
    const auto now = now_ms();
    if (row->next_attempt_ms > now) return arm(l, milliseconds(row->next_attempt_ms - now));
    if (row->attempts > 0 && exhausted(*l, *row, now)) {
      to_dead_letter(l, *row, row->last_error.empty() ? "retries exhausted" : row->last_error);
      return asio::post(ioc, [w = weak_from_this(), l] {
        if (auto self = w.lock()) self->pump(l);
      });
    }
    // Token bucket: rate_limit_per_s, burst rate_limit_burst.
    const double rate = std::max(l->ep.config.rate_limit_per_s, 1e-3);
    const double burst = static_cast<double>(std::max<std::uint32_t>(1, l->ep.config.rate_limit_burst));
    const auto t = steady::now();
    l->tokens = std::min(burst, l->tokens + std::chrono::duration<double>(t - l->refilled).count() * rate);
    l->refilled = t;
    if (l->tokens < 1.0)
      return arm(l, milliseconds(static_cast<std::int64_t>((1.0 - l->tokens) / rate * 1000.0) + 1));
    l->tokens -= 1.0;
    // Counted before the request: a crash mid-attempt still counts it (max_attempts holds).
    if (!box.begin_attempt(row->seq, row->next_attempt_ms))
      log(feed::log_level::error, "receiver " + l->ep.config.name + ": outbox: " + box.last_error());
    row->attempts += 1;
    l->busy = true;
    auto req = build_request(l->ep, row->id, row->body, now / 1000);
    l->client->get(std::move(req), [w = weak_from_this(), l, r = std::move(*row)](net::http_response&& res) {
      if (auto self = w.lock()) self->done(l, r, res);
    });
  }

  void done(const std::shared_ptr<lane>& l, const outbox_row& r, const net::http_response& res) {
    l->busy = false;
    l->retired.reset();
    const auto& name = l->ep.config.name;
    auto out = judge(res, sys::now());
    if (out.what == verdict::delivered) {
      // Counted first: whoever sees the row gone also sees it counted.
      count(name, &receiver_counters::delivered);
      if (!box.remove(r.seq))
        log(feed::log_level::error, "receiver " + name + ": outbox: " + box.last_error());
    } else {
      count(name, &receiver_counters::failed);
      const auto now = now_ms();
      if (out.what == verdict::dead_letter || exhausted(*l, r, now)) {
        to_dead_letter(l, r, out.reason);
      } else {
        milliseconds delay{0};
        if (out.retry_after) {
          delay = *out.retry_after;
        } else {
          net::backoff b(l->ep.config.backoff_initial, l->ep.config.backoff_max);
          for (std::uint32_t i = 1; i < r.attempts; ++i) (void)b.next(0);
          delay = b.next(std::uniform_real_distribution<double>(0, 1)(rng));
        }
        if (!box.reschedule(r.seq, now + delay.count(), redact(out.reason, l->ep)))
          log(feed::log_level::error, "receiver " + name + ": outbox: " + box.last_error());
        count(name, &receiver_counters::retried);
        log(feed::log_level::warn, "receiver " + name + " (" + display_url(l->ep) + "): attempt " +
                                       std::to_string(r.attempts) + " of " + r.id + " failed: " +
                                       redact(out.reason, l->ep) + "; retry in " +
                                       std::to_string(delay.count()) + " ms");
      }
    }
    if (!l->removed) pump(l);
  }
};

delivery::delivery(outbox& box, std::vector<receiver_endpoint> receivers, delivery_options o)
    : impl_(std::make_shared<impl>(box, std::move(o))) {
  for (const auto& e : receivers) impl_->counts[e.config.name].receiver = e.config.name;
  impl_->endpoints = receivers;
  impl_->apply(std::move(receivers));  // no thread yet: safe to touch lanes here
}

delivery::~delivery() { stop(); }

void delivery::start() {
  if (impl_->th.joinable()) return;
  impl_->work.emplace(impl_->ioc.get_executor());
  impl_->sweep.emplace(impl_->ioc);
  asio::post(impl_->ioc, [i = impl_] {
    for (auto& [name, l] : i->lanes) i->pump(l);
    i->arm_sweep();
  });
  impl_->th = std::thread([i = impl_] { i->ioc.run(); });
}

void delivery::stop() {
  if (!impl_->th.joinable()) return;
  impl_->work.reset();
  impl_->ioc.stop();
  impl_->th.join();
  // Abandon what is in flight (rows stay pending) and drain the cancelled handlers here, so no
  // handler outlives its lane or the io_context.
  if (impl_->sweep) impl_->sweep->cancel();
  for (auto& [name, l] : impl_->lanes) {
    l->timer.cancel();
    l->client.reset();
    l->retired.reset();
  }
  impl_->ioc.restart();
  impl_->ioc.poll();
  impl_->lanes.clear();
  impl_->sweep.reset();
}

core::status delivery::submit(notification n) {
  std::optional<receiver_endpoint> ep;
  {
    std::lock_guard lock(impl_->mu);
    for (const auto& e : impl_->endpoints)
      if (e.config.name == n.receiver) ep = e;
  }
  if (!ep) return {core::errc::invalid_argument, "unknown receiver"};
  if (n.status == alert_status::resolved && !ep->config.send_resolved) return {};
  if (n.id.empty()) n.id = make_webhook_id(n);
  const auto now = now_ms();
  std::vector<outbox_row> rows;
  for (auto& m : render(*ep, n, impl_->o.render))
    rows.push_back({0, n.id + m.id_suffix, n.receiver, std::move(m.body), 0, now,
                    n.created ? n.created / 1'000'000 : now, {}});
  if (auto st = impl_->box.add(std::move(rows)); !st) {
    impl_->log(feed::log_level::error, "receiver " + n.receiver + ": outbox write failed: " +
                                           impl_->box.last_error());
    return st;
  }
  asio::post(impl_->ioc, [w = std::weak_ptr<impl>(impl_), r = n.receiver] {
    if (auto self = w.lock()) self->wake(r);
  });
  return {};
}

void delivery::set_receivers(std::vector<receiver_endpoint> receivers) {
  {
    std::lock_guard lock(impl_->mu);
    std::map<std::string, receiver_counters> next;
    for (const auto& e : receivers) {
      auto it = impl_->counts.find(e.config.name);
      next[e.config.name] = it != impl_->counts.end() ? it->second : receiver_counters{e.config.name};
    }
    impl_->counts = std::move(next);
    impl_->endpoints = receivers;
  }
  asio::post(impl_->ioc, [w = std::weak_ptr<impl>(impl_), r = std::move(receivers)]() mutable {
    if (auto self = w.lock()) self->apply(std::move(r));
  });
}

std::vector<receiver_counters> delivery::counters() const {
  auto pending = impl_->box.pending_by_receiver();
  std::lock_guard lock(impl_->mu);
  std::vector<receiver_counters> out;
  for (const auto& e : impl_->endpoints) {
    auto c = impl_->counts.at(e.config.name);
    c.outbox_pending = pending.count(c.receiver) ? pending[c.receiver] : 0;
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace depthmon::alert
