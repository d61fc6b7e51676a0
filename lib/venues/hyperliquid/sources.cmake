list(APPEND DEPTHMON_VENUE_SOURCES hyperliquid/codec.cpp hyperliquid/settings.cpp hyperliquid/spec.cpp hyperliquid/sync.cpp)
