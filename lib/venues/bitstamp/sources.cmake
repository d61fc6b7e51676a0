list(APPEND DEPTHMON_VENUE_SOURCES bitstamp/codec.cpp bitstamp/subscribe.cpp bitstamp/sync.cpp)
