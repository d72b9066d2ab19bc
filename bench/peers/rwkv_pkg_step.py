# Peer benchmark: the official `rwkv` pip package (BlinkDL's ChatRWKV inference code, class
# rwkv.model.RWKV_x070, strategy 'cpu fp32') running a statetrack-exported RWKV-7 model.
# Measures (a) RNN mode: token-by-token stepping over --step-tokens tokens at batch 1, and
# (b) sequence mode: one forward over a --seq-tokens prompt, each the median of --repeat runs
# after --warmup untimed ones, and prints one JSON object on stdout. The token sequence is
# fixed: token i is (i*7+3) % vocab_size.
#
#   python3 rwkv_pkg_step.py --weights M.safetensors --threads 1
#   python3 rwkv_pkg_step.py --weights M.safetensors --check-logits 3,10,1,8   (logits only)
#
# torch 1.13 (Debian's python3-torch) has no torch.load(..., mmap=True), which the package
# calls: this script drops that argument at run time (see _load_without_mmap); site-packages
# stay untouched.
import argparse
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time

from peer_args import add_check_logits_argument, add_timing_arguments, parse_and_pin_threads


def parse_args():
    p = argparse.ArgumentParser(description="rwkv package (RWKV_x070, cpu fp32) peer benchmark")
    p.add_argument("--weights", required=True, help="statetrack/RWKV-LM .safetensors file")
    p.add_argument("--step-tokens", type=int, default=512, help="tokens stepped one at a time")
    p.add_argument("--seq-tokens", type=int, default=1024, help="prompt length of the sequence form")
    add_timing_arguments(p)
    add_check_logits_argument(p, "the logits at every position (sequence form, and stepped)")
    return parse_and_pin_threads(p)


ARGS = parse_args()
os.environ["RWKV_V7_ON"] = "1"  # the package defines RWKV_x070 only with this set
os.environ["RWKV_JIT_ON"] = "1"
os.environ["RWKV_CUDA_ON"] = "0"

import torch  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rwkv7_weights  # noqa: E402

_original_torch_load = torch.load


def _load_without_mmap(*args, **kwargs):
    """torch.load for torch < 2.1, which has no mmap argument (it would reach pickle and fail)."""
    kwargs.pop("mmap", None)
    return _original_torch_load(*args, **kwargs)


torch.load = _load_without_mmap

with contextlib.redirect_stdout(sys.stderr):  # the package prints banners on stdout
    import rwkv.model  # noqa: E402


def package_version():
    try:
        from importlib.metadata import version

        return version("rwkv")
    except Exception:  # noqa: BLE001 - any failure: unknown
        return "unknown"


def load_model(weights_path, tmp_dir):
    """RWKV_x070 reads RWKV-LM's .pth state dict (same tensor names as statetrack's files):
    convert the safetensors file to MODEL.pth and pass the name without '.pth'."""
    tensors = rwkv7_weights.load_state_dict(weights_path, torch.float32)
    stem = os.path.join(tmp_dir, "model")
    torch.save(tensors, stem + ".pth")
    with contextlib.redirect_stdout(sys.stderr):
        model = rwkv.model.RWKV_x070(stem, "cpu fp32")
    return model, tensors["emb.weight"].shape[0]


def fixed_tokens(count, vocab):
    return [(i * 7 + 3) % vocab for i in range(count)]


def step_all(model, tokens):
    """RNN mode: one forward_one call per token from the zero state; the last logits."""
    state = model.generate_zero_state()
    logits = None
    for token in tokens:
        logits, state = model.forward(token, state)
    return logits


def sequence(model, tokens):
    """Sequence mode: one forward_seq call over the whole prompt; the last logits."""
    logits, _ = model.forward(tokens, None)
    return logits


def median_seconds(fn, repeat, warmup):
    for _ in range(warmup):
        fn()
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def print_logits(model, tokens_text):
    tokens = [int(t) for t in tokens_text.split(",")]
    if len(tokens) > 1:
        seq_logits, _ = model.forward(tokens, None, full_output=True)
    else:
        seq_logits, _ = model.forward(tokens[0], None)
        seq_logits = seq_logits.unsqueeze(0)
    state = model.generate_zero_state()
    stepped = []
    for token in tokens:
        out, state = model.forward(token, state)
        stepped.append(out.double().tolist())
    print(json.dumps({"peer": "rwkv-package", "version": package_version(), "tokens": tokens,
                      "logits": seq_logits.double().tolist(), "logits_step": stepped}))


def main():
    torch.set_num_threads(ARGS.threads)
    with tempfile.TemporaryDirectory(prefix="rwkv_pkg_") as tmp_dir:
        model, vocab = load_model(ARGS.weights, tmp_dir)
    if ARGS.check_logits:
        print_logits(model, ARGS.check_logits)
        return

    step_tokens = fixed_tokens(ARGS.step_tokens, vocab)
    seq_tokens = fixed_tokens(ARGS.seq_tokens, vocab)
    step_s = median_seconds(lambda: step_all(model, step_tokens), ARGS.repeat, ARGS.warmup)
    seq_s = median_seconds(lambda: sequence(model, seq_tokens), ARGS.repeat, ARGS.warmup)
    last = sequence(model, seq_tokens)
    print(json.dumps({
        "peer": "rwkv-package",
        "version": package_version(),
        "strategy": "cpu fp32",
        "step_tokens": ARGS.step_tokens,
        "sequence_tokens": ARGS.seq_tokens,
        "step_tokens_per_second": ARGS.step_tokens / step_s,
        "sequence_tokens_per_second": ARGS.seq_tokens / seq_s,
        "threads": ARGS.threads,
        "repeat": ARGS.repeat,
        "torch": torch.__version__,
        "logits_last": last[:8].double().tolist(),
    }))


if __name__ == "__main__":
    main()
