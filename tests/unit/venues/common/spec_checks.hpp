// Checks every venue's connection contract must pass (venues/spec.hpp), used by each venue's
// spec_test.cpp: make a spec through the registry, with or without endpoint overrides, and
// verify that what it builds is well-formed and its limits are sane.
#pragma once

#include <catch2/catch.hpp>
#include <simdjson.h>

#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "venues/registry.hpp"

namespace spec_test {

using namespace depthmon;

inline std::unique_ptr<venues::venue_spec> make(core::venue v, std::vector<std::string> symbols = {},
                                                std::map<std::string, std::string> settings = {},
                                                std::string ws_url = {}, std::string rest_url = {}) {
  venues::protocol_options o;
  o.symbols = std::move(symbols);
  o.settings = std::move(settings);
  o.ws_url = std::move(ws_url);
  o.rest_url = std::move(rest_url);
  auto s = venues::make_spec(v, o);
  REQUIRE(s.ok());
  return std::move(s).value();
}

// Base, quote and contract value of `sym` as the spec names them (all "" for an error).
using inst = std::tuple<std::string, std::string, std::string>;
inline inst instrument(const venues::venue_spec& s, std::string_view sym,
                       const std::map<std::string, std::string>& kv = {}) {
  auto i = s.instrument_of(sym, kv);
  if (!i) return {"", "", ""};
  return {i.value().base, i.value().quote, core::to_string(i.value().contract_value)};
}

// Every frame is one JSON document (or the venue's documented text ping).
inline void check_json(const std::vector<std::string>& frames) {
  simdjson::dom::parser p;
  for (const auto& f : frames) {
    INFO(f);
    simdjson::dom::element e;
    CHECK(p.parse(f).get(e) == simdjson::SUCCESS);
  }
}

inline void check_rate(const venues::rate& r) {
  if (r.count == 0) {
    CHECK(r.per_seconds == 0);  // unknown is 0/0, never half a limit
  } else {
    CHECK(r.per_seconds > 0);
    CHECK(r.per_seconds <= 3600);
  }
}

// The invariants of venue_limits and keep_alive, whatever the venue.
inline void check_sane(const venues::venue_spec& s) {
  const auto l = s.limits();
  CHECK(l.streams_per_symbol >= 1);
  check_rate(l.client_messages);
  check_rate(l.connections);
  for (std::size_t i = 1; i < l.snapshot_weight.size(); ++i) {
    CHECK(l.snapshot_weight[i - 1].max_depth < l.snapshot_weight[i].max_depth);
    CHECK(l.snapshot_weight[i - 1].weight <= l.snapshot_weight[i].weight);
  }
  for (const auto& w : l.snapshot_weight) CHECK(w.weight > 0);
  // Only REST-initialised venues have a snapshot request, and then a weight for it.
  const bool rest = venues::uses_rest_snapshot(s.venue());
  CHECK(s.snapshot_request("X", 100).has_value() == rest);
  CHECK(l.snapshot_weight.empty() == !rest);
  const auto k = s.keepalive();
  if (!k.payload.empty()) {
    CHECK(k.interval_ms > 0);
    if (k.idle_timeout_ms) CHECK(k.interval_ms < k.idle_timeout_ms);  // sent before the cut
  }
  CHECK(s.base().ws_url.starts_with("wss://"));
  CHECK(s.base().rest_url.starts_with("https://"));
}

}  // namespace spec_test
