"""Writes the Keras 3 models of rnn4j-spark's tests and benchmark, without TensorFlow or Keras.

How to run (from the repository root; needs h5py and numpy, e.g. Debian's `apt-get install python3-h5py`):

    /usr/bin/python3 spark/tools/gen_models.py

It writes spark/src/test/resources/keras/masking_gru64_k3.keras: a Keras 3 `.keras` zip (config.json,
metadata.json, model.weights.h5) laid out exactly as Keras 3.8 saves

    Sequential: InputLayer(batch_shape [None, None, 8]) -> Masking(0.0) -> GRU(64, reset_after=True) -> Dense(1, sigmoid)

with seeded random float32 weights (uniform in [-0.25, 0.25], a sensible scale for a trained GRU). Time steps are
not fixed, so ragged rows and padded rows both work. The tests compare Spark's scores with rnn4j's own
`Model.predict`, so no outside reference is needed; the file only has to be a model Keras could have written.
"""
import io
import json
import os
import zipfile

import h5py
import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "keras", "masking_gru64_k3.keras")
FEATURES, UNITS = 8, 64

DTYPE = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}


def init(name, **config):
    return {"module": "keras.initializers", "class_name": name, "config": config, "registered_name": None}


def layer(class_name, config, input_shape=None):
    out = {"module": "keras.layers", "class_name": class_name, "config": config, "registered_name": None}
    if input_shape is not None:
        out["build_config"] = {"input_shape": input_shape}
    return out


config = {
    "module": "keras", "class_name": "Sequential",
    "config": {
        "name": "sequential", "trainable": True, "dtype": DTYPE,
        "layers": [
            layer("InputLayer", {"batch_shape": [None, None, FEATURES], "dtype": "float32", "sparse": False,
                                 "name": "input_layer"}),
            layer("Masking", {"name": "masking", "trainable": True, "dtype": DTYPE, "mask_value": 0.0}),
            layer("GRU", {
                "name": "gru", "trainable": True, "dtype": DTYPE, "return_sequences": False, "return_state": False,
                "go_backwards": False, "stateful": False, "unroll": False, "zero_output_for_mask": False,
                "units": UNITS, "activation": "tanh", "recurrent_activation": "sigmoid", "use_bias": True,
                "kernel_initializer": init("GlorotUniform", seed=None),
                "recurrent_initializer": init("Orthogonal", seed=None, gain=1.0),
                "bias_initializer": init("Zeros"),
                "kernel_regularizer": None, "recurrent_regularizer": None, "bias_regularizer": None,
                "activity_regularizer": None, "kernel_constraint": None, "recurrent_constraint": None,
                "bias_constraint": None, "dropout": 0.0, "recurrent_dropout": 0.0, "reset_after": True, "seed": None,
            }, [None, None, FEATURES]),
            layer("Dense", {
                "name": "dense", "trainable": True, "dtype": DTYPE, "units": 1, "activation": "sigmoid",
                "use_bias": True, "kernel_initializer": init("GlorotUniform", seed=None),
                "bias_initializer": init("Zeros"), "kernel_regularizer": None, "bias_regularizer": None,
                "kernel_constraint": None, "bias_constraint": None,
            }, [None, UNITS]),
        ],
        "build_input_shape": [None, None, FEATURES],
    },
    "registered_name": None,
    "build_config": {"input_shape": [None, None, FEATURES]},
}

rng = np.random.default_rng(20261130)


def weights(*shape):
    return rng.uniform(-0.25, 0.25, size=shape).astype(np.float32)


buf = io.BytesIO()
with h5py.File(buf, "w") as f:
    f.create_group("layers")
    f.create_group("vars").attrs["name"] = "sequential"
    f.create_group("layers/masking/vars").attrs["name"] = "masking"
    f.create_group("layers/gru/vars").attrs["name"] = "gru"
    cell = f.create_group("layers/gru/cell/vars")
    cell.attrs["name"] = "gru_cell"
    cell.create_dataset("0", data=weights(FEATURES, 3 * UNITS))
    cell.create_dataset("1", data=weights(UNITS, 3 * UNITS))
    cell.create_dataset("2", data=weights(2, 3 * UNITS))
    dense = f.create_group("layers/dense/vars")
    dense.attrs["name"] = "dense"
    dense.create_dataset("0", data=weights(UNITS, 1))
    dense.create_dataset("1", data=weights(1))

with zipfile.ZipFile(OUT, "w", zipfile.ZIP_STORED) as z:
    def put(name, data):
        info = zipfile.ZipInfo(name, date_time=(2026, 11, 30, 0, 0, 0))
        z.writestr(info, data)
    put("metadata.json", json.dumps({"keras_version": "3.8.0", "date_saved": "2026-11-30@00:00:00"}))
    put("config.json", json.dumps(config))
    put("model.weights.h5", buf.getvalue())
print("wrote", os.path.normpath(OUT), os.path.getsize(OUT), "bytes")
