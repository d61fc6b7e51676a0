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

// The connection contract of `v` for `opt` (settings validated, endpoint overrides applied).
core::result<std::unique_ptr<venue_spec>> make_spec(core::venue v, const protocol_options& opt);

// "venues: binance binance-usdm ..." and one line per venue with settings, for CLI usage texts.
std::string venues_usage();

}  // namespace depthmon::venues
