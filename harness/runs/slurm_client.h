// SlurmClient: the few Slurm commands statetrack uses, run as programs on the PATH (sbatch,
// squeue, scontrol), so that statetrack needs no Slurm library and works with any Slurm that
// has them. Only squeue and scontrol are used to follow jobs: no slurmdbd or sacct needed.
// Contract: the constructor throws std::invalid_argument when sbatch is not on the PATH;
// submit() feeds a batch script to `sbatch --parsable` and returns the job id, or throws
// std::runtime_error with sbatch's own error message; queue() lists this user's array tasks
// that Slurm still holds (pending, running, completing, ...), one entry per task.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace statetrack::harness {

struct QueuedTask {
    int64_t job = 0;    // the array's job id (%F)
    int64_t task = 0;   // the array task id (%K)
    std::string state;  // PENDING, RUNNING, COMPLETING, ...
};

class SlurmClient {
  public:
    SlurmClient();

    int64_t submit(const std::string& script) const;
    std::vector<QueuedTask> queue() const;
    // MaxArraySize of the cluster (array task ids must be below it); 1001 when not reported.
    int64_t max_array_size() const;
};

// sbatch's error lines ("sbatch: error: ...") joined into one line; the whole output when none.
std::string slurm_error_text(const std::string& stderr_text);

// `squeue -h -r -o "%F|%K|%T"` output to tasks; lines of non-array jobs are left out.
std::vector<QueuedTask> parse_squeue(const std::string& text);

}  // namespace statetrack::harness
