#include "core/result.hpp"

#include <cstdio>
#include <cstdlib>

namespace depthmon::core {

void abort_on_value_of_error(error e) noexcept {
  const std::string_view what = to_string(e.code);
  std::fprintf(stderr, "result: value() of an error result: %.*s (%s)\n",
               static_cast<int>(what.size()), what.data(), e.detail ? e.detail : "");
  std::fflush(stderr);
  std::abort();
}

}  // namespace depthmon::core
