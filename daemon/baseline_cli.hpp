// daemon/baseline_cli.hpp — `depthmon baseline build|show`: builds the baseline CSV of
// DESIGN.md from one of four sources, and prints one as a table.
//
//   depthmon baseline build --from history|raw|tardis|coinmetrics [--config FILE]
//       [--state-dir DIR] [--window 2025-10-01T00:00Z/2025-10-10T00:00Z]
//       [--statistic median|pNN] [--min-samples N] [--bands 1,2,5] [--rate USDT=1]...
//       [--contract-value SYM=X]... [--skip-insufficient] --out FILE [INPUT...]
//   depthmon baseline show FILE
//
// --config supplies defaults (state_dir, [history] file and min_samples, [baseline] window and
// statistic, fixed [[rate]]s); flags override them. --from history reads the store under the
// state directory (no INPUT); the other sources read INPUT files (.csv or .csv.gz). Progress:
// one updating line on stderr when stderr is a terminal, nothing otherwise.
//
// Threads: the caller's. Errors: exit 0 after writing the file (skipped books listed on stderr
// under --skip-insufficient); 1 when a source or the reduction fails (file:line or the books
// with too few samples on stderr; no file written); 2 on bad arguments.
#pragma once

namespace depthmon::cli {

int run_baseline(int argc, char** argv);

}  // namespace depthmon::cli
