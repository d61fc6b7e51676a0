// Bitstamp websocket v2 diff_order_book_{pair} (microtimestamp-ordered diffs of the full book),
// bts:subscribe acks, bts:heartbeat replies, bts:request_reconnect, and the REST
// /api/v2/order_book/{pair} body (the full book with its microtimestamp).
#include <set>

#include "sim/encoders/common.hpp"

namespace depthmon::sim::enc {
namespace {

using core::side;

constexpr std::string_view k_prefix = "diff_order_book_";

void level(std::string& out, const instrument& in, std::int64_t p, std::int64_t q, bool spaced) {
  out += "[\"";
  append_fixed(out, p, in.price_scale, in.price_scale);
  out += spaced ? "\", \"" : "\",\"";
  append_fixed(out, q, in.qty_scale, 8);
  out += "\"]";
}

std::string times(std::uint64_t micros, bool spaced) {
  std::string out = spaced ? "\"timestamp\": \"" : "\"timestamp\":\"";
  append_u64(out, micros / 1'000'000);
  out += spaced ? "\", \"microtimestamp\": \"" : "\",\"microtimestamp\":\"";
  append_u64(out, micros);
  out += '"';
  return out;
}

class bitstamp_session final : public session {
 public:
  using session::session;

 protected:
  void client_text(std::string_view text) override {
    auto doc = parse_json(text);
    if (!doc || !doc->is_object()) return error("Bad request");
    const std::string_view event = doc->str("event");
    if (event == "bts:heartbeat") {
      send("{\"event\":\"bts:heartbeat\",\"channel\":\"\",\"data\":{\"status\":\"success\"}}");
      return;
    }
    const jvalue* data = doc->get("data");
    const std::string channel(data && data->is_object() ? data->str("channel") : std::string_view());
    if ((event != "bts:subscribe" && event != "bts:unsubscribe") || channel.rfind(k_prefix, 0) != 0 ||
        !sim_.feed(channel.substr(k_prefix.size())))
      return error("Bad subscription string.");
    const std::string pair = channel.substr(k_prefix.size());
    std::string out = event == "bts:subscribe" ? "{\"event\":\"bts:subscription_succeeded\",\"channel\":"
                                               : "{\"event\":\"bts:unsubscription_succeeded\",\"channel\":";
    append_quoted(out, channel);
    out += ",\"data\":{}}";
    send(std::move(out));
    if (event == "bts:subscribe") pairs_.insert(pair);
    else pairs_.erase(pair);
  }

  bool subscribed(std::string_view symbol) const override {
    return pairs_.count(std::string(symbol)) != 0;
  }

  void book_step(symbol_feed& f, const std::vector<level_change>& changes) override {
    const frame_mods mods = mods_for(f.symbol());
    const instrument& in = f.model.inst();
    std::string out = "{\"data\":{" + times(f.last_id, false);
    for (side s : {side::bid, side::ask}) {
      out += s == side::bid ? ",\"bids\":[" : ",\"asks\":[";
      bool first = true;
      for (const auto& c : changes) {
        if (c.side != s) continue;
        if (!first) out += ',';
        first = false;
        level(out, in, c.price, c.qty, false);
      }
      if (s == side::bid && mods.crossed) {
        const level_change x = crossing_level(f);
        if (!first) out += ',';
        level(out, in, x.price, x.qty, false);
      }
      out += ']';
    }
    out += "},\"channel\":";
    append_quoted(out, std::string(k_prefix) + f.symbol());
    out += ",\"event\":\"data\"}";
    send_update(std::move(out), {f.symbol(), true, true});
  }

  std::optional<std::string> close_notice() const override {
    return std::string("{\"event\":\"bts:request_reconnect\",\"channel\":\"\",\"data\":\"\"}");
  }

 private:
  void error(const std::string& msg) {
    std::string out = "{\"event\":\"bts:error\",\"channel\":\"\",\"data\":{\"code\":null,\"message\":";
    append_quoted(out, msg);
    out += "}}";
    send(std::move(out));
  }

  std::set<std::string> pairs_;
};

class bitstamp_encoder final : public venue_encoder {
 public:
  std::unique_ptr<session> make_session(venue_sim& v) const override {
    return std::make_unique<bitstamp_session>(v);
  }
  // The book's clock: microseconds, strictly increasing per pair.
  void advance_ids(symbol_feed& f, std::size_t nchanges) const override {
    (void)nchanges;
    f.last_id = std::max<std::uint64_t>(f.last_id + 1, static_cast<std::uint64_t>(f.wall / 1000));
  }
  http_response rest(venue_sim& v, std::string_view target) const override {
    const std::string_view path = path_of(target);
    constexpr std::string_view prefix = "/api/v2/order_book/";
    if (path.rfind(prefix, 0) != 0) return venue_encoder::rest(v, target);
    std::string_view pair = path.substr(prefix.size());
    if (!pair.empty() && pair.back() == '/') pair.remove_suffix(1);
    const symbol_feed* f = v.feed(pair);
    http_response r;
    r.headers.push_back({"Content-Type", "application/json"});
    if (!f) {
      r.status = 404;
      r.body = "{\"status\": \"error\", \"reason\": \"Not found\"}";
      return r;
    }
    const instrument& in = f->model.inst();
    r.body = "{" + times(f->last_id, true);
    for (side s : {side::bid, side::ask}) {
      r.body += s == side::bid ? ", \"bids\": [" : ", \"asks\": [";
      bool first = true;
      f->model.book().for_each(s, [&](std::int64_t p, std::int64_t q) {
        if (!first) r.body += ", ";
        first = false;
        level(r.body, in, p, q, true);
        return true;
      });
      r.body += ']';
    }
    r.body += '}';
    return r;
  }
  bool supports(fault_kind k, const sim_options& opt) const override {
    (void)opt;
    return k != fault_kind::bad_checksum;
  }
};

}  // namespace

std::unique_ptr<venue_encoder> make_bitstamp() { return std::make_unique<bitstamp_encoder>(); }

}  // namespace depthmon::sim::enc
