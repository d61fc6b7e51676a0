// venues/common/codec.hpp — what every venue codec is: a reusable JSON parser behind a
// parse() that turns one frame into the venue's message type.
//
// A venue's codec is `codec_for<its message type>` (a tag tells apart two codecs of one
// message type, as Kraken v1 and v2): its header declares the parse() specialisation, its .cpp
// defines it and reads the parser through parser() (venues/common/json.hpp); headers stay free
// of simdjson. A codec with more entry points derives from json_codec. No I/O, no clock, no
// book.
//
// Threads: one codec per thread (the parser is not shareable). Errors: core::status, the same
// codes for every venue: malformed_json (incl. truncated frames) / wrong_type / missing_field /
// bad_number / number_overflow for bytes that are not a valid message of the venue,
// unknown_message for valid JSON the venue does not send; a venue's codec.hpp names only what
// it adds to this.
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

// The parse() specialisation of a venue's codec, `Message` and an optional tag as in
// codec_for; its body follows in the venue's codec.cpp (at namespace depthmon::venues).
#define DEPTHMON_CODEC_PARSE(Message, ...)                                                   \
  template <>                                                                                \
  core::status codec_for<Message __VA_OPT__(, ) __VA_ARGS__>::parse(core::padded_view frame, \
                                                                  Message& out) noexcept

// Declares a venue's codec in its codec.hpp (at global scope): the tag type if any, the
// parse() specialisation (known before any use) and `depthmon::venues::<ns>::<alias>` for
// codec_for<ns::Message(, ns::Tag)>.
#define DEPTHMON_VENUE_CODEC(ns, alias, Message, ...)                                  \
  namespace depthmon::venues {                                                         \
  namespace ns {                                                                       \
  __VA_OPT__(struct __VA_ARGS__;)                                                      \
  }                                                                                    \
  DEPTHMON_CODEC_PARSE(ns::Message __VA_OPT__(, ns::) __VA_ARGS__);                    \
  namespace ns {                                                                       \
  using alias = codec_for<Message __VA_OPT__(, ) __VA_ARGS__>;                         \
  }                                                                                    \
  }
