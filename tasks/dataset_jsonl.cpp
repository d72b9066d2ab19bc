// Dataset JSONL writing (atomic) and verified reading. See dataset_jsonl.h for the format.
#include "tasks/dataset_jsonl.h"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <istream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <ostream>
#include <stdexcept>

#include "core/checksum.h"

namespace statetrack::tasks {

namespace {

using nlohmann::json;

constexpr std::string_view kChecksumPrefix = "fnv1a64:";

// The header without its checksum; json objects keep sorted keys, so dump() is canonical.
json header_body(const Dataset& d) {
    const DatasetSpec& s = d.spec;
    return json{{"format", kDatasetFormat},
                {"version", kDatasetFormatVersion},
                {"task", s.task},
                {"formulation", to_string(s.formulation)},
                {"seed", s.seed},
                {"split", s.split},
                {"lengths", {s.lengths.min, s.lengths.max}},
                {"count_per_length", s.count_per_length},
                {"count", d.examples.size()},
                {"input_vocab", d.input_vocab.names},
                {"output_vocab", d.output_vocab.names}};
}

std::string checksum_over(const json& body, const std::vector<uint64_t>& example_sums) {
    core::Fnv1a64 h;
    h.add_string(body.dump());
    for (uint64_t s : example_sums) {
        h.add_u64(s);
    }
    return std::string(kChecksumPrefix) + h.hex();
}

template <typename T>
void append_array(fmt::memory_buffer& buf, const char* key, const std::vector<T>& values) {
    fmt::format_to(std::back_inserter(buf), "\"{}\":[", key);
    for (size_t i = 0; i < values.size(); ++i) {
        fmt::format_to(std::back_inserter(buf), i == 0 ? "{}" : ",{}", int64_t{values[i]});
    }
    buf.push_back(']');
}

}  // namespace

uint64_t example_checksum(const Example& ex) {
    core::Fnv1a64 h;
    h.add_u64(ex.tokens.size());
    for (int32_t t : ex.tokens) {
        h.add_i32(t);
    }
    for (int32_t t : ex.targets) {
        h.add_i32(t);
    }
    for (uint8_t m : ex.loss_mask) {
        h.add_byte(m);
    }
    return h.value();
}

std::string dataset_checksum(const Dataset& d) {
    std::vector<uint64_t> sums;
    for (const Example& ex : d.examples) {
        sums.push_back(example_checksum(ex));
    }
    return checksum_over(header_body(d), sums);
}

void write_dataset_jsonl(const Dataset& d, std::ostream& out) {
    json header = header_body(d);
    header["checksum"] = dataset_checksum(d);
    out << header.dump() << '\n';
    fmt::memory_buffer buf;
    for (const Example& ex : d.examples) {
        buf.clear();
        buf.push_back('{');
        append_array(buf, "tokens", ex.tokens);
        buf.push_back(',');
        append_array(buf, "targets", ex.targets);
        buf.push_back(',');
        append_array(buf, "loss_mask", ex.loss_mask);
        fmt::format_to(std::back_inserter(buf), ",\"checksum\":\"{:016x}\"}}\n",
                       example_checksum(ex));
        out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
    }
}

void write_dataset_jsonl(const Dataset& d, const std::string& path) {
    static std::atomic<uint64_t> counter{0};
    const std::string tmp = fmt::format("{}.tmp-{}-{}", path, getpid(), counter++);
    try {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) {
            throw std::runtime_error(
                fmt::format("cannot create '{}': {}", tmp, std::strerror(errno)));
        }
        write_dataset_jsonl(d, out);
        out.close();
        if (!out) {
            throw std::runtime_error(fmt::format("writing '{}' failed", tmp));
        }
        std::error_code ec;
        std::filesystem::rename(tmp, path, ec);
        if (ec) {
            throw std::runtime_error(
                fmt::format("cannot rename '{}' to '{}': {}", tmp, path, ec.message()));
        }
    } catch (...) {
        std::error_code ignored;
        std::filesystem::remove(tmp, ignored);
        throw;
    }
}

Dataset read_dataset_jsonl(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error(
            fmt::format("cannot open dataset '{}': {}", path, std::strerror(errno)));
    }
    return read_dataset_jsonl(in, path);
}

}  // namespace statetrack::tasks
