package io.github.rnn4j.spark;

import io.github.rnn4j.model.Model;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Which column feeds each model input and which column receives each model output, with the schema rules that
 * follow: settled on the driver from the model, before any executor runs. Serializable; immutable.
 */
final class Columns implements Serializable {
    private static final long serialVersionUID = 1L;

    final Port[] inputs;
    final String[] inputColumns;
    final Port[] outputs;
    final String[] outputColumns;

    private Columns(Port[] inputs, String[] inputColumns, Port[] outputs, String[] outputColumns) {
        this.inputs = inputs;
        this.inputColumns = inputColumns;
        this.outputs = outputs;
        this.outputColumns = outputColumns;
    }

    /**
     * Maps the model's inputs and outputs to columns.
     *
     * @param inputColumns column by input name; an input not named reads the column of its own name
     * @param outputColumns column by output name; when empty, every output is written, a single one to
     *        {@code defaultOutput} and several each to the column of its own name
     * @throws IllegalArgumentException when a name is not the model's, or an input or output has a shape that no
     *         column type can carry
     */
    static Columns resolve(Model model, Map<String, String> inputColumns, Map<String, String> outputColumns,
                           String defaultOutput) {
        List<String> inputNames = model.inputNames();
        for (String name : inputColumns.keySet()) {
            if (!inputNames.contains(name)) {
                throw new IllegalArgumentException("input '" + name + "' is not an input of the model, expected one of "
                        + inputNames);
            }
        }
        Port[] inputs = new Port[inputNames.size()];
        String[] inColumns = new String[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = Port.input(model, inputNames.get(i));
            inColumns[i] = inputColumns.getOrDefault(inputNames.get(i), inputNames.get(i));
        }
        List<String> outputNames = model.outputNames();
        for (String name : outputColumns.keySet()) {
            if (!outputNames.contains(name)) {
                throw new IllegalArgumentException("output '" + name + "' is not an output of the model, expected one of "
                        + outputNames);
            }
        }
        List<String> chosen = outputColumns.isEmpty() ? outputNames : new ArrayList<>(outputColumns.keySet());
        Port[] outputs = new Port[chosen.size()];
        String[] outColumns = new String[outputs.length];
        for (int o = 0; o < outputs.length; o++) {
            outputs[o] = Port.output(model, chosen.get(o));
            String column = outputColumns.get(chosen.get(o));
            outColumns[o] = column != null ? column : outputNames.size() == 1 ? defaultOutput : chosen.get(o);
        }
        return new Columns(inputs, inColumns, outputs, outColumns);
    }

    /**
     * {@code schema} plus one nullable column per output.
     *
     * @throws IllegalArgumentException when an input column is missing or of the wrong type, or an output column
     *         already exists
     */
    StructType transformSchema(StructType schema) {
        List<String> names = Arrays.asList(schema.fieldNames());
        for (int i = 0; i < inputs.length; i++) {
            int index = names.indexOf(inputColumns[i]);
            if (index < 0) {
                throw new IllegalArgumentException("column '" + inputColumns[i] + "' (input '" + inputs[i].name
                        + "') is not in the table, whose columns are " + names);
            }
            checkType(inputs[i], inputColumns[i], schema.fields()[index].dataType());
        }
        StructType out = schema;
        for (int o = 0; o < outputs.length; o++) {
            if (names.contains(outputColumns[o])) {
                throw new IllegalArgumentException("column '" + outputColumns[o] + "' (output '" + outputs[o].name
                        + "') already exists: name another output column");
            }
            out = out.add(new StructField(outputColumns[o], outputType(outputs[o]), true, Metadata.empty()));
        }
        return out;
    }

    /** The index of each input's column in {@code schema}, in model input order. */
    int[] inputIndices(StructType schema) {
        List<String> names = Arrays.asList(schema.fieldNames());
        int[] indices = new int[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            indices[i] = names.indexOf(inputColumns[i]);
        }
        return indices;
    }

    /** The SQL type of the function's result: the only output's array type, or a struct of all outputs. */
    DataType resultType() {
        if (outputs.length == 1) {
            return outputType(outputs[0]);
        }
        StructType struct = new StructType();
        for (int o = 0; o < outputs.length; o++) {
            struct = struct.add(outputColumns[o], outputType(outputs[o]), false);
        }
        return struct;
    }

    private static DataType outputType(Port port) {
        ArrayType vector = DataTypes.createArrayType(DataTypes.DoubleType, false);
        return port.kind == Port.Kind.SEQUENCE ? DataTypes.createArrayType(vector, false) : vector;
    }

    private static void checkType(Port port, String column, DataType type) {
        boolean flat = type instanceof ArrayType && ((ArrayType) type).elementType() instanceof NumericType;
        boolean nested = type instanceof ArrayType && ((ArrayType) type).elementType() instanceof ArrayType
                && ((ArrayType) ((ArrayType) type).elementType()).elementType() instanceof NumericType;
        boolean ok = port.kind == Port.Kind.SEQUENCE ? flat || nested : flat;
        if (!ok) {
            String expected = port.kind == Port.Kind.SEQUENCE ? "array<array<double>> or array<double>"
                    : port.kind == Port.Kind.TOKEN_IDS ? "array<int> or array<long>" : "array<double>";
            throw new IllegalArgumentException("column '" + column + "' has type " + type.simpleString()
                    + ", expected " + expected + " for input '" + port.name + "' " + port.shape);
        }
    }
}
