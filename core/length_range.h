// LengthRange: an inclusive range of sequence lengths, [min, max]. Tasks sample training lengths
// from one (tasks/dataset.h), run configs give them as "1-40" (parse_length_range), and
// result.json records train_lengths and test_lengths as [min, max] (results/result_record.h).
#pragma once

#include <cstdint>

namespace statetrack::core {

struct LengthRange {
    int64_t min = 1;
    int64_t max = 1;  // inclusive

    bool contains(int64_t length) const { return length >= min && length <= max; }
    bool operator==(const LengthRange& o) const { return min == o.min && max == o.max; }
};

}  // namespace statetrack::core
