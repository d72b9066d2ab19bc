// The learning-rate schedule: linear warmup, then cosine decay to lr·min_lr_ratio at max_steps
// (Grazzi et al.'s LinearWarmupCosineAnnealing), or constant after warmup.
//   s < warmup:  lr · (s + 1) / warmup
//   cosine:      lr · (r + (1 - r) · (1 + cos(π p)) / 2),  p = (s - warmup) / (max_steps - warmup)
// Steps s count from 0; the value is the lr used for the update at step s.
#pragma once

#include <cstdint>

#include "harness/runs/run_config.h"

namespace statetrack::harness {

double scheduled_lr(const ScheduleRunConfig& schedule, double lr, int64_t step, int64_t max_steps);

}  // namespace statetrack::harness
