#include "baseline/history_store.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <utility>

namespace depthmon::baseline {
namespace {

// v1: books (identity once), minutes (per book and minute), band depth and price impact per
// minute (NULL: incomplete / not fillable). Children cascade from their minute, so a replaced
// or pruned minute takes its bands and impacts with it. Rows are keyed (book, minute) first:
// a per-book window query is a range scan of the primary key; minutes_by_time serves prune.
constexpr const char* k_v1 = R"sql(
CREATE TABLE books(
  id INTEGER PRIMARY KEY,
  venue TEXT NOT NULL,
  symbol TEXT NOT NULL,
  base TEXT NOT NULL,
  quote TEXT NOT NULL,
  UNIQUE(venue, symbol));
CREATE TABLE minutes(
  book_id INTEGER NOT NULL REFERENCES books(id),
  minute INTEGER NOT NULL,
  mid REAL,
  spread_bps REAL,
  live_fraction REAL NOT NULL,
  PRIMARY KEY(book_id, minute)) WITHOUT ROWID;
CREATE INDEX minutes_by_time ON minutes(minute);
CREATE TABLE band_depth(
  book_id INTEGER NOT NULL,
  minute INTEGER NOT NULL,
  band_pct TEXT NOT NULL,
  bid_usd REAL,
  ask_usd REAL,
  PRIMARY KEY(book_id, minute, band_pct),
  FOREIGN KEY(book_id, minute) REFERENCES minutes(book_id, minute) ON DELETE CASCADE) WITHOUT ROWID;
CREATE TABLE impacts(
  book_id INTEGER NOT NULL,
  minute INTEGER NOT NULL,
  notional_usd INTEGER NOT NULL,
  bid_bps REAL,
  ask_bps REAL,
  PRIMARY KEY(book_id, minute, notional_usd),
  FOREIGN KEY(book_id, minute) REFERENCES minutes(book_id, minute) ON DELETE CASCADE) WITHOUT ROWID;
)sql";

constexpr std::array<migration, 1> k_migrations{{{1, k_v1}}};

// A prepared statement, finalized on destruction.
class stmt {
 public:
  stmt() = default;
  stmt(sqlite3* db, const char* sql) { ok_ = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s_, nullptr) == SQLITE_OK; }
  ~stmt() { sqlite3_finalize(s_); }
  stmt(const stmt&) = delete;
  stmt& operator=(const stmt&) = delete;
  stmt(stmt&& o) noexcept : s_(std::exchange(o.s_, nullptr)), ok_(o.ok_) {}
  stmt& operator=(stmt&& o) noexcept {
    std::swap(s_, o.s_);
    std::swap(ok_, o.ok_);
    return *this;
  }
  bool ok() const noexcept { return ok_; }
  sqlite3_stmt* get() const noexcept { return s_; }
  // Ready for new bindings.
  sqlite3_stmt* fresh() const noexcept {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
    return s_;
  }

 private:
  sqlite3_stmt* s_ = nullptr;
  bool ok_ = false;
};

void bind_opt(sqlite3_stmt* s, int i, const std::optional<double>& v) {
  if (v) sqlite3_bind_double(s, i, *v);
  else sqlite3_bind_null(s, i);
}

std::optional<double> column_opt(sqlite3_stmt* s, int i) {
  if (sqlite3_column_type(s, i) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_double(s, i);
}

std::string column_text(sqlite3_stmt* s, int i) {
  const auto* p = sqlite3_column_text(s, i);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(s, i)))
           : std::string();
}

void bind_text(sqlite3_stmt* s, int i, std::string_view v) {
  sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}

struct stored_book {
  std::int64_t id = 0;
  core::venue venue = core::venue::binance;
  std::string symbol, base, quote;
};

}  // namespace

struct history_store::impl {
  std::string path;
  sqlite3* db = nullptr;
  int version = 0;
  stmt find_book, add_book, del_minute, add_minute, add_band, add_impact, prune, books_ordered,
      book_minutes, book_samples, minute_bands, minute_impacts;

  // close_v2: the connection closes once the statements (members, destroyed after this body)
  // are finalized.
  ~impl() {
    if (db) sqlite3_close_v2(db);
  }

  std::string fail(std::string_view what) const {
    return path + ": " + std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "out of memory");
  }

  bool exec(const char* sql, std::string& error) {
    char* msg = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &msg) == SQLITE_OK) return true;
    error = path + ": " + (msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    return false;
  }

  bool step_done(sqlite3_stmt* s, std::string_view what, std::string& error) {
    if (sqlite3_step(s) == SQLITE_DONE) return true;
    error = fail(what);
    return false;
  }

  int read_version() {
    stmt s(db, "PRAGMA user_version");
    return s.ok() && sqlite3_step(s.get()) == SQLITE_ROW ? sqlite3_column_int(s.get(), 0) : -1;
  }

  bool migrate(std::span<const migration> steps, std::string& error) {
    version = read_version();
    if (version < 0) {
      error = fail("reading the schema version");
      return false;
    }
    const int newest = steps.empty() ? 0 : steps.back().version;
    if (version > newest) {
      error = path + ": schema version " + std::to_string(version) + " is newer than this build knows (" +
              std::to_string(newest) + "); refusing to open it";
      return false;
    }
    for (const migration& m : steps) {
      if (m.version <= version) continue;
      // The version is read again under the write lock: another connection (the daemon's
      // resolver, `depthmon baseline build`) may have run this step since.
      if (!exec("BEGIN IMMEDIATE", error)) return false;
      if (const int now = read_version(); now >= m.version) {
        sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
        version = now;
        continue;
      }
      const std::string sql = std::string(m.sql) + "\nPRAGMA user_version = " + std::to_string(m.version) +
                              ";\nCOMMIT;";
      if (!exec(sql.c_str(), error)) {
        sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        error = "migration to schema version " + std::to_string(m.version) + " failed: " + error;
        return false;
      }
      version = m.version;
    }
    return true;
  }

  bool prepare(std::string& error) {
    struct item {
      stmt* s;
      const char* sql;
    };
    const item items[] = {
        {&find_book, "SELECT id FROM books WHERE venue = ?1 AND symbol = ?2"},
        {&add_book, "INSERT INTO books(venue, symbol, base, quote) VALUES(?1, ?2, ?3, ?4)"},
        {&del_minute, "DELETE FROM minutes WHERE book_id = ?1 AND minute = ?2"},
        {&add_minute, "INSERT INTO minutes(book_id, minute, mid, spread_bps, live_fraction) VALUES(?1, ?2, ?3, ?4, ?5)"},
        {&add_band, "INSERT INTO band_depth(book_id, minute, band_pct, bid_usd, ask_usd) VALUES(?1, ?2, ?3, ?4, ?5)"},
        {&add_impact, "INSERT INTO impacts(book_id, minute, notional_usd, bid_bps, ask_bps) VALUES(?1, ?2, ?3, ?4, ?5)"},
        {&prune, "DELETE FROM minutes WHERE minute < ?1"},
        {&books_ordered, "SELECT id, venue, symbol, base, quote FROM books ORDER BY venue, symbol"},
        {&book_minutes, "SELECT minute, mid, spread_bps, live_fraction FROM minutes WHERE book_id = ?1 AND minute >= ?2 AND minute < ?3 ORDER BY minute"},
        {&book_samples, "SELECT minute, band_pct, bid_usd, ask_usd FROM band_depth WHERE book_id = ?1 AND minute >= ?2 AND minute < ?3 ORDER BY minute, band_pct"},
        {&minute_bands, "SELECT band_pct, bid_usd, ask_usd FROM band_depth WHERE book_id = ?1 AND minute = ?2"},
        {&minute_impacts, "SELECT notional_usd, bid_bps, ask_bps FROM impacts WHERE book_id = ?1 AND minute = ?2 ORDER BY notional_usd"},
    };
    for (const auto& it : items) {
      *it.s = stmt(db, it.sql);
      if (!it.s->ok()) {
        error = fail("preparing statements");
        return false;
      }
    }
    return true;
  }

  // The book's id, adding it when new (inside the caller's transaction).
  std::optional<std::int64_t> book_id(const minute_row& r, std::string& error) {
    sqlite3_stmt* s = find_book.fresh();
    bind_text(s, 1, core::to_string(r.venue));
    bind_text(s, 2, r.symbol);
    if (sqlite3_step(s) == SQLITE_ROW) {
      const std::int64_t id = sqlite3_column_int64(s, 0);
      sqlite3_reset(s);
      return id;
    }
    s = add_book.fresh();
    bind_text(s, 1, core::to_string(r.venue));
    bind_text(s, 2, r.symbol);
    bind_text(s, 3, r.base);
    bind_text(s, 4, r.quote);
    if (!step_done(s, "adding a book", error)) return std::nullopt;
    return sqlite3_last_insert_rowid(db);
  }

  bool insert_row(const minute_row& r, std::string& error) {
    const auto id = book_id(r, error);
    if (!id) return false;
    sqlite3_stmt* s = del_minute.fresh();
    sqlite3_bind_int64(s, 1, *id);
    sqlite3_bind_int64(s, 2, r.minute);
    if (!step_done(s, "replacing a minute", error)) return false;
    s = add_minute.fresh();
    sqlite3_bind_int64(s, 1, *id);
    sqlite3_bind_int64(s, 2, r.minute);
    bind_opt(s, 3, r.mid);
    bind_opt(s, 4, r.spread_bps);
    sqlite3_bind_double(s, 5, r.live_fraction);
    if (!step_done(s, "adding a minute", error)) return false;
    for (const band_row& b : r.bands) {
      s = add_band.fresh();
      sqlite3_bind_int64(s, 1, *id);
      sqlite3_bind_int64(s, 2, r.minute);
      bind_text(s, 3, core::to_string(b.band_pct));
      bind_opt(s, 4, b.bid_usd);
      bind_opt(s, 5, b.ask_usd);
      if (!step_done(s, "adding band depth", error)) return false;
    }
    for (const impact_row& m : r.impacts) {
      s = add_impact.fresh();
      sqlite3_bind_int64(s, 1, *id);
      sqlite3_bind_int64(s, 2, r.minute);
      sqlite3_bind_int64(s, 3, m.notional_usd);
      bind_opt(s, 4, m.bid_bps);
      bind_opt(s, 5, m.ask_bps);
      if (!step_done(s, "adding price impact", error)) return false;
    }
    return true;
  }

  // `q` ready to run over one book's [from, to).
  static sqlite3_stmt* book_window(const stmt& q, std::int64_t book, core::unix_nanos from, core::unix_nanos to) {
    sqlite3_stmt* s = q.fresh();
    sqlite3_bind_int64(s, 1, book);
    sqlite3_bind_int64(s, 2, from);
    sqlite3_bind_int64(s, 3, to);
    return s;
  }

  // One book's complete figures in [from, to), by minute.
  bool book_samples_of(const stored_book& b, core::unix_nanos from, core::unix_nanos to,
                       const std::function<void(const depth_sample&)>& visit, std::string& error) {
    sqlite3_stmt* s = book_window(book_samples, b.id, from, to);
    depth_sample d;
    d.venue = b.venue;
    d.symbol = b.symbol;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      const auto pct = core::parse_decimal(column_text(s, 1));
      if (!pct) continue;
      d.time = sqlite3_column_int64(s, 0);
      d.band_pct = *pct;
      for (auto [col, side] : {std::pair{2, core::side::bid}, std::pair{3, core::side::ask}})
        if (const auto v = column_opt(s, col)) {
          d.side = side;
          d.depth_usd = *v;
          visit(d);
        }
    }
    if (rc != SQLITE_DONE) {
      error = fail("reading samples");
      return false;
    }
    return true;
  }

  // Every book, in (venue, symbol) order; books of venues this build does not know are skipped.
  bool books(std::vector<stored_book>& out, std::string& error) const {
    sqlite3_stmt* s = books_ordered.fresh();
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      const auto v = core::venue_from_string(column_text(s, 1));
      if (!v) continue;
      out.push_back({sqlite3_column_int64(s, 0), *v, column_text(s, 2), column_text(s, 3), column_text(s, 4)});
    }
    if (rc != SQLITE_DONE) {
      error = fail("reading books");
      return false;
    }
    return true;
  }
};

history_store::history_store(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
history_store::~history_store() = default;

std::span<const migration> history_store::migrations() noexcept { return k_migrations; }

std::unique_ptr<history_store> history_store::open(const std::string& path, std::string& error) {
  return open(path, error, migrations());
}

std::unique_ptr<history_store> history_store::open(const std::string& path, std::string& error,
                                                   std::span<const migration> steps) {
  auto m = std::make_unique<impl>();
  m->path = path;
  if (sqlite3_open_v2(path.c_str(), &m->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    error = m->fail("cannot open");
    return nullptr;
  }
  sqlite3_extended_result_codes(m->db, 1);
  // WAL: readers (depthmon baseline build, a second connection) never block the recorder;
  // synchronous=NORMAL in WAL mode keeps the database consistent on power loss and loses at
  // most the transactions since the last checkpoint sync, never a half-written one.
  // busy_timeout: a checkpoint or another writer holding the lock is waited for, not failed.
  sqlite3_busy_timeout(m->db, 5000);
  if (!m->exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;", error) ||
      !m->migrate(steps, error) || !m->prepare(error))
    return nullptr;
  return std::unique_ptr<history_store>(new history_store(std::move(m)));
}

int history_store::schema_version() const noexcept { return impl_->version; }
const std::string& history_store::path() const noexcept { return impl_->path; }

bool history_store::insert(const std::vector<minute_row>& rows, std::string& error) {
  auto& m = *impl_;
  if (!m.exec("BEGIN IMMEDIATE", error)) return false;
  for (const auto& r : rows)
    if (!m.insert_row(r, error)) {
      sqlite3_exec(m.db, "ROLLBACK", nullptr, nullptr, nullptr);
      return false;
    }
  if (!m.exec("COMMIT", error)) {
    sqlite3_exec(m.db, "ROLLBACK", nullptr, nullptr, nullptr);
    return false;
  }
  return true;
}

bool history_store::prune(core::unix_nanos cutoff, std::string& error) {
  auto& m = *impl_;
  sqlite3_stmt* s = m.prune.fresh();
  sqlite3_bind_int64(s, 1, cutoff);
  return m.step_done(s, "pruning", error);
}

bool history_store::for_each_sample(core::unix_nanos window_start, core::unix_nanos window_end,
                                    const std::function<void(const depth_sample&)>& visit,
                                    std::string& error) const {
  auto& m = *impl_;
  std::vector<stored_book> books;
  if (!m.books(books, error)) return false;
  for (const auto& b : books)
    if (!m.book_samples_of(b, window_start, window_end, visit, error)) return false;
  return true;
}

bool history_store::for_each_sample(core::venue v, std::string_view symbol, core::unix_nanos window_start,
                                    core::unix_nanos window_end,
                                    const std::function<void(const depth_sample&)>& visit,
                                    std::string& error) const {
  auto& m = *impl_;
  sqlite3_stmt* f = m.find_book.fresh();
  bind_text(f, 1, core::to_string(v));
  bind_text(f, 2, symbol);
  const int rc = sqlite3_step(f);
  if (rc == SQLITE_DONE) return true;  // never recorded: no samples
  if (rc != SQLITE_ROW) {
    error = m.fail("finding a book");
    return false;
  }
  const stored_book b{sqlite3_column_int64(f, 0), v, std::string(symbol), {}, {}};
  sqlite3_reset(f);  // a statement left on a row holds its read snapshot (and WAL checkpoints) open
  return m.book_samples_of(b, window_start, window_end, visit, error);
}

bool history_store::for_each_row(core::unix_nanos window_start, core::unix_nanos window_end,
                                 const std::function<void(const minute_row&)>& visit,
                                 std::string& error) const {
  auto& m = *impl_;
  std::vector<stored_book> books;
  if (!m.books(books, error)) return false;
  minute_row r;
  for (const auto& b : books) {
    r.venue = b.venue;
    r.symbol = b.symbol;
    r.base = b.base;
    r.quote = b.quote;
    sqlite3_stmt* s = m.book_window(m.book_minutes, b.id, window_start, window_end);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      r.minute = sqlite3_column_int64(s, 0);
      r.mid = column_opt(s, 1);
      r.spread_bps = column_opt(s, 2);
      r.live_fraction = sqlite3_column_double(s, 3);
      r.bands.clear();
      r.impacts.clear();
      sqlite3_stmt* bs = m.minute_bands.fresh();
      sqlite3_bind_int64(bs, 1, b.id);
      sqlite3_bind_int64(bs, 2, r.minute);
      int brc;
      while ((brc = sqlite3_step(bs)) == SQLITE_ROW)
        if (const auto pct = core::parse_decimal(column_text(bs, 0)))
          r.bands.push_back({*pct, column_opt(bs, 1), column_opt(bs, 2)});
      sqlite3_stmt* is = m.minute_impacts.fresh();
      sqlite3_bind_int64(is, 1, b.id);
      sqlite3_bind_int64(is, 2, r.minute);
      int irc;
      while ((irc = sqlite3_step(is)) == SQLITE_ROW)
        r.impacts.push_back({sqlite3_column_int64(is, 0), column_opt(is, 1), column_opt(is, 2)});
      if (brc != SQLITE_DONE || irc != SQLITE_DONE) {
        error = m.fail("reading a minute's bands and impacts");
        return false;
      }
      // Bands by value (the TEXT key orders "10" before "2").
      std::sort(r.bands.begin(), r.bands.end(), [](const band_row& x, const band_row& y) {
        return core::compare_scaled(x.band_pct.mantissa, x.band_pct.scale, y.band_pct.mantissa, y.band_pct.scale) < 0;
      });
      visit(r);
    }
    if (rc != SQLITE_DONE) {
      error = m.fail("reading minutes");
      return false;
    }
  }
  return true;
}

std::string history_store::integrity_check() const {
  stmt s(impl_->db, "PRAGMA integrity_check");
  std::string out;
  if (!s.ok()) return impl_->fail("integrity_check");
  while (sqlite3_step(s.get()) == SQLITE_ROW) {
    if (!out.empty()) out += "\n";
    out += column_text(s.get(), 0);
  }
  return out;
}

}  // namespace depthmon::baseline
