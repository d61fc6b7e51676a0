// venues/common/codec.hpp — what every venue codec is: a reusable JSON parser behind a
// parse() that turns one frame into the venue's message type.
//
// A codec derives from json_codec and reads its parser through parser() in its .cpp (which
// includes venues/common/json.hpp); its header stays free of simdjson. No I/O, no clock, no
// book.
//
// Threads: one codec per thread (the parser is not shareable). Errors: codecs return
// core::status (see each venue's codec.hpp).
#pragma once

#include <memory>

namespace depthmon::venues {

class json_codec {
 public:
  json_codec();
  ~json_codec();
  json_codec(const json_codec&) = delete;
  json_codec& operator=(const json_codec&) = delete;

  struct parser_box;  // defined in venues/common/json.hpp

 protected:
  parser_box& parser() noexcept { return *parser_; }

 private:
  std::unique_ptr<parser_box> parser_;
};

}  // namespace depthmon::venues
