// `statetrack model info|export|import|forward` end to end (cli_main in-process): the RWKV-7
// description and the generic one, line for line; weights files that export writes and import
// and forward read, for RWKV-7 and a type whose file carries its config; one-line errors.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/file_tree.h"
#include "testing/cli_capture.h"

namespace statetrack::harness {
namespace {

using testing_cli::CliResult;
using testing_cli::run_cli;

// V = 16, C = 64, two heads of 32: every LoRA width is the formula's floor of 32.
const char* kRwkv7 =
    R"({"type": "rwkv7", "vocab_size": 16, "n_layers": 2, "d_model": 64, "head_size": 32})";
const char* kLstm = R"({"type": "lstm", "vocab_size": 5, "d_model": 4})";

// The stdout of a command that must succeed.
std::string out_of(const std::vector<std::string>& args) {
    const CliResult r = run_cli(args);
    EXPECT_EQ(r.code, 0) << r.err;
    return r.out;
}

class CliModel : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("statetrack_cli_model_" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir_);
        std::ofstream(path("rwkv7.json")) << kRwkv7;
        std::ofstream(path("lstm.json")) << kLstm;
    }
    void TearDown() override { core::remove_tree(dir_.string()); }
    std::string path(const std::string& name) const { return (dir_ / name).string(); }

  private:
    std::filesystem::path dir_;
};

TEST_F(CliModel, InfoDescribesRwkv7LineByLine) {
    // Parameters: emb 1024 + 2 layers of 66752 + ln0 128 + ln_out 128 + head 1024.
    EXPECT_EQ(out_of({"model", "info", "--config", path("rwkv7.json")}),
              "rwkv7: 2 layers, d_model 64, 2 heads of 32, vocab 16, ffn 256\n"
              "LoRA widths: w 32, a 32, v 32, g 32\n"
              "parameters: 135808\n"
              "state: 2176 floats per layer (H*N^2 + 2*C), 4352 per sequence\n");
    const std::string json = out_of({"model", "info", "--config", path("rwkv7.json"), "--json"});
    const nlohmann::json expected = {
        {"type", "rwkv7"},      {"vocab_size", 16},
        {"n_layers", 2},        {"d_model", 64},
        {"head_size", 32},      {"n_heads", 2},
        {"d_ffn", 256},         {"lora_dims", {{"w", 32}, {"a", 32}, {"v", 32}, {"g", 32}}},
        {"parameters", 135808}, {"state_floats_per_layer", 2176},
        {"state_floats", 4352}};
    EXPECT_EQ(nlohmann::json::parse(json), expected);
    EXPECT_EQ(json, expected.dump(2) + "\n");
}

TEST_F(CliModel, InfoDescribesOtherTypesFromTheirConfig) {
    // emb 20 + LSTM 2·(4C·C) + 2·4C + head 4·5 + 5.
    EXPECT_EQ(out_of({"model", "info", "--config", path("lstm.json")}),
              "lstm: {\"d_model\":4,\"n_layers\":1,\"type\":\"lstm\",\"vocab_size\":5}\n"
              "parameters: 205\n"
              "state after 1 tokens: 8 floats per sequence\n");
    const nlohmann::json d = nlohmann::json::parse(
        out_of({"model", "info", "--config", path("lstm.json"), "--length", "3", "--json"}));
    EXPECT_EQ(
        d, nlohmann::json(
               {{"type", "lstm"},
                {"config", {{"type", "lstm"}, {"vocab_size", 5}, {"n_layers", 1}, {"d_model", 4}}},
                {"parameters", 205},
                {"causal", true},
                {"step_mode", true},
                {"state_length", 3},
                {"state_floats", 8}}));
}

TEST_F(CliModel, ExportImportForwardRoundTrip) {
    for (const std::string type : {"rwkv7", "lstm"}) {
        const std::string weights = path(type + ".safetensors");
        const CliResult exported = run_cli(
            {"model", "export", "--config", path(type + ".json"), "--seed", "3", "--out", weights});
        ASSERT_EQ(exported.code, 0) << exported.err;
        const std::string info =
            out_of({"model", "info", "--config", path(type + ".json"), "--json"});
        const nlohmann::json described = nlohmann::json::parse(info);
        EXPECT_EQ(exported.err,
                  "wrote " + weights + " (" + described["parameters"].dump() + " parameters)\n");
        EXPECT_EQ(out_of({"model", "import", "--weights", weights, "--json"}), info) << type;
        const nlohmann::json out = nlohmann::json::parse(
            out_of({"model", "forward", "--weights", weights, "--tokens", "1,2,3", "--json"}));
        EXPECT_EQ(out["tokens"], nlohmann::json::array({1, 2, 3}));
        ASSERT_EQ(out["logits"].size(), 3u);
        const int64_t vocab = type == "rwkv7" ? 16 : 5;
        for (int t = 0; t < 3; ++t) {
            const std::vector<double> row = out["logits"][t];
            ASSERT_EQ(static_cast<int64_t>(row.size()), vocab);
            EXPECT_EQ(out["argmax"][t], std::max_element(row.begin(), row.end()) - row.begin());
        }
        const std::string lines =
            out_of({"model", "forward", "--weights", weights, "--tokens", "1,2,3"});
        EXPECT_EQ(lines.rfind("t=0 token=1 argmax=" + out["argmax"][0].dump() + " logits: ", 0), 0u)
            << lines;
        EXPECT_EQ(std::count(lines.begin(), lines.end(), '\n'), 3);
    }
}

TEST_F(CliModel, ForwardStepGivesTheParallelLogitsAndTimesPasses) {
    for (const std::string type : {"rwkv7", "lstm"}) {
        const std::string weights = path(type + ".safetensors");
        ASSERT_EQ(run_cli({"model", "export", "--config", path(type + ".json"), "--seed", "3",
                           "--out", weights})
                      .code,
                  0);
        const std::vector<std::string> args = {"model",  "forward", "--weights", weights,
                                               "--tokens", "1,4,2,3,0,1", "--json"};
        const nlohmann::json parallel = nlohmann::json::parse(out_of(args));
        std::vector<std::string> step_args = args;
        for (const char* extra : {"--step", "--repeat", "3", "--threads", "1"}) {
            step_args.push_back(extra);
        }
        const nlohmann::json step = nlohmann::json::parse(out_of(step_args));
        EXPECT_EQ(parallel["mode"], "parallel");
        EXPECT_FALSE(parallel.contains("tokens_per_second"));  // no --repeat: nothing timed
        EXPECT_EQ(step["mode"], "step");
        EXPECT_EQ(step["repeat"], 3);
        EXPECT_EQ(step["threads"], 1);
        EXPECT_GT(step["tokens_per_second"].get<double>(), 0.0);
        ASSERT_EQ(step["logits"].size(), 6u);
        for (size_t t = 0; t < 6; ++t) {
            for (size_t v = 0; v < step["logits"][t].size(); ++v) {
                const double want = parallel["logits"][t][v];
                EXPECT_NEAR(step["logits"][t][v].get<double>(), want, 1e-5 * (1.0 + std::abs(want)))
                    << type << " t=" << t;
            }
        }
        EXPECT_EQ(step["argmax"], parallel["argmax"]) << type;
    }
    const CliResult zero = run_cli({"model", "forward", "--weights", path("rwkv7.safetensors"),
                                    "--tokens", "1", "--repeat", "0"});
    EXPECT_NE(zero.code, 0);
    EXPECT_EQ(std::count(zero.err.begin(), zero.err.end(), '\n'), 1) << zero.err;
}

TEST_F(CliModel, BrokenInputsAreOneLineErrors) {
    std::ofstream(path("junk.safetensors")) << "abc";
    const CliResult junk = run_cli({"model", "import", "--weights", path("junk.safetensors")});
    EXPECT_NE(junk.code, 0);
    EXPECT_EQ(junk.err, "statetrack: error: safetensors '" + path("junk.safetensors") +
                            "': file is 3 bytes, too short for the 8-byte header length\n");
    std::ofstream(path("bad.json")) << R"({"type": "rwkv7", "vocab_size": 16, "d_model": 48})";
    const CliResult bad = run_cli({"model", "info", "--config", path("bad.json")});
    EXPECT_NE(bad.code, 0);
    EXPECT_NE(bad.err.find(path("bad.json") + ": rwkv7 config: 'd_model' = 48 must be a "
                                              "positive multiple of head_size 64"),
              std::string::npos)
        << bad.err;
    const CliResult tokens =
        run_cli({"model", "forward", "--weights", path("junk.safetensors"), "--tokens", "1,x"});
    EXPECT_NE(tokens.err.find("--tokens: 'x' is not a non-negative integer"), std::string::npos)
        << tokens.err;
}

}  // namespace
}  // namespace statetrack::harness
