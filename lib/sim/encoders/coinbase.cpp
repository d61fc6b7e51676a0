// Coinbase Advanced Trade (level2 -> l2_data with a per-connection sequence_num over every
// message, heartbeats, subscriptions acks) and the legacy Exchange feed (level2_batch:
// subscriptions, snapshot, l2update; heartbeat per product).
#include <set>

#include "sim/encoders/common.hpp"

namespace depthmon::sim::enc {
namespace {

using core::side;

std::vector<std::string> strings_of(const jvalue* arr) {
  std::vector<std::string> out;
  if (arr && arr->is_array())
    for (const auto& v : arr->items)
      if (v.is_string()) out.push_back(v.text);
  return out;
}

// ---- Advanced Trade ---------------------------------------------------------------------

class advanced_trade_session final : public session {
 public:
  using session::session;

 protected:
  void client_text(std::string_view text) override {
    auto doc = parse_json(text);
    if (!doc || !doc->is_object()) return error("malformed request");
    const std::string_view type = doc->str("type");
    const std::string_view channel = doc->str("channel");
    const bool sub = type == "subscribe";
    if (!sub && type != "unsubscribe") return error("unknown message type");
    if (channel == "heartbeats") {
      heartbeats_ = sub;
      last_hb_ = wall();
    } else if (channel == "level2" || channel == "l2_data") {
      const auto products = strings_of(doc->get("product_ids"));
      if (sub) {
        for (const auto& p : products) {
          const symbol_feed* f = sim_.feed(p);
          if (!f) return error("Failed to subscribe");
          products_.insert(p);
          send(snapshot(*f));
        }
      } else if (products.empty()) {
        products_.clear();
      } else {
        for (const auto& p : products) products_.erase(p);
      }
    } else {
      return error("unknown channel");
    }
    send_subscriptions();
  }

  bool subscribed(std::string_view symbol) const override {
    return products_.count(std::string(symbol)) != 0;
  }

  void book_step(symbol_feed& f, const std::vector<level_change>& changes) override {
    const frame_mods mods = mods_for(f.symbol());
    std::vector<level_change> ch = changes;
    if (mods.crossed) ch.push_back(crossing_level(f));
    std::string out = head("l2_data");
    out += "\"events\":[{\"type\":\"update\",\"product_id\":";
    append_quoted(out, f.symbol());
    out += ",\"updates\":[";
    const std::string t = rfc3339(f.wall, 6);
    for (std::size_t i = 0; i < ch.size(); ++i) {
      if (i) out += ',';
      append_update(out, f.model.inst(), ch[i], t);
    }
    out += "]}]}";
    send_update(std::move(out), {f.symbol(), true, true});
  }

  void heartbeat(core::unix_nanos now) override {
    (void)now;
    if (!heartbeats_ || wall() - last_hb_ < 1'000'000'000) return;
    last_hb_ = wall();
    std::string out = head("heartbeats");
    out += "\"events\":[{\"current_time\":";
    append_quoted(out, rfc3339(wall(), 9));
    out += ",\"heartbeat_counter\":";
    append_u64(out, ++hb_counter_);
    out += "}]}";
    send(std::move(out));
  }

 private:
  // Every message of the connection takes the next sequence_num, sent or not (a gap fault
  // drops the frame after it was numbered, which is what a client sees of a lost message).
  std::string head(std::string_view channel) {
    std::string out = "{\"channel\":";
    append_quoted(out, channel);
    out += ",\"client_id\":\"\",\"timestamp\":";
    append_quoted(out, rfc3339(wall(), 9));
    out += ",\"sequence_num\":";
    append_u64(out, seq_++);
    out += ',';
    return out;
  }
  static void append_update(std::string& out, const instrument& in, const level_change& c,
                            const std::string& t) {
    out += c.side == side::bid ? "{\"side\":\"bid\",\"event_time\":" : "{\"side\":\"offer\",\"event_time\":";
    append_quoted(out, t);
    out += ",\"price_level\":\"";
    append_canonical(out, c.price, in.price_scale);
    out += "\",\"new_quantity\":\"";
    append_canonical(out, c.qty, in.qty_scale);
    out += "\"}";
  }
  std::string snapshot(const symbol_feed& f) {
    std::string out = head("l2_data");
    out += "\"events\":[{\"type\":\"snapshot\",\"product_id\":";
    append_quoted(out, f.symbol());
    out += ",\"updates\":[";
    const std::string t = rfc3339(f.wall, 6);
    bool first = true;
    for (side s : {side::bid, side::ask})
      f.model.book().for_each(s, [&](std::int64_t p, std::int64_t q) {
        if (!first) out += ',';
        first = false;
        append_update(out, f.model.inst(), {s, p, q}, t);
        return true;
      });
    out += "]}]}";
    return out;
  }
  void send_subscriptions() {
    std::string out = head("subscriptions");
    out += "\"events\":[{\"subscriptions\":{";
    bool any = false;
    if (!products_.empty()) {
      out += "\"level2\":[";
      bool first = true;
      for (const auto& p : products_) {
        if (!first) out += ',';
        first = false;
        append_quoted(out, p);
      }
      out += ']';
      any = true;
    }
    if (heartbeats_) out += any ? ",\"heartbeats\":[\"heartbeats\"]" : "\"heartbeats\":[\"heartbeats\"]";
    out += "}}]}";
    send(std::move(out));
  }
  void error(std::string_view msg) {
    std::string out = "{\"type\":\"error\",\"message\":";
    append_quoted(out, msg);
    out += '}';
    send(std::move(out));
  }

  std::set<std::string> products_;
  bool heartbeats_ = false;
  core::unix_nanos last_hb_ = 0;
  std::uint64_t seq_ = 0;
  std::uint64_t hb_counter_ = 0;
};

// ---- Exchange (level2_batch) -------------------------------------------------------------------

class exchange_session final : public session {
 public:
  using session::session;

 protected:
  void client_text(std::string_view text) override {
    auto doc = parse_json(text);
    if (!doc || !doc->is_object()) return error("Failed to parse request");
    const std::string_view type = doc->str("type");
    const bool sub = type == "subscribe";
    if (!sub && type != "unsubscribe") return error("Failed to parse request");
    std::vector<std::string> products = strings_of(doc->get("product_ids"));
    std::set<std::string> channels;
    if (const jvalue* ch = doc->get("channels"); ch && ch->is_array())
      for (const auto& c : ch->items) {
        if (c.is_string()) channels.insert(c.text);
        else if (c.is_object()) {
          channels.insert(std::string(c.str("name")));
          for (auto& p : strings_of(c.get("product_ids"))) products.push_back(p);
        }
      }
    for (const auto& p : products)
      if (!sim_.feed(p)) return error("Failed to subscribe");
    if (channels.count("level2")) return error("level2 requires authentication");
    const bool book = channels.count("level2_batch") != 0;
    const bool hb = channels.count("heartbeat") != 0;
    std::vector<std::string> fresh;
    for (const auto& p : products) {
      if (book) {
        if (sub && products_.insert(p).second) fresh.push_back(p);
        if (!sub) products_.erase(p);
      }
      if (hb) {
        if (sub) heartbeat_products_.insert(p);
        else heartbeat_products_.erase(p);
      }
    }
    send_subscriptions();
    for (const auto& p : fresh) send(snapshot(*sim_.feed(p)));
  }

  bool subscribed(std::string_view symbol) const override {
    return products_.count(std::string(symbol)) != 0;
  }

  void book_step(symbol_feed& f, const std::vector<level_change>& changes) override {
    const frame_mods mods = mods_for(f.symbol());
    std::vector<level_change> ch = changes;
    if (mods.crossed) ch.push_back(crossing_level(f));
    const instrument& in = f.model.inst();
    std::string out = "{\"type\":\"l2update\",\"product_id\":";
    append_quoted(out, f.symbol());
    out += ",\"changes\":[";
    for (std::size_t i = 0; i < ch.size(); ++i) {
      if (i) out += ',';
      out += ch[i].side == side::bid ? "[\"buy\",\"" : "[\"sell\",\"";
      append_fixed(out, ch[i].price, in.price_scale, in.price_scale);
      out += "\",\"";
      append_canonical(out, ch[i].qty, in.qty_scale);
      out += "\"]";
    }
    out += "],\"time\":";
    append_quoted(out, rfc3339(f.wall, 6));
    out += '}';
    send_update(std::move(out), {f.symbol(), true, true});
  }

  void heartbeat(core::unix_nanos now) override {
    (void)now;
    if (heartbeat_products_.empty() || wall() - last_hb_ < 1'000'000'000) return;
    last_hb_ = wall();
    ++hb_sequence_;
    for (const auto& p : heartbeat_products_) {
      std::string out = "{\"type\":\"heartbeat\",\"last_trade_id\":0,\"product_id\":";
      append_quoted(out, p);
      out += ",\"sequence\":";
      append_u64(out, hb_sequence_);
      out += ",\"time\":";
      append_quoted(out, rfc3339(wall(), 6));
      out += '}';
      send(std::move(out));
    }
  }

 private:
  std::string snapshot(const symbol_feed& f) const {
    const instrument& in = f.model.inst();
    std::string out = "{\"type\":\"snapshot\",\"product_id\":";
    append_quoted(out, f.symbol());
    for (side s : {side::ask, side::bid}) {
      out += s == side::ask ? ",\"asks\":[" : ",\"bids\":[";
      bool first = true;
      f.model.book().for_each(s, [&](std::int64_t p, std::int64_t q) {
        if (!first) out += ',';
        first = false;
        out += "[\"";
        append_fixed(out, p, in.price_scale, in.price_scale);
        out += "\",\"";
        append_canonical(out, q, in.qty_scale);
        out += "\"]";
        return true;
      });
      out += ']';
    }
    out += '}';
    return out;
  }
  void send_subscriptions() {
    std::string out = "{\"type\":\"subscriptions\",\"channels\":[";
    auto list = [&](const char* name, const std::set<std::string>& ps, bool first) {
      if (ps.empty()) return false;
      if (!first) out += ',';
      out += "{\"name\":\"";
      out += name;
      out += "\",\"product_ids\":[";
      bool f = true;
      for (const auto& p : ps) {
        if (!f) out += ',';
        f = false;
        append_quoted(out, p);
      }
      out += "]}";
      return true;
    };
    const bool any = list("level2_batch", products_, true);
    list("heartbeat", heartbeat_products_, !any);
    out += "]}";
    send(std::move(out));
  }
  void error(std::string_view reason) {
    std::string out = "{\"type\":\"error\",\"message\":\"Failed to subscribe\",\"reason\":";
    append_quoted(out, reason);
    out += '}';
    send(std::move(out));
  }

  std::set<std::string> products_;
  std::set<std::string> heartbeat_products_;
  core::unix_nanos last_hb_ = 0;
  std::uint64_t hb_sequence_ = 0;
};

template <class Session>
class coinbase_encoder final : public venue_encoder {
 public:
  std::unique_ptr<session> make_session(venue_sim& v) const override {
    return std::make_unique<Session>(v);
  }
};

}  // namespace

std::unique_ptr<venue_encoder> make_coinbase_advanced_trade() {
  return std::make_unique<coinbase_encoder<advanced_trade_session>>();
}
std::unique_ptr<venue_encoder> make_coinbase_exchange() {
  return std::make_unique<coinbase_encoder<exchange_session>>();
}

}  // namespace depthmon::sim::enc
