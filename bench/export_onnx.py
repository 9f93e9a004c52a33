#!/usr/bin/python3
"""Exports the benchmark workloads to ONNX for OrtBenchmark: PyTorch nn.RNN/LSTM/GRU with the benchmark weights.

Usage (from bench/): /usr/bin/python3 export_onnx.py [--out models]

Writes <variant>_<cell>.onnx for variant in hello, char, char_ids, batch, wide and cell in simple_rnn, lstm,
gru: float32 (ONNX Runtime has no float64 RNN kernels), fixed shapes, input `x` [batch][timeSteps][inputSize]
(or int64 `ids` [batch][timeSteps] for char_ids, which starts with an Embedding), output `h` [batch][units].
Needs torch (1.13 here) and its exporter's `onnx` package (Debian: apt-get install -y python3-onnx).
"""

import argparse
import os
import sys
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchdata  # noqa: E402

OPSET = 14


def export(out_dir, quiet=True):
    import torch

    os.makedirs(out_dir, exist_ok=True)
    written = []
    for variant, _, workload, token_ids, threads in benchdata.VARIANTS:
        if threads != 1:
            continue  # batch_2t runs the batch model with two threads
        for cell in benchdata.CELLS:
            data = benchdata.BenchData(workload, cell)
            module = benchdata.torch_module(data, torch.float32, token_ids)
            if token_ids:
                example, name = torch.from_numpy(data.ids), "ids"
            else:
                example, name = torch.from_numpy(data.inputs.astype(np.float32)), "x"
            path = os.path.join(out_dir, f"{variant}_{cell.lower()}.onnx")
            with warnings.catch_warnings():
                if quiet:
                    warnings.simplefilter("ignore")
                torch.onnx.export(module, (example,), path, input_names=[name], output_names=["h"],
                                  opset_version=OPSET, do_constant_folding=True)
            written.append(path)
    return written


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", default=os.path.join(here, "models"), help="output folder (default: bench/models)")
    args = p.parse_args()
    for path in export(args.out):
        print(path)


if __name__ == "__main__":
    main()
