// ProgressReporter (see progress.h).
#include "harness/training/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <utility>

namespace statetrack::harness {
namespace {

double now_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::string value_or_dash(double v, const char* spec) {
    return std::isfinite(v) ? fmt::format(fmt::runtime(spec), v) : std::string("-");
}

}  // namespace

bool stderr_is_terminal() { return isatty(STDERR_FILENO) != 0; }

ProgressReporter::ProgressReporter(std::FILE* out, std::string label, bool live,
                                   double plain_interval_seconds)
    : out_(out), label_(std::move(label)), live_(live), interval_(plain_interval_seconds) {}

std::string ProgressReporter::format(const ProgressInfo& info) const {
    constexpr int kWidth = 20;
    const double fraction =
        info.max_steps > 0 ? static_cast<double>(info.step) / static_cast<double>(info.max_steps)
                           : 0.0;
    const int filled = static_cast<int>(std::lround(fraction * kWidth));
    const std::string bar = std::string(static_cast<size_t>(filled), '#') +
                            std::string(static_cast<size_t>(kWidth - filled), '-');
    const int64_t done = info.step - info.start_step;
    const double spent = info.seconds - info.start_seconds;
    const double eta = done > 0 ? spent / static_cast<double>(done) *
                                      static_cast<double>(info.max_steps - info.step)
                                : NAN;
    return fmt::format("{} [{}] {}/{} loss {} acc {} {:.1f}s ETA {}", label_, bar, info.step,
                       info.max_steps, value_or_dash(info.loss, "{:.4f}"),
                       value_or_dash(info.accuracy, "{:.3f}"), info.seconds,
                       std::isfinite(eta) ? fmt::format("{:.1f}s", eta) : std::string("-"));
}

void ProgressReporter::update(const ProgressInfo& info, bool curve_point) {
    const double now = now_seconds();
    const bool last = info.step >= info.max_steps;
    if (live_) {
        if (now - last_print_ < 0.1 && !last && !curve_point) {
            return;
        }
        fmt::print(out_, "\r{}\x1b[K", format(info));
        std::fflush(out_);
        drawn_ = true;
    } else {
        if (!(curve_point || last) || (now - last_print_ < interval_ && !last)) {
            return;
        }
        fmt::print(out_, "{}\n", format(info));
        std::fflush(out_);
    }
    last_print_ = now;
}

void ProgressReporter::finish(const std::string& message) {
    if (live_ && drawn_) {
        fmt::print(out_, "\n");
    }
    drawn_ = false;
    if (!message.empty()) {
        fmt::print(out_, "{}\n", message);
    }
    std::fflush(out_);
}

}  // namespace statetrack::harness
