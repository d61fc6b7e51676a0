// baseline source (b): depthmond's raw-frame recordings (replay/recording.hpp) replayed through
// the real codecs, sync machines and books; each venue's books are sampled at every boundary
// of `sample_every` in that venue's receive time (the state just before the first record at
// or after the boundary: what the daemon held at that instant). Memory: one record buffer per
// file plus the books themselves (streams replaced by planned reconnects are pruned).
#include <filesystem>
#include <map>
#include <string>

#include "baseline/sources.hpp"
#include "depth/valuation.hpp"
#include "replay/recording.hpp"
#include "venues/registry.hpp"

namespace depthmon::baseline {

namespace {

struct instrument {
  std::string quote;
  core::decimal contract_value{1, 0};
  bool known = false;
};

class raw_sampler {
 public:
  raw_sampler(const sample_options& opt, depth::band_set bands, const sample_visitor& visit)
      : opt_(opt), bands_(std::move(bands)), visit_(visit),
        every_(std::chrono::duration_cast<std::chrono::nanoseconds>(opt.sample_every).count()),
        replay_([&] {
          replay::recording_options ro;
          ro.bands = bands_;
          return ro;
        }()) {}

  // False with `error` on a book whose quote has no rate.
  bool on_record(const replay::record& r, core::venue v, std::string& error) {
    auto& next = next_boundary_[v];
    if (next == 0) {
      next = (r.recv / every_ + 1) * every_;
    } else if (r.recv >= next) {
      const core::unix_nanos at = (r.recv / every_) * every_;  // the latest boundary crossed
      if (at >= opt_.window_start && at < opt_.window_end && !sample(v, at, error)) return false;
      next = at + every_;
    }
    (void)replay_.feed(r);  // a frame a codec rejects is the book's problem (it resyncs), not ours
    if (++records_ % 100'000 == 0) replay_.prune();
    return true;
  }

 private:
  bool sample(core::venue v, core::unix_nanos at, std::string& error) {
    for (const auto& b : replay_.books()) {
      if (b.venue != v || !b.book->live()) continue;
      const depth::depth_view d = b.session->depth_of(*b.book);
      if (!d.has_mid || d.overflow) continue;
      const instrument& ins = instrument_of(v, *b.symbol);
      if (!ins.known) {
        error = std::string(core::to_string(v)) + " " + *b.symbol + ": its quote currency is not known to the venue's symbol rules";
        return false;
      }
      double rate = 1;
      if (auto it = opt_.usd_per_quote.find(ins.quote); it != opt_.usd_per_quote.end()) {
        rate = it->second;
      } else if (ins.quote != "USD") {
        error = "no USD rate for quote currency '" + ins.quote + "' (" + std::string(core::to_string(v)) + " " +
                *b.symbol + "): give it in usd_per_quote";
        return false;
      }
      for (std::size_t i = 0; i < d.band_count && i < bands_.size(); ++i)
        for (core::side s : {core::side::bid, core::side::ask}) {
          const depth::band_side& bs = d.bands[i][s];
          if (!bs.complete) continue;  // never a partial sum
          depth_sample ds;
          ds.venue = v;
          ds.symbol = *b.symbol;
          ds.side = s;
          ds.band_pct = bands_[i].pct;
          ds.depth_usd = depth::to_usd(bs.notional, d.notional_scale(), {1, 0}, ins.contract_value) * rate;
          ds.time = at;
          visit_(ds);
        }
    }
    return true;
  }

  const instrument& instrument_of(core::venue v, const std::string& symbol) {
    auto [it, fresh] = instruments_.try_emplace({v, symbol});
    if (!fresh) return it->second;
    if (auto spec = venues::make_spec(v, venues::protocol_options{}))
      if (auto info = spec.value()->instrument_of(symbol)) {
        it->second.quote = info.value().quote;
        it->second.contract_value = info.value().contract_value;
        it->second.known = true;
      }
    return it->second;
  }

  const sample_options& opt_;
  depth::band_set bands_;
  const sample_visitor& visit_;
  const core::unix_nanos every_;
  replay::recording_replay replay_;
  std::map<core::venue, core::unix_nanos> next_boundary_;
  std::map<std::pair<core::venue, std::string>, instrument> instruments_;
  std::uint64_t records_ = 0;
};

}  // namespace

bool samples_from_raw(const std::vector<std::string>& files, const sample_options& opt,
                      const sample_visitor& visit, std::string& error) {
  if (opt.sample_every.count() <= 0) {
    error = "sample_every must be positive";
    return false;
  }
  depth::band_set bands = depth::default_bands();
  if (!opt.bands_pct.empty()) {
    std::string csv;
    for (const auto& p : opt.bands_pct) csv += (csv.empty() ? "" : ",") + core::to_string(p);
    auto b = depth::parse_bands(csv);
    if (!b) {
      error = "bands " + csv + ": " + b.err().detail;
      return false;
    }
    bands = std::move(b).value();
  }
  std::uint64_t total = 0, done_before = 0;
  for (const auto& f : files) {
    std::error_code ec;
    const auto sz = std::filesystem::file_size(f, ec);
    if (!ec) total += sz;
  }
  raw_sampler sampler(opt, std::move(bands), visit);
  for (const auto& f : files) {
    replay::recording_reader in;
    if (!in.open(f, error)) return false;
    replay::record r;
    while (in.next(r)) {
      const auto v = core::venue_from_string(r.venue);
      if (!v) {
        error = f + ": record " + std::to_string(in.records()) + ": unknown venue '" + std::string(r.venue) + "'";
        return false;
      }
      if (!sampler.on_record(r, *v, error)) {
        error = f + ": record " + std::to_string(in.records()) + ": " + error;
        return false;
      }
      if (opt.progress && in.records() % 65'536 == 0) opt.progress(done_before + in.compressed_offset(), total);
    }
    if (!in.error().empty()) {
      error = in.error();
      return false;
    }
    done_before += in.file_size();
    if (opt.progress) opt.progress(done_before, total);
  }
  return true;
}

}  // namespace depthmon::baseline
