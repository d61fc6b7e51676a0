#include "sim/venue_sim.hpp"

#include <algorithm>
#include <cmath>

#include "sim/rng.hpp"
#include "sim/text.hpp"

namespace depthmon::sim {

// ---- session ---------------------------------------------------------------------------

void session::on_client_text(std::string_view text) {
  if (closed_) return;
  client_text(text);
}

std::vector<action> session::take_actions() {
  std::vector<action> out;
  out.swap(actions_);
  return out;
}

core::unix_nanos session::wall() const noexcept { return sim_.wall(sim_.now()); }

bool session::stalled() const noexcept {
  return stall_ && (stall_until_ == 0 || sim_.now() < stall_until_);
}

void session::send(std::string frame) {
  if (closed_ || stalled()) return;
  ++frames_sent_;
  actions_.push_back({action::kind::send, std::move(frame), 0, 0});
}

void session::send_update(std::string frame, const frame_meta& meta) {
  if (closed_ || stalled()) return;
  auto& faults = sim_.faults();
  const core::unix_nanos now = sim_.now();
  if (meta.book_update) {
    if (meta.gap_visible && faults.take(fault_kind::gap, meta.symbol, now)) return;
    if (faults.take(fault_kind::malformed, meta.symbol, now))
      actions_.push_back({action::kind::send, frame.substr(0, frame.size() / 2), 0, 0});
  }
  send(std::move(frame));
}

frame_mods session::mods_for(std::string_view symbol) {
  frame_mods m;
  auto& faults = sim_.faults();
  const core::unix_nanos now = sim_.now();
  if (closed_ || stalled()) return m;
  if (sim_.encoder().supports(fault_kind::bad_checksum, sim_.options()))
    m.bad_checksum = faults.take(fault_kind::bad_checksum, symbol, now);
  m.crossed = faults.take(fault_kind::crossed, symbol, now);
  return m;
}

void session::step(symbol_feed& f, const std::vector<level_change>& changes) {
  if (closed_ || !subscribed(f.symbol())) return;
  book_step(f, changes);
}

void session::tick(core::unix_nanos now) {
  if (closed_) return;
  if (close_at_ >= 0 && now >= close_at_) {
    actions_.push_back({action::kind::close, "service restart", 1001, 0});
    closed_ = true;
    return;
  }
  if (stall_ && stall_until_ != 0 && now >= stall_until_) stall_ = false;
  if (!stalled()) heartbeat(now);
}

void session::begin_stall(core::unix_nanos until) {
  if (closed_) return;
  actions_.push_back({action::kind::stall, {}, 0, until});
  stall_ = true;
  stall_until_ = until;
}

void session::abort() {
  if (closed_) return;
  actions_.push_back({action::kind::abort, {}, 0, 0});
  closed_ = true;
}

void session::planned_close(core::unix_nanos close_at) {
  if (closed_) return;
  if (auto notice = close_notice()) send(std::move(*notice));
  close_at_ = close_at;
}

// ---- venue_encoder defaults ---------------------------------------------------------------

http_response venue_encoder::rest(venue_sim& v, std::string_view target) const {
  (void)v;
  (void)target;
  return {404, {{"Content-Type", "application/json"}}, "{\"error\":\"not found\"}"};
}

bool venue_encoder::supports(fault_kind k, const sim_options& opt) const {
  (void)opt;
  switch (k) {
    case fault_kind::bad_checksum:
    case fault_kind::rest_429:
    case fault_kind::rest_418: return false;
    default: return true;
  }
}

// ---- venue_sim ------------------------------------------------------------------------------

venue_sim::venue_sim(core::venue v, std::vector<instrument> instruments, sim_options opt)
    : venue_(v), opt_(opt), encoder_(make_encoder(v)) {
  std::uint64_t salt = 1;
  for (auto& in : instruments) {
    const std::uint64_t seed =
        rng::derive(opt_.seed, salt++ * 1'000'003 + static_cast<std::uint64_t>(v) * 7919);
    feeds_.push_back(std::make_unique<symbol_feed>(market_model(std::move(in), opt_.scen, seed)));
    auto& f = *feeds_.back();
    f.wall = wall(0);
    f.baseline = truth_band(f.model.book(), f.model.inst(), core::decimal{2, 0});
    // Venue ids start somewhere realistic (not at 0) and differ per symbol.
    f.last_id = 1'000'000 + (seed % 9'000'000);
    if (v == core::venue::bitstamp) f.last_id = static_cast<std::uint64_t>(wall(0) / 1000);
  }
}

venue_sim::~venue_sim() = default;

const symbol_feed* venue_sim::feed(std::string_view symbol) const noexcept {
  for (const auto& f : feeds_)
    if (f->symbol() == symbol) return f.get();
  return nullptr;
}

symbol_feed* venue_sim::feed(std::string_view symbol) noexcept {
  for (auto& f : feeds_)
    if (f->symbol() == symbol) return f.get();
  return nullptr;
}

void venue_sim::apply_connection_faults() {
  for (const fault& f : faults_.activate(now_)) {
    const auto dur = static_cast<core::unix_nanos>(f.duration_s * 1e9);
    for (auto& s : sessions_) {
      switch (f.kind) {
        case fault_kind::disconnect: s->abort(); break;
        case fault_kind::stall: s->begin_stall(dur > 0 ? now_ + dur : 0); break;
        case fault_kind::planned_close:
          s->planned_close(now_ + (dur > 0 ? dur : 2'000'000'000));
          break;
        default: break;
      }
    }
  }
}

void venue_sim::run_step(symbol_feed& f) {
  now_ = std::max(now_, f.model.next_time());
  apply_connection_faults();
  const auto& changes = f.model.step();
  f.wall = wall(f.model.time());
  encoder_->advance_ids(f, changes.size());
  for (auto& s : sessions_) s->step(f, changes);
  for (auto& s : sessions_) s->tick(now_);
}

std::size_t venue_sim::advance_to(core::unix_nanos t) {
  std::size_t n = 0;
  for (;;) {
    symbol_feed* next = nullptr;
    for (auto& f : feeds_)
      if (!next || f->model.next_time() < next->model.next_time()) next = f.get();
    if (!next || next->model.next_time() > t) break;
    run_step(*next);
    ++n;
  }
  now_ = std::max(now_, t);
  apply_connection_faults();
  for (auto& s : sessions_) s->tick(now_);
  return n;
}

const std::string& venue_sim::step_next() {
  symbol_feed* next = nullptr;
  for (auto& f : feeds_)
    if (!next || f->model.next_time() < next->model.next_time()) next = f.get();
  run_step(*next);
  return next->symbol();
}

bool venue_sim::step(std::string_view symbol) {
  symbol_feed* f = feed(symbol);
  if (!f) return false;
  run_step(*f);
  return true;
}

bool venue_sim::accepting() const noexcept {
  return !faults_.pending(fault_kind::disconnect, "", now_);
}

session* venue_sim::connect(std::string_view target) {
  if (!accepting()) return nullptr;
  sessions_.push_back(encoder_->make_session(*this));
  session* s = sessions_.back().get();
  s->opened(target);
  return s;
}

void venue_sim::disconnect(session* s) {
  std::erase_if(sessions_, [s](const std::unique_ptr<session>& p) { return p.get() == s; });
}

http_response venue_sim::rest(std::string_view target) {
  const std::int64_t minute = now_ / 60'000'000'000;
  if (minute != rest_.minute) {
    rest_.minute = minute;
    rest_.minute_requests = 0;
    rest_.minute_weight = 0;
  }
  ++rest_.requests;
  ++rest_.minute_requests;
  rest_.max_minute_requests = std::max(rest_.max_minute_requests, rest_.minute_requests);
  if (auto refusal = faults_.rest_refusal(now_)) {
    ++rest_.refused;
    const bool ban = refusal->first == fault_kind::rest_418;
    http_response r;
    r.status = ban ? 418 : 429;
    r.headers.push_back({"Retry-After", std::to_string(static_cast<long long>(std::ceil(refusal->second)))});
    r.headers.push_back({"Content-Type", "application/json"});
    r.body = ban ? "{\"code\":-1003,\"msg\":\"Way too many requests; IP banned.\"}"
                 : "{\"code\":-1003,\"msg\":\"Too many requests.\"}";
    return r;
  }
  return encoder_->rest(*this, target);
}

core::status venue_sim::inject(fault f) {
  if (f.symbol && !feed(*f.symbol)) return {core::errc::invalid_argument, "unknown symbol"};
  if (!encoder_->supports(f.kind, opt_))
    return {core::errc::invalid_argument, "fault kind not applicable to this venue"};
  faults_.add(std::move(f), now_);
  apply_connection_faults();
  return {};
}

}  // namespace depthmon::sim
