// Device selection (run_device.h): the run config's device and precision keys, the errors of a
// device this build or machine lacks (one line, nothing written), result.json's device fields,
// and that the device code path ("auto", which is the CPU here) trains to the same result as
// "cpu". On a machine with a GPU the CUDA cases are run by scripts/gpu_check.sh.
#include "harness/training/run_device.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/runs/run_config.h"
#include "harness/training/checkpoint.h"
#include "harness/training/evaluator.h"
#include "harness/training/training_data.h"
#include "kernels/cuda_device_info.h"
#include "model/model_factory.h"
#include "tasks/task_catalogue.h"
#include "testing/error_of.h"
#include "testing/run_fixtures.h"
#include "testing/run_in.h"

namespace statetrack::harness {
namespace {

namespace fs = std::filesystem;
using fixtures::run_in;
using fixtures::ScratchDir;
using fixtures::tiny_run_config;

std::string config_error(const nlohmann::json& config) {
    return statetrack::testing::error_of<std::invalid_argument>([&] { parse_run_config(config); });
}

TEST(RunDevice, ConfigKeysAreCheckedForForm) {
    nlohmann::json c = tiny_run_config();
    EXPECT_EQ(parse_run_config(c).device, "cpu");
    for (const char* ok : {"cpu", "cuda", "cuda:0", "cuda:3", "auto"}) {
        c["device"] = ok;
        EXPECT_EQ(parse_run_config(c).device, ok);
    }
    for (const char* bad : {"gpu", "cuda:", "cuda:x", "cuda:-1", "CUDA", "cuda:99999"}) {
        c["device"] = bad;
        EXPECT_NE(config_error(c).find("run config: 'device' \"" + std::string(bad) +
                                       "\" is not a device (cpu, cuda, cuda:N or auto)"),
                  std::string::npos)
            << config_error(c);
    }
    c["device"] = "cpu";
    c["precision"] = "bf16";
    EXPECT_EQ(parse_run_config(c).precision, "bf16");
    c["precision"] = "fp16";
    EXPECT_NE(config_error(c).find("precision"), std::string::npos);
}

TEST(RunDevice, CpuAndAutoResolve) {
    const RunDevice cpu = resolve_run_device("cpu");
    EXPECT_EQ(cpu.device, torch::Device(torch::kCPU));
    EXPECT_EQ(cpu.name, "cpu");
    EXPECT_FALSE(cpu.description.empty());
    if (!torch::cuda::is_available()) {
        EXPECT_EQ(resolve_run_device("auto", 3).name, "cpu");
    }
}

TEST(RunDevice, CudaWithoutAGpuIsOneLineAndWritesNothing) {
    if (torch::cuda::is_available() && !kernels::cuda_runtime_version().empty()) {
        GTEST_SKIP() << "a GPU is visible: the CUDA path is checked by scripts/gpu_check.sh";
    }
    for (const char* spec : {"cuda", "cuda:1"}) {
        try {
            resolve_run_device(spec);
            FAIL() << spec << " resolved without a GPU";
        } catch (const std::invalid_argument& e) {
            const std::string what = e.what();
            EXPECT_EQ(what.rfind(std::string("device \"") + spec + "\": ", 0), 0u) << what;
            EXPECT_NE(what.find("use \"cpu\" or \"auto\""), std::string::npos) << what;
            EXPECT_EQ(what.find('\n'), std::string::npos);
        }
    }
    ScratchDir scratch("device_cuda");
    nlohmann::json config = tiny_run_config();
    config["device"] = "cuda";
    EXPECT_THROW(run_in(scratch.sub("run"), config), std::invalid_argument);
    EXPECT_FALSE(fs::exists(scratch.sub("run")));  // refused before the directory was made
}

TEST(RunDevice, ResultRecordsTheDeviceAndAutoTrainsAsCpu) {
    ScratchDir scratch("device_auto");
    const nlohmann::json on_cpu = run_in(scratch.sub("cpu"), tiny_run_config()).result;
    nlohmann::json config = tiny_run_config();
    config["device"] = "auto";
    const nlohmann::json on_auto = run_in(scratch.sub("auto"), config).result;
    const nlohmann::json& env = on_auto["environment"];
    EXPECT_EQ(env["device"], torch::cuda::is_available() ? "cuda:0" : "cpu");
    EXPECT_FALSE(env["device_name"].get<std::string>().empty());
    EXPECT_EQ(env["cuda"].is_null(), kernels::cuda_runtime_version().empty());
    EXPECT_EQ(env["dtype"], "float32");
    if (env["device"] == "cpu") {  // the device code path changes nothing on the CPU
        EXPECT_EQ(on_auto["evaluation"], on_cpu["evaluation"]);
        EXPECT_EQ(on_auto["summary"], on_cpu["summary"]);
        EXPECT_EQ(on_auto["model"]["weights"], on_cpu["model"]["weights"]);
    }
}

// A model trained on "cpu", saved, and loaded onto the device "auto" resolves to (the CPU here,
// a GPU where there is one) evaluates to exactly the run's recorded evaluation.
TEST(RunDevice, SavedModelLoadedOnTheRunDeviceEvaluatesAsRecorded) {
    ScratchDir scratch("device_roundtrip");
    const nlohmann::json result = run_in(scratch.sub("run"), tiny_run_config()).result;
    ASSERT_EQ(result["status"], "complete");
    const RunConfig config = parse_run_config(tiny_run_config());
    const auto task = tasks::make_task(config.task.spec, config.task.formulation);
    model::SequenceModelPtr model = model::make_sequence_model(config.model, config.seed);
    model->to(resolve_run_device("auto").device);
    load_model_weights(scratch.sub("run") + "/model.pt", *model,
                       result["model"]["weights"]["checksum"].get<std::string>());
    TrainingData data(*task, config.task, config.seed, config.budget.batch_size);
    Evaluator evaluator(*task, config, data);
    const std::vector<LengthEvaluation> entries = evaluator.evaluate(*model);
    ASSERT_EQ(entries.size(), result["evaluation"].size());
    for (size_t i = 0; i < entries.size(); ++i) {
        EXPECT_EQ(to_json(entries[i], evaluator.chance()), result["evaluation"][i]) << i;
    }
}

// bf16 on the CPU: every model family trains under autocast to a complete result, recorded as
// such, whose losses differ from the float32 run's by bf16 rounding only (so autocast was on,
// and nothing else changed).
TEST(RunDevice, Bf16TrainsEveryModelFamilyOnTheCpu) {
    ScratchDir scratch("device_bf16");
    const std::vector<nlohmann::json> models = {
        {{"type", "rwkv7"}, {"n_layers", 1}, {"d_model", 16}, {"head_size", 16}},
        {{"type", "transformer"}, {"n_layers", 1}, {"d_model", 16}, {"n_heads", 2}},
        {{"type", "lstm"}, {"n_layers", 1}, {"d_model", 16}},
        {{"type", "mamba"}, {"n_layers", 1}, {"d_model", 16}}};
    for (const nlohmann::json& model : models) {
        const std::string type = model["type"];
        nlohmann::json config = tiny_run_config();
        config["model"] = model;
        const nlohmann::json fp32 = run_in(scratch.sub(type + "_fp32"), config).result;
        config["precision"] = "bf16";
        const nlohmann::json bf16 = run_in(scratch.sub(type + "_bf16"), config).result;
        ASSERT_EQ(bf16["status"], "complete") << type << ": " << bf16.value("error", "");
        EXPECT_EQ(bf16["environment"]["dtype"], "bf16-autocast") << type;
        const nlohmann::json& a = fp32["training"]["curve"];
        const nlohmann::json& b = bf16["training"]["curve"];
        ASSERT_EQ(a.size(), b.size()) << type;
        const double first_a = a[0]["loss"], first_b = b[0]["loss"];
        // Measured: the first logged losses (step 3) differ by 0.01-0.1% across the four
        // families, later ones by up to 1.5% (transformer).
        EXPECT_NEAR(first_b, first_a, 0.05 * first_a) << type;
        EXPECT_NE(a.dump(), b.dump()) << type << ": bf16 gave the float32 curve exactly";
    }
}

}  // namespace
}  // namespace statetrack::harness
