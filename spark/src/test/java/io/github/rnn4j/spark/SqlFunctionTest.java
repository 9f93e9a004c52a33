package io.github.rnn4j.spark;

import io.github.rnn4j.model.Model;
import io.github.rnn4j.model.Tensor;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

class SqlFunctionTest {
    private static final String GRU = "masking_gru64_k3.keras";

    @Test
    void rnn4jPredictScoresEachRowAsModelPredictAndNullRowsGiveNull() {
        SparkSession spark = TestSpark.session();
        Model model = TestSpark.load(GRU);
        double[][][] sequences = SyntheticSequences.make(300, 9, 41);
        List<Row> rows = SyntheticSequences.rows(sequences);
        rows.set(7, RowFactory.create(7L, null));
        spark.createDataFrame(rows, SyntheticSequences.SCHEMA).createOrReplaceTempView("events");
        Rnn4jScorer scorer = Rnn4jScorer.fromBytes(spark, TestSpark.bytes(GRU)).build();
        scorer.register(spark);

        List<Row> scored = spark.sql("SELECT id, rnn4j_predict(features) AS p FROM events").collectAsList();

        assertThat(scored).hasSize(300);
        for (Row row : scored) {
            int id = (int) row.getLong(0);
            if (id == 7) {
                assertThat(row.isNullAt(1)).isTrue();
            } else {
                Bits.assertSame("row " + id, model.predict(sequences[id]), Rows.vector(row, "p"));
            }
        }
        assertThat(scorer.badRows()).isEqualTo(1);
        List<Row> viaColumn = spark.table("events").where("id = 3")
                .select(scorer.udf().apply(col("features")).as("p")).collectAsList();
        Bits.assertSame("row 3 via udf()", model.predict(sequences[3]), Rows.vector(viaColumn.get(0), "p"));
    }

    @Test
    void severalInputsAreArgumentsAndSeveralOutputsAStruct() {
        SparkSession spark = TestSpark.session();
        Random random = new Random(42);
        double[][][] events = new double[20][5][3];
        double[][] profiles = new double[20][4];
        double[][][] steps = new double[20][4][3];
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < 20; r++) {
            for (double[][] seq : new double[][][] {events[r], steps[r]}) {
                for (double[] step : seq) {
                    for (int j = 0; j < step.length; j++) {
                        step[j] = random.nextGaussian();
                    }
                }
            }
            List<Double> profile = new ArrayList<>();
            for (int j = 0; j < 4; j++) {
                profiles[r][j] = random.nextGaussian();
                profile.add(profiles[r][j]);
            }
            rows.add(RowFactory.create(r, SyntheticSequences.nested(events[r]), profile,
                    SyntheticSequences.nested(steps[r])));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType)
                .add("events", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.DoubleType)))
                .add("profile", DataTypes.createArrayType(DataTypes.DoubleType))
                .add("steps", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.DoubleType)));
        spark.createDataFrame(rows, schema).createOrReplaceTempView("customers");
        Rnn4jScorer.fromBytes(spark, TestSpark.bytes("functional_two_input_k3.keras")).build()
                .register(spark, "churn");
        Rnn4jScorer.fromBytes(spark, TestSpark.bytes("multi_output_k3.keras")).build()
                .register(spark, "both");
        Model twoInputs = TestSpark.load("functional_two_input_k3.keras");
        Model twoOutputs = TestSpark.load("multi_output_k3.keras");

        List<Row> scored = spark.sql("SELECT id, churn(events, profile) AS c, both(steps).score AS s, "
                + "both(steps).per_step AS p FROM customers").collectAsList();

        for (Row row : scored) {
            int r = row.getInt(0);
            Map<String, Tensor> c = twoInputs.run(Map.of("in_seq", Tensor.of(events[r]), "in_vec",
                    Tensor.of(profiles[r])));
            Map<String, Tensor> b = twoOutputs.run(Map.of("in_seq", Tensor.of(steps[r])));
            Bits.assertSame("churn " + r, c.get("dense_1").vector(), Rows.vector(row, "c"));
            Bits.assertSame("score " + r, b.get("score").vector(), Rows.vector(row, "s"));
            Bits.assertSame("per_step " + r, b.get("per_step").matrix(), Rows.matrix(row, "p"));
        }
    }
}
