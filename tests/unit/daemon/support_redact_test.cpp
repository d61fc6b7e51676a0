#include <catch2/catch.hpp>

#include "support/redact.hpp"

using namespace depthmon::daemon_support;

TEST_CASE("redact_url removes userinfo and secret query parameters", "[daemon][redact]") {
  CHECK(redact_url("https://user:hunter2@relay.example.com:8443/hook?a=1") ==
        "https://***@relay.example.com:8443/hook?a=1");
  CHECK(redact_url("https://relay.example.com/hook?token=abc&channel=desk&API_KEY=k1") ==
        "https://relay.example.com/hook?token=***&channel=desk&API_KEY=***");
  CHECK(redact_url("https://x.example/cb#access_token=zzz&state=s") ==
        "https://x.example/cb#access_token=***&state=s");
  CHECK(redact_url("https://x.example/a?sig=1#frag") == "https://x.example/a?sig=***#frag");
  // Venue URLs carry nothing secret and stay readable.
  CHECK(redact_url("wss://stream.binance.com:9443/stream?streams=btcusdt@depth@100ms") ==
        "wss://stream.binance.com:9443/stream?streams=btcusdt@depth@100ms");
  CHECK(redact_url("https://api.kraken.com") == "https://api.kraken.com");
}

TEST_CASE("redact_url removes secrets receivers keep in the path", "[daemon][redact]") {
  CHECK(redact_url("https://hooks.slack.com/services/T000/B000/XXXXSECRET") ==
        "https://hooks.slack.com/services/***/***/***");
  CHECK(redact_url("https://discord.com/api/webhooks/123456/tok-en_SECRET?wait=true") ==
        "https://discord.com/api/webhooks/123456/***?wait=true");
  CHECK(redact_url("https://api.telegram.org/bot123456:AAH-secret/sendMessage") ==
        "https://api.telegram.org/bot***/sendMessage");
}

TEST_CASE("redact_secrets finds URLs, bearer tokens and whsec_ secrets in text", "[daemon][redact]") {
  CHECK(redact_secrets("delivery to https://u:p@h.example/x failed (timeout), retry in 2 s") ==
        "delivery to https://***@h.example/x failed (timeout), retry in 2 s");
  CHECK(redact_secrets("url=\"https://hooks.slack.com/services/T/B/X\" status=404") ==
        "url=\"https://hooks.slack.com/services/***/***/***\" status=404");
  CHECK(redact_secrets("Authorization: Bearer eyJhbGciOi.payload.sig") ==
        "Authorization: Bearer ***");
  CHECK(redact_secrets("secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw, rotated") ==
        "secret whsec_***, rotated");
  CHECK(redact_secrets("no secrets: book BTCUSDT live after 3 s") ==
        "no secrets: book BTCUSDT live after 3 s");
  CHECK(redact_secrets("odd :// token") == "odd :// token");
  CHECK(redact_secrets("") == "");
  CHECK(redact_secrets("two https://a@x.example and wss://b:c@y.example/p?key=1") ==
        "two https://***@x.example and wss://***@y.example/p?key=***");
}

TEST_CASE("is_secret_parameter", "[daemon][redact]") {
  CHECK(is_secret_parameter("token"));
  CHECK(is_secret_parameter("X-Api-Key"));
  CHECK(is_secret_parameter("routing_key"));
  CHECK(is_secret_parameter("signature"));
  CHECK(is_secret_parameter("password"));
  CHECK_FALSE(is_secret_parameter("streams"));
  CHECK_FALSE(is_secret_parameter("symbol"));
  CHECK_FALSE(is_secret_parameter("wait"));
}
