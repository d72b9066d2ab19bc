// scheduled_lr (see lr_schedule.h).
#include "harness/runs/lr_schedule.h"

#include <algorithm>
#include <cmath>

namespace statetrack::harness {

double scheduled_lr(const ScheduleRunConfig& schedule, double lr, int64_t step, int64_t max_steps) {
    const int64_t warmup = schedule.warmup_steps;
    if (step < warmup) {
        return lr * static_cast<double>(step + 1) / static_cast<double>(warmup);
    }
    if (schedule.type == "constant" || max_steps <= warmup) {
        return lr;
    }
    const double p =
        std::min(1.0, static_cast<double>(step - warmup) / static_cast<double>(max_steps - warmup));
    const double r = schedule.min_lr_ratio;
    return lr * (r + (1.0 - r) * 0.5 * (1.0 + std::cos(M_PI * p)));
}

}  // namespace statetrack::harness
