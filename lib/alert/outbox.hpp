// alert/outbox.hpp — the durable outbox: every rendered notification is written to SQLite
// (state_dir/outbox.sqlite, WAL, synchronous=FULL) before its first attempt and removed only
// after a 2xx; after the last attempt (max_attempts / max_retry_duration) or a non-retryable
// answer it moves to the dead_letter table with its reason. A restart finds the pending rows and
// resends them under the same webhook-id. Rows hold no secrets (alert/receivers.hpp). An
// operator lists dead letters and sends them again with `depthmon alerts dead-letters` and
// `depthmon alerts requeue` (requeue()).
//
// Per receiver the rows are delivered in `seq` order (a resolved never overtakes its firing).
//
// Threads: one SQLite connection behind a mutex; add() is called on the alert thread (through
// delivery::submit), the rest on the delivery thread; every call is short (no network).
// Errors: open() returns nullopt with a one-line reason; later calls return core::status /
// empty results and keep the last SQLite message for the log (last_error()).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

struct sqlite3;

namespace depthmon::alert {

struct outbox_row {
  std::int64_t seq = 0;
  std::string id;        // webhook-id, stable across retries and restarts
  std::string receiver;
  std::string body;      // rendered, without secrets
  std::uint32_t attempts = 0;
  std::int64_t next_attempt_ms = 0;  // unix ms
  std::int64_t created_ms = 0;
  std::string last_error;
};

struct dead_letter_row {
  outbox_row row;
  std::int64_t dead_ms = 0;
  std::string reason;
};

class outbox {
 public:
  // Creates the file (and the tables) when absent unless `create` is false (tools that inspect
  // a daemon's outbox: a missing file is an error then); `path` e.g. state_dir +
  // "/outbox.sqlite". Other processes may hold the same file (WAL, 5 s busy timeout).
  static std::unique_ptr<outbox> open(const std::string& path, std::string* error,
                                      bool create = true);
  ~outbox();
  outbox(const outbox&) = delete;
  outbox& operator=(const outbox&) = delete;

  // One transaction, fsynced before returning: the rows exist when this returns ok.
  core::status add(std::vector<outbox_row> rows);
  // The oldest pending row of `receiver` (lowest seq), if any.
  std::optional<outbox_row> head(const std::string& receiver);
  // Before an attempt: attempts+1 and the time the next one may start should this one fail.
  core::status begin_attempt(std::int64_t seq, std::int64_t next_attempt_ms);
  core::status reschedule(std::int64_t seq, std::int64_t next_attempt_ms, const std::string& why);
  core::status remove(std::int64_t seq);                        // after a 2xx
  core::status dead_letter(std::int64_t seq, std::int64_t now_ms, const std::string& reason);

  std::map<std::string, std::uint64_t> pending_by_receiver();
  std::vector<outbox_row> pending();  // every receiver, seq order
  std::vector<dead_letter_row> dead_letters();
  // Moves dead letters back to the pending rows under their seq and webhook-id, attempts and
  // the retry clock reset to `now_ms` (a requeued row gets max_retry_duration afresh), in one
  // transaction; `seqs` empty moves every one. Returns how many moved; a seq that is not a dead
  // letter is an error and moves nothing.
  core::result<std::size_t> requeue(const std::vector<std::int64_t>& seqs, std::int64_t now_ms);
  std::string last_error() const;

 private:
  outbox() = default;
  core::status exec(const char* sql);
  mutable std::mutex mu_;
  sqlite3* db_ = nullptr;
  std::string last_error_;
};

}  // namespace depthmon::alert
