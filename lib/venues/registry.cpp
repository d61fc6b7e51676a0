// The venue table, generated from the list in core/ids.hpp: no per-venue code here.
#include "venues/registry.hpp"

#include <array>

namespace depthmon::venues {
namespace {

constexpr std::array<const venue_entry& (*)() noexcept, core::all_venues.size()> k_entries{
#define DEPTHMON_VENUE_ENTRY(id, name, folder) &entry_of<core::venue::id>,
    DEPTHMON_VENUE_LIST(DEPTHMON_VENUE_ENTRY)
#undef DEPTHMON_VENUE_ENTRY
};

const std::array<const venue_entry*, core::all_venues.size()>& table() noexcept {
  static const auto t = [] {
    std::array<const venue_entry*, core::all_venues.size()> out{};
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = &k_entries[i]();
    return out;
  }();
  return t;
}

}  // namespace

std::span<const venue_entry* const> venue_table() noexcept { return table(); }

const venue_entry& entry(core::venue v) noexcept { return *table()[static_cast<std::size_t>(v)]; }

const venue_entry* find_venue(std::string_view name) noexcept {
  for (const auto* e : table())
    if (e->name() == name) return e;
  return nullptr;
}

bool uses_rest_snapshot(core::venue v) noexcept { return entry(v).uses_rest_snapshot; }

core::result<std::unique_ptr<venue_spec>> make_spec(core::venue v, const protocol_options& opt) {
  return entry(v).make_spec(opt);
}

core::result<std::unique_ptr<venue_protocol>> make_protocol(core::venue v,
                                                            const protocol_options& opt) {
  const venue_entry& e = entry(v);
  auto spec = e.make_spec(opt);
  if (!spec) return spec.err();
  auto p = e.make_protocol(opt);
  if (!p) return p.err();
  venue_protocol& vp = *p.value();
  vp.configured_ = opt.symbols;
  vp.policy_ = opt.recovery;
  if (vp.policy_.venue_spacing == 0) {
    // A resubscribe costs two client frames; REST venues get a fixed spacing.
    const rate r = spec.value()->limits().client_messages;
    vp.policy_.venue_spacing =
        r.known() ? core::unix_nanos{2} * r.per_seconds * 1'000'000'000 / r.count : 200'000'000;
  }
  vp.spec_ = std::move(spec).value();
  return p;
}

std::string venues_usage() {
  std::string out = "venues:";
  std::size_t col = 7;
  for (const auto* e : table()) {
    if (col + 1 + e->name().size() > 78) {
      out += "\n       ";
      col = 7;
    }
    out += ' ';
    out += e->name();
    col += 1 + e->name().size();
  }
  out += "\nsettings (--set KEY=VALUE):\n";
  for (const auto* e : table()) {
    out += "  ";
    out += e->name();
    out += ": ";
    out += e->settings_help.empty() ? std::string_view("none") : e->settings_help;
    out += '\n';
  }
  return out;
}

}  // namespace depthmon::venues
