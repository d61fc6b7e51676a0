// A reload's symbol changes on a running feed (feed::add_symbols / remove_symbol): an added
// symbol gets its own new connection and goes live there; a removed one is unsubscribed and
// dropped; in both cases the other books keep their connection, their book object and their
// live state (no transition, nothing dark).
#include <catch2/catch.hpp>

#include "feed_harness.hpp"

using namespace depthmon;
using namespace depthmon::test;

TEST_CASE("symbols are added and removed without touching other books", "[feed][integration]") {
  const core::venue v = GENERATE(core::venue::binance, core::venue::okx, core::venue::kraken);
  INFO(core::to_string(v));
  sim_server srv({.venue = v, .symbols = 3});
  feed::venue_config cfg = config_for(srv);
  REQUIRE(cfg.symbols.size() == 3);
  const std::string added = cfg.symbols.back();
  cfg.symbols.pop_back();
  const std::string kept = cfg.symbols[0], removed = cfg.symbols[1];
  feed_fixture fx(srv, cfg);
  fx.fd->start();
  REQUIRE(fx.run_until([&] { return fx.all_live(); }, ms(8000)));
  const feed::feed_book* kept_fb = fx.fd->find(kept);
  const book::tracked_book* kept_book = kept_fb->book;
  REQUIRE(fx.fd->stats().connections_opened == 1);

  SECTION("add") {
    REQUIRE(fx.fd->add_symbol(added));
    REQUIRE(fx.fd->add_symbol(added));  // already kept: nothing happens
    REQUIRE(fx.fd->books().size() == 3);
    const feed::feed_book* nb = fx.fd->find(added);
    REQUIRE(nb);
    REQUIRE(fx.run_until([&] { return nb->publishable(); }, ms(8000)));
    fx.run_for(ms(200));
    CHECK(fx.compare_all() == "");
    CHECK(fx.fd->stats().connections_opened == 2);  // the new shard's own connection
    CHECK(fx.fd->stats().disconnects == 0);
    CHECK(fx.fd->open_connections() == 2);
    CHECK(fx.fd->config().symbols.size() == 3);
  }
  SECTION("remove") {
    const auto frames_before = fx.fd->stats().client_frames;
    REQUIRE(fx.fd->remove_symbol(removed));
    CHECK(!fx.fd->remove_symbol(removed));  // no longer kept
    CHECK(fx.fd->find(removed) == nullptr);
    CHECK(fx.fd->books().size() == 1);
    CHECK(fx.fd->stats().client_frames > frames_before);  // the unsubscribe went out
    CHECK(!fx.fd->remove_symbol(kept));                   // the last symbol stays
    fx.run_for(ms(500));
    CHECK(fx.compare_all() == "");
    CHECK(fx.fd->stats().connections_opened == 1);
    CHECK(fx.fd->open_connections() == 1);
  }
  // The untouched book: same object, live since its first sync, never dark.
  CHECK(fx.fd->find(kept) == kept_fb);
  CHECK(kept_fb->book == kept_book);
  CHECK(kept_fb->publishable());
  CHECK(kept_fb->state.transitions() == 1);
  CHECK(fx.rec.books[kept].dark_after_live == 0);
}

TEST_CASE("a shard left without symbols closes its connection", "[feed][integration]") {
  sim_server srv({.venue = core::venue::okx, .symbols = 2});
  feed::venue_config cfg = config_for(srv);
  const std::string second = cfg.symbols.back();
  cfg.symbols.pop_back();
  feed_fixture fx(srv, cfg);
  fx.fd->start();
  REQUIRE(fx.run_until([&] { return fx.all_live(); }, ms(8000)));
  REQUIRE(fx.fd->add_symbol(second));
  REQUIRE(fx.run_until([&] { return fx.fd->open_connections() == 2 && fx.all_live(); }, ms(8000)));
  REQUIRE(fx.fd->shards() == 2);
  REQUIRE(fx.fd->remove_symbol(second));
  CHECK(fx.fd->shards() == 1);
  CHECK(fx.fd->open_connections() == 1);
  REQUIRE(fx.run_until([&] { return srv.with_sim([](sim::venue_sim&, sim_server_log& l) { return l.ws_open == 1; }); },
                       ms(3000)));
  fx.run_for(ms(300));
  CHECK(fx.all_live());
  CHECK(fx.fd->stats().disconnects == 0);
}
