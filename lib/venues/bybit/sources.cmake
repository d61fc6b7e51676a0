list(APPEND DEPTHMON_VENUE_SOURCES bybit/codec.cpp bybit/settings.cpp bybit/spec.cpp bybit/sync.cpp)
