// with_seeded_torch_rng: runs `make` (a model constructor using torch's default initialisers)
// with torch's default CPU generator seeded by `seed`, then restores the generator's previous
// state, so building a model for a seed neither depends on nor disturbs other random draws.
// Baselines use torch's own initialisers this way; RWKV-7 draws its reference init from
// automata/random.h instead (rwkv7_init.h), which is bit-identical across machines too.
#pragma once

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <cstdint>
#include <mutex>

namespace statetrack::model {

// The generator's own mutex is held only around get/set: torch's initialisers lock it too.
template <typename Make>
auto with_seeded_torch_rng(uint64_t seed, Make&& make) {
    at::Generator generator = at::detail::getDefaultCPUGenerator();
    at::Tensor saved;
    {
        std::lock_guard<std::mutex> lock(generator.mutex());
        saved = generator.get_state();
        generator.set_current_seed(seed);
    }
    struct Restore {
        at::Generator& g;
        const at::Tensor& s;
        ~Restore() {
            std::lock_guard<std::mutex> lock(g.mutex());
            g.set_state(s);
        }
    } restore{generator, saved};
    return make();
}

}  // namespace statetrack::model
