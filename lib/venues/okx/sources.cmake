list(APPEND DEPTHMON_VENUE_SOURCES okx/checksum.cpp okx/codec.cpp okx/settings.cpp okx/spec.cpp okx/sync.cpp)
