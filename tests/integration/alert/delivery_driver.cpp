// tests/integration/alert/delivery_driver.cpp — a small process around outbox + delivery for
// the SIGKILL test: `delivery_driver STATE_DIR URL CA_FILE KEY N` opens STATE_DIR/outbox.sqlite,
// submits N notifications to one signed webhook receiver, prints "id <webhook-id>" per row
// then "submitted", and exits 0 printing "drained" once the outbox is empty (2 on errors).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "alert/delivery.hpp"
#include "alert_support.hpp"

using namespace depthmon;

int main(int argc, char** argv) {
  if (argc != 6) return std::fprintf(stderr, "usage: delivery_driver DIR URL CA KEY N\n"), 2;
  std::string err;
  auto box = alert::outbox::open(std::string(argv[1]) + "/outbox.sqlite", &err);
  if (!box) return std::fprintf(stderr, "%s\n", err.c_str()), 2;
  auto ep = test::endpoint("desk", alert::receiver_kind::webhook, argv[2], argv[3], argv[4]);
  alert::delivery_options o;
  o.use_proxy_environment = false;
  alert::delivery d(*box, {ep}, o);
  const int n = std::atoi(argv[5]);
  for (int i = 0; i < n; ++i)
    if (!d.submit(test::sample("desk", i))) return std::fprintf(stderr, "submit failed\n"), 2;
  for (const auto& row : box->pending()) std::printf("id %s\n", row.id.c_str());
  std::printf("submitted\n");
  std::fflush(stdout);
  d.start();
  // Polls the outbox (another thread empties it); bounded so a broken run ends by itself.
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!box->pending().empty()) {
    if (std::chrono::steady_clock::now() > end) return std::fprintf(stderr, "not drained\n"), 2;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::printf("drained\n");
  std::fflush(stdout);
  return 0;
}
