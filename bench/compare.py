#!/usr/bin/python3
"""Compares rnn4j's speed with NumPy, PyTorch, ONNX Runtime and a naive Java loop on the same workloads.

Run from anywhere with the system Python (it has NumPy and PyTorch from Debian):

    /usr/bin/python3 bench/compare.py            # full run, more than 12 minutes on 2 cores
    /usr/bin/python3 bench/compare.py --quick    # short run, about 4 minutes
    /usr/bin/python3 bench/compare.py --filter 'char|wide' --cells LSTM,GRU
    /usr/bin/python3 bench/compare.py --gc       # allocation per call against T (JMH -prof gc), 20 minutes or more

Needs bench/target/benchmarks.jar (mvn -B -q package in bench/) and the ONNX models in bench/models (made
by export_onnx.py; exported here when missing). Steps:
 1. machine info and the dgemm limit (NumPy 2048^3 matmul, 1 and 2 OpenBLAS threads);
 2. NumPy (float64; the input projection of all steps as one matmul, then h @ U per step) and PyTorch
    (float64 nn.RNN/LSTM/GRU, no_grad), each in a subprocess with its thread count set before import;
 3. a correctness check: every implementation's last outputs on every benchmark input must agree with
    NumPy's (rnn4j float64, with each backend, to 1e-12; rnn4j float32 to 1e-5; the other float64 ones to 1e-9;
    ONNX Runtime's float32 to 1e-3);
 4. the JMH benchmarks of rnn4j (plain backend, float64), the naive loop and ONNX Runtime (-rf json), then
    Rnn4jBenchmark again for each other rnn4j configuration: the Vector API backend (-jvmArgsAppend
    "--add-modules jdk.incubator.vector -Drnn4j.backend=vector") and float32 (-Drnn4j.bench.precision=FLOAT32),
    on both backends (--no-vector, --no-float32 skip some);
 5. one table per rnn4j configuration (plain/vector × float64/float32): per workload and cell, rnn4j's median
    time per sequence, its GFLOP/s, its baseline's time over its own (vector: plain; float32: float64 on the same
    backend), and the ratio peer time / rnn4j time for each peer (> 1: rnn4j is faster); then all raw times and
    issue 13's speed targets, met or not. Also written to bench/results/latest.md and latest.json.

With --gc, instead: Rnn4jAllocation (char sizes, T = 50, 200, 800, last output only) with JMH's -prof gc, for
each backend, precision (float64, float32) and path (Model.predict, Model.predictBatch, Session.stepInto,
Session.step); prints gc.alloc.rate.norm (bytes per call) against T and the bytes per extra time step, writes
bench/results/allocation.md, and exits with status 1 if the bytes per call grow with T by more than the path
returns per step.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import benchdata  # noqa: E402

JAR = os.path.join(HERE, "target", "benchmarks.jar")
MODELS = os.path.join(HERE, "models")
RESULTS = os.path.join(HERE, "results")
JMH_CLASSES = {"rnn4j": "Rnn4jBenchmark", "naive": "NaiveBenchmark", "ort": "OrtBenchmark"}
# rnn4j's backends (io.github.rnn4j.internal.Backend): the JVM options that select each one. Plain is the
# default of a JVM without the incubator module; -Drnn4j.backend=vector fails at start if the Vector API is missing.
BACKENDS = {"plain": [], "vector": ["--add-modules", "jdk.incubator.vector", "-Drnn4j.backend=vector"]}
# rnn4j's precisions (Model.withPrecision / Rnn.float32), selected in the benchmark JVM by -Drnn4j.bench.precision.
PRECISIONS = {"float64": "FLOAT64", "float32": "FLOAT32"}
# The rnn4j configurations one run measures: (implementation name, backend, precision, table title). The name is the
# key of its times in latest.json and its column in the raw table.
RNN4J_RUNS = [("rnn4j", "plain", "float64", "plain float64"), ("rnn4j_vector", "vector", "float64", "vector float64"),
              ("rnn4j_f32", "plain", "float32", "plain float32"),
              ("rnn4j_f32_vector", "vector", "float32", "vector float32")]
# rnn4j's outputs must agree with NumPy float64 to this; other float64 peers to F64_TOL, float32 ONNX Runtime to F32_TOL.
RNN4J_TOL, F64_TOL, F32_TOL = 1e-12, 1e-9, 1e-3
# rnn4j's float32 mode against NumPy float64: the bound the test suite holds it to (Tolerance.FLOAT32_MODE, absolute).
RNN4J_F32_TOL = 1e-5
ALLOC_T = (50, 200, 800)  # Rnn4jAllocation's @Param T
ALLOC_SLOPE_LIMIT = 1.0  # bytes per time step; an object allocated per step would be at least 16
ALLOC_SPREAD_WARN = 1024  # bytes per call between a fork's measurement iterations: reported as unsteady
# Warm-up iterations of 1 s per fork (full run, --quick). The Vector API's interpreted and C1 code box every vector,
# and on the loaded 2-core machine C2 took more than 5 s to compile the float32 vector kernels (2026-11-30: 448 ms
# per call at T=50 in the first second, 2.4 ms after 7 s), so the vector backend warms up longer.
ALLOC_WARMUP = {"plain": (4, 3), "vector": (10, 6)}
# The paths --gc measures (Rnn4jAllocation methods): table name, double[units] returned per step, what one call runs.
ALLOC_METHODS = {
    "predict": ("predict", 0, "`Model.predict(double[][])` on one sequence of T dense steps (the batch-1 path)"),
    "predictBatch": ("predictBatch", 0, "`Model.predictBatch(double[][][])` on 6 sequences of T dense steps "
                                        "(the step-major batch path)"),
    "sessionStepInto": ("Session.stepInto", 0, "`Session.reset()` then T one-hot `stepInto(input, out)`"),
    "sessionStep": ("Session.step", 1, "`Session.reset()` then T one-hot `step(input)`, each returning a new array"),
}
PEERS = [("numpy", "NumPy"), ("torch", "PyTorch"), ("ort", "ORT f32"), ("naive", "naive Java")]
THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
# OpenBLAS cores that mean "this OpenBLAS did not recognise the CPU" on a modern x86-64.
GENERIC_CORES = {"Prescott", "Core2", "Katmai", "Coppermine", "Northwood", "Banias", "Atom", "Nehalem"}


# --------------------------------------------------------------------------------------------- workers
# Run in subprocesses, so that each thread count is set before NumPy, OpenBLAS and PyTorch start.

def sigmoid(np, x):
    return 1.0 / (1.0 + np.exp(-x))


def numpy_forward(np, d, x, token_ids):
    """Keras's equations, straightforwardly: one matmul for the input projection, then h @ U per step."""
    w = d.workload
    u = w.units
    if token_ids:
        x = d.embedding[x]
    b, t, n = x.shape
    xp = (x.reshape(b * t, n) @ d.kernel + d.bias).reshape(b, t, -1)
    h = np.zeros((b, u))
    c = np.zeros((b, u))
    rk = d.recurrent_kernel
    for s in range(t):
        xs = xp[:, s]
        if d.cell == "SIMPLE_RNN":
            h = np.tanh(xs + h @ rk)
        elif d.cell == "LSTM":
            z = xs + h @ rk
            i = sigmoid(np, z[:, :u])
            f = sigmoid(np, z[:, u:2 * u])
            g = np.tanh(z[:, 2 * u:3 * u])
            o = sigmoid(np, z[:, 3 * u:])
            c = f * c + i * g
            h = o * np.tanh(c)
        else:  # GRU, reset_after=True
            hr = h @ rk + d.recurrent_bias
            z = sigmoid(np, xs[:, :u] + hr[:, :u])
            r = sigmoid(np, xs[:, u:2 * u] + hr[:, u:2 * u])
            cand = np.tanh(xs[:, 2 * u:] + r * hr[:, 2 * u:])
            h = z * h + (1.0 - z) * cand
    return h


def median_time_ns(fn, min_sample_s, repeats, warmup_s):
    """Median over `repeats` samples of the time of one call, each sample timing enough calls to last min_sample_s."""
    end = time.perf_counter() + warmup_s
    fn()
    while time.perf_counter() < end:
        fn()
    calls = 1
    while True:
        t0 = time.perf_counter_ns()
        for _ in range(calls):
            fn()
        dt = time.perf_counter_ns() - t0
        if dt >= min_sample_s * 1e9:
            break
        calls = max(calls * 2, int(calls * min_sample_s * 1.2e9 / max(dt, 1)))
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter_ns()
        for _ in range(calls):
            fn()
        samples.append((time.perf_counter_ns() - t0) / calls)
    return statistics.median(samples)


def openblas_info():
    """The OpenBLAS core and thread count that the loaded NumPy uses, from the library itself."""
    import ctypes
    libs = sorted({line.split()[-1] for line in open("/proc/self/maps") if "openblas" in line and ".so" in line})
    for path in libs:
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return {"core": lib.openblas_get_corename().decode(), "threads": lib.openblas_get_num_threads(),
                    "library": path}
        except (OSError, AttributeError):
            continue
    return {"core": "unknown", "threads": None, "library": None}


def worker(args):
    import numpy as np
    out = {"numpy": np.__version__, "openblas": openblas_info(), "results": {}}
    if args.worker == "dgemm":
        n = 2048
        a = np.random.default_rng(0).random((n, n))
        bm = np.random.default_rng(1).random((n, n))
        a @ bm
        best = min(_timed(lambda: a @ bm) for _ in range(args.repeats))
        out["gflops"] = 2.0 * n ** 3 / best / 1e9
        print(json.dumps(out))
        return
    import torch
    torch.set_num_threads(args.threads)
    out["torch"] = torch.__version__
    out["torch_threads"] = torch.get_num_threads()
    min_sample, repeats, warmup = (0.01, 3, 0.05) if args.quick else (0.05, 9, 0.3)
    for key in args.keys.split(","):
        variant, cell = key.split("/")
        _, _, workload, token_ids, _ = next(v for v in benchdata.VARIANTS if v[0] == variant)
        d = benchdata.BenchData(workload, cell)
        x = d.ids if token_ids else d.inputs
        xt = torch.from_numpy(x)
        module = benchdata.torch_module(d, torch.float64, token_ids)
        batch = d.workload.batch

        def run_torch():
            with torch.no_grad():
                return module(xt)

        entry = {}
        if args.check:
            entry["numpy_h"] = numpy_forward(np, d, x, token_ids).tolist()
            entry["torch_h"] = run_torch().numpy().tolist()
        if not args.no_timing:
            entry["numpy_ns"] = median_time_ns(lambda: numpy_forward(np, d, x, token_ids),
                                               min_sample, repeats, warmup) / batch
            entry["torch_ns"] = median_time_ns(run_torch, min_sample, repeats, warmup) / batch
        out["results"][key] = entry
    print(json.dumps(out))


def _timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


# --------------------------------------------------------------------------------------------- driver

def log(msg=""):
    print(msg, file=sys.stderr, flush=True)


def blas_env(threads, coretype):
    env = dict(os.environ)
    for var in THREAD_VARS:
        env[var] = str(threads)
    if coretype:
        env["OPENBLAS_CORETYPE"] = coretype
    return env


def run_worker(kind, threads, coretype, extra):
    cmd = [sys.executable, os.path.abspath(__file__), "--worker", kind, "--threads", str(threads)] + extra
    p = subprocess.run(cmd, env=blas_env(threads, coretype), capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"worker {' '.join(cmd)} failed:\n{p.stderr[-3000:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def cpu_info():
    """The CPU model name and flags, from /proc/cpuinfo."""
    model, flags = platform.processor() or "unknown", set()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                name, _, value = line.partition(":")
                if name.strip() == "model name" and model in ("unknown", platform.processor()):
                    model = value.strip()
                elif name.strip() == "flags" and not flags:
                    flags = set(value.split())
    except OSError:
        pass
    return model, flags


def choose_coretype(requested, flags, detected):
    """The OPENBLAS_CORETYPE to run NumPy and PyTorch with; None keeps OpenBLAS's own choice."""
    if requested == "keep":
        return None
    if requested != "auto":
        return requested
    if os.environ.get("OPENBLAS_CORETYPE"):
        return None  # set on purpose by the environment: respect it
    if detected in GENERIC_CORES:
        if "avx512f" in flags:
            return "SkylakeX"
        if "avx2" in flags:
            return "Haswell"
    return None


def java_version(java):
    p = subprocess.run([java, "-version"], capture_output=True, text=True)
    return (p.stderr or p.stdout).strip().splitlines()


def pom_property(name):
    try:
        with open(os.path.join(HERE, "pom.xml")) as f:
            m = re.search(rf"<{re.escape(name)}>([^<]+)</", f.read())
            return m.group(1) if m else "?"
    except OSError:
        return "?"


def ensure_models(keys):
    needed = {f"{variant if variant != 'batch_2t' else 'batch'}_{cell.lower()}.onnx" for variant, cell in
              (k.split("/") for k in keys)}
    missing = [m for m in needed if not os.path.isfile(os.path.join(MODELS, m))]
    if missing:
        log(f"exporting ONNX models to {MODELS} ({len(missing)} missing) ...")
        subprocess.run([sys.executable, os.path.join(HERE, "export_onnx.py"), "--out", MODELS], check=True,
                       stdout=subprocess.DEVNULL)


def check_keys(keys):
    """The keys whose outputs to check: batch_2t computes the same as batch."""
    return list(dict.fromkeys(k.replace("batch_2t/", "batch/") for k in keys))


def run_checksums(java, variants, backend, precision="float64"):
    """Checksums.java's JSON of last outputs, run with `backend` and `precision`; raises RuntimeError if it fails or
    runs another."""
    cmd = [java] + BACKENDS[backend] + [f"-Drnn4j.bench.precision={PRECISIONS[precision]}",
                                        f"-Drnn4j.bench.models={MODELS}", "-cp", JAR, "io.github.rnn4j.bench.Checksums"]
    if backend != "plain" or precision != "float64":
        cmd.append("--rnn4j-only")  # the naive loop and ONNX Runtime do not depend on rnn4j's backend or precision
    p = subprocess.run(cmd + variants, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"Checksums ({backend}, {precision}) failed: {p.stderr[-2000:]}")
    out = json.loads(p.stdout)
    if out.pop("backend", None) != backend:
        raise RuntimeError(f"Checksums ran with {backend} JVM options but reports another rnn4j backend")
    if out.pop("precision", None) != PRECISIONS[precision]:
        raise RuntimeError(f"Checksums ran with {precision} but reports another rnn4j precision")
    return out


def check_outputs(java, keys, py_check, backends, precisions):
    """Runs Checksums.java (once per rnn4j backend and precision) and compares every implementation's h0 with NumPy's.

    Returns report lines and whether all agree. rnn4j's implementations are suffixed as in RNN4J_RUNS: rnn4j_vector,
    rnn4j_f32, rnn4j_2threads_f32_vector, ...
    """
    variants = sorted({k.split("/")[0] for k in keys})
    java_out = {key: {} for key in keys}
    try:
        for name, backend, precision, _ in RNN4J_RUNS:
            if backend not in backends or precision not in precisions:
                continue
            suffix = name[len("rnn4j"):]
            for key, impls in run_checksums(java, variants, backend, precision).items():
                if key in java_out:
                    java_out[key].update({(impl + suffix if impl.startswith("rnn4j") else impl): val
                                          for impl, val in impls.items()})
    except RuntimeError as e:
        return [str(e)], False
    lines, ok = [], True
    worst = {}
    for key in keys:
        ref = py_check[key]["numpy_h"][0]
        others = {"torch": py_check[key]["torch_h"][0]}
        for impl, val in java_out[key].items():
            if impl.endswith("_error"):
                lines.append(f"  {key}: {impl}: {val}")
                ok = False
                continue
            others[impl] = val["h0"]
        for impl, h in others.items():
            diff = max(abs(a - b) if a is not None else float("inf") for a, b in zip(h, ref))
            tol = (F32_TOL if impl == "ort" else (RNN4J_F32_TOL if "_f32" in impl else RNN4J_TOL)
                   if impl.startswith("rnn4j") else F64_TOL)
            worst[impl] = max(worst.get(impl, 0.0), diff)
            if not diff <= tol:
                ok = False
                lines.append(f"  MISMATCH {key} {impl}: max |h - h_numpy| = {diff:.3g} > {tol:g}")
    summary = ", ".join(f"{impl} {d:.1e}" for impl, d in sorted(worst.items()))
    lines.insert(0, f"outputs agree with NumPy float64 (max |diff| of h): {summary}" if ok
                 else f"OUTPUTS DISAGREE (max |diff| of h): {summary}")
    return lines, ok


# Quick runs: two 500 ms warm-up iterations (one of 300 ms left char's plain loops still being compiled).
QUICK_JMH = ["-wi", "2", "-w", "500ms", "-i", "3", "-r", "300ms"]


def jmh_regex(classes, methods):
    return rf"io\.github\.rnn4j\.bench\.({'|'.join(classes)})\.({'|'.join(methods)})$"


def run_jmh(java, regex, name, args, backend="plain", precision="float64"):
    """Runs the JMH jar on `regex` with `args`, into results/jmh-{name}.{json,log}.

    Returns the JSON result records, the command as a string, and a problem (a string, or None): JMH failed, or
    the rnn4j benchmarks did not all report `backend` and `precision` (their "rnn4j backend: NAME" and "rnn4j
    precision: NAME" lines; every run here includes an rnn4j benchmark). `precision` may be a list: the run's
    benchmarks must then report exactly those precisions between them.
    """
    expected_precisions = {PRECISIONS[p] for p in ([precision] if isinstance(precision, str) else precision)}
    os.makedirs(RESULTS, exist_ok=True)
    out_json = os.path.join(RESULTS, f"jmh-{name}.json")
    out_log = os.path.join(RESULTS, f"jmh-{name}.log")
    if os.path.isfile(out_json):
        os.remove(out_json)  # never read a previous run's results
    cmd = [java, f"-Drnn4j.bench.models={MODELS}", "-jar", JAR, regex, "-rf", "json", "-rff", out_json] + args
    log("running JMH: " + " ".join(shlex.quote(c) for c in cmd))
    log(f"  (full log: {out_log})")
    seen, seen_precision = set(), set()
    with open(out_log, "w") as logf:
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=HERE)
        for line in p.stdout:
            logf.write(line)
            m = re.search(r"rnn4j backend: (\w+)", line)  # printed by the fork, after "# Warmup Iteration 1: "
            if m:
                seen.add(m.group(1))
            m = re.search(r"rnn4j precision: (\w+)", line)
            if m:
                seen_precision.add(m.group(1))
            if line.startswith("# Benchmark:") or line.startswith("# Parameters:") or "ERROR" in line \
                    or "Exception" in line or line.startswith("# Run complete"):
                log("  " + line.rstrip())
        p.wait()
    problem = None
    if p.returncode != 0:
        problem = f"JMH exited with {p.returncode}; see {out_log}"
    elif seen != {backend}:
        problem = (f"JMH run {name} measured rnn4j's {'/'.join(sorted(seen)) or 'unreported'} backend, "
                   f"expected {backend}")
    elif seen_precision != expected_precisions:
        problem = (f"JMH run {name} measured rnn4j in {'/'.join(sorted(seen_precision)) or 'unreported'} precision, "
                   f"expected {'/'.join(sorted(expected_precisions))}")
    if problem:
        log(problem)
    records = []
    if os.path.isfile(out_json):
        with open(out_json) as f:
            records = json.load(f)
    return records, " ".join(shlex.quote(c) for c in cmd), problem


def jmh_timings(records, suffix=""):
    """{variant/CELL: {impl + suffix: median ns per sequence}} from JMH JSON records of the timing benchmarks."""
    results = {}
    for r in records:
        cls, method = r["benchmark"].split(".")[-2:]
        impl = next(k for k, v in JMH_CLASSES.items() if v == cls)
        variant = next(v for v, m, *_ in benchdata.VARIANTS if m == method)
        key = f"{variant}/{r['params']['cell']}"
        pm = r["primaryMetric"]
        scale = {"ns/op": 1.0, "us/op": 1e3, "ms/op": 1e6, "s/op": 1e9}[pm["scoreUnit"]]
        iterations = [x for fork in pm["rawData"] for x in fork]
        results.setdefault(key, {})[impl + suffix] = statistics.median(iterations) * scale
    return results


def timing_jmh_args(keys, quick, extra_args):
    cells = sorted({k.split("/")[1] for k in keys})
    args = ["-p", "cell=" + ",".join(cells)] if len(cells) < len(benchdata.CELLS) else []
    return args + (QUICK_JMH if quick else []) + extra_args


def fmt_time(ns):
    if ns is None:
        return "—"
    us = ns / 1e3
    if us >= 1000:
        return f"{us:,.0f}"
    if us >= 10:
        return f"{us:.1f}"
    return f"{us:.3f}"


def fmt_ratio(peer, mine):
    if peer is None or mine is None:
        return "—"
    r = peer / mine
    return f"{r:.2f}" if r < 100 else f"{r:.0f}"


def build_tables(keys, timings):
    """Per rnn4j configuration of RNN4J_RUNS, the rows of its table; and the rows of the raw-times table.

    Every table has rnn4j's time and GFLOP/s, then (except plain float64) the time of its baseline over its own
    (BASELINES), then peer time / rnn4j time for each peer.
    """
    tables = {name: [] for name, *_ in RNN4J_RUNS}
    raw = []
    for key in keys:
        variant, cell = key.split("/")
        _, _, workload, _, threads = next(v for v in benchdata.VARIANTS if v[0] == variant)
        w = benchdata.WORKLOADS[workload]
        t = timings.get(key, {})
        label = f"{variant} ({threads}t)" if w.batch > 1 else variant

        def gflops(ns):
            return f"{w.flops_per_sequence(cell) / ns:.2f}" if ns else "—"

        for name, *_ in RNN4J_RUNS:
            mine = t.get(name)
            base = [fmt_ratio(t.get(BASELINES[name][0]), mine)] if name in BASELINES else []
            tables[name].append([label, cell, fmt_time(mine), gflops(mine)] + base
                                + [fmt_ratio(t.get(p), mine) for p, _ in PEERS])
        raw.append([label, cell] + [fmt_time(t.get(p)) for p in RAW_IMPLS])
    return tables, raw


# Each rnn4j configuration but the first is also compared with a baseline: (implementation, column title).
BASELINES = {"rnn4j_vector": ("rnn4j", "×plain"), "rnn4j_f32": ("rnn4j", "×f64"),
             "rnn4j_f32_vector": ("rnn4j_vector", "×f64 vector")}
RAW_IMPLS = [name for name, *_ in RNN4J_RUNS] + ["numpy", "torch", "ort", "naive"]
RAW_HEADER = ["workload", "cell"] + [f"rnn4j {title}" for *_, title in RNN4J_RUNS] \
    + ["NumPy f64", "PyTorch f64", "ORT f32", "naive Java"]


def table_header(name):
    title = next(t for n, *_, t in RNN4J_RUNS if n == name)
    base = [BASELINES[name][1]] if name in BASELINES else []
    return ["workload", "cell", f"rnn4j {title} µs/seq", "GFLOP/s"] + base + [f"×{peer}" for _, peer in PEERS]


# Issue 13's speed targets: (implementation, benchmark key prefix, peer, least peer time / rnn4j time, text).
TARGETS = [("rnn4j_vector", "batch/", "numpy", 1.0, "W3 float64 vector ≥ 1.0× NumPy f64"),
           ("rnn4j_f32_vector", "batch/", "numpy", 1.6, "W3 float32 vector ≥ 1.6× NumPy f64"),
           ("rnn4j_f32", "batch/", "numpy", 0.8, "W3 float32 plain ≥ 0.8× NumPy f64"),
           ("rnn4j_f32_vector", "char/LSTM", "ort", 1 / 1.3, "W2 LSTM float32 vector within 1.3× of ORT f32"),
           ("rnn4j_f32_vector", "char/GRU", "ort", 1 / 1.3, "W2 GRU float32 vector within 1.3× of ORT f32")]


def target_lines(timings):
    """One line per target and benchmark this run measured: the ratio peer time / rnn4j time, met or not."""
    lines = []
    for impl, prefix, peer, least, text in TARGETS:
        for key in sorted(timings):
            t = timings[key]
            if key.startswith(prefix) and t.get(impl) and t.get(peer):
                ratio = t[peer] / t[impl]
                lines.append(f"{text}: {key} {ratio:.2f}× ({'met' if ratio >= least else 'NOT met'})")
    return lines


def text_table(header, rows, left=2):
    """The rows under the header, the first `left` columns aligned left and the others right."""
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]

    def line(r):
        return "  ".join(str(c).rjust(w) if i >= left else str(c).ljust(w) for i, (c, w) in enumerate(zip(r, widths)))

    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in rows])


def md_table(header, rows, left=2):
    out = ["| " + " | ".join(header) + " |",
           "|" + "|".join("---" if i < left else "---:" for i in range(len(header))) + "|"]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def allocation_check(args, cells, backends, precisions):
    """Runs Rnn4jAllocation with -prof gc per backend; prints and writes the bytes per call against T.

    Every path of ALLOC_METHODS runs for each cell, precision and T (one JMH fork each, so each has its own JIT
    decisions). A fork's bytes per call are the lowest of its measurement iterations: a JIT that boxes vectors keeps
    boxing in every iteration, while a fork still warming up (the Vector API's interpreted and C1 code box every
    vector) allocates in its first iterations only; forks whose iterations differ by more than ALLOC_SPREAD_WARN bytes
    are listed. Returns whether the run succeeded and every path's bytes per extra step are what it returns per step
    (0, or one double[units] for Session.step) within ALLOC_SLOPE_LIMIT: any object allocated per step would be at
    least 16 bytes.
    """
    started = time.time()
    date = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    load_start = " ".join(f"{x:.2f}" for x in os.getloadavg())
    methods = [m for m in ALLOC_METHODS if not args.filter or re.search(args.filter, m)]
    if not methods:
        sys.exit(f"--filter {args.filter!r} matches none of the --gc paths {list(ALLOC_METHODS)}")
    jmh_args = ["-prof", "gc", "-p", "cell=" + ",".join(cells), "-p", "T=" + ",".join(map(str, ALLOC_T)),
                "-p", "precision=" + ",".join(PRECISIONS[p] for p in precisions)]
    if args.quick:
        jmh_args += ["-i", "2", "-r", "500ms"]
    regex = jmh_regex(["Rnn4jAllocation"], methods)
    norm, spread, cmds, problems = {}, {}, [], []
    for backend in backends:
        jvm = ["-jvmArgsAppend", " ".join(BACKENDS[backend])] if BACKENDS[backend] else []
        warmup = ["-wi", str(ALLOC_WARMUP[backend][1 if args.quick else 0]), "-w", "1s"]
        records, cmd, problem = run_jmh(args.java, regex, f"allocation-{backend}",
                                        jmh_args + warmup + shlex.split(args.jmh_args) + jvm, backend, precisions)
        cmds.append(cmd)
        if problem:
            problems.append(problem)
        for r in records:
            sm = r.get("secondaryMetrics", {})
            m = sm.get("gc.alloc.rate.norm") or sm.get("\u00b7gc.alloc.rate.norm")  # JMH < 1.36: "·gc..."
            if not m:
                continue
            iterations = [x for fork in m.get("rawData") or [[m["score"]]] for x in fork]
            method = r["benchmark"].rsplit(".", 1)[1]
            key = (backend, r["params"]["precision"], method, r["params"]["cell"])
            t = int(r["params"]["T"])
            norm.setdefault(key, {})[t] = min(iterations)
            spread.setdefault(key, {})[t] = (min(iterations), max(iterations), r["primaryMetric"]["score"])
    header = (["backend", "precision", "path", "cell"] + [f"T={t} B/op" for t in ALLOC_T]
              + ["B per extra step", "returned per step", "verdict"])
    rows, ok = [], not problems
    units = benchdata.WORKLOADS["CHAR"].units
    for backend in backends:
        for precision in precisions:
            for method in methods:
                for cell in cells:
                    key = (backend, PRECISIONS[precision], method, cell)
                    label = [backend, precision, ALLOC_METHODS[method][0], cell]
                    b = norm.get(key, {})
                    if len(b) < len(ALLOC_T):
                        rows.append(label + [f"{b[t]:,.0f}" if t in b else "—" for t in ALLOC_T]
                                    + ["—", "—", "missing"])
                        ok = False
                        continue
                    slope = (b[ALLOC_T[-1]] - b[ALLOC_T[0]]) / (ALLOC_T[-1] - ALLOC_T[0])
                    expected = ALLOC_METHODS[method][1] * (16 + 8 * units)  # double[units]: 16-byte header
                    flat = abs(slope - expected) <= ALLOC_SLOPE_LIMIT
                    ok = ok and flat
                    verdict = ("independent of T" if flat and expected == 0 else "only its returned array" if flat
                               else "GROWS WITH T" if slope > expected else "SHRINKS WITH T (warm-up unfinished?)")
                    rows.append(label + [f"{b[t]:,.0f}" for t in ALLOC_T] + [f"{slope:.2f}", f"{expected:,}", verdict])
    unsteady = [f"{k[0]} {k[1].lower()} {k[2]} {k[3]} T={t}: iterations {lo:,.0f}–{hi:,.0f} B/op"
                for k, by_t in spread.items() for t, (lo, hi, _) in sorted(by_t.items())
                if hi - lo > ALLOC_SPREAD_WARN]
    elapsed = time.time() - started
    load_end = " ".join(f"{x:.2f}" for x in os.getloadavg())
    paths = "; ".join(f"{ALLOC_METHODS[m][0]}: {ALLOC_METHODS[m][2]}" for m in methods)
    intro = (f"Bytes allocated per call (JMH `-prof gc`, `gc.alloc.rate.norm`, the lowest of each fork's "
             f"measurement iterations), `char` sizes (input {benchdata.WORKLOADS['CHAR'].input_size}, {units} units), "
             f"T time steps, a one-layer model returning its last output only, in float64 and in float32 "
             f"(`Model.withPrecision(FLOAT32)`: float32 weights, float32 kernels). Paths: {paths}. "
             f"\"B per extra step\" is (B/op at T={ALLOC_T[-1]} − B/op at T={ALLOC_T[0]}) / "
             f"{ALLOC_T[-1] - ALLOC_T[0]}; it should equal what the path returns per step (\"returned per step\": "
             f"0, or a double[{units}] of {16 + 8 * units:,} bytes), within {ALLOC_SLOPE_LIMIT:g} byte.")
    print()
    print(intro.replace("`", ""))
    print(text_table(header, rows, left=4))
    for line in unsteady:
        print(f"unsteady fork (warm-up still running?): {line}")
    for problem in problems:
        print(f"JMH PROBLEM: {problem}")
    print(f"\nallocation check {'passed' if ok else 'FAILED'}; took {elapsed / 60:.1f} min")
    flags = (" --quick" if args.quick else "") + (f" --filter '{args.filter}'" if args.filter else "")
    md = [f"# rnn4j allocation per call ({'quick' if args.quick else 'full'} run, {date})", "",
          f"Generated by `bench/compare.py --gc{flags}`; see bench/README.md.", "",
          intro, "", md_table(header, rows, left=4), "",
          f"- java: {java_version(args.java)[0]}", f"- load average at start: {load_start}, at end: {load_end}",
          f"- run took {elapsed / 60:.1f} min"]
    md += [f"- JMH command: `{cmd}`" for cmd in cmds]
    md += [f"- unsteady fork (iterations differ by more than {ALLOC_SPREAD_WARN:,} B/op): {line}" for line in unsteady]
    md += [f"- JMH PROBLEM: {problem}" for problem in problems]
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, "allocation.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    with open(os.path.join(RESULTS, "allocation.json"), "w") as f:
        json.dump({"date": date, "load_average": [load_start, load_end],
                   "bytes_per_op": {"/".join(k): v for k, v in norm.items()},
                   "iterations_min_max_and_us_per_op": {"/".join(k): v for k, v in spread.items()},
                   "ok": ok, "jmh_commands": cmds, "jmh_problems": problems}, f, indent=1)
    log(f"wrote {os.path.join(RESULTS, 'allocation.md')}")
    return ok


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="short run: fewer and shorter iterations")
    p.add_argument("--filter", default=None,
                   help="regex on workload variants: " + ", ".join(v[0] for v in benchdata.VARIANTS)
                        + "; with --gc, on the paths: " + ", ".join(ALLOC_METHODS))
    p.add_argument("--cells", default=",".join(benchdata.CELLS), help="comma list of SIMPLE_RNN, LSTM, GRU")
    p.add_argument("--java", default="java", help="java executable (default: java on PATH)")
    p.add_argument("--openblas-coretype", default="auto",
                   help="OPENBLAS_CORETYPE for NumPy/PyTorch: auto (default: override only when OpenBLAS "
                        "falls back to a generic core on an AVX2/AVX-512 CPU), keep, or a core name")
    p.add_argument("--build", action="store_true",
                   help="first install the library (mvn install -DskipTests in the parent folder) and rebuild "
                        "target/benchmarks.jar, so that the current source is measured")
    p.add_argument("--skip-jmh", action="store_true", help="Python peers only (no JMH run)")
    p.add_argument("--no-vector", action="store_true",
                   help="measure and check rnn4j's plain backend only (skip the Vector API backend)")
    p.add_argument("--no-float32", action="store_true",
                   help="measure and check rnn4j in float64 only (skip its float32 mode)")
    p.add_argument("--jmh-args", default="", help="extra JMH arguments for every JMH run, e.g. '-f 2'")
    p.add_argument("--gc", action="store_true",
                   help="instead of the timing comparison: allocation per call against T (Rnn4jAllocation with "
                        "JMH -prof gc), per backend, precision and path; writes results/allocation.md")
    # worker mode (internal)
    p.add_argument("--worker", choices=["peers", "dgemm"], help=argparse.SUPPRESS)
    p.add_argument("--threads", type=int, default=1, help=argparse.SUPPRESS)
    p.add_argument("--keys", default="", help=argparse.SUPPRESS)
    p.add_argument("--check", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--no-timing", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--repeats", type=int, default=3, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker:
        worker(args)
        return

    started = time.time()
    cells = [c.strip().upper() for c in args.cells.split(",") if c.strip()]
    bad = [c for c in cells if c not in benchdata.CELLS]
    if bad:
        p.error(f"unknown cells {bad}; expected {list(benchdata.CELLS)}")
    variants = [v for v in benchdata.VARIANTS if not args.filter or re.search(args.filter, v[0])]
    if not variants and not args.gc:  # with --gc, --filter selects paths (allocation_check)
        p.error(f"--filter {args.filter!r} matches none of {[v[0] for v in benchdata.VARIANTS]}")
    keys = [f"{v[0]}/{c}" for v in variants for c in cells]
    if args.build:
        for folder, goals in ((os.path.dirname(HERE), ["install", "-DskipTests"]), (HERE, ["package"])):
            log(f"building: (cd {folder} && mvn -B -q {' '.join(goals)})")
            subprocess.run(["mvn", "-B", "-q"] + goals, cwd=folder, check=True)
    if (args.gc or not args.skip_jmh) and not os.path.isfile(JAR):
        sys.exit(f"missing {JAR}: build it with (cd {HERE} && mvn -B -q package), after installing the library "
                 f"with (cd {os.path.dirname(HERE)} && mvn -B -q install -DskipTests)")
    backends = ["plain"] + ([] if args.no_vector else ["vector"])
    precisions = ["float64"] + ([] if args.no_float32 else ["float32"])
    if args.gc:
        sys.exit(0 if allocation_check(args, cells, backends, precisions) else 1)

    # 1. machine
    model, flags = cpu_info()
    probe = run_worker("dgemm", 1, None, ["--repeats", "1"])
    coretype = choose_coretype(args.openblas_coretype, flags, probe["openblas"]["core"])
    info = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "cpu": model, "cores": os.cpu_count(),
        "java": java_version(args.java)[0] if not args.skip_jmh else "(skipped)",
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(), "numpy": probe["numpy"],
        "openblas": f"{probe['openblas']['core']} (detected)"
                    + (f", run as OPENBLAS_CORETYPE={coretype}" if coretype else ""),
        "onnxruntime": pom_property("onnxruntime.version") + " (Java, CPU, float32)",
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    log("measuring the dgemm limit (2048^3, NumPy) ...")
    reps = 2 if args.quick else 5
    dgemm = {}
    for threads in (1, 2):
        r = run_worker("dgemm", threads, coretype, ["--repeats", str(reps)])
        dgemm[f"{threads} thread{'s' if threads > 1 else ''}"] = r["gflops"]
        info["openblas core used"] = r["openblas"]["core"]
    if coretype:
        r = run_worker("dgemm", 1, None, ["--repeats", str(reps)])
        dgemm[f"1 thread, OpenBLAS's own core ({r['openblas']['core']})"] = r["gflops"]

    # 2 + 3. Python peers (the 1-thread worker also returns outputs for the check)
    timings, worker_meta = {}, {}
    for threads in (1, 2):
        tkeys = [k for k in keys if next(v for v in variants if v[0] == k.split("/")[0])[4] == threads]
        if not tkeys:
            continue
        log(f"timing NumPy and PyTorch, {threads} thread(s): {len(tkeys)} benchmarks ...")
        extra = ["--keys", ",".join(tkeys)] + (["--quick"] if args.quick else [])
        r = run_worker("peers", threads, coretype, extra)
        worker_meta = r
        for k, e in r["results"].items():
            timings.setdefault(k, {}).update({"numpy": e["numpy_ns"], "torch": e["torch_ns"]})
    info["torch"] = worker_meta.get("torch", "?")

    check_lines, check_ok = ["(skipped with --skip-jmh)"], True
    jmh_cmds, jmh_problems = [], []
    if not args.skip_jmh:
        ensure_models(keys)
        log(f"checking that all implementations compute the same outputs (rnn4j: {', '.join(backends)}; "
            f"{', '.join(precisions)}) ...")
        ckeys = check_keys(keys)
        ck = run_worker("peers", 1, coretype, ["--keys", ",".join(ckeys), "--check", "--no-timing"])
        check_lines, check_ok = check_outputs(args.java, ckeys, ck["results"], backends, precisions)
        for line in check_lines:
            log("  " + line)
        # 4. JMH: everything with rnn4j's plain backend in float64, then rnn4j alone in each other configuration
        methods = [m for v, m, *_ in variants]
        jmh_args = timing_jmh_args(keys, args.quick, shlex.split(args.jmh_args))
        for impl, backend, precision, _ in RNN4J_RUNS:
            if backend not in backends or precision not in precisions:
                continue
            suffix = impl[len("rnn4j"):]
            jvm = BACKENDS[backend] + ([] if precision == "float64"
                                       else [f"-Drnn4j.bench.precision={PRECISIONS[precision]}"])
            classes = list(JMH_CLASSES.values()) if impl == "rnn4j" else [JMH_CLASSES["rnn4j"]]
            name = "latest" if impl == "rnn4j" else suffix[1:]
            records, cmd, problem = run_jmh(args.java, jmh_regex(classes, methods), name,
                                            jmh_args + (["-jvmArgsAppend", " ".join(jvm)] if jvm else []),
                                            backend, precision)
            jmh_cmds.append(cmd)
            if problem:
                jmh_problems.append(problem)
            for k, e in jmh_timings(records, suffix).items():
                timings.setdefault(k, {}).update(e)

    # 5. report
    info["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    elapsed = time.time() - started
    tables, raw_rows = build_tables(keys, timings)
    measured = [name for name, *_ in RNN4J_RUNS if any(name in t for t in timings.values())]
    raw_cols = [i for i, impl in enumerate(RAW_IMPLS)
                if not impl.startswith("rnn4j") or impl in measured]  # drop the columns of unmeasured configurations
    raw_header = RAW_HEADER[:2] + [RAW_HEADER[2 + i] for i in raw_cols]
    raw_rows = [r[:2] + [r[2 + i] for i in raw_cols] for r in raw_rows]
    targets = target_lines(timings)
    mode = "quick" if args.quick else "full"
    print()
    print("Machine")
    for k, v in info.items():
        print(f"  {k}: {v}")
    print("dgemm limit (NumPy 2048^3 matmul, float64): "
          + ", ".join(f"{k}: {v:.1f} GFLOP/s" for k, v in dgemm.items()))
    print("check: " + "\n       ".join(check_lines))
    for name in measured:
        title = next(t for n, *_, t in RNN4J_RUNS if n == name)
        print()
        print(f"rnn4j {title}, median time per sequence ({mode} run); ratios = peer time / rnn4j time, > 1 means "
              f"rnn4j is faster" + (f"; {BASELINES[name][1]} = {BASELINES[name][0]} time / this time"
                                    if name in BASELINES else ""))
        print(text_table(table_header(name), tables[name]))
    print()
    print("All times, µs per sequence")
    print(text_table(raw_header, raw_rows))
    if targets:
        print()
        print("Issue 13 targets (ratio = peer time / rnn4j time)")
        for line in targets:
            print("  " + line)
    for problem in jmh_problems:
        print(f"JMH PROBLEM: {problem}")
    print(f"\ntook {elapsed / 60:.1f} min")

    os.makedirs(RESULTS, exist_ok=True)
    md = [f"# rnn4j benchmark results ({mode} run, {info['date']})", "",
          "Generated by `bench/compare.py" + (" --quick" if args.quick else "")
          + (f" --filter '{args.filter}'" if args.filter else "") + "`; see bench/README.md.", "",
          "Median time per sequence in µs (batch workloads: per sequence of the batch of 64). "
          "Ratios are peer time / rnn4j time: above 1, rnn4j is faster. GFLOP/s counts "
          "2·gates·(inputSize·units + units²) per step. NumPy, PyTorch and naive Java run float64; "
          "ONNX Runtime runs float32 (it has no float64 RNN kernels). One thread unless the workload says 2t. "
          "One table per rnn4j configuration: backend `plain` (plain Java loops, the default) or `vector` (the JVM "
          "runs with `--add-modules jdk.incubator.vector -Drnn4j.backend=vector`: the JDK's incubating Vector API), "
          "precision float64 or float32 (`Model.withPrecision(Precision.FLOAT32)`, benchmark JVM option "
          "`-Drnn4j.bench.precision=FLOAT32`).", ""]
    for name in measured:
        title = next(t for n, *_, t in RNN4J_RUNS if n == name)
        md += [f"## rnn4j {title}", ""]
        if name in BASELINES:
            md += [f"`{BASELINES[name][1]}` is {BASELINES[name][0]} time / this time: above 1, this configuration "
                   "is faster.", ""]
        md += [md_table(table_header(name), tables[name]), ""]
    if targets:
        md += ["## Issue 13 targets", ""] + [f"- {line}" for line in targets] + [""]
    md += ["## All times (µs per sequence)", "",
          md_table(raw_header, raw_rows), "", "## Machine", ""]
    md += [f"- {k}: {v}" for k, v in info.items()]
    md += ["- dgemm limit (NumPy 2048³ float64): " + ", ".join(f"{k}: {v:.1f} GFLOP/s" for k, v in dgemm.items()),
           f"- outputs check: {check_lines[0]}", f"- run took {elapsed / 60:.1f} min"]
    md += [f"- JMH command: `{cmd}`" for cmd in jmh_cmds]
    md += [f"- JMH PROBLEM: {problem}" for problem in jmh_problems]
    md += ["", "## Workloads", "",
           "| workload | input | units | steps | batch |", "|---|---:|---:|---:|---:|"]
    md += [f"| {w.name} | {w.input_size}{' one-hot' if w.one_hot else ''} | {w.units} | {w.time_steps} | {w.batch} |"
           for w in benchdata.WORKLOADS.values()]
    md += ["", "`char_ids` feeds token ids through a 64×64 Embedding instead of one-hot rows; `batch (2t)` "
               "splits the batch over two threads (rnn4j, naive), or gives NumPy/PyTorch/ONNX Runtime two threads.",
           ""]
    with open(os.path.join(RESULTS, "latest.md"), "w") as f:
        f.write("\n".join(md))
    with open(os.path.join(RESULTS, "latest.json"), "w") as f:
        json.dump({"info": info, "dgemm_gflops": dgemm, "timings_ns": timings, "check_ok": check_ok,
                   "check": check_lines, "jmh_commands": jmh_cmds, "jmh_problems": jmh_problems}, f, indent=1)
    log(f"wrote {os.path.join(RESULTS, 'latest.md')}")
    if not check_ok or jmh_problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
