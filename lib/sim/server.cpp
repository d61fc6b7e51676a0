#include "sim/server.hpp"

#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <deque>
#include <map>

#include "net/http_server.hpp"
#include "sim/instrument.hpp"
#include "sim/text.hpp"
#include "sim/truth.hpp"

namespace depthmon::sim {

std::string_view ws_base_path(core::venue v) noexcept {
  // The paths of the venues' documented live URLs (lib/venues/*/spec: wss://ws.kraken.com/v2,
  // wss://ws.okx.com:8443/ws/v5/public, ...), so a config written for the simulator has the
  // same shape as one for the exchange.
  switch (v) {
    case core::venue::binance_usdm: return "/public";
    case core::venue::kraken: return "/v2";
    case core::venue::okx: return "/ws/v5/public";
    case core::venue::hyperliquid: return "/ws";
    default: return "";
  }
}

namespace {

using steady = std::chrono::steady_clock;

std::string json_error(std::string_view message) {
  std::string out = "{\"error\":";
  append_quoted(out, message);
  out += "}";
  return out;
}

using net::json_response;

// parse_fault_request names the offending field; say what it accepts.
std::string fault_error(std::string_view field) {
  if (field == "venue") {
    std::string names;
    for (core::venue v : core::all_venues) names += (names.empty() ? "" : "|") + std::string(core::to_string(v));
    return "bad fault request: 'venue' must be one of " + names;
  }
  if (field == "kind") {
    std::string names;
    for (fault_kind k : all_fault_kinds) names += (names.empty() ? "" : "|") + std::string(to_string(k));
    return "bad fault request: 'kind' must be one of " + names;
  }
  if (field == "symbol") return "bad fault request: 'symbol' must be a non-empty string or null";
  if (field == "duration_s") return "bad fault request: 'duration_s' must be a number of seconds in [0, 86400]";
  return "bad fault request: " + std::string(field);
}

void append_seconds(std::string& out, double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s);
  out += buf;
}

}  // namespace

struct server::impl : std::enable_shared_from_this<server::impl> {
  struct venue_slot {
    core::venue v{};
    std::unique_ptr<venue_sim> sim;
    venue_counters counters;
    std::deque<steady::time_point> rest_times;  // the last 60 s of requests
  };

  // One websocket connection: the venue_sim's session and the socket's.
  struct conn {
    venue_slot* slot = nullptr;
    session* s = nullptr;                   // nullptr once forgotten
    std::shared_ptr<net::ws_session> ws;    // set when the 101 went out
    bool stall_wanted = false;              // a stall action waits for an idle send queue
    bool stalled = false;                   // the gate is shut
    core::unix_nanos stall_until = 0;       // simulated; 0: until the client closes
  };

  impl(boost::asio::io_context& io, server_options o)
      : ioc(io), opt(std::move(o)), http(io, to_http_options(opt)), timer(io) {}

  static net::http_server_options to_http_options(const server_options& o) {
    net::http_server_options h;
    h.address = o.address;
    h.port = o.port;
    h.cert_pem = o.cert_pem;
    h.key_pem = o.key_pem;
    h.max_connections = o.max_connections;
    // Clients subscribe to many symbols in one frame (Binance combined streams: long URLs).
    h.max_header_bytes = 64 * 1024;
    return h;
  }

  boost::asio::io_context& ioc;
  server_options opt;
  net::http_server http;
  boost::asio::steady_timer timer;
  mutable std::mutex mu;
  std::vector<core::venue> served;
  std::vector<std::unique_ptr<venue_slot>> slots;
  std::map<std::uint64_t, conn> conns;
  std::uint64_t next_conn = 1;
  rest_observer rest_hook;
  send_observer send_hook;
  bool running = false;
  // The simulated clock (under mu).
  steady::time_point start_at{};
  bool is_paused = false;
  steady::time_point paused_at{};
  steady::duration paused_total{};

  venue_slot* slot(core::venue v) noexcept {
    for (auto& s : slots)
      if (s->v == v) return s.get();
    return nullptr;
  }

  core::unix_nanos sim_now() const {
    const auto now = is_paused ? paused_at : steady::now();
    return std::chrono::duration_cast<std::chrono::nanoseconds>(now - start_at - paused_total).count();
  }

  // ---- ticking ---------------------------------------------------------------------------
  void schedule() {
    timer.expires_after(opt.tick);
    timer.async_wait([w = weak_from_this()](boost::system::error_code ec) {
      auto self = w.lock();
      if (ec || !self || !self->running) return;
      self->tick();
      self->schedule();
    });
  }

  void tick() {
    std::lock_guard lock(mu);
    if (!is_paused) {
      const core::unix_nanos t = sim_now();
      for (auto& s : slots) s->sim->advance_to(t);
    }
    for (auto& [id, c] : conns) pump(c);
  }

  void forget(conn& c) {  // under mu
    if (!c.s) return;
    c.slot->sim->disconnect(c.s);
    c.s = nullptr;
    --c.slot->counters.ws_open;
  }

  // Carries out what the session asked for since the last call (under mu, server thread).
  void pump(conn& c) {
    if (!c.s || !c.ws) return;
    net::ws_session& ws = *c.ws;
    if (c.stall_wanted && ws.queued() == 0) {
      c.stall_wanted = false;
      c.stalled = true;
      ws.stall();
    }
    if ((c.stalled || c.stall_wanted) && c.stall_until > 0 && c.slot->sim->now() >= c.stall_until) {
      // The stall's scheduled end: the session sends again (the client sees a gap, not a tear).
      if (c.stalled) ws.unstall();
      c.stalled = c.stall_wanted = false;
    }
    for (action& a : c.s->take_actions()) {
      switch (a.what) {
        case action::kind::send:
          if (send_hook) send_hook(c.slot->v, a.text);
          ws.send(std::move(a.text));
          break;
        case action::kind::close:
          forget(c);
          ws.close(a.code, std::move(a.text));
          return;
        case action::kind::abort:
          forget(c);
          ws.drop();
          return;
        case action::kind::stall:
          c.stall_until = a.until;
          c.stall_wanted = true;
          if (ws.queued() == 0) {
            c.stall_wanted = false;
            c.stalled = true;
            ws.stall();
          }
          break;
      }
    }
  }

  // ---- venue routes -----------------------------------------------------------------------
  // The request's target as the venue sees it: without the "/<venue>" prefix.
  static std::string venue_target(const net::server_request& rq, std::string_view prefix) {
    std::string t(std::string_view(rq.path).substr(std::min(prefix.size(), rq.path.size())));
    if (t.empty() || t[0] != '/') t.insert(t.begin(), '/');
    if (!rq.query_string.empty()) t += "?" + rq.query_string;
    return t;
  }

  void serve_rest(venue_slot& vs, std::string_view prefix, const net::server_request& rq,
                  net::server_response& res) {
    const std::string target = venue_target(rq, prefix);
    std::lock_guard lock(mu);
    const http_response r = vs.sim->rest(target);
    auto& c = vs.counters;
    ++c.rest_requests;
    const auto now = steady::now();
    vs.rest_times.push_back(now);
    while (!vs.rest_times.empty() && now - vs.rest_times.front() >= std::chrono::seconds(60))
      vs.rest_times.pop_front();
    c.rest_last_minute = static_cast<std::uint32_t>(vs.rest_times.size());
    c.rest_max_minute = std::max(c.rest_max_minute, c.rest_last_minute);
    if (rest_hook) rest_hook(vs.v, target, r.status);
    res.status = static_cast<unsigned>(r.status);
    res.body = r.body;
    for (const auto& [k, v] : r.headers) {
      if (k == "Content-Type") res.content_type = v;
      else res.headers.emplace_back(k, v);
    }
  }

  void serve_ws(venue_slot& vs, std::string_view prefix, const net::server_request& rq,
                net::ws_accept& acc) {
    std::lock_guard lock(mu);
    ++vs.counters.ws_connections;
    session* s = vs.sim->connect(venue_target(rq, prefix));
    if (!s) {
      // A disconnect fault with a duration: the venue is down for that long.
      ++vs.counters.ws_refused;
      acc.accept = false;
      acc.reject = json_response(503, json_error("venue unavailable (simulated outage)"));
      return;
    }
    ++vs.counters.ws_open;
    const std::uint64_t id = next_conn++;
    conn& c = conns[id];
    c.slot = &vs;
    c.s = s;
    auto w = weak_from_this();
    acc.on_open = [w, id](std::shared_ptr<net::ws_session> ws) {
      auto self = w.lock();
      if (!self) return;
      std::lock_guard guard(self->mu);
      auto it = self->conns.find(id);
      if (it == self->conns.end()) return;
      it->second.ws = std::move(ws);
      self->pump(it->second);
    };
    acc.callbacks.on_message = [w, id](net::ws_session&, std::string_view payload, bool text) {
      auto self = w.lock();
      if (!self || !text) return;
      std::lock_guard guard(self->mu);
      auto it = self->conns.find(id);
      if (it == self->conns.end() || !it->second.s) return;
      // Half-open: what the client sends meanwhile never arrives either.
      if (it->second.stalled || it->second.stall_wanted) return;
      it->second.s->on_client_text(payload);
      self->pump(it->second);
    };
    acc.callbacks.on_closed = [w, id](const net::ws_session_closed&) {
      auto self = w.lock();
      if (!self) return;
      std::lock_guard guard(self->mu);
      auto it = self->conns.find(id);
      if (it == self->conns.end()) return;
      self->forget(it->second);
      self->conns.erase(it);
    };
  }

  void add_venue_routes(venue_slot& vs, std::string prefix) {
    // "/kraken" exactly and everything under "/kraken/" (never "/kraken-v1").
    auto rest = [this, &vs, prefix](const net::server_request& rq, net::server_response& res) {
      serve_rest(vs, prefix, rq, res);
    };
    auto ws = [this, &vs, prefix](const net::server_request& rq, net::ws_accept& acc) {
      serve_ws(vs, prefix, rq, acc);
    };
    if (prefix.empty()) {
      http.handle(net::verb::get, "/", rest, net::path_match::prefix);
      http.handle_ws("/", ws, net::path_match::prefix);
      return;
    }
    http.handle(net::verb::get, prefix, rest, net::path_match::exact);
    http.handle_ws(prefix, ws, net::path_match::exact);
    http.handle(net::verb::get, prefix + "/", rest, net::path_match::prefix);
    http.handle_ws(prefix + "/", ws, net::path_match::prefix);
  }

  // ---- control routes ---------------------------------------------------------------------
  void truth(const net::server_request& rq, net::server_response& res) {
    const std::string_view rest = rq.path_rest();  // "{venue}/{symbol...}"
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos || slash + 1 >= rest.size()) {
      res = json_response(404, json_error("expected /sim/v1/books/{venue}/{symbol}"));
      return;
    }
    const std::string venue_name = net::percent_decode(rest.substr(0, slash));
    const std::string symbol = net::percent_decode(rest.substr(slash + 1));
    std::size_t levels = 0;
    if (auto l = rq.query_value("levels")) {
      auto [p, ec] = std::from_chars(l->data(), l->data() + l->size(), levels);
      if (ec != std::errc() || p != l->data() + l->size() || levels > 100'000) {
        res = json_response(400, json_error("levels must be an integer 0..100000"));
        return;
      }
    }
    const auto v = core::venue_from_string(venue_name);
    venue_slot* vs = v ? slot(*v) : nullptr;
    if (!vs) {
      res = json_response(404, json_error("venue '" + venue_name + "' is not served by this simulator"));
      return;
    }
    std::lock_guard lock(mu);
    std::string body = truth_book_json(*vs->sim, symbol, levels);
    if (body.empty()) {
      res = json_response(404, json_error("no symbol '" + symbol + "' on " + venue_name));
      return;
    }
    res = json_response(200, std::move(body));
  }

  void post_fault(const net::server_request& rq, net::server_response& res) {
    auto req = parse_fault_request(rq.body);
    if (!req) {
      res = json_response(400, json_error(fault_error(req.err().detail)));
      return;
    }
    fault_request fr = std::move(req).value();
    venue_slot* vs = slot(fr.venue);
    if (!vs) {
      res = json_response(400, json_error("venue '" + std::string(core::to_string(fr.venue)) +
                                          "' is not served by this simulator"));
      return;
    }
    std::lock_guard lock(mu);
    if (fr.f.symbol && !vs->sim->feed(*fr.f.symbol)) {
      res = json_response(400, json_error("no symbol '" + *fr.f.symbol + "' on " +
                                          std::string(core::to_string(fr.venue))));
      return;
    }
    const core::unix_nanos at = vs->sim->now();
    std::string ack = "{\"ok\":true,\"venue\":";
    append_quoted(ack, core::to_string(fr.venue));
    ack += ",\"symbol\":";
    if (fr.f.symbol) append_quoted(ack, *fr.f.symbol);
    else ack += "null";
    ack += ",\"kind\":";
    append_quoted(ack, to_string(fr.f.kind));
    ack += ",\"duration_s\":";
    append_seconds(ack, fr.f.duration_s);
    ack += ",\"at_s\":";
    append_seconds(ack, static_cast<double>(at) / 1e9);
    ack += "}";
    if (auto st = vs->sim->inject(std::move(fr.f)); !st) {
      res = json_response(400, json_error(std::string("fault refused: ") + st.err().detail));
      return;
    }
    for (auto& [id, c] : conns) pump(c);  // a disconnect or stall takes effect now
    res = json_response(200, std::move(ack));
  }

  std::string stats_json() {
    std::lock_guard lock(mu);
    std::string out = "{\"paused\":";
    out += is_paused ? "true" : "false";
    out += ",\"sim_time_s\":";
    append_seconds(out, static_cast<double>(sim_now()) / 1e9);
    out += ",\"venues\":[";
    bool first = true;
    for (auto& s : slots) {
      if (!first) out += ",";
      first = false;
      // Refresh the sliding window: a quiet venue's count decays without new requests.
      const auto now = steady::now();
      while (!s->rest_times.empty() && now - s->rest_times.front() >= std::chrono::seconds(60))
        s->rest_times.pop_front();
      s->counters.rest_last_minute = static_cast<std::uint32_t>(s->rest_times.size());
      const auto& c = s->counters;
      const auto& r = s->sim->rest_counters();
      out += "{\"venue\":";
      append_quoted(out, core::to_string(s->v));
      out += ",\"ws_url\":";
      append_quoted(out, owner_ws_url(s->v));
      out += ",\"rest_url\":";
      append_quoted(out, owner_rest_url(s->v));
      out += ",\"symbols\":[";
      for (std::size_t i = 0; i < s->sim->feeds().size(); ++i) {
        if (i) out += ",";
        append_quoted(out, s->sim->feeds()[i]->symbol());
      }
      out += "],\"ws_connections\":" + std::to_string(c.ws_connections);
      out += ",\"ws_refused\":" + std::to_string(c.ws_refused);
      out += ",\"ws_open\":" + std::to_string(c.ws_open);
      out += ",\"rest_requests\":" + std::to_string(c.rest_requests);
      out += ",\"rest_refused\":" + std::to_string(r.refused);
      out += ",\"rest_requests_last_minute\":" + std::to_string(c.rest_last_minute);
      out += ",\"rest_max_requests_per_minute\":" + std::to_string(c.rest_max_minute);
      out += ",\"rest_max_weight_per_minute\":" + std::to_string(r.max_minute_weight);
      out += "}";
    }
    out += "]}";
    return out;
  }

  void set_paused(bool p) {
    std::lock_guard lock(mu);
    if (p == is_paused) return;
    if (p) {
      paused_at = steady::now();
    } else {
      paused_total += steady::now() - paused_at;
    }
    is_paused = p;
  }

  void add_control_routes() {
    http.handle(net::verb::get, "/sim/v1/books/",
                [this](const net::server_request& rq, net::server_response& res) { truth(rq, res); },
                net::path_match::prefix);
    http.handle(net::verb::post, "/sim/v1/faults",
                [this](const net::server_request& rq, net::server_response& res) { post_fault(rq, res); });
    http.handle(net::verb::get, "/sim/v1/stats",
                [this](const net::server_request&, net::server_response& res) {
                  res = json_response(200, stats_json());
                });
    for (const bool p : {true, false})
      http.handle(net::verb::post, p ? "/sim/v1/pause" : "/sim/v1/resume",
                  [this, p](const net::server_request&, net::server_response& res) {
                    set_paused(p);
                    res = json_response(200, p ? "{\"paused\":true}" : "{\"paused\":false}");
                  });
  }

  // ---- URLs -------------------------------------------------------------------------------
  std::string host() const {
    const std::string& a = opt.address;
    if (a.empty() || a == "0.0.0.0") return "127.0.0.1";
    if (a == "::") return "[::1]";
    if (a.find(':') != std::string::npos) return "[" + a + "]";
    return a;
  }
  std::string base(bool ws) const {
    const bool t = http.tls();
    return std::string(ws ? (t ? "wss://" : "ws://") : (t ? "https://" : "http://")) + host() + ":" +
           std::to_string(http.port());
  }
  std::string owner_ws_url(core::venue v) const {
    return base(true) + "/" + std::string(core::to_string(v)) + std::string(ws_base_path(v));
  }
  std::string owner_rest_url(core::venue v) const {
    return base(false) + "/" + std::string(core::to_string(v));
  }
};

server::server(boost::asio::io_context& ioc, server_options options)
    : impl_(std::make_shared<impl>(ioc, std::move(options))) {
  auto& o = impl_->opt;
  if (o.venues.empty()) o.venues.assign(core::all_venues.begin(), core::all_venues.end());
  for (core::venue v : o.venues) {
    if (impl_->slot(v)) continue;  // listed twice
    auto s = std::make_unique<impl::venue_slot>();
    s->v = v;
    s->sim = std::make_unique<venue_sim>(
        v, default_instruments(v, o.symbols_per_venue, o.levels_scale, o.rate), o.sim);
    impl_->served.push_back(v);
    impl_->slots.push_back(std::move(s));
  }
}

server::~server() { stop(); }

void server::on_rest(rest_observer f) { impl_->rest_hook = std::move(f); }
void server::on_send(send_observer f) { impl_->send_hook = std::move(f); }

core::status server::start(std::string* message) {
  auto& m = *impl_;
  if (m.opt.root_venue && !m.slot(*m.opt.root_venue)) {
    if (message) *message = "root_venue is not among the served venues";
    return {core::errc::invalid_argument, "root_venue"};
  }
  if (m.opt.tick.count() <= 0) {
    if (message) *message = "tick must be positive";
    return {core::errc::invalid_argument, "tick"};
  }
  for (auto& s : m.slots) m.add_venue_routes(*s, "/" + std::string(core::to_string(s->v)));
  if (m.opt.root_venue) m.add_venue_routes(*m.slot(*m.opt.root_venue), "");
  m.add_control_routes();
  if (m.opt.on_error)
    m.http.on_error([f = m.opt.on_error](const net::server_error& e) {
      std::string line = std::string(e.phase) + ": " + e.ec.message();
      if (!e.what.empty()) line += " (" + e.what + ")";
      f(line);
    });
  std::string why;
  if (const auto ec = m.http.start(&why)) {
    if (message) *message = why.empty() ? ec.message() : why;
    return {core::errc::invalid_argument, "listen"};
  }
  {
    std::lock_guard lock(m.mu);
    m.start_at = steady::now();
  }
  m.running = true;
  m.schedule();
  return {};
}

void server::stop() {
  auto& m = *impl_;
  m.running = false;
  m.timer.cancel();
  m.http.stop();
  std::lock_guard lock(m.mu);
  for (auto& [id, c] : m.conns) m.forget(c);
  m.conns.clear();  // drops the sessions: they must not outlive the io_context
}

std::uint16_t server::port() const noexcept { return impl_->http.port(); }
bool server::tls() const noexcept { return impl_->http.tls(); }
const server_options& server::options() const noexcept { return impl_->opt; }
const std::vector<core::venue>& server::venues() const noexcept { return impl_->served; }
std::string server::ws_base() const { return impl_->base(true); }
std::string server::http_base() const { return impl_->base(false); }
std::string server::ws_url(core::venue v) const { return impl_->owner_ws_url(v); }
std::string server::rest_url(core::venue v) const { return impl_->owner_rest_url(v); }
std::mutex& server::mutex() const noexcept { return impl_->mu; }

std::vector<std::string> server::symbols(core::venue v) const {
  std::vector<std::string> out;
  if (const auto* s = impl_->slot(v))
    for (const auto& f : s->sim->feeds()) out.push_back(f->symbol());
  return out;
}

std::vector<std::pair<std::string, std::string>> server::client_settings(core::venue v) const {
  std::vector<std::pair<std::string, std::string>> out;
  const auto* s = impl_->slot(v);
  if (!s || (v != core::venue::kraken && v != core::venue::kraken_v1)) return out;
  // Kraken books are truncated to the subscribed depth: the deepest one, for the widest bands.
  // Its checksums print prices at the pair's price precision (the instrument's price scale) and
  // sizes at 8 decimals (the simulator's Kraken qty_precision, as its instrument channel says).
  out.emplace_back("depth", "1000");
  for (const auto& f : s->sim->feeds())
    out.emplace_back("precision." + f->symbol(), std::to_string(f->model.inst().price_scale) + ":8");
  return out;
}

venue_sim* server::sim(core::venue v) noexcept {
  auto* s = impl_->slot(v);
  return s ? s->sim.get() : nullptr;
}

const venue_counters* server::counters(core::venue v) const noexcept {
  auto* s = impl_->slot(v);
  return s ? &s->counters : nullptr;
}

void server::pause() { impl_->set_paused(true); }
void server::resume() { impl_->set_paused(false); }
bool server::paused() const {
  std::lock_guard lock(impl_->mu);
  return impl_->is_paused;
}

}  // namespace depthmon::sim
