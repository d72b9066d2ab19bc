// Text formatting shared by the report's tables: accuracies with three decimals, aggregated
// values as "max / mean ± CI", learning rates in shortest form, parameter counts as 12.3k / 1.2M,
// and minimum depths ("2", "none up to 4", "—" when nothing was evaluated).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "results/aggregate.h"
#include "results/min_depth.h"

namespace statetrack::results {

std::string format_accuracy(double value);  // "0.975"
// "0.998 / 0.981 ± 0.012"; "0.998 / 0.998" when n_seeds == 1; "0.998 / —" when n_seeds == 0.
std::string format_aggregated(const AggregatedValue& value);
std::string format_number(double value);  // shortest round-trip form: 0.003, 1e-05, 64
std::string format_count(int64_t count);  // 812, 12.3k, 1.25M
// "2" / "none up to 4" for one of a MinDepthAtLength's two statistics.
std::string format_min_depth(const std::optional<int64_t>& depth, const MinDepthAtLength& at);

}  // namespace statetrack::results
