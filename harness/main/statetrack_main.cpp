// The statetrack executable: parses the command line and runs one subcommand.
#include "core/heap_retention.h"
#include "harness/cli/cli.h"

int main(int argc, char** argv) {
    statetrack::core::retain_freed_heap();  // training steps re-fault freed memory otherwise
    return statetrack::harness::cli_main(argc, argv);
}
