"""Workloads, weights and inputs of the benchmarks, bit for bit the same as BenchData.java.

Every array is filled in row-major order from a counter-based SplitMix64 stream, so NumPy, PyTorch and the
exported ONNX models get exactly the values that rnn4j and the naive Java loop get. Weights are in Keras
layout (kernel [inputSize][gates*units], recurrent kernel [units][gates*units], gates in Keras order:
LSTM i, f, c, o; GRU z, r, h; GRU bias [2][3*units] for reset_after=True); torch_state_dict() converts.
"""

from dataclasses import dataclass

import numpy as np

KERNEL_SEED, RECURRENT_SEED, BIAS_SEED, RECURRENT_BIAS_SEED = 1, 2, 3, 4
EMBEDDING_SEED, INPUT_SEED, ID_SEED = 5, 6, 7
WEIGHT_SCALE = 0.1

CELLS = {"SIMPLE_RNN": 1, "LSTM": 4, "GRU": 3}


@dataclass(frozen=True)
class Workload:
    name: str
    input_size: int
    units: int
    time_steps: int
    batch: int
    one_hot: bool

    def flops_per_sequence(self, cell):
        u, n = self.units, self.input_size
        return self.time_steps * 2.0 * CELLS[cell] * (n * u + u * u)


# Same names and sizes as Workload.java.
WORKLOADS = {
    "HELLO": Workload("HELLO", 5, 3, 5, 1, True),
    "CHAR": Workload("CHAR", 64, 128, 100, 1, True),
    "BATCH": Workload("BATCH", 64, 256, 100, 64, False),
    "WIDE": Workload("WIDE", 256, 1024, 50, 1, False),
}

# Benchmark variants: (variant, JMH method, workload, token ids?, threads), in table order.
VARIANTS = [
    ("hello", "hello", "HELLO", False, 1),
    ("char", "charOneHot", "CHAR", False, 1),
    ("char_ids", "charTokenIds", "CHAR", True, 1),
    ("batch", "batch1Thread", "BATCH", False, 1),
    ("batch_2t", "batch2Threads", "BATCH", False, 2),
    ("wide", "wide", "WIDE", False, 1),
]


def unit(seed, start, count):
    """Values start..start+count-1 of stream `seed`, uniform in [0, 1) with 53 random bits (SplitMix64)."""
    with np.errstate(over="ignore"):
        i = np.arange(start + 1, start + count + 1, dtype=np.uint64)
        z = np.uint64(seed) + i * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * 2.0 ** -53


def matrix(seed, rows, cols, lo, hi, start=0):
    return (lo + (hi - lo) * unit(seed, start, rows * cols)).reshape(rows, cols)


class BenchData:
    """Weights (Keras layout, float64) and inputs of one workload and cell."""

    def __init__(self, workload, cell):
        w = WORKLOADS[workload] if isinstance(workload, str) else workload
        self.workload, self.cell = w, cell
        g, u, n, t = CELLS[cell], w.units, w.input_size, w.time_steps
        s = WEIGHT_SCALE
        self.kernel = matrix(KERNEL_SEED, n, g * u, -s, s)
        self.recurrent_kernel = matrix(RECURRENT_SEED, u, g * u, -s, s)
        self.bias = matrix(BIAS_SEED, 1, g * u, -s, s)[0]
        # GRU reset_after=True: Keras bias[1], the recurrent bias; zeros play its part for the other cells.
        self.recurrent_bias = (matrix(RECURRENT_BIAS_SEED, 1, g * u, -s, s)[0] if cell == "GRU"
                               else np.zeros(g * u))
        if w.one_hot:
            self.ids = np.floor(unit(ID_SEED, 0, w.batch * t) * n).astype(np.int64).reshape(w.batch, t)
            self.inputs = np.zeros((w.batch, t, n))
            np.put_along_axis(self.inputs, self.ids[:, :, None], 1.0, axis=2)
            self.embedding = matrix(EMBEDDING_SEED, n, n, -1.0, 1.0)
        else:
            self.ids = None
            self.embedding = None
            self.inputs = matrix(INPUT_SEED, w.batch * t, n, -1.0, 1.0).reshape(w.batch, t, n)

    def torch_state_dict(self):
        """The weights as nn.RNN / nn.LSTM / nn.GRU (one layer) parameters, as NumPy float64 arrays."""
        u = self.workload.units
        k, r, b, rb = self.kernel.T, self.recurrent_kernel.T, self.bias, self.recurrent_bias
        if self.cell == "GRU":
            # Keras gates z, r, h; PyTorch gates r, z, n.
            order = np.r_[u:2 * u, 0:u, 2 * u:3 * u]
            k, r, b, rb = k[order], r[order], b[order], rb[order]
        return {"weight_ih_l0": np.ascontiguousarray(k), "weight_hh_l0": np.ascontiguousarray(r),
                "bias_ih_l0": b.copy(), "bias_hh_l0": rb.copy()}


def torch_module(data, dtype, token_ids=False):
    """A PyTorch module (batch_first) returning the last output h, [batch][units], with the data's weights."""
    import torch
    from torch import nn

    w = data.workload
    cls = {"SIMPLE_RNN": nn.RNN, "LSTM": nn.LSTM, "GRU": nn.GRU}[data.cell]
    rnn = cls(w.input_size, w.units, batch_first=True, dtype=dtype)
    with torch.no_grad():
        for name, value in data.torch_state_dict().items():
            getattr(rnn, name).copy_(torch.from_numpy(value))

    class Last(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = None
            if token_ids:
                self.embedding = nn.Embedding(w.input_size, w.input_size, dtype=dtype)
                with torch.no_grad():
                    self.embedding.weight.copy_(torch.from_numpy(data.embedding))
            self.rnn = rnn

        def forward(self, x):
            if self.embedding is not None:
                x = self.embedding(x)
            _, h = self.rnn(x)
            if isinstance(h, tuple):
                h = h[0]
            return h[0]

    return Last().eval()
