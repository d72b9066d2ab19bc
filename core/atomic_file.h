// Atomic file replacement: write to "<path>.tmp-<pid>-<n>", then rename over <path>, so a reader
// (or a crash mid-write) never sees a half-written weights, checkpoint or config file, and
// processes replacing the same file at once each end with a whole file (the last rename wins).
#pragma once

#include <functional>
#include <string>

namespace statetrack::core {

// Calls write(tmp_path), then renames tmp_path to path. On any exception the temp file is
// removed and the exception propagates; `path` is left untouched.
void write_file_atomically(const std::string& path,
                           const std::function<void(const std::string& tmp_path)>& write);

// Writes `text` to `path` atomically.
void write_text_atomically(const std::string& path, const std::string& text);

}  // namespace statetrack::core
