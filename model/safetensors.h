// Minimal safetensors reader/writer (https://github.com/huggingface/safetensors format):
//   [8 bytes: header length n, little-endian u64][n bytes: JSON header][raw tensor data]
//   header: {"<name>": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ...,
//            "__metadata__": {"<key>": "<string>"}}; offsets are relative to the data section.
// Supported dtypes: F32, F64, BF16, F16 (torch float, double, bfloat16, half), little-endian.
// Reading validates everything before building a tensor and throws std::runtime_error with one
// line naming the file and the problem: too short, header length beyond the file, bad JSON,
// a malformed entry, an unsupported dtype, offsets out of range or not matching shape × dtype,
// overlapping tensors, and a content checksum that does not match.
// Files statetrack writes carry __metadata__ "statetrack_checksum": the Fnv1a64
// (core/checksum.h) of the canonical header without that key followed by the data section;
// reading verifies it when present (files from elsewhere have none and load unverified).
// Weights files of a module: module_parameters names its parameters (the tensors themselves),
// load_module_parameters copies a file's tensors into them after checking that the names and
// shapes match exactly and every dtype is a float one (errors name the file and the tensor).
#pragma once

#include <torch/torch.h>

#include <map>
#include <string>
#include <vector>

namespace statetrack::model {

using NamedTensors = std::map<std::string, torch::Tensor>;  // sorted by name
using SafetensorsMetadata = std::map<std::string, std::string>;

struct SafetensorsContents {
    NamedTensors tensors;  // CPU, contiguous, in the file's dtype
    SafetensorsMetadata metadata;
};

// Writes tensors (any device; F32/F64/BF16/F16) atomically, in name order, header padded with
// spaces to a multiple of 8 bytes.
void save_safetensors(const std::string& path, const NamedTensors& tensors,
                      const SafetensorsMetadata& metadata = {});

SafetensorsContents load_safetensors(const std::string& path);

// The same on an in-memory image of a file; `source` names it in error messages.
SafetensorsContents parse_safetensors(const std::string& bytes, const std::string& source);

// Throws std::runtime_error("safetensors '<source>': <message>"), the form of every error here.
[[noreturn]] void throw_safetensors_error(const std::string& source, const std::string& message);

// The module's parameters by registered name (the tensors themselves, not copies).
NamedTensors module_parameters(const torch::nn::Module& module);

// Copies `tensors` into the module's parameters, converting to each parameter's dtype. A name
// in `may_be_absent` missing from `tensors` keeps its value; any other missing, unexpected or
// wrongly shaped tensor, or a non-float dtype, is an error naming `source` and the tensor.
void load_module_parameters(torch::nn::Module& module, const NamedTensors& tensors,
                            const std::string& source,
                            const std::vector<std::string>& may_be_absent = {});

}  // namespace statetrack::model
