// venues/registry.hpp — the venue table: every venue's name, factories and REST needs.
//
// One entry per core::venue (the list in core/ids.hpp). Each venue folder defines its entry as
// the specialisation `entry_of<core::venue::X>()` (in its spec.cpp), so the table in
// registry.cpp has no per-venue code and a listed venue without an entry fails to link.
// A feed or CLI drives any venue through this table and the venue_spec it makes.
//
// Threads: immutable after static initialisation. Errors: factories return invalid_argument
// with a detail naming the problem (unknown setting keys are named and the valid ones listed).
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "venues/protocol.hpp"
#include "venues/spec.hpp"

namespace depthmon::venues {

struct venue_entry {
  core::venue id;
  bool uses_rest_snapshot = false;  // books start from a REST snapshot (--snapshot)
  std::string_view settings_help;   // the accepted settings, for usage texts ("" = none)
  core::result<std::unique_ptr<venue_protocol>> (*make_protocol)(const protocol_options&);
  core::result<std::unique_ptr<venue_spec>> (*make_spec)(const protocol_options&);

  std::string_view name() const noexcept { return core::to_string(id); }
};

// Defined once per venue, in the venue's folder.
template <core::venue V>
const venue_entry& entry_of() noexcept;
#define DEPTHMON_VENUE_ENTRY_DECL(id, name, folder) \
  template <>                                      \
  const venue_entry& entry_of<core::venue::id>() noexcept;
DEPTHMON_VENUE_LIST(DEPTHMON_VENUE_ENTRY_DECL)
#undef DEPTHMON_VENUE_ENTRY_DECL

// Every registered venue, in core::all_venues order.
std::span<const venue_entry* const> venue_table() noexcept;
const venue_entry& entry(core::venue v) noexcept;
const venue_entry* find_venue(std::string_view name) noexcept;

// Live endpoints of a venue (spec.hpp), as static constants for venue_factories.
struct endpoint_defaults {
  std::string_view ws_url;
  std::string_view rest_url;
};

// The two factories of a venue whose protocol and spec are built from one validated settings
// value: `check(opt)` returns core::result<Settings> (symbols and settings validated, unknown
// keys refused); Protocol is built from (Settings, opt) or (opt), Spec from (endpoints,
// Settings) or (endpoints), with the endpoints overridden by opt.ws_url / opt.rest_url.
template <class Protocol, class Spec, auto check, const endpoint_defaults& defaults>
struct venue_factories {
  static core::result<std::unique_ptr<venue_protocol>> protocol(const protocol_options& opt) {
    auto s = check(opt);
    if (!s) return s.err();
    using settings_t = std::decay_t<decltype(s.value())>;
    if constexpr (std::is_constructible_v<Protocol, settings_t, const protocol_options&>)
      return std::unique_ptr<venue_protocol>(std::make_unique<Protocol>(std::move(s).value(), opt));
    else
      return std::unique_ptr<venue_protocol>(std::make_unique<Protocol>(opt));
  }
  static core::result<std::unique_ptr<venue_spec>> spec(const protocol_options& opt) {
    auto s = check(opt);
    if (!s) return s.err();
    endpoints e = with_overrides({std::string(defaults.ws_url), std::string(defaults.rest_url)},
                                 opt.ws_url, opt.rest_url);
    using settings_t = std::decay_t<decltype(s.value())>;
    if constexpr (std::is_constructible_v<Spec, endpoints, settings_t>)
      return std::unique_ptr<venue_spec>(std::make_unique<Spec>(std::move(e), std::move(s).value()));
    else
      return std::unique_ptr<venue_spec>(std::make_unique<Spec>(std::move(e)));
  }
};

// Defines entry_of<core::venue::id>() (at global scope, in the venue's spec.cpp) for a venue
// whose factories are venue_factories<Protocol, Spec, check, defaults>.
#define DEPTHMON_DEFINE_VENUE(id, uses_rest_snapshot, settings_help, Protocol, Spec, check,     \
                             defaults)                                                        \
  namespace depthmon::venues {                                                                \
  template <>                                                                                 \
  const venue_entry& entry_of<core::venue::id>() noexcept {                                   \
    using f = venue_factories<Protocol, Spec, check, defaults>;                               \
    static const venue_entry e{core::venue::id, uses_rest_snapshot, settings_help,            \
                               &f::protocol, &f::spec};                                       \
    return e;                                                                                 \
  }                                                                                           \
  }

// Symbols must not be empty: `what` ("bybit: empty symbol") otherwise.
inline core::status require_symbols(std::span<const std::string> symbols, const char* what) {
  for (const auto& s : symbols)
    if (s.empty()) return {core::errc::invalid_argument, what};
  return {};
}

// What check() returns for a venue without settings.
struct no_settings {};

// The connection contract of `v` for `opt` (settings validated, endpoint overrides applied).
core::result<std::unique_ptr<venue_spec>> make_spec(core::venue v, const protocol_options& opt);

// "venues: binance binance-usdm ..." and one line per venue with settings, for CLI usage texts.
std::string venues_usage();

}  // namespace depthmon::venues
