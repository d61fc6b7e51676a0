// Bybit v5 public orderbook.{1,50,200,1000}.{symbol}: snapshot then deltas with u +1 per message
// per topic (level 1: snapshots only), seq as the cross sequence, subscribe acks and pongs in
// the spot or linear shape (from the connection's path).
#include <map>

#include "sim/encoders/common.hpp"

namespace depthmon::sim::enc {
namespace {

using core::side;

struct topic_state {
  std::string symbol;
  std::size_t depth = 50;
  book_view view;
  std::uint64_t u = 0;
};

class bybit_session final : public session {
 public:
  using session::session;

  void opened(std::string_view target) override {
    linear_ = path_of(target).find("linear") != std::string_view::npos ||
              path_of(target).find("inverse") != std::string_view::npos;
  }

 protected:
  void client_text(std::string_view text) override {
    auto doc = parse_json(text);
    if (!doc || !doc->is_object()) return reply("", "", false, "error:request not json");
    const std::string req_id(doc->str("req_id"));
    const std::string op(doc->str("op"));
    if (op == "ping") return reply(req_id, "ping", true, "pong");
    const jvalue* args = doc->get("args");
    if ((op != "subscribe" && op != "unsubscribe") || !args || !args->is_array())
      return reply(req_id, op, false, "error:handler not found");
    std::vector<std::string> fresh;
    for (const auto& a : args->items) {
      if (!a.is_string()) continue;
      const auto parts = split(a.text, '.');
      std::size_t depth = 0;
      if (parts.size() == 3 && parts[0] == "orderbook") depth = std::strtoul(parts[1].c_str(), nullptr, 10);
      if (!(depth == 1 || depth == 50 || depth == 200 || depth == 1000) || !sim_.feed(parts[2]))
        return reply(req_id, op, false, "error:handler not found,topic:" + a.text);
      if (op == "unsubscribe") {
        topics_.erase(a.text);
      } else {
        topics_.insert_or_assign(a.text, topic_state{parts[2], depth, book_view(depth), 0});
        fresh.push_back(a.text);
      }
    }
    reply(req_id, op, true, linear_ ? "" : op);
    for (const auto& t : fresh) {
      topic_state& ts = topics_.at(t);
      const symbol_feed& f = *sim_.feed(ts.symbol);
      ts.view.load(f.model.book());
      // u continues per topic: a resubscription starts from a snapshot with a later u.
      ts.u = next_u_[t] = std::max<std::uint64_t>(next_u_[t], 1'000'000 + (f.last_id % 1'000'000)) + 1;
      send(frame(f, t, ts, as_changes(ts.view), true));
    }
  }

  bool subscribed(std::string_view symbol) const override {
    for (const auto& [t, ts] : topics_)
      if (ts.symbol == symbol) return true;
    return false;
  }

  void book_step(symbol_feed& f, const std::vector<level_change>& changes) override {
    (void)changes;
    for (auto& [t, ts] : topics_) {
      if (ts.symbol != f.symbol()) continue;
      std::vector<level_change> out;
      ts.view.update(f.model.book(), true, ts.depth, out);
      if (out.empty()) continue;
      const frame_mods mods = mods_for(f.symbol());
      if (mods.crossed) {
        const level_change x = crossing_level(f);
        out.push_back(x);
        ts.view.put(x);
      }
      ts.u = ++next_u_[t];
      const bool snapshot = ts.depth == 1;  // level 1 is snapshot-only
      send_update(frame(f, t, ts, snapshot ? as_changes(ts.view) : out, snapshot),
                  {f.symbol(), true, true});
    }
  }

 private:
  static std::vector<level_change> as_changes(const book_view& v) {
    std::vector<level_change> out;
    for (side s : {side::bid, side::ask})
      for (const auto& l : v.levels(s)) out.push_back({s, l.price, l.qty});
    return out;
  }
  std::string frame(const symbol_feed& f, const std::string& topic, const topic_state& ts,
                    const std::vector<level_change>& ch, bool snapshot) const {
    const instrument& in = f.model.inst();
    std::string out = "{\"topic\":";
    append_quoted(out, topic);
    out += snapshot ? ",\"type\":\"snapshot\",\"ts\":" : ",\"type\":\"delta\",\"ts\":";
    append_i64(out, f.wall / 1'000'000);
    out += ",\"data\":{\"s\":";
    append_quoted(out, in.symbol);
    for (side s : {side::bid, side::ask}) {
      out += s == side::bid ? ",\"b\":[" : ",\"a\":[";
      bool first = true;
      for (const auto& c : ch) {
        if (c.side != s) continue;
        if (!first) out += ',';
        first = false;
        out += "[\"";
        append_fixed(out, c.price, in.price_scale, in.price_scale);
        out += "\",\"";
        append_fixed(out, c.qty, in.qty_scale, in.qty_scale);
        out += "\"]";
      }
      out += ']';
    }
    out += ",\"u\":";
    append_u64(out, ts.u);
    out += ",\"seq\":";
    append_u64(out, f.last_id);
    out += "},\"cts\":";
    append_i64(out, f.wall / 1'000'000 - 2);
    out += '}';
    return out;
  }
  void reply(const std::string& req_id, const std::string& op, bool ok, const std::string& msg) {
    std::string out = ok ? "{\"success\":true,\"ret_msg\":" : "{\"success\":false,\"ret_msg\":";
    append_quoted(out, msg);
    out += ",\"conn_id\":\"d9avsh3fo0jvsls9d82g-5m9jh\"";
    if (linear_ || op != "ping") {
      out += ",\"req_id\":";
      append_quoted(out, linear_ ? std::string() : req_id);
    }
    out += ",\"op\":";
    append_quoted(out, op);
    out += '}';
    send(std::move(out));
  }

  bool linear_ = false;
  std::map<std::string, topic_state> topics_;
  std::map<std::string, std::uint64_t> next_u_;
};

class bybit_encoder final : public venue_encoder {
 public:
  std::unique_ptr<session> make_session(venue_sim& v) const override {
    return std::make_unique<bybit_session>(v);
  }
  void advance_ids(symbol_feed& f, std::size_t nchanges) const override {
    f.last_id += 1 + nchanges * 3;  // cross sequence: monotonic, not contiguous
  }
  bool supports(fault_kind k, const sim_options& opt) const override {
    (void)opt;
    return k != fault_kind::bad_checksum && k != fault_kind::rest_429 && k != fault_kind::rest_418;
  }
};

}  // namespace

std::unique_ptr<venue_encoder> make_bybit() { return std::make_unique<bybit_encoder>(); }

}  // namespace depthmon::sim::enc
