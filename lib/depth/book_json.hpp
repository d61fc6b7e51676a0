// depth/book_json.hpp — the book JSON object of DESIGN.md ("depthmon replay", /api/v1/books).
//
// One writer for both the replay CLI and the HTTP API, so they cannot drift. Prices, sizes and
// notionals are canonical decimal strings; a band side the book does not fully cover has null
// qty and notional; a book that is not live has no BBO, mid or band values.
//
// Threads: pure function. Errors: none.
#pragma once

#include <cstddef>
#include <string>

#include "book/book_state.hpp"
#include "core/ids.hpp"
#include "depth/bands.hpp"
#include "depth/depth_view.hpp"

namespace depthmon::depth {

struct book_json_options {
  std::size_t levels = 0;  // also emit "bids"/"asks" with this many top levels (0 = omit)
};

// Appends one JSON object, no trailing newline.
void append_book_json(std::string& out, core::venue venue, const book::tracked_book& tb,
                      const depth_view& dv, const band_set& bands,
                      const book_json_options& opt = {});

// Appends `s` as a JSON string literal with escaping.
void append_json_string(std::string& out, std::string_view s);

}  // namespace depthmon::depth
