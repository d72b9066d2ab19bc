// Dataset JSONL: bit-exact round trips (stream and file), atomic writes, and each kind of damage
// rejected with its own one-line message.
#include "tasks/dataset_jsonl.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace statetrack::tasks {
namespace {

Dataset sample_dataset() {
    return generate_dataset(
        DatasetSpec{"group:S3", Formulation::kStateTagging, 9, "test", {3, 6}, 2});
}

std::vector<std::string> lines_of(const Dataset& d) {
    std::stringstream ss;
    write_dataset_jsonl(d, ss);
    std::vector<std::string> lines;
    for (std::string line; std::getline(ss, line);) {
        lines.push_back(line);
    }
    return lines;
}

std::string read_error(const std::vector<std::string>& lines, bool final_newline = true) {
    std::string text;
    for (size_t i = 0; i < lines.size(); ++i) {
        text += lines[i];
        if (i + 1 < lines.size() || final_newline) {
            text += '\n';
        }
    }
    std::istringstream in(text);
    try {
        read_dataset_jsonl(in, "<memory>");
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "no error";
}

void expect_same(const Dataset& a, const Dataset& b) {
    EXPECT_EQ(a.spec.task, b.spec.task);
    EXPECT_EQ(a.spec.formulation, b.spec.formulation);
    EXPECT_EQ(a.spec.seed, b.spec.seed);
    EXPECT_EQ(a.spec.split, b.spec.split);
    EXPECT_EQ(a.spec.lengths, b.spec.lengths);
    EXPECT_EQ(a.spec.count_per_length, b.spec.count_per_length);
    EXPECT_EQ(a.input_vocab.names, b.input_vocab.names);
    EXPECT_EQ(a.output_vocab.names, b.output_vocab.names);
    EXPECT_EQ(a.examples, b.examples);
}

TEST(DatasetJsonl, RoundTripsBitExactly) {
    const Dataset d = sample_dataset();
    std::stringstream ss;
    write_dataset_jsonl(d, ss);
    const std::string text = ss.str();
    const Dataset back = read_dataset_jsonl(ss, "<memory>");
    expect_same(d, back);
    std::stringstream again;
    write_dataset_jsonl(back, again);
    EXPECT_EQ(again.str(), text);
}

TEST(DatasetJsonl, FileWritesAreAtomicAndRoundTrip) {
    const std::filesystem::path dir =
        std::filesystem::path(::testing::TempDir()) / "statetrack_dataset_jsonl_test";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "s3.jsonl").string();
    const Dataset d = sample_dataset();
    write_dataset_jsonl(d, path);
    write_dataset_jsonl(d, path);  // overwriting goes through a rename as well
    expect_same(d, read_dataset_jsonl(path));
    size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        EXPECT_EQ(entry.path().filename(), "s3.jsonl") << "temporary file left behind";
        ++files;
    }
    EXPECT_EQ(files, 1u);
    EXPECT_THROW(write_dataset_jsonl(d, (dir / "missing" / "x.jsonl").string()),
                 std::runtime_error);
    std::filesystem::remove_all(dir);
    try {
        read_dataset_jsonl(path);
        FAIL();
    } catch (const std::runtime_error& e) {
        EXPECT_EQ(std::string(e.what()),
                  "cannot open dataset '" + path + "': No such file or directory");
    }
}

TEST(DatasetJsonl, CorruptedLineIsNamed) {
    std::vector<std::string> lines = lines_of(sample_dataset());
    // Change one token inside line 3 while keeping valid JSON.
    const size_t at = lines[2].find("[") + 1;
    lines[2][at] = lines[2][at] == '1' ? '2' : '1';
    const std::string error = read_error(lines);
    EXPECT_EQ(error.rfind("<memory>:3: checksum mismatch (line says ", 0), 0u) << error;
    EXPECT_NE(error.find("): the line is corrupted"), std::string::npos) << error;
}

TEST(DatasetJsonl, TruncationIsNamed) {
    std::vector<std::string> lines = lines_of(sample_dataset());
    ASSERT_EQ(lines.size(), 9u);  // header + 4 lengths x 2
    std::vector<std::string> cut(lines.begin(), lines.begin() + 6);
    EXPECT_EQ(read_error(cut),
              "<memory>: truncated: header promises 8 examples, found 5 (file ends after line 6)");
    cut.back().resize(cut.back().size() / 2);
    EXPECT_EQ(read_error(cut, false).rfind("<memory>:6: invalid JSON (truncated or corrupted line): ", 0), 0u)
        << read_error(cut, false);
    EXPECT_EQ(read_error({}), "<memory>: empty file (expected a statetrack dataset header line)");
}

TEST(DatasetJsonl, WholeFileChecksumCatchesReorderingAndHeaderEdits) {
    const std::vector<std::string> lines = lines_of(sample_dataset());
    std::vector<std::string> swapped = lines;
    std::swap(swapped[1], swapped[2]);
    EXPECT_EQ(read_error(swapped).rfind("<memory>: dataset checksum mismatch (header says ", 0),
              0u);
    std::vector<std::string> edited = lines;
    const size_t seed = edited[0].find("\"seed\":9");
    ASSERT_NE(seed, std::string::npos);
    edited[0].replace(seed, 8, "\"seed\":8");
    EXPECT_EQ(read_error(edited).rfind("<memory>: dataset checksum mismatch", 0), 0u);
    std::vector<std::string> extra = lines;
    extra.push_back(lines[1]);
    EXPECT_EQ(read_error(extra), "<memory>:10: more examples than the header's count 8");
}

TEST(DatasetJsonl, ContractViolationsAreNamed) {
    const std::vector<std::string> lines = lines_of(sample_dataset());
    const auto with_line = [&](size_t i, const std::string& text) {
        std::vector<std::string> copy = lines;
        copy[i] = text;
        return read_error(copy);
    };
    EXPECT_EQ(with_line(1, R"({"tokens":[7],"targets":[0],"loss_mask":[1],"checksum":"0"})"),
              "<memory>:2: field 'tokens' entry 0 is not an integer in [0, 5]");
    EXPECT_EQ(with_line(1, R"({"tokens":[0],"targets":[0,1],"loss_mask":[1],"checksum":"0"})"),
              "<memory>:2: tokens, targets and loss_mask have 1, 2 and 1 entries");
    EXPECT_EQ(with_line(1, R"({"tokens":[0],"targets":[-1],"loss_mask":[1],"checksum":"0"})"),
              "<memory>:2: position 0: target -1 with loss_mask 1 (masked positions carry -1, "
              "others a class)");
    EXPECT_EQ(with_line(1, R"({"tokens":[0],"targets":[0],"loss_mask":[1],"extra":1})"),
              "<memory>:2: unknown field 'extra'");
    EXPECT_EQ(with_line(1, "[1,2]"), "<memory>:2: expected a JSON object");
    std::string header = lines[0];
    header.replace(header.find("\"version\":1"), 11, "\"version\":2");
    EXPECT_EQ(with_line(0, header),
              "<memory>:1: format version 2 is not supported (this build reads version 1)");
    EXPECT_EQ(with_line(0, R"({"format":"other"})"),
              "<memory>:1: not a statetrack dataset (format is not 'statetrack-dataset')");
}

}  // namespace
}  // namespace statetrack::tasks
