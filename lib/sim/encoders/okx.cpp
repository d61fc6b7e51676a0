// OKX v5 public order book: books (400 levels, snapshot then incremental, seqId/prevSeqId,
// checksum 0 or the legacy signed CRC32 of the top 25), books5 and bbo-tbt (snapshots), text
// ping/pong, subscribe acks and errors, notice 64008 before a service-upgrade close.
#include <map>

#include "sim/crc32.hpp"
#include "sim/encoders/common.hpp"

namespace depthmon::sim::enc {
namespace {

using core::side;

struct channel_spec {
  std::size_t depth;
  bool incremental;
};

std::optional<channel_spec> spec_of(std::string_view ch) {
  if (ch == "books" || ch == "books-l2-tbt") return channel_spec{400, true};
  if (ch == "books50-l2-tbt") return channel_spec{50, true};
  if (ch == "books5") return channel_spec{5, false};
  if (ch == "bbo-tbt") return channel_spec{1, false};
  return std::nullopt;
}

struct okx_sub {
  std::string channel;
  channel_spec spec;
  book_view view;
  std::uint64_t last_seq = 0;
};

// Legacy checksum: top 25 bids and asks interleaved "bid:sz:ask:sz:...", canonical strings,
// CRC32 read as a signed 32-bit integer.
std::int32_t legacy_checksum(const book_view& v, const instrument& in) {
  std::string text;
  const auto& b = v.levels(side::bid);
  const auto& a = v.levels(side::ask);
  for (std::size_t i = 0; i < 25; ++i) {
    for (const auto* lv : {&b, &a}) {
      if (i >= lv->size()) continue;
      if (!text.empty()) text += ':';
      append_canonical(text, (*lv)[i].price, in.price_scale);
      text += ':';
      append_canonical(text, (*lv)[i].qty, in.qty_scale);
    }
  }
  return static_cast<std::int32_t>(crc32(text));
}

class okx_session final : public session {
 public:
  using session::session;

 protected:
  void client_text(std::string_view text) override {
    if (text == "ping") {
      send("pong");
      return;
    }
    auto doc = parse_json(text);
    if (!doc || !doc->is_object()) return error("", "60012", "Invalid request: " + std::string(text.substr(0, 64)));
    const std::string id(doc->str("id"));
    const std::string_view op = doc->str("op");
    const jvalue* args = doc->get("args");
    if ((op != "subscribe" && op != "unsubscribe") || !args || !args->is_array())
      return error(id, "60012", "Invalid request");
    for (const auto& a : args->items) {
      const std::string ch(a.str("channel"));
      const std::string inst(a.str("instId"));
      const auto spec = spec_of(ch);
      const symbol_feed* f = sim_.feed(inst);
      if (!spec || !f) {
        error(id, "60018", "Wrong URL or channel:" + ch + ",instId:" + inst + " doesn't exist.");
        continue;
      }
      std::string ack = "{";
      if (!id.empty()) {
        ack += "\"id\":";
        append_quoted(ack, id);
        ack += ',';
      }
      ack += "\"event\":";
      append_quoted(ack, op);
      ack += ",\"arg\":" + arg(ch, inst) + ",\"connId\":\"a4d3ae55\"}";
      send(std::move(ack));
      auto& subs = subs_[inst];
      std::erase_if(subs, [&](const okx_sub& s) { return s.channel == ch; });
      if (op == "unsubscribe") {
        if (subs.empty()) subs_.erase(inst);
        continue;
      }
      subs.push_back({ch, *spec, book_view(spec->depth), 0});
      okx_sub& s = subs.back();
      s.view.load(f->model.book());
      send(frame(*f, s, as_changes(s.view), true, {}));
    }
  }

  bool subscribed(std::string_view symbol) const override {
    return subs_.count(std::string(symbol)) != 0;
  }

  void book_step(symbol_feed& f, const std::vector<level_change>& changes) override {
    (void)changes;
    for (auto& s : subs_.at(f.symbol())) {
      std::vector<level_change> out;
      s.view.update(f.model.book(), true, s.spec.depth, out);
      if (out.empty()) continue;
      const frame_mods mods = mods_for(f.symbol());
      if (mods.crossed) {
        const level_change x = crossing_level(f);
        out.push_back(x);
        s.view.put(x);
      }
      if (!s.spec.incremental) out = as_changes(s.view);
      send_update(frame(f, s, out, false, mods), {f.symbol(), true, true});
    }
  }

  std::optional<std::string> close_notice() const override {
    return std::string(
        "{\"event\":\"notice\",\"code\":\"64008\",\"msg\":\"The connection will soon be closed for a "
        "service upgrade. Please reconnect.\",\"connId\":\"a4d3ae55\"}");
  }

 private:
  static std::string arg(const std::string& ch, const std::string& inst) {
    std::string out = "{\"channel\":";
    append_quoted(out, ch);
    out += ",\"instId\":";
    append_quoted(out, inst);
    out += '}';
    return out;
  }
  static std::vector<level_change> as_changes(const book_view& v) {
    std::vector<level_change> out;
    for (side s : {side::bid, side::ask})
      for (const auto& l : v.levels(s)) out.push_back({s, l.price, l.qty});
    return out;
  }
  static void levels(std::string& out, const instrument& in, const std::vector<level_change>& ch, side s) {
    out += s == side::ask ? "\"asks\":[" : "\"bids\":[";
    bool first = true;
    for (const auto& c : ch) {
      if (c.side != s) continue;
      if (!first) out += ',';
      first = false;
      out += "[\"";
      append_canonical(out, c.price, in.price_scale);
      out += "\",\"";
      append_canonical(out, c.qty, in.qty_scale);
      out += "\",\"0\",\"";
      append_i64(out, c.qty == 0 ? 0 : 1 + (c.qty / in.lot) % 7);
      out += "\"]";
    }
    out += ']';
  }
  std::string frame(const symbol_feed& f, okx_sub& s, const std::vector<level_change>& ch, bool snapshot,
                    const frame_mods& mods) {
    const instrument& in = f.model.inst();
    std::string out = "{\"arg\":" + arg(s.channel, in.symbol);
    if (s.spec.incremental) out += snapshot ? ",\"action\":\"snapshot\"" : ",\"action\":\"update\"";
    out += ",\"data\":[{";
    levels(out, in, ch, side::ask);
    out += ',';
    levels(out, in, ch, side::bid);
    if (!s.spec.incremental) {
      out += ",\"instId\":";
      append_quoted(out, in.symbol);
    }
    out += ",\"ts\":\"";
    append_i64(out, f.wall / 1'000'000);
    out += '"';
    if (s.spec.incremental) {
      std::int32_t crc = sim_.options().okx_legacy_checksum ? legacy_checksum(s.view, in) : 0;
      if (mods.bad_checksum) crc = crc == 0 ? 1 : -crc;
      out += ",\"checksum\":";
      append_i64(out, crc);
      out += ",\"prevSeqId\":";
      if (snapshot) out += "-1";
      else append_u64(out, s.last_seq);
    }
    out += ",\"seqId\":";
    append_u64(out, f.last_id);
    out += "}]}";
    s.last_seq = f.last_id;
    return out;
  }
  void error(const std::string& id, const std::string& code, const std::string& msg) {
    std::string out = "{";
    if (!id.empty()) {
      out += "\"id\":";
      append_quoted(out, id);
      out += ',';
    }
    out += "\"event\":\"error\",\"code\":\"" + code + "\",\"msg\":";
    append_quoted(out, msg);
    out += ",\"connId\":\"a4d3ae55\"}";
    send(std::move(out));
  }

  std::map<std::string, std::vector<okx_sub>> subs_;
};

class okx_encoder final : public venue_encoder {
 public:
  std::unique_ptr<session> make_session(venue_sim& v) const override {
    return std::make_unique<okx_session>(v);
  }
  // seqId is per instrument and identical across connections: the engine's count of changes.
  void advance_ids(symbol_feed& f, std::size_t nchanges) const override {
    f.last_id += nchanges ? nchanges : 1;
  }
  bool supports(fault_kind k, const sim_options& opt) const override {
    if (k == fault_kind::bad_checksum) return opt.okx_legacy_checksum;
    return k != fault_kind::rest_429 && k != fault_kind::rest_418;
  }
};

}  // namespace

std::unique_ptr<venue_encoder> make_okx() { return std::make_unique<okx_encoder>(); }

}  // namespace depthmon::sim::enc
