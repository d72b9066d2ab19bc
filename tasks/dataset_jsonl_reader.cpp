// Reading a dataset JSONL file with every check of dataset_jsonl.h: JSON syntax per line, the
// header's fields, each example's contract and checksum, the example count, and the checksum of
// the whole file. Errors name the source and line.
#include <fmt/format.h>

#include <istream>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "core/strict_json.h"
#include "tasks/dataset_jsonl.h"

namespace statetrack::tasks {

namespace {

using nlohmann::json;

class LineReader {
  public:
    explicit LineReader(std::string_view source) : source_(source) {}

    [[noreturn]] void fail(const std::string& what) const {
        throw std::runtime_error(line_ == 0 ? fmt::format("{}: {}", source_, what)
                                            : fmt::format("{}:{}: {}", source_, line_, what));
    }
    [[noreturn]] void fail_file(const std::string& what) const {
        throw std::runtime_error(fmt::format("{}: {}", source_, what));
    }
    bool next(std::istream& in, json& out) {
        std::string text;
        if (!std::getline(in, text)) {
            return false;
        }
        ++line_;
        try {
            out = core::parse_strict_json(text, "");
        } catch (const core::JsonError& e) {
            fail(fmt::format("invalid JSON (truncated or corrupted line): {}", e.detail()));
        }
        if (!out.is_object()) {
            fail("expected a JSON object");
        }
        return true;
    }
    size_t line() const { return line_; }

    const json& field(const json& object, const char* key) const {
        const auto it = object.find(key);
        if (it == object.end()) {
            fail(fmt::format("missing field '{}'", key));
        }
        return *it;
    }
    void only_fields(const json& object, const std::set<std::string>& allowed) const {
        for (const auto& item : object.items()) {
            if (!allowed.count(item.key())) {
                fail(fmt::format("unknown field '{}'", item.key()));
            }
        }
    }
    std::string string_field(const json& object, const char* key) const {
        const json& v = field(object, key);
        if (!v.is_string()) {
            fail(fmt::format("field '{}' is not a string", key));
        }
        return v.get<std::string>();
    }
    int64_t int_field(const json& object, const char* key) const {
        const json& v = field(object, key);
        if (!v.is_number_integer()) {
            fail(fmt::format("field '{}' is not an integer", key));
        }
        return v.get<int64_t>();
    }
    std::vector<int64_t> int_array(const json& object, const char* key, int64_t lo,
                                   int64_t hi) const {
        const json& v = field(object, key);
        if (!v.is_array()) {
            fail(fmt::format("field '{}' is not an array", key));
        }
        std::vector<int64_t> out;
        out.reserve(v.size());
        for (const json& x : v) {
            if (!x.is_number_integer() || x.get<int64_t>() < lo || x.get<int64_t>() > hi) {
                fail(fmt::format("field '{}' entry {} is not an integer in [{}, {}]", key,
                                 out.size(), lo, hi));
            }
            out.push_back(x.get<int64_t>());
        }
        return out;
    }
    std::vector<std::string> string_array(const json& object, const char* key) const {
        const json& v = field(object, key);
        if (!v.is_array() || v.empty()) {
            fail(fmt::format("field '{}' is not a non-empty array of strings", key));
        }
        std::vector<std::string> out;
        for (const json& x : v) {
            if (!x.is_string()) {
                fail(fmt::format("field '{}' entry {} is not a string", key, out.size()));
            }
            out.push_back(x.get<std::string>());
        }
        return out;
    }

  private:
    std::string_view source_;
    size_t line_ = 0;
};

// Fills everything but the examples; returns the promised count and checksum.
Dataset parse_header(const LineReader& r, const json& h, int64_t& count, std::string& checksum) {
    r.only_fields(h, {"format", "version", "task", "formulation", "seed", "split", "lengths",
                      "count_per_length", "count", "input_vocab", "output_vocab", "checksum"});
    if (r.string_field(h, "format") != kDatasetFormat) {
        r.fail(fmt::format("not a statetrack dataset (format is not '{}')", kDatasetFormat));
    }
    if (const int64_t v = r.int_field(h, "version"); v != kDatasetFormatVersion) {
        r.fail(fmt::format("format version {} is not supported (this build reads version {})", v,
                           kDatasetFormatVersion));
    }
    Dataset d;
    d.spec.task = r.string_field(h, "task");
    try {
        d.spec.formulation = parse_formulation(r.string_field(h, "formulation"));
    } catch (const std::invalid_argument& e) {
        r.fail(e.what());
    }
    const json& seed = r.field(h, "seed");
    if (!seed.is_number_unsigned()) {
        r.fail("field 'seed' is not an unsigned integer");
    }
    d.spec.seed = seed.get<uint64_t>();
    d.spec.split = r.string_field(h, "split");
    const std::vector<int64_t> lengths =
        r.int_array(h, "lengths", 0, std::numeric_limits<int64_t>::max());
    if (lengths.size() != 2 || lengths[0] > lengths[1]) {
        r.fail("field 'lengths' is not [min, max] with min <= max");
    }
    d.spec.lengths = {lengths[0], lengths[1]};
    d.spec.count_per_length = r.int_field(h, "count_per_length");
    count = r.int_field(h, "count");
    if (count < 0 || d.spec.count_per_length < 1) {
        r.fail("fields 'count' and 'count_per_length' must be >= 0 and >= 1");
    }
    d.input_vocab.names = r.string_array(h, "input_vocab");
    d.output_vocab.names = r.string_array(h, "output_vocab");
    checksum = r.string_field(h, "checksum");
    return d;
}

Example parse_example(const LineReader& r, const json& j, const Dataset& d) {
    r.only_fields(j, {"tokens", "targets", "loss_mask", "checksum"});
    const auto in = static_cast<int64_t>(d.input_vocab.size());
    const auto out = static_cast<int64_t>(d.output_vocab.size());
    Example ex;
    for (int64_t t : r.int_array(j, "tokens", 0, in - 1)) {
        ex.tokens.push_back(static_cast<int32_t>(t));
    }
    for (int64_t t : r.int_array(j, "targets", kNoTarget, out - 1)) {
        ex.targets.push_back(static_cast<int32_t>(t));
    }
    for (int64_t m : r.int_array(j, "loss_mask", 0, 1)) {
        ex.loss_mask.push_back(static_cast<uint8_t>(m));
    }
    if (ex.targets.size() != ex.tokens.size() || ex.loss_mask.size() != ex.tokens.size()) {
        r.fail(fmt::format("tokens, targets and loss_mask have {}, {} and {} entries",
                           ex.tokens.size(), ex.targets.size(), ex.loss_mask.size()));
    }
    for (size_t t = 0; t < ex.tokens.size(); ++t) {
        if ((ex.loss_mask[t] == 1) == (ex.targets[t] == kNoTarget)) {
            r.fail(
                fmt::format("position {}: target {} with loss_mask {} (masked positions "
                            "carry -1, others a class)",
                            t, ex.targets[t], ex.loss_mask[t]));
        }
    }
    const std::string stated = r.string_field(j, "checksum");
    const std::string actual = fmt::format("{:016x}", example_checksum(ex));
    if (stated != actual) {
        r.fail(
            fmt::format("checksum mismatch (line says {}, content gives {}): the line is "
                        "corrupted",
                        stated, actual));
    }
    return ex;
}

}  // namespace

Dataset read_dataset_jsonl(std::istream& in, std::string_view source) {
    LineReader r(source);
    json j;
    if (!r.next(in, j)) {
        r.fail_file("empty file (expected a statetrack dataset header line)");
    }
    int64_t count = 0;
    std::string checksum;
    Dataset d = parse_header(r, j, count, checksum);
    while (r.next(in, j)) {
        if (static_cast<int64_t>(d.examples.size()) == count) {
            r.fail(fmt::format("more examples than the header's count {}", count));
        }
        d.examples.push_back(parse_example(r, j, d));
    }
    if (static_cast<int64_t>(d.examples.size()) < count) {
        r.fail_file(
            fmt::format("truncated: header promises {} examples, found {} (file ends "
                        "after line {})",
                        count, d.examples.size(), r.line()));
    }
    if (const std::string actual = dataset_checksum(d); actual != checksum) {
        r.fail_file(
            fmt::format("dataset checksum mismatch (header says {}, content gives {}): "
                        "lines were lost, duplicated or reordered, or the header edited",
                        checksum, actual));
    }
    return d;
}

}  // namespace statetrack::tasks
