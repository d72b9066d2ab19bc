// Training checkpoints: everything needed to continue a run exactly where it stopped.
// Layout under the checkpoint directory (usually <run_dir>/checkpoint):
//   step-<N>/model.pt       the model's parameters and buffers (torch archive, by name)
//   step-<N>/optimizer.pt   AdamW state (moments, step counts, param-group options)
//   step-<N>/rng.pt         the default CPU torch generator (dropout etc.; data are seeded by
//                           step, so they need no state)
//   step-<N>/state.json     {"format": "statetrack-checkpoint", "version": 1, "config": the run
//                           config verbatim, "model": the model's config_json(), "state":
//                           TrainingState (training_state.h)}
//   latest.json             {"step": N, "dir": "step-<N>"}, written last
// Each file is written atomically (atomic_file.h) and latest.json only after the whole step
// directory is complete, so a run killed at any moment leaves the previous checkpoint usable;
// older step directories are removed after latest.json moves on. Checkpoints never hold
// non-finite parameters: save_checkpoint refuses them.
#pragma once

#include <torch/torch.h>

#include <nlohmann/json.hpp>
#include <string>

#include "harness/training_state.h"
#include "model/sequence_model.h"

namespace statetrack::harness {

bool has_checkpoint(const std::string& dir);

// Throws std::runtime_error when a parameter is not finite or a file cannot be written.
void save_checkpoint(const std::string& dir, const model::SequenceModel& model,
                     const torch::optim::Optimizer& optimizer, const TrainingState& state,
                     const nlohmann::json& run_config);

// Loads the latest checkpoint into `model` and `optimizer` (built as for a fresh run from the
// same config) and returns the training state. Throws std::runtime_error naming the file when
// something is missing or corrupt, or when the checkpoint was written by a different run config.
TrainingState load_checkpoint(const std::string& dir, model::SequenceModel& model,
                              torch::optim::Optimizer& optimizer, const nlohmann::json& run_config);

// Model weights alone (the finished run's model.pt).
void save_model_weights(const std::string& path, const model::SequenceModel& model);
void load_model_weights(const std::string& path, model::SequenceModel& model);

bool parameters_finite(const model::SequenceModel& model);

}  // namespace statetrack::harness
