package io.github.rnn4j.spark;

import io.github.rnn4j.model.Model;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Rnn4jTransformerTest {
    private static final String GRU = "masking_gru64_k3.keras";

    @Test
    void pipelineWithTheStageIsSavedLoadedAndScoresTheSame(@TempDir Path dir) throws Exception {
        SparkSession spark = TestSpark.session();
        Model model = TestSpark.load(GRU);
        double[][][] sequences = SyntheticSequences.make(200, 6, 51);
        Dataset<Row> table = spark.createDataFrame(SyntheticSequences.rows(sequences), SyntheticSequences.SCHEMA);
        Rnn4jTransformer stage = Rnn4jTransformer.fromFile(TestSpark.model(GRU))
                .setInputCols("features").setOutputCols("churn").setBatchSize(50);
        SQLTransformer before = new SQLTransformer().setStatement("SELECT id, features, id % 2 AS half FROM __THIS__");
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {before, stage});

        PipelineModel fitted = pipeline.fit(table);
        String modelDir = dir.resolve("pipeline-model").toString();
        fitted.write().overwrite().save(modelDir);
        PipelineModel loaded = PipelineModel.load(modelDir);
        pipeline.write().save(dir.resolve("pipeline").toString());
        Pipeline loadedPipeline = Pipeline.load(dir.resolve("pipeline").toString());

        Rnn4jTransformer loadedStage = (Rnn4jTransformer) loaded.stages()[1];
        assertThat(loadedStage.uid()).isEqualTo(stage.uid());
        assertThat(loadedStage.modelSha256()).isEqualTo(stage.modelSha256());
        assertThat(loadedStage.getOrDefault(loadedStage.batchSize())).isEqualTo(50);
        assertThat(loadedStage.getOrDefault(loadedStage.outputCols())).containsExactly("churn");
        assertThat(Files.exists(dir.resolve("pipeline-model/stages/1_" + stage.uid() + "/data/model.bin"))).isTrue();
        assertThat(((Rnn4jTransformer) loadedPipeline.getStages()[1]).modelSha256()).isEqualTo(stage.modelSha256());

        List<Row> scored = loaded.transform(table).collectAsList();
        assertThat(scored).hasSize(200);
        assertThat(loaded.transform(table).schema().fieldNames()).containsExactly("id", "features", "half", "churn");
        for (Row row : scored) {
            int id = (int) row.getLong(0);
            Bits.assertSame("row " + id, model.predict(sequences[id]), Rows.vector(row, "churn"));
        }
        assertThat(loadedStage.lastBadRowAccumulator().value()).isZero();
    }

    @Test
    void aDamagedSavedModelIsRefusedAndWrongColumnCountsAreNamed(@TempDir Path dir) throws Exception {
        SparkSession spark = TestSpark.session();
        Rnn4jTransformer stage = Rnn4jTransformer.fromFile(TestSpark.model(GRU));
        String saved = dir.resolve("stage").toString();
        stage.save(saved);
        Path bin = dir.resolve("stage/data/model.bin");
        byte[] bytes = Files.readAllBytes(bin);
        bytes[bytes.length / 2] ^= 1;
        Files.write(bin, bytes);
        Files.deleteIfExists(dir.resolve("stage/data/.model.bin.crc"));

        assertThatThrownBy(() -> Rnn4jTransformer.load(saved)).hasMessageContaining("the saved model is damaged");
        Rnn4jTransformer twoColumns = Rnn4jTransformer.fromFile(TestSpark.model(GRU)).setInputCols("a", "b");
        assertThatThrownBy(() -> twoColumns.transformSchema(SyntheticSequences.SCHEMA))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inputCols has 2 columns, expected 1");
        assertThat(spark).isNotNull();
    }
}
