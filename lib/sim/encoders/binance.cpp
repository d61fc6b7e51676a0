// Binance spot and USD-M futures: combined (or raw) diff-depth streams with U/u (USD-M: pu),
// bookTicker in the same id space, SUBSCRIBE acks, serverShutdown, and the REST depth body.
#include <set>

#include "sim/encoders/common.hpp"

namespace depthmon::sim::enc {
namespace {

using core::side;

struct binance_text {
  bool usdm;
  // Spot writes every price and size with 8 decimals; USD-M at the symbol's own precision.
  void price(std::string& out, const instrument& in, std::int64_t p) const {
    append_fixed(out, p, in.price_scale, usdm ? in.price_scale : 8);
  }
  void qty(std::string& out, const instrument& in, std::int64_t q) const {
    append_fixed(out, q, in.qty_scale, usdm ? in.qty_scale : 8);
  }
  void level(std::string& out, const instrument& in, std::int64_t p, std::int64_t q) const {
    out += "[\"";
    price(out, in, p);
    out += "\",\"";
    qty(out, in, q);
    out += "\"]";
  }
};

class binance_session final : public session {
 public:
  binance_session(venue_sim& v, bool usdm) : session(v), usdm_(usdm), text_{usdm} {}

  void opened(std::string_view target) override {
    const std::string_view path = path_of(target);
    if (path.find("/ws/") != std::string_view::npos) {
      combined_ = false;
      streams_.insert(std::string(path.substr(path.rfind('/') + 1)));
    } else if (auto s = query_param(target, "streams"); !s.empty()) {
      for (auto& name : split(s, '/')) streams_.insert(name);
    } else if (path.size() >= 3 && path.substr(path.size() - 3) == "/ws") {
      combined_ = false;
    }
  }

 protected:
  void client_text(std::string_view text) override {
    auto doc = parse_json(text);
    std::string id = "null";
    if (doc && doc->is_object())
      if (const jvalue* i = doc->get("id")) {
        id.clear();
        if (i->is_string()) append_quoted(id, i->text);
        else if (i->t == jvalue::type::number) id = i->text;
        else id = "null";
      }
    const std::string_view method = doc ? doc->str("method") : std::string_view();
    const jvalue* params = doc ? doc->get("params") : nullptr;
    if (method == "LIST_SUBSCRIPTIONS") {
      std::string out = "{\"result\":[";
      bool first = true;
      for (const auto& s : streams_) {
        if (!first) out += ',';
        first = false;
        append_quoted(out, s);
      }
      send(out + "],\"id\":" + id + "}");
      return;
    }
    if ((method != "SUBSCRIBE" && method != "UNSUBSCRIBE") || !params || !params->is_array()) {
      send("{\"error\":{\"code\":2,\"msg\":\"Invalid request\"},\"id\":" + id + "}");
      return;
    }
    for (const auto& p : params->items) {
      if (!p.is_string()) continue;
      if (method == "SUBSCRIBE") streams_.insert(p.text);
      else streams_.erase(p.text);
    }
    send("{\"result\":null,\"id\":" + id + "}");
  }

  bool subscribed(std::string_view symbol) const override {
    const std::string l = lower(symbol);
    return !depth_stream(l).empty() || streams_.count(l + "@bookTicker");
  }

  void book_step(symbol_feed& f, const std::vector<level_change>& changes) override {
    const std::string l = lower(f.symbol());
    const instrument& in = f.model.inst();
    const std::string stream = depth_stream(l);
    if (!stream.empty()) {
      const frame_mods mods = mods_for(f.symbol());
      std::string d = "{\"e\":\"depthUpdate\",\"E\":";
      append_i64(d, f.wall / 1'000'000);
      if (usdm_) {
        d += ",\"T\":";
        append_i64(d, f.wall / 1'000'000 - 3);
      }
      d += ",\"s\":";
      append_quoted(d, f.symbol());
      d += ",\"U\":";
      append_u64(d, f.first_id);
      d += ",\"u\":";
      append_u64(d, f.last_id);
      if (usdm_) {
        d += ",\"pu\":";
        append_u64(d, f.prev_id);
      }
      for (side s : {side::bid, side::ask}) {
        d += s == side::bid ? ",\"b\":[" : ",\"a\":[";
        bool first = true;
        for (const auto& c : changes) {
          if (c.side != s) continue;
          if (!first) d += ',';
          first = false;
          text_.level(d, in, c.price, c.qty);
        }
        if (s == side::bid && mods.crossed) {
          const level_change x = crossing_level(f);
          if (!first) d += ',';
          text_.level(d, in, x.price, x.qty);
        }
        d += ']';
      }
      d += '}';
      send_update(wrap(stream, d), {f.symbol(), true, true});
    }
    if (f.bbo_changed && streams_.count(l + "@bookTicker")) {
      auto b = f.model.book().best(side::bid);
      auto a = f.model.book().best(side::ask);
      if (!b || !a) return;
      std::string t = usdm_ ? "{\"e\":\"bookTicker\",\"u\":" : "{\"u\":";
      append_u64(t, f.last_id);
      t += ",\"s\":";
      append_quoted(t, f.symbol());
      t += ",\"b\":\"";
      text_.price(t, in, b->price);
      t += "\",\"B\":\"";
      text_.qty(t, in, b->qty);
      t += "\",\"a\":\"";
      text_.price(t, in, a->price);
      t += "\",\"A\":\"";
      text_.qty(t, in, a->qty);
      t += '"';
      if (usdm_) {
        t += ",\"T\":";
        append_i64(t, f.wall / 1'000'000 - 3);
        t += ",\"E\":";
        append_i64(t, f.wall / 1'000'000);
      }
      t += '}';
      send_update(wrap(l + "@bookTicker", t), {f.symbol(), false, true});
    }
  }

  std::optional<std::string> close_notice() const override {
    std::string d = "{\"e\":\"serverShutdown\",\"E\":";
    append_i64(d, wall_ms());
    d += '}';
    return combined_ ? "{\"stream\":\"!serverShutdown\",\"data\":" + d + "}" : d;
  }

 private:
  std::string depth_stream(const std::string& l) const {
    for (const char* suffix : {"@depth@100ms", "@depth", "@depth@250ms", "@depth@500ms"})
      if (streams_.count(l + suffix)) return l + suffix;
    return {};
  }
  std::string wrap(const std::string& stream, const std::string& data) const {
    if (!combined_) return data;
    std::string out = "{\"stream\":";
    append_quoted(out, stream);
    out += ",\"data\":";
    out += data;
    out += '}';
    return out;
  }

  bool usdm_;
  binance_text text_;
  bool combined_ = true;
  std::set<std::string> streams_;
};

class binance_encoder final : public venue_encoder {
 public:
  explicit binance_encoder(bool usdm) : usdm_(usdm) {}

  std::unique_ptr<session> make_session(venue_sim& v) const override {
    return std::make_unique<binance_session>(v, usdm_);
  }

  void advance_ids(symbol_feed& f, std::size_t nchanges) const override {
    const std::uint64_t n = nchanges ? nchanges : 1;
    f.prev_id = f.last_id;
    if (usdm_) {
      // USD-M ids are global: other symbols' updates take ids in between, so U skips ahead.
      const std::uint64_t skip = (f.last_id * 2654435761u + f.model.steps()) % 40;
      f.first_id = f.last_id + 1 + skip;
      f.last_id = f.first_id + n * (1 + (f.model.steps() % 3)) - 1;
    } else {
      f.first_id = f.last_id + 1;
      f.last_id += n;
    }
    f.bbo_changed = false;
    for (side s : {side::bid, side::ask}) {
      auto b = f.model.book().best(s);
      auto& last = f.last_bbo[static_cast<std::size_t>(s)];
      if (b != last) f.bbo_changed = true;
      last = b;
    }
  }

  http_response rest(venue_sim& v, std::string_view target) const override {
    const std::string_view path = path_of(target);
    if (path != (usdm_ ? "/fapi/v1/depth" : "/api/v3/depth")) return venue_encoder::rest(v, target);
    http_response r;
    r.headers.push_back({"Content-Type", "application/json"});
    const std::string_view limit_text = query_param(target, "limit");
    std::uint32_t limit = usdm_ ? 500 : 100;
    if (!limit_text.empty()) {
      limit = 0;
      for (char c : limit_text) {
        if (c < '0' || c > '9' || limit > 100000) {
          limit = 0;
          break;
        }
        limit = limit * 10 + static_cast<std::uint32_t>(c - '0');
      }
    }
    const bool valid = usdm_ ? (limit == 5 || limit == 10 || limit == 20 || limit == 50 ||
                                limit == 100 || limit == 500 || limit == 1000)
                             : (limit >= 1 && limit <= 5000);
    if (!valid) {
      r.status = 400;
      r.body = "{\"code\":-1100,\"msg\":\"Illegal characters found in parameter 'limit'.\"}";
      return r;
    }
    const std::uint32_t weight =
        usdm_ ? (limit <= 50 ? 2 : limit <= 100 ? 5 : limit <= 500 ? 10 : 20)
              : (limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250);
    auto& st = v.rest_counters_mut();
    if (st.minute_weight + weight > v.options().binance_weight_limit) {
      ++st.refused;
      r.status = 429;
      const std::int64_t into = v.now() % 60'000'000'000;
      r.headers.push_back({"Retry-After", std::to_string((60'000'000'000 - into) / 1'000'000'000 + 1)});
      r.headers.push_back({"X-MBX-USED-WEIGHT-1M", std::to_string(st.minute_weight)});
      r.body = "{\"code\":-1003,\"msg\":\"Too much request weight used.\"}";
      return r;
    }
    st.minute_weight += weight;
    st.max_minute_weight = std::max(st.max_minute_weight, st.minute_weight);
    r.headers.push_back({"X-MBX-USED-WEIGHT-1M", std::to_string(st.minute_weight)});
    const symbol_feed* f = v.feed(query_param(target, "symbol"));
    if (!f) {
      r.status = 400;
      r.body = "{\"code\":-1121,\"msg\":\"Invalid symbol.\"}";
      return r;
    }
    const instrument& in = f->model.inst();
    const binance_text text{usdm_};
    std::string& b = r.body;
    b = "{\"lastUpdateId\":";
    append_u64(b, f->last_id);
    if (usdm_) {
      b += ",\"E\":";
      append_i64(b, v.wall(v.now()) / 1'000'000);
      b += ",\"T\":";
      append_i64(b, v.wall(v.now()) / 1'000'000 - 3);
    }
    for (side s : {side::bid, side::ask}) {
      b += s == side::bid ? ",\"bids\":[" : ",\"asks\":[";
      bool first = true;
      for (const auto& l : f->model.book().top(s, limit)) {
        if (!first) b += ',';
        first = false;
        text.level(b, in, l.price, l.qty);
      }
      b += ']';
    }
    b += '}';
    return r;
  }

  bool supports(fault_kind k, const sim_options& opt) const override {
    (void)opt;
    return k != fault_kind::bad_checksum;
  }

 private:
  bool usdm_;
};

}  // namespace

std::unique_ptr<venue_encoder> make_binance(bool usdm) {
  return std::make_unique<binance_encoder>(usdm);
}

}  // namespace depthmon::sim::enc
