#include "replay/replay.hpp"

#include "depth/book_json.hpp"

namespace depthmon::replay {

core::result<std::unique_ptr<replay_session>> replay_session::create(replay_options opt) {
  std::unique_ptr<replay_session> s(new replay_session(std::move(opt)));
  for (auto& [sym, body] : s->opt_.snapshots) s->snapshots_[sym].push_back(std::move(body));
  s->opt_.snapshots.clear();
  if (!s->snapshots_.empty() && !venues::uses_rest_snapshot(s->opt_.venue))
    return {core::errc::invalid_argument, "--snapshot: this venue initialises from its websocket"};
  auto p = venues::make_protocol(s->opt_.venue, s->opt_.protocol);
  if (!p) return p.err();
  s->protocol_ = std::move(p).value();
  s->protocol_->set_listener(s.get());
  for (auto* tb : s->protocol_->books()) s->on_book_created(*tb);
  // The first snapshot of every symbol is available from the start.
  std::vector<std::string> symbols;
  for (const auto& [sym, q] : s->snapshots_) symbols.push_back(sym);
  for (const auto& sym : symbols) s->give_snapshot(sym);
  s->serve_requests();
  return s;
}

void replay_session::give_snapshot(const std::string& symbol) {
  auto it = snapshots_.find(symbol);
  if (it == snapshots_.end() || it->second.empty()) return;  // nothing left: stays unsynced
  std::string body = std::move(it->second.front());
  it->second.pop_front();
  core::padded_buffer b;
  (void)protocol_->on_snapshot(symbol, b.assign(body), 0);
}

void replay_session::serve_requests() {
  if (serving_) return;
  serving_ = true;
  // Requests may queue more requests (a stale snapshot asks for the next one).
  while (!protocol_->requests().empty()) {
    auto reqs = std::move(protocol_->requests());
    protocol_->requests().clear();
    for (const auto& r : reqs)
      if (r.what == venues::request::kind::fetch_snapshot) give_snapshot(r.symbol);
    // resubscribe / reconnect: a recording cannot be re-requested; later frames (a fresh WS
    // snapshot in the recording) resync the book if they exist.
  }
  serving_ = false;
}

core::status replay_session::feed_line(std::string_view line, core::unix_nanos recv_time) {
  ++lines_;
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r' || line.back() == ' '))
    line.remove_suffix(1);
  if (line.empty()) return {};
  auto st = protocol_->on_frame(buf_.assign(line), recv_time);
  serve_requests();
  return st;
}

core::status replay_session::feed_frame(std::string_view frame, core::unix_nanos recv_time) {
  ++lines_;
  auto st = protocol_->on_frame(buf_.assign(frame), recv_time);
  serve_requests();
  return st;
}

core::status replay_session::feed_snapshot(std::string_view symbol, std::string_view body,
                                           core::unix_nanos recv_time) {
  ++lines_;
  auto st = protocol_->on_snapshot(symbol, buf_.assign(body), recv_time);
  if (!st) protocol_->recovery_done(symbol);
  serve_requests();
  return st;
}

void replay_session::disconnect() {
  protocol_->on_disconnect();
  serve_requests();
}

void replay_session::on_book_created(book::tracked_book& tb) {
  trackers_.emplace(&tb, std::make_unique<depth::band_tracker>(tb.book, opt_.bands));
}

void replay_session::on_book_updated(book::tracked_book& tb) {
  // The daemon publishes a depth snapshot here; replay computes it the same way.
  if (auto it = trackers_.find(&tb); it != trackers_.end() && tb.live()) (void)it->second->compute();
}

depth::depth_view replay_session::depth_of(const book::tracked_book& tb) const {
  auto it = trackers_.find(&tb);
  if (it == trackers_.end()) return {};
  return it->second->compute();
}

depth::book_snapshot replay_session::snapshot_of(const book::tracked_book& tb) const {
  auto it = trackers_.find(&tb);
  if (it == trackers_.end()) return {};
  return depth::snapshot_of(tb, *it->second);
}

std::vector<std::string> replay_session::books_json() const {
  std::vector<std::string> out;
  for (const auto* tb : protocol_->books()) out.push_back(book_json(*tb));
  return out;
}

std::string replay_session::book_json(const book::tracked_book& tb) const {
  depth::book_json_options jo;
  jo.levels = opt_.levels;
  // What the daemon would serve: the snapshot its feed thread publishes. Levels deeper than
  // a snapshot holds come from the book, which replay owns.
  const depth::book_snapshot snap = snapshot_of(tb);
  depth::level_lists deep;
  if (opt_.levels > depth::snapshot_top_levels) {
    deep = depth::deep_levels(tb.book, opt_.levels);
    jo.deep = &deep;
  }
  std::string s;
  depth::append_book_json(s, opt_.venue, tb.symbol, snap, opt_.bands, jo);
  return s;
}

}  // namespace depthmon::replay
