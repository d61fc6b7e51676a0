list(APPEND DEPTHMON_VENUE_SOURCES bitstamp/codec.cpp bitstamp/spec.cpp bitstamp/sync.cpp)
