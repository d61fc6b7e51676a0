list(APPEND DEPTHMON_VENUE_SOURCES
  coinbase/advanced_trade_codec.cpp coinbase/advanced_trade_sync.cpp
  coinbase/exchange_codec.cpp coinbase/exchange_sync.cpp coinbase/spec.cpp)
