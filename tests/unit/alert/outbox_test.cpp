#include "alert/outbox.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>

using namespace depthmon::alert;
namespace fs = std::filesystem;

namespace {
struct temp_dir {
  fs::path path = fs::temp_directory_path() /
                  ("depthmon_outbox_" + std::to_string(::getpid()) + "_" +
                   std::to_string(reinterpret_cast<std::uintptr_t>(this)));
  temp_dir() { fs::create_directories(path); }
  ~temp_dir() { fs::remove_all(path); }
  std::string file() const { return (path / "outbox.sqlite").string(); }
};
outbox_row row(std::string id, std::string receiver, std::int64_t created = 1000) {
  return {0, std::move(id), std::move(receiver), R"({"a":1})", 0, created, created, {}};
}
}  // namespace

TEST_CASE("outbox: a row is committed to the file when add() returns, in WAL mode", "[outbox]") {
  temp_dir d;
  std::string err;
  auto a = outbox::open(d.file(), &err);
  REQUIRE(a);
  REQUIRE(a->add({row("msg_1", "desk"), row("msg_2", "desk"), row("msg_3", "pager")}));
  // A second connection (another process after a crash would be the same) sees the rows.
  auto b = outbox::open(d.file(), &err);
  REQUIRE(b);
  auto p = b->pending();
  REQUIRE(p.size() == 3);
  CHECK(p[0].id == "msg_1");
  CHECK(p[2].receiver == "pager");
  CHECK(b->pending_by_receiver() == std::map<std::string, std::uint64_t>{{"desk", 2}, {"pager", 1}});
  CHECK(fs::exists(d.file() + "-wal"));
}

TEST_CASE("outbox: head in seq order per receiver; attempts; remove; dead letter", "[outbox]") {
  temp_dir d;
  std::string err;
  auto o = outbox::open(d.file(), &err);
  REQUIRE(o);
  REQUIRE(o->add({row("msg_1", "desk"), row("msg_2", "desk")}));
  auto h = o->head("desk");
  REQUIRE(h);
  CHECK(h->id == "msg_1");
  REQUIRE(o->begin_attempt(h->seq, 1000));
  REQUIRE(o->reschedule(h->seq, 5000, "HTTP 500"));
  h = o->head("desk");
  CHECK(h->attempts == 1);
  CHECK(h->next_attempt_ms == 5000);
  CHECK(h->last_error == "HTTP 500");
  REQUIRE(o->dead_letter(h->seq, 6000, "HTTP 400"));
  h = o->head("desk");
  REQUIRE(h);
  CHECK(h->id == "msg_2");
  REQUIRE(o->remove(h->seq));
  CHECK_FALSE(o->head("desk"));
  auto dl = o->dead_letters();
  REQUIRE(dl.size() == 1);
  CHECK(dl[0].row.id == "msg_1");
  CHECK(dl[0].row.attempts == 1);
  CHECK(dl[0].reason == "HTTP 400");
  CHECK(dl[0].dead_ms == 6000);
  CHECK(o->pending().empty());
}

TEST_CASE("outbox: survives reopening; open fails with a reason on an unwritable path", "[outbox]") {
  temp_dir d;
  std::string err;
  {
    auto o = outbox::open(d.file(), &err);
    REQUIRE(o->add({row("msg_keep", "desk")}));
  }
  auto o = outbox::open(d.file(), &err);
  REQUIRE(o);
  REQUIRE(o->head("desk"));
  CHECK(o->head("desk")->id == "msg_keep");
  CHECK_FALSE(outbox::open((d.path / "no" / "such" / "dir" / "o.sqlite").string(), &err));
  CHECK(err.find("outbox") == 0);
}

TEST_CASE("outbox: requeue moves dead letters back under their seq and id, attempts reset", "[outbox]") {
  temp_dir d;
  std::string err;
  auto o = outbox::open(d.file(), &err);
  REQUIRE(o);
  REQUIRE(o->add({row("msg_1", "desk"), row("msg_2", "desk"), row("msg_3", "pager")}));
  const auto p = o->pending();
  for (const auto& r : p) {
    REQUIRE(o->begin_attempt(r.seq, 2000));
    REQUIRE(o->dead_letter(r.seq, 3000, "HTTP 400"));
  }
  REQUIRE(o->dead_letters().size() == 3);

  // An unknown seq moves nothing, also not the valid ones named with it.
  auto bad = o->requeue({p[0].seq, 999}, 9000);
  CHECK_FALSE(bad);
  CHECK(o->last_error() == "no dead letter with seq 999");
  CHECK(o->dead_letters().size() == 3);
  CHECK(o->pending().empty());

  // Another connection (the CLI beside a running daemon) requeues one; the first sees it.
  auto cli = outbox::open(d.file(), &err, false);
  REQUIRE(cli);
  auto one = cli->requeue({p[1].seq}, 9000);
  REQUIRE(one);
  CHECK(*one == 1);
  auto h = o->head("desk");
  REQUIRE(h);
  CHECK(h->seq == p[1].seq);
  CHECK(h->id == "msg_2");
  CHECK(h->attempts == 0);
  CHECK(h->next_attempt_ms == 9000);
  CHECK(h->created_ms == 9000);  // max_retry_duration counts from the requeue
  CHECK(h->last_error.empty());
  CHECK(h->body == R"({"a":1})");

  // The rest at once, in seq order.
  auto rest = cli->requeue({}, 9500);
  REQUIRE(rest);
  CHECK(*rest == 2);
  CHECK(o->dead_letters().empty());
  const auto back = o->pending();
  REQUIRE(back.size() == 3);
  CHECK(back[0].id == "msg_1");
  CHECK(back[1].id == "msg_2");
  CHECK(back[2].id == "msg_3");
  // Nothing left: --all moves nothing and says so by its count.
  auto none = cli->requeue({}, 9600);
  REQUIRE(none);
  CHECK(*none == 0);
}

TEST_CASE("outbox: open without create refuses a missing file", "[outbox]") {
  temp_dir d;
  std::string err;
  CHECK_FALSE(outbox::open(d.file(), &err, false));
  CHECK(err.find("outbox " + d.file()) == 0);
  CHECK_FALSE(fs::exists(d.file()));
}

TEST_CASE("outbox: a seq named twice is requeued once", "[outbox]") {
  temp_dir d;
  std::string err;
  auto o = outbox::open(d.file(), &err);
  REQUIRE(o);
  REQUIRE(o->add({row("msg_1", "desk")}));
  const auto seq = o->pending().at(0).seq;
  REQUIRE(o->dead_letter(seq, 3000, "HTTP 400"));
  auto moved = o->requeue({seq, seq}, 9000);
  REQUIRE(moved);
  CHECK(*moved == 1);
  CHECK(o->pending().size() == 1);
  CHECK(o->dead_letters().empty());
}
