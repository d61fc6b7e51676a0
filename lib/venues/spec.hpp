// venues/spec.hpp — the connection contract: what a feed needs to drive a venue without
// knowing which venue it is.
//
// A venue_spec answers, for one venue and its validated settings: where to connect (base
// endpoints as the venue documents them, overridable, plus the documented paths), what to send
// to subscribe and unsubscribe symbols, how to keep a connection alive, which REST requests
// fetch a snapshot or instrument metadata, and the venue's published limits (streams per
// connection, client messages and connection attempts per interval, REST weight per snapshot
// depth). The feed opens connect(symbols).url, sends its frames, honours keepalive(), serves a
// request::kind::resubscribe with unsubscribe({sym}) then subscribe({sym}) and a
// fetch_snapshot with snapshot_request(sym, depth) against rest_url(); it shards symbols by
// limits(). Facts and their sources: docs/protocols.md; a limit the venue does not document
// is 0 (unknown), never a guess.
//
// Threads: immutable after construction; safe to share. Errors: builders cannot fail (symbols
// are JSON-escaped); invalid settings are rejected when the spec is made (venues/registry.hpp).
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"

namespace depthmon::venues {

// Base endpoints as the venue's documentation writes them (DESIGN.md ws_url / rest_url).
struct endpoints {
  std::string ws_url;    // e.g. wss://stream.binance.com:9443
  std::string rest_url;  // e.g. https://api.binance.com; empty: the venue needs no REST
};

// One HTTP request relative to endpoints::rest_url.
struct http_request {
  std::string method = "GET";
  std::string path;   // "/api/v3/depth"
  std::string query;  // "symbol=BTCUSDT&limit=5000", already encoded; may be empty
  std::string body;   // POST body (JSON); empty for GET

  std::string target() const { return query.empty() ? path : path + "?" + query; }
  friend bool operator==(const http_request&, const http_request&) = default;
};

struct keep_alive {
  std::string payload;                // text frame the client sends to keep the connection open;
                                      // empty = none (websocket control frames suffice)
  std::uint32_t interval_ms = 0;      // send `payload` after this long without sending; 0 = never
  bool server_pings = false;          // the server sends websocket pings; answer with pongs
  std::uint32_t idle_timeout_ms = 0;  // the server drops a connection this quiet (0 = unknown)
  // `interval_ms` counts from the last frame received, not sent: ping only after that long
  // without incoming traffic (OKX: "if no data is received within N < 30 s, send ping").
  bool after_receive_idle = false;
};

// `count` events per `per_seconds`; 0/0 = the venue documents no limit.
struct rate {
  std::uint32_t count = 0;
  std::uint32_t per_seconds = 0;
  bool known() const noexcept { return count != 0 && per_seconds != 0; }
};

// REST weight of one snapshot asking for at most `max_depth` levels.
struct weight_step {
  std::uint32_t max_depth = 0;
  std::uint32_t weight = 0;
};

struct venue_limits {
  std::uint32_t streams_per_connection = 0;  // venue streams (channels, topics) per connection
  std::uint32_t streams_per_symbol = 1;      // streams one book subscribes
  std::uint32_t symbols_per_subscribe = 0;   // symbols one subscribe frame may carry (0 = any)
  rate client_messages;                      // frames the client may send (subscribe, ping...)
  rate connections;                          // connection attempts (per IP)
  std::uint32_t max_connections = 0;         // open connections at once (per IP)
  std::vector<weight_step> snapshot_weight;  // ascending max_depth; empty = no REST snapshot
  std::uint32_t rest_weight_per_minute = 0;  // REST weight budget per IP and minute (0 = unknown)

  // Books one connection may carry (0 = no documented cap).
  std::uint32_t symbols_per_connection() const noexcept {
    return streams_per_connection / (streams_per_symbol ? streams_per_symbol : 1);
  }
  // Weight of a snapshot of `depth` levels: the first step that covers it (0 = none).
  std::uint32_t snapshot_weight_for(std::uint32_t depth) const noexcept {
    for (const auto& w : snapshot_weight)
      if (depth <= w.max_depth) return w.weight;
    return snapshot_weight.empty() ? 0 : snapshot_weight.back().weight;
  }
};

// What a venue-native symbol trades: base and quote currency (upper case, the venue's aliases
// mapped: Kraken XBT -> BTC), and base units per contract (1 for spot and base-sized contracts).
struct instrument_info {
  std::string base;
  std::string quote;
  core::decimal contract_value{1, 0};
  friend bool operator==(const instrument_info&, const instrument_info&) = default;
};

// What to open and send to serve `symbols` on one new connection.
struct connection_plan {
  std::string url;                  // full websocket URL (base + documented path)
  std::vector<std::string> frames;  // text frames to send once open, in order
};

class venue_spec {
 public:
  explicit venue_spec(endpoints base) : base_(std::move(base)) {}
  virtual ~venue_spec() = default;

  virtual core::venue venue() const noexcept = 0;
  const endpoints& base() const noexcept { return base_; }

  // Default: the base URL plus ws_path(), then subscribe(symbols).
  virtual connection_plan connect(std::span<const std::string> symbols) const;
  // Frames that add / remove `symbols` on an open connection (batched per the venue's limits).
  virtual std::vector<std::string> subscribe(std::span<const std::string> symbols) const = 0;
  virtual std::vector<std::string> unsubscribe(std::span<const std::string> symbols) const = 0;
  virtual keep_alive keepalive() const = 0;
  // The REST snapshot of `symbol` asking for `depth` levels (0 = the venue's default);
  // nullopt for venues whose books start from a websocket snapshot.
  virtual std::optional<http_request> snapshot_request(std::string_view symbol,
                                                       std::uint32_t depth) const;
  // The REST request that discovers what settings did not supply for `symbol` (precisions,
  // contract values); nullopt when nothing is needed.
  virtual std::optional<http_request> metadata_request(std::string_view symbol) const;
  // Applies the body metadata_request(symbol) answered with: what it teaches becomes entries of
  // `settings` (the protocol_options settings protocols are then built from), each only where
  // no setting gives it already. Default: nothing to learn. Errors: a body that is not the
  // venue's answer or lacks the value (the caller runs on settings then; nothing changed).
  virtual core::status apply_metadata(std::string_view symbol, std::string_view body,
                                      std::map<std::string, std::string>& settings) const;
  virtual venue_limits limits() const = 0;
  // Base, quote and contract value of `symbol` in the venue's symbol format. `settings` are the
  // feed's settings after apply_metadata (OKX ctval.<instId>); the spec's own settings are the
  // fallback. Errors: invalid_argument when the symbol does not split into a known quote, or a
  // contract instrument has no contract value.
  virtual core::result<instrument_info> instrument_of(
      std::string_view symbol, const std::map<std::string, std::string>& settings = {}) const = 0;

  std::string rest_url(const http_request& r) const { return base_.rest_url + r.target(); }

  // Convenience for one symbol (what a resubscribe request needs).
  std::vector<std::string> subscribe_one(std::string_view symbol) const;
  std::vector<std::string> unsubscribe_one(std::string_view symbol) const;

 protected:
  // Path appended to ws_url by the default connect() ("" for most venues).
  virtual std::string ws_path() const { return {}; }

 private:
  endpoints base_;
};

// Symbol splitting shared by the venues' instrument_of(). Output currencies are upper case.
// `quotes`: the venue's quote currencies; a concatenated symbol (BTCUSDT) splits at the longest
// one it ends with, leaving a non-empty base. Errors: invalid_argument naming the symbol.
core::result<instrument_info> split_concatenated(std::string_view symbol,
                                                 std::span<const std::string_view> quotes);
// BASE<sep>QUOTE[<sep>more...] (BTC-USD, BTC/USD, BTC-USDT-SWAP: the first two parts).
core::result<instrument_info> split_separated(std::string_view symbol, char sep);
// Quote currencies concatenated symbols end with (Binance, Bybit, Bitstamp), longest first
// where one is a suffix of another (FDUSD before USD).
std::span<const std::string_view> common_quotes() noexcept;

// `defaults` with the non-empty overrides applied (protocol_options::ws_url / rest_url).
endpoints with_overrides(endpoints defaults, std::string_view ws_url, std::string_view rest_url);

// Splits `items` into consecutive chunks of at most `per` (0 = one chunk) and builds one frame
// per chunk with `build(chunk, chunk_number)`, numbers from 1.
template <class Build>
std::vector<std::string> batched(std::span<const std::string> items, std::size_t per,
                                 Build&& build) {
  std::vector<std::string> out;
  if (per == 0) per = items.size() ? items.size() : 1;
  for (std::size_t i = 0; i < items.size(); i += per)
    out.push_back(build(items.subspan(i, std::min(per, items.size() - i)), i / per + 1));
  return out;
}

}  // namespace depthmon::venues
