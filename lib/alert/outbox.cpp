#include "alert/outbox.hpp"

#include <sqlite3.h>

#include <algorithm>

namespace depthmon::alert {
namespace {

// Schema version 1 (PRAGMA user_version); a later version adds migrations here.
constexpr const char* k_schema = R"sql(
CREATE TABLE IF NOT EXISTS outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL,
  receiver TEXT NOT NULL,
  body TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms INTEGER NOT NULL,
  created_ms INTEGER NOT NULL,
  last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS outbox_by_receiver ON outbox(receiver, seq);
CREATE TABLE IF NOT EXISTS dead_letter (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL,
  receiver TEXT NOT NULL,
  body TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  created_ms INTEGER NOT NULL,
  dead_ms INTEGER NOT NULL,
  reason TEXT NOT NULL
);
PRAGMA user_version = 1;
)sql";

// A prepared statement finalised on scope exit.
class stmt {
 public:
  stmt(sqlite3* db, const char* sql) { ::sqlite3_prepare_v2(db, sql, -1, &s_, nullptr); }
  ~stmt() { ::sqlite3_finalize(s_); }
  stmt(const stmt&) = delete;
  stmt& operator=(const stmt&) = delete;
  explicit operator bool() const noexcept { return s_ != nullptr; }
  stmt& bind(int i, std::int64_t v) {
    ::sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  stmt& bind(int i, const std::string& v) {
    ::sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  int step() { return ::sqlite3_step(s_); }
  std::int64_t i64(int c) { return ::sqlite3_column_int64(s_, c); }
  std::string text(int c) {
    const auto* p = ::sqlite3_column_text(s_, c);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<std::size_t>(::sqlite3_column_bytes(s_, c)))
             : std::string();
  }
  outbox_row row() {  // columns: seq id receiver body attempts next created last_error
    return {i64(0), text(1), text(2), text(3), static_cast<std::uint32_t>(i64(4)), i64(5), i64(6),
            text(7)};
  }

 private:
  sqlite3_stmt* s_ = nullptr;
};

constexpr const char* k_row_cols =
    "seq, id, receiver, body, attempts, next_attempt_ms, created_ms, last_error";

}  // namespace

std::unique_ptr<outbox> outbox::open(const std::string& path, std::string* error, bool create) {
  std::unique_ptr<outbox> o(new outbox());
  if (::sqlite3_open_v2(path.c_str(), &o->db_,
                        SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0),
                        nullptr) != SQLITE_OK) {
    *error = "outbox " + path + ": " + (o->db_ ? ::sqlite3_errmsg(o->db_) : "cannot open");
    return nullptr;
  }
  ::sqlite3_busy_timeout(o->db_, 5000);
  // WAL + FULL: a committed row survives a crash and a power loss; readers never block writers.
  for (const char* sql : {"PRAGMA journal_mode=WAL;", "PRAGMA synchronous=FULL;", k_schema}) {
    if (!o->exec(sql)) {
      *error = "outbox " + path + ": " + o->last_error_;
      return nullptr;
    }
  }
  return o;
}

outbox::~outbox() { ::sqlite3_close_v2(db_); }

core::status outbox::exec(const char* sql) {
  char* msg = nullptr;
  if (::sqlite3_exec(db_, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
    last_error_ = msg ? msg : "sqlite error";
    ::sqlite3_free(msg);
    return {core::errc::invalid_argument, "outbox sqlite"};
  }
  return {};
}

std::string outbox::last_error() const {
  std::lock_guard lock(mu_);
  return last_error_;
}

core::status outbox::add(std::vector<outbox_row> rows) {
  std::lock_guard lock(mu_);
  if (!exec("BEGIN IMMEDIATE;")) return {core::errc::invalid_argument, "outbox begin"};
  for (const auto& r : rows) {
    stmt s(db_, "INSERT INTO outbox (id, receiver, body, attempts, next_attempt_ms, created_ms)"
                " VALUES (?1, ?2, ?3, 0, ?4, ?5);");
    if (!s || s.bind(1, r.id).bind(2, r.receiver).bind(3, r.body).bind(4, r.next_attempt_ms)
                      .bind(5, r.created_ms).step() != SQLITE_DONE) {
      last_error_ = ::sqlite3_errmsg(db_);
      (void)exec("ROLLBACK;");
      return {core::errc::invalid_argument, "outbox insert"};
    }
  }
  if (!exec("COMMIT;")) {
    (void)exec("ROLLBACK;");
    return {core::errc::invalid_argument, "outbox commit"};
  }
  return {};
}

std::optional<outbox_row> outbox::head(const std::string& receiver) {
  std::lock_guard lock(mu_);
  stmt s(db_, (std::string("SELECT ") + k_row_cols +
               " FROM outbox WHERE receiver = ?1 ORDER BY seq LIMIT 1;").c_str());
  if (!s) return std::nullopt;
  s.bind(1, receiver);
  if (s.step() != SQLITE_ROW) return std::nullopt;
  return s.row();
}

core::status outbox::begin_attempt(std::int64_t seq, std::int64_t next_attempt_ms) {
  std::lock_guard lock(mu_);
  stmt s(db_, "UPDATE outbox SET attempts = attempts + 1, next_attempt_ms = ?2 WHERE seq = ?1;");
  if (!s || s.bind(1, seq).bind(2, next_attempt_ms).step() != SQLITE_DONE)
    return {core::errc::invalid_argument, "outbox attempt"};
  return {};
}

core::status outbox::reschedule(std::int64_t seq, std::int64_t next_attempt_ms,
                                const std::string& why) {
  std::lock_guard lock(mu_);
  stmt s(db_, "UPDATE outbox SET next_attempt_ms = ?2, last_error = ?3 WHERE seq = ?1;");
  if (!s || s.bind(1, seq).bind(2, next_attempt_ms).bind(3, why).step() != SQLITE_DONE)
    return {core::errc::invalid_argument, "outbox reschedule"};
  return {};
}

core::status outbox::remove(std::int64_t seq) {
  std::lock_guard lock(mu_);
  stmt s(db_, "DELETE FROM outbox WHERE seq = ?1;");
  if (!s || s.bind(1, seq).step() != SQLITE_DONE)
    return {core::errc::invalid_argument, "outbox remove"};
  return {};
}

core::status outbox::dead_letter(std::int64_t seq, std::int64_t now_ms, const std::string& reason) {
  std::lock_guard lock(mu_);
  if (!exec("BEGIN IMMEDIATE;")) return {core::errc::invalid_argument, "outbox begin"};
  stmt ins(db_, "INSERT INTO dead_letter (seq, id, receiver, body, attempts, created_ms, dead_ms,"
                " reason) SELECT seq, id, receiver, body, attempts, created_ms, ?2, ?3 FROM outbox"
                " WHERE seq = ?1;");
  stmt del(db_, "DELETE FROM outbox WHERE seq = ?1;");
  if (!ins || !del || ins.bind(1, seq).bind(2, now_ms).bind(3, reason).step() != SQLITE_DONE ||
      del.bind(1, seq).step() != SQLITE_DONE || !exec("COMMIT;")) {
    last_error_ = ::sqlite3_errmsg(db_);
    (void)exec("ROLLBACK;");
    return {core::errc::invalid_argument, "outbox dead letter"};
  }
  return {};
}

std::map<std::string, std::uint64_t> outbox::pending_by_receiver() {
  std::lock_guard lock(mu_);
  std::map<std::string, std::uint64_t> out;
  stmt s(db_, "SELECT receiver, COUNT(*) FROM outbox GROUP BY receiver;");
  while (s && s.step() == SQLITE_ROW) out[s.text(0)] = static_cast<std::uint64_t>(s.i64(1));
  return out;
}

std::vector<outbox_row> outbox::pending() {
  std::lock_guard lock(mu_);
  std::vector<outbox_row> out;
  stmt s(db_, (std::string("SELECT ") + k_row_cols + " FROM outbox ORDER BY seq;").c_str());
  while (s && s.step() == SQLITE_ROW) out.push_back(s.row());
  return out;
}

std::vector<dead_letter_row> outbox::dead_letters() {
  std::lock_guard lock(mu_);
  std::vector<dead_letter_row> out;
  stmt s(db_, "SELECT seq, id, receiver, body, attempts, 0, created_ms, '', dead_ms, reason"
              " FROM dead_letter ORDER BY seq;");
  while (s && s.step() == SQLITE_ROW) out.push_back({s.row(), s.i64(8), s.text(9)});
  return out;
}

core::result<std::size_t> outbox::requeue(const std::vector<std::int64_t>& seqs,
                                          std::int64_t now_ms) {
  std::lock_guard lock(mu_);
  if (!exec("BEGIN IMMEDIATE;")) return core::errc::invalid_argument;
  const auto fail = [&](const std::string& why) -> core::result<std::size_t> {
    last_error_ = why;
    (void)exec("ROLLBACK;");
    return core::errc::invalid_argument;
  };
  std::vector<std::int64_t> todo = seqs;
  std::sort(todo.begin(), todo.end());  // a seq named twice moves once
  todo.erase(std::unique(todo.begin(), todo.end()), todo.end());
  if (todo.empty()) {
    stmt all(db_, "SELECT seq FROM dead_letter ORDER BY seq;");
    while (all && all.step() == SQLITE_ROW) todo.push_back(all.i64(0));
  }
  std::size_t moved = 0;
  for (const auto seq : todo) {
    stmt ins(db_, "INSERT INTO outbox (seq, id, receiver, body, attempts, next_attempt_ms,"
                  " created_ms, last_error) SELECT seq, id, receiver, body, 0, ?2, ?2, '' FROM"
                  " dead_letter WHERE seq = ?1;");
    if (!ins || ins.bind(1, seq).bind(2, now_ms).step() != SQLITE_DONE)
      return fail(::sqlite3_errmsg(db_));
    if (::sqlite3_changes(db_) != 1) return fail("no dead letter with seq " + std::to_string(seq));
    stmt del(db_, "DELETE FROM dead_letter WHERE seq = ?1;");
    if (!del || del.bind(1, seq).step() != SQLITE_DONE) return fail(::sqlite3_errmsg(db_));
    ++moved;
  }
  if (!exec("COMMIT;")) return fail(last_error_);
  return moved;
}

}  // namespace depthmon::alert
