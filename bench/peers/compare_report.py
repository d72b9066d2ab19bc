# Turns the raw outputs that compare.sh collects in its work folder into the Markdown report:
# the logits agreement of statetrack and the peers, and the speed ratio table (median over
# rounds). Used by compare.sh; run by hand as
#   python3 compare_report.py WORK_DIR ROUNDS MACHINE BLAS_LINE
import json
import os
import statistics
import sys


def load_json(path):
    """The JSON object in a file (the last line that parses, so stray log lines do not hurt)."""
    with open(path) as f:
        text = f.read()
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        for line in reversed(text.splitlines()):
            try:
                return json.loads(line)
            except json.JSONDecodeError:
                continue
    raise ValueError(f"{path}: no JSON object")


def time_unit_seconds(unit):
    return {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[unit]


def train_steps_per_second(bench_json, name):
    """steps/s of google-benchmark entry `name` (its name may carry /min_time:…/real_time)."""
    for b in bench_json.get("benchmarks", []):
        if b.get("run_type", "iteration") != "iteration":
            continue
        if b["name"].split("/")[0] == name:
            if b.get("torch_threads", 1) != 1:
                print(f"warning: {name} ran with {b['torch_threads']} torch threads", file=sys.stderr)
            return 1.0 / (b["real_time"] * time_unit_seconds(b.get("time_unit", "ns")))
    raise ValueError(f"model_bench output has no benchmark {name}")


def relative_difference(x, y):
    """max |x - y| / max |y| over all positions and logits."""
    diff = max(abs(a - b) for row_x, row_y in zip(x, y) for a, b in zip(row_x, row_y))
    scale = max(abs(b) for row in y for b in row)
    return diff / scale


def fmt(value):
    if value is None:
        return "n/a"
    return f"{value:,.1f}" if value >= 100 else f"{value:.3g}"


def main():
    work, rounds, machine, blas = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    path = lambda name: os.path.join(work, name)  # noqa: E731

    # Per round: (statetrack, peer) for each row.
    rows = {
        "RNN stepping, batch 1 (tokens/s)": ("rwkv package 'cpu fp32'", []),
        "sequence forward, batch 1 (tokens/s)": ("rwkv package 'cpu fp32'", []),
        "training step Quick: V 8, d 64, head 32, 2 layers, B 32, T 40 (steps/s)":
            ("plain PyTorch RWKV-7", []),
        "training step Medium: V 8, d 128, head 64, 2 layers, B 8, T 256 (steps/s)":
            ("plain PyTorch RWKV-7", []),
    }
    keys = list(rows)
    pkg_info = {}
    for r in range(1, rounds + 1):
        pkg = load_json(path(f"r{r}.pkg.json"))
        pkg_info = pkg
        bench = load_json(path(f"r{r}.model_bench.json"))
        rows[keys[0]][1].append((load_json(path(f"r{r}.st_step.json"))["tokens_per_second"],
                                 pkg["step_tokens_per_second"]))
        rows[keys[1]][1].append((load_json(path(f"r{r}.st_seq.json"))["tokens_per_second"],
                                 pkg["sequence_tokens_per_second"]))
        rows[keys[2]][1].append((train_steps_per_second(bench, "Rwkv7TrainStepQuick"),
                                 load_json(path(f"r{r}.plain_quick.json"))["steps_per_second"]))
        rows[keys[3]][1].append((train_steps_per_second(bench, "Rwkv7TrainStepMedium"),
                                 load_json(path(f"r{r}.plain_medium.json"))["steps_per_second"]))

    print("# statetrack vs peer implementations (CPU, 1 thread)")
    print()
    print(f"- machine: {machine}")
    print(f"- `statetrack --version`: {blas}")
    print(f"- peers: rwkv package {pkg_info.get('version', '?')}, torch {pkg_info.get('torch', '?')}")
    print(f"- rounds: {rounds}, run alternately (statetrack, peer, ...); each figure is the "
          f"median over rounds of each run's own median")
    print()

    # Logits agreement on the perturbed model (every position of a short token sequence).
    st = load_json(path("check.statetrack.json")).get("logits")
    plain = load_json(path("check.plain.json"))["logits"]
    pkg = load_json(path("check.pkg.json"))
    print("## Logits agreement (perturbed d 128 model, max |difference| / max |logit|)")
    print()
    print("| pair | relative difference |")
    print("| --- | --- |")
    if st is not None:
        print(f"| statetrack `model forward` vs plain PyTorch | {relative_difference(plain, st):.2e} |")
        print(f"| statetrack `model forward` vs rwkv package (sequence) | "
              f"{relative_difference(pkg['logits'], st):.2e} |")
        print(f"| statetrack `model forward` vs rwkv package (stepped) | "
              f"{relative_difference(pkg['logits_step'], st):.2e} |")
    else:
        print("| statetrack `model forward` | n/a (its JSON has no \"logits\") |")
    print(f"| plain PyTorch vs rwkv package (sequence) | {relative_difference(pkg['logits'], plain):.2e} |")
    print()

    print("## Speed")
    print()
    print("| what | statetrack | peer | ratio (statetrack / peer) |")
    print("| --- | --- | --- | --- |")
    for what, (peer_name, pairs) in rows.items():
        ours = statistics.median(p[0] for p in pairs)
        theirs = statistics.median(p[1] for p in pairs)
        print(f"| {what}, peer: {peer_name} | {fmt(ours)} | {fmt(theirs)} | {ours / theirs:.2f} |")
    print()
    print("Ratio > 1: statetrack is faster by that factor; < 1: the peer is faster.")
    print()
    print("Per-round figures (statetrack / peer):")
    print()
    for what, (_, pairs) in rows.items():
        values = ", ".join(f"{fmt(a)} / {fmt(b)}" for a, b in pairs)
        print(f"- {what}: {values}")


if __name__ == "__main__":
    main()
