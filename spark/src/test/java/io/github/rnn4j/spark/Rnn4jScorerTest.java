package io.github.rnn4j.spark;

import io.github.rnn4j.model.Model;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Rnn4jScorerTest {
    private static final String GRU = "masking_gru64_k3.keras";

    @Test
    void tenThousandRaggedAndPaddedSequencesEqualModelPredictBitForBit() {
        SparkSession spark = TestSpark.session();
        Model model = TestSpark.load(GRU);
        double[][][] sequences = SyntheticSequences.make(10_000, 20, 11);
        Dataset<Row> table = spark.createDataFrame(SyntheticSequences.rows(sequences), SyntheticSequences.SCHEMA)
                .repartition(8);
        Rnn4jScorer scorer = Rnn4jScorer.fromBytes(spark, TestSpark.bytes(GRU)).input("features").batchSize(100)
                .build();

        List<Row> scored = scorer.transform(table).collectAsList();

        assertThat(scored).hasSize(sequences.length);
        for (Row row : scored) {
            int id = (int) row.getLong(0);
            Bits.assertSame("row " + id, model.predict(sequences[id]), Rows.vector(row, "prediction"));
        }
        assertThat(scorer.badRows()).isZero();
    }

    @Test
    void flatArrayColumnIsReadAsRowMajorSteps() {
        SparkSession spark = TestSpark.session();
        Model model = TestSpark.load(GRU);
        double[][][] sequences = SyntheticSequences.make(300, 7, 12);
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < sequences.length; r++) {
            List<Double> flat = new ArrayList<>();
            for (double[] step : sequences[r]) {
                for (double v : step) {
                    flat.add(v);
                }
            }
            rows.add(RowFactory.create(r, flat));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType)
                .add("flat", DataTypes.createArrayType(DataTypes.DoubleType));
        Rnn4jScorer scorer = Rnn4jScorer.fromBytes(spark, TestSpark.bytes(GRU)).input("flat").output("p")
                .batchSize(32).build();

        for (Row row : scorer.transform(spark.createDataFrame(rows, schema)).collectAsList()) {
            Bits.assertSame("row " + row.getInt(0), model.predict(sequences[row.getInt(0)]), Rows.vector(row, "p"));
        }
    }

    @Test
    void tokenIdsPaddedWithZerosAreMaskedByEmbeddingMaskZero() {
        SparkSession spark = TestSpark.session();
        String file = "embedding_mask_bigru_k3.keras";
        Model model = TestSpark.load(file);
        Random random = new Random(13);
        List<Row> rows = new ArrayList<>();
        int[][] ids = new int[500][6];
        for (int r = 0; r < ids.length; r++) {
            int real = 1 + random.nextInt(6);
            List<Integer> column = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                ids[r][t] = t < real ? 1 + random.nextInt(8) : 0;
                column.add(ids[r][t]);
            }
            rows.add(RowFactory.create(r, column));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType)
                .add("tokens", DataTypes.createArrayType(DataTypes.IntegerType));
        Rnn4jScorer scorer = Rnn4jScorer.fromBytes(spark, TestSpark.bytes(file)).input("tokens").build();

        for (Row row : scorer.transform(spark.createDataFrame(rows, schema).repartition(3)).collectAsList()) {
            Bits.assertSame("row " + row.getInt(0), model.predict(ids[row.getInt(0)]), Rows.vector(row, "prediction"));
        }
    }

    @Test
    void severalInputsAreReadAndSeveralOutputsWrittenByColumnName() {
        SparkSession spark = TestSpark.session();
        Model twoInputs = TestSpark.load("functional_two_input_k3.keras");
        Random random = new Random(14);
        List<Row> rows = new ArrayList<>();
        double[][][] events = new double[200][5][3];
        double[][] profiles = new double[200][4];
        for (int r = 0; r < 200; r++) {
            for (double[] step : events[r]) {
                for (int j = 0; j < 3; j++) {
                    step[j] = random.nextGaussian();
                }
            }
            List<Double> profile = new ArrayList<>();
            for (int j = 0; j < 4; j++) {
                profiles[r][j] = random.nextGaussian();
                profile.add(profiles[r][j]);
            }
            rows.add(RowFactory.create(r, SyntheticSequences.nested(events[r]), profile));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType)
                .add("events", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.DoubleType)))
                .add("profile", DataTypes.createArrayType(DataTypes.DoubleType));
        Dataset<Row> table = spark.createDataFrame(rows, schema);
        Rnn4jScorer scorer = Rnn4jScorer.fromBytes(spark, TestSpark.bytes("functional_two_input_k3.keras"))
                .input("in_seq", "events").input("in_vec", "profile").output("churn").build();
        assertThat(scorer.inputColumns()).containsExactly(
                java.util.Map.entry("in_seq", "events"), java.util.Map.entry("in_vec", "profile"));

        for (Row row : scorer.transform(table).collectAsList()) {
            int r = row.getInt(0);
            var expected = twoInputs.run(java.util.Map.of(
                    "in_seq", io.github.rnn4j.model.Tensor.of(events[r]),
                    "in_vec", io.github.rnn4j.model.Tensor.of(profiles[r])));
            Bits.assertSame("row " + r, expected.get("dense_1").vector(), Rows.vector(row, "churn"));
        }

        Model twoOutputs = TestSpark.load("multi_output_k3.keras");
        Rnn4jScorer both = Rnn4jScorer.fromBytes(spark, TestSpark.bytes("multi_output_k3.keras"))
                .input("in_seq", "steps").output("score", "s").output("per_step", "per_step_scores").build();
        List<Row> seqRows = new ArrayList<>();
        double[][][] steps = new double[50][4][3];
        for (int r = 0; r < 50; r++) {
            for (double[] step : steps[r]) {
                for (int j = 0; j < 3; j++) {
                    step[j] = random.nextGaussian();
                }
            }
            seqRows.add(RowFactory.create(r, SyntheticSequences.nested(steps[r])));
        }
        StructType seqSchema = new StructType().add("id", DataTypes.IntegerType)
                .add("steps", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.DoubleType)));
        Dataset<Row> scored = both.transform(spark.createDataFrame(seqRows, seqSchema));
        assertThat(scored.schema().fieldNames()).containsExactly("id", "steps", "s", "per_step_scores");
        assertThat(scored.schema().apply("per_step_scores").dataType().simpleString())
                .isEqualTo("array<array<double>>");
        for (Row row : scored.collectAsList()) {
            int r = row.getInt(0);
            var expected = twoOutputs.run(java.util.Map.of("in_seq", io.github.rnn4j.model.Tensor.of(steps[r])));
            Bits.assertSame("row " + r + " score", expected.get("score").vector(), Rows.vector(row, "s"));
            Bits.assertSame("row " + r + " per_step", expected.get("per_step").matrix(),
                    Rows.matrix(row, "per_step_scores"));
        }
    }

    @Test
    void columnsThatCannotFitAreRefusedOnTheDriverNamingTheColumn() {
        SparkSession spark = TestSpark.session();
        Rnn4jScorer scorer = Rnn4jScorer.fromBytes(spark, TestSpark.bytes(GRU)).input("features").build();
        StructType missing = new StructType().add("id", DataTypes.LongType);
        StructType wrongType = new StructType().add("features", DataTypes.StringType);
        StructType taken = SyntheticSequences.SCHEMA.add("prediction", DataTypes.DoubleType);

        assertThatThrownBy(() -> scorer.transformSchema(missing)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("column 'features'").hasMessageContaining("[id]");
        assertThatThrownBy(() -> scorer.transformSchema(wrongType)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("column 'features' has type string")
                .hasMessageContaining("array<array<double>> or array<double>");
        assertThatThrownBy(() -> scorer.transformSchema(taken)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("column 'prediction'").hasMessageContaining("already exists");
        assertThatThrownBy(() -> Rnn4jScorer.fromBytes(spark, TestSpark.bytes(GRU)).input("nope", "x").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("input 'nope'");
        assertThatThrownBy(() -> Rnn4jScorer.fromBytes(spark, TestSpark.bytes(GRU)).batchSize(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rows is 0");
        assertThat(Arrays.asList(scorer.transformSchema(SyntheticSequences.SCHEMA).fieldNames()))
                .containsExactly("id", "features", "prediction");
    }
}
