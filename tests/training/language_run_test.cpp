// `statetrack run --regex ... --models ...`: the sweep it builds has one valid run per model on
// the user's language, with the documented defaults; bad --models items are named.
#include "harness/training/language_run.h"

#include <gtest/gtest.h>

#include <string>

#include "harness/runs/run_config.h"
#include "harness/runs/sweep_config.h"
#include "harness/runs/sweep_grid.h"

namespace statetrack::harness {
namespace {

TEST(LanguageRun, OneValidRunPerModelOnTheLanguage) {
    LanguageRunRequest request;
    request.task_spec = "regex:(a|bb)*";
    request.models = split_model_list("rwkv7,transformer,lstm,mamba");
    request.max_steps = 50;
    const std::vector<SweepPoint> points =
        expand_sweep(sweep_config_from_json(language_sweep_json(request)));
    ASSERT_EQ(points.size(), 4u);
    const char* types[] = {"rwkv7", "transformer", "lstm", "mamba"};
    for (size_t i = 0; i < points.size(); ++i) {
        const RunConfig c = parse_run_config(points[i].config);
        EXPECT_EQ(c.task.spec, "regex:(a|bb)*");
        EXPECT_EQ(c.budget.max_steps, 50);
        EXPECT_EQ(points[i].config["model"]["type"], types[i]);
        EXPECT_EQ(points[i].config["model"]["name"], types[i]);
    }
}

TEST(LanguageRun, BadModelItemsAreNamed) {
    LanguageRunRequest request;
    request.task_spec = "parity";
    request.models = {"gru"};
    try {
        language_sweep_json(request);
        FAIL() << "no error";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("'gru' is neither a model type"), std::string::npos)
            << e.what();
    }
    EXPECT_THROW(split_model_list("rwkv7,,lstm"), std::invalid_argument);
    EXPECT_THROW(split_model_list(""), std::invalid_argument);
}

}  // namespace
}  // namespace statetrack::harness
