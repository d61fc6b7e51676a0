list(APPEND DEPTHMON_VENUE_SOURCES binance/codec.cpp binance/subscribe.cpp binance/sync.cpp)
