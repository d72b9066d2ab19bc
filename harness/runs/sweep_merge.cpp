// merge_sweep_shards (see sweep_merge.h).
#include "harness/runs/sweep_merge.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "core/atomic_file.h"

namespace statetrack::harness {
namespace fs = std::filesystem;
namespace {

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error(fmt::format("merge: cannot read {}", path.string()));
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

}  // namespace

int64_t merge_sweep_shards(const std::string& out, const std::vector<std::string>& shard_dirs) {
    if (shard_dirs.empty()) {
        throw std::invalid_argument("merge: no shard folders given");
    }
    std::string sweep_json;
    std::map<std::string, std::pair<std::string, std::string>> runs;  // id -> (config, result)
    for (const std::string& dir : shard_dirs) {
        const std::string this_sweep = read_file(fs::path(dir) / "sweep.json");
        if (!sweep_json.empty() && this_sweep != sweep_json) {
            throw std::invalid_argument(
                fmt::format("merge: {} is from another sweep (its sweep.json differs)", dir));
        }
        sweep_json = this_sweep;
        const fs::path runs_dir = fs::path(dir) / "runs";
        if (!fs::is_directory(runs_dir)) {
            continue;
        }
        for (const auto& entry : fs::directory_iterator(runs_dir)) {
            const fs::path result = entry.path() / "result.json";
            if (!fs::exists(result)) {
                continue;
            }
            const std::string id = entry.path().filename().string();
            const std::string text = read_file(result);
            const auto [it, inserted] =
                runs.emplace(id, std::make_pair(read_file(entry.path() / "config.json"), text));
            if (!inserted && it->second.second != text) {
                throw std::invalid_argument(
                    fmt::format("merge: run {} has different results in two shards", id));
            }
        }
    }
    for (const auto& [id, files] : runs) {
        const fs::path target = fs::path(out) / "runs" / id;
        if (fs::exists(target / "result.json") &&
            read_file(target / "result.json") != files.second) {
            throw std::invalid_argument(
                fmt::format("merge: run {} already in {} with a different result", id, out));
        }
    }
    fs::create_directories(fs::path(out) / "runs");
    core::write_text_atomically((fs::path(out) / "sweep.json").string(), sweep_json);
    for (const auto& [id, files] : runs) {
        const fs::path target = fs::path(out) / "runs" / id;
        fs::create_directories(target);
        core::write_text_atomically((target / "config.json").string(), files.first);
        core::write_text_atomically((target / "result.json").string(), files.second);
    }
    int64_t count = 0;
    for (const auto& entry : fs::directory_iterator(fs::path(out) / "runs")) {
        count += fs::exists(entry.path() / "result.json") ? 1 : 0;
    }
    return count;
}

}  // namespace statetrack::harness
