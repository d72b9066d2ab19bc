// Atomic writes of several files at once for the report: every file goes to "<path>.tmp" first
// and is renamed over <path> only once all of them are written, so a failed report leaves no
// file half-written (core/atomic_file.h is the one-file form).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace statetrack::results {

// (path, contents) pairs. Writes every contents to "<path>.tmp", then renames each temp file to
// its path. If any write fails, every temp file is removed and nothing is renamed; the exception
// (std::runtime_error naming the file) propagates.
void write_files_atomically(const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace statetrack::results
