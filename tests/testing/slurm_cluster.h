// LoopbackSlurm: a real single-node Slurm cluster on 127.0.0.1 for one test, started with
// scripts/slurm_loopback.sh (slurmctld + slurmd as the current user, every file in a scratch
// folder, two free ports of its own so tests can run in parallel) and stopped, jobs first, when
// the fixture ends. While it lives, SLURM_CONF points this process and its children (sbatch,
// squeue, the statetrack under test) at it. available() says why not when Slurm is missing, so
// that tests skip with that message instead of passing silently.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <exception>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "core/file_tree.h"
#include "harness/runs/subprocess.h"

namespace statetrack::harness::fixtures {

class LoopbackSlurm {
  public:
    // "" when slurmctld, slurmd and the client commands are installed; else what is missing.
    static std::string missing() {
        for (const char* p : {"/usr/sbin/slurmctld", "/usr/sbin/slurmd"}) {
            if (::access(p, X_OK) != 0) {
                return std::string(p) + " not installed (bash scripts/setup.sh installs Slurm)";
            }
        }
        return find_on_path("sbatch").empty() ? "sbatch not on the PATH" : "";
    }

    // The cluster's files go to a fresh short folder under /tmp: slurmstepd's unix sockets live
    // there, and a socket path must be under 108 bytes (scripts/slurm_loopback.sh).
    LoopbackSlurm() {
        char name[] = "/tmp/stslurm.XXXXXX";
        if (::mkdtemp(name) == nullptr) {
            throw std::runtime_error("cannot make a folder for the loopback Slurm");
        }
        dir_ = name;
        const int port = free_port_pair();
        const CommandOutput r =
            run_command({"bash", STATETRACK_SOURCE_DIR "/scripts/slurm_loopback.sh", "start",
                         dir_.string(), std::to_string(port)});
        if (r.exit_code != 0) {
            remove_quietly();
            throw std::runtime_error("loopback Slurm did not start: " + r.err);
        }
        ::setenv("SLURM_CONF", (dir_ / "slurm.conf").c_str(), 1);
    }
    ~LoopbackSlurm() {
        run_command(
            {"bash", STATETRACK_SOURCE_DIR "/scripts/slurm_loopback.sh", "stop", dir_.string()});
        ::unsetenv("SLURM_CONF");
        remove_quietly();
    }
    LoopbackSlurm(const LoopbackSlurm&) = delete;
    LoopbackSlurm& operator=(const LoopbackSlurm&) = delete;

  private:
    // core::remove_tree, not std::filesystem::remove_all (scratch_dir.h says why).
    void remove_quietly() noexcept {
        try {
            core::remove_tree(dir_.string());
        } catch (const std::exception&) {
        }
    }
    // A port p with p and p+1 free now (slurmctld and slurmd).
    static int free_port_pair() {
        for (int attempt = 0; attempt < 50; ++attempt) {
            const int p = bind_any();
            if (p > 0 && p < 65535 && bindable(p + 1)) {
                return p;
            }
        }
        throw std::runtime_error("no free pair of ports for the loopback Slurm");
    }
    static int bind_any() { return bind_port(0); }
    static bool bindable(int port) { return bind_port(port) == port; }
    static int bind_port(int port) {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = htons(static_cast<uint16_t>(port));
        socklen_t len = sizeof a;
        int got = -1;
        if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
            got = ntohs(a.sin_port);
        }
        if (fd >= 0) {
            ::close(fd);
        }
        return got;
    }

    std::filesystem::path dir_;
};

}  // namespace statetrack::harness::fixtures
