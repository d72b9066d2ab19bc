// Training checkpoints for resuming: a directory holding
//   config.json   the resolved Rwkv7Config (rwkv7_config.h), from which the model is rebuilt;
//   model.pt      torch::save of the module (parameters by name; LibTorch format, not Python's);
//   optimizer.pt  torch::save of the optimiser, when one is given.
// Every file is written atomically (temp file + rename); the config is written last, so a
// directory with a config.json holds complete weights.
#pragma once

#include <torch/torch.h>

#include <string>

#include "model/rwkv7_model.h"

namespace statetrack::model {

// Creates `dir` if needed.
void save_rwkv7_checkpoint(const std::string& dir, const Rwkv7Model& model,
                           const torch::optim::Optimizer* optimizer = nullptr);

// Rebuilds the model from config.json and loads model.pt (dtype as saved, CPU).
Rwkv7Model load_rwkv7_checkpoint(const std::string& dir);

// Loads optimizer.pt into an optimiser built over the loaded model's parameters (same groups).
void load_rwkv7_optimizer(const std::string& dir, torch::optim::Optimizer& optimizer);

}  // namespace statetrack::model
