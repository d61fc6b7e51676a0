#include "depth/book_json.hpp"

#include <cstdio>
#include <span>
#include <vector>

#include "core/json_escape.hpp"

namespace depthmon::depth {
namespace {

void append_decimal(std::string& out, core::int128 m, unsigned scale) {
  char buf[48];
  out.push_back('"');
  out.append(buf, core::format_canonical(buf, m, scale));
  out.push_back('"');
}

void append_u64(std::string& out, std::uint64_t v) {
  char buf[24];
  const int n = std::snprintf(buf, sizeof buf, "%llu", static_cast<unsigned long long>(v));
  out.append(buf, static_cast<std::size_t>(n));
}

void append_field(std::string& out, const char* name, std::uint64_t v) {
  out.push_back('"');
  out.append(name);
  out.append("\":");
  append_u64(out, v);
  out.push_back(',');
}

void append_level(std::string& out, const book::level& l, const depth_view& dv) {
  out.append("{\"price\":");
  append_decimal(out, l.price, dv.price_scale);
  out.append(",\"qty\":");
  append_decimal(out, l.qty, dv.qty_scale);
  out.push_back('}');
}

}  // namespace

// The one escaper lives in core; this name stays for book_json.hpp's callers.
void append_json_string(std::string& out, std::string_view s) { core::append_json_string(out, s); }

void append_book_json(std::string& out, core::venue venue, std::string_view symbol,
                      const book_snapshot& snap, const band_set& bands,
                      const book_json_options& opt) {
  const auto& c = snap.counters;
  const depth_view& dv = snap.depth;
  const bool live = snap.live() && dv.has_mid;
  out.append("{\"venue\":");
  append_json_string(out, core::to_string(venue));
  out.append(",\"symbol\":");
  append_json_string(out, symbol);
  out.append(",\"status\":");
  append_json_string(out, snap.held ? std::string_view("stale") : book::to_string(snap.status));
  out.push_back(',');
  append_field(out, "messages", c.messages);
  append_field(out, "updates_applied", c.updates_applied);
  append_field(out, "snapshots", c.snapshots);
  append_field(out, "gaps", c.gaps);
  append_field(out, "resyncs", c.resyncs);
  append_field(out, "checksums_passed", c.checksums_passed);
  append_field(out, "checksums_failed", c.checksums_failed);
  append_field(out, "bbo_checks_passed", c.bbo_checks_passed);
  append_field(out, "bbo_checks_failed", c.bbo_checks_failed);
  append_field(out, "partial_checks_passed", c.partial_checks_passed);
  append_field(out, "partial_checks_failed", c.partial_checks_failed);
  append_field(out, "crossed", c.crossed);
  out.append("\"last_update_id\":");
  if (snap.has_update_id) {
    out.push_back('"');
    append_u64(out, snap.last_update_id);
    out.push_back('"');
  } else {
    out.append("null");
  }
  out.append(",\"best_bid\":");
  if (live) append_level(out, dv.best_bid, dv);
  else out.append("null");
  out.append(",\"best_ask\":");
  if (live) append_level(out, dv.best_ask, dv);
  else out.append("null");
  out.append(",\"mid\":");
  if (live) append_decimal(out, dv.mid_mantissa(), dv.mid_scale());
  else out.append("null");
  out.append(",\"levels\":{\"bid\":");
  append_u64(out, snap.bid_levels);
  out.append(",\"ask\":");
  append_u64(out, snap.ask_levels);
  out.append("},\"bands\":[");
  for (std::size_t b = 0; b < bands.size(); ++b) {
    if (b) out.push_back(',');
    out.append("{\"pct\":");
    // pct is a JSON number, as in DESIGN.md's example.
    out.append(bands[b].pct_text());
    for (core::side s : {core::side::bid, core::side::ask}) {
      const std::string_view sn = core::to_string(s);
      const bool have = live && b < dv.band_count && dv.bands[b][s].complete;
      out.append(",\"");
      out.append(sn);
      out.append("_qty\":");
      if (have) append_decimal(out, dv.bands[b][s].qty, dv.qty_scale);
      else out.append("null");
      out.append(",\"");
      out.append(sn);
      out.append("_notional\":");
      if (have) append_decimal(out, dv.bands[b][s].notional, dv.notional_scale());
      else out.append("null");
    }
    for (core::side s : {core::side::bid, core::side::ask}) {
      out.append(",\"");
      out.append(core::to_string(s));
      out.append("_complete\":");
      out.append(live && b < dv.band_count && dv.bands[b][s].complete ? "true" : "false");
    }
    out.push_back('}');
  }
  out.push_back(']');
  if (opt.levels > 0) {
    for (core::side s : {core::side::bid, core::side::ask}) {
      const bool bid = s == core::side::bid;
      out.append(bid ? ",\"bids\":[" : ",\"asks\":[");
      std::span<const book::level> top;
      if (!snap.live()) {
      } else if (opt.deep) {
        top = (*opt.deep)[static_cast<std::size_t>(s)];
      } else {
        top = bid ? std::span<const book::level>(snap.top_bids.data(), snap.top_bid_count)
                  : std::span<const book::level>(snap.top_asks.data(), snap.top_ask_count);
      }
      if (top.size() > opt.levels) top = top.first(opt.levels);
      for (std::size_t i = 0; i < top.size(); ++i) {
        if (i) out.push_back(',');
        out.push_back('[');
        append_decimal(out, top[i].price, dv.price_scale);
        out.push_back(',');
        append_decimal(out, top[i].qty, dv.qty_scale);
        out.push_back(']');
      }
      out.push_back(']');
    }
  }
  out.append(",\"dropped\":");
  append_u64(out, c.dropped);
  out.append(",\"error\":");
  if (snap.status == book::book_status::invalid)
    append_json_string(out, std::string(core::to_string(snap.last_error.code)) + ": " +
                                snap.last_error.detail);
  else
    out.append("null");
  out.push_back('}');
}

level_lists deep_levels(const book::l2_book& b, std::size_t n) {
  level_lists out;
  for (core::side s : {core::side::bid, core::side::ask}) b.top(s, n, out[static_cast<std::size_t>(s)]);
  return out;
}

}  // namespace depthmon::depth
