// Directory-tree walks through POSIX nftw(3) rather than std::filesystem's recursive iteration.
// Why: the PyTorch 2.x wheels' libtorch_cpu.so exports its own copy of libstdc++'s
// std::filesystem, and the dynamic linker binds statetrack's calls to that copy. On the GPU
// machines (docs/gpu.md) its remove_all crashed, jumping to address 0, on every non-empty
// directory (a run's second checkpoint and its end); its recursive iterator shares that code.
//
// remove_tree(path): removes a file, or a directory with everything under it, as remove_all
//   does. A missing path is not an error (0 is returned); symbolic links are removed, never
//   followed; returns the number of entries removed; on failure throws std::runtime_error
//   "cannot remove '<path>': <reason>", leaving what it had not reached yet.
// find_files_named(dir, name): every regular file called `name` under dir (dir included),
//   sorted; symbolic links are not followed and unreadable directories are skipped. Throws
//   std::invalid_argument "'<dir>' is not a directory" when it is not one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace statetrack::core {

uint64_t remove_tree(const std::string& path);

std::vector<std::string> find_files_named(const std::string& dir, const std::string& name);

}  // namespace statetrack::core
