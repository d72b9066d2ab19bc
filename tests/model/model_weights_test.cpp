// The factory's weights files (model_factory.h) for every model type: RWKV-7 files are exactly
// RWKV-LM's layout, every type round-trips bit-exactly (and trains on identically), and broken
// files are one-line errors naming the file.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/adamw.h"
#include "model/model_factory.h"
#include "model/rwkv7_weights.h"
#include "model/safetensors.h"
#include "rwkv7_test_util.h"
#include "weights_test_util.h"

namespace statetrack::model {
namespace {

using testing::ScratchDir;

void expect_same_parameters(const torch::nn::Module& a, const torch::nn::Module& b) {
    const NamedTensors pa = module_parameters(a);
    const NamedTensors pb = module_parameters(b);
    ASSERT_EQ(pa.size(), pb.size());
    for (const auto& item : pa) {
        ASSERT_EQ(pb.count(item.first), 1u) << item.first;
        EXPECT_EQ(pb.at(item.first).scalar_type(), item.second.scalar_type()) << item.first;
        EXPECT_TRUE(torch::equal(item.second, pb.at(item.first))) << item.first;
    }
}

// An RWKV-7 file through the factory is byte for byte save_rwkv7_safetensors' (RWKV-LM's
// layout, no config), loads back bit-exact, and training continues identically from it.
TEST(ModelSafetensors, Rwkv7RoundTripIsBitExactAndTrainsOnIdentically) {
    const ScratchDir scratch("factory_rwkv7");
    const SequenceModelPtr model =
        make_sequence_model(rwkv7_config_to_json(testing::tiny_config()), 4);
    testing::perturb_parameters(*model, 0.1, 5);
    const torch::Tensor tokens = testing::random_tokens(2, 6, 11, 1);
    const auto train_step = [&](SequenceModel& m) {
        auto opt = make_adamw(m.param_groups(), {});
        opt->zero_grad();
        m.logits(tokens).square().mean().backward();
        opt->step();
    };
    train_step(*model);
    save_model_safetensors(*model, scratch.sub("m.safetensors"));
    save_rwkv7_safetensors(dynamic_cast<const Rwkv7ModelImpl&>(*model),
                           scratch.sub("r.safetensors"));
    EXPECT_EQ(testing::read_bytes(scratch.sub("m.safetensors")),
              testing::read_bytes(scratch.sub("r.safetensors")));
    const SequenceModelPtr loaded = load_model_safetensors(scratch.sub("m.safetensors"));
    EXPECT_EQ(loaded->type(), "rwkv7");
    EXPECT_EQ(loaded->config_json(), model->config_json());
    expect_same_parameters(*model, *loaded);
    {
        torch::NoGradGuard no_grad;
        EXPECT_TRUE(torch::equal(loaded->logits(tokens), model->logits(tokens)));
    }
    train_step(*model);
    train_step(*loaded);
    expect_same_parameters(*model, *loaded);
}

// Types whose tensors do not name the architecture carry their config in the metadata; every
// type loads back bit-exact, in float32 or float64.
TEST(ModelSafetensors, EveryTypeRoundTripsBitExactly) {
    const ScratchDir scratch("factory_types");
    const std::vector<nlohmann::json> configs = {
        rwkv7_config_to_json(testing::tiny_config(3)),
        {{"type", "transformer"}, {"vocab_size", 7}, {"d_model", 16}, {"positional", "learned"}},
        {{"type", "lstm"}, {"vocab_size", 7}, {"n_layers", 2}, {"d_model", 12}},
        {{"type", "mamba"}, {"vocab_size", 7}, {"d_model", 8}, {"negative_eigenvalues", true}}};
    const torch::Tensor tokens = testing::random_tokens(2, 5, 7, 3);
    for (const nlohmann::json& config : configs) {
        const std::string type = config["type"];
        const std::string path = scratch.sub(type + ".safetensors");
        const SequenceModelPtr model = make_sequence_model(config, 11);
        testing::perturb_parameters(*model, 0.05, 12);
        save_model_safetensors(*model, path);
        const SafetensorsMetadata metadata = load_safetensors(path).metadata;
        EXPECT_EQ(metadata.at("format"), "pt") << type;
        EXPECT_EQ(metadata.count("statetrack_config"), type == "rwkv7" ? 0u : 1u) << type;
        const SequenceModelPtr loaded = load_model_safetensors(path);
        EXPECT_EQ(loaded->type(), type);
        EXPECT_EQ(loaded->config_json(), model->config_json()) << type;
        expect_same_parameters(*model, *loaded);
        torch::NoGradGuard no_grad;
        EXPECT_TRUE(torch::equal(loaded->logits(tokens), model->logits(tokens))) << type;
        const SequenceModelPtr wide = load_model_safetensors(path, torch::kFloat64);
        EXPECT_EQ(wide->options().dtype().toScalarType(), torch::kFloat64) << type;
        model->to(torch::kFloat64);
        expect_same_parameters(*model, *wide);
    }
}

TEST(ModelSafetensors, BrokenFilesAreOneLineErrorsNamingTheFile) {
    const ScratchDir scratch("factory_broken");
    const std::string dir = scratch.str();
    const SequenceModelPtr model = make_sequence_model(
        {{"type", "lstm"}, {"vocab_size", 5}, {"n_layers", 1}, {"d_model", 4}}, 1);
    save_model_safetensors(*model, dir + "/good.safetensors");
    const std::string bytes = testing::read_bytes(dir + "/good.safetensors");
    const auto load_error = [&](const std::string& name) {
        const std::string e = testing::error_of([&] { load_model_safetensors(dir + "/" + name); });
        EXPECT_NE(e.find("safetensors '" + dir + "/" + name + "': "), std::string::npos) << e;
        EXPECT_EQ(e.find('\n'), std::string::npos) << e;
        return e;
    };
    std::string flipped = bytes;
    flipped[bytes.size() - 3] ^= 0x01;
    testing::write_bytes(dir + "/flipped.safetensors", flipped);
    EXPECT_NE(load_error("flipped.safetensors").find("corrupt: its content checksum is "),
              std::string::npos);
    testing::write_bytes(dir + "/cut.safetensors", bytes.substr(0, bytes.size() - 5));
    EXPECT_NE(load_error("cut.safetensors").find("out of range"), std::string::npos);
    EXPECT_NE(load_error("absent.safetensors").find("cannot open file"), std::string::npos);

    NamedTensors tensors = module_parameters(*model);
    const SafetensorsMetadata metadata = {{"format", "pt"},
                                          {"statetrack_config", model->config_json().dump()}};
    tensors["head.bias"] = torch::zeros({6});
    save_safetensors(dir + "/shape.safetensors", tensors, metadata);
    EXPECT_NE(
        load_error("shape.safetensors").find("tensor 'head.bias' has shape [6], expected [5]"),
        std::string::npos);
    tensors.erase("head.bias");
    save_safetensors(dir + "/missing.safetensors", tensors, metadata);
    EXPECT_NE(load_error("missing.safetensors").find("missing tensor 'head.bias'"),
              std::string::npos);
    SafetensorsMetadata bad = metadata;
    bad["statetrack_config"] = R"({"type": "lstm", "vocab_size": 5, "hidden": 4})";
    save_safetensors(dir + "/config.safetensors", module_parameters(*model), bad);
    EXPECT_NE(load_error("config.safetensors")
                  .find("__metadata__ 'statetrack_config': lstm config: unknown key 'hidden'"),
              std::string::npos);
    bad["statetrack_config"] = "{not json";
    save_safetensors(dir + "/json.safetensors", module_parameters(*model), bad);
    EXPECT_NE(load_error("json.safetensors").find("__metadata__ 'statetrack_config' is not JSON"),
              std::string::npos);
}

}  // namespace
}  // namespace statetrack::model
