package io.github.rnn4j.spark;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The model is loaded once per JVM (here local[2]: the driver is the executor), not once per task. */
class ModelCacheTest {
    private static final String GRU = "masking_gru64_k3.keras";

    @Test
    void modelIsLoadedOncePerJvmAndSharedByAllTasks() throws Exception {
        SparkSession spark = TestSpark.session();
        Dataset<Row> table = spark.createDataFrame(
                SyntheticSequences.rows(SyntheticSequences.make(800, 5, 21)), SyntheticSequences.SCHEMA)
                .repartition(8);
        table.cache().count();
        ModelCache.clear();
        long before = ModelCache.loads();
        AtomicInteger tasks = new AtomicInteger();
        SparkListener listener = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
                tasks.incrementAndGet();
            }
        };
        spark.sparkContext().addSparkListener(listener);
        try {
            Rnn4jScorer scorer = Rnn4jScorer.fromBytes(spark, TestSpark.bytes(GRU)).input("features").batchSize(16)
                    .build();
            assertThat(scorer.transform(table).collectAsList()).hasSize(800);
            Rnn4jScorer again = Rnn4jScorer.fromBytes(spark, TestSpark.bytes(GRU)).input("features").build();
            assertThat(again.transform(table).collectAsList()).hasSize(800);
            spark.sparkContext().listenerBus().waitUntilEmpty();
        } finally {
            spark.sparkContext().removeSparkListener(listener);
        }

        assertThat(tasks.get()).as("tasks run").isGreaterThanOrEqualTo(16);
        assertThat(ModelCache.loads() - before).as("models loaded").isEqualTo(1);
    }

    @Test
    void aNewModelVersionIsLoadedOnceAndAChangedFileIsRefused(@TempDir Path dir) throws Exception {
        SparkSession spark = TestSpark.session();
        Dataset<Row> table = spark.createDataFrame(
                SyntheticSequences.rows(SyntheticSequences.make(40, 6, 22)), SyntheticSequences.SCHEMA)
                .repartition(4);
        Path file = dir.resolve("model.keras");
        Files.write(file, TestSpark.bytes(GRU));
        ModelCache.clear();
        long before = ModelCache.loads();

        Rnn4jScorer byPath = Rnn4jScorer.fromPath(spark, file.toUri().toString()).input("features").build();
        Rnn4jScorer shipped = Rnn4jScorer.fromSparkFile(spark, file).input("features").build();
        assertThat(byPath.transform(table).collectAsList()).hasSize(40);
        assertThat(shipped.transform(table).collectAsList()).hasSize(40);
        assertThat(byPath.modelSha256()).isEqualTo(shipped.modelSha256());
        assertThat(ModelCache.loads() - before).as("same bytes, one load").isEqualTo(1);

        // A new model version under the same path: a new scorer hashes it anew and loads it once.
        Path other = dir.resolve("other.keras");
        Files.write(other, TestSpark.bytes("masking_lstm_k3.keras"));
        Files.copy(other, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Rnn4jScorer newVersion = Rnn4jScorer.fromPath(spark, file.toUri().toString()).build();
        assertThat(newVersion.modelSha256()).isNotEqualTo(byPath.modelSha256());
        assertThat(ModelCache.loads() - before).isEqualTo(2);

        // The old scorer must not silently score with the new file: an executor that has not cached the old
        // model reads the path, sees another hash, and refuses.
        ModelCache.clear();
        assertThatThrownBy(() -> byPath.transform(table).collectAsList())
                .hasMessageContaining("the file changed after the scorer was built");
    }

    @Test
    void concurrentFirstUsesWaitForOneLoad() throws Exception {
        ModelSource source = new ModelSource.InMemory(TestSpark.bytes(GRU));
        ModelCache.clear();
        long before = ModelCache.loads();
        int threads = 8;
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            java.util.List<java.util.concurrent.Future<io.github.rnn4j.model.Model>> models = new java.util.ArrayList<>();
            for (int i = 0; i < threads; i++) {
                models.add(pool.submit(() -> {
                    start.await();
                    return ModelCache.get(source);
                }));
            }
            io.github.rnn4j.model.Model first = models.get(0).get();
            for (java.util.concurrent.Future<io.github.rnn4j.model.Model> m : models) {
                assertThat(m.get()).isSameAs(first);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(ModelCache.loads() - before).isEqualTo(1);
    }
}
