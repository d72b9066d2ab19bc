// Progress output: the bar's fields and ETA, and plain (non-terminal) lines only at curve
// points, rate-limited, plus the last step.
#include "harness/training/progress.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace statetrack::harness {
namespace {

TEST(Progress, FormatsStepLossAccuracyAndEta) {
    ProgressReporter p(stderr, "run 2/3", false);
    ProgressInfo info;
    info.step = 5;
    info.max_steps = 10;
    info.loss = 0.5;
    info.accuracy = NAN;
    info.seconds = 2.0;
    // 5 steps in 2 s: 5 more take 2 s.
    EXPECT_EQ(p.format(info),
              "run 2/3 [##########----------] 5/10 loss 0.5000 acc - 2.0s ETA 2.0s");
    // A resumed segment estimates from its own pace: 1 step in 1 s, 3 to go.
    info.step = 7;
    info.start_step = 6;
    info.start_seconds = 5.0;
    info.seconds = 6.0;
    info.accuracy = 0.75;
    EXPECT_EQ(p.format(info),
              "run 2/3 [##############------] 7/10 loss 0.5000 acc 0.750 6.0s ETA 3.0s");
}

TEST(Progress, PlainLinesAtCurvePointsAndTheEnd) {
    std::FILE* out = std::tmpfile();
    ASSERT_NE(out, nullptr);
    ProgressReporter p(out, "run 1/1", false, 0.0);
    ProgressInfo info;
    info.max_steps = 4;
    for (int64_t s = 1; s <= 4; ++s) {
        info.step = s;
        p.update(info, s == 2);
    }
    p.finish("done");
    std::rewind(out);
    std::string text;
    for (int c = std::fgetc(out); c != EOF; c = std::fgetc(out)) {
        text += static_cast<char>(c);
    }
    std::fclose(out);
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3) << text;  // step 2, step 4, done
    EXPECT_NE(text.find(" 2/4 "), std::string::npos);
    EXPECT_NE(text.find(" 4/4 "), std::string::npos);
    EXPECT_EQ(text.find(" 3/4 "), std::string::npos);
    EXPECT_EQ(text.find('\r'), std::string::npos);
}

}  // namespace
}  // namespace statetrack::harness
