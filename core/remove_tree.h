// remove_tree: removes a file, or a directory with everything under it, as
// std::filesystem::remove_all does, but through POSIX nftw(3). Why not remove_all: the PyTorch
// 2.x wheels' libtorch_cpu.so exports its own copy of libstdc++'s std::filesystem, and the
// dynamic linker binds statetrack's calls to that copy; on the GPU machines (docs/gpu.md) its
// remove_all crashed, jumping to address 0, on every non-empty directory (a run's second
// checkpoint and its end). Contract: a missing path is not an error (0 is returned); symbolic
// links are removed, never followed; returns the number of entries removed; on failure throws
// std::runtime_error "cannot remove '<path>': <reason>", leaving what it had not reached yet.
#pragma once

#include <cstdint>
#include <string>

namespace statetrack::core {

uint64_t remove_tree(const std::string& path);

}  // namespace statetrack::core
