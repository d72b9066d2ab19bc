// error_of: the message of the exception a callable throws, for the tests that assert one-line
// error messages. Contract: error_of<E>(f) runs f and returns what() of the E it throws, or
// kNoError when f returns normally; an exception of another type propagates (and fails the
// test). Torch-free and GoogleTest-free, so every suite can use it.
#pragma once

#include <exception>
#include <string>

namespace statetrack::testing {

inline constexpr const char* kNoError = "(no error)";

template <typename Error = std::exception, typename F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return kNoError;
}

}  // namespace statetrack::testing
