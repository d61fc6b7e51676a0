// net is header-light so far (backoff); the websocket/HTTPS clients and the HTTP server land
// here with the live-connectivity issue. This TU keeps the target a real library.
#include "net/backoff.hpp"
