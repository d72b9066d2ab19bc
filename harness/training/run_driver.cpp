// execute_run (see run_driver.h).

#include "harness/training/run_driver.h"

#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "core/atomic_file.h"
#include "core/checksum.h"
#include "core/file_tree.h"
#include "harness/runs/run_lock.h"
#include "harness/training/checkpoint.h"
#include "harness/training/evaluator.h"
#include "harness/training/progress.h"
#include "harness/training/result_writer.h"
#include "harness/training/run_device.h"
#include "harness/training/training_data.h"
#include "model/model_factory.h"
#include "tasks/task_catalogue.h"

namespace statetrack::harness {
namespace fs = std::filesystem;
namespace {

void check_run_dir(const fs::path& dir, const RunOptions& o) {
    const fs::path result = dir / "result.json";
    if (fs::exists(result) && !o.force) {
        throw std::invalid_argument(
            fmt::format("run is already finished: '{}' exists (pass --force to run it again)",
                        result.string()));
    }
    if (has_checkpoint((dir / "checkpoint").string()) && !o.resume && !o.force) {
        throw std::invalid_argument(fmt::format(
            "'{}' holds a checkpoint of an unfinished run: pass --resume to continue it or "
            "--force to start over",
            dir.string()));
    }
}

int64_t apply_threads(const RunConfig& config, const RunOptions& o) {
    return set_intra_op_threads(o.threads >= 0 ? o.threads : config.threads);
}

model::SequenceModelPtr build_model(const RunConfig& config) {
    try {
        return model::make_sequence_model(config.model, config.seed);
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(fmt::format("run config: model: {}", e.what()));
    }
}

// --force: the files of an earlier attempt, nothing else in the directory.
void clear_run_dir(const fs::path& dir) {
    for (const char* file : {"result.json", "model.pt", "model.json"}) {
        fs::remove(dir / file);
    }
    core::remove_tree((dir / "checkpoint").string());
}

// The final evaluation (timed into state.seconds) and the finished model's files.
std::vector<LengthEvaluation> evaluate_and_save(Evaluator& evaluator, model::SequenceModel& model,
                                                const fs::path& dir, TrainingState& state,
                                                std::string& weights_checksum) {
    const auto start = std::chrono::steady_clock::now();
    std::vector<LengthEvaluation> entries = evaluator.evaluate(model);
    state.seconds.eval +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    state.seconds.eval_step_mode += evaluator.step_mode_seconds();
    save_model_weights((dir / "model.pt").string(), model);
    weights_checksum = core::file_checksum((dir / "model.pt").string());
    core::write_text_atomically((dir / "model.json").string(), model.config_json().dump(2) + "\n");
    return entries;
}

}  // namespace

std::string default_run_dir(const RunConfig& config) {
    return (fs::path("runs") / config.name).string();
}

ExecutedRun execute_run(const RunConfig& config, const RunOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    ExecutedRun out;
    out.run_dir = options.run_dir.empty() ? default_run_dir(config) : options.run_dir;
    const fs::path dir(out.run_dir);
    const std::string checkpoint_dir = (dir / "checkpoint").string();
    out.result_path = (dir / "result.json").string();
    // Before anything is written: a device this build or machine lacks is one line, no files.
    const RunDevice device = resolve_run_device(
        options.device.empty() ? config.device : options.device, options.device_slot);
    check_run_dir(dir, options);

    const auto task = tasks::make_task(config.task.spec, config.task.formulation);
    const int64_t threads = apply_threads(config, options);
    torch::manual_seed(config.seed);
    const model::SequenceModelPtr model = build_model(config);
    model->to(device.device);  // initialised on the CPU, so a seed gives the same weights
    TrainingData data(*task, config.task, config.seed, config.budget.batch_size);
    Evaluator evaluator(*task, config, data);

    std::unique_ptr<ProgressReporter> progress;
    TrainerHooks hooks = options.hooks;
    if (options.progress_out != nullptr && !hooks.progress) {
        progress = std::make_unique<ProgressReporter>(options.progress_out, options.progress_label,
                                                      options.progress_live);
        hooks.progress = [&](const ProgressInfo& info, bool point) {
            progress->update(info, point);
        };
    }
    Trainer trainer(config, *model, data, evaluator, checkpoint_dir, hooks);
    trainer.start_clock(start);
    // Held until the run ends; taken before the directory is touched, and before training, so a
    // directory that cannot take result.json fails in seconds (run_lock.h).
    const RunLock lock(dir.string());
    if (options.force) {
        clear_run_dir(dir);
    }
    if (options.resume && has_checkpoint(checkpoint_dir)) {
        trainer.resume();
        out.resumed = true;
    }
    TrainingState& state = trainer.mutable_state();
    if (state.started_at.empty()) {
        state.started_at = utc_timestamp();
    }

    RunRecord record;
    record.outcome = trainer.run();
    if (progress) {
        progress->finish("");
    }
    if (record.outcome.status == results::RunStatus::kComplete) {
        record.evaluation =
            evaluate_and_save(evaluator, *model, dir, state, record.weights_checksum);
    }
    record.config = &config;
    record.task = task.get();
    record.model = model.get();
    record.train_set_examples = data.train_set_size();
    record.threads = threads;
    record.device = &device;
    record.wall_seconds = trainer.total_seconds();
    state.seconds.total = record.wall_seconds;
    record.state = state;
    out.result = results::run_result_to_json(build_result(record));
    write_result(out.result_path, out.result);
    core::remove_tree(checkpoint_dir);
    return out;
}

}  // namespace statetrack::harness
