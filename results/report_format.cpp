// Report text formatting (see report_format.h).
#include "results/report_format.h"

#include <fmt/format.h>

namespace statetrack::results {

std::string format_accuracy(double value) { return fmt::format("{:.3f}", value); }

std::string format_aggregated(const AggregatedValue& v) {
    if (v.n_seeds == 0) {
        return fmt::format("{} / —", format_accuracy(v.max));
    }
    if (!v.ci95) {
        return fmt::format("{} / {}", format_accuracy(v.max), format_accuracy(v.mean));
    }
    return fmt::format("{} / {} ± {}", format_accuracy(v.max), format_accuracy(v.mean),
                       format_accuracy(*v.ci95));
}

std::string format_number(double value) { return fmt::format("{}", value); }

std::string format_count(int64_t count) {
    if (count < 10'000) {
        return fmt::format("{}", count);
    }
    if (count < 1'000'000) {
        return fmt::format("{:.1f}k", static_cast<double>(count) / 1e3);
    }
    return fmt::format("{:.2f}M", static_cast<double>(count) / 1e6);
}

std::string format_min_depth(const std::optional<int64_t>& depth, const MinDepthAtLength& at) {
    if (depth) {
        return fmt::format("{}", *depth);
    }
    if (at.depths_tried.empty()) {
        return "—";
    }
    return fmt::format("none up to {}", at.depths_tried.back());
}

}  // namespace statetrack::results
