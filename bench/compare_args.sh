# Sourced by bench/compare_builds.sh and bench/compare_runs.sh: their shared argument checks.
#   compare_args SCRIPT KIND "$@"   sets OLD and NEW from the two arguments, each an executable
#                                   KIND (a name for the messages), or exits with one error line
#   positive_integer NAME VALUE     exits with one error line unless VALUE is a positive integer
die() {
    echo "$COMPARE_SCRIPT: $*" >&2
    exit 1
}
compare_args() {
    COMPARE_SCRIPT=$1
    local kind=$2
    shift 2
    [[ $# -eq 2 ]] || die "usage: $COMPARE_SCRIPT OLD_$kind NEW_$kind"
    OLD=$1
    NEW=$2
    local b
    for b in "$OLD" "$NEW"; do
        [[ -x "$b" ]] || die "'$b' is not an executable ${kind,,}"
    done
}
positive_integer() {
    [[ "$2" =~ ^[1-9][0-9]*$ ]] || die "$1 must be a positive integer, got '$2'"
}
