// The version and the git commit this binary was built from ("-dirty" when tracked files
// differed from it), and whether it was built with LibTorch. They are compiled into one
// generated file (harness/runs/write_build_info.cmake), rewritten by every build only when its
// text changes, so a new commit rebuilds that file alone instead of every harness source.
#pragma once

namespace statetrack::harness {

const char* statetrack_version();
const char* git_commit();  // "unknown" outside a git checkout
// False in a torch-free build (STATETRACK_WITH_TORCH=OFF): it has no `run`, no `model`, and
// `sweep` only lists (--dry-run) and reports (--slurm --status).
bool built_with_torch();

}  // namespace statetrack::harness
