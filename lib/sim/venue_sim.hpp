// sim/venue_sim.hpp — one simulated venue: its books, its sequence ids, its connections, its
// REST endpoints and its faults, without sockets.
//
// A venue_sim owns one market_model per symbol (the truth) and the venue-wide state the wire
// depends on (Binance update ids, OKX seqId, Bitstamp microtimestamps: one per symbol, shared
// by every connection and the REST snapshots). Each connection is a `session` created by the
// venue's encoder: it reads the client's text frames (subscribe, ping), keeps what that
// connection subscribed to (and, for venues that truncate, the top-N view the client holds),
// and turns every step of the models into the venue's exact frames. Frames pass the venue's
// fault_state on their way out; what the socket layer must do is returned as `action`s.
//
// Time is simulated: nanoseconds since the scenario start; frames carry epoch + that time.
// advance_to(t) runs every model step due by t in time order, plus heartbeats and scheduled
// faults.
//
// Threads: one thread owns a venue_sim and its sessions (the simulator's io thread later).
// Errors: inject() and connect() report invalid_argument / refusal through core::result;
// nothing throws on the stepping path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "sim/fault.hpp"
#include "sim/instrument.hpp"
#include "sim/market_model.hpp"
#include "sim/scenario.hpp"
#include "sim/truth.hpp"

namespace depthmon::sim {

struct sim_options {
  std::uint64_t seed = 1;
  scenario scen;
  // Unix time of simulated t = 0 (2025-10-01T00:00:00Z: the calm "October" window).
  core::unix_nanos epoch = 1'759'276'800'000'000'000;
  // OKX: send the legacy signed CRC32 in `checksum` instead of 0 (historical behaviour).
  bool okx_legacy_checksum = false;
  // Binance REST request weight allowed per minute (exceeded: 429, as Binance does).
  std::uint32_t binance_weight_limit = 6000;
};

// The venue-wide state of one symbol.
struct symbol_feed {
  explicit symbol_feed(market_model m) : model(std::move(m)) {}
  market_model model;
  std::uint64_t first_id = 0;  // Binance U of the last event
  std::uint64_t last_id = 0;   // Binance u / OKX seqId / Bitstamp microtimestamp / Bybit seq
  std::uint64_t prev_id = 0;   // Binance USD-M pu of the last event
  core::unix_nanos wall = 0;   // unix time of the last step
  std::optional<price_level> last_bbo[2];  // for Binance bookTicker: pushed when the BBO moves
  bool bbo_changed = false;                // by the last step
  // The "October" baseline: the book's ±2 % depth at the scenario start (before any step).
  band_figure baseline{};
  const std::string& symbol() const noexcept { return model.inst().symbol; }
};

struct http_response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct rest_stats {
  std::uint64_t requests = 0;
  std::uint64_t refused = 0;
  // Requests and (Binance) weight in the current minute of simulated time.
  std::int64_t minute = -1;
  std::uint32_t minute_requests = 0;
  std::uint32_t minute_weight = 0;
  std::uint32_t max_minute_requests = 0;
  std::uint32_t max_minute_weight = 0;
};

class venue_sim;

// One client connection to the venue.
class session {
 public:
  explicit session(venue_sim& v) : sim_(v) {}
  virtual ~session() = default;
  session(const session&) = delete;
  session& operator=(const session&) = delete;

  // The client's text frame (subscribe, unsubscribe, ping ...).
  void on_client_text(std::string_view text);
  // Everything the socket layer must do for this connection since the last call.
  std::vector<action> take_actions();
  bool closed() const noexcept { return closed_; }
  std::uint64_t frames_sent() const noexcept { return frames_sent_; }

  // Called by venue_sim.
  void step(symbol_feed& f, const std::vector<level_change>& changes);
  void tick(core::unix_nanos now);
  void begin_stall(core::unix_nanos until);
  void abort();
  void planned_close(core::unix_nanos close_at);
  virtual void opened(std::string_view target) { (void)target; }

 protected:
  struct frame_meta {
    std::string_view symbol;
    bool book_update = false;
    // Dropping this frame is visible to the client (sequenced venues: always; checksum-only
    // venues: only when it changed the checksummed levels). A gap fault waits for one.
    bool gap_visible = true;
  };
  // Hooks for each venue.
  virtual void client_text(std::string_view text) = 0;
  virtual void book_step(symbol_feed& f, const std::vector<level_change>& changes) = 0;
  virtual bool subscribed(std::string_view symbol) const = 0;
  virtual void heartbeat(core::unix_nanos now) { (void)now; }
  virtual std::optional<std::string> close_notice() const { return std::nullopt; }

  // The mutations due for `symbol`'s next update; call only when a frame will be sent.
  frame_mods mods_for(std::string_view symbol);
  // Book data through the fault pipeline (gap, malformed).
  void send_update(std::string frame, const frame_meta& meta);
  // Snapshots, acks, pongs, heartbeats: only a stall or a close stops them.
  void send(std::string frame);
  // Wall-clock (unix) time now and in milliseconds.
  core::unix_nanos wall() const noexcept;
  std::int64_t wall_ms() const noexcept { return wall() / 1'000'000; }

  venue_sim& sim_;

 private:
  bool stalled() const noexcept;
  std::vector<action> actions_;
  bool closed_ = false;
  bool stall_ = false;
  core::unix_nanos stall_until_ = 0;
  core::unix_nanos close_at_ = -1;
  std::uint64_t frames_sent_ = 0;
};

// What each venue implements: its sessions, REST endpoints, sequence ids and fault coverage.
class venue_encoder {
 public:
  virtual ~venue_encoder() = default;
  virtual std::unique_ptr<session> make_session(venue_sim& v) const = 0;
  // Venue-wide ids for a step of `f` (called before sessions encode it).
  virtual void advance_ids(symbol_feed& f, std::size_t nchanges) const {
    (void)f;
    (void)nchanges;
  }
  // GET `target` (path and query). Default: 404.
  virtual http_response rest(venue_sim& v, std::string_view target) const;
  virtual bool supports(fault_kind k, const sim_options& opt) const;
};

std::unique_ptr<venue_encoder> make_encoder(core::venue v);

class venue_sim {
 public:
  venue_sim(core::venue v, std::vector<instrument> instruments, sim_options opt = {});
  ~venue_sim();

  core::venue venue() const noexcept { return venue_; }
  const sim_options& options() const noexcept { return opt_; }
  const venue_encoder& encoder() const noexcept { return *encoder_; }
  core::unix_nanos now() const noexcept { return now_; }
  core::unix_nanos wall(core::unix_nanos t) const noexcept { return opt_.epoch + t; }

  // Runs every step due by `t` (and heartbeats, scheduled faults); returns the steps run.
  std::size_t advance_to(core::unix_nanos t);
  // Runs the step due first, whichever symbol it is; returns its symbol.
  const std::string& step_next();
  // Runs the next step of `symbol` now (tests); false for an unknown symbol.
  bool step(std::string_view symbol);

  // A new connection at websocket request `target` ("/stream?streams=...", "/ws/v5/public").
  // Refused (nullptr) while a disconnect fault with a duration is in force.
  session* connect(std::string_view target = "/");
  // The client closed the connection (or the server layer dropped it): forget the session.
  void disconnect(session* s);
  const std::vector<std::unique_ptr<session>>& sessions() const noexcept { return sessions_; }

  // REST GET of `target` (path and query), counted in rest_stats().
  http_response rest(std::string_view target);
  const rest_stats& rest_counters() const noexcept { return rest_; }
  rest_stats& rest_counters_mut() noexcept { return rest_; }

  // Injects a fault (at = -1: now). invalid_argument for an unknown symbol or a fault kind
  // the venue has no use for (bad_checksum on a venue without checksums).
  core::status inject(fault f);
  fault_state& faults() noexcept { return faults_; }
  bool accepting() const noexcept;

  // The truth.
  const symbol_feed* feed(std::string_view symbol) const noexcept;
  symbol_feed* feed(std::string_view symbol) noexcept;
  const std::vector<std::unique_ptr<symbol_feed>>& feeds() const noexcept { return feeds_; }

 private:
  void run_step(symbol_feed& f);
  void apply_connection_faults();

  core::venue venue_;
  sim_options opt_;
  std::unique_ptr<venue_encoder> encoder_;
  std::vector<std::unique_ptr<symbol_feed>> feeds_;
  std::vector<std::unique_ptr<session>> sessions_;
  fault_state faults_;
  rest_stats rest_;
  core::unix_nanos now_ = 0;
  core::unix_nanos next_heartbeat_ = 1'000'000'000;
};

}  // namespace depthmon::sim
