// Training checkpoints: everything needed to continue a run exactly where it stopped.
// Layout under the checkpoint directory (usually <run_dir>/checkpoint):
//   step-<N>/model.pt       the model's parameters and buffers (torch archive, by name)
//   step-<N>/optimizer.pt   AdamW state (moments, step counts, param-group options)
//   step-<N>/rng.pt         the default CPU torch generator (dropout etc.; data are seeded by
//                           step, so they need no state)
//   step-<N>/state.json     {"format": "statetrack-checkpoint", "version": 2, "config": the run
//                           config verbatim, "model": the model's config_json(), "state":
//                           TrainingState (training_state.h), "files": {"model.pt": Fnv1a64
//                           hex of the file, "optimizer.pt": .., "rng.pt": ..}}
//   latest.json             {"step": N, "dir": "step-<N>", "state_checksum": Fnv1a64 hex of
//                           state.json}, written last
// Loading verifies the chain latest.json -> state.json -> archives (core/checksum.h) before
// reading a tensor, accepts only the step directory latest.json's step names (nothing outside
// the checkpoint directory), and checks the state against the run: the same run config and
// model config, step within [0, max_steps], counters and curve consistent with the step.
// Each file is written atomically (atomic_file.h) and latest.json only after the whole step
// directory is complete, so a run killed at any moment leaves the previous checkpoint usable;
// older step directories are removed after latest.json moves on. Checkpoints never hold
// non-finite parameters: save_checkpoint refuses them.
#pragma once

#include <torch/torch.h>

#include <nlohmann/json.hpp>
#include <string>

#include "harness/runs/training_state.h"
#include "model/sequence_model.h"

namespace statetrack::harness {

bool has_checkpoint(const std::string& dir);

// Throws std::runtime_error when a parameter is not finite or a file cannot be written.
void save_checkpoint(const std::string& dir, const model::SequenceModel& model,
                     const torch::optim::Optimizer& optimizer, const TrainingState& state,
                     const nlohmann::json& run_config);

// Loads the latest checkpoint into `model` and `optimizer` (built as for a fresh run from the
// same config) and returns the training state. Throws std::runtime_error naming the file when
// something is missing, corrupt or inconsistent (see above), or when the checkpoint was written
// by a different run config.
TrainingState load_checkpoint(const std::string& dir, model::SequenceModel& model,
                              torch::optim::Optimizer& optimizer, const nlohmann::json& run_config,
                              int64_t max_steps);

// Model weights alone (the finished run's model.pt; result.json "model" -> "weights" ->
// "checksum" states its Fnv1a64). A non-empty `expected_checksum` is verified before loading.
void save_model_weights(const std::string& path, const model::SequenceModel& model);
void load_model_weights(const std::string& path, model::SequenceModel& model,
                        const std::string& expected_checksum = "");

bool parameters_finite(const model::SequenceModel& model);

}  // namespace statetrack::harness
