// venues/common/codec.hpp — what every venue codec is: a reusable JSON parser behind a
// parse() that turns one frame into the venue's message type.
//
// A venue's codec is `codec_for<its message type>` (a tag tells apart two codecs of one
// message type, as Kraken v1 and v2): its header declares the parse() specialisation, its .cpp
// defines it and reads the parser through parser() (venues/common/json.hpp); headers stay free
// of simdjson. A codec with more entry points derives from json_codec. No I/O, no clock, no
// book.
//
// Threads: one codec per thread (the parser is not shareable). Errors: codecs return
// core::status (see each venue's codec.hpp).
#pragma once

#include <memory>

#include "core/frame.hpp"
#include "core/result.hpp"

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

template <class Message, class Tag = void>
class codec_for : public json_codec {
 public:
  // One websocket text frame.
  core::status parse(core::padded_view frame, Message& out) noexcept;
};

}  // namespace depthmon::venues
