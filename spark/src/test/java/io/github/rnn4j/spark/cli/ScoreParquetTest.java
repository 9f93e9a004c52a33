package io.github.rnn4j.spark.cli;

import io.github.rnn4j.io.KerasModels;
import io.github.rnn4j.model.Model;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The spark-submit entry point on a Parquet file, in the tests' local[2] session. */
class ScoreParquetTest {
    @Test
    void scoresAParquetFileIntoAnother(@TempDir Path dir) throws Exception {
        SparkSession spark = SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
        Path model = Paths.get(ScoreParquetTest.class.getResource("/keras/masking_gru64_k3.keras").toURI());
        Model reference = KerasModels.load(model);
        Random random = new Random(61);
        List<Row> rows = new ArrayList<>();
        double[][][] sequences = new double[100][][];
        for (int r = 0; r < sequences.length; r++) {
            sequences[r] = new double[1 + random.nextInt(10)][8];
            List<List<Double>> column = new ArrayList<>();
            for (double[] step : sequences[r]) {
                List<Double> values = new ArrayList<>();
                for (int j = 0; j < 8; j++) {
                    step[j] = random.nextGaussian();
                    values.add(step[j]);
                }
                column.add(values);
            }
            rows.add(RowFactory.create((long) r, column));
        }
        StructType schema = new StructType().add("id", DataTypes.LongType)
                .add("events", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.DoubleType)));
        String in = dir.resolve("in.parquet").toString();
        String out = dir.resolve("out.parquet").toString();
        spark.createDataFrame(rows, schema).write().parquet(in);

        String summary = ScoreParquet.run(spark, model.toUri().toString(), in, out, "events", "score");

        assertThat(summary).startsWith("rnn4j: scored 100 rows").contains("bad rows: 0");
        for (Row row : spark.read().parquet(out).collectAsList()) {
            int id = (int) row.getLong(0);
            List<Double> score = row.getList(row.fieldIndex("score"));
            assertThat(score).containsExactly(reference.predict(sequences[id])[0]);
        }
    }
}
