// venues/common/settings.hpp — checking a venue's `key=value` settings (protocol_options).
//
// Every venue's factory validates its settings before anything is built: an unknown key is an
// error that names the key and lists the valid ones, e.g.
//   "binance: unknown setting 'nonsense' (this venue takes no settings)"
//   "kraken: unknown setting 'dept' (valid: depth, precision.<SYMBOL>)".
// Keys ending in '.' in the valid list are prefixes ("precision." matches "precision.BTC/USD").
//
// Threads: startup only. Errors: invalid_argument. Such an error's detail is built at run time;
// it is interned for the process's lifetime so that core::error can keep pointing at it
// (a handful of distinct texts per run: no growth worth bounding).
#pragma once

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>

#include "core/ids.hpp"
#include "core/result.hpp"

namespace depthmon::venues {

// A process-lifetime copy of `text` (the same pointer for equal texts).
const char* intern(std::string_view text);

// invalid_argument with `text` as its (interned) detail.
core::error settings_error(std::string_view text);

// Fails on the first key of `kv` not in `valid` ("prefix." entries match by prefix).
core::status check_setting_keys(core::venue v, const std::map<std::string, std::string>& kv,
                                std::initializer_list<std::string_view> valid);

}  // namespace depthmon::venues
