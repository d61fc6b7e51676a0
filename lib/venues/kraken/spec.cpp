#include "venues/kraken/spec.hpp"

#include "core/json_escape.hpp"
#include "venues/kraken/sync.hpp"
#include "venues/registry.hpp"

namespace depthmon::venues::kraken {
namespace {

constexpr std::size_t k_per_message = 100;

void append_list(std::string& out, std::span<const std::string> items) {
  out.push_back('[');
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out.push_back(',');
    core::append_json_string(out, items[i]);
  }
  out.push_back(']');
}

}  // namespace

std::vector<std::string> spec::book_messages(bool subscribe,
                                             std::span<const std::string> symbols) const {
  const std::string depth = std::to_string(settings_.depth);
  return batched(symbols, k_per_message, [&](auto chunk, std::size_t n) {
    std::string out;
    if (api_ == api::v2) {
      out = subscribe ? R"({"method":"subscribe")" : R"({"method":"unsubscribe")";
      out += R"(,"params":{"channel":"book","symbol":)";
      append_list(out, chunk);
      out += ",\"depth\":" + depth;
      if (subscribe) out += ",\"snapshot\":true";
      out += "},\"req_id\":" + std::to_string(subscribe ? n : 1000 + n) + "}";
    } else {
      out = subscribe ? R"({"event":"subscribe","pair":)" : R"({"event":"unsubscribe","pair":)";
      append_list(out, chunk);
      out += R"(,"subscription":{"name":"book","depth":)" + depth + "}}";
    }
    return out;
  });
}

connection_plan spec::connect(std::span<const std::string> symbols) const {
  connection_plan plan{base().ws_url, {}};
  if (api_ == api::v2) {
    // Pairs without a configured precision learn it from the instrument channel; subscribe to
    // it first so that its snapshot arrives before the books'.
    for (const auto& s : symbols)
      if (!settings_.precisions.count(s)) {
        plan.frames.emplace_back(
            R"({"method":"subscribe","params":{"channel":"instrument","snapshot":true},"req_id":100})");
        break;
      }
  }
  for (auto& f : subscribe(symbols)) plan.frames.push_back(std::move(f));
  return plan;
}

std::vector<std::string> spec::subscribe(std::span<const std::string> symbols) const {
  return book_messages(true, symbols);
}

std::vector<std::string> spec::unsubscribe(std::span<const std::string> symbols) const {
  return book_messages(false, symbols);
}

keep_alive spec::keepalive() const {
  return {api_ == api::v2 ? R"({"method":"ping"})" : R"({"event":"ping"})", 30'000, false, 60'000};
}

core::result<instrument_info> spec::instrument_of(
    std::string_view symbol, const std::map<std::string, std::string>&) const {
  auto i = split_separated(symbol, '/');
  if (!i) return i;
  // v1 (and Kraken's REST) use the old ISO-style codes for some assets.
  for (std::string* c : {&i.value().base, &i.value().quote}) {
    if (*c == "XBT") *c = "BTC";
    else if (*c == "XDG") *c = "DOGE";
  }
  return i;
}

venue_limits spec::limits() const {
  venue_limits l;
  l.symbols_per_subscribe = k_per_message;
  l.connections = {150, 600};
  return l;
}

// ---- registration ---------------------------------------------------------------------

namespace {

template <api A>
core::result<std::unique_ptr<venue_protocol>> make(const protocol_options& opt) {
  auto s = parse_settings(A == api::v2 ? core::venue::kraken : core::venue::kraken_v1,
                          opt.settings);
  if (!s) return s.err();
  return std::unique_ptr<venue_protocol>(std::make_unique<protocol>(A, opt, std::move(s).value()));
}

template <api A>
core::result<std::unique_ptr<venue_spec>> make_spec(const protocol_options& opt) {
  auto s = parse_settings(A == api::v2 ? core::venue::kraken : core::venue::kraken_v1,
                          opt.settings);
  if (!s) return s.err();
  const std::string ws(A == api::v2 ? v2_public_url : v1_public_url);
  return std::unique_ptr<venue_spec>(std::make_unique<spec>(
      A, with_overrides({ws, std::string(rest_url)}, opt.ws_url, opt.rest_url),
      std::move(s).value()));
}

constexpr std::string_view k_help = "depth=10|25|100|500|1000, precision.<SYMBOL>=P:Q";

}  // namespace
}  // namespace depthmon::venues::kraken

namespace depthmon::venues {
template <>
const venue_entry& entry_of<core::venue::kraken>() noexcept {
  static const venue_entry e{core::venue::kraken, false, kraken::k_help,
                             &kraken::make<kraken::api::v2>, &kraken::make_spec<kraken::api::v2>};
  return e;
}

template <>
const venue_entry& entry_of<core::venue::kraken_v1>() noexcept {
  static const venue_entry e{core::venue::kraken_v1, false, kraken::k_help,
                             &kraken::make<kraken::api::v1>, &kraken::make_spec<kraken::api::v1>};
  return e;
}
}  // namespace depthmon::venues
