// daemon/publishing.hpp — the daemon's venue_listener: feed::publisher (book snapshots into
// their slots) plus the feed's status on every housekeeping tick, with USD rates read from the
// daemon's current read inputs.
//
// The publisher asks a quote's USD rate on every book update; the rates object it reads is the
// one current at the last tick (a reload swaps api_state's inputs; the feed thread picks the
// new ones up within one tick), so the hot path never touches the atomic inputs pointer.
//
// Threads: the venue's feed thread only. Errors: none.
#pragma once

#include <memory>

#include "daemon/http_api.hpp"
#include "daemon/runtime.hpp"
#include "feed/publisher.hpp"

namespace depthmon::daemon {

std::unique_ptr<venue_listener> make_publishing_listener(venue_binding& b, const api_state& st);

// A book's identity from its venue's spec (venue_spec::instrument_of); symbol only when the
// spec cannot split it.
feed::book_identity identify_book(core::venue v, const feed::venue_config& c, const std::string& symbol);

}  // namespace depthmon::daemon
