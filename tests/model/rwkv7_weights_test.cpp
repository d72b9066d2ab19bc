// safetensors I/O and RWKV-LM naming: hand-built files (independent of the writer), bit-exact
// round trips, architecture inference, and one-line rejections of broken files.
#include "model/rwkv7_weights.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "model/safetensors.h"
#include "rwkv7_test_util.h"
#include "weights_test_util.h"

namespace statetrack::model {
namespace {

using testing::error_of;
using testing::read_bytes;
using testing::ScratchDir;
using testing::tiny_config;
using testing::write_bytes;

// A file image from a header text and raw data, length field little-endian.
std::string file_image(const std::string& header, const std::string& data) {
    std::string out(8, '\0');
    const uint64_t n = header.size();
    for (int i = 0; i < 8; ++i) {
        out[i] = static_cast<char>((n >> (8 * i)) & 0xff);
    }
    return out + header + data;
}

TEST(Safetensors, ParsesAHandBuiltFileWithEveryDtype) {
    // BF16 1.0 = 0x3F80, -2.0 = 0xC000; F16 0.5 = 0x3800, 1.0 = 0x3C00; F64 0.25; F32 3.0.
    const std::string data =
        std::string("\x80\x3f\x00\xc0", 4) + std::string("\x00\x38\x00\x3c", 4) +
        std::string("\x00\x00\x00\x00\x00\x00\xd0\x3f", 8) + std::string("\x00\x00\x40\x40", 4);
    const std::string header = R"({"a":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]},)"
                               R"("b":{"dtype":"F16","shape":[1,2],"data_offsets":[4,8]},)"
                               R"("c":{"dtype":"F64","shape":[],"data_offsets":[8,16]},)"
                               R"("d":{"dtype":"F32","shape":[1,1,1],"data_offsets":[16,20]},)"
                               R"("__metadata__":{"format":"pt"}})";
    const SafetensorsContents c = parse_safetensors(file_image(header, data), "hand");
    EXPECT_EQ(c.metadata.at("format"), "pt");
    EXPECT_TRUE(torch::equal(c.tensors.at("a").to(torch::kFloat32), torch::tensor({1.0f, -2.0f})));
    EXPECT_EQ(c.tensors.at("a").scalar_type(), torch::kBFloat16);
    EXPECT_TRUE(torch::equal(c.tensors.at("b").to(torch::kFloat32), torch::tensor({{0.5f, 1.0f}})));
    EXPECT_EQ(c.tensors.at("c").dim(), 0);
    EXPECT_EQ(c.tensors.at("c").item<double>(), 0.25);
    EXPECT_EQ(c.tensors.at("d").item<float>(), 3.0f);
}

TEST(Safetensors, WriterProducesTheDocumentedLayout) {
    const ScratchDir scratch("layout");
    const std::string path = scratch.sub("t.safetensors");
    const NamedTensors tensors = {{"e", torch::zeros({0, 3})},  // empty: a zero-length span
                                  {"x", torch::tensor({1.0f, 2.0f, 3.0f})},
                                  {"y", torch::tensor({4.0}, torch::kFloat64)}};
    save_safetensors(path, tensors);
    const std::string bytes = read_bytes(path);
    uint64_t n = 0;
    std::memcpy(&n, bytes.data(), 8);
    EXPECT_EQ(n % 8, 0u);
    const auto header = nlohmann::json::parse(bytes.substr(8, n));
    EXPECT_EQ(header["x"]["dtype"], "F32");
    EXPECT_EQ(header["x"]["data_offsets"], nlohmann::json::array({0, 12}));
    EXPECT_EQ(header["y"]["dtype"], "F64");
    EXPECT_EQ(header["y"]["data_offsets"], nlohmann::json::array({12, 20}));
    EXPECT_EQ(bytes.size(), 8 + n + 20);
    EXPECT_EQ(header["e"]["data_offsets"], nlohmann::json::array({0, 0}));
    float third = 0;
    std::memcpy(&third, bytes.data() + 8 + n + 8, 4);
    EXPECT_EQ(third, 3.0f);
    const SafetensorsContents back = load_safetensors(path);
    ASSERT_EQ(back.tensors.size(), 3u);
    for (const auto& item : tensors) {
        EXPECT_TRUE(torch::equal(back.tensors.at(item.first), item.second)) << item.first;
    }
}

TEST(Safetensors, ContentChecksumCatchesOneFlippedByteAnywhere) {
    const ScratchDir scratch("checksum");
    const std::string path = scratch.sub("t.safetensors");
    save_safetensors(path, {{"w", torch::arange(16, torch::kFloat32)}}, {{"format", "pt"}});
    const std::string bytes = read_bytes(path);
    uint64_t n = 0;
    std::memcpy(&n, bytes.data(), 8);
    const auto header = nlohmann::json::parse(bytes.substr(8, n));
    EXPECT_EQ(header["__metadata__"]["statetrack_checksum"].get<std::string>().size(), 16u);
    EXPECT_EQ(load_safetensors(path).metadata.at("format"), "pt");
    // A value bit in the data section, then a tensor name in the header (a different but
    // structurally valid file each time).
    std::string flipped = bytes;
    flipped[8 + n + 5] ^= 0x01;
    EXPECT_NE(error_of([&] {
                  parse_safetensors(flipped, "f");
              }).find("safetensors 'f': corrupt: its content checksum is "),
              std::string::npos);
    std::string renamed = bytes;
    renamed[bytes.find("\"w\"") + 1] = 'v';
    EXPECT_NE(error_of([&] { parse_safetensors(renamed, "f"); }).find("corrupt"),
              std::string::npos);
    // A file written elsewhere has no checksum and loads as before.
    EXPECT_EQ(
        parse_safetensors(file_image(R"({"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})",
                                     std::string(4, '\0')),
                          "foreign")
            .tensors.size(),
        1u);
}

TEST(Safetensors, RejectsBrokenFilesWithASpecificMessage) {
    const auto parse_error = [](const std::string& image) {
        return error_of([&] { parse_safetensors(image, "f"); });
    };
    const std::string good = R"({"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
    EXPECT_NE(parse_error("abc").find("too short"), std::string::npos);
    EXPECT_NE(parse_error(file_image(good, std::string(8, '\0')).substr(0, 30))
                  .find("header length 54 exceeds the 22 bytes"),
              std::string::npos);
    // Headers it must reject, each followed by `payload` zero bytes, and what the error says.
    struct BrokenHeader {
        std::string header;
        size_t payload;
        const char* message;
    };
    const std::vector<BrokenHeader> broken = {
        {"{not json", 0, "bad JSON header"},
        // A header nested 10^5 deep crashed the message printer; a key given twice is ambiguous.
        {std::string(100000, '['), 0, "bad JSON header: nesting deeper than 64 levels"},
        {R"({"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
         R"("x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})",
         8, "bad JSON header: duplicate key \"x\" in /"},
        {good, 7, "out of range"},
        {R"({"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", 8,
         "span 8 bytes, but shape [3] of F32 needs 12"},
        {R"({"x":{"dtype":"I8","shape":[8],"data_offsets":[0,8]}})", 8, "unsupported dtype \"I8\""},
        {R"({"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
         R"("y":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
         8, "overlap"},
    };
    for (const BrokenHeader& b : broken) {
        EXPECT_NE(parse_error(file_image(b.header, std::string(b.payload, '\0'))).find(b.message),
                  std::string::npos)
            << b.message;
    }
}

// RWKV-LM's parameter list for a 2-layer model, in its module order (RWKV, Block, Tmix, Cmix).
TEST(Rwkv7Weights, ParameterNamesAndShapesMatchRwkvLm) {
    const int64_t V = 11, C = 32;
    using Shape = std::vector<int64_t>;
    std::vector<std::pair<std::string, Shape>> expected = {{"emb.weight", {V, C}}};
    for (int l = 0; l < 2; ++l) {
        const std::string b = "blocks." + std::to_string(l) + ".";
        std::vector<std::pair<std::string, Shape>> block = {
            {"ln1.weight", {C}}, {"ln1.bias", {C}}, {"ln2.weight", {C}}, {"ln2.bias", {C}}};
        if (l == 0) {
            block.push_back({"ln0.weight", {C}});
            block.push_back({"ln0.bias", {C}});
        }
        const std::vector<std::pair<std::string, Shape>> rest = {{"att.x_r", {1, 1, C}},
                                                                 {"att.x_w", {1, 1, C}},
                                                                 {"att.x_k", {1, 1, C}},
                                                                 {"att.x_v", {1, 1, C}},
                                                                 {"att.x_a", {1, 1, C}},
                                                                 {"att.x_g", {1, 1, C}},
                                                                 {"att.w0", {1, 1, C}},
                                                                 {"att.w1", {C, 8}},
                                                                 {"att.w2", {8, C}},
                                                                 {"att.a0", {1, 1, C}},
                                                                 {"att.a1", {C, 12}},
                                                                 {"att.a2", {12, C}},
                                                                 {"att.v0", {1, 1, C}},
                                                                 {"att.v1", {C, 4}},
                                                                 {"att.v2", {4, C}},
                                                                 {"att.g1", {C, 16}},
                                                                 {"att.g2", {16, C}},
                                                                 {"att.k_k", {1, 1, C}},
                                                                 {"att.k_a", {1, 1, C}},
                                                                 {"att.r_k", {2, 16}},
                                                                 {"att.receptance.weight", {C, C}},
                                                                 {"att.key.weight", {C, C}},
                                                                 {"att.value.weight", {C, C}},
                                                                 {"att.output.weight", {C, C}},
                                                                 {"att.ln_x.weight", {C}},
                                                                 {"att.ln_x.bias", {C}},
                                                                 {"ffn.x_k", {1, 1, C}},
                                                                 {"ffn.key.weight", {4 * C, C}},
                                                                 {"ffn.value.weight", {C, 4 * C}}};
        block.insert(block.end(), rest.begin(), rest.end());
        for (const auto& [name, shape] : block) {
            expected.push_back({b + name, shape});
        }
    }
    expected.push_back({"ln_out.weight", {C}});
    expected.push_back({"ln_out.bias", {C}});
    expected.push_back({"head.weight", {V, C}});

    const Rwkv7Model model(tiny_config());
    const auto params = model->named_parameters();
    ASSERT_EQ(params.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(params[i].key(), expected[i].first);
        EXPECT_EQ(params[i].value().sizes().vec(), expected[i].second) << expected[i].first;
    }
}

TEST(Rwkv7Weights, RoundTripIsBitExactAndInfersTheArchitecture) {
    Rwkv7Config c = tiny_config(3);
    c.dim_g = 24;
    Rwkv7Model model = make_rwkv7_model(c, 9);
    testing::perturb_parameters(*model, 0.1, 10);
    const ScratchDir scratch("roundtrip");
    const std::string path = scratch.sub("m.safetensors");
    save_rwkv7_safetensors(*model, path);
    const Rwkv7Model loaded = load_rwkv7_safetensors(path);
    EXPECT_EQ(rwkv7_config_to_json(loaded->config()), rwkv7_config_to_json(c));
    const NamedTensors a = rwkv7_named_tensors(*model);
    const NamedTensors b = rwkv7_named_tensors(*loaded);
    for (const auto& item : a) {
        EXPECT_TRUE(torch::equal(item.second, b.at(item.first))) << item.first;
    }
}

// RWKV-LM's official exports leave out layer 0's value-residual tensors, which it never uses.
TEST(Rwkv7Weights, LoadsFilesWithoutLayerZerosValueResidual) {
    Rwkv7Config c = tiny_config(2);
    c.dim_v = 48;  // not the default, so it must be read from layer 1
    Rwkv7Model model = make_rwkv7_model(c, 4);
    testing::perturb_parameters(*model, 0.1, 5);
    NamedTensors tensors = rwkv7_named_tensors(*model);
    for (const char* name : {"blocks.0.att.v0", "blocks.0.att.v1", "blocks.0.att.v2"}) {
        ASSERT_EQ(tensors.erase(name), 1u) << name;
    }
    const ScratchDir scratch("no_v0");
    const std::string path = scratch.sub("m.safetensors");
    save_safetensors(path, tensors);
    Rwkv7Model loaded = load_rwkv7_safetensors(path);
    EXPECT_EQ(loaded->config().dim_v, 48);
    const torch::Tensor tokens = testing::random_tokens(2, 7, c.vocab_size, 3);
    torch::NoGradGuard no_grad;
    EXPECT_TRUE(torch::equal(loaded->forward(tokens).logits, model->forward(tokens).logits));
    tensors.erase("blocks.1.att.v0");  // a layer that uses it: still an error
    save_safetensors(path, tensors);
    EXPECT_NE(
        error_of([&] { load_rwkv7_safetensors(path); }).find("missing tensor 'blocks.1.att.v0'"),
        std::string::npos);
}

TEST(Rwkv7Weights, LoadsHalfPrecisionFilesIntoAFloat32Model) {
    Rwkv7Model model = make_rwkv7_model(tiny_config(), 1);
    NamedTensors bf16;
    for (const auto& item : rwkv7_named_tensors(*model)) {
        bf16.emplace(item.first, item.second.to(torch::kBFloat16));
    }
    const ScratchDir scratch("bf16");
    const std::string path = scratch.sub("m.safetensors");
    save_safetensors(path, bf16);
    const Rwkv7Model loaded = load_rwkv7_safetensors(path);
    const NamedTensors got = rwkv7_named_tensors(*loaded);
    EXPECT_EQ(got.at("head.weight").scalar_type(), torch::kFloat32);
    EXPECT_TRUE(torch::equal(got.at("head.weight"), bf16.at("head.weight").to(torch::kFloat32)));
}

TEST(Rwkv7Weights, RejectsInconsistentFilesNamingTheTensor) {
    const ScratchDir scratch("reject");
    const std::string dir = scratch.str();
    Rwkv7Model model = make_rwkv7_model(tiny_config(), 1);
    const NamedTensors good = rwkv7_named_tensors(*model);
    const auto load_error = [&](NamedTensors tensors) {
        save_safetensors(dir + "/bad.safetensors", tensors);
        return error_of([&] { load_rwkv7_safetensors(dir + "/bad.safetensors"); });
    };
    NamedTensors wrong_shape = good;
    wrong_shape["blocks.1.att.w0"] = torch::zeros({1, 1, 31});
    EXPECT_NE(load_error(wrong_shape)
                  .find("tensor 'blocks.1.att.w0' has shape [1, 1, 31], expected [1, 1, 32]"),
              std::string::npos);
    NamedTensors missing = good;
    missing.erase("blocks.1.ffn.key.weight");
    EXPECT_NE(load_error(missing).find("missing tensor 'blocks.1.ffn.key.weight'"),
              std::string::npos);
    NamedTensors extra = good;
    extra["blocks.1.att.time_decay"] = torch::zeros({3});
    EXPECT_NE(load_error(extra).find("unexpected tensor 'blocks.1.att.time_decay'"),
              std::string::npos);
    NamedTensors far_layer = good;  // must fail before a 10^6-layer model is allocated
    far_layer["blocks.999999.att.w0"] = torch::zeros({1, 1, 32});
    EXPECT_NE(load_error(far_layer).find("missing tensor 'blocks.2.att.w0'"), std::string::npos);
    NamedTensors no_emb = good;
    no_emb.erase("emb.weight");
    EXPECT_NE(load_error(no_emb).find("missing tensor 'emb.weight'"), std::string::npos);

    save_rwkv7_safetensors(*model, dir + "/good.safetensors");
    const std::string bytes = read_bytes(dir + "/good.safetensors");
    write_bytes(dir + "/cut.safetensors", bytes.substr(0, bytes.size() - 5));
    const std::string cut = error_of([&] { load_rwkv7_safetensors(dir + "/cut.safetensors"); });
    EXPECT_NE(cut.find("out of range"), std::string::npos) << cut;
    EXPECT_NE(cut.find("cut.safetensors"), std::string::npos) << cut;
    EXPECT_EQ(cut.find('\n'), std::string::npos) << cut;
}

}  // namespace
}  // namespace statetrack::model
