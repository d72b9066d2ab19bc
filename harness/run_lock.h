// RunLock: one process at a time in a run directory. Two `statetrack run` processes in the same
// directory (a sweep restarted while an orphaned worker still runs, two shells) would interleave
// checkpoints and results. Contract: the constructor takes an exclusive flock(2) on DIR/.lock,
// creating DIR when missing, or throws std::invalid_argument "run directory 'DIR' is in use by
// another statetrack process" at once (no waiting). The lock is released when the RunLock is
// destroyed or the process dies (the kernel drops it, so kill -9 leaves no stale lock).
#pragma once

#include <string>

namespace statetrack::harness {

class RunLock {
  public:
    explicit RunLock(const std::string& run_dir);
    ~RunLock();
    RunLock(const RunLock&) = delete;
    RunLock& operator=(const RunLock&) = delete;

  private:
    int fd_ = -1;
};

}  // namespace statetrack::harness
