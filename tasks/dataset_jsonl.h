// Dataset files: JSON Lines, one header line then one example per line.
//   line 1  {"format":"statetrack-dataset","version":1,"task":SPEC,"formulation":F,"seed":S,
//            "split":"test","lengths":[MIN,MAX],"count_per_length":K,"count":N,
//            "input_vocab":[...],"output_vocab":[...],"checksum":"fnv1a64:<16 hex>"}
//   line i  {"tokens":[...],"targets":[...],"loss_mask":[...],"checksum":"<16 hex>"}
// Checksums (checksum.h, FNV-1a 64 over canonical content, not over the file's bytes):
//   example  over (n, tokens, targets, loss_mask) as little-endian int32/uint8
//   header   over the header object without "checksum", serialised with sorted keys and no
//            spaces, followed by every example checksum in order
// so reading verifies each line on its own (naming a corrupted line) and the whole file (a lost,
// duplicated or reordered line, or an edited header). Reading also checks the Example contract
// (task.h) against the vocabularies. Every problem is a std::runtime_error of one line,
// "SOURCE:LINE: what is wrong" (SOURCE: what is wrong when no single line is at fault).
// Writing to a path is atomic: a temporary file in the same folder, then a rename.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

#include "tasks/dataset.h"

namespace statetrack::tasks {

inline constexpr std::string_view kDatasetFormat = "statetrack-dataset";
inline constexpr int kDatasetFormatVersion = 1;

uint64_t example_checksum(const Example& example);
// "fnv1a64:<16 hex>" of the whole dataset, as stored in the header.
std::string dataset_checksum(const Dataset& dataset);

void write_dataset_jsonl(const Dataset& dataset, std::ostream& out);
void write_dataset_jsonl(const Dataset& dataset, const std::string& path);

// `source` names the input in error messages (a path, or e.g. "<memory>").
Dataset read_dataset_jsonl(std::istream& in, std::string_view source);
Dataset read_dataset_jsonl(const std::string& path);

}  // namespace statetrack::tasks
