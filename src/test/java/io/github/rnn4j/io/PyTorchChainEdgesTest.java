package io.github.rnn4j.io;

import io.github.rnn4j.layers.Activation;
import io.github.rnn4j.layers.ActivationLayer;
import io.github.rnn4j.layers.Dense;
import io.github.rnn4j.model.Model;
import io.github.rnn4j.model.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which state dict keys belong to a module (PyTorch names a parameter {@code <module path>.<name>}, so the direct
 * parameters of {@code fc} are {@code fc.<name>} without a further dot), what the messages say when one is missing,
 * and which keys {@link PyTorchChain#build()} counts as used or ignored.
 */
class PyTorchChainEdgesTest {
    private static Tensor zeros(int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        return Tensor.of(shape, new double[n]);
    }

    /** {@code nn.Linear(3, 2)} with weight {@code [[1, 2, 3], [4, 5, 6]]}, under {@code prefix}, without bias. */
    private static Map<String, Tensor> linearWeight(String prefix) {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        sd.put(prefix + "weight", Tensor.of(new double[][] {{1, 2, 3}, {4, 5, 6}}));
        return sd;
    }

    // ------------------------------------------------------------------ StateDictScope

    @Test
    void aModuleWithoutBiasParametersHasNone() {
        Dense fc = PyTorch.linear(linearWeight("fc."), "fc", 3, 2);
        // y = x·Wᵀ with no bias: [1, 1, 1] → [1+2+3, 4+5+6]
        assertThat(fc.forward(new double[] {1, 1, 1})).containsExactly(6, 15);
        assertThat(fc.parameterCount()).isEqualTo(6);
        assertThat(PyTorch.layerNorm(new LinkedHashMap<>(), "norm", 4, 1e-5).parameterCount()).isZero();
    }

    @Test
    void aPrefixMayEndWithADot() {
        Dense fc = PyTorch.linear(linearWeight("fc."), "fc.", 3, 2);
        assertThat(fc.forward(new double[] {1, 0, -1})).containsExactly(-2, -2);
    }

    @Test
    void onlyDirectParametersBelongToAModule() {
        Map<String, Tensor> sd = linearWeight("fc.");
        sd.put("fc.sub.weight", zeros(7));   // a submodule's
        sd.put("fcx.weight", zeros(7));      // another module whose name starts alike
        sd.put("weight_ih_l0", zeros(7));    // the bare module's
        assertThat(PyTorch.linear(sd, "fc", 3, 2).forward(new double[] {1, 1, 1})).containsExactly(6, 15);

        Map<String, Tensor> bare = PyTorchEdgesTest.gruLayers(1);
        bare.put("fc.weight", zeros(2, 3));
        bare.put(".x", zeros(1)); // a dot in the name: a submodule's parameter, not the bare module's
        assertThat(PyTorch.gru(2, 3).model(bare, "").outputNames()).containsExactly("output", "h_n");
    }

    @Test
    void aMissingParameterIsNamedWithWhatTheModuleHas() {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        sd.put("fc.bias", zeros(2));
        assertThatThrownBy(() -> PyTorch.linear(sd, "fc", 3, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the state dict has no parameter 'fc.weight': nn.Linear(3, 2) needs weight of shape"
                        + " [2][3]; under 'fc' it has fc.bias");
        Map<String, Tensor> bare = new LinkedHashMap<>();
        bare.put("bias", zeros(2));
        bare.put("other.weight", zeros(2));
        assertThatThrownBy(() -> PyTorch.linear(bare, "", 3, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the state dict has no parameter 'weight': nn.Linear(3, 2) needs weight of shape [2][3];"
                        + " it has bias");
    }

    @Test
    void aWrongPrefixListsTheFirst12Keys() {
        Map<String, Tensor> twelve = new LinkedHashMap<>();
        for (int i = 0; i < 12; i++) {
            twelve.put("m.p" + i, zeros(1));
        }
        String first12 = "m.p0, m.p1, m.p2, m.p3, m.p4, m.p5, m.p6, m.p7, m.p8, m.p9, m.p10, m.p11";
        assertThatThrownBy(() -> PyTorch.linear(twelve, "fc", 3, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the state dict has no parameter 'fc.weight': nn.Linear(3, 2) needs weight of shape"
                        + " [2][3]; nothing in the state dict starts with 'fc.' (check the prefix); it has " + first12);
        Map<String, Tensor> thirteen = new LinkedHashMap<>(twelve);
        thirteen.put("m.p12", zeros(1));
        assertThatThrownBy(() -> PyTorch.linear(thirteen, "", 3, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the state dict has no parameter 'weight': nn.Linear(3, 2) needs weight of shape"
                        + " [2][3]; nothing in the state dict starts with '' (check the prefix); it has " + first12
                        + ", ...");
    }

    // ------------------------------------------------------------------ PyTorchChain

    private static Map<String, Tensor> gruThenLinear() {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        PyTorchEdgesTest.gruLayers(1).forEach((k, v) -> sd.put("rnn." + k, v));
        sd.put("fc.weight", zeros(2, 3));
        sd.put("fc.bias", zeros(2));
        return sd;
    }

    @Test
    void anUnusedParameterIsNamedInTheSingularOrPlural() {
        Map<String, Tensor> sd = gruThenLinear();
        sd.put("aux.w", zeros(1));
        assertThatThrownBy(() -> PyTorch.chain(sd).recurrent("rnn", PyTorch.gru(2, 3),
                PyTorchRecurrent.Output.FINAL_HIDDEN).linear("fc", 3, 2).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("parameter aux.w of the state dict belong to no module of the chain: add their module, or"
                        + " call ignore(prefix) if the computation does not use it");
        sd.put("aux.v", zeros(1));
        assertThatThrownBy(() -> PyTorch.chain(sd).recurrent("rnn", PyTorch.gru(2, 3),
                PyTorchRecurrent.Output.FINAL_HIDDEN).linear("fc", 3, 2).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("parameters aux.w, aux.v of the state dict belong to no module");
    }

    @Test
    void ignoreLeavesOutAModuleOrOneParameterByItsFullName() {
        Map<String, Tensor> sd = gruThenLinear();
        sd.put("aux.w", zeros(1));
        sd.put("aux.sub.b", zeros(1));
        for (String prefix : new String[] {"aux", "aux."}) {
            Model m = PyTorch.chain(sd).recurrent("rnn", PyTorch.gru(2, 3), PyTorchRecurrent.Output.FINAL_HIDDEN)
                    .linear("fc", 3, 2).ignore(prefix).build();
            assertThat(m.outputNames()).as(prefix).hasSize(1);
        }
        assertThatThrownBy(() -> PyTorch.chain(sd).recurrent("rnn", PyTorch.gru(2, 3),
                PyTorchRecurrent.Output.FINAL_HIDDEN).linear("fc", 3, 2).ignore("aux.w").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("parameter aux.sub.b of the state dict");
        assertThatThrownBy(() -> PyTorch.chain(sd).recurrent("rnn", PyTorch.gru(2, 3),
                PyTorchRecurrent.Output.FINAL_HIDDEN).linear("fc", 3, 2).ignore("au").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("parameters aux.w, aux.sub.b of the state dict");
    }

    @Test
    void aChainUsesTheDirectParametersOfEachPrefix() {
        // a prefix with a trailing dot, and the bare module (prefix "")
        Map<String, Tensor> sd = gruThenLinear();
        Model dotted = PyTorch.chain(sd).recurrent("rnn.", PyTorch.gru(2, 3), PyTorchRecurrent.Output.FINAL_HIDDEN)
                .linear("fc.", 3, 2).build();
        assertThat(dotted.layers()).hasSize(2);

        Map<String, Tensor> bare = PyTorchEdgesTest.gruLayers(1);
        bare.put("fc.weight", zeros(2, 3));
        bare.put("fc.bias", zeros(2));
        Model m = PyTorch.chain(bare).recurrent("", PyTorch.gru(2, 3), PyTorchRecurrent.Output.FINAL_HIDDEN)
                .linear("fc", 3, 2).build();
        assertThat(m.layers()).containsKeys("module_l0", "fc");
        bare.put(".x", zeros(1));
        assertThatThrownBy(() -> PyTorch.chain(bare).recurrent("", PyTorch.gru(2, 3),
                PyTorchRecurrent.Output.FINAL_HIDDEN).linear("fc", 3, 2).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("parameter .x of the state dict belong to no module");
    }

    @Test
    void theLastStepOfABidirectionalModuleIsItsOwnNamedLayer() {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        for (String d : new String[] {"", "_reverse"}) {
            sd.put("lstm.weight_ih_l0" + d, zeros(12, 2));
            sd.put("lstm.weight_hh_l0" + d, zeros(12, 3));
            sd.put("lstm.bias_ih_l0" + d, zeros(12));
            sd.put("lstm.bias_hh_l0" + d, zeros(12));
        }
        PyTorchChain chain = PyTorch.chain(sd);
        assertThat(chain.recurrent("lstm", PyTorch.lstm(2, 3).bidirectional(true), PyTorchRecurrent.Output.LAST_STEP))
                .isSameAs(chain);
        assertThat(chain.add(ActivationLayer.of(Activation.TANH))).isSameAs(chain);
        Model m = chain.build();
        assertThat(m.layers()).containsKeys("lstm_l0", "lstm_last_step").doesNotContainKey("lstm_l1");
    }
}
