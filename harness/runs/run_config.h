// RunConfig: one training run as one JSON object (docs/run-config.md has the same table with
// examples). Parsing is strict at every level: an unknown key is an error naming the key and the
// allowed ones, a value of the wrong type or out of range names the key and the value.
// Keys and defaults (lengths are inclusive):
//   name       ""        run id (result.json run_id, default run dir runs/<name>); "" = derived
//                        "<task>-<model>-L<n_layers>-d<d_model>-lr<lr>-s<seed>"
//   seed       1         fixes the model init, every training batch and every frozen test set
//   threads    0         intra-op threads (at::set_num_threads); 0 = all cores; recorded
//   device     "cpu"     "cpu" | "cuda" | "cuda:N" | "auto" (run_device.h); --device overrides
//   precision  "fp32"    "fp32" | "bf16": bf16 autocast of the forward (kernels/autocast.h),
//                        float32 weights, optimiser state, recurrent state and loss
//   task       (required object)
//     spec                     (required) task spec, e.g. "parity", "group:S5" (task_spec.h)
//     formulation              the task's default; state_tagging | membership_tagging |
//                              final_label | final_state | recognition | recall
//     train_lengths            [1, 40]   [lo, hi]; lengths the task rejects are skipped
//     test_lengths             [lo, 2·hi] of train_lengths; a range [lo, hi], or a list whose
//                              items are lengths or [lo, hi] ranges, e.g. [[1, 40], 100, 500]
//                              (a list of exactly two integers is read as one range)
//     test_length_stride       1         evaluate every k-th length of each range (hi always)
//     dataset                  "fresh"   "fresh": new samples every step (Delétang): each batch
//                              draws one length uniformly from the valid train lengths, then
//                              batch_size examples of it, all fixed by (seed, step);
//                              "fixed": one training set of train_examples (Merrill, Zoology),
//                              shuffled per epoch into same-length batches; validation and
//                              in-distribution test examples equal to a training input are
//                              dropped (held out)
//     train_examples           10000     fixed mode: total, spread evenly over the valid lengths
//                              (ceil per length)
//     test_examples_per_length 100       frozen test set per length (split "test")
//     validation_examples      256       held-out in-distribution set (split "validation") for
//                              the curve and early stopping, spread over the train lengths
//   model      (required object) the model factory config (model_factory.h): "type" plus that
//              type's keys; "vocab_size" defaults to max(input tokens, output classes) of the
//              task; an optional "name" is the display name (labels.model), not passed on
//   optimizer  (object, {} = defaults) AdamW over the model's param_groups()
//     recipe        "default"  "default": one lr for every group, Adam betas/eps;
//                              "rwkv": RWKV-LM (betas 0.9/0.99, eps 1e-18, weight decay 1e-3,
//                              the groups' lr_scale, e.g. lr_2x for the decay bias w0)
//     lr            1e-3       peak learning rate
//     weight_decay  0 (rwkv: 1e-3)  decoupled, on groups with weight_decay = true (2-D weights)
//     beta1         0.9
//     beta2         0.999 (rwkv: 0.99)
//     eps           1e-8 (rwkv: 1e-18)
//     grad_clip     1.0        global L2 norm bound; 0 = no clipping
//   schedule   (object)
//     type          "cosine"   "cosine" | "constant" (after warmup)
//     warmup_steps  0          linear warmup lr·(s+1)/warmup for steps s < warmup
//     min_lr_ratio  0.001      cosine decays from lr to lr·min_lr_ratio at max_steps (Grazzi)
//   budget     (object)
//     max_steps            1000
//     batch_size           32
//     eval_every           100   validation accuracy + a curve point every k steps (and last)
//     target_accuracy      0     early stop when the validation accuracy reaches it; 0 = off
//     target_metric        "token_accuracy" | "sequence_accuracy": which validation accuracy
//     max_seconds          0     stop after this much training wall time; 0 = off
//     checkpoint_every     1000  checkpoint every k steps to <run_dir>/checkpoint; 0 = never
//     max_non_finite_steps 10    a non-finite loss or gradient skips the step; this many in a
//                                row fail the run
//   eval       (object)
//     batch_size            64   sequences per forward pass
//     step_mode_length      0    models with a step mode also run token by token over inputs of
//                                this length (per-position formulations only); 0 = off
//     step_mode_examples    4
//     step_mode_window      1000 step-mode accuracy is also reported per window of positions
// The parser is core/json_config.h's JsonConfigReader; no torch.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tasks/dataset.h"
#include "tasks/formulation.h"

namespace statetrack::harness {

enum class DatasetMode { kFresh, kFixed };

struct TaskRunConfig {
    std::string spec;
    std::optional<tasks::Formulation> formulation;
    tasks::LengthRange train_lengths{1, 40};
    std::vector<tasks::LengthRange> test_lengths;  // never empty after parsing
    int64_t test_length_stride = 1;
    DatasetMode dataset = DatasetMode::kFresh;
    int64_t train_examples = 10000;
    int64_t test_examples_per_length = 100;
    int64_t validation_examples = 256;
};

struct OptimizerRunConfig {
    std::string recipe = "default";
    double lr = 1e-3;
    double weight_decay = 0.0;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
    double grad_clip = 1.0;
};

struct ScheduleRunConfig {
    std::string type = "cosine";
    int64_t warmup_steps = 0;
    double min_lr_ratio = 1e-3;
};

// Which validation accuracy budget.target_accuracy is compared with.
enum class TargetMetric { kToken, kSequence };

struct BudgetRunConfig {
    int64_t max_steps = 1000;
    int64_t batch_size = 32;
    int64_t eval_every = 100;
    double target_accuracy = 0.0;
    TargetMetric target_metric = TargetMetric::kToken;
    double max_seconds = 0.0;
    int64_t checkpoint_every = 1000;
    int64_t max_non_finite_steps = 10;
};

struct EvalRunConfig {
    int64_t batch_size = 64;
    int64_t step_mode_length = 0;
    int64_t step_mode_examples = 4;
    int64_t step_mode_window = 1000;
};

struct RunConfig {
    nlohmann::json raw;  // the config verbatim, as given
    std::string name;    // never empty after parsing (derived when absent)
    uint64_t seed = 1;
    int64_t threads = 0;
    std::string device = "cpu";
    std::string precision = "fp32";
    TaskRunConfig task;
    nlohmann::json model;    // factory config, "name" removed, vocab_size filled in
    std::string model_name;  // display name: model.name or model.type
    OptimizerRunConfig optimizer;
    ScheduleRunConfig schedule;
    BudgetRunConfig budget;
    EvalRunConfig eval;
};

// Strict parse. Builds the task (to check the spec, formulation and lengths, and to fill in the
// model's vocab_size) but not the model. Throws std::invalid_argument with one line starting
// "run config" and naming the key.
RunConfig parse_run_config(const nlohmann::json& json);
// Reads the file and parses it; errors name the path.
RunConfig load_run_config(const std::string& path);

// Throws std::invalid_argument unless `spec` is "cpu", "auto", "cuda" or "cuda:N" (N a decimal
// index below 1024): the form only; whether the device exists is run_device.h's question.
void check_device_spec(const std::string& spec);

// The evaluated test lengths: each range walked with the stride (hi always included), sorted,
// without duplicates; lengths the task rejects are not removed here.
std::vector<int64_t> expand_test_lengths(const TaskRunConfig& task);

std::string to_string(DatasetMode mode);  // "fresh" | "fixed"

}  // namespace statetrack::harness
