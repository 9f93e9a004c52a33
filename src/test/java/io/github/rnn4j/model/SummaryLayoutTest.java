package io.github.rnn4j.model;

import io.github.rnn4j.layers.Concatenate;
import io.github.rnn4j.layers.Shape;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The table of {@link Model#summary()}: rules as wide as the widest row, columns padded to a common width. */
class SummaryLayoutTest {
    @Test
    void theRulesSpanTheWidestRowAndEveryColumnLinesUp() {
        String connected = "first_input_vector, second_input_vector";
        Model m = Model.builder().input("first_input_vector", Shape.vector(3))
                .input("second_input_vector", Shape.vector(3))
                .add("cat", new Concatenate(-1), "first_input_vector", "second_input_vector").outputs("cat").build();
        List<String> lines = m.summary().lines().toList();
        assertThat(lines.get(0)).isEqualTo("Model: [first_input_vector, second_input_vector] -> [cat]");
        List<Integer> rules = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("-")) {
                rules.add(i);
            }
        }
        assertThat(rules).containsExactly(1, 3, 7);
        int width = lines.get(1).length();
        for (int r : rules) {
            assertThat(lines.get(r)).isEqualTo("-".repeat(width));
        }
        List<String> rows = List.of(lines.get(2), lines.get(4), lines.get(5), lines.get(6));
        String[] lastColumn = {"Connected to", "-", "-", connected};
        String[] firstColumn = {"Layer (type)", "first_input_vector (Input)", "second_input_vector (Input)",
            "cat (Concatenate)"};
        int prefix = width - connected.length();
        int nameWidth = "second_input_vector (Input)".length();
        for (int k = 0; k < rows.size(); k++) {
            String row = rows.get(k);
            assertThat(row).as("row %d", k).startsWith(firstColumn[k]);
            assertThat(row.substring(firstColumn[k].length(), nameWidth + 2)).as("row %d pads its name", k).isBlank();
            assertThat(row.charAt(nameWidth + 2)).as("row %d starts its shape after the widest name", k)
                    .isEqualTo(k == 0 ? 'O' : '(');
            assertThat(row.substring(prefix)).as("row %d, last column", k).isEqualTo(lastColumn[k]);
            assertThat(row.substring(prefix - 2, prefix)).isEqualTo("  ");
            assertThat(row.charAt(prefix - 3)).as("row %d right-aligns its parameter count", k)
                    .isEqualTo(k == 0 ? '#' : '0');
        }
        assertThat(rows.get(3)).as("the widest row is exactly as wide as the rules").hasSize(width);
        assertThat(lines.get(8)).isEqualTo("Total params: 0");
    }
}
