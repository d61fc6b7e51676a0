// config/suggest.hpp — "did you mean" for a misspelt key, venue name or value.
//
// The closest candidate by edit distance (insertions, deletions, substitutions, each 1; case
// ignored) is suggested when it is near enough to be a typo: at most a third of the longer
// word's length (at least 1); a word that starts with the candidate or is its start ("warning",
// "warn") counts as 1 edit away.
//
// Threads: pure functions. Errors: none.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace depthmon::config {

std::size_t edit_distance(std::string_view a, std::string_view b);

// " (did you mean 'listen'?)" or "" when no candidate is close.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace depthmon::config
