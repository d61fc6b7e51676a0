#include "feed/rest_budget.hpp"

#include <algorithm>
#include <charconv>

namespace depthmon::feed {
namespace {
constexpr auto k_minute = std::chrono::seconds(60);

bool parse_u32(std::string_view t, std::uint32_t& out) noexcept {
  while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  if (t.empty()) return false;
  const auto r = std::from_chars(t.data(), t.data() + t.size(), out);
  return r.ec == std::errc{} && r.ptr == t.data() + t.size();
}
}  // namespace

bool parse_retry_after(std::string_view text, std::chrono::seconds& out) noexcept {
  std::uint32_t s = 0;
  if (!parse_u32(text, s)) return false;  // HTTP-date form: not used by the venues
  out = std::chrono::seconds(s);
  return true;
}

rest_budget::rest_budget(std::uint32_t weight_per_minute, double usable) noexcept
    : limit_(weight_per_minute),
      usable_(static_cast<std::uint32_t>(static_cast<double>(weight_per_minute) * usable)) {
  if (limit_ != 0 && usable_ == 0) usable_ = 1;
}

void rest_budget::expire(clock::time_point now) const {
  while (!window_.empty() && now - window_.front().at >= k_minute) {
    window_sum_ -= window_.front().weight;
    window_.pop_front();
  }
}

std::uint32_t rest_budget::used(clock::time_point now) const noexcept {
  expire(now);
  const std::uint32_t server = now - server_at_ < k_minute ? server_used_ : 0;
  return std::max(window_sum_, server);
}

rest_budget::clock::duration rest_budget::acquire(std::uint32_t weight, clock::time_point now) {
  if (now < blocked_until_) return blocked_until_ - now;
  if (limit_ != 0) {
    const std::uint32_t u = used(now);
    // A request heavier than the whole headroom may still run alone in an empty minute.
    if (u + weight > usable_ && u != 0) {
      clock::time_point free_at = now + std::chrono::milliseconds(100);
      if (!window_.empty()) free_at = std::max(free_at, window_.front().at + k_minute);
      if (server_used_ > window_sum_ && now - server_at_ < k_minute)
        free_at = std::max(free_at, server_at_ + k_minute);
      return free_at - now;
    }
  }
  window_.push_back({now, weight});
  window_sum_ += weight;
  return clock::duration::zero();
}

void rest_budget::on_response(unsigned status, std::string_view used_weight,
                              std::string_view retry_after, clock::time_point now) {
  std::uint32_t u = 0;
  if (parse_u32(used_weight, u)) {
    server_used_ = u;
    server_at_ = now;
  }
  std::chrono::seconds ra{0};
  const bool has_ra = parse_retry_after(retry_after, ra);
  if (status == 429) {
    ++n429_;
    blocked_until_ = std::max(blocked_until_, now + (has_ra ? ra : std::chrono::seconds(60)));
  } else if (status == 418) {
    ++n418_;
    blocked_until_ = std::max(blocked_until_, now + (has_ra ? ra : std::chrono::seconds(300)));
  }
}

}  // namespace depthmon::feed
