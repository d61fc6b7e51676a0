#include "sim/capture_server.hpp"

#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/ascii_case.hpp"
#include "core/time.hpp"
#include "net/http_server.hpp"
#include "sim/text.hpp"

namespace depthmon::sim {
namespace {

using core::venue;

using core::ascii_lower;
using core::ascii_upper;

// Symbols compared the way the venue writes them in both directions: Binance streams are
// lower case while payloads and REST use upper case; Bitstamp is lower case everywhere.
std::string normal_symbol(venue v, std::string_view s) {
  switch (v) {
    case venue::binance:
    case venue::binance_usdm: return ascii_upper(s);
    case venue::bitstamp: return ascii_lower(s);
    default: return std::string(s);
  }
}

std::string_view after_last(std::string_view s, char c) {
  const auto p = s.rfind(c);
  return p == std::string_view::npos ? s : s.substr(p + 1);
}

// ---- what the venue documents ------------------------------------------------------------

struct venue_paths {
  std::string ws;          // the websocket route ("/stream"); "/" = the root
  std::string ws_base;     // the part of it inside the venue's base URL ("/v2")
  bool ws_prefix = false;  // route matches by prefix (Bybit's /v5/public/{category})
  std::string rest;        // the REST snapshot route; "" = the venue has none here
  bool rest_prefix = false;
  bool url_subscribes = false;  // the connection URL subscribes (Binance combined streams)
};

venue_paths paths_of(venue v) {
  switch (v) {
    case venue::binance: return {"/stream", "", false, "/api/v3/depth", false, true};
    case venue::binance_usdm:
      return {"/public/stream", "/public", false, "/fapi/v1/depth", false, true};
    case venue::kraken: return {"/v2", "/v2", false, {}, false, false};
    case venue::kraken_v1: return {"/", "", false, {}, false, false};
    case venue::okx: return {"/ws/v5/public", "/ws/v5/public", false, {}, false, false};
    case venue::bybit: return {"/v5/public/", "", true, {}, false, false};
    case venue::hyperliquid: return {"/ws", "/ws", false, {}, false, false};
    case venue::bitstamp: return {"/", "", false, "/api/v2/order_book/", true, false};
    case venue::coinbase:
    case venue::coinbase_exchange: return {"/", "", false, {}, false, false};
  }
  return {"/", "", false, {}, false, false};
}

// ---- what one capture line is --------------------------------------------------------------

struct line_info {
  std::string symbol;  // normalized; "" = connection-level (status, heartbeat, ack without one)
  bool diff = false;   // a book diff of a REST-synced venue (what makes a client ask a snapshot)
  std::optional<core::unix_nanos> event_time;
};

std::optional<core::unix_nanos> scaled_time(std::string_view token, std::int64_t unit_ns) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(token.data(), token.data() + token.size(), v);
  if (ec != std::errc() || p != token.data() + token.size()) return std::nullopt;
  return v * unit_ns;
}

line_info analyse(venue v, std::string_view text) {
  line_info out;
  const auto j = parse_json(text);
  if (!j) return out;
  auto sym = [&](std::string_view s) { out.symbol = s.empty() ? std::string() : normal_symbol(v, s); };
  switch (v) {
    case venue::binance:
    case venue::binance_usdm: {
      const std::string_view stream = j->str("stream");
      const auto at = stream.find('@');
      if (at == std::string_view::npos) return out;
      sym(stream.substr(0, at));
      const std::string_view kind = stream.substr(at + 1);
      out.diff = kind.rfind("depth", 0) == 0 && (kind.size() == 5 || kind[5] == '@');
      if (const jvalue* d = j->get("data")) out.event_time = scaled_time(d->scalar("E"), 1'000'000);
      return out;
    }
    case venue::kraken: {
      if (const jvalue* r = j->get("result")) sym(r->str("symbol"));
      if (const jvalue* d = j->get("data"); d && d->is_array() && !d->items.empty())
        sym(d->items.front().str("symbol"));
      return out;
    }
    case venue::kraken_v1: {
      if (j->is_array() && !j->items.empty() && j->items.back().is_string())
        sym(j->items.back().text);
      else if (j->is_object())
        sym(j->str("pair"));
      return out;
    }
    case venue::okx:
      if (const jvalue* a = j->get("arg")) sym(a->str("instId"));
      return out;
    case venue::bybit: {
      const std::string_view topic = j->str("topic");
      if (!topic.empty()) sym(after_last(topic, '.'));
      return out;
    }
    case venue::hyperliquid:
      if (const jvalue* d = j->get("data")) {
        if (const jvalue* s = d->get("subscription")) sym(s->str("coin"));
        else sym(d->str("coin"));
      }
      return out;
    case venue::bitstamp: {
      const std::string_view ch = j->str("channel");
      if (ch.find('_') != std::string_view::npos) sym(after_last(ch, '_'));
      out.diff = ch.rfind("diff_order_book_", 0) == 0 && j->str("event") == "data";
      if (const jvalue* d = j->get("data")) out.event_time = scaled_time(d->scalar("microtimestamp"), 1'000);
      return out;
    }
    case venue::coinbase_exchange:
      sym(j->str("product_id"));
      return out;
    case venue::coinbase:
      if (const jvalue* e = j->get("events"); e && e->is_array() && !e->items.empty())
        sym(e->items.front().str("product_id"));
      return out;
  }
  return out;
}

// ---- what a client asks ----------------------------------------------------------------------

struct client_request {
  bool subscribe = false;
  std::vector<std::string> symbols;  // normalized
  std::optional<std::string> answer;  // an application keep-alive's reply
};

void add_strings(const jvalue* arr, std::vector<std::string>& out, venue v,
                 char cut = 0, bool before = false) {
  if (!arr || !arr->is_array()) return;
  for (const auto& it : arr->items) {
    if (!it.is_string()) continue;
    std::string_view s = it.text;
    if (cut) {
      const auto p = before ? s.find(cut) : s.rfind(cut);
      if (p != std::string_view::npos) s = before ? s.substr(0, p) : s.substr(p + 1);
    }
    out.push_back(normal_symbol(v, s));
  }
}

client_request read_client(venue v, std::string_view text) {
  client_request r;
  if (v == venue::okx && text == "ping") {
    r.answer = "pong";
    return r;
  }
  const auto j = parse_json(text);
  if (!j || !j->is_object()) return r;
  switch (v) {
    case venue::binance:
    case venue::binance_usdm:
      r.subscribe = j->str("method") == "SUBSCRIBE";
      add_strings(j->get("params"), r.symbols, v, '@', true);
      break;
    case venue::kraken: {
      const std::string_view m = j->str("method");
      if (m == "ping") {
        std::string a = R"({"method":"pong")";
        if (const auto id = j->scalar("req_id"); !id.empty()) a += ",\"req_id\":" + std::string(id);
        r.answer = a + "}";
      }
      r.subscribe = m == "subscribe";
      if (const jvalue* p = j->get("params")) add_strings(p->get("symbol"), r.symbols, v);
      break;
    }
    case venue::kraken_v1: {
      const std::string_view e = j->str("event");
      if (e == "ping") {
        std::string a = R"({"event":"pong")";
        if (const auto id = j->scalar("reqid"); !id.empty()) a += ",\"reqid\":" + std::string(id);
        r.answer = a + "}";
      }
      r.subscribe = e == "subscribe";
      add_strings(j->get("pair"), r.symbols, v);
      break;
    }
    case venue::okx:
      r.subscribe = j->str("op") == "subscribe";
      if (const jvalue* a = j->get("args"); a && a->is_array())
        for (const auto& it : a->items)
          if (const auto id = it.str("instId"); !id.empty()) r.symbols.emplace_back(id);
      break;
    case venue::bybit:
      if (j->str("op") == "ping") r.answer = R"({"success":true,"ret_msg":"pong","op":"ping"})";
      r.subscribe = j->str("op") == "subscribe";
      add_strings(j->get("args"), r.symbols, v, '.');
      break;
    case venue::hyperliquid:
      if (j->str("method") == "ping") r.answer = R"({"channel":"pong"})";
      r.subscribe = j->str("method") == "subscribe";
      if (const jvalue* s = j->get("subscription"); s && !s->str("coin").empty())
        r.symbols.emplace_back(s->str("coin"));
      break;
    case venue::bitstamp:
      r.subscribe = j->str("event") == "bts:subscribe";
      if (const jvalue* d = j->get("data")) {
        const std::string_view ch = d->str("channel");
        if (ch.find('_') != std::string_view::npos) r.symbols.push_back(normal_symbol(v, after_last(ch, '_')));
      }
      break;
    case venue::coinbase:
    case venue::coinbase_exchange:
      r.subscribe = j->str("type") == "subscribe";
      add_strings(j->get("product_ids"), r.symbols, v);
      if (const jvalue* c = j->get("channels"); c && c->is_array())
        for (const auto& ch : c->items) add_strings(ch.get("product_ids"), r.symbols, v);
      break;
  }
  return r;
}

// ---- files -------------------------------------------------------------------------------------

bool read_text(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return !in.bad();
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream ss(text);
  for (std::string l; std::getline(ss, l);) {
    while (!l.empty() && (l.back() == '\r' || l.back() == ' ')) l.pop_back();
    out.push_back(std::move(l));
  }
  return out;
}

std::vector<std::string> split(std::string_view s, char c) {
  std::vector<std::string> out;
  std::size_t from = 0;
  for (;;) {
    const auto p = s.find(c, from);
    out.emplace_back(s.substr(from, p == std::string_view::npos ? std::string_view::npos : p - from));
    if (p == std::string_view::npos) return out;
    from = p + 1;
  }
}

// A .tsv with a header row: one map per data row, by column name.
std::vector<std::map<std::string, std::string>> read_tsv(const std::string& text) {
  std::vector<std::map<std::string, std::string>> rows;
  const auto lines = split_lines(text);
  if (lines.empty()) return rows;
  const auto head = split(lines.front(), '\t');
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    const auto cells = split(lines[i], '\t');
    std::map<std::string, std::string> row;
    for (std::size_t k = 0; k < head.size() && k < cells.size(); ++k) row[head[k]] = cells[k];
    rows.push_back(std::move(row));
  }
  return rows;
}

std::optional<std::size_t> parse_index(const std::string& s) {
  std::size_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// The symbol a REST snapshot URL asks for: `symbol=` in the query, else the last path segment.
std::string symbol_of_url(std::string_view url) {
  const auto q = url.find('?');
  if (q != std::string_view::npos) {
    for (const auto& kv : split(url.substr(q + 1), '&'))
      if (kv.rfind("symbol=", 0) == 0) return kv.substr(7);
    url = url.substr(0, q);
  }
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  return std::string(after_last(url, '/'));
}

core::result<capture> fail(std::string* error, std::string why) {
  if (error) *error = std::move(why);
  return {core::errc::invalid_argument, "capture"};
}

}  // namespace

core::result<capture> load_capture(venue v, const std::string& frames_file,
                                   const std::vector<snapshot_file>& snapshots,
                                   const std::string& rest_meta_file, std::string* error) {
  capture c;
  c.venue = v;
  c.name = frames_file;
  std::string text;
  if (!read_text(frames_file, text)) return fail(error, "cannot read capture '" + frames_file + "'");
  c.lines = split_lines(text);
  std::string stem = frames_file;
  if (stem.size() > 6 && stem.compare(stem.size() - 6, 6, ".jsonl") == 0) stem.resize(stem.size() - 6);
  if (read_text(stem + ".sent.jsonl", text)) {
    for (auto& l : split_lines(text))
      if (!l.empty()) c.sent.push_back(std::move(l));
  }
  if (read_text(stem + ".sent.meta.tsv", text)) {
    for (const auto& row : read_tsv(text)) {
      const auto it = row.find("before_ws_line");
      const auto n = it == row.end() ? std::nullopt : parse_index(it->second);
      if (!n || *n == 0) return fail(error, stem + ".sent.meta.tsv: bad before_ws_line");
      c.sent_before.push_back(*n - 1);  // 1-based line -> index
    }
  }
  for (const auto& s : snapshots) {
    capture_snapshot cs;
    cs.symbol = normal_symbol(v, s.symbol);
    if (!read_text(s.path, cs.body)) return fail(error, "cannot read snapshot file '" + s.path + "'");
    c.snapshots.push_back(std::move(cs));
  }
  std::string meta_file = rest_meta_file;
  if (meta_file.empty() && std::filesystem::exists(stem + ".rest.meta.tsv")) meta_file = stem + ".rest.meta.tsv";
  if (!meta_file.empty()) {
    if (!read_text(meta_file, text)) return fail(error, "cannot read REST meta file '" + meta_file + "'");
    // The k-th row naming a symbol describes the k-th body given for it.
    std::map<std::string, std::size_t> used;
    for (const auto& row : read_tsv(text)) {
      const auto url = row.find("request_url");
      if (url == row.end()) return fail(error, meta_file + ": no request_url column");
      const std::string sym = normal_symbol(v, symbol_of_url(url->second));
      std::size_t k = used[sym]++;
      for (auto& cs : c.snapshots) {
        if (cs.symbol != sym) continue;
        if (k-- != 0) continue;
        if (auto b = row.find("before_ws_index"); b != row.end()) {
          const auto n = parse_index(b->second);
          if (!n) return fail(error, meta_file + ": bad before_ws_index '" + b->second + "'");
          cs.before_ws_index = n;
        }
        if (auto t = row.find("recv_ts"); t != row.end()) {
          // Unix seconds; the DepthCharge files count a monotonic clock instead (no use here).
          char* end = nullptr;
          const double s = std::strtod(t->second.c_str(), &end);
          if (end && *end == '\0' && s > 1e8 && s < 1e11) cs.recv_time_s = s;
        }
        break;
      }
    }
  }
  return c;
}

// ---- the server --------------------------------------------------------------------------------

struct capture_server::impl : std::enable_shared_from_this<impl> {
  impl(boost::asio::io_context& io, capture cap, capture_server_options opt)
      : ioc(io), c(std::move(cap)), o(with_prefix(std::move(opt), c.venue)),
        paths(paths_of(c.venue)), server(io, server_options()) {}

  static capture_server_options with_prefix(capture_server_options opt, venue v) {
    if (opt.venue_prefix) opt.prefix = "/" + std::string(core::to_string(v));
    return opt;
  }

  net::http_server_options server_options() const {
    net::http_server_options so;
    so.address = o.address;
    so.port = o.port;
    so.cert_pem = o.cert_pem;
    so.key_pem = o.key_pem;
    so.max_connections = o.max_connections;
    return so;
  }

  struct session_state : std::enable_shared_from_this<session_state> {
    explicit session_state(boost::asio::io_context& io) : settle_timer(io) {}
    std::shared_ptr<net::ws_session> ws;
    // Until `settled_at` a line of a symbol not subscribed yet waits (the client may be
    // sending one subscribe per symbol); afterwards such lines are skipped.
    std::chrono::steady_clock::time_point settled_at{};
    boost::asio::steady_timer settle_timer;
    bool settle_armed = false;
    bool at_hold = false;  // stopped at a hold: waiting for a snapshot request
    std::size_t cursor = 0;
    bool subscribed_any = false;
    std::set<std::string> symbols;
    std::set<std::string> held;  // symbols this session has stopped for (counted once)
  };

  // The first body of a symbol and where it is held.
  struct first_snapshot {
    std::size_t hold = 0;
    bool served = false;  // (or never held: no diff of the symbol in the capture)
  };

  struct pending_rest {
    std::string symbol;
    std::size_t log_index = 0;
    net::http_responder respond;
  };

  boost::asio::io_context& ioc;
  capture c;
  capture_server_options o;
  venue_paths paths;
  net::http_server server;
  std::vector<line_info> info;
  std::size_t gate = 0;  // lines from here on wait for the client's subscribe
  std::map<std::string, std::vector<std::size_t>> bodies;  // symbol -> snapshot indices, in order
  std::map<std::string, std::size_t> next_body;
  std::map<std::string, first_snapshot> first;
  std::vector<std::shared_ptr<session_state>> sessions;
  std::vector<pending_rest> pending;
  capture_server_stats st;
  bool started = false;

  void prepare() {
    info.reserve(c.lines.size());
    for (const auto& l : c.lines) info.push_back(analyse(c.venue, l));
    if (!c.sent_before.empty()) {
      gate = c.sent_before.front();
    } else {
      gate = c.lines.size();
      for (std::size_t i = 0; i < info.size(); ++i)
        if (!info[i].symbol.empty()) {
          gate = i;
          break;
        }
    }
    for (std::size_t k = 0; k < c.snapshots.size(); ++k) bodies[c.snapshots[k].symbol].push_back(k);
    for (const auto& [sym, ks] : bodies) {
      const capture_snapshot& s = c.snapshots[ks.front()];
      std::size_t hold = 0;
      if (s.before_ws_index) {
        hold = *s.before_ws_index;
      } else if (s.recv_time_s) {
        const auto t = static_cast<core::unix_nanos>(*s.recv_time_s * 1e9);
        hold = info.size();
        for (std::size_t i = 0; i < info.size(); ++i)
          if (info[i].event_time && *info[i].event_time > t) {
            hold = i;
            break;
          }
      }
      // Never before the symbol's first diff has gone out: the client asks only then. A symbol
      // without diffs is not held at all (its client may never ask).
      bool has_diff = false;
      for (std::size_t i = 0; i < info.size() && !has_diff; ++i)
        if (info[i].diff && info[i].symbol == sym) {
          hold = std::max(hold, i + 1);
          has_diff = true;
        }
      first[sym] = {std::min(hold, info.size()), !has_diff};
    }
  }

  void add_routes() {
    std::weak_ptr<impl> w = weak_from_this();
    auto ws_handler = [w](const net::server_request& req, net::ws_accept& a) {
      auto self = w.lock();
      if (!self) {
        a.accept = false;
        return;
      }
      auto s = std::make_shared<session_state>(self->ioc);
      if (self->paths.url_subscribes) {
        if (auto streams = req.query_value("streams")) {
          for (const auto& stream : split(*streams, '/')) {
            const auto at = stream.find('@');
            s->symbols.insert(normal_symbol(self->c.venue, stream.substr(0, at)));
          }
          s->subscribed_any = !s->symbols.empty();
        }
      }
      std::weak_ptr<session_state> ws_ = s;
      a.callbacks.on_message = [w, ws_](net::ws_session&, std::string_view payload, bool text) {
        auto me = w.lock();
        auto ss = ws_.lock();
        if (me && ss && text) me->on_client(*ss, payload);
      };
      a.callbacks.on_closed = [w, ws_](const net::ws_session_closed&) {
        auto me = w.lock();
        auto ss = ws_.lock();
        if (!me || !ss) return;
        ss->ws.reset();
        me->sessions.erase(std::remove(me->sessions.begin(), me->sessions.end(), ss),
                           me->sessions.end());
      };
      a.on_open = [w, s](std::shared_ptr<net::ws_session> session) {
        auto me = w.lock();
        if (!me) return;
        s->ws = std::move(session);
        me->sessions.push_back(s);
        ++me->st.connections;
        me->st.capture_done = false;
        me->st.subscribed.assign(s->symbols.begin(), s->symbols.end());
        me->pump(*s);
      };
    };
    const std::string route = o.prefix + paths.ws;
    if (paths.ws == "/" && !o.prefix.empty()) {
      server.handle_ws(o.prefix, ws_handler);
      server.handle_ws(o.prefix + "/", ws_handler);
    } else {
      server.handle_ws(route, ws_handler, paths.ws_prefix ? net::path_match::prefix : net::path_match::exact);
    }
    if (!paths.rest.empty()) {
      server.handle_async(
          net::verb::get, o.prefix + paths.rest,
          [w](const net::server_request& req, net::http_responder r) {
            if (auto self = w.lock()) self->on_rest(req, std::move(r));
          },
          paths.rest_prefix ? net::path_match::prefix : net::path_match::exact);
    }
  }

  void on_client(session_state& s, std::string_view payload) {
    ++st.client_messages;
    client_request r = read_client(c.venue, payload);
    if (r.answer && s.ws) {
      s.ws->send(std::move(*r.answer));
      ++st.frames_sent;
    }
    // Unsubscribes and repeated subscribes change nothing: the capture plays on as recorded.
    if (!r.subscribe || r.symbols.empty()) return;
    for (auto& sym : r.symbols) s.symbols.insert(std::move(sym));
    s.subscribed_any = true;
    s.settled_at = std::chrono::steady_clock::now() + o.subscribe_settle;
    st.subscribed.assign(s.symbols.begin(), s.symbols.end());
    pump(s);
  }

  // The first body of `sym` is still due and this session has reached its hold.
  bool held_at(session_state& s, std::size_t i) {
    for (auto& [sym, f] : first) {
      if (f.served || f.hold != i || !s.symbols.count(sym)) continue;
      if (s.held.insert(sym).second) ++st.holds;
      return true;
    }
    return false;
  }

  void pump(session_state& s) {
    if (!s.ws) return;
    s.at_hold = false;
    while (s.cursor < c.lines.size()) {
      if (!s.subscribed_any && s.cursor >= gate) break;
      if (held_at(s, s.cursor)) {
        s.at_hold = true;
        break;
      }
      const line_info& li = info[s.cursor];
      const std::string& line = c.lines[s.cursor];
      ++s.cursor;
      if (line.empty()) continue;
      if (!li.symbol.empty() && !s.symbols.count(li.symbol)) {
        if (std::chrono::steady_clock::now() < s.settled_at) {
          --s.cursor;
          arm_settle(s);
          break;
        }
        ++st.lines_skipped;
        continue;
      }
      s.ws->send(line);
      ++st.lines_sent;
      ++st.frames_sent;
    }
    if (s.cursor == c.lines.size() && !sessions.empty() && sessions.back().get() == &s)
      st.capture_done = true;
    answer_pending();
  }

  void arm_settle(session_state& s) {
    if (s.settle_armed) return;
    s.settle_armed = true;
    s.settle_timer.expires_at(s.settled_at);
    std::weak_ptr<impl> w = weak_from_this();
    std::weak_ptr<session_state> ws_ = s.weak_from_this();
    s.settle_timer.async_wait([w, ws_](boost::system::error_code ec) {
      auto me = w.lock();
      auto ss = ws_.lock();
      if (!me || !ss) return;
      ss->settle_armed = false;
      if (!ec) me->pump(*ss);
    });
  }

  std::size_t furthest() const {
    std::size_t n = 0;
    for (const auto& s : sessions) n = std::max(n, s->cursor);
    return n;
  }

  // A first body is answered once the stream has passed the lines before it, or at once when
  // every stream is stopped at another symbol's hold: a client that limits its requests in
  // flight may be waiting for this answer before it asks for the one the stream waits for.
  bool may_answer(std::size_t hold) const {
    if (furthest() >= hold) return true;
    for (const auto& s : sessions)
      if (!s->at_hold) return false;
    return true;
  }

  void on_rest(const net::server_request& req, net::http_responder r) {
    std::string sym = paths.rest_prefix ? std::string(req.path_rest()) : std::string(req.query_value("symbol").value_or(""));
    while (!sym.empty() && sym.back() == '/') sym.pop_back();
    sym = normal_symbol(c.venue, sym);
    st.rest.push_back({req.target, sym, 0});
    pending.push_back({sym, st.rest.size() - 1, std::move(r)});
    answer_pending();
  }

  void answer_pending() {
    bool released = false;
    for (auto it = pending.begin(); it != pending.end();) {
      auto f = first.find(it->symbol);
      const bool is_first = f != first.end() && !f->second.served;
      if (is_first && !may_answer(f->second.hold)) {
        ++it;
        continue;
      }
      net::server_response resp;
      auto b = bodies.find(it->symbol);
      std::size_t& k = next_body[it->symbol];
      if (b == bodies.end() || k >= b->second.size()) {
        resp.status = b == bodies.end() ? 404 : 503;
        resp.body = b == bodies.end() ? "no snapshot of this symbol in the capture\n"
                                      : "the capture holds no further snapshot of this symbol\n";
      } else {
        resp.content_type = "application/json";
        resp.body = c.snapshots[b->second[k++]].body;
        if (is_first) {
          f->second.served = true;
          released = true;
        }
      }
      st.rest[it->log_index].status = resp.status;
      st.rest[it->log_index].lines_before = furthest();
      net::http_responder r = std::move(it->respond);
      it = pending.erase(it);
      r(std::move(resp));
    }
    if (released)
      for (auto& s : std::vector<std::shared_ptr<session_state>>(sessions)) pump(*s);
  }
};

capture_server::capture_server(boost::asio::io_context& ioc, capture c, capture_server_options o)
    : impl_(std::make_shared<impl>(ioc, std::move(c), std::move(o))) {
  impl_->prepare();
  impl_->add_routes();
}

capture_server::~capture_server() { stop(); }

std::string capture_server::start() {
  std::string msg;
  if (auto ec = impl_->server.start(&msg); ec) return msg.empty() ? ec.message() : msg;
  impl_->started = true;
  return {};
}

void capture_server::stop() {
  if (!impl_) return;
  impl_->server.stop();
  impl_->pending.clear();
  impl_->sessions.clear();
}

std::uint16_t capture_server::port() const noexcept { return impl_->server.port(); }

std::string capture_server::ws_url() const {
  return std::string(impl_->server.tls() ? "wss://" : "ws://") + impl_->o.address + ":" +
         std::to_string(port()) + impl_->o.prefix + impl_->paths.ws_base;
}

std::string capture_server::rest_url() const {
  return std::string(impl_->server.tls() ? "https://" : "http://") + impl_->o.address + ":" +
         std::to_string(port()) + impl_->o.prefix;
}

const capture_server_stats& capture_server::stats() const noexcept { return impl_->st; }
const capture& capture_server::recorded() const noexcept { return impl_->c; }

core::result<replay_spec> parse_replay_spec(std::string_view arg, std::string* error) {
  auto bad = [&](std::string why) -> core::result<replay_spec> {
    if (error) *error = "--replay '" + std::string(arg) + "': " + std::move(why);
    return {core::errc::invalid_argument, "--replay"};
  };
  const auto parts = split(arg, ',');
  const auto eq = parts.front().find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == parts.front().size())
    return bad("expected VENUE=CAPTURE[,snapshot=SYM=FILE]...[,rest_meta=FILE]");
  replay_spec r;
  const auto v = core::venue_from_string(parts.front().substr(0, eq));
  if (!v) return bad("unknown venue '" + parts.front().substr(0, eq) + "'");
  r.venue = *v;
  r.frames_file = parts.front().substr(eq + 1);
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const std::string& p = parts[i];
    if (p.rfind("snapshot=", 0) == 0) {
      const std::string sf = p.substr(9);
      const auto e = sf.find('=');
      if (e == std::string::npos || e == 0 || e + 1 == sf.size()) return bad("snapshot= expects SYM=FILE");
      r.snapshots.push_back({sf.substr(0, e), sf.substr(e + 1)});
    } else if (p.rfind("rest_meta=", 0) == 0 && p.size() > 10) {
      r.rest_meta_file = p.substr(10);
    } else {
      return bad("unknown part '" + p + "'");
    }
  }
  return r;
}

core::result<std::unique_ptr<capture_server>> make_replay_server(boost::asio::io_context& ioc,
                                                                 std::string_view arg,
                                                                 capture_server_options o,
                                                                 std::string* error) {
  auto spec = parse_replay_spec(arg, error);
  if (!spec) return spec.err();
  auto cap = load_capture(spec->venue, spec->frames_file, spec->snapshots, spec->rest_meta_file, error);
  if (!cap) return cap.err();
  return std::make_unique<capture_server>(ioc, std::move(cap).value(), std::move(o));
}

}  // namespace depthmon::sim
