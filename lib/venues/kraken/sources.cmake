list(APPEND DEPTHMON_VENUE_SOURCES kraken/checksum.cpp kraken/settings.cpp kraken/spec.cpp
  kraken/sync.cpp kraken/v1_codec.cpp kraken/v2_codec.cpp)
