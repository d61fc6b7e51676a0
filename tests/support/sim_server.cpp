#include "support/sim_server.hpp"

#include <stdexcept>

namespace depthmon::test {

struct sim_server::impl {
  std::unique_ptr<sim::server> srv;
};

sim_server::sim_server(sim_server_options o)
    : server_base(o.lifetime), o_(std::move(o)), impl_(std::make_shared<impl>()) {
  sim::server_options so;
  so.venues = {o_.venue};
  so.root_venue = o_.venue;
  so.symbols_per_venue = o_.symbols;
  so.levels_scale = o_.levels_scale;
  so.rate = o_.rate;
  so.sim.seed = o_.seed;
  so.sim.binance_weight_limit = o_.binance_weight_limit;
  if (o_.tls) {
    so.cert_pem = o_.tls->cert_pem;
    so.key_pem = o_.tls->key_pem;
  }
  impl_->srv = std::make_unique<sim::server>(ioc_, std::move(so));
  impl_->srv->on_rest([this](core::venue, std::string_view target, int status) {
    log_.rest.push_back({steady::now(), std::string(target), status});  // under sim_mutex()
  });
  std::string why;
  if (!impl_->srv->start(&why)) throw std::runtime_error("sim_server: " + why);
  port_ = impl_->srv->port();
  launch();
}

sim_server::~sim_server() {
  shutdown();          // the server thread is gone from here
  impl_->srv.reset();  // its sessions go before the io_context
}

std::string sim_server::http_base() const { return impl_->srv->http_base(); }
std::string sim_server::ws_base() const { return impl_->srv->ws_base(); }

void sim_server::pause() { impl_->srv->pause(); }
void sim_server::resume() { impl_->srv->resume(); }

sim::server& sim_server::server() noexcept { return *impl_->srv; }
std::mutex& sim_server::sim_mutex() const noexcept { return impl_->srv->mutex(); }
sim::venue_sim& sim_server::the_sim() noexcept { return *impl_->srv->sim(o_.venue); }

void sim_server::refresh_log() {
  const sim::venue_counters& c = *impl_->srv->counters(o_.venue);
  log_.ws_connections = static_cast<int>(c.ws_connections);
  log_.ws_open = static_cast<int>(c.ws_open);
}

}  // namespace depthmon::test
