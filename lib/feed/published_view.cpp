#include "feed/published_view.hpp"

#include <map>
#include <string>

namespace depthmon::feed {
namespace {

double scaled(core::int128 v, unsigned scale) noexcept {
  return static_cast<double>(static_cast<long double>(v) /
                             static_cast<long double>(core::pow10_i128(scale)));
}

template <class T>
std::optional<T> at(const std::vector<std::array<std::optional<T>, 2>>& v, std::size_t band,
                    core::side s) noexcept {
  return band < v.size() ? v[band][static_cast<std::size_t>(s)] : std::nullopt;
}

// Resolution over the view's own copies, so a scrape's rates match its depth figures.
class view_source final : public mid_source {
 public:
  view_source(const std::vector<book_view>& books, core::unix_nanos now,
              std::chrono::nanoseconds max_age)
      : books_(books), now_(now), max_age_(max_age) {}

  reading find(core::venue v, std::string_view symbol) const override {
    for (const auto& b : books_)
      if (b.id().venue == v && b.id().symbol == symbol)
        return {&b.id(), usable_mid(b.snapshot, now_, max_age_)};
    return {};
  }
  void each_with_base(
      std::string_view base,
      const std::function<bool(const book_identity&, std::optional<double>)>& fn) const override {
    for (const auto& b : books_)
      if (b.id().base == base && fn(b.id(), usable_mid(b.snapshot, now_, max_age_))) return;
  }

 private:
  const std::vector<book_view>& books_;
  core::unix_nanos now_;
  std::chrono::nanoseconds max_age_;
};

}  // namespace

bool book_view::band_complete(std::size_t band, core::side s) const noexcept {
  const auto& d = snapshot.depth;
  return live() && !d.overflow && band < d.band_count && d.bands[band][s].complete;
}

std::optional<double> book_view::depth_usd(std::size_t band, core::side s) const noexcept {
  return at(usd.usd, band, s);
}
std::optional<double> book_view::baseline_usd(std::size_t band, core::side s) const noexcept {
  return at(usd.baseline, band, s);
}
std::optional<double> book_view::baseline_ratio(std::size_t band, core::side s) const noexcept {
  const auto d = depth_usd(band, s);
  const auto b = baseline_usd(band, s);
  if (!d || !b || *b <= 0) return std::nullopt;
  return *d / *b;
}

std::optional<double> book_view::mid() const noexcept {
  if (!live()) return std::nullopt;
  return scaled(snapshot.depth.mid_mantissa(), snapshot.depth.mid_scale());
}
std::optional<double> book_view::spread_bps() const noexcept {
  if (!live()) return std::nullopt;
  return snapshot.depth.spread_bps();
}

const book_view* published_view::find(core::venue v, std::string_view symbol) const noexcept {
  for (const auto& b : books)
    if (b.id().venue == v && b.id().symbol == symbol) return &b;
  return nullptr;
}

published_view take_view(const board& brd, const usd_rates& rates,
                         const baseline::table* baseline, const view_settings& settings,
                         core::unix_nanos now) {
  published_view out;
  out.taken_at = now;
  out.settings = settings;
  out.baseline = baseline;
  const auto contents = brd.current();
  out.books.reserve(contents->books.size());
  for (const auto& slot : contents->books)
    out.books.push_back({slot, slot->snapshot.load(), std::nullopt, {}});
  out.feeds.reserve(contents->feeds.size());
  for (const auto& f : contents->feeds)
    out.feeds.push_back({f, f->status.load(), f->processing.read(), f->feed_latency.read()});

  const view_source src(out.books, now, rates.max_age());
  std::map<std::string, std::optional<double>, std::less<>> quote_rates;  // one per currency
  const std::size_t n_bands = settings.bands.size();
  std::vector<depth::book_usd_depth> for_aggregate;
  for_aggregate.reserve(out.books.size());
  for (auto& b : out.books) {
    const auto& id = b.id();
    auto it = quote_rates.find(id.quote);
    if (it == quote_rates.end()) it = quote_rates.emplace(id.quote, rates.rate(id.quote, src)).first;
    if (it->second && id.contract_value.mantissa > 0)
      b.usd_per_quote = *it->second * scaled(id.contract_value.mantissa, id.contract_value.scale);
    b.usd.base = id.base;
    b.usd.usd.resize(n_bands);
    b.usd.baseline.resize(n_bands);
    const unsigned nscale = b.snapshot.depth.notional_scale();
    for (std::size_t i = 0; i < n_bands; ++i)
      for (core::side s : {core::side::bid, core::side::ask}) {
        const auto si = static_cast<std::size_t>(s);
        if (b.usd_per_quote && b.band_complete(i, s))
          b.usd.usd[i][si] =
              scaled(b.snapshot.depth.bands[i][s].notional, nscale) * *b.usd_per_quote;
        if (baseline)
          b.usd.baseline[i][si] =
              baseline->depth_usd(id.venue, id.symbol, s, settings.bands[i].pct);
      }
    for_aggregate.push_back(b.usd);
  }
  out.assets = depth::aggregate_by_asset(for_aggregate, n_bands);
  return out;
}

}  // namespace depthmon::feed
