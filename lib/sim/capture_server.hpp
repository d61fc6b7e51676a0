// sim/capture_server.hpp — a recorded capture served over the wire as the venue served it:
// real bytes for the connectors, so a capture fed through lib/feed over a socket can be
// compared with `depthmon replay` of the same file.
//
// What it serves (one venue per server, on net::http_server: loopback, ws or wss):
//   * the venue's documented websocket path (under an optional prefix); a client connects,
//     sends its subscribe (Binance: the combined-stream URL subscribes), and gets the
//     capture's received lines in order, each one websocket text frame as recorded. Lines of
//     symbols the client did not subscribe to are skipped (a combined stream carries several:
//     every subscribed one is served; a client subscribing one symbol per frame gets
//     `subscribe_settle` after its last subscribe before other symbols' lines are skipped);
//     lines without a symbol (status, heartbeats) are always served. Where the capture's
//     .sent.meta.tsv says the recorder's first request went out before line k, lines from k on
//     wait for the client's subscribe; without it, lines from the first one naming a symbol
//     wait. Later requests of the recorder (an unsubscribe and resubscribe) are not waited
//     for: their answers are in the capture and are played as recorded, since the client
//     under test would not make them.
//   * the venue's documented REST snapshot path, answered with the capture's REST bodies for
//     the symbol in the order recorded. The first body of each symbol is held to where the
//     recorder received it: the stream stops before capture line `before_ws_index` until the
//     client asked for that snapshot and got it, and the answer waits until the stream has
//     passed the lines before it (or every stream is stopped at another symbol's hold: a
//     client capping its requests in flight may need this answer before it asks for that
//     one). `before_ws_index` comes from the REST meta file where it has that column; else it
//     is derived from the body's receive time and the lines' event times (Binance E, Bitstamp
//     microtimestamp); never earlier than just after the symbol's first diff line, because
//     clients ask for a snapshot once a diff is buffered (else stream and client would wait
//     for each other); a symbol without diff lines is not held. Later bodies are answered when
//     asked, without a hold; once a symbol's bodies are used up the answer is 503.
//   * when the capture ends the connection stays open and idle (websocket pings and the
//     venue's application pings are answered), so the client's books stay as the capture left
//     them. Every websocket connection plays the capture from its start.
//
// Threads: the server, its sessions and every handler belong to the thread running `ioc`
// (net::http_server's rule); start/stop/stats there. Errors: load_capture() and
// parse_replay_spec() return invalid_argument with the problem in words; start() returns the
// server's bind/TLS error. Nothing throws.
#pragma once

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"

namespace depthmon::sim {

struct capture_snapshot {
  std::string symbol;  // as the venue's REST path or query names it
  std::string body;    // the REST body as recorded
  // Capture lines the recorder had received before this body (0-based index of the first line
  // after it); nullopt: unknown, and no time to derive it from.
  std::optional<std::size_t> before_ws_index;
  std::optional<double> recv_time_s;  // unix seconds the body was received (meta recv_ts)
};

struct capture {
  core::venue venue = core::venue::binance;
  std::string name;                  // the frames file, for messages
  std::vector<std::string> lines;    // what the exchange sent, one frame per line
  std::vector<std::string> sent;     // what the recording client sent (.sent.jsonl), if known
  // Index of the first line received after each sent request (.sent.meta.tsv), if known.
  std::vector<std::size_t> sent_before;
  std::vector<capture_snapshot> snapshots;  // in the order recorded
};

struct snapshot_file {
  std::string symbol;
  std::string path;
};

// Reads `frames_file` (the .jsonl), its `.sent.jsonl` / `.sent.meta.tsv` beside it when they
// exist, and the REST bodies. `rest_meta_file` (a REST .meta.tsv: request_url, recv_ts and
// optionally before_ws_index per body) is matched to the bodies by the symbol in request_url,
// in order; empty: `<frames stem>.rest.meta.tsv` when it exists.
core::result<capture> load_capture(core::venue venue, const std::string& frames_file,
                                   const std::vector<snapshot_file>& snapshots,
                                   const std::string& rest_meta_file = {},
                                   std::string* error = nullptr);

struct capture_server_options {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;          // 0: any free port
  std::string prefix;              // put before every documented path ("/binance"); "" = none
  bool venue_prefix = false;       // prefix = "/<venue name>" (depthmon sim's layout)
  std::string cert_pem, key_pem;   // TLS (wss, https) when given
  std::size_t max_connections = 64;
  // A client may subscribe one symbol per frame (paced by the venue's message rate): a line of
  // a symbol it has not subscribed waits until no subscribe came for this long, then it is
  // skipped.
  std::chrono::milliseconds subscribe_settle{500};
};

struct capture_rest_request {
  std::string target;  // as received
  std::string symbol;  // parsed from it ("" if none)
  unsigned status = 0; // what was answered (0: still held)
  std::size_t lines_before = 0;  // capture lines the stream had passed when it was answered
};

struct capture_server_stats {
  std::uint64_t connections = 0;       // websocket sessions accepted
  std::uint64_t lines_sent = 0;        // capture lines written, every session
  std::uint64_t lines_skipped = 0;     // lines of symbols the client did not subscribe to
  std::uint64_t frames_sent = 0;       // every frame written (lines and keep-alive answers)
  std::uint64_t client_messages = 0;   // frames received from clients
  std::uint64_t holds = 0;             // times a stream stopped for a snapshot request
  bool capture_done = false;           // the latest session has been sent every line
  std::vector<capture_rest_request> rest;  // every REST request, in order
  std::vector<std::string> subscribed;     // the latest session's subscribed symbols
};

class capture_server {
 public:
  capture_server(boost::asio::io_context& ioc, capture c, capture_server_options o = {});
  ~capture_server();
  capture_server(const capture_server&) = delete;
  capture_server& operator=(const capture_server&) = delete;

  // Binds and listens; serving starts when the io_context runs. Returns a non-empty message
  // on failure.
  std::string start();
  void stop();

  std::uint16_t port() const noexcept;
  // The config's ws_url / rest_url for this venue: scheme://address:port + prefix (+ the part
  // of the documented path that the venue's base URL includes: Kraken v2 "/v2", OKX
  // "/ws/v5/public", Hyperliquid "/ws", Binance USD-M "/public").
  std::string ws_url() const;
  std::string rest_url() const;
  const capture_server_stats& stats() const noexcept;
  const capture& recorded() const noexcept;

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

// One `depthmon sim --replay` argument: VENUE=CAPTURE[,snapshot=SYM=FILE]...[,rest_meta=FILE]
// (a venue name as `depthmon replay --venue` takes it, the .jsonl capture, its REST bodies).
struct replay_spec {
  core::venue venue = core::venue::binance;
  std::string frames_file;
  std::vector<snapshot_file> snapshots;
  std::string rest_meta_file;
};
core::result<replay_spec> parse_replay_spec(std::string_view arg, std::string* error = nullptr);

// What `depthmon sim --replay` runs for one argument: parses it, loads the capture and makes
// the server (not started: the caller calls start() and runs `ioc`). `o.venue_prefix` places
// the venue under "/<venue>" as the synthetic simulator does. On failure `error` says why.
core::result<std::unique_ptr<capture_server>> make_replay_server(
    boost::asio::io_context& ioc, std::string_view arg, capture_server_options o,
    std::string* error = nullptr);

}  // namespace depthmon::sim
