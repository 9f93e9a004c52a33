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
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Null and malformed rows: null predictions and a count by default, a failed task when asked. */
class BadRowsTest {
    private static final String GRU = "masking_gru64_k3.keras";

    /** Rows 1-6 are bad, each in its own way; the rest are good sequences of 1 to 4 steps. */
    private static List<Row> rows(double[][][] good) {
        List<Row> rows = SyntheticSequences.rows(good);
        List<List<Double>> sevenValues = SyntheticSequences.nested(good[2]);
        sevenValues.set(0, sevenValues.get(0).subList(0, 7));
        List<List<Double>> nullStep = new ArrayList<>(SyntheticSequences.nested(good[4]));
        nullStep.add(null);
        List<List<Double>> nullValue = SyntheticSequences.nested(good[5]);
        nullValue.set(0, new ArrayList<>(nullValue.get(0)));
        nullValue.get(0).set(3, null);
        rows.set(1, RowFactory.create(1L, null));
        rows.set(2, RowFactory.create(2L, sevenValues));
        rows.set(3, RowFactory.create(3L, List.of()));
        rows.set(4, RowFactory.create(4L, nullStep));
        rows.set(5, RowFactory.create(5L, nullValue));
        rows.set(6, RowFactory.create(6L, List.of(List.of())));
        return rows;
    }

    private static final Set<Long> BAD = Set.of(1L, 2L, 3L, 4L, 5L, 6L);

    @Test
    void badRowsGetNullPredictionsAndAreCountedWhileGoodRowsAreScored() {
        SparkSession spark = TestSpark.session();
        Model model = TestSpark.load(GRU);
        double[][][] good = SyntheticSequences.make(60, 4, 31);
        Dataset<Row> table = spark.createDataFrame(rows(good), SyntheticSequences.SCHEMA).repartition(2);
        Rnn4jScorer scorer = Rnn4jScorer.fromBytes(spark, TestSpark.bytes(GRU)).input("features").batchSize(8)
                .build();

        List<Row> scored = scorer.transform(table).collectAsList();

        assertThat(scored).hasSize(60);
        for (Row row : scored) {
            long id = row.getLong(0);
            if (BAD.contains(id)) {
                assertThat(row.isNullAt(row.fieldIndex("prediction"))).as("row " + id).isTrue();
            } else {
                Bits.assertSame("row " + id, model.predict(good[(int) id]), Rows.vector(row, "prediction"));
            }
        }
        assertThat(scorer.badRows()).isEqualTo(BAD.size());
    }

    @Test
    void failFastFailsTheJobNamingTheRowAndTheProblem() {
        SparkSession spark = TestSpark.session();
        double[][][] good = SyntheticSequences.make(10, 4, 32);
        List<Row> rows = rows(good).subList(0, 3);
        Dataset<Row> table = spark.createDataFrame(rows, SyntheticSequences.SCHEMA).coalesce(1);
        Rnn4jScorer scorer = Rnn4jScorer.fromBytes(spark, TestSpark.bytes(GRU)).input("features").failFast(true)
                .build();

        assertThatThrownBy(() -> scorer.transform(table).collectAsList())
                .hasMessageContaining("row 1 of the partition: column 'features' is null")
                .hasMessageContaining("fail-fast is on");
        Dataset<Row> malformed = spark.createDataFrame(rows.subList(2, 3), SyntheticSequences.SCHEMA);
        assertThatThrownBy(() -> scorer.transform(malformed).collectAsList())
                .hasMessageContaining("column 'features' step 0 has 7 values, expected 8 for input 'input_layer'");
    }

    @Test
    void rowsTheModelRefusesAreBadWithoutSpoilingTheirBatch() {
        SparkSession spark = TestSpark.session();
        String file = "embedding_mask_bigru_k3.keras";
        Model model = TestSpark.load(file);
        int[][] ids = {{1, 2, 3, 0, 0, 0}, {4, 5, 6, 7, 8, 1}, {1, 2, 99, 0, 0, 0}, {2, 2, 2, 2, 0, 0},
            {1, 2, 3}, {-1, 1, 1, 1, 1, 1}};
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < ids.length; r++) {
            List<Long> column = new ArrayList<>();
            Arrays.stream(ids[r]).forEach(id -> column.add((long) id));
            rows.add(RowFactory.create(r, column));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType)
                .add("tokens", DataTypes.createArrayType(DataTypes.LongType));
        Rnn4jScorer scorer = Rnn4jScorer.fromBytes(spark, TestSpark.bytes(file)).input("tokens").build();

        List<Row> scored = scorer.transform(spark.createDataFrame(rows, schema).coalesce(1)).collectAsList();

        for (Row row : scored) {
            int r = row.getInt(0);
            if (r == 2 || r == 4 || r == 5) {
                assertThat(row.isNullAt(2)).as("row " + r + " (id out of range, or 3 steps of 6)").isTrue();
            } else {
                Bits.assertSame("row " + r, model.predict(ids[r]), Rows.vector(row, "prediction"));
            }
        }
        assertThat(scorer.badRows()).isEqualTo(3);
    }
}
