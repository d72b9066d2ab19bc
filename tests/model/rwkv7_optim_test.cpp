// Optimiser grouping (RWKV-LM configure_optimizers): which parameters get weight decay and
// the 2x learning rate, and the resulting AdamW param groups.
#include "model/rwkv7_optim.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "rwkv7_test_util.h"

namespace statetrack::model {
namespace {

bool contains(const Rwkv7ParamGroup& group, const std::string& name) {
    return std::find(group.param_names.begin(), group.param_names.end(), name) !=
           group.param_names.end();
}

TEST(Rwkv7Optim, GroupsFollowTheReferenceRules) {
    Rwkv7Model model(testing::tiny_config());
    const auto groups = rwkv7_param_groups(*model);
    ASSERT_EQ(groups.size(), 3u);
    const Rwkv7ParamGroup& lr_2x = groups[0];
    const Rwkv7ParamGroup& decay = groups[1];
    const Rwkv7ParamGroup& no_decay = groups[2];
    EXPECT_EQ(lr_2x.name, "lr_2x");
    EXPECT_EQ(lr_2x.lr_scale, 2.0);
    EXPECT_FALSE(lr_2x.weight_decay);
    EXPECT_EQ(lr_2x.param_names, (std::vector<std::string>{"blocks.0.att.w0", "blocks.1.att.w0"}));
    EXPECT_TRUE(decay.weight_decay);
    EXPECT_EQ(decay.lr_scale, 1.0);
    for (const char* name :
         {"emb.weight", "head.weight", "blocks.1.att.receptance.weight",
          "blocks.0.att.output.weight", "blocks.0.ffn.key.weight", "blocks.1.ffn.value.weight"}) {
        EXPECT_TRUE(contains(decay, name)) << name;
    }
    // 2-D but without ".weight", 1-D weights, and (1,1,C) vectors: no decay.
    for (const char* name : {"blocks.0.att.w1", "blocks.0.att.g2", "blocks.1.att.r_k",
                             "blocks.0.att.ln_x.weight", "blocks.0.ln0.weight", "ln_out.weight",
                             "blocks.1.att.x_r", "blocks.1.ffn.x_k", "blocks.0.att.a0"}) {
        EXPECT_TRUE(contains(no_decay, name)) << name;
    }
    EXPECT_FALSE(no_decay.weight_decay);
    // A partition: every parameter exactly once.
    std::multiset<std::string> seen;
    for (const auto& g : groups) {
        seen.insert(g.param_names.begin(), g.param_names.end());
    }
    EXPECT_EQ(seen.size(), model->named_parameters().size());
    for (const auto& item : model->named_parameters()) {
        EXPECT_EQ(seen.count(item.key()), 1u);
    }
    EXPECT_EQ(decay.param_names.size(), 2u + 2u * 6u);  // emb, head; r k v o, ffn key value
}

TEST(Rwkv7Optim, AdamWGroupsCarryScaledLrAndDecay) {
    Rwkv7Model model(testing::tiny_config());
    Rwkv7AdamWOptions options;
    options.lr = 1e-3;
    options.weight_decay = 0.1;
    const auto adamw = make_rwkv7_adamw(*model, options);
    ASSERT_EQ(adamw->param_groups().size(), 3u);
    const auto opts = [&](size_t i) {
        return static_cast<const torch::optim::AdamWOptions&>(adamw->param_groups()[i].options());
    };
    EXPECT_DOUBLE_EQ(opts(0).lr(), 2e-3);
    EXPECT_EQ(opts(0).weight_decay(), 0.0);
    EXPECT_DOUBLE_EQ(opts(1).lr(), 1e-3);
    EXPECT_EQ(opts(1).weight_decay(), 0.1);
    EXPECT_EQ(opts(2).weight_decay(), 0.0);
    EXPECT_EQ(opts(1).eps(), 1e-18);
    EXPECT_EQ(std::get<1>(opts(1).betas()), 0.99);
}

}  // namespace
}  // namespace statetrack::model
