# Peer benchmark: a plain-PyTorch RWKV-7 ("x070") written from the equations in
# docs/rwkv7.md (RWKV-LM's RWKV-v7/train_temp/src/model.py), with the WKV
# state update as a Python loop over time, as RWKV-LM's reference / demo code does on the CPU
# (rwkv_v7_demo.py's RWKV7_OP without the CUDA kernel). It measures training steps per second
# (forward + cross-entropy on random targets + backward + AdamW step) for comparison with
# statetrack's Rwkv7TrainStep benchmarks, and can print the logits of a forward pass
# (--check-logits) to check its equations against `statetrack model forward`.
#
#   python3 rwkv7_torch_train.py --weights M.safetensors --batch 8 --seq-len 256 --threads 1
#   python3 rwkv7_torch_train.py --weights M.safetensors --check-logits 3,10,1,8
import argparse
import json
import math
import os
import statistics
import sys
import time

from peer_args import add_check_logits_argument, add_timing_arguments, parse_and_pin_threads


def parse_args():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--weights", help="statetrack/RWKV-LM .safetensors file (its shape wins over "
                   "--vocab/--d-model/--head-size/--layers); without it: the reference init")
    p.add_argument("--vocab", type=int, default=8)
    p.add_argument("--d-model", type=int, default=128)
    p.add_argument("--head-size", type=int, default=64)
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--seq-len", type=int, default=256)
    add_timing_arguments(p)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    add_check_logits_argument(p, "the logits of one forward pass")
    p.add_argument("--save-weights", metavar="FILE",
                   help="write the model's tensors (RWKV-LM names) as .safetensors and exit: "
                   "a weights file for the other peers when no statetrack build is at hand")
    return parse_and_pin_threads(p)


ARGS = parse_args()

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rwkv7_weights  # noqa: E402

DECAY_SCALE = math.exp(-0.5)  # decay = exp(-e^{-0.5} sigmoid(d)) in (0.545, 1)
GROUP_NORM_EPS = 64e-5  # 1e-5 * head_size_divisor^2 (= 8^2)


def lora_dim(factor, d_model):
    """RWKV-LM's current LoRA width: max(32, round(factor * sqrt(C) / 32) * 32)."""
    return max(32, round(factor * math.sqrt(d_model) / 32) * 32)


def time_shift(x):
    """x_{t-1} at each t, zero at t = 0 (RWKV-LM: nn.ZeroPad2d((0, 0, 1, -1)))."""
    return torch.cat([torch.zeros_like(x[:, :1]), x[:, :-1]], dim=1)


def wkv7(r, decay, k, v, a, b):
    """The WKV7 recurrence, one Python step per token. All inputs (B, T, H, N); per head the
    state S is N x N with S[i][j], i = value index, j = key index, S_0 = 0:
        S_t = S_{t-1} diag(decay_t) + (S_{t-1} a_t) b_t^T + v_t k_t^T,   y_t = S_t r_t."""
    B, T, H, N = r.shape
    state = torch.zeros(B, H, N, N, dtype=r.dtype)
    ys = []
    for t in range(T):
        sa = state @ a[:, t, :, :, None]  # (B, H, N, 1)
        state = (state * decay[:, t, :, None, :] + sa * b[:, t, :, None, :]
                 + v[:, t, :, :, None] * k[:, t, :, None, :])
        ys.append((state @ r[:, t, :, :, None]).squeeze(-1))
    return torch.stack(ys, dim=1)


class TimeMix(nn.Module):
    """RWKV_Tmix_x070 (spec section 1.3); parameter names and shapes are RWKV-LM's."""

    def __init__(self, C, H, N, layer_id, dims):
        super().__init__()
        self.layer_id, self.H, self.N = layer_id, H, N
        dim_w, dim_a, dim_v, dim_g = dims
        vec = lambda: nn.Parameter(torch.zeros(1, 1, C))  # noqa: E731
        mat = lambda rows, cols: nn.Parameter(torch.zeros(rows, cols))  # noqa: E731
        self.x_r, self.x_w, self.x_k, self.x_v, self.x_a, self.x_g = (vec() for _ in range(6))
        self.w0, self.w1, self.w2 = vec(), mat(C, dim_w), mat(dim_w, C)
        self.a0, self.a1, self.a2 = vec(), mat(C, dim_a), mat(dim_a, C)
        self.v0, self.v1, self.v2 = vec(), mat(C, dim_v), mat(dim_v, C)
        self.g1, self.g2 = mat(C, dim_g), mat(dim_g, C)
        self.k_k, self.k_a = vec(), vec()
        self.r_k = mat(H, N)
        self.receptance = nn.Linear(C, C, bias=False)
        self.key = nn.Linear(C, C, bias=False)
        self.value = nn.Linear(C, C, bias=False)
        self.output = nn.Linear(C, C, bias=False)
        self.ln_x = nn.GroupNorm(H, C, eps=GROUP_NORM_EPS)

    def forward(self, x, v_first):
        B, T, C = x.shape
        H, N = self.H, self.N
        xx = time_shift(x) - x
        xr, xw, xk = x + xx * self.x_r, x + xx * self.x_w, x + xx * self.x_k
        xv, xa, xg = x + xx * self.x_v, x + xx * self.x_a, x + xx * self.x_g

        r = self.receptance(xr)
        d = self.w0 + torch.tanh(xw @ self.w1) @ self.w2  # decay precursor
        decay = torch.exp(-DECAY_SCALE * torch.sigmoid(d))
        k = self.key(xk)
        v = self.value(xv)
        if self.layer_id == 0:
            v_first = v
        else:  # value residual: the gate weighs layer 0's v
            v = v + (v_first - v) * torch.sigmoid(self.v0 + (xv @ self.v1) @ self.v2)
        a = torch.sigmoid(self.a0 + (xa @ self.a1) @ self.a2)  # in-context learning rate
        g = torch.sigmoid(xg @ self.g1) @ self.g2  # output gate

        kk = F.normalize((k * self.k_k).view(B, T, H, N), dim=-1, p=2.0, eps=1e-12)  # removal key
        k = k * (1 + (a - 1) * self.k_a)  # replacement key
        heads = lambda t: t.view(B, T, H, N)  # noqa: E731
        y = wkv7(heads(r), heads(decay), heads(k), heads(v), -kk, kk * heads(a))

        y = self.ln_x(y.reshape(B * T, C)).view(B, T, C)
        bonus = (heads(r) * heads(k) * self.r_k).sum(dim=-1, keepdim=True) * heads(v)
        y = y + bonus.view(B, T, C)
        return self.output(y * g), v_first


class ChannelMix(nn.Module):
    """RWKV_CMix_x070: relu(k W_key)^2 W_value with a 4C hidden layer."""

    def __init__(self, C):
        super().__init__()
        self.x_k = nn.Parameter(torch.zeros(1, 1, C))
        self.key = nn.Linear(C, 4 * C, bias=False)
        self.value = nn.Linear(4 * C, C, bias=False)

    def forward(self, x):
        xx = time_shift(x) - x
        k = torch.relu(self.key(x + xx * self.x_k)) ** 2
        return self.value(k)


class Block(nn.Module):
    def __init__(self, C, H, N, layer_id, dims):
        super().__init__()
        self.layer_id = layer_id
        if layer_id == 0:
            self.ln0 = nn.LayerNorm(C, eps=1e-5)
        self.ln1 = nn.LayerNorm(C, eps=1e-5)
        self.ln2 = nn.LayerNorm(C, eps=1e-5)
        self.att = TimeMix(C, H, N, layer_id, dims)
        self.ffn = ChannelMix(C)

    def forward(self, x, v_first):
        if self.layer_id == 0:
            x = self.ln0(x)
        dx, v_first = self.att(self.ln1(x), v_first)
        x = x + dx
        return x + self.ffn(self.ln2(x)), v_first


class RWKV7(nn.Module):
    def __init__(self, vocab, C, N, layers, dims):
        super().__init__()
        self.emb = nn.Embedding(vocab, C)
        self.blocks = nn.ModuleList(Block(C, C // N, N, i, dims) for i in range(layers))
        self.ln_out = nn.LayerNorm(C, eps=1e-5)
        self.head = nn.Linear(C, vocab, bias=False)

    def forward(self, idx):
        x = self.emb(idx)
        v_first = None
        for block in self.blocks:
            x, v_first = block(x, v_first)
        return self.head(self.ln_out(x))


def reference_init(model, C, N, layers):
    """RWKV-LM's current init (spec section 1.8), for runs without --weights."""
    with torch.no_grad():
        n = torch.arange(C, dtype=torch.float64)
        ddd = (n / C).view(1, 1, C)
        linear = (n / (C - 1) - 0.5).view(1, 1, C)
        z = ((n % N) - (N - 1) / 2) / ((N - 1) / 2)
        zigzag = (z * z.abs()).view(1, 1, C)
        for i, block in enumerate(model.blocks):
            att, ffn = block.att, block.ffn
            r0 = i / (layers - 1) if layers > 1 else 0.0
            r1 = 1.0 - i / layers
            att.x_r.copy_(1 - ddd ** (0.2 * r1))
            att.x_w.copy_(1 - ddd ** (0.9 * r1))
            att.x_k.copy_(1 - ddd ** (0.7 * r1))
            att.x_v.copy_(1 - ddd ** (0.7 * r1))
            att.x_a.copy_(1 - ddd ** (0.9 * r1))
            att.x_g.copy_(1 - ddd ** (0.2 * r1))
            w0 = -6 + 6 * (n / (C - 1)) ** (1 + r0 ** 0.3) + 0.5
            att.w0.copy_(w0.view(1, 1, C) + 2.5 * zigzag)
            att.a0.copy_(-0.19 + 0.3 * zigzag + 0.4 * linear)
            att.v0.copy_(0.73 - 0.4 * linear)
            att.k_k.copy_(0.71 - 0.1 * linear)
            att.k_a.fill_(1.02)
            att.r_k.fill_(-0.04)
            for lora in (att.w1, att.a1, att.v1, att.g1):
                lora.zero_()
            for lora in (att.w2, att.a2, att.v2, att.g2):
                nn.init.orthogonal_(lora, gain=0.1)
            nn.init.orthogonal_(att.receptance.weight, gain=1.0)
            nn.init.orthogonal_(att.key.weight, gain=0.1)
            nn.init.orthogonal_(att.value.weight, gain=1.0)
            att.output.weight.zero_()
            att.ln_x.weight.copy_(torch.full((C,), ((1 + i) / layers) ** 0.7))
            ffn.x_k.copy_(1 - ddd ** (r1 ** 4))
            nn.init.orthogonal_(ffn.key.weight, gain=1.0)
            ffn.value.weight.zero_()
        nn.init.uniform_(model.emb.weight, -1e-4, 1e-4)
        vocab = model.head.weight.shape[0]
        nn.init.orthogonal_(model.head.weight, gain=0.5 * math.sqrt(vocab / C) if vocab > C else 0.5)


def check_statetrack_config(metadata, path):
    """statetrack files carry their config; this model is the default (deployed) RWKV-7 only."""
    if "statetrack_config" not in metadata:
        return
    config = json.loads(metadata["statetrack_config"])
    if config.get("type") != "rwkv7":
        sys.exit(f"{path}: a {config.get('type')} model, not rwkv7")
    defaults = {"transition": "full", "extended_eigenvalues": False, "value_residual": True,
                "bonus": True, "decay_clamp": True}
    for key, value in defaults.items():
        if key in config and config[key] != value:
            sys.exit(f"{path}: {key} = {config[key]} is not supported here (only the default "
                     f"RWKV-7: {defaults})")


def build_model(args, dtype):
    """(model, shape dict): from --weights when given, else the reference init of the
    --vocab/--d-model/--head-size/--layers shape."""
    torch.manual_seed(args.seed)
    if args.weights:
        tensors = rwkv7_weights.load_state_dict(args.weights, dtype)
        check_statetrack_config(rwkv7_weights.read_metadata(args.weights), args.weights)
        vocab, C = tensors["emb.weight"].shape
        H, N = tensors["blocks.0.att.r_k"].shape
        layers = 1 + max(int(name.split(".")[1]) for name in tensors if name.startswith("blocks."))
        dim_v_source = "blocks.1.att.v1" if layers > 1 else "blocks.0.att.v1"
        dims = (tensors["blocks.0.att.w1"].shape[1], tensors["blocks.0.att.a1"].shape[1],
                tensors[dim_v_source].shape[1], tensors["blocks.0.att.g1"].shape[1])
        model = RWKV7(vocab, C, N, layers, dims).to(dtype)
        # Layer 0's v0/v1/v2 are never used; RWKV-LM's own exports leave them out.
        own = model.state_dict()
        loaded = {name: t.view(own[name].shape) for name, t in tensors.items()}
        missing = set(own) - set(loaded) - {f"blocks.0.att.{p}" for p in ("v0", "v1", "v2")}
        unexpected = set(loaded) - set(own)
        if missing or unexpected:
            sys.exit(f"{args.weights}: missing tensors {sorted(missing)}, "
                     f"unexpected tensors {sorted(unexpected)}")
        model.load_state_dict(loaded, strict=False)
    else:
        vocab, C, N, layers = args.vocab, args.d_model, args.head_size, args.layers
        dims = (lora_dim(2.5, C), lora_dim(2.5, C), lora_dim(1.7, C), lora_dim(5.0, C))
        model = RWKV7(vocab, C, N, layers, dims)
        reference_init(model, C, N, layers)
        model = model.to(dtype)
    shape = {"vocab": vocab, "d_model": C, "head_size": N, "layers": layers,
             "batch": args.batch, "seq_len": args.seq_len}
    return model, shape


def make_adamw(model, lr=6e-4):
    """statetrack's (and RWKV-LM's) groups: att.w0 at 2x lr; weight decay 1e-3 on the 2-D
    .weight matrices only; betas (0.9, 0.99), eps 1e-18."""
    lr_2x, decay, no_decay = [], [], []
    for name, p in model.named_parameters():
        if "att.w0" in name:
            lr_2x.append(p)
        elif p.squeeze().dim() >= 2 and ".weight" in name:
            decay.append(p)
        else:
            no_decay.append(p)
    groups = [{"params": lr_2x, "lr": 2 * lr, "weight_decay": 0.0},
              {"params": decay, "weight_decay": 1e-3},
              {"params": no_decay, "weight_decay": 0.0}]
    return torch.optim.AdamW(groups, lr=lr, betas=(0.9, 0.99), eps=1e-18)


def print_logits(model, tokens_text):
    tokens = [int(t) for t in tokens_text.split(",")]
    model.eval()
    with torch.no_grad():
        logits = model(torch.tensor([tokens]))[0].double()
    print(json.dumps({"peer": "plain-pytorch-rwkv7", "tokens": tokens, "logits": logits.tolist()}))


def main():
    torch.set_num_threads(ARGS.threads)
    dtype = torch.float64 if ARGS.dtype == "float64" else torch.float32
    model, shape = build_model(ARGS, dtype)
    if ARGS.save_weights:
        rwkv7_weights.write_safetensors(ARGS.save_weights, model.state_dict())
        print(f"wrote {ARGS.save_weights}", file=sys.stderr)
        return
    if ARGS.check_logits:
        print_logits(model, ARGS.check_logits)
        return

    vocab, B, T = shape["vocab"], ARGS.batch, ARGS.seq_len
    generator = torch.Generator().manual_seed(ARGS.seed)
    tokens = torch.randint(0, vocab, (B, T), generator=generator)
    targets = torch.randint(0, vocab, (B, T), generator=generator)
    optimizer = make_adamw(model)
    model.train()

    def train_step():
        optimizer.zero_grad()
        loss = F.cross_entropy(model(tokens).reshape(-1, vocab), targets.reshape(-1))
        loss.backward()
        optimizer.step()
        if not math.isfinite(loss.item()):
            sys.exit("non-finite loss")

    for _ in range(ARGS.warmup):
        train_step()
    seconds = []
    for _ in range(ARGS.repeat):
        start = time.perf_counter()
        train_step()
        seconds.append(time.perf_counter() - start)
    median = statistics.median(seconds)
    print(json.dumps({"peer": "plain-pytorch-rwkv7", "steps_per_second": 1.0 / median,
                      "tokens_per_second": B * T / median, "shape": shape,
                      "threads": ARGS.threads, "repeat": ARGS.repeat,
                      "torch": torch.__version__}))


if __name__ == "__main__":
    main()
