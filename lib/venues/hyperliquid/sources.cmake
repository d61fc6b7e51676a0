list(APPEND DEPTHMON_VENUE_SOURCES hyperliquid/codec.cpp hyperliquid/settings.cpp
  hyperliquid/subscribe.cpp hyperliquid/sync.cpp)
