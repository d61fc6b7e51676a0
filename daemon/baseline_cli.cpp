#include "baseline_cli.hpp"

#include <unistd.h>

#include <chrono>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "baseline/baseline_file.hpp"
#include "baseline/builder.hpp"
#include "baseline/sources.hpp"
#include "config/config.hpp"
#include "depth/bands.hpp"

namespace depthmon::cli {
namespace {

constexpr const char* k_usage =
    "usage: depthmon baseline build --from history|raw|tardis|coinmetrics [--config FILE]\n"
    "           [--state-dir DIR] [--window 2025-10-01T00:00Z/2025-10-10T00:00Z]\n"
    "           [--statistic median|pNN] [--min-samples N] [--bands 1,2,5] [--rate USDT=1]...\n"
    "           [--contract-value SYM=X]... [--skip-insufficient] --out FILE [INPUT...]\n"
    "       depthmon baseline show FILE\n";

int usage_error(const std::string& msg) {
  std::fprintf(stderr, "depthmon baseline: %s\n%s", msg.c_str(), k_usage);
  return 2;
}

// RFC 3339 UTC, seconds optional ("2025-10-01T00:00Z" as the issue writes windows).
std::optional<core::unix_nanos> parse_instant(std::string s) {
  if (s.size() == 17 && s[10] == 'T' && s[13] == ':' && (s[16] == 'Z' || s[16] == 'z'))
    s.insert(16, ":00");
  const auto t = core::parse_rfc3339(s);
  if (!t) return std::nullopt;
  return *t;
}

bool parse_pair(const std::string& v, std::string& name, core::decimal& value) {
  const auto eq = v.find('=');
  if (eq == std::string::npos || eq == 0) return false;
  name = v.substr(0, eq);
  const auto d = core::parse_decimal(std::string_view(v).substr(eq + 1));
  if (!d || d->mantissa <= 0) return false;
  value = *d;
  return true;
}

double to_double(core::decimal d) {
  return static_cast<double>(d.mantissa) / static_cast<double>(core::pow10_i64(d.scale));
}

// One line on a terminal, redrawn: bytes done / total and the rate since the start.
class terminal_progress {
 public:
  terminal_progress() : on_(::isatty(STDERR_FILENO) == 1), start_(clock::now()) {}
  bool on() const noexcept { return on_; }
  void operator()(std::uint64_t done, std::uint64_t total) {
    const double s = std::chrono::duration<double>(clock::now() - start_).count();
    const double mb = static_cast<double>(done) / 1e6;
    if (total > 0)
      std::fprintf(stderr, "\r\033[K%.1f / %.1f MB (%.0f %%), %.1f MB/s", mb,
                   static_cast<double>(total) / 1e6,
                   100.0 * static_cast<double>(done) / static_cast<double>(total),
                   s > 0 ? mb / s : 0.0);
    else
      std::fprintf(stderr, "\r\033[K%.1f MB, %.1f MB/s", mb, s > 0 ? mb / s : 0.0);
    std::fflush(stderr);
    drawn_ = true;
  }
  void finish() {
    if (drawn_) std::fputs("\n", stderr);
  }

 private:
  using clock = std::chrono::steady_clock;
  bool on_;
  bool drawn_ = false;
  clock::time_point start_;
};

int run_build(int argc, char** argv) {
  std::string from, config_file, state_dir, window, statistic, out, bands;
  std::optional<std::uint64_t> min_samples;
  bool skip = false;
  std::vector<std::string> inputs;
  baseline::sample_options sopt;
  for (int i = 0; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](std::string& into) {
      if (i + 1 >= argc) return false;
      into = argv[++i];
      return true;
    };
    std::string v;
    if (a == "--from") {
      if (!value(from)) return usage_error("--from needs a value");
    } else if (a == "--config") {
      if (!value(config_file)) return usage_error("--config needs a file");
    } else if (a == "--state-dir") {
      if (!value(state_dir)) return usage_error("--state-dir needs a directory");
    } else if (a == "--window") {
      if (!value(window)) return usage_error("--window needs START/END");
    } else if (a == "--statistic") {
      if (!value(statistic)) return usage_error("--statistic needs median or pNN");
    } else if (a == "--min-samples") {
      if (!value(v)) return usage_error("--min-samples needs a number");
      std::uint64_t n = 0;
      const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      if (ec != std::errc{} || p != v.data() + v.size() || n == 0)
        return usage_error("--min-samples expects an integer >= 1, got '" + v + "'");
      min_samples = n;
    } else if (a == "--bands") {
      if (!value(bands)) return usage_error("--bands needs a list such as 1,2,5");
    } else if (a == "--rate") {
      std::string cur;
      core::decimal d;
      if (!value(v) || !parse_pair(v, cur, d))
        return usage_error("--rate expects CURRENCY=USD_PER_UNIT (e.g. USDT=1), got '" + v + "'");
      sopt.usd_per_quote[cur] = to_double(d);
    } else if (a == "--contract-value") {
      std::string sym;
      core::decimal d;
      if (!value(v) || !parse_pair(v, sym, d))
        return usage_error("--contract-value expects SYMBOL=BASE_PER_CONTRACT, got '" + v + "'");
      sopt.contract_value[sym] = d;
    } else if (a == "--skip-insufficient") {
      skip = true;
    } else if (a == "--out") {
      if (!value(out)) return usage_error("--out needs a file");
    } else if (a == "--help" || a == "-h") {
      std::fputs(k_usage, stdout);
      return 0;
    } else if (a.starts_with("--")) {
      return usage_error("unknown option '" + a + "'");
    } else {
      inputs.push_back(a);
    }
  }
  if (from.empty()) return usage_error("--from is required");
  if (from != "history" && from != "raw" && from != "tardis" && from != "coinmetrics")
    return usage_error("--from expects history, raw, tardis or coinmetrics, got '" + from + "'");
  if (out.empty()) return usage_error("--out is required");
  if (from == "history" && !inputs.empty())
    return usage_error("--from history reads the state directory's store, not INPUT files");
  if (from != "history" && inputs.empty()) return usage_error("--from " + from + " needs INPUT files");

  baseline::build_options bopt;
  std::string history_file = "history.sqlite";
  if (!config_file.empty()) {
    config::daemon_config cfg;
    std::vector<config::config_error> errors;
    if (!config::load_config(config_file, cfg, errors)) {
      for (const auto& e : errors) std::fprintf(stderr, "%s\n", e.to_string().c_str());
      return 2;
    }
    if (state_dir.empty()) state_dir = cfg.state_dir;
    history_file = cfg.history.file;
    bopt.window_start = cfg.baseline.window_start;
    bopt.window_end = cfg.baseline.window_end;
    bopt.quantile = cfg.baseline.quantile;
    bopt.min_samples = cfg.history.min_samples;
    for (const auto& r : cfg.rates)
      if (r.fixed && !sopt.usd_per_quote.count(r.currency))
        sopt.usd_per_quote[r.currency] = to_double(*r.fixed);
  }
  if (!window.empty()) {
    const auto slash = window.find('/');
    const auto ws = slash == std::string::npos ? std::nullopt : parse_instant(window.substr(0, slash));
    const auto we = slash == std::string::npos ? std::nullopt : parse_instant(window.substr(slash + 1));
    if (!ws || !we || *we <= *ws)
      return usage_error("--window expects START/END in RFC 3339 UTC with START < END, got '" +
                         window + "'");
    bopt.window_start = *ws;
    bopt.window_end = *we;
  }
  if (!statistic.empty() && !baseline::parse_statistic(statistic, bopt.quantile))
    return usage_error("--statistic expects median or pNN (0..100), got '" + statistic + "'");
  if (min_samples) bopt.min_samples = *min_samples;
  bopt.skip_insufficient = skip;
  if (!bands.empty()) {
    auto b = depth::parse_bands(bands);
    if (!b) return usage_error(std::string("--bands: ") + b.err().detail + " in '" + bands + "'");
    for (const auto& x : *b) sopt.bands_pct.push_back(x.pct);
    bopt.bands_pct = sopt.bands_pct;
  }
  sopt.window_start = bopt.window_start;
  sopt.window_end = bopt.window_end;

  terminal_progress progress;
  if (progress.on()) sopt.progress = [&](std::uint64_t d, std::uint64_t t) { progress(d, t); };
  baseline::builder b(bopt);
  const baseline::sample_visitor visit = [&](const baseline::depth_sample& s) { b.add(s); };
  std::string error;
  bool ok = false;
  if (from == "history") {
    if (state_dir.empty()) return usage_error("--from history needs --state-dir or --config");
    const std::filesystem::path hf(history_file);
    const std::string path = hf.is_absolute() ? hf.string() : (std::filesystem::path(state_dir) / hf).string();
    if (!std::filesystem::exists(path)) {
      std::fprintf(stderr, "depthmon baseline: %s: no history store there\n", path.c_str());
      return 1;
    }
    auto store = baseline::history_store::open(path, error);
    ok = store && baseline::samples_from_history(*store, sopt, visit, error);
  } else if (from == "raw") {
    ok = baseline::samples_from_raw(inputs, sopt, visit, error);
  } else if (from == "tardis") {
    ok = baseline::samples_from_tardis(inputs, sopt, visit, error);
  } else {
    ok = baseline::samples_from_coinmetrics(inputs, sopt, visit, error);
  }
  progress.finish();
  if (!ok) {
    std::fprintf(stderr, "depthmon baseline: %s\n", error.c_str());
    return 1;
  }
  std::vector<baseline::entry> entries;
  std::vector<baseline::shortfall> skipped;
  if (!b.reduce(entries, skipped, error)) {
    std::fprintf(stderr, "depthmon baseline: %s\n", error.c_str());
    return 1;
  }
  for (const auto& s : skipped)
    std::fprintf(stderr, "depthmon baseline: skipped %s\n", s.to_string(bopt.min_samples).c_str());
  if (!baseline::write_baseline(out, entries, error)) {
    std::fprintf(stderr, "depthmon baseline: %s\n", error.c_str());
    return 1;
  }
  std::fprintf(stderr, "depthmon baseline: wrote %s: %zu figures from %llu samples (%zu skipped)\n",
               out.c_str(), entries.size(), static_cast<unsigned long long>(b.samples()),
               skipped.size());
  return 0;
}

std::string format_usd(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f", v);
  std::string digits(buf), out;
  // Thousands separators: depth figures run to millions.
  const std::size_t lead = digits.size() % 3;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (i - lead) % 3 == 0 && digits[i - 1] != '-') out += ' ';
    out += digits[i];
  }
  return out;
}

int run_show(int argc, char** argv) {
  if (argc != 1) return usage_error("show takes exactly one FILE");
  baseline::table t;
  std::vector<baseline::load_error> errors;
  if (!baseline::load_baseline(argv[0], t, errors)) {
    for (const auto& e : errors) std::fprintf(stderr, "%s\n", e.to_string().c_str());
    return 1;
  }
  std::printf("%-18s %-16s %-4s %7s %18s %8s  %s\n", "venue", "symbol", "side", "band %",
              "depth USD", "samples", "window");
  for (const auto& e : t.entries())
    std::printf("%-18s %-16s %-4s %7s %18s %8llu  %s/%s\n",
                std::string(core::to_string(e.venue)).c_str(), e.symbol.c_str(),
                std::string(core::to_string(e.side)).c_str(), core::to_string(e.band_pct).c_str(),
                format_usd(e.depth_usd).c_str(), static_cast<unsigned long long>(e.samples),
                core::format_rfc3339(e.window_start).c_str(),
                core::format_rfc3339(e.window_end).c_str());
  return 0;
}

}  // namespace

int run_baseline(int argc, char** argv) {
  if (argc < 1) return usage_error("expected build or show");
  const std::string_view sub = argv[0];
  if (sub == "build") return run_build(argc - 1, argv + 1);
  if (sub == "show") return run_show(argc - 1, argv + 1);
  if (sub == "--help" || sub == "-h") {
    std::fputs(k_usage, stdout);
    return 0;
  }
  return usage_error("unknown subcommand '" + std::string(sub) + "' (build, show)");
}

}  // namespace depthmon::cli
