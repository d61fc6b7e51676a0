// Source (c): Tardis.dev incremental_book_L2 CSV (their "Data Types" page): columns
// exchange,symbol,timestamp,local_timestamp,is_snapshot,side,price,amount, times in
// microseconds since the epoch, amount the new absolute size at the price (0 removes it).
// A run of is_snapshot=true rows after updates is a fresh snapshot (a reconnect): the book is
// cleared first. Each (exchange, symbol) gets an exact book (book::l2_book, decimal ticks)
// with the daemon's band tracker on it; at every minute boundary of local_timestamp (receive
// time, as the daemon judges staleness) the book as it stood at that instant, i.e. before
// the first row stamped at or after the boundary, is sampled.
//
// No sample is taken across a jump into a new snapshot (the old state was stale: the feed had
// dropped), before the first snapshot, or while the book is crossed. Coverage follows the
// venue: Coinbase publishes its full book; Kraken and Hyperliquid truncate to a depth (known
// to the snapshot's level count); the others' snapshots are limited, so a side is known down
// to the snapshot's deepest level; bands beyond it are incomplete and give no sample.
#include <charconv>
#include <memory>
#include <unordered_map>

#include "baseline/markets.hpp"
#include "baseline/source_support.hpp"
#include "baseline/sources.hpp"
#include "book/l2_book.hpp"
#include "depth/band_tracker.hpp"
#include "depth/valuation.hpp"

namespace depthmon::baseline {
namespace {

constexpr std::string_view k_header =
    "exchange,symbol,timestamp,local_timestamp,is_snapshot,side,price,amount";

struct tracked_book {
  market m;
  double usd_rate = 1;
  core::decimal contract_value{1, 0};
  book::l2_book book;
  std::unique_ptr<depth::band_tracker> tracker;
  bool has_snapshot = false, last_was_snapshot = false;
  std::int64_t last_local = 0;  // nanos
  // The snapshot run being read: per side its deepest level and level count.
  core::decimal deepest[2]{};
  std::uint32_t snap_levels[2]{};
};

depth::band_set bands_of(const sample_options& opt) {
  if (opt.bands_pct.empty()) return depth::default_bands();
  depth::band_set out;
  for (auto p : opt.bands_pct) out.push_back({p});
  std::sort(out.begin(), out.end(), [](const depth::band& a, const depth::band& b) {
    return core::compare_scaled(a.pct.mantissa, a.pct.scale, b.pct.mantissa, b.pct.scale) < 0;
  });
  return out;
}

bool parse_i64(std::string_view s, std::int64_t& out) {
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return !s.empty() && ec == std::errc{} && p == s.data() + s.size();
}

// Tardis writes numbers as JavaScript prints them: below 1e-6 in exponent form ("9.5e-7").
// Exact: the exponent moves the decimal point, nothing goes through a double.
core::result<core::decimal> parse_number(std::string_view s) {
  const auto e = s.find_first_of("eE");
  if (e == std::string_view::npos) return core::parse_decimal(s);
  auto m = core::parse_decimal(s.substr(0, e));
  if (!m) return m;
  auto exp_text = s.substr(e + 1);
  if (!exp_text.empty() && exp_text[0] == '+') exp_text.remove_prefix(1);
  int exp = 0;
  const auto [p, ec] = std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exp);
  if (exp_text.empty() || ec != std::errc{} || p != exp_text.data() + exp_text.size())
    return {core::errc::bad_number, "bad exponent"};
  core::decimal d = *m;
  for (; exp < 0; ++exp) {
    if (d.scale >= 18) return {core::errc::number_overflow, "more than 18 decimals"};
    ++d.scale;
  }
  for (; exp > 0; --exp) {
    if (d.scale > 0) {
      --d.scale;
    } else {
      if (d.mantissa > INT64_MAX / 10 || d.mantissa < INT64_MIN / 10)
        return {core::errc::number_overflow, "more than 18 digits"};
      d.mantissa *= 10;
    }
  }
  return d;
}

// Where the snapshot just read leaves each side known (see the banner).
void finish_snapshot(tracked_book& b) {
  for (core::side s : {core::side::bid, core::side::ask}) {
    const auto i = static_cast<std::size_t>(s);
    switch (b.m.venue) {
      case core::venue::coinbase:
        b.book.set_coverage(s, book::coverage::full_book());
        break;
      case core::venue::kraken:
      case core::venue::hyperliquid:
        b.book.set_coverage(s, book::coverage::top_n(b.snap_levels[i]));
        break;
      default: {
        if (b.snap_levels[i] == 0) {
          b.book.set_coverage(s, book::coverage::top_n(0));
          break;
        }
        const auto d = b.deepest[i];
        const auto ticks = d.mantissa * core::pow10_i64(b.book.price_scale() - d.scale);
        b.book.set_coverage(s, book::coverage::down_to(ticks));
      }
    }
  }
}

class tardis_reader {
 public:
  tardis_reader(const sample_options& opt, const sample_visitor& visit)
      : opt_(opt), visit_(visit), bands_(bands_of(opt)),
        step_(std::chrono::duration_cast<std::chrono::nanoseconds>(opt.sample_every).count()) {
    if (step_ <= 0) step_ = 60'000'000'000;
  }

  bool file(const std::string& path, detail::progress_meter& meter, std::string& error) {
    line_reader r;
    if (!r.open(path)) {
      error = r.error();
      return false;
    }
    std::string_view line;
    bool header = false;
    while (r.next(line)) {
      if (line.empty()) continue;
      if (!header) {
        header = true;
        if (line != k_header) {
          error = detail::where(r) + "expected the Tardis incremental_book_L2 header \"" +
                  std::string(k_header) + "\"";
          return false;
        }
        continue;
      }
      if (!row(r, line, error)) return false;
      meter.tick(r);
    }
    if (!r.error().empty()) {
      error = r.error();
      return false;
    }
    if (!header) {
      error = path + ":1: empty file: expected the header \"" + std::string(k_header) + "\"";
      return false;
    }
    meter.file_done(r);
    return true;
  }

 private:
  bool row(const line_reader& r, std::string_view line, std::string& error) {
    detail::split_commas(line, f_);
    if (f_.size() != 8) {
      error = detail::where(r) + "expected 8 fields (" + std::string(k_header) + "), found " +
              std::to_string(f_.size());
      return false;
    }
    std::int64_t ts = 0, local = 0;
    if (!parse_i64(f_[2], ts)) return bad(r, "timestamp", "microseconds since the epoch", 2, error);
    if (!parse_i64(f_[3], local) || local < 0 || local > INT64_MAX / 1000)
      return bad(r, "local_timestamp", "microseconds since the epoch", 3, error);
    bool snap = false;
    if (f_[4] == "true") snap = true;
    else if (f_[4] != "false") return bad(r, "is_snapshot", "true or false", 4, error);
    core::side side = core::side::bid;
    if (f_[5] == "ask") side = core::side::ask;
    else if (f_[5] != "bid") return bad(r, "side", "bid or ask", 5, error);
    const auto price = parse_number(f_[6]);
    if (!price || price->mantissa <= 0)
      return bad(r, "price", "a decimal > 0", 6, error);
    const auto amount = parse_number(f_[7]);
    if (!amount || amount->mantissa < 0) return bad(r, "amount", "a decimal >= 0", 7, error);

    tracked_book* b = find(r, error);
    if (!b) return false;
    const std::int64_t t = local * 1000;
    if (!snap) {
      if (!b->has_snapshot) {  // updates before the first snapshot have nothing to apply to
        b->last_local = t;
        return true;
      }
      if (b->last_was_snapshot) finish_snapshot(*b);
      sample(*b, b->last_local, t);
    } else if (!b->last_was_snapshot) {
      for (core::side s : {core::side::bid, core::side::ask})
        b->book.set_coverage(s, book::coverage::full_book());
      b->book.clear();
      b->snap_levels[0] = b->snap_levels[1] = 0;
      b->has_snapshot = true;
    }
    if (const auto st = b->book.set(side, *price, *amount); !st) {
      error = detail::where(r) + "price " + std::string(f_[6]) + " amount " + std::string(f_[7]) +
              ": the book cannot hold it exactly (" + std::string(core::to_string(st.code())) + ")";
      return false;
    }
    if (snap && amount->mantissa > 0) {
      const auto i = static_cast<std::size_t>(side);
      const bool deeper = b->snap_levels[i] == 0 ||
                          core::compare_scaled(price->mantissa, price->scale,
                                               b->deepest[i].mantissa, b->deepest[i].scale) *
                                  (side == core::side::bid ? -1 : 1) > 0;
      if (deeper) b->deepest[i] = *price;
      ++b->snap_levels[i];
    }
    b->last_was_snapshot = snap;
    if (t > b->last_local) b->last_local = t;
    return true;
  }

  bool bad(const line_reader& r, const char* field, const char* expected, std::size_t i,
           std::string& error) {
    error = detail::where(r) + field + ": expected " + expected + ", found \"" +
            std::string(f_[i]) + "\"";
    return false;
  }

  tracked_book* find(const line_reader& r, std::string& error) {
    if (last_ && f_[0] == last_exchange_ && f_[1] == last_symbol_) return last_;
    key_.assign(f_[0]);
    key_ += '\x1f';
    key_.append(f_[1]);
    auto it = books_.find(key_);
    if (it == books_.end()) {
      std::string why;
      auto m = tardis_market(f_[0], f_[1], why);
      if (!m) {
        error = detail::where(r) + why;
        return nullptr;
      }
      auto b = std::make_unique<tracked_book>();
      if (m->quote != "USD") {
        const auto rate = opt_.usd_per_quote.find(m->quote);
        if (rate == opt_.usd_per_quote.end()) {
          error = detail::where(r) + "no USD rate for " + m->quote + " (quote of " +
                  std::string(f_[0]) + " " + std::string(f_[1]) + "): pass --rate " + m->quote +
                  "=<USD per unit>";
          return nullptr;
        }
        b->usd_rate = rate->second;
      }
      if (m->amounts_in_contracts) {
        const auto cv = opt_.contract_value.find(m->symbol);
        if (cv == opt_.contract_value.end()) {
          error = detail::where(r) + std::string(f_[0]) + " amounts are contracts: the contract " +
                  "value of " + m->symbol + " is needed (--contract-value " + m->symbol + "=X)";
          return nullptr;
        }
        b->contract_value = cv->second;
      }
      b->m = std::move(*m);
      b->tracker = std::make_unique<depth::band_tracker>(b->book, bands_);
      it = books_.emplace(key_, std::move(b)).first;
    }
    last_ = it->second.get();
    last_exchange_.assign(f_[0]);
    last_symbol_.assign(f_[1]);
    return last_;
  }

  // Samples the book at every boundary in (from, to] inside the window.
  void sample(tracked_book& b, std::int64_t from, std::int64_t to) {
    std::int64_t first = (from / step_ + 1) * step_;
    const std::int64_t w0 = ((opt_.window_start + step_ - 1) / step_) * step_;
    if (first < w0) first = w0;
    const std::int64_t last = std::min(to, opt_.window_end - 1);
    if (first > last) return;
    const depth::depth_view v = b.tracker->compute();
    if (!v.has_mid || v.overflow || v.best_bid.price >= v.best_ask.price) return;
    depth_sample s;
    s.venue = b.m.venue;
    s.symbol = b.m.symbol;
    for (std::size_t i = 0; i < v.band_count; ++i)
      for (core::side sd : {core::side::bid, core::side::ask}) {
        const auto& fig = v.bands[i][sd];
        if (!fig.complete) continue;
        s.side = sd;
        s.band_pct = bands_[i].pct;
        s.depth_usd =
            depth::to_usd(fig.notional, v.notional_scale(), {1, 0}, b.contract_value) * b.usd_rate;
        for (std::int64_t t = first; t <= last; t += step_) {
          s.time = t;
          visit_(s);
        }
      }
  }

  const sample_options& opt_;
  const sample_visitor& visit_;
  depth::band_set bands_;
  std::int64_t step_;
  std::vector<std::string_view> f_;
  std::unordered_map<std::string, std::unique_ptr<tracked_book>> books_;
  std::string key_, last_exchange_, last_symbol_;
  tracked_book* last_ = nullptr;
};

}  // namespace

bool samples_from_tardis(const std::vector<std::string>& files, const sample_options& opt,
                         const sample_visitor& visit, std::string& error) {
  tardis_reader reader(opt, visit);
  detail::progress_meter meter(opt, files);
  for (const auto& f : files)
    if (!reader.file(f, meter, error)) return false;
  return true;
}

}  // namespace depthmon::baseline
