#include "support/webhook_receiver.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <optional>
#include <stdexcept>
#include <thread>

#include "net/cert_authority.hpp"
#include "net/http_server.hpp"

namespace depthmon::test {
namespace asio = boost::asio;
using steady = std::chrono::steady_clock;

namespace {

std::string b64(const unsigned char* p, unsigned n) {
  std::string out(4 * ((n + 2) / 3), '\0');
  const int k = ::EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), p, static_cast<int>(n));
  out.resize(static_cast<std::size_t>(k));
  return out;
}

bool verify(const std::string& key, const std::string& id, const std::string& ts,
            const std::string& body, const std::string& header) {
  if (key.empty() || id.empty() || ts.empty() || header.empty()) return false;
  const long long t = std::atoll(ts.c_str());
  const long long now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch()).count();
  if (t < now - 300 || t > now + 300) return false;  // Standard Webhooks tolerance
  const std::string content = id + "." + ts + "." + body;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  ::HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(content.data()), content.size(), mac, &len);
  const std::string expected = "v1," + b64(mac, len);
  // Space-separated list of signatures; any may match (secret rotation).
  std::size_t pos = 0;
  while (pos <= header.size()) {
    auto end = header.find(' ', pos);
    if (end == std::string::npos) end = header.size();
    const std::string one = header.substr(pos, end - pos);
    if (one.size() == expected.size() &&
        CRYPTO_memcmp(one.data(), expected.data(), one.size()) == 0)
      return true;
    pos = end + 1;
  }
  return false;
}

}  // namespace

struct webhook_receiver::impl {
  webhook_receiver_options o;
  net::pki_files pki;
  std::filesystem::path dir;
  asio::io_context ioc;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::thread th;
  std::unique_ptr<net::http_server> server;  // server thread only
  std::vector<net::http_responder> hung;     // server thread only
  std::uint16_t port = 0;
  asio::steady_timer lifetime{ioc};

  mutable std::mutex mu;
  mutable std::condition_variable cv;
  std::deque<webhook_answer> answers;
  std::vector<webhook_hit> log;

  template <class F>
  void on_thread(F&& f) {
    std::promise<void> p;
    asio::post(ioc, [&] {
      f();
      p.set_value();
    });
    p.get_future().wait();
  }

  void listen() {  // server thread
    net::http_server_options so;
    so.port = port;
    if (o.tls) {
      so.cert_pem = pki.cert_pem;
      so.key_pem = pki.key_pem;
    }
    so.max_body_bytes = 1u << 20;
    server = std::make_unique<net::http_server>(ioc, so);
    server->handle_async(net::verb::post, "/",
                         [this](const net::server_request& rq, net::http_responder resp) {
                           on_request(rq, std::move(resp));
                         },
                         net::path_match::prefix);
    std::string msg;
    if (auto ec = server->start(&msg)) throw std::runtime_error("webhook_receiver: " + msg);
    port = server->port();
  }

  void on_request(const net::server_request& rq, net::http_responder resp) {
    webhook_hit h;
    h.path = rq.path;
    h.method = rq.method_text;
    h.body = rq.body;
    h.content_type = std::string(rq.header("content-type"));
    h.id = std::string(rq.header("webhook-id"));
    h.timestamp = std::string(rq.header("webhook-timestamp"));
    h.signature = std::string(rq.header("webhook-signature"));
    h.idempotency_key = std::string(rq.header("idempotency-key"));
    h.signature_ok = verify(o.key, h.id, h.timestamp, h.body, h.signature);
    h.at = steady::now();
    webhook_answer a;
    {
      std::lock_guard lock(mu);
      if (!answers.empty()) {
        a = answers.front();
        answers.pop_front();
      }
      h.answered = a.hang ? 0 : a.status;
      log.push_back(h);
    }
    cv.notify_all();
    if (a.hang) {
      hung.push_back(std::move(resp));
      return;
    }
    net::server_response r;
    r.status = a.status;
    r.body = a.body;
    if (!a.retry_after.empty()) r.headers.emplace_back("Retry-After", a.retry_after);
    if (o.delay.count() == 0) return resp(std::move(r));
    auto t = std::make_shared<asio::steady_timer>(ioc, o.delay);
    t->async_wait([t, r = std::move(r), rs = std::make_shared<net::http_responder>(std::move(resp))](
                      boost::system::error_code) mutable { (*rs)(std::move(r)); });
  }

  void close() {  // server thread
    hung.clear();
    if (server) server->stop();
    server.reset();
  }
};

webhook_receiver::webhook_receiver(webhook_receiver_options o) : impl_(std::make_shared<impl>()) {
  impl_->o = std::move(o);
  static std::atomic<int> n{0};
  impl_->dir = std::filesystem::temp_directory_path() /
               ("depthmon_webhook_" + std::to_string(::getpid()) + "_" + std::to_string(n++));
  std::string err;
  auto files = net::write_loopback_pki(impl_->dir.string(), &err);
  if (!files) throw std::runtime_error("webhook_receiver: " + err);
  impl_->pki = *files;
  impl_->work.emplace(impl_->ioc.get_executor());
  impl_->th = std::thread([i = impl_.get()] { i->ioc.run(); });
  std::exception_ptr failed;
  impl_->on_thread([&] {
    try {
      impl_->listen();
    } catch (...) {
      failed = std::current_exception();
    }
    impl_->lifetime.expires_after(impl_->o.lifetime);
    impl_->lifetime.async_wait([i = impl_.get()](boost::system::error_code ec) {
      if (!ec) i->close();
    });
  });
  if (failed) {
    impl_->work.reset();
    impl_->ioc.stop();
    impl_->th.join();
    std::rethrow_exception(failed);
  }
}

webhook_receiver::~webhook_receiver() {
  impl_->on_thread([&] {
    impl_->lifetime.cancel();
    impl_->close();
  });
  impl_->work.reset();
  impl_->ioc.stop();
  impl_->th.join();
  std::error_code ec;
  std::filesystem::remove_all(impl_->dir, ec);
}

std::string webhook_receiver::url(const std::string& path) const {
  return std::string(impl_->o.tls ? "https" : "http") + "://127.0.0.1:" +
         std::to_string(impl_->port) + path;
}
std::uint16_t webhook_receiver::port() const noexcept { return impl_->port; }
const std::string& webhook_receiver::ca_file() const { return impl_->pki.ca_file; }

void webhook_receiver::script(std::vector<webhook_answer> answers) {
  std::lock_guard lock(impl_->mu);
  for (auto& a : answers) impl_->answers.push_back(std::move(a));
}

void webhook_receiver::down() {
  impl_->on_thread([&] { impl_->close(); });
}
void webhook_receiver::up() {
  impl_->on_thread([&] { impl_->listen(); });
}

std::vector<webhook_hit> webhook_receiver::hits() const {
  std::lock_guard lock(impl_->mu);
  return impl_->log;
}

bool webhook_receiver::wait_for(const std::function<bool(const std::vector<webhook_hit>&)>& pred,
                                std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->mu);
  return impl_->cv.wait_for(lock, timeout, [&] { return pred(impl_->log); });
}

}  // namespace depthmon::test
