// Kraken spot WebSocket v2 (book snapshot/update, JSON numbers, CRC32 of the top 10 at the
// pair's precision, instrument channel, heartbeat, pong, status) and v1 (array frames,
// fixed-precision strings, "c" checksum strings on updates, systemStatus, subscriptionStatus).
// Kraken shows a client only its subscribed depth and sends no deletes for levels that fall
// below it (clients truncate), so each subscription keeps the client's top-N view.
#include <cstdio>
#include <cstdlib>
#include <map>

#include "sim/crc32.hpp"
#include "sim/encoders/common.hpp"

namespace depthmon::sim::enc {
namespace {

using core::side;

constexpr unsigned k_qty_precision = 8;

bool valid_depth(std::uint64_t d) { return d == 10 || d == 25 || d == 100 || d == 500 || d == 1000; }

// CRC32 of the top 10 asks (ascending) then top 10 bids (descending), each value formatted at
// the pair's precision with '.' and leading zeros removed.
std::uint32_t kraken_checksum(const book_view& v, const instrument& in) {
  std::string text;
  for (side s : {side::ask, side::bid}) {
    const auto& lv = v.levels(s);
    for (std::size_t i = 0; i < lv.size() && i < 10; ++i) {
      append_kraken_digits(text, lv[i].price, in.price_scale, in.price_scale);
      append_kraken_digits(text, lv[i].qty, in.qty_scale, k_qty_precision);
    }
  }
  return crc32(text);
}

struct subscription {
  book_view view;
  std::uint32_t channel_id = 0;  // v1
};

class kraken_session final : public session {
 public:
  kraken_session(venue_sim& v, bool v1) : session(v), v1_(v1) {}

  void opened(std::string_view target) override {
    (void)target;
    if (v1_) {
      send("{\"connectionID\":13834774380200032777,\"event\":\"systemStatus\",\"status\":\"online\",\"version\":\"1.9.0\"}");
    } else {
      send("{\"channel\":\"status\",\"data\":[{\"api_version\":\"v2\",\"connection_id\":13834774380200032777,"
           "\"system\":\"online\",\"version\":\"2.0.0\"}],\"type\":\"update\"}");
    }
    last_sent_ = wall();
  }

 protected:
  void client_text(std::string_view text) override {
    auto doc = parse_json(text);
    if (!doc || !doc->is_object()) {
      send(v1_ ? "{\"errorMessage\":\"Malformed request\",\"event\":\"error\"}"
               : "{\"error\":\"Malformed request\",\"method\":\"\",\"success\":false}");
      return;
    }
    if (v1_) v1_request(*doc);
    else v2_request(*doc);
  }

  bool subscribed(std::string_view symbol) const override {
    return subs_.count(std::string(symbol)) != 0;
  }

  void book_step(symbol_feed& f, const std::vector<level_change>& changes) override {
    (void)changes;
    auto it = subs_.find(f.symbol());
    subscription& sub = it->second;
    std::vector<level_change> out;
    const bool top_changed = sub.view.update(f.model.book(), false, 10, out);
    if (out.empty()) return;
    const frame_mods mods = mods_for(f.symbol());
    if (mods.crossed) {
      const level_change x = crossing_level(f);
      out.push_back(x);
      sub.view.put(x);
    }
    std::uint32_t crc = kraken_checksum(sub.view, f.model.inst());
    if (mods.bad_checksum) crc ^= 0x5A5A5A5Au;
    std::string frame = v1_ ? v1_update(f, sub, out, crc) : v2_update(f, out, crc);
    send_update(std::move(frame), {f.symbol(), true, top_changed || mods.crossed});
    last_sent_ = wall();
  }

  void heartbeat(core::unix_nanos now) override {
    (void)now;
    // About once a second when nothing else was sent (docs/protocols.md §3.1).
    if (subs_.empty() || wall() - last_sent_ < 1'000'000'000) return;
    send(v1_ ? "{\"event\":\"heartbeat\"}" : "{\"channel\":\"heartbeat\"}");
    last_sent_ = wall();
  }

 private:
  // ---- v2 ----
  void v2_request(const jvalue& doc) {
    const std::string_view method = doc.str("method");
    const std::string req_id(doc.scalar("req_id"));
    const jvalue* params = doc.get("params");
    if (method == "ping") {
      std::string out = "{\"method\":\"pong\"";
      if (!req_id.empty()) out += ",\"req_id\":" + req_id;
      out += ",\"time_in\":\"" + rfc3339(wall(), 6) + "\",\"time_out\":\"" + rfc3339(wall(), 6) + "\"}";
      send(std::move(out));
      return;
    }
    if ((method != "subscribe" && method != "unsubscribe") || !params || !params->is_object()) {
      v2_error(method, req_id, "EGeneral:Invalid arguments");
      return;
    }
    const std::string_view channel = params->str("channel");
    if (channel == "instrument") {
      v2_ack(method, req_id, "{\"channel\":\"instrument\",\"snapshot\":true}");
      if (method == "subscribe") send(instrument_snapshot());
      return;
    }
    if (channel != "book") {
      v2_error(method, req_id, "EGeneral:Invalid arguments:channel");
      return;
    }
    std::uint64_t depth = 10;
    if (auto d = params->scalar("depth"); !d.empty()) depth = std::strtoull(std::string(d).c_str(), nullptr, 10);
    if (!valid_depth(depth)) {
      v2_error(method, req_id, "EGeneral:Invalid arguments:depth");
      return;
    }
    const jvalue* syms = params->get("symbol");
    if (!syms || !syms->is_array()) {
      v2_error(method, req_id, "EGeneral:Invalid arguments:symbol");
      return;
    }
    for (const auto& s : syms->items) {
      if (!s.is_string()) continue;
      const symbol_feed* f = sim_.feed(s.text);
      std::string result = "{\"channel\":\"book\",\"depth\":" + std::to_string(depth);
      if (method == "subscribe") result += ",\"snapshot\":true";
      result += ",\"symbol\":";
      append_quoted(result, s.text);
      result += '}';
      if (!f) {
        v2_error(method, req_id, "Currency pair not supported " + s.text);
        continue;
      }
      if (method == "unsubscribe") {
        subs_.erase(s.text);
        v2_ack(method, req_id, result);
        continue;
      }
      subscription& sub = subs_.insert_or_assign(s.text, subscription{book_view(depth), 0}).first->second;
      sub.view.load(f->model.book());
      v2_ack(method, req_id, result);
      send(v2_snapshot(*f, sub));
    }
  }
  void v2_ack(std::string_view method, const std::string& req_id, const std::string& result) {
    std::string out = "{\"method\":";
    append_quoted(out, method);
    out += ",\"req_id\":" + (req_id.empty() ? std::string("0") : req_id);
    out += ",\"result\":" + result + ",\"success\":true,\"time_in\":\"" + rfc3339(wall(), 6) +
           "\",\"time_out\":\"" + rfc3339(wall(), 6) + "\"}";
    send(std::move(out));
  }
  void v2_error(std::string_view method, const std::string& req_id, const std::string& err) {
    std::string out = "{\"error\":";
    append_quoted(out, err);
    out += ",\"method\":";
    append_quoted(out, method);
    if (!req_id.empty()) out += ",\"req_id\":" + req_id;
    out += ",\"success\":false,\"time_in\":\"" + rfc3339(wall(), 6) + "\",\"time_out\":\"" +
           rfc3339(wall(), 6) + "\"}";
    send(std::move(out));
  }
  std::string instrument_snapshot() const {
    std::string out = "{\"channel\":\"instrument\",\"type\":\"snapshot\",\"data\":{\"assets\":[],\"pairs\":[";
    bool first = true;
    for (const auto& f : sim_.feeds()) {
      const instrument& in = f->model.inst();
      if (!first) out += ',';
      first = false;
      out += "{\"symbol\":";
      append_quoted(out, in.symbol);
      out += ",\"base\":";
      append_quoted(out, in.base);
      out += ",\"quote\":\"USD\",\"status\":\"online\",\"qty_precision\":" + std::to_string(k_qty_precision) +
             ",\"qty_increment\":";
      append_canonical(out, in.lot, in.qty_scale);
      out += ",\"price_precision\":" + std::to_string(in.price_scale) + ",\"price_increment\":";
      append_canonical(out, in.tick, in.price_scale);
      out += ",\"qty_min\":";
      append_canonical(out, in.lot, in.qty_scale);
      out += ",\"marginable\":false,\"has_index\":true}";
    }
    out += "]}}";
    return out;
  }
  static void v2_levels(std::string& out, const instrument& in, const std::vector<level_change>& ch, side s) {
    out += s == side::bid ? "\"bids\":[" : "\"asks\":[";
    bool first = true;
    for (const auto& c : ch) {
      if (c.side != s) continue;
      if (!first) out += ',';
      first = false;
      out += "{\"price\":";
      append_canonical(out, c.price, in.price_scale);
      out += ",\"qty\":";
      append_canonical(out, c.qty, in.qty_scale);
      out += '}';
    }
    out += ']';
  }
  static std::vector<level_change> as_changes(const book_view& v) {
    std::vector<level_change> out;
    for (side s : {side::bid, side::ask})
      for (const auto& l : v.levels(s)) out.push_back({s, l.price, l.qty});
    return out;
  }
  std::string v2_snapshot(const symbol_feed& f, const subscription& sub) const {
    const instrument& in = f.model.inst();
    std::string out = "{\"channel\":\"book\",\"type\":\"snapshot\",\"data\":[{\"symbol\":";
    append_quoted(out, in.symbol);
    out += ',';
    const auto all = as_changes(sub.view);
    v2_levels(out, in, all, side::bid);
    out += ',';
    v2_levels(out, in, all, side::ask);
    out += ",\"checksum\":";
    append_u64(out, kraken_checksum(sub.view, in));
    out += "}]}";
    return out;
  }
  std::string v2_update(const symbol_feed& f, const std::vector<level_change>& ch, std::uint32_t crc) const {
    const instrument& in = f.model.inst();
    std::string out = "{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":";
    append_quoted(out, in.symbol);
    out += ',';
    v2_levels(out, in, ch, side::bid);
    out += ',';
    v2_levels(out, in, ch, side::ask);
    out += ",\"checksum\":";
    append_u64(out, crc);
    out += ",\"timestamp\":";
    append_quoted(out, rfc3339(f.wall, 6));
    out += "}]}";
    return out;
  }

  // ---- v1 ----
  void v1_request(const jvalue& doc) {
    const std::string_view event = doc.str("event");
    const std::string reqid(doc.scalar("reqid"));
    if (event == "ping") {
      send("{\"event\":\"pong\"" + (reqid.empty() ? std::string() : ",\"reqid\":" + reqid) + "}");
      return;
    }
    const jvalue* subd = doc.get("subscription");
    const jvalue* pairs = doc.get("pair");
    if ((event != "subscribe" && event != "unsubscribe") || !subd || !subd->is_object() || !pairs ||
        !pairs->is_array() || subd->str("name") != "book") {
      send("{\"errorMessage\":\"Subscription name invalid\",\"event\":\"subscriptionStatus\",\"status\":\"error\"}");
      return;
    }
    std::uint64_t depth = 10;
    if (auto d = subd->scalar("depth"); !d.empty()) depth = std::strtoull(std::string(d).c_str(), nullptr, 10);
    if (!valid_depth(depth)) {
      send("{\"errorMessage\":\"Subscription depth not supported\",\"event\":\"subscriptionStatus\",\"status\":\"error\"}");
      return;
    }
    const std::string channel = "book-" + std::to_string(depth);
    for (const auto& p : pairs->items) {
      if (!p.is_string()) continue;
      const symbol_feed* f = sim_.feed(p.text);
      std::string ack = "{";
      if (f && event == "subscribe") {
        subscription& sub =
            subs_.insert_or_assign(p.text, subscription{book_view(depth), next_channel_id_++}).first->second;
        sub.view.load(f->model.book());
        ack += "\"channelID\":" + std::to_string(sub.channel_id) + ",";
      } else if (f) {
        auto it = subs_.find(p.text);
        if (it != subs_.end()) ack += "\"channelID\":" + std::to_string(it->second.channel_id) + ",";
        subs_.erase(p.text);
      }
      ack += "\"channelName\":\"" + channel + "\",\"event\":\"subscriptionStatus\",\"pair\":";
      append_quoted(ack, p.text);
      if (!f) {
        ack += ",\"errorMessage\":\"Currency pair not supported\",\"status\":\"error\"";
      } else {
        ack += event == "subscribe" ? ",\"status\":\"subscribed\"" : ",\"status\":\"unsubscribed\"";
      }
      ack += ",\"subscription\":{\"depth\":" + std::to_string(depth) + ",\"name\":\"book\"}}";
      send(std::move(ack));
      if (f && event == "subscribe") send(v1_snapshot(*f, subs_.at(p.text)));
    }
  }
  std::string v1_time(core::unix_nanos t) const {
    std::string out;
    append_i64(out, t / 1'000'000'000);
    out += '.';
    char buf[16];
    std::snprintf(buf, sizeof buf, "%06lld", static_cast<long long>(t / 1000 % 1'000'000));
    out += buf;
    return out;
  }
  void v1_level(std::string& out, const instrument& in, std::int64_t p, std::int64_t q,
                const std::string& t) const {
    out += "[\"";
    append_fixed(out, p, in.price_scale, in.price_scale);
    out += "\",\"";
    append_fixed(out, q, in.qty_scale, k_qty_precision);
    out += "\",\"" + t + "\"]";
  }
  std::string v1_tail(const subscription& sub, const instrument& in) const {
    std::string out = ",\"book-" + std::to_string(sub.view.depth()) + "\",";
    append_quoted(out, in.symbol);
    out += ']';
    return out;
  }
  std::string v1_snapshot(const symbol_feed& f, const subscription& sub) const {
    const instrument& in = f.model.inst();
    const std::string t = v1_time(f.wall);
    std::string out = "[" + std::to_string(sub.channel_id) + ",{";
    for (side s : {side::ask, side::bid}) {
      out += s == side::ask ? "\"as\":[" : ",\"bs\":[";
      bool first = true;
      for (const auto& l : sub.view.levels(s)) {
        if (!first) out += ',';
        first = false;
        v1_level(out, in, l.price, l.qty, t);
      }
      out += ']';
    }
    out += '}' + v1_tail(sub, in);
    return out;
  }
  std::string v1_update(const symbol_feed& f, const subscription& sub, const std::vector<level_change>& ch,
                        std::uint32_t crc) const {
    const instrument& in = f.model.inst();
    const std::string t = v1_time(f.wall);
    std::string parts[2];
    for (const auto& c : ch) {
      std::string& p = parts[c.side == side::ask ? 0 : 1];
      if (!p.empty()) p += ',';
      v1_level(p, in, c.price, c.qty, t);
    }
    // Both sides changed: two objects, the checksum on the last (as Kraken sends it).
    std::string out = "[" + std::to_string(sub.channel_id);
    const bool both = !parts[0].empty() && !parts[1].empty();
    if (!parts[0].empty()) out += ",{\"a\":[" + parts[0] + "]" + (both ? "}" : "");
    if (!parts[1].empty()) out += ",{\"b\":[" + parts[1] + "]";
    out += ",\"c\":\"" + std::to_string(crc) + "\"}";
    out += v1_tail(sub, in);
    return out;
  }

  bool v1_;
  std::map<std::string, subscription> subs_;
  std::uint32_t next_channel_id_ = 336;
  core::unix_nanos last_sent_ = 0;
};

class kraken_encoder final : public venue_encoder {
 public:
  explicit kraken_encoder(bool v1) : v1_(v1) {}
  std::unique_ptr<session> make_session(venue_sim& v) const override {
    return std::make_unique<kraken_session>(v, v1_);
  }
  bool supports(fault_kind k, const sim_options& opt) const override {
    (void)opt;
    return k != fault_kind::rest_429 && k != fault_kind::rest_418;
  }

 private:
  bool v1_;
};

}  // namespace

std::unique_ptr<venue_encoder> make_kraken(bool v1) { return std::make_unique<kraken_encoder>(v1); }

}  // namespace depthmon::sim::enc
