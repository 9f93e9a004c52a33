package io.github.rnn4j.spark;

import io.github.rnn4j.model.Model;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Rnn4jScorer} as a Spark ML {@link Transformer}, so that an rnn4j model is one stage of a {@code Pipeline}
 * and is saved and loaded with it: the model's bytes are written into the stage's folder
 * ({@code data/model.bin}, with {@code data/model.sha256}), next to Spark's usual parameter metadata.
 *
 * <p>Parameters: {@code inputCols}, the column of each model input in model input order (default: each input's own
 * name); {@code outputCols}, the column of each model output in model output order (default: {@code prediction} for
 * one output, else each output's own name); {@code batchSize}; {@code failFast}. Bad rows count in the accumulator of
 * the scorer of each {@link #transform} call, {@link #lastBadRowAccumulator()}.
 *
 * <p>{@code PipelineModel.load} finds this class through its static {@link #read()}. Thread-safe as Spark ML stages
 * are: parameters are set on the driver before use.
 */
public final class Rnn4jTransformer extends Transformer implements MLWritable {
    private static final long serialVersionUID = 1L;

    /** The stage's unique id. */
    private final String uid;
    /** The bytes of the {@code .keras} or {@code .h5} file, saved with the stage. */
    private final byte[] model;
    /** The column of each model input, in model input order. */
    private final StringArrayParam inputCols;
    /** The column of each model output, in model output order. */
    private final StringArrayParam outputCols;
    /** Rows per {@code Model.runBatch} call. */
    private final IntParam batchSize;
    /** Whether a bad row fails the task instead of giving null predictions. */
    private final BooleanParam failFast;
    private transient volatile Rnn4jScorer lastScorer;

    /**
     * A stage for the model in {@code model}, the bytes of a {@code .keras} or {@code .h5} file.
     *
     * @param model the bytes of a {@code .keras} or {@code .h5} file, copied
     */
    public Rnn4jTransformer(byte[] model) {
        this(Identifiable.randomUID("rnn4j"), model);
    }

    /**
     * A stage with a given uid (as Spark ML's readers create stages).
     *
     * @param uid the stage's unique id
     * @param model the bytes of a {@code .keras} or {@code .h5} file, copied
     */
    public Rnn4jTransformer(String uid, byte[] model) {
        if (uid == null || model == null) {
            throw new IllegalArgumentException((uid == null ? "uid" : "model") + " must not be null");
        }
        this.uid = uid;
        this.model = model.clone();
        this.inputCols = new StringArrayParam(this, "inputCols",
                "the column of each model input, in model input order");
        this.outputCols = new StringArrayParam(this, "outputCols",
                "the column of each model output, in model output order");
        this.batchSize = new IntParam(this, "batchSize", "rows per Model.runBatch call",
                ParamValidators.gtEq(1));
        this.failFast = new BooleanParam(this, "failFast",
                "fail the task on the first bad row instead of writing null predictions");
        setDefault(batchSize, Rnn4jScorer.DEFAULT_BATCH_SIZE);
        setDefault(failFast, false);
    }

    /**
     * A stage for the model file at {@code file}.
     *
     * @param file a {@code .keras} or {@code .h5} file
     * @return a new stage holding the file's bytes
     */
    public static Rnn4jTransformer fromFile(java.nio.file.Path file) {
        try {
            return new Rnn4jTransformer(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String uid() {
        return uid;
    }

    /**
     * The parameter {@code inputCols}.
     *
     * @return the {@code inputCols} parameter
     */
    public StringArrayParam inputCols() {
        return inputCols;
    }

    /**
     * The parameter {@code outputCols}.
     *
     * @return the {@code outputCols} parameter
     */
    public StringArrayParam outputCols() {
        return outputCols;
    }

    /**
     * The parameter {@code batchSize}.
     *
     * @return the {@code batchSize} parameter
     */
    public IntParam batchSize() {
        return batchSize;
    }

    /**
     * The parameter {@code failFast}.
     *
     * @return the {@code failFast} parameter
     */
    public BooleanParam failFast() {
        return failFast;
    }

    /**
     * Sets {@code inputCols}: one column per model input, in model input order.
     *
     * @param columns the columns, one per model input
     * @return this stage
     */
    public Rnn4jTransformer setInputCols(String... columns) {
        set(inputCols, columns);
        return this;
    }

    /**
     * Sets {@code outputCols}: one column per model output, in model output order.
     *
     * @param columns the columns, one per model output
     * @return this stage
     */
    public Rnn4jTransformer setOutputCols(String... columns) {
        set(outputCols, columns);
        return this;
    }

    /**
     * Sets {@code batchSize}.
     *
     * @param rows rows per {@code Model.runBatch} call, at least 1
     * @return this stage
     */
    public Rnn4jTransformer setBatchSize(int rows) {
        set(batchSize, rows);
        return this;
    }

    /**
     * Sets {@code failFast}.
     *
     * @param on {@code true} to fail the task on the first bad row
     * @return this stage
     */
    public Rnn4jTransformer setFailFast(boolean on) {
        set(failFast, on);
        return this;
    }

    /**
     * The SHA-256 of the model's bytes.
     *
     * @return the hash, 64 lower-case hexadecimal digits
     */
    public String modelSha256() {
        return ModelSource.sha256(model);
    }

    /**
     * The bad-row accumulator of the latest {@link #transform} call on this instance, or null before the first.
     *
     * @return the accumulator, or {@code null}
     */
    public org.apache.spark.util.LongAccumulator lastBadRowAccumulator() {
        Rnn4jScorer s = lastScorer;
        return s == null ? null : s.badRowAccumulator();
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        Rnn4jScorer scorer = scorer(dataset.sparkSession());
        lastScorer = scorer;
        return scorer.transform(dataset.toDF());
    }

    @Override
    public StructType transformSchema(StructType schema) {
        Model m = ModelCache.get(new ModelSource.InMemory(model));
        return Columns.resolve(m, inputColumns(m), outputColumns(m), Rnn4jScorer.DEFAULT_OUTPUT_COLUMN)
                .transformSchema(schema);
    }

    private Rnn4jScorer scorer(SparkSession spark) {
        Model m = ModelCache.get(new ModelSource.InMemory(model));
        Rnn4jScorer.Builder b = Rnn4jScorer.fromBytes(spark, model)
                .batchSize((Integer) getOrDefault(batchSize))
                .failFast((Boolean) getOrDefault(failFast));
        inputColumns(m).forEach(b::input);
        outputColumns(m).forEach(b::output);
        return b.build();
    }

    private Map<String, String> inputColumns(Model m) {
        return byName("inputCols", m.inputNames(), isDefined(inputCols) ? $(inputCols) : null);
    }

    private Map<String, String> outputColumns(Model m) {
        return byName("outputCols", m.outputNames(), isDefined(outputCols) ? $(outputCols) : null);
    }

    private static Map<String, String> byName(String param, List<String> names, String[] columns) {
        Map<String, String> m = new LinkedHashMap<>();
        if (columns == null) {
            return m;
        }
        if (columns.length != names.size()) {
            throw new IllegalArgumentException(param + " has " + columns.length + " columns, expected "
                    + names.size() + " (one per model " + param.substring(0, param.length() - 4) + "ut " + names
                    + ")");
        }
        for (int i = 0; i < columns.length; i++) {
            m.put(names.get(i), columns[i]);
        }
        return m;
    }

    @Override
    public Rnn4jTransformer copy(ParamMap extra) {
        return copyValues(new Rnn4jTransformer(uid, model), extra);
    }

    // ------------------------------------------------------------------------------------------ saving

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    @Override
    public void save(String path) throws IOException {
        write().save(path);
    }

    /**
     * The reader that {@code PipelineModel.load} and {@link #load(String)} use.
     *
     * @return the reader
     */
    public static MLReader<Rnn4jTransformer> read() {
        return new Reader();
    }

    /**
     * Loads a stage saved with {@link #save(String)}.
     *
     * @param path the folder written by {@link #save(String)}
     * @return the stage, with its parameters and model bytes
     */
    public static Rnn4jTransformer load(String path) {
        return read().load(path);
    }

    private static final String MODEL_FILE = "data/model.bin";
    private static final String HASH_FILE = "data/model.sha256";

    private static final class Writer extends MLWriter {
        private final Rnn4jTransformer stage;

        Writer(Rnn4jTransformer stage) {
            this.stage = stage;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter.saveMetadata(stage, path, sparkSession());
            try {
                FileSystem fs = new Path(path).getFileSystem(sc().hadoopConfiguration());
                try (FSDataOutputStream out = fs.create(new Path(path, MODEL_FILE), true)) {
                    out.write(stage.model);
                }
                try (FSDataOutputStream out = fs.create(new Path(path, HASH_FILE), true)) {
                    out.write(stage.modelSha256().getBytes(StandardCharsets.US_ASCII));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot save the model of stage " + stage.uid + " to " + path, e);
            }
        }
    }

    private static final class Reader extends MLReader<Rnn4jTransformer> {
        @Override
        public Rnn4jTransformer load(String path) {
            DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, sparkSession(),
                    Rnn4jTransformer.class.getName());
            byte[] bytes;
            String expected;
            try {
                FileSystem fs = new Path(path).getFileSystem(sc().hadoopConfiguration());
                try (InputStream in = fs.open(new Path(path, MODEL_FILE))) {
                    bytes = in.readAllBytes();
                }
                try (InputStream in = fs.open(new Path(path, HASH_FILE))) {
                    expected = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the model of the stage saved at " + path, e);
            }
            String actual = ModelSource.sha256(bytes);
            if (!actual.equals(expected)) {
                throw new IllegalStateException(path + "/" + MODEL_FILE + " has SHA-256 " + actual + ", expected "
                        + expected + " (" + HASH_FILE + "): the saved model is damaged");
            }
            Rnn4jTransformer stage = new Rnn4jTransformer(metadata.uid(), bytes);
            metadata.getAndSetParams(stage, scala.Option.empty());
            return stage;
        }
    }
}
