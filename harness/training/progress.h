// ProgressReporter: human progress of one run on stderr (docs/cli.md "Output channels").
// On a terminal: one live bar, redrawn in place at most 10 times a second,
//   run 1/3 [########------------] 400/1000 loss 0.4123 acc 0.871 12.0s ETA 18.1s
// Otherwise (a log file, a pipe, a test): the same fields as plain lines, one per curve point
// but at most one every `plain_interval_seconds`, plus the last. finish() ends the bar.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace statetrack::harness {

struct ProgressInfo {
    int64_t step = 0;
    int64_t max_steps = 0;
    double loss = 0.0;       // NaN when unknown
    double accuracy = 0.0;   // NaN when not yet measured
    double seconds = 0.0;    // training wall time so far
    int64_t start_step = 0;  // first step of this segment (resumed runs), for the ETA
    double start_seconds = 0.0;
};

// True when stderr is a terminal.
bool stderr_is_terminal();

class ProgressReporter {
  public:
    ProgressReporter(std::FILE* out, std::string label, bool live,
                     double plain_interval_seconds = 5.0);

    // Every step; `curve_point` marks steps that carry a fresh validation accuracy.
    void update(const ProgressInfo& info, bool curve_point);
    // Ends the bar (newline on a terminal) and prints `message` on its own line.
    void finish(const std::string& message);

    // The bar/line text of `info`, without control characters.
    std::string format(const ProgressInfo& info) const;

  private:
    std::FILE* out_;
    std::string label_;
    bool live_;
    double interval_;
    double last_print_ = -1e30;
    bool drawn_ = false;
};

}  // namespace statetrack::harness
