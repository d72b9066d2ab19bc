// RunLock: one process at a time in a directory: a run directory (two `statetrack run`
// processes there, e.g. a sweep restarted while an orphaned worker still runs, would interleave
// checkpoints and results), a sweep group on Slurm, a Slurm submission. Contract: the
// constructor takes an exclusive flock(2) on DIR/.lock, creating DIR when missing; with
// Wait::no it throws std::invalid_argument "run directory 'DIR' is in use by another statetrack
// process" at once, with Wait::yes it blocks until the holder lets go. try_lock returns nullptr
// instead of throwing when the lock is held. The lock is released when the RunLock is destroyed
// or the process dies (the kernel drops it, so kill -9 leaves no stale lock).
#pragma once

#include <memory>
#include <string>

namespace statetrack::harness {

class RunLock {
  public:
    enum class Wait { no, yes };

    explicit RunLock(const std::string& run_dir, Wait wait = Wait::no);
    ~RunLock();
    RunLock(const RunLock&) = delete;
    RunLock& operator=(const RunLock&) = delete;

    static std::unique_ptr<RunLock> try_lock(const std::string& dir);

  private:
    RunLock(const std::string& dir, Wait wait, bool* held);

    int fd_ = -1;
};

}  // namespace statetrack::harness
