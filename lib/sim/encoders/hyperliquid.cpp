// Hyperliquid l2Book: every message is a full snapshot of the top 20 levels per side (5 with
// "fast"), pushed when they change; subscriptionResponse acks and {"channel":"pong"}.
// Aggregated books (nSigFigs) are not simulated: such a subscription gets an error.
#include <map>

#include "sim/encoders/common.hpp"

namespace depthmon::sim::enc {
namespace {

using core::side;

class hyperliquid_session final : public session {
 public:
  using session::session;

 protected:
  void client_text(std::string_view text) override {
    auto doc = parse_json(text);
    if (!doc || !doc->is_object()) return error("Invalid request");
    const std::string_view method = doc->str("method");
    if (method == "ping") {
      send("{\"channel\":\"pong\"}");
      return;
    }
    const jvalue* sub = doc->get("subscription");
    if ((method != "subscribe" && method != "unsubscribe") || !sub || !sub->is_object() ||
        sub->str("type") != "l2Book")
      return error("Invalid subscription");
    const std::string coin(sub->str("coin"));
    const symbol_feed* f = sim_.feed(coin);
    if (!f) return error("Invalid subscription: unknown coin " + coin);
    const jvalue* sig = sub->get("nSigFigs");
    if (sig && sig->t != jvalue::type::null) return error("nSigFigs aggregation is not simulated");
    const jvalue* fast = sub->get("fast");
    const bool is_fast = fast && fast->t == jvalue::type::boolean && fast->b;
    std::string echo = "{\"type\":\"l2Book\",\"coin\":";
    append_quoted(echo, coin);
    if (is_fast) echo += ",\"fast\":true";
    echo += '}';
    std::string ack = "{\"channel\":\"subscriptionResponse\",\"data\":{\"method\":";
    append_quoted(ack, method);
    ack += ",\"subscription\":" + echo + "}}";
    send(std::move(ack));
    if (method == "unsubscribe") {
      views_.erase(coin);
      return;
    }
    book_view& v = views_.insert_or_assign(coin, book_view(is_fast ? 5 : 20)).first->second;
    v.load(f->model.book());
    send(frame(*f, v));
  }

  bool subscribed(std::string_view symbol) const override {
    return views_.count(std::string(symbol)) != 0;
  }

  void book_step(symbol_feed& f, const std::vector<level_change>& changes) override {
    (void)changes;
    book_view& v = views_.at(f.symbol());
    std::vector<level_change> out;
    v.update(f.model.book(), true, v.depth(), out);
    if (out.empty()) return;
    const frame_mods mods = mods_for(f.symbol());
    if (mods.crossed) v.put(crossing_level(f));
    send_update(frame(f, v), {f.symbol(), true, true});
  }

 private:
  std::string frame(const symbol_feed& f, const book_view& v) const {
    const instrument& in = f.model.inst();
    std::string out = "{\"channel\":\"l2Book\",\"data\":{\"coin\":";
    append_quoted(out, in.symbol);
    out += ",\"time\":";
    append_i64(out, f.wall / 1'000'000);
    out += ",\"levels\":[";
    for (side s : {side::bid, side::ask}) {
      out += s == side::bid ? "[" : ",[";
      bool first = true;
      for (const auto& l : v.levels(s)) {
        if (!first) out += ',';
        first = false;
        out += "{\"px\":\"";
        append_canonical(out, l.price, in.price_scale);
        out += "\",\"sz\":\"";
        append_canonical(out, l.qty, in.qty_scale);
        out += "\",\"n\":";
        append_i64(out, 1 + (l.qty / in.lot) % 9);
        out += '}';
      }
      out += ']';
    }
    out += "]}}";
    return out;
  }
  void error(const std::string& msg) {
    std::string out = "{\"channel\":\"error\",\"data\":";
    append_quoted(out, msg);
    out += '}';
    send(std::move(out));
  }

  std::map<std::string, book_view> views_;
};

class hyperliquid_encoder final : public venue_encoder {
 public:
  std::unique_ptr<session> make_session(venue_sim& v) const override {
    return std::make_unique<hyperliquid_session>(v);
  }
  bool supports(fault_kind k, const sim_options& opt) const override {
    (void)opt;
    return k != fault_kind::bad_checksum && k != fault_kind::rest_429 && k != fault_kind::rest_418;
  }
};

}  // namespace

std::unique_ptr<venue_encoder> make_hyperliquid() { return std::make_unique<hyperliquid_encoder>(); }

}  // namespace depthmon::sim::enc
