// The statetrack executable: parses the command line and runs one subcommand.
#include "harness/cli/cli.h"

int main(int argc, char** argv) { return statetrack::harness::cli_main(argc, argv); }
