// Building models without disturbing torch's default CPU generator, which torch::nn's
// constructors draw their default initialisation from (they take no generator):
// - with_torch_rng_restored(make): runs `make` and puts the generator's state back afterwards,
//   for models that overwrite those placeholder draws with their own seeded init (Mamba,
//   Transformer).
// - with_seeded_torch_rng(seed, make): the same with the generator seeded by `seed` first, so
//   building a model for a seed neither depends on nor disturbs other random draws. Baselines
//   that keep torch's own initialisers (LSTM) use it; RWKV-7 draws its reference init from
//   automata/random.h instead (rwkv7_init.h), which is bit-identical across machines too.
#pragma once

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <cstdint>
#include <mutex>

namespace statetrack::model {

// The generator's own mutex is held only around get/set: torch's initialisers lock it too.
template <typename Make>
auto with_torch_rng_restored(Make&& make) {
    at::Generator generator = at::detail::getDefaultCPUGenerator();
    at::Tensor saved;
    {
        std::lock_guard<std::mutex> lock(generator.mutex());
        saved = generator.get_state();
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

template <typename Make>
auto with_seeded_torch_rng(uint64_t seed, Make&& make) {
    return with_torch_rng_restored([&] {
        at::Generator generator = at::detail::getDefaultCPUGenerator();
        {
            std::lock_guard<std::mutex> lock(generator.mutex());
            generator.set_current_seed(seed);
        }
        return make();
    });
}

}  // namespace statetrack::model
