list(APPEND DEPTHMON_VENUE_SOURCES bybit/codec.cpp bybit/settings.cpp bybit/subscribe.cpp
  bybit/sync.cpp)
