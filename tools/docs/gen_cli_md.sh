#!/bin/bash
# Writes docs/cli.md: every example below is run with the built jar and its real output pasted in.
# Run from the repository root after `mvn -B -q package -DskipTests`, with ../shared/fixtures/keras present.
set -u
cd "$(dirname "$0")/../.."
mkdir -p docs
JAR=target/rnn4j-cli.jar
[ -f "$JAR" ] || { echo "build $JAR first: mvn -B -q package -DskipTests" >&2; exit 2; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
F=../shared/fixtures/keras
C=src/test/resources/fixtures/cli

# example DESCRIPTION ARGS...: the command line, then its output and exit status.
example() {
  echo '```'
  local shown=""
  for a in "$@"; do
    case "$a" in *[\<\>\ \|\&\;]*) shown="$shown '$a'" ;; *) shown="$shown $a" ;; esac
  done
  echo "$ java -jar target/rnn4j-cli.jar$shown" | sed "s#$TMP#/tmp#g"
  (java -jar "$JAR" "$@" 2>&1; echo "[exit status $?]") | sed "s#$TMP#/tmp#g"
  echo '```'
}

{
cat <<'EOF'
# The rnn4j command line

`target/rnn4j-cli.jar` (built by `mvn -B package`) is one self-contained jar: the library, the command line and
picocli. The library jar users depend on holds neither the command line nor picocli.

```
java -jar target/rnn4j-cli.jar COMMAND [OPTIONS]
```

| command | what it does |
| --- | --- |
| `hello [TEXT]` | the README's 3-unit character RNN, step by step |
| `inspect FILE [--json]` | layers, shapes, parameters, inputs/outputs, Keras version, version rules and format of a `.keras`/`.h5` model; names, shapes and dtypes of the tensors in `.npy`, `.npz`, `.safetensors` and PyTorch `.pt`/`.pth` files |
| `predict MODEL --input X --output Y [--dtype float32] [--threads N] [--backend B] [--precision P]` | runs a batch and writes the outputs |
| `verify MODEL --input X --expected Y [--atol A] [--rtol R] [--threads N] [--backend B] [--precision P]` | compares rnn4j with outputs saved by Keras or PyTorch |
| `generate MODEL --vocab FILE --prompt TEXT [--max N] [--temperature T] [--top-k K] [--top-p P] [--seed S] [--stop TOKEN] [--separator SEP]` | streams generated tokens |
| `bench MODEL [--batch B] [--steps T] [--threads N] [--warmup W] [--calls C] [--seed S] [--backend B] [--precision P]` | latency median/p90/p99, throughput, allocation per call |

`MODEL` is a Keras `.keras` or `.h5` file, or a PyTorch state dict (`.pt`, `.safetensors`, `.npz`) whose modules
`--torch` describes (see [PyTorch state dicts](#pytorch-state-dicts)).

Every command takes `--help`; `--version` prints the version. **Exit status**: 0 on success, 1 when `verify` finds
an element beyond the tolerance, 2 on a usage error (a bad argument, a missing or unreadable file, an input that
does not fit the model). Errors are one line on standard error naming the argument or file and what was expected;
`--debug` adds the stack trace.

**Inputs** (`predict`, `verify`): `.npy` for a model with one input, or `.npz` with one array per input name, batch
axis first: `[batch][timeSteps][features]` floats, `[batch][timeSteps]` integer token ids, or `[batch][features]`
vectors. For a model with one input, CSV (one sample a line, its numbers in row-major order) and JSON lines (one
nested array a line, `.jsonl`) work too. Inputs are checked before the model runs: shape, whole numbers for token
ids, and no NaN or infinity (the message names the sample and the step).

**Outputs** (`predict`): by the extension of `--output`: `.npy` (one output), `.npz` (every output by name), `.csv`
(one output, a sample a line) or `.jsonl` (a sample a line; an object by output name for several outputs). NumPy
files hold float64, or float32 with `--dtype float32`; numpy reads them with `np.load`.

With `--threads N` the samples of the batch run on N threads; the results are identical, bit for bit, to one thread.
A batch that runs longer than a second draws a progress bar on standard error, only when standard error is a
terminal.

**Backend and precision** (`predict`, `verify`, `bench`). rnn4j has two kernel backends, `plain` (Java loops) and
`vector` (the JDK's incubating Vector API, faster on batches: see `docs/performance.md`); a JVM offers the second
only when started with `--add-modules jdk.incubator.vector`. With `--backend auto` (the default) a command started
without that option restarts itself once on the vector backend: the same `java` binary
(`ProcessHandle.current().info().command()`), the same JVM options and class path, plus `--add-modules
jdk.incubator.vector -Drnn4j.backend=vector`, and the same arguments; standard input, output and error and the exit
status pass through. That costs one more JVM start: about 0.6 s of CPU time (user + sys of
`bench hello_k2.h5 --warmup 0 --calls 1`: 1.65-1.78 s restarted, 1.05-1.18 s when started with the module, 0.80-1.10
s with `--backend plain`; three runs each on a 2-core machine shared by several builds, where wall times were 2-7 s and
too noisy to quote). Start the JVM with `--add-modules jdk.incubator.vector` to avoid it. The restarted JVM prints the JDK's own
`WARNING: Using incubator modules: jdk.incubator.vector` on standard error. It never restarts again; if the restart
cannot be made (a runtime without the module, no `java` binary, an empty class path as under `java -m`), the command runs on the plain backend and says why
on standard error. `--backend plain` never restarts; `--backend vector` when the JVM cannot provide it is a usage
error (status 2). `predict` names the backend on its summary line, `verify` and `bench` in their reports
(`ran on the vector backend, float64`). In a program, `Model.backend()` tells the backend of the JVM. A usage error
found before the model is loaded (a bad option, a missing file) comes before any restart; one found in the
restarted JVM (an input that does not fit the model) follows the JDK's warning line.

`--precision float32` runs `Model.withPrecision(Precision.FLOAT32)`: weights stored and matrix products computed in
float32, as Keras computes; within 1e-5 of float64 on the project's real Keras files. The default is `float64`.

## version and help

EOF
example --version
echo
example --help
cat <<'EOF'

## inspect

A Keras model: the layers with their output shapes and parameters, the inputs and outputs, the file's format and
Keras version, and the rules rnn4j applied for that version.

EOF
example inspect $F/gru_func_twoinput_k38.keras
echo
echo 'The same as JSON, on one line:'
echo
example inspect --json $F/simple_rnn_k213.h5
echo
echo 'A PyTorch state dict: each tensor'"'"'s name, shape and dtype as the file stores it (values are read as doubles):'
echo
example inspect src/test/resources/fixtures/pytorch_models/views.pt
echo
echo 'The same for `.npz`, `.npy` and `.safetensors` (for safetensors, the dtypes come from the header alone):'
echo
example inspect src/test/resources/fixtures/safetensors/mixed.safetensors
echo
example inspect --json src/test/resources/fixtures/safetensors/mixed.safetensors
cat <<'EOF'

## predict

EOF
example predict $F/simple_rnn_k213.h5 --input $C/simple_rnn_k213_inputs.npy --output $TMP/predictions.npy --threads 2
echo
example predict $F/simple_rnn_k213.h5 --input $C/simple_rnn_k213_inputs.npy --output $TMP/predictions.csv --dtype float32 --backend plain
echo
echo '```'
echo '$ head -3 /tmp/predictions.csv'
head -3 $TMP/predictions.csv
echo '```'
cat <<'EOF'

## verify

Save the inputs and the framework's own outputs, then let rnn4j compare. From Keras:

```python
x = np.random.default_rng(0).standard_normal((25, 1, 1)).astype("float32")   # [batch][timeSteps][features]
np.save("x.npy", x)
np.save("y.npy", model.predict(x))                  # several outputs: np.savez("y.npz", **dict(zip(model.output_names, model.predict(x))))
```

From PyTorch:

```python
x = torch.randn(25, 1, 1)
np.save("x.npy", x.numpy())
np.save("y.npy", model(x).detach().numpy())
```

Here the inputs and predictions Keras 2.1.3 stored next to `simple_rnn_k213.h5` (converted to `.npy` by
`tools/fixtures/gen_cli.py`) pass at float32 tolerance:

EOF
example verify $F/simple_rnn_k213.h5 --input $C/simple_rnn_k213_inputs.npy --expected $C/simple_rnn_k213_predictions.npy --atol 1e-5
echo
echo 'Keras computed in float32, so a float64-sized tolerance fails, with exit status 1:'
echo
example verify $F/simple_rnn_k213.h5 --input $C/simple_rnn_k213_inputs.npy --expected $C/simple_rnn_k213_predictions.npy --atol 1e-7
echo
echo 'The same in float32, the arithmetic Keras used, on the plain backend:'
echo
example verify $F/simple_rnn_k213.h5 --input $C/simple_rnn_k213_inputs.npy --expected $C/simple_rnn_k213_predictions.npy --precision float32 --backend plain
cat <<'EOF'

An element passes when `|rnn4j - expected| <= atol + rtol * |expected|` (numpy's `allclose`; NaN passes only against
NaN).

## generate

The vocabulary is one token a line (token `i` on line `i + 1`; the prompt is split by greedy longest match), or the
JSON of a fitted Keras `Tokenizer` (`tokenizer.to_json()`; ids from 1 as Keras numbers them). Tokens are printed as
they are produced. `--temperature 0` takes the most likely token; otherwise the scores are divided by the temperature,
cut to `--top-k` and `--top-p`, and drawn from with `--seed` (the same seed gives the same text).

EOF
example generate $C/hello_k2.h5 --vocab $C/hello_vocab.txt --prompt h --temperature 0 --stop '<EOS>'
echo
example generate $C/hello_k2.h5 --vocab $C/hello_vocab.txt --prompt hel --max 20 --seed 42 --top-k 3
echo
example generate $C/hello_ids_k2.h5 --vocab $C/hello_tokenizer.json --prompt H --temperature 0 --stop eos
cat <<'EOF'

## bench

Random inputs of the model's own shape (`--steps` sets the time steps of a model that takes any), timed after a
warm-up. A quick look, not a JMH benchmark; the numbers below are from the machine that ran this script (2 cores, shared: they move with its load).

EOF
example bench $F/lstm_btc_k3141.keras --batch 8 --threads 2
echo
example bench $F/lstm_btc_k3141.keras --batch 8 --threads 2 --backend plain --precision float32
# PyTorch examples: X and Y are the inputs and outputs PyTorch computed (tools/fixtures/gen_pytorch_models.py),
# taken from the fixture's JSON into .npy/.npz as a user would save them from Python.
P=src/test/resources/fixtures/pytorch_models
python3 - "$P" "$TMP" <<'PY'
import json, sys, numpy as np
p, tmp = sys.argv[1], sys.argv[2]
c = json.load(open(p + "/lstm_l2_bi.json"))
np.save(tmp + "/x.npy", np.array(c["inputs"]))
np.savez(tmp + "/y.npz", output=np.array(c["output"]), h_n=np.array(c["h_n"]), c_n=np.array(c["c_n"]))
c = json.load(open(p + "/classifier.json"))
np.save(tmp + "/ids.npy", np.array(c["ids"], dtype=np.int64))
np.save(tmp + "/logits.npy", np.array(c["output"]))
c = json.load(open(p + "/charlm.json"))
open(tmp + "/chars.txt", "w").write("\n".join(c["vocabulary"]) + "\n")
PY
cat <<'EOF'

## PyTorch state dicts

A PyTorch `state_dict` (`.pt` from `torch.save`, `.safetensors`, or `.npz`) holds parameters, not the network, so
`predict`, `verify`, `bench` and `generate` take the modules from `--torch`, written as their Python constructors in
the order `forward` applies them, each `[attribute=]Class[(arguments)]`, separated by `;`:

| option | meaning |
| --- | --- |
| `--torch MODULES` | `Embedding`, `RNN`, `LSTM`, `GRU`, `Linear`, `LayerNorm` (`nn.` may be written). The attribute is the module's prefix in the state dict (`encoder.lstm`); a lone recurrent module saved by itself has none: `--torch 'LSTM(3, 4, num_layers=2, bidirectional=True)'`. Sizes (`num_embeddings, embedding_dim`, `input_size, hidden_size`, `in_features, out_features`, `normalized_shape`) may be left out: they are read from the weights. Every other argument takes PyTorch's constructor default when left out (`num_layers=1`, `bias=True`, `bidirectional=False`, `nonlinearity='tanh'`, `eps=1e-05`, `elementwise_affine=True`) and the state dict is checked against it. `padding_idx` and `dropout` are accepted and change nothing at inference, as in PyTorch. Inputs are batch first; `batch_first=False` is refused. `proj_size` other than 0 is refused. |
| `--torch-output WHICH` | which output of the last recurrent module the next module reads: `sequence` (`out`), `final_hidden` (`h_n[-1]`, or `torch.cat((h_n[-2], h_n[-1]), 1)` when bidirectional), `last_step` (`out[:, -1, :]`). Required when a module follows it; earlier recurrent modules feed `out` on. Without it, a lone recurrent module returns what PyTorch returns: `output`, `h_n` and (LSTM) `c_n`, batch first (`h_n` is `[batch][num_layers·directions][hidden_size]`). |
| `--torch-padding VALUE` | the batch went through `pack_padded_sequence`: after an `Embedding`, id 0 is padding (`VALUE` must be 0); for a lone recurrent module, a step whose features all equal `VALUE`. Default: not packed, as PyTorch without packing. |

The file is recognised by its content, so `.pt`, `.safetensors` and `.npz` take the same description. Saving `X` and
`Y` from PyTorch:

```python
np.save("x.npy", x.numpy())                                   # batch first
out, (h_n, c_n) = lstm(x)
np.savez("y.npz", output=out.numpy(), h_n=h_n.transpose(0, 1).numpy(), c_n=c_n.transpose(0, 1).numpy())
```

A lone bidirectional two-layer LSTM, sizes given, against PyTorch float64 at 1e-12:

EOF
example verify $P/lstm_l2_bi.pt --torch 'LSTM(3, 4, num_layers=2, bidirectional=True)' --input $TMP/x.npy --expected $TMP/y.npz --atol 1e-12
cat <<'EOF'

The same with the sizes read from the weights, writing the outputs:

EOF
example predict $P/lstm_l2_bi.pt --torch 'LSTM(num_layers=2, bidirectional=True)' --input $TMP/x.npy --output $TMP/out.npz
cat <<'EOF'

The packed classifier of `docs/pytorch.md` (embedding with `padding_idx=0`, two-layer bidirectional GRU, linear layer
on `cat(h_n[-2], h_n[-1])`, run with `pack_padded_sequence`), then the same without `--torch-padding`, which is a
different computation and fails:

EOF
example verify $P/classifier.pt --torch 'embedding=Embedding(15, 6, padding_idx=0); gru=GRU(6, 5, num_layers=2, bidirectional=True); fc=Linear(10, 4)' --torch-output final_hidden --torch-padding 0 --input $TMP/ids.npy --expected $TMP/logits.npy --atol 1e-12
echo
example verify $P/classifier.pt --torch 'embedding=Embedding(15, 6, padding_idx=0); gru=GRU(6, 5, num_layers=2, bidirectional=True); fc=Linear(10, 4)' --torch-output final_hidden --input $TMP/ids.npy --expected $TMP/logits.npy --atol 1e-12
cat <<'EOF'

The character language model of `docs/pytorch.md`, greedy (PyTorch's own greedy decode is thirty `d`), and timed:

EOF
example generate $P/charlm.safetensors --torch 'embedding=Embedding; lstm=LSTM(8, 16, num_layers=2); fc=Linear' --torch-output sequence --vocab $TMP/chars.txt --prompt abc --max 30 --temperature 0
echo
example bench $P/charlm.pt --torch 'embedding=Embedding; lstm=LSTM(8, 16, num_layers=2); fc=Linear' --torch-output sequence --batch 8 --steps 20
cat <<'EOF'

A description the state dict does not fit is a usage error naming the module, the parameter and both shapes:

EOF
example verify $P/lstm_l2_bi.pt --torch 'LSTM(3, 5, num_layers=2, bidirectional=True)' --input $TMP/x.npy --expected $TMP/y.npz
echo
example verify $P/lstm_l2_bi.pt --torch 'LSTM(3, 4, num_layers=2)' --input $TMP/x.npy --expected $TMP/y.npz
echo
example predict $P/lstm_l2_bi.pt --input $TMP/x.npy --output $TMP/y.npy
cat <<'EOF'

## Errors

EOF
example predict $F/simple_rnn_k213.h5 --input $C/lstm_functional_missing.npy --output $TMP/y.npy
echo
printf '0.5\nNaN\n' > $TMP/x.csv
example predict $F/simple_rnn_k213.h5 --input $TMP/x.csv --output $TMP/y.npy
echo
example predict $F/lstm_btc_k3141.keras --input $C/simple_rnn_k213_inputs.npy --output $TMP/y.npy
echo
example generate $C/hello_k2.h5 --vocab $C/hello_vocab.txt --prompt hex
echo
example predict $F/simple_rnn_k213.h5 --input $C/simple_rnn_k213_inputs.npy --output $TMP/y.npy --threads -1
echo
example hello he ll
} > docs/cli.md
