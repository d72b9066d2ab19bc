// The version and the git commit this binary was configured from. They are compiled into one
// generated file (harness/CMakeLists.txt), so a new commit rebuilds that file alone instead of
// every harness source.
#pragma once

namespace statetrack::harness {

const char* statetrack_version();
const char* git_commit();  // "unknown" outside a git checkout

}  // namespace statetrack::harness
