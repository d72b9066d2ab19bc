# Reads (and, for tests, writes) .safetensors files with numpy only, so that the peer
# benchmarks in this folder can load the weights `statetrack model export` writes
# (RWKV-LM tensor names: emb.weight, blocks.N.att.r_k, ..., head.weight).
#
# Format: 8-byte little-endian header length, a JSON header
# {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {str: str}},
# then the raw little-endian tensor data (offsets are relative to the end of the header).
import json
import struct

import numpy as np
import torch

# safetensors dtype code -> numpy dtype (BF16 has none: it is widened by hand below).
_NUMPY_DTYPES = {
    "F64": np.dtype("<f8"),
    "F32": np.dtype("<f4"),
    "F16": np.dtype("<f2"),
    "I64": np.dtype("<i8"),
    "I32": np.dtype("<i4"),
    "I16": np.dtype("<i2"),
    "I8": np.dtype("i1"),
    "U8": np.dtype("u1"),
    "BOOL": np.dtype("?"),
}


def _to_array(raw, dtype, shape):
    """The bytes of one tensor as a numpy array of its shape."""
    if dtype == "BF16":
        # bfloat16 is the top half of a float32: shift it into place.
        halves = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
        return halves.view(np.float32).reshape(shape)
    if dtype not in _NUMPY_DTYPES:
        raise ValueError(f"unsupported safetensors dtype {dtype}")
    return np.frombuffer(raw, dtype=_NUMPY_DTYPES[dtype]).reshape(shape)


def read_safetensors(path):
    """Returns (tensors, metadata): {name: numpy array}, {str: str}."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError(f"{path}: too short to be a safetensors file")
    (header_len,) = struct.unpack("<Q", data[:8])
    if 8 + header_len > len(data):
        raise ValueError(f"{path}: header length {header_len} runs past the end of the file")
    header = json.loads(data[8 : 8 + header_len].decode("utf-8"))
    body = data[8 + header_len :]
    metadata = header.pop("__metadata__", {}) or {}
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        if not 0 <= begin <= end <= len(body):
            raise ValueError(f"{path}: tensor '{name}' has offsets {begin}..{end} outside the data")
        tensors[name] = _to_array(body[begin:end], info["dtype"], tuple(info["shape"]))
    return tensors, metadata


def load_state_dict(path, dtype=torch.float32):
    """The file's tensors as {name: torch tensor} in `dtype` (a copy, writable)."""
    tensors, _ = read_safetensors(path)
    return {name: torch.from_numpy(np.array(a)).to(dtype) for name, a in tensors.items()}


def read_metadata(path):
    """Just the file's __metadata__ ({str: str}); statetrack stores its model config as JSON
    under "statetrack_config"."""
    return read_safetensors(path)[1]


def write_safetensors(path, tensors, metadata=None):
    """Writes {name: torch tensor or numpy array} as float32 safetensors."""
    header = {}
    chunks = []
    offset = 0
    for name, t in tensors.items():
        a = t.detach().cpu().numpy() if isinstance(t, torch.Tensor) else np.asarray(t)
        a = np.ascontiguousarray(a, dtype="<f4")
        raw = a.tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    if metadata:
        header["__metadata__"] = dict(metadata)
    text = json.dumps(header).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)  # the data starts 8-byte aligned
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in chunks:
            f.write(raw)


def perturb(in_path, out_path, scale=0.05, seed=1):
    """Writes a copy of in_path with N(0, scale^2) noise added to every tensor.

    A freshly exported model has zero att.output and ffn.value matrices (RWKV-LM's init), so its
    logits do not depend on the time mix at all: comparing logits of such a model checks little.
    The copy keeps statetrack's config metadata and drops its content checksum (which no longer
    matches; statetrack accepts files without one)."""
    tensors, metadata = read_safetensors(in_path)
    rng = np.random.default_rng(seed)
    noisy = {name: a.astype(np.float64) + scale * rng.standard_normal(a.shape)
             for name, a in tensors.items()}
    metadata = {k: v for k, v in metadata.items() if k != "statetrack_checksum"}
    write_safetensors(out_path, noisy, metadata)


def main():
    import argparse

    p = argparse.ArgumentParser(description="list or perturb a .safetensors file")
    sub = p.add_subparsers(dest="command", required=True)
    listing = sub.add_parser("list", help="print the metadata and each tensor's dtype and shape")
    listing.add_argument("file")
    noise = sub.add_parser("perturb", help="write a copy with Gaussian noise on every tensor")
    noise.add_argument("file")
    noise.add_argument("out")
    noise.add_argument("--scale", type=float, default=0.05)
    noise.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    if args.command == "perturb":
        perturb(args.file, args.out, args.scale, args.seed)
        return
    arrays, meta = read_safetensors(args.file)
    for key, value in meta.items():
        print(f"metadata {key}: {value}")
    for key, a in arrays.items():
        print(f"{key:40s} {str(a.dtype):8s} {list(a.shape)}")


if __name__ == "__main__":
    main()
