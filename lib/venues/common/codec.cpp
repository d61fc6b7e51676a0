#include "venues/common/codec.hpp"

#include "venues/common/json.hpp"

namespace depthmon::venues {

json_codec::json_codec() : parser_(std::make_unique<parser_box>()) {}
json_codec::~json_codec() = default;

}  // namespace depthmon::venues
