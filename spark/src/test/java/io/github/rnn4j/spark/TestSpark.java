package io.github.rnn4j.spark;

import io.github.rnn4j.io.KerasModels;
import io.github.rnn4j.model.Model;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.net.URISyntaxException;

/** One local[2] Spark session for every test class of this JVM, and the test models. */
final class TestSpark {
    private static SparkSession session;

    private TestSpark() {
    }

    /** The shared session: local[2], no UI, small shuffles. Stopped when the JVM exits. */
    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder()
                    .master("local[2]")
                    .appName("rnn4j-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .getOrCreate();
            session.sparkContext().setLogLevel("WARN");
            Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
        }
        return session;
    }

    /** A test model file under {@code src/test/resources/keras}. */
    static Path model(String name) {
        try {
            return Paths.get(TestSpark.class.getResource("/keras/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(model(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The reference: the model loaded directly, outside Spark. */
    static Model load(String name) {
        try {
            return KerasModels.load(model(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
