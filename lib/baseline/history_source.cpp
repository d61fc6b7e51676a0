// Source (a): the daemon's own history store, as history_store::for_each_sample yields it
// (complete bands only, window-filtered in SQL), narrowed to the bands asked for.
#include "baseline/source_support.hpp"
#include "baseline/sources.hpp"

namespace depthmon::baseline {

bool samples_from_history(const history_store& store, const sample_options& opt,
                          const sample_visitor& visit, std::string& error) {
  return store.for_each_sample(
      opt.window_start, opt.window_end,
      [&](const depth_sample& s) {
        if (detail::wanted(opt, s.band_pct)) visit(s);
      },
      error);
}

}  // namespace depthmon::baseline
