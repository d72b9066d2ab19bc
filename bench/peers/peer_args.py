# Command-line pieces both peer benchmarks share (rwkv_pkg_step.py, rwkv7_torch_train.py): the
# timing options, and pinning the thread counts, which must happen before torch is imported
# (OpenBLAS and OpenMP read them at start-up).
import os


def add_timing_arguments(parser):
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5, help="timed passes (median)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed passes first")


def pin_threads(threads):
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(threads)


def add_check_logits_argument(parser, what):
    parser.add_argument("--check-logits", metavar="TOKENS",
                        help=f"print {what} for these comma-separated tokens as JSON and exit "
                        "(no benchmark)")


def parse_and_pin_threads(parser):
    args = parser.parse_args()
    pin_threads(args.threads)
    return args
