list(APPEND DEPTHMON_VENUE_SOURCES binance/codec.cpp binance/spec.cpp binance/subscribe.cpp
  binance/sync.cpp)
