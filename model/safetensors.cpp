// safetensors reading and writing, and loading a file's tensors into a module (see
// safetensors.h).
#include "model/safetensors.h"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "core/atomic_file.h"
#include "core/checksum.h"
#include "core/strict_json.h"

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "safetensors stores little-endian data; this reader copies bytes as they are");

namespace statetrack::model {
namespace {

constexpr const char* kChecksumKey = "statetrack_checksum";

struct DtypeCode {
    const char* code;
    torch::ScalarType type;
};
constexpr DtypeCode kDtypes[] = {{"F32", torch::kFloat32},
                                 {"F64", torch::kFloat64},
                                 {"BF16", torch::kBFloat16},
                                 {"F16", torch::kFloat16}};

const char* dtype_code(torch::ScalarType type, const std::string& name) {
    for (const DtypeCode& d : kDtypes) {
        if (d.type == type) {
            return d.code;
        }
    }
    throw std::invalid_argument(
        fmt::format("save_safetensors: tensor '{}' has dtype {} (supported: F32, F64, BF16, F16)",
                    name, c10::toString(type)));
}

// A validated header entry: where its bytes are and what they hold.
struct Entry {
    std::string name;
    torch::ScalarType type;
    std::vector<int64_t> shape;
    uint64_t begin = 0, end = 0;
};

Entry parse_entry(const std::string& name, const nlohmann::json& j, uint64_t data_size,
                  const std::string& source) {
    const auto bad = [&](const std::string& what) {
        throw_safetensors_error(source, fmt::format("tensor '{}': {}", name, what));
    };
    if (!j.is_object() || !j.contains("dtype") || !j.contains("shape") ||
        !j.contains("data_offsets")) {
        bad("entry must be an object with dtype, shape and data_offsets");
    }
    Entry e{name, torch::kFloat32, {}, 0, 0};
    const nlohmann::json& dtype = j["dtype"];
    const auto known =
        std::find_if(std::begin(kDtypes), std::end(kDtypes), [&](const DtypeCode& d) {
            return dtype.is_string() && dtype.get<std::string>() == d.code;
        });
    if (known == std::end(kDtypes)) {
        bad(fmt::format("unsupported dtype {} (supported: F32, F64, BF16, F16)", dtype.dump()));
    }
    e.type = known->type;
    const nlohmann::json& shape = j["shape"];
    const nlohmann::json& offsets = j["data_offsets"];
    if (!shape.is_array() || !std::all_of(shape.begin(), shape.end(),
                                          [](const auto& d) { return d.is_number_unsigned(); })) {
        bad(fmt::format("shape {} must be an array of non-negative integers", shape.dump()));
    }
    if (!offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned() ||
        !offsets[1].is_number_unsigned()) {
        bad(fmt::format("data_offsets {} must be two non-negative integers", offsets.dump()));
    }
    e.begin = offsets[0].get<uint64_t>();
    e.end = offsets[1].get<uint64_t>();
    if (e.begin > e.end || e.end > data_size) {
        bad(fmt::format("data_offsets [{}, {}] out of range (data section is {} bytes)", e.begin,
                        e.end, data_size));
    }
    uint64_t bytes = c10::elementSize(e.type);
    for (const auto& d : shape) {
        const uint64_t size = d.get<uint64_t>();
        if (size > static_cast<uint64_t>(INT64_MAX) ||
            __builtin_mul_overflow(bytes, size, &bytes)) {
            bad(fmt::format("shape {} is too large", shape.dump()));
        }
        e.shape.push_back(static_cast<int64_t>(size));
    }
    if (bytes != e.end - e.begin) {
        bad(fmt::format("data_offsets [{}, {}] span {} bytes, but shape {} of {} needs {}", e.begin,
                        e.end, e.end - e.begin, shape.dump(), dtype.get<std::string>(), bytes));
    }
    return e;
}

void check_no_overlap(std::vector<Entry>& entries, const std::string& source) {
    std::sort(entries.begin(), entries.end(),
              [](const Entry& a, const Entry& b) { return a.begin < b.begin; });
    const Entry* previous = nullptr;  // the last non-empty span (empty spans overlap nothing)
    for (const Entry& e : entries) {
        if (e.begin == e.end) {
            continue;
        }
        if (previous != nullptr && e.begin < previous->end) {
            throw_safetensors_error(
                source, fmt::format("tensors '{}' and '{}' overlap", previous->name, e.name));
        }
        previous = &e;
    }
}

SafetensorsMetadata parse_metadata(const nlohmann::json& j, const std::string& source) {
    SafetensorsMetadata metadata;
    if (!j.is_object()) {
        throw_safetensors_error(source, "__metadata__ must be an object of strings");
    }
    for (const auto& item : j.items()) {
        if (!item.value().is_string()) {
            throw_safetensors_error(
                source, fmt::format("__metadata__ value for '{}' must be a string", item.key()));
        }
        metadata[item.key()] = item.value().get<std::string>();
    }
    return metadata;
}

// Fnv1a64 over the canonical header (sorted keys, no padding) without the checksum key, then the
// data section: it covers every byte that gives a tensor its name, shape or value.
std::string content_checksum(nlohmann::json header, std::string_view data) {
    if (header.contains("__metadata__")) {
        nlohmann::json& metadata = header["__metadata__"];
        metadata.erase(kChecksumKey);
        if (metadata.empty()) {
            header.erase("__metadata__");
        }
    }
    core::Fnv1a64 h;
    const std::string text = header.dump();
    h.add_bytes(text.data(), text.size());
    h.add_bytes(data.data(), data.size());
    return h.hex();
}

void verify_checksum(const nlohmann::json& header, std::string_view data,
                     const SafetensorsMetadata& metadata, const std::string& source) {
    const auto stated = metadata.find(kChecksumKey);
    if (stated == metadata.end()) {
        return;  // written elsewhere (RWKV-LM, PyTorch): nothing to verify against
    }
    const std::string actual = content_checksum(header, data);
    if (actual != stated->second) {
        throw_safetensors_error(
            source, fmt::format("corrupt: its content checksum is {}, its metadata says {}", actual,
                                core::quote_for_message(stated->second, 32)));
    }
}

// The file's tensor for `param`: present, of the same shape and of a float dtype.
void check_parameter_tensor(const std::string& name, const torch::Tensor& param,
                            const NamedTensors& tensors, const std::string& source) {
    const auto it = tensors.find(name);
    if (it == tensors.end()) {
        throw_safetensors_error(source, fmt::format("missing tensor '{}'", name));
    }
    if (it->second.sizes() != param.sizes()) {
        throw_safetensors_error(
            source, fmt::format("tensor '{}' has shape {}, expected {}", name,
                                fmt::streamed(it->second.sizes()), fmt::streamed(param.sizes())));
    }
    const torch::ScalarType type = it->second.scalar_type();
    if (type != torch::kFloat32 && type != torch::kFloat64 && type != torch::kBFloat16 &&
        type != torch::kFloat16) {
        throw_safetensors_error(
            source, fmt::format("tensor '{}' has dtype {} (supported: F32, F64, BF16, F16)", name,
                                c10::toString(type)));
    }
}

}  // namespace

void throw_safetensors_error(const std::string& source, const std::string& message) {
    throw std::runtime_error(fmt::format("safetensors '{}': {}", source, message));
}

SafetensorsContents parse_safetensors(const std::string& bytes, const std::string& source) {
    if (bytes.size() < 8) {
        throw_safetensors_error(
            source,
            fmt::format("file is {} bytes, too short for the 8-byte header length", bytes.size()));
    }
    uint64_t header_size = 0;
    std::memcpy(&header_size, bytes.data(), 8);
    if (header_size > bytes.size() - 8) {
        throw_safetensors_error(
            source,
            fmt::format(
                "header length {} exceeds the {} bytes after the length field (truncated file?)",
                header_size, bytes.size() - 8));
    }
    nlohmann::json header;
    try {
        header = core::parse_strict_json(
            std::string_view(reinterpret_cast<const char*>(bytes.data()) + 8, header_size), source);
    } catch (const core::JsonError& e) {
        throw_safetensors_error(source, fmt::format("bad JSON header: {}", e.detail()));
    }
    if (!header.is_object()) {
        throw_safetensors_error(source, "bad JSON header: expected an object");
    }
    const uint64_t data_begin = 8 + header_size;
    const uint64_t data_size = bytes.size() - data_begin;
    SafetensorsContents contents;
    std::vector<Entry> entries;
    for (const auto& item : header.items()) {
        if (item.key() == "__metadata__") {
            contents.metadata = parse_metadata(item.value(), source);
        } else {
            entries.push_back(parse_entry(item.key(), item.value(), data_size, source));
        }
    }
    check_no_overlap(entries, source);
    verify_checksum(header, std::string_view(bytes).substr(data_begin), contents.metadata, source);
    for (const Entry& e : entries) {
        torch::Tensor t = torch::empty(e.shape, torch::TensorOptions().dtype(e.type));
        if (e.end > e.begin) {  // an empty tensor has no storage (data_ptr() is null)
            std::memcpy(t.data_ptr(), bytes.data() + data_begin + e.begin, e.end - e.begin);
        }
        contents.tensors.emplace(e.name, std::move(t));
    }
    return contents;
}

SafetensorsContents load_safetensors(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error(fmt::format("safetensors '{}': cannot open file", path));
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    return parse_safetensors(buffer.str(), path);
}

void save_safetensors(const std::string& path, const NamedTensors& tensors,
                      const SafetensorsMetadata& metadata) {
    nlohmann::json header = nlohmann::json::object();
    if (!metadata.empty()) {
        header["__metadata__"] = metadata;
    }
    std::vector<torch::Tensor> data;
    uint64_t offset = 0;
    for (const auto& [name, tensor] : tensors) {
        if (name == "__metadata__") {
            throw std::invalid_argument(
                "save_safetensors: '__metadata__' is not a valid tensor name");
        }
        const char* code = dtype_code(tensor.scalar_type(), name);
        data.push_back(tensor.detach().to(torch::kCPU).contiguous());
        const uint64_t bytes = data.back().nbytes();
        header[name] = {{"dtype", code},
                        {"shape", tensor.sizes().vec()},
                        {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
    }
    if (metadata.count(kChecksumKey) != 0) {
        throw std::invalid_argument(
            fmt::format("save_safetensors: metadata key '{}' is reserved", kChecksumKey));
    }
    std::string data_bytes;
    data_bytes.reserve(offset);
    for (const torch::Tensor& t : data) {
        if (t.nbytes() > 0) {  // an empty tensor has no storage
            data_bytes.append(static_cast<const char*>(t.data_ptr()), t.nbytes());
        }
    }
    header["__metadata__"][kChecksumKey] = content_checksum(header, data_bytes);
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' ');
    const uint64_t header_size = text.size();
    core::write_file_atomically(path, [&](const std::string& tmp) {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(&header_size), 8);
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        out.write(data_bytes.data(), static_cast<std::streamsize>(data_bytes.size()));
        out.close();
        if (!out) {
            throw std::runtime_error(fmt::format("safetensors '{}': cannot write the file", path));
        }
    });
}

NamedTensors module_parameters(const torch::nn::Module& module) {
    NamedTensors out;
    for (const auto& item : module.named_parameters()) {
        out.emplace(item.key(), item.value());
    }
    return out;
}

void load_module_parameters(torch::nn::Module& module, const NamedTensors& tensors,
                            const std::string& source,
                            const std::vector<std::string>& may_be_absent) {
    NamedTensors expected = module_parameters(module);
    for (const std::string& name : may_be_absent) {
        if (tensors.count(name) == 0) {
            expected.erase(name);
        }
    }
    for (const auto& [name, param] : expected) {
        check_parameter_tensor(name, param, tensors, source);
    }
    for (const auto& item : tensors) {
        if (expected.count(item.first) == 0) {
            throw_safetensors_error(source, fmt::format("unexpected tensor '{}'", item.first));
        }
    }
    torch::NoGradGuard no_grad;
    for (const auto& [name, param] : expected) {
        torch::Tensor target = param;
        target.copy_(tensors.at(name));
    }
}

}  // namespace statetrack::model
