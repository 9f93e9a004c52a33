package io.github.rnn4j.spark;

import io.github.rnn4j.model.Model;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Scores a Spark table with an rnn4j model: a column of sequences in, a column of predictions out.
 *
 * <p>{@link #transform(Dataset)} adds one column per model output and runs {@link Model#runBatch} over chunks of
 * {@link Builder#batchSize} rows inside each partition, so memory stays bounded whatever the partition size.
 * {@link #register(SparkSession)} makes the same scoring a SQL function, {@code SELECT rnn4j_predict(features)}.
 *
 * <p>Columns: a sequence input {@code [timeSteps][features]} reads {@code array<array<double>>}, or
 * {@code array<double>} flat in row-major order ({@code timeSteps * features} values; with one feature, one value per
 * step); a vector input {@code [features]} reads {@code array<double>}; a token-id input (read by an
 * {@code Embedding}) reads {@code array<int>} or {@code array<long>}. Any numeric element type is accepted. Rows may
 * be ragged: each keeps its own number of time steps (when the model's input does not fix it), and padded rows are
 * masked by the model's own {@code Masking} layer or {@code Embedding(mask_zero=True)}, as Keras {@code predict}
 * does. A vector output becomes {@code array<double>}, a sequence output {@code array<array<double>>}. Every
 * prediction is bit-identical to {@link Model#run} (and {@code Model.predict}) on that row alone.
 *
 * <p>The model is loaded at most once per JVM (driver or executor) and shared by all task threads; the cache key is
 * the SHA-256 of the model's bytes, so a scorer built from a new model file loads the new version. The bytes reach
 * executors as a broadcast variable ({@link #fromBytes}), from a path every executor can read ({@link #fromPath}), or
 * as a file shipped with {@code SparkContext.addFile} ({@link #fromSparkFile}).
 *
 * <p>Bad rows: a null or malformed input value, or a value the model refuses (a token id outside the vocabulary),
 * gives null predictions and adds one to {@link #badRowAccumulator()}; with {@link Builder#failFast(boolean)} the task
 * fails instead, naming the row and the problem. Like every Spark accumulator updated in a transformation, the count
 * grows each time the result is computed again (a second action, a retried task): cache the result or read the count
 * after the one action you care about.
 *
 * <p>Serializable (it is shipped to executors) and thread-safe: immutable.
 */
public final class Rnn4jScorer implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The name {@link #register(SparkSession)} gives the SQL function. */
    public static final String SQL_FUNCTION = "rnn4j_predict";
    /** The column of a single-output model's predictions unless {@link Builder#output(String)} names another. */
    public static final String DEFAULT_OUTPUT_COLUMN = "prediction";
    /** Rows per {@link Model#runBatch} call unless {@link Builder#batchSize(int)} says otherwise. */
    public static final int DEFAULT_BATCH_SIZE = 256;

    /** Where the executors get the model's bytes, and their SHA-256. */
    private final ModelSource source;
    /** The input and output column names, checked against the model. */
    private final Columns columns;
    /** The model inputs, in model input order. */
    private final Port[] inputs;
    /** The column each model input is read from, in the order of {@code inputs}. */
    private final String[] inputColumns;
    /** The model outputs that are written. */
    private final Port[] outputs;
    /** The column each written output goes to, in the order of {@code outputs}. */
    private final String[] outputColumns;
    /** Rows per {@link Model#runBatch} call. */
    private final int batchSize;
    /** Whether a bad row fails the task instead of giving null predictions. */
    private final boolean failFast;
    /** Counts the bad rows on the executors. */
    private final LongAccumulator badRows;
    /** This copy's model, once looked up in the per-JVM {@link ModelCache} (each task deserializes its own copy). */
    private transient volatile Model model;

    private Rnn4jScorer(Builder b, Model model) {
        this.source = b.source;
        this.columns = Columns.resolve(model, b.inputColumns, b.outputColumns, DEFAULT_OUTPUT_COLUMN);
        this.inputs = columns.inputs;
        this.inputColumns = columns.inputColumns;
        this.outputs = columns.outputs;
        this.outputColumns = columns.outputColumns;
        this.batchSize = b.batchSize;
        this.failFast = b.failFast;
        this.badRows = b.spark.sparkContext().longAccumulator("rnn4j bad rows (" + source.sha256().substring(0, 12) + ")");
    }

    // ------------------------------------------------------------------------------------------ building

    /**
     * Starts a scorer whose model bytes are broadcast to the executors (each fetches them once): the simplest choice
     * when the driver has the file. The model is loaded on the driver once to read its inputs and outputs.
     *
     * @param model the bytes of a {@code .keras} or {@code .h5} file
     * @param spark the session whose context broadcasts the bytes
     * @return a builder for the scorer
     */
    public static Builder fromBytes(SparkSession spark, byte[] model) {
        notNull("spark", spark);
        notNull("model", model);
        byte[] copy = model.clone();
        String sha256 = ModelSource.sha256(copy);
        var broadcast = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(copy);
        return new Builder(spark, new ModelSource.Broadcasted(broadcast, sha256));
    }

    /**
     * Starts a scorer from a local model file whose bytes are broadcast, as {@link #fromBytes}.
     *
     * @param spark the session whose context broadcasts the bytes
     * @param model a {@code .keras} or {@code .h5} file on the driver
     * @return a builder for the scorer
     */
    public static Builder fromFile(SparkSession spark, Path model) {
        notNull("model", model);
        try {
            return fromBytes(spark, Files.readAllBytes(model));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model " + model + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts a scorer that reads the model from a path every executor can reach through Hadoop's {@code FileSystem}
     * ({@code hdfs://...}, {@code s3a://...}, {@code file:/...} on a shared disk). The driver reads it once to hash it;
     * an executor reads it on its first task and refuses it if it has changed since.
     *
     * @param spark the session, used to read the file once on the driver
     * @param path a Hadoop path to a {@code .keras} or {@code .h5} file
     * @return a builder for the scorer
     */
    public static Builder fromPath(SparkSession spark, String path) {
        notNull("spark", spark);
        notNull("path", path);
        var configuration = spark.sparkContext().hadoopConfiguration();
        try {
            String sha256 = ModelSource.sha256(ModelSource.HadoopPath.read(path, configuration));
            return new Builder(spark, new ModelSource.HadoopPath(path, configuration, sha256));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts a scorer that ships a local model file with {@code SparkContext.addFile}: each executor reads its own
     * copy through {@code SparkFiles}, once.
     *
     * @param spark the session whose context ships the file
     * @param localFile a {@code .keras} or {@code .h5} file on the driver
     * @return a builder for the scorer
     */
    public static Builder fromSparkFile(SparkSession spark, Path localFile) {
        notNull("spark", spark);
        notNull("localFile", localFile);
        try {
            String sha256 = ModelSource.sha256(Files.readAllBytes(localFile));
            spark.sparkContext().addFile(localFile.toAbsolutePath().toString());
            return new Builder(spark, new ModelSource.SparkFile(localFile.getFileName().toString(), sha256));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model " + localFile + ": " + e.getMessage(), e);
        }
    }

    /** Settles the columns and the batching of a {@link Rnn4jScorer}. Not thread-safe; the scorer it builds is. */
    public static final class Builder {
        private final SparkSession spark;
        private final ModelSource source;
        private final Map<String, String> inputColumns = new LinkedHashMap<>();
        private final Map<String, String> outputColumns = new LinkedHashMap<>();
        private String singleInputColumn;
        private String singleOutputColumn;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private boolean failFast;

        private Builder(SparkSession spark, ModelSource source) {
            this.spark = spark;
            this.source = source;
        }

        /**
         * Reads the model's only input from {@code column} (by default, inputs read the column of their own name).
         *
         * @param column a column of the table
         * @return this builder
         */
        public Builder input(String column) {
            this.singleInputColumn = notNull("column", column);
            return this;
        }

        /**
         * Reads the model input {@code inputName} from {@code column}.
         *
         * @param inputName a name from {@link Model#inputNames()}
         * @param column a column of the table
         * @return this builder
         */
        public Builder input(String inputName, String column) {
            inputColumns.put(notNull("inputName", inputName), notNull("column", column));
            return this;
        }

        /**
         * Writes the model's only output to {@code column} (by default {@value #DEFAULT_OUTPUT_COLUMN}; a model
         * with several outputs writes each to a column of its own name).
         *
         * @param column the column to write
         * @return this builder
         */
        public Builder output(String column) {
            this.singleOutputColumn = notNull("column", column);
            return this;
        }

        /**
         * Writes the model output {@code outputName} to {@code column}; once any is named, only named outputs are written.
         *
         * @param outputName a name from {@link Model#outputNames()}
         * @param column the column to write
         * @return this builder
         */
        public Builder output(String outputName, String column) {
            outputColumns.put(notNull("outputName", outputName), notNull("column", column));
            return this;
        }

        /**
         * Rows per {@link Model#runBatch} call: memory per task thread is about this many rows (default 256).
         *
         * @param rows at least 1
         * @return this builder
         */
        public Builder batchSize(int rows) {
            if (rows < 1) {
                throw new IllegalArgumentException("rows is " + rows + ", expected at least 1");
            }
            this.batchSize = rows;
            return this;
        }

        /**
         * Fails the task on the first bad row instead of giving it null predictions (default false).
         *
         * @param on {@code true} to fail on a bad row
         * @return this builder
         */
        public Builder failFast(boolean on) {
            this.failFast = on;
            return this;
        }

        /**
         * Builds the scorer, loading the model on the driver (once per JVM) to read its inputs and outputs.
         *
         * @return the scorer, serializable so that Spark ships it to the executors
         * @throws IllegalArgumentException when a named input or output is not the model's, or {@code input(column)}
         *         or {@code output(column)} was used with a model that has several
         * @throws UncheckedIOException when the model cannot be loaded
         */
        public Rnn4jScorer build() {
            Model model = ModelCache.get(source);
            if (singleInputColumn != null) {
                if (model.inputNames().size() != 1) {
                    throw new IllegalArgumentException("input(column) needs a model with one input, this one has "
                            + model.inputNames() + ": use input(inputName, column)");
                }
                inputColumns.put(model.inputNames().get(0), singleInputColumn);
            }
            if (singleOutputColumn != null) {
                if (model.outputNames().size() != 1) {
                    throw new IllegalArgumentException("output(column) needs a model with one output, this one has "
                            + model.outputNames() + ": use output(outputName, column)");
                }
                outputColumns.put(model.outputNames().get(0), singleOutputColumn);
            }
            return new Rnn4jScorer(this, model);
        }
    }

    // ------------------------------------------------------------------------------------------ description

    /**
     * The SHA-256 of the model's bytes: the key under which executors cache it.
     *
     * @return the hash, 64 lower-case hexadecimal digits
     */
    public String modelSha256() {
        return source.sha256();
    }

    /**
     * The column each model input is read from, by input name, in model input order.
     *
     * @return input name to column name, unmodifiable
     */
    public Map<String, String> inputColumns() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < inputs.length; i++) {
            m.put(inputs[i].name, inputColumns[i]);
        }
        return m;
    }

    /**
     * The column each written model output goes to, by output name.
     *
     * @return output name to column name, unmodifiable
     */
    public Map<String, String> outputColumns() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int o = 0; o < outputs.length; o++) {
            m.put(outputs[o].name, outputColumns[o]);
        }
        return m;
    }

    /**
     * The accumulator that counts bad rows (null predictions) on the executors.
     *
     * @return the accumulator, registered with the session's context
     */
    public LongAccumulator badRowAccumulator() {
        return badRows;
    }

    /**
     * The number of bad rows counted so far, read on the driver.
     *
     * @return the accumulator's value
     */
    public long badRows() {
        return badRows.value();
    }

    // ------------------------------------------------------------------------------------------ Dataset API

    /**
     * The schema of {@link #transform}'s result: {@code schema} plus one nullable column per output.
     *
     * @param schema the schema of the table to score
     * @return the result's schema
     * @throws IllegalArgumentException when an input column is missing or of the wrong type, or an output column
     *         already exists
     */
    public StructType transformSchema(StructType schema) {
        return columns.transformSchema(notNull("schema", schema));
    }

    /**
     * Adds the prediction columns to {@code table}, scoring each partition in chunks of {@code batchSize} rows.
     *
     * @param table the table to score
     * @return a new Dataset with the prediction columns added
     * @throws IllegalArgumentException as {@link #transformSchema}
     */
    public Dataset<Row> transform(Dataset<Row> table) {
        notNull("table", table);
        StructType schema = table.schema();
        StructType out = transformSchema(schema);
        return table.mapPartitions(new PartitionFunction(this, columns.inputIndices(schema), schema.size()),
                Encoders.row(out));
    }

    /** Scores one partition, chunk by chunk. Serializable. */
    private static final class PartitionFunction implements MapPartitionsFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final Rnn4jScorer scorer;
        private final int[] columnIndices;
        private final int width;

        PartitionFunction(Rnn4jScorer scorer, int[] columnIndices, int width) {
            this.scorer = scorer;
            this.columnIndices = columnIndices;
            this.width = width;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            ChunkScorer chunks = new ChunkScorer(scorer.model(), scorer.inputs, scorer.outputs);
            return new ChunkIterator(scorer, chunks, rows, columnIndices, width);
        }
    }

    /** Reads {@code batchSize} rows, scores them, hands them out, then reads the next chunk. */
    private static final class ChunkIterator implements Iterator<Row> {
        private final Rnn4jScorer scorer;
        private final ChunkScorer chunks;
        private final Iterator<Row> rows;
        private final int[] columnIndices;
        private final int width;
        private final Row[] chunk;
        private final Samples.Sample[][] samples;
        private final String[] errors;
        private Object[][] results;
        private int size;
        private int next;
        private long rowsBefore;

        ChunkIterator(Rnn4jScorer scorer, ChunkScorer chunks, Iterator<Row> rows, int[] columnIndices, int width) {
            this.scorer = scorer;
            this.chunks = chunks;
            this.rows = rows;
            this.columnIndices = columnIndices;
            this.width = width;
            this.chunk = new Row[scorer.batchSize];
            this.samples = new Samples.Sample[scorer.batchSize][];
            this.errors = new String[scorer.batchSize];
        }

        @Override
        public boolean hasNext() {
            if (next < size) {
                return true;
            }
            rowsBefore += size;
            fill();
            return size > 0;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Row in = chunk[next];
            Object[] values = new Object[width + scorer.outputs.length];
            for (int c = 0; c < width; c++) {
                values[c] = in.get(c);
            }
            Object[] result = results[next];
            if (result != null) {
                System.arraycopy(result, 0, values, width, result.length);
            }
            chunk[next] = null;
            next++;
            return RowFactory.create(values);
        }

        private void fill() {
            size = 0;
            next = 0;
            Arrays.fill(errors, null);
            while (size < chunk.length && rows.hasNext()) {
                Row row = rows.next();
                chunk[size] = row;
                samples[size] = read(row, size);
                size++;
            }
            if (size == 0) {
                results = null;
                return;
            }
            Samples.Sample[][] batch = size == chunk.length ? samples : Arrays.copyOf(samples, size);
            results = chunks.score(batch, errors);
            for (int r = 0; r < size; r++) {
                if (results[r] == null) {
                    scorer.bad("row " + (rowsBefore + r) + " of the partition: " + errors[r]);
                }
            }
        }

        private Samples.Sample[] read(Row row, int r) {
            Samples.Sample[] sample = new Samples.Sample[scorer.inputs.length];
            for (int i = 0; i < sample.length; i++) {
                try {
                    sample[i] = Samples.read(row.get(columnIndices[i]), scorer.inputs[i], scorer.inputColumns[i]);
                } catch (BadRowException e) {
                    errors[r] = e.getMessage();
                    return null;
                }
            }
            return sample;
        }
    }

    /** The model, from the per-JVM cache (loaded there on first use). */
    private Model model() {
        Model m = model;
        if (m == null) {
            m = ModelCache.get(source);
            model = m;
        }
        return m;
    }

    /** Counts a bad row, or throws when fail-fast is on. */
    private void bad(String reason) {
        if (failFast) {
            throw new IllegalArgumentException(reason + " (fail-fast is on; failFast(false) gives null predictions)");
        }
        badRows.add(1);
    }

    // ------------------------------------------------------------------------------------------ SQL

    /**
     * Registers the SQL function {@value #SQL_FUNCTION}; see {@link #register(SparkSession, String)}.
     *
     * @param spark the session to register the function in
     * @return the registered function
     */
    public UserDefinedFunction register(SparkSession spark) {
        return register(spark, SQL_FUNCTION);
    }

    /**
     * Registers a SQL function that scores one row: {@code name(column1, ...)} takes the model's inputs in model
     * input order and returns the only output (array) or, for several outputs, a struct with one field per output
     * column. Bad rows give null and count as in {@link #transform}.
     *
     * <p>Spark calls a SQL function once per row, so it cannot batch; since {@link Model#runBatch} runs each sample
     * on its own too, the cost per row is the same. The model is loaded once per JVM, as for {@link #transform}.
     *
     * @param spark the session to register the function in
     * @param name the SQL name of the function
     * @return the registered function
     * @throws IllegalArgumentException when the model has more than three inputs (use {@link #transform})
     */
    public UserDefinedFunction register(SparkSession spark, String name) {
        notNull("spark", spark);
        notNull("name", name);
        return spark.udf().register(name, udf());
    }

    /**
     * The function that {@link #register(SparkSession, String)} registers, for the DataFrame API:
     * {@code table.select(scorer.udf().apply(col("features")))}.
     *
     * @return the function, not registered anywhere
     * @throws IllegalArgumentException when the model has more than three inputs (use {@link #transform})
     */
    public UserDefinedFunction udf() {
        DataType type = columns.resultType();
        switch (inputs.length) {
            case 1:
                return functions.udf((UDF1<Object, Object>) a -> scoreOne(a), type);
            case 2:
                return functions.udf((UDF2<Object, Object, Object>) (a, b) -> scoreOne(a, b), type);
            case 3:
                return functions.udf((UDF3<Object, Object, Object, Object>) (a, b, c) -> scoreOne(a, b, c), type);
            default:
                throw new IllegalArgumentException("the model has " + inputs.length
                        + " inputs, expected at most 3 for a SQL function: use transform(table)");
        }
    }

    private Object scoreOne(Object... values) {
        Samples.Sample[] sample = new Samples.Sample[inputs.length];
        try {
            for (int i = 0; i < inputs.length; i++) {
                sample[i] = Samples.read(values[i], inputs[i], "argument " + (i + 1));
            }
        } catch (BadRowException e) {
            bad(SQL_FUNCTION + ": " + e.getMessage());
            return null;
        }
        Object[] result;
        try {
            result = new ChunkScorer(model(), inputs, outputs).runOne(sample);
        } catch (IllegalArgumentException e) {
            bad(SQL_FUNCTION + ": " + e.getMessage());
            return null;
        }
        return outputs.length == 1 ? result[0] : RowFactory.create(result);
    }

    private static <T> T notNull(String name, T value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }
}
