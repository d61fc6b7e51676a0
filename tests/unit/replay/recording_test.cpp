// replay/recording.hpp: the record format (payloads with newlines and spaces survive), the
// parser's incomplete/malformed verdicts, the reader on gzip with a truncated tail, and the
// replay's stream rules (R repeats, P restarts, D resets the protocol, S feeds a REST snapshot).
#include <catch2/catch.hpp>
#include <zlib.h>

#include <filesystem>
#include <unistd.h>

#include "replay/recording.hpp"
#include "support/json.hpp"

using namespace depthmon;

namespace {

std::string temp(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("recording_test_" + std::to_string(::getpid()) + "_" + name))
      .string();
}

void write_gz(const std::string& path, const std::string& text, std::size_t cut = std::string::npos) {
  gzFile g = gzopen(path.c_str(), "wb");
  REQUIRE(g);
  gzwrite(g, text.data(), static_cast<unsigned>(text.size()));
  gzclose(g);
  if (cut != std::string::npos) std::filesystem::resize_file(path, cut);
}

}  // namespace

TEST_CASE("a record holds any payload, newlines included", "[replay][recording]") {
  std::string t;
  const std::string frame = "{\"a\": 1,\n \"b\": \"x y\"}\n\n";
  replay::append_record(t, 1'759'276'800'123'456'789, "binance-usdm", 7, 'F', {}, frame);
  replay::append_record(t, 5, "okx", 1, 'S', "BTC-USDT", "");
  CHECK(t.starts_with("1759276800123456789 binance-usdm 7 F - 23 "));
  replay::record r;
  std::size_t used = 0;
  REQUIRE(replay::parse_record(t, r, used) == 1);
  CHECK(r.recv == 1'759'276'800'123'456'789);
  CHECK(r.venue == "binance-usdm");
  CHECK(r.stream == 7);
  CHECK(r.kind == 'F');
  CHECK(r.arg.empty());
  CHECK(r.payload == frame);
  const std::string_view rest = std::string_view(t).substr(used);
  REQUIRE(replay::parse_record(rest, r, used) == 1);
  CHECK(r.arg == "BTC-USDT");
  CHECK(r.payload.empty());
  CHECK(used == rest.size());

  CHECK(replay::parse_record(t.substr(0, 30), r, used) == 0);   // header cut: need more
  CHECK(replay::parse_record(t.substr(0, 50), r, used) == 0);   // payload cut: need more
  CHECK(replay::parse_record("x binance 1 F - 3 abc\n", r, used) == -1);
  CHECK(replay::parse_record("1 binance 1 F - 3 abcd\n", r, used) == -1);  // no newline after len bytes
  CHECK(replay::parse_record("1 binance 1 FF - 0 \n", r, used) == -1);
}

TEST_CASE("recording_reader reads gzip records and stops cleanly at a truncated tail", "[replay][recording]") {
  std::string t(replay::recording_magic);
  for (int i = 0; i < 2000; ++i)
    replay::append_record(t, 1000 + i, "okx", 1, 'F', {}, "frame " + std::to_string(i) + " " + std::string(200, 'z'));
  const auto whole = temp("whole.gz"), cut = temp("cut.gz"), plain = temp("plain");
  write_gz(whole, t);
  REQUIRE(replay::is_recording(whole));
  replay::recording_reader in;
  std::string err;
  REQUIRE(in.open(whole, err));
  replay::record r;
  int n = 0;
  bool ordered = true;
  while (in.next(r)) ordered = ordered && r.recv == 1000 + n++;
  CHECK(ordered);
  CHECK(n == 2000);
  CHECK(in.error().empty());
  CHECK_FALSE(in.truncated());

  // A daemon killed mid-file: the compressed stream ends early.
  write_gz(cut, t, std::filesystem::file_size(whole) / 2);
  replay::recording_reader c;
  REQUIRE(c.open(cut, err));
  n = 0;
  while (c.next(r)) ++n;
  CHECK(n > 0);
  CHECK(n < 2000);
  CHECK(c.truncated());
  CHECK(c.error().empty());

  // Not a recording.
  { std::FILE* f = std::fopen(plain.c_str(), "w"); std::fputs("{\"e\":1}\n", f); std::fclose(f); }
  CHECK_FALSE(replay::is_recording(plain));
  replay::recording_reader p;
  CHECK_FALSE(p.open(plain, err));
  CHECK(err.find("not a depthmon recording") != std::string::npos);
  for (const auto& f : {whole, cut, plain}) std::filesystem::remove(f);
}

TEST_CASE("recording_replay: streams, repeats, restarts, disconnects and REST snapshots", "[replay][recording]") {
  // Binance spot initialises from REST: the S record is the snapshot the feed applied.
  const std::string snap = R"({"lastUpdateId":100,"bids":[["10.0","1"],["9.0","2"]],"asks":[["11.0","1"],["12.0","1"]]})";
  auto diff = [](int U, int u, const char* bid) {
    return std::string(R"({"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":)") +
           std::to_string(U) + R"(,"u":)" + std::to_string(u) + R"(,"b":[[")" + bid + R"(","3"]],"a":[]}})";
  };
  std::vector<std::string> lines;
  auto feed_all = [&](replay::recording_replay& rr, const std::string& text) {
    std::string_view in = text;
    replay::record r;
    std::size_t used = 0;
    while (!in.empty()) {
      REQUIRE(replay::parse_record(in, r, used) == 1);
      const auto st = rr.feed(r);
      INFO(std::string(r.payload));
      CHECK(st);
      in.remove_prefix(used);
    }
  };
  std::string t;
  replay::append_record(t, 1, "binance", 1, 'P', "BTCUSDT", "");
  replay::append_record(t, 2, "binance", 1, 'F', {}, diff(101, 101, "10.0"));
  replay::append_record(t, 3, "binance", 1, 'S', "BTCUSDT", snap);
  replay::append_record(t, 4, "binance", 1, 'F', {}, diff(102, 102, "9.5"));
  replay::append_record(t, 5, "binance", 1, 'R', "BTCUSDT", "");  // a rotated file's repeat: no reset
  replay::append_record(t, 6, "okx", 1, 'F', {}, "ignored: --venue binance");

  replay::recording_options o;
  o.venue = core::venue::binance;
  replay::recording_replay rr(o);
  feed_all(rr, t);
  auto js = rr.books_json();
  REQUIRE(js.size() == 1);
  CHECK(test::json_field(js[0], "status") == "live");
  CHECK(test::json_field(js[0], "last_update_id") == "102");
  CHECK(test::json_field(js[0], "snapshots") == "1");
  CHECK(test::json_field(js[0], "levels").find("\"bid\":3") != std::string::npos);

  // The connection was lost: the book syncs again until a new snapshot arrives.
  std::string d;
  replay::append_record(d, 7, "binance", 1, 'D', {}, "");
  feed_all(rr, d);
  js = rr.books_json();
  CHECK(test::json_field(js[0], "status") != "live");

  // A planned replacement (stream 2) live on its own snapshot serves the book from then on;
  // the old stream goes on prune().
  std::string p;
  replay::append_record(p, 8, "binance", 2, 'P', "BTCUSDT", "");
  replay::append_record(p, 9, "binance", 2, 'F', {}, diff(201, 201, "8.0"));
  replay::append_record(p, 10, "binance", 2, 'S', "BTCUSDT", R"({"lastUpdateId":200,"bids":[["10.0","1"]],"asks":[["11.0","1"]]})");
  feed_all(rr, p);
  js = rr.books_json();
  REQUIRE(js.size() == 1);
  CHECK(test::json_field(js[0], "status") == "live");
  CHECK(test::json_field(js[0], "last_update_id") == "201");
  rr.prune();
  CHECK(rr.books_json() == js);

  // A record for a stream never described is not understood.
  std::string u;
  replay::append_record(u, 11, "binance", 9, 'F', {}, diff(1, 1, "1"));
  replay::record r;
  std::size_t used = 0;
  REQUIRE(replay::parse_record(u, r, used) == 1);
  CHECK_FALSE(rr.feed(r));
}
