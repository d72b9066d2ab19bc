// RWKV-7 weights as safetensors with RWKV-LM's names and shapes (emb.weight, blocks.0.ln0.weight,
// blocks.<l>.att.x_r (1,1,C), blocks.<l>.att.w1 (C,Dw), blocks.<l>.att.r_k (H,N),
// blocks.<l>.ffn.key.weight (4C,C), ln_out.weight, head.weight (V,C), ...): the files that
// RWKV-LM's torch.save → safetensors conversion produces, and that fla's converter reads.
// The architecture is inferred from the names and shapes alone:
//   emb.weight (V,C) → vocab_size, d_model; the count of blocks.<l> → n_layers;
//   blocks.0.att.r_k (H,N) → head_size; blocks.0.att.{w,a,v,g}1 (C,D) → LoRA widths.
// Loading then checks every tensor: a missing, unexpected or wrongly shaped tensor, or a
// non-float dtype, is a one-line std::runtime_error naming the file and the tensor.
// The model factory (model_factory.h) reads and writes RWKV-7 files through this header's
// factory hooks; files carry no config, their names and shapes are the whole architecture.
#pragma once

#include <torch/torch.h>

#include <nlohmann/json.hpp>
#include <string>

#include "model/rwkv7_config.h"
#include "model/rwkv7_model.h"
#include "model/safetensors.h"

namespace statetrack::model {

// The model's parameters by RWKV-LM name (the tensors themselves, not copies): its
// registered names, which are RWKV-LM's.
NamedTensors rwkv7_named_tensors(const Rwkv7ModelImpl& model);

// The architecture a set of RWKV-LM tensors describes; `source` names them in errors.
Rwkv7Config infer_rwkv7_config(const NamedTensors& tensors, const std::string& source);

// Copies `tensors` into the model's parameters, converting to the model's dtype, after checking
// that the names and shapes match exactly (load_module_parameters, safetensors.h); layer 0's
// unused value-residual tensors may be absent.
void load_rwkv7_tensors(Rwkv7ModelImpl& model, const NamedTensors& tensors,
                        const std::string& source);

// Writes the parameters in the model's dtype (atomically).
void save_rwkv7_safetensors(const Rwkv7ModelImpl& model, const std::string& path);

// Infers the architecture, builds the model in `dtype` on the CPU and loads the weights.
Rwkv7Model load_rwkv7_safetensors(const std::string& path,
                                  torch::ScalarType dtype = torch::kFloat32);

// Factory hooks: the config JSON (rwkv7_config.h) a set of tensors describes, and the model of
// a config JSON, built in `dtype` on the CPU (no initialisation) holding `tensors`.
nlohmann::json rwkv7_config_json_from_tensors(const NamedTensors& tensors,
                                              const std::string& source);
SequenceModelPtr rwkv7_from_tensors(const nlohmann::json& config, const NamedTensors& tensors,
                                    const std::string& source, torch::ScalarType dtype);

}  // namespace statetrack::model
