// Atomic file replacement: write to "<path>.tmp-<pid>-<n>", then rename over <path>, so a reader
// (or a crash mid-write) never sees a half-written weights, checkpoint or config file, and
// processes replacing the same file at once each end with a whole file (the last rename wins).
// write_files_atomically does it for several files at once (a report's files).
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace statetrack::core {

// Calls write(tmp_path), then renames tmp_path to path. On any exception the temp file is
// removed and the exception propagates; `path` is left untouched.
void write_file_atomically(const std::string& path,
                           const std::function<void(const std::string& tmp_path)>& write);

// Writes `text` to `path` atomically.
void write_text_atomically(const std::string& path, const std::string& text);

// (path, contents) pairs: every contents goes to its temp file first, and the temp files are
// renamed over their paths only once all are written. If a write fails, every temp file is
// removed and nothing is renamed; the exception (std::runtime_error naming the file) propagates.
void write_files_atomically(const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace statetrack::core
