// Metrics and evaluation against hand-built predictions and models whose answers are known:
// a prefix-parity oracle (perfect on parity state tagging, in both modes, with a one-float step
// state) and a model that always answers class 0 (its accuracy is counted independently here).
#include "harness/training/evaluator.h"

#include <gtest/gtest.h>

#include <cmath>

#include "harness/runs/run_config.h"
#include "harness/training/batch.h"
#include "harness/training/training_data.h"
#include "model/model_factory.h"
#include "tasks/dataset.h"
#include "tasks/task_catalogue.h"
#include "testing/run_fixtures.h"

namespace statetrack::harness {
namespace {

TEST(Accuracy, TokenSequenceAndScaledOnHandBuiltPredictions) {
    // Two sequences, 5 scored positions: sequence 0 right at both, sequence 1 wrong at one of 3.
    const torch::Tensor targets = torch::tensor({1, -1, 0, 2, 2, 1}, torch::kLong).view({2, 3});
    const torch::Tensor predicted = torch::tensor({1, 0, 0, 2, 1, 1}, torch::kLong).view({2, 3});
    const AccuracyCounts c = count_correct(predicted, targets);
    EXPECT_EQ(c.scored, 5);
    EXPECT_EQ(c.correct, 4);
    EXPECT_EQ(c.sequences, 2);
    EXPECT_EQ(c.sequences_correct, 1);
    EXPECT_DOUBLE_EQ(c.token_accuracy(), 0.8);
    EXPECT_DOUBLE_EQ(c.sequence_accuracy(), 0.5);
    EXPECT_DOUBLE_EQ(scaled_accuracy(0.8, 1.0 / 3.0), (0.8 - 1.0 / 3.0) / (2.0 / 3.0));
    EXPECT_DOUBLE_EQ(scaled_accuracy(0.5, 0.5), 0.0);
    EXPECT_LT(scaled_accuracy(0.4, 0.5), 0.0);
    EXPECT_TRUE(std::isnan(AccuracyCounts{}.token_accuracy()));
}

TEST(Accuracy, PredictionsIgnoreLogitsPastTheClasses) {
    // Column 2 is an input token, not a class: it must never be predicted.
    const torch::Tensor logits = torch::tensor({0.1, 0.5, 9.0, 0.7, 0.2, 9.0}).view({1, 2, 3});
    EXPECT_TRUE(
        torch::equal(predict_classes(logits, 2), torch::tensor({1, 0}, torch::kLong).view({1, 2})));
}

struct ParityState : model::StepState {
    torch::Tensor parity;  // (B) int64
    int64_t numel_per_sequence() const override { return 1; }
};

// Prefix parity of 0/1 tokens: class 1 after an odd number of 1s (the parity DFA's "odd").
// `constant_zero` makes it answer class 0 everywhere instead.
class ParityOracle : public model::SequenceModel {
  public:
    explicit ParityOracle(bool constant_zero) : constant_zero_(constant_zero) {
        register_parameter("unused", torch::zeros({1}));
    }
    torch::Tensor logits(const torch::Tensor& tokens) override {
        return one_hot(tokens.cumsum(1).remainder(2));
    }
    bool has_step_mode() const override { return true; }
    std::unique_ptr<model::StepState> start_state(int64_t b) const override {
        auto s = std::make_unique<ParityState>();
        s->parity = torch::zeros({b}, torch::kLong);
        return s;
    }
    torch::Tensor step_logits(const torch::Tensor& tokens, model::StepState& state) override {
        auto& s = dynamic_cast<ParityState&>(state);
        s.parity = (s.parity + tokens).remainder(2);
        return one_hot(s.parity);
    }
    std::string type() const override { return "parity_oracle"; }
    nlohmann::json config_json() const override { return {{"type", type()}}; }
    int64_t vocab_size() const override { return 3; }  // one more than the classes

  private:
    torch::Tensor one_hot(const torch::Tensor& classes) const {
        const torch::Tensor c = constant_zero_ ? torch::zeros_like(classes) : classes;
        torch::Tensor out = torch::nn::functional::one_hot(c, 3).to(torch::kFloat);
        out.select(-1, 2).fill_(5.0);  // column 2 (an input token, not a class) is the largest
        return out;
    }
    bool constant_zero_;
};

RunConfig oracle_config() {
    nlohmann::json j = fixtures::tiny_run_config();
    j["task"]["test_lengths"] = nlohmann::json::parse("[[2, 3], 12]");
    j["task"]["test_examples_per_length"] = 5;
    j["eval"] = {{"batch_size", 3},
                 {"step_mode_length", 300},
                 {"step_mode_examples", 2},
                 {"step_mode_window", 100}};
    return parse_run_config(j);
}

TEST(Evaluator, PerfectModelScoresOneInBothModes) {
    const RunConfig config = oracle_config();
    const auto task = tasks::make_task(config.task.spec, config.task.formulation);
    TrainingData data(*task, config.task, config.seed, 4);
    Evaluator evaluator(*task, config, data);
    // Independent check of the facts the oracle relies on.
    for (const tasks::Example& e : evaluator.test_set(12)) {
        int32_t parity = 0;
        for (size_t t = 0; t < e.tokens.size(); ++t) {
            parity = (parity + e.tokens[t]) % 2;
            ASSERT_EQ(e.targets[t], parity);
        }
    }
    ParityOracle oracle(false);
    EXPECT_DOUBLE_EQ(evaluator.validation_accuracy(oracle).token_accuracy(), 1.0);
    EXPECT_DOUBLE_EQ(evaluator.validation_accuracy(oracle).sequence_accuracy(), 1.0);
    const std::vector<LengthEvaluation> entries = evaluator.evaluate(oracle);
    ASSERT_EQ(entries.size(), 4u);  // lengths 2, 3, 12, then step mode
    EXPECT_EQ(entries[0].length, 2);
    EXPECT_TRUE(entries[0].in_distribution);
    EXPECT_FALSE(entries[2].in_distribution);  // 12 > 8
    for (const LengthEvaluation& e : entries) {
        EXPECT_DOUBLE_EQ(e.counts.token_accuracy(), 1.0)
            << results::to_string(e.mode) << " " << e.length;
        EXPECT_DOUBLE_EQ(e.counts.sequence_accuracy(), 1.0);
    }
    const LengthEvaluation& step = entries[3];
    EXPECT_EQ(step.mode, results::EvalMode::kStep);
    EXPECT_EQ(step.length, 300);
    EXPECT_EQ(step.counts.sequences, 2);
    EXPECT_EQ(step.counts.scored, 600);
    ASSERT_EQ(step.windows.size(), 3u);
    EXPECT_EQ(step.windows[2].start, 200);
    EXPECT_EQ(step.windows[2].end, 300);
    EXPECT_EQ(step.state_floats_start, 1);
    EXPECT_EQ(step.state_floats_end, 1);
    const nlohmann::json j = to_json(step, 0.5);
    EXPECT_EQ(j["scaled_accuracy"], 1.0);
    EXPECT_EQ(j["windows"].size(), 3u);
}

TEST(Evaluator, ConstantModelMatchesAnIndependentCount) {
    const RunConfig config = oracle_config();
    const auto task = tasks::make_task(config.task.spec, config.task.formulation);
    TrainingData data(*task, config.task, config.seed, 4);
    Evaluator evaluator(*task, config, data);
    ParityOracle zero(true);
    const std::vector<LengthEvaluation> entries = evaluator.evaluate(zero);
    for (size_t i = 0; i < 3; ++i) {
        int64_t zeros = 0;
        int64_t positions = 0;
        int64_t all_zero = 0;
        const auto& examples = evaluator.test_set(entries[i].length);
        for (const tasks::Example& e : examples) {
            bool every = true;
            for (int32_t t : e.targets) {
                zeros += t == 0 ? 1 : 0;
                every = every && t == 0;
                ++positions;
            }
            all_zero += every ? 1 : 0;
        }
        const double token = static_cast<double>(zeros) / static_cast<double>(positions);
        EXPECT_DOUBLE_EQ(entries[i].counts.token_accuracy(), token);
        EXPECT_DOUBLE_EQ(entries[i].counts.sequence_accuracy(),
                         static_cast<double>(all_zero) / static_cast<double>(examples.size()));
        EXPECT_DOUBLE_EQ(to_json(entries[i], 0.5)["scaled_accuracy"].get<double>(),
                         (token - 0.5) / 0.5);
    }
}

TEST(StepMode, CountsMatchAHandCount) {
    // The constant-0 model: sequence 0 right everywhere, sequence 1 right at position 0 only,
    // sequence 2 right at its 4 scored positions (the last is masked).
    const std::vector<tasks::Example> examples = {
        {{0, 0, 0, 0, 0}, {0, 0, 0, 0, 0}, {1, 1, 1, 1, 1}},
        {{0, 1, 0, 0, 0}, {0, 1, 1, 1, 1}, {1, 1, 1, 1, 1}},
        {{0, 0, 0, 0, 1}, {0, 0, 0, 0, -1}, {1, 1, 1, 1, 0}},
    };
    ParityOracle zero(true);
    const StepModeResult r = evaluate_step_mode(zero, examples, 2, 2);
    EXPECT_EQ(r.counts.scored, 14);
    EXPECT_EQ(r.counts.correct, 10);
    EXPECT_EQ(r.counts.sequences, 3);
    EXPECT_EQ(r.counts.sequences_correct, 2);
    ASSERT_EQ(r.windows.size(), 3u);  // [0,2), [2,4), [4,5)
    EXPECT_EQ(r.windows[0].counts.correct, 5);
    EXPECT_EQ(r.windows[1].counts.correct, 4);
    EXPECT_EQ(r.windows[2].counts.scored, 2);
    EXPECT_EQ(r.windows[2].counts.correct, 1);
    EXPECT_EQ(r.windows[2].start, 4);
    EXPECT_EQ(r.windows[2].end, 5);
    // The oracle is right everywhere, also across window boundaries.
    ParityOracle oracle(false);
    EXPECT_EQ(evaluate_step_mode(oracle, examples, 2, 2).counts.sequences_correct, 3);
}

TEST(Evaluator, PaddedBatchesScoreAsUnpaddedOnes) {
    // Mixed-length (right-padded) evaluation batches of a causal RWKV-7 give every example the
    // logits, hence the counts, it gets alone.
    const RunConfig config = oracle_config();
    const auto task = tasks::make_task(config.task.spec, config.task.formulation);
    const auto model = model::make_sequence_model(config.model, 5);
    tasks::DatasetSpec spec{task->name(), task->formulation(), 9, "test", {1, 12}, 3};
    const tasks::Dataset data = tasks::generate_dataset(*task, spec);
    std::vector<const tasks::Example*> examples;
    for (const tasks::Example& e : data.examples) {
        examples.push_back(&e);
    }
    const auto padded = score_by_length(*model, examples, 64, 2);
    const auto alone = score_by_length(*model, examples, 1, 2);
    ASSERT_EQ(padded.size(), 12u);
    for (const auto& [length, c] : alone) {
        EXPECT_EQ(padded.at(length).correct, c.correct) << length;
        EXPECT_EQ(padded.at(length).sequences_correct, c.sequences_correct) << length;
        EXPECT_EQ(padded.at(length).scored, c.scored) << length;
    }
    torch::NoGradGuard no_grad;
    const Batch both =
        make_batch(std::vector<const tasks::Example*>{examples.front(), examples.back()});
    const Batch first = make_batch(std::vector<const tasks::Example*>{examples.front()});
    const int64_t n = first.length;
    EXPECT_TRUE(torch::allclose(model->logits(both.tokens)[0].narrow(0, 0, n),
                                model->logits(first.tokens)[0], 1e-5, 1e-6));
}

TEST(Evaluator, TestSetsAreFrozenAndCached) {
    const RunConfig config = oracle_config();
    const auto task = tasks::make_task(config.task.spec, config.task.formulation);
    TrainingData data(*task, config.task, config.seed, 4);
    Evaluator a(*task, config, data);
    Evaluator b(*task, config, data);
    const std::vector<tasks::Example>& first = a.test_set(12);
    EXPECT_EQ(&first, &a.test_set(12));  // cached, not regenerated
    EXPECT_EQ(first, b.test_set(12));
    EXPECT_EQ(first.size(), 5u);
    EXPECT_EQ(a.test_lengths(), (std::vector<int64_t>{2, 3, 12}));
}

TEST(Evaluator, StepModeOnlyForPerPositionTargets) {
    nlohmann::json j = fixtures::tiny_run_config();
    j["task"]["formulation"] = "final_label";
    j["eval"]["step_mode_length"] = 100;
    const RunConfig config = parse_run_config(j);
    const auto task = tasks::make_task(config.task.spec, config.task.formulation);
    TrainingData data(*task, config.task, config.seed, 4);
    Evaluator evaluator(*task, config, data);
    ParityOracle oracle(false);
    EXPECT_FALSE(evaluator.step_mode_applies(oracle));
}

}  // namespace
}  // namespace statetrack::harness
