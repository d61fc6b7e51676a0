// venues/hyperliquid/settings.hpp — Hyperliquid's venue settings (protocol_options.settings).
//
//   nsigfigs = 2 | 3 | 4 | 5 | null   l2Book aggregation (null/unset = full precision). With
//              aggregation each level is a price bucket; Hyperliquid does not document where a
//              bucket's edges lie or how its px is rounded (UNCONFIRMED), so depth is computed
//              per level at the bucket px exactly as received — coarse buckets can shift an
//              edge level in or out of a band by up to one bucket.
//   mantissa = 1 | 2 | 5              only with nsigfigs=5
//   fast     = true | false           subscribe with "fast": 5 levels per side instead of 20
//   levels   = N (1..10000)           how many levels Hyperliquid shows per side, i.e. the
//              coverage boundary top_n(N); default 20, or 5 with fast=true
//
// One protocol instance reads one aggregation: l2Book data does not say which nSigFigs it was
// produced with, so two subscriptions of one coin must live on separate connections.
//
// Threads: plain values. Errors: invalid_argument with a detail naming the setting.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "core/result.hpp"

namespace depthmon::venues::hyperliquid {

struct settings {
  std::optional<int> n_sig_figs;  // nullopt = full precision
  std::optional<int> mantissa;
  bool fast = false;
  std::uint32_t levels = 20;  // coverage: levels shown per side
};

core::result<settings> parse_settings(const std::map<std::string, std::string>& kv);

}  // namespace depthmon::venues::hyperliquid
