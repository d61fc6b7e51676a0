#include "daemon/publishing.hpp"

#include "venues/registry.hpp"
#include "venues/spec.hpp"

namespace depthmon::daemon {
namespace {

class publishing_listener final : public venue_listener {
 public:
  publishing_listener(venue_binding& b, const api_state& st)
      : binding_(b), st_(st), inputs_(st.inputs()),
        pub_(b.feed, feed::publisher::slot_map(b.books.begin(), b.books.end()),
             [this](const feed::book_identity& id) { return cached_rate(id.quote); },
             options(inputs_)) {}

  void on_book_updated(const feed::feed_book& b) override { pub_.on_book_updated(b); }
  void on_book_replaced(const feed::feed_book& b, book::tracked_book& old) override {
    pub_.on_book_replaced(b, old);
  }
  void on_tick(const feed::feed& f) override {
    inputs_ = st_.inputs();
    rates_.clear();  // re-read from the board at most once per tick and quote currency
    feed::publish_feed_status(f, *binding_.feed);
  }
  void add_slot(const std::shared_ptr<feed::book_slot>& slot) override { pub_.add_symbol(slot); }
  void remove_slot(std::string_view symbol) override { pub_.remove_symbol(symbol); }

 private:
  static feed::publisher_options options(const std::shared_ptr<const read_inputs>& in) {
    feed::publisher_options o;
    o.bands = in ? in->settings.bands : depth::default_bands();
    o.impact_usd = in ? in->settings.impact_notionals_usd : std::vector<std::int64_t>{100'000, 1'000'000};
    return o;
  }

  // A quote currency's USD rate, resolved from the board (other books' published mids) once
  // per feed tick rather than on every message: resolving walks the board's slot index, which
  // costs more than the rest of the publish; rates feed only the impact targets here, and a
  // rate 50 ms old moves them by far less than one level.
  std::optional<double> cached_rate(const std::string& quote) {
    for (const auto& [q, r] : rates_)
      if (q == quote) return r;
    std::optional<double> r;
    if (inputs_ && inputs_->rates) r = inputs_->rates->rate(quote, feed::wall_clock_nanos());
    rates_.emplace_back(quote, r);
    return r;
  }

  venue_binding& binding_;
  std::vector<std::pair<std::string, std::optional<double>>> rates_;
  const api_state& st_;
  std::shared_ptr<const read_inputs> inputs_;
  feed::publisher pub_;
};

}  // namespace

std::unique_ptr<venue_listener> make_publishing_listener(venue_binding& b, const api_state& st) {
  return std::make_unique<publishing_listener>(b, st);
}

feed::book_identity identify_book(core::venue v, const feed::venue_config& c, const std::string& symbol) {
  feed::book_identity id;
  id.venue = v;
  id.symbol = symbol;
  venues::protocol_options o;
  o.symbols = c.symbols;
  o.settings = c.settings;
  o.ws_url = c.ws_url;
  o.rest_url = c.rest_url;
  if (auto spec = venues::make_spec(v, o)) {
    if (auto info = spec.value()->instrument_of(symbol, c.settings)) {
      id.base = info.value().base;
      id.quote = info.value().quote;
      id.contract_value = info.value().contract_value;
    }
  }
  return id;
}

}  // namespace depthmon::daemon
