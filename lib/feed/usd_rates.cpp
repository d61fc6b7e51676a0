#include "feed/usd_rates.hpp"

#include <algorithm>
#include <tuple>

namespace depthmon::feed {
namespace {

constexpr unsigned k_max_hops = 3;

double to_double(core::decimal d) noexcept {
  return static_cast<double>(static_cast<long double>(d.mantissa) /
                             static_cast<long double>(core::pow10_i64(d.scale)));
}

core::unix_nanos wall_now() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::optional<double> usable_mid(const depth::book_snapshot& s, core::unix_nanos now,
                                 std::chrono::nanoseconds max_age) noexcept {
  if (!s.live() || !s.depth.has_mid || s.depth.mid2 <= 0 || s.receive_time == 0) return std::nullopt;
  if (now - s.receive_time > max_age.count()) return std::nullopt;
  const long double mid = static_cast<long double>(s.depth.mid_mantissa()) /
                          static_cast<long double>(core::pow10_i128(s.depth.mid_scale()));
  return static_cast<double>(mid);
}

// The board's books sorted by (venue, symbol) for lookups by name, and in board order for the
// walk by base. Holds the contents it was built from, so the slots outlive it.
struct usd_rates::index {
  std::shared_ptr<const board::contents> contents;
  std::vector<const book_slot*> by_name;

  const book_slot* find(core::venue v, std::string_view symbol) const noexcept {
    const auto it = std::lower_bound(by_name.begin(), by_name.end(), 0,
                                     [&](const book_slot* b, int) {
                                       return std::tie(b->identity.venue, b->identity.symbol) <
                                              std::tie(v, symbol);
                                     });
    if (it == by_name.end() || (*it)->identity.venue != v || (*it)->identity.symbol != symbol)
      return nullptr;
    return *it;
  }
};

class usd_rates::board_source final : public mid_source {
 public:
  board_source(const index& idx, core::unix_nanos now, std::chrono::nanoseconds max_age)
      : idx_(idx), now_(now), max_age_(max_age) {}

  reading find(core::venue v, std::string_view symbol) const override {
    const book_slot* b = idx_.find(v, symbol);
    if (!b) return {};
    return {&b->identity, usable_mid(b->snapshot.load(), now_, max_age_)};
  }
  void each_with_base(
      std::string_view base,
      const std::function<bool(const book_identity&, std::optional<double>)>& fn) const override {
    for (const auto& b : idx_.contents->books)
      if (b->identity.base == base &&
          fn(b->identity, usable_mid(b->snapshot.load(), now_, max_age_)))
        return;
  }

 private:
  const index& idx_;
  core::unix_nanos now_;
  std::chrono::nanoseconds max_age_;
};

usd_rates::usd_rates(std::vector<config::rate_source> rules, const board& b,
                     std::chrono::nanoseconds max_age)
    : rules_(std::move(rules)), board_(b), max_age_(max_age) {}

usd_rates::~usd_rates() = default;

std::shared_ptr<const usd_rates::index> usd_rates::index_for(
    std::shared_ptr<const board::contents> c) const {
  auto idx = index_.load(std::memory_order_acquire);
  if (idx && idx->contents == c) return idx;
  // First use after a board::replace(): rebuild. Racing readers may each build one; they are
  // equal, and the last store wins.
  auto fresh = std::make_shared<index>();
  fresh->contents = std::move(c);
  for (const auto& b : fresh->contents->books) fresh->by_name.push_back(b.get());
  std::sort(fresh->by_name.begin(), fresh->by_name.end(),
            [](const book_slot* a, const book_slot* b) {
              return std::tie(a->identity.venue, a->identity.symbol) <
                     std::tie(b->identity.venue, b->identity.symbol);
            });
  std::shared_ptr<const index> out = std::move(fresh);
  index_.store(out, std::memory_order_release);
  return out;
}

const config::rate_source* usd_rates::rule_for(std::string_view currency) const noexcept {
  for (const auto& r : rules_)
    if (r.currency == currency) return &r;
  return nullptr;
}

std::optional<double> usd_rates::resolve(std::string_view currency, const mid_source& src,
                                         unsigned hops) const {
  if (currency == "USD") return 1.0;
  if (hops >= k_max_hops) return std::nullopt;
  if (const config::rate_source* r = rule_for(currency)) {
    if (r->fixed) {
      if (r->fixed->mantissa <= 0) return std::nullopt;
      return to_double(*r->fixed);
    }
    const auto ref = src.find(r->venue, r->symbol);
    if (!ref.id || !ref.mid || *ref.mid <= 0) return std::nullopt;
    if (!r->invert) {
      // The book prices `currency` (its base) in its quote.
      const auto q = resolve(ref.id->quote, src, hops + 1);
      return q ? std::optional(*ref.mid * *q) : std::nullopt;
    }
    // The book prices its base in `currency` (e.g. USD/JPY values JPY): 1 / mid of the base.
    const auto b = resolve(ref.id->base, src, hops + 1);
    return b ? std::optional(*b / *ref.mid) : std::nullopt;
  }
  // No rule: a book of `currency` against USD, else against a currency a rule values. Only
  // USD or a rule may value the quote here, so discovery never chains into discovery.
  std::optional<double> out;
  src.each_with_base(currency, [&](const book_identity& id, std::optional<double> mid) {
    if (!mid || *mid <= 0 || id.quote != "USD") return false;
    out = *mid;
    return true;
  });
  if (out) return out;
  src.each_with_base(currency, [&](const book_identity& id, std::optional<double> mid) {
    if (!mid || *mid <= 0 || !rule_for(id.quote)) return false;
    const auto q = resolve(id.quote, src, hops + 1);
    if (!q) return false;
    out = *mid * *q;
    return true;
  });
  return out;
}

std::optional<double> usd_rates::rate(std::string_view currency, const mid_source& src) const {
  return resolve(currency, src, 0);
}

std::optional<double> usd_rates::usd_per_quote(const book_identity& id,
                                               const mid_source& src) const {
  if (id.contract_value.mantissa <= 0) return std::nullopt;
  const auto r = rate(id.quote, src);
  return r ? std::optional(*r * to_double(id.contract_value)) : std::nullopt;
}

std::optional<double> usd_rates::rate(std::string_view currency, core::unix_nanos now) const {
  const auto idx = index_for(board_.current());
  return rate(currency, board_source(*idx, now, max_age_));
}

std::optional<double> usd_rates::usd_per_quote(const book_identity& id,
                                               core::unix_nanos now) const {
  const auto idx = index_for(board_.current());
  return usd_per_quote(id, board_source(*idx, now, max_age_));
}

std::optional<double> usd_rates::usd_per_quote(const book_identity& id) const {
  return usd_per_quote(id, wall_now());
}

}  // namespace depthmon::feed
