package io.github.rnn4j.spark.cli;

import io.github.rnn4j.spark.Rnn4jScorer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.Arrays;

/**
 * Scores a Parquet table with a model and writes the result as Parquet: the {@code spark-submit} entry point.
 *
 * <pre>
 * spark-submit --class io.github.rnn4j.spark.cli.ScoreParquet --jars rnn4j-0.1.0-SNAPSHOT.jar \
 *     rnn4j-spark-0.1.0-SNAPSHOT.jar MODEL INPUT OUTPUT [INPUT_COLUMN [OUTPUT_COLUMN [BATCH_SIZE]]]
 * </pre>
 *
 * <p>{@code MODEL} is a path every executor can read through Hadoop ({@code hdfs://}, {@code s3a://}, {@code file:/}
 * on a shared disk); {@code INPUT_COLUMN} defaults to {@code features}, {@code OUTPUT_COLUMN} to {@code prediction}.
 * The output is overwritten. Prints the number of rows written and of bad rows (null predictions).
 */
public final class ScoreParquet {
    private ScoreParquet() {
    }

    /**
     * Scores a table in the session {@code spark-submit} provides and prints the summary of {@link #run}; prints the
     * usage and exits with status 2 when given fewer than 3 or more than 6 arguments.
     *
     * @param args {@code MODEL INPUT OUTPUT [INPUT_COLUMN [OUTPUT_COLUMN [BATCH_SIZE]]]}
     */
    public static void main(String[] args) {
        if (args.length < 3 || args.length > 6) {
            System.err.println("usage: ScoreParquet MODEL INPUT OUTPUT [INPUT_COLUMN [OUTPUT_COLUMN [BATCH_SIZE]]]"
                    + ", got " + Arrays.toString(args));
            System.exit(2);
        }
        SparkSession spark = SparkSession.builder().appName("rnn4j ScoreParquet").getOrCreate();
        System.out.println(run(spark, args));
    }

    /**
     * Scores {@code args[1]} into {@code args[2]} and returns a one-line summary.
     *
     * @param spark the session to run in
     * @param args {@code MODEL INPUT OUTPUT [INPUT_COLUMN [OUTPUT_COLUMN [BATCH_SIZE]]]}
     * @return the number of rows written and of bad rows, on one line
     */
    public static String run(SparkSession spark, String... args) {
        String inputColumn = args.length > 3 ? args[3] : "features";
        String outputColumn = args.length > 4 ? args[4] : Rnn4jScorer.DEFAULT_OUTPUT_COLUMN;
        int batchSize = args.length > 5 ? Integer.parseInt(args[5]) : Rnn4jScorer.DEFAULT_BATCH_SIZE;
        Rnn4jScorer scorer = Rnn4jScorer.fromPath(spark, args[0]).input(inputColumn).output(outputColumn)
                .batchSize(batchSize).build();
        Dataset<Row> input = spark.read().parquet(args[1]);
        scorer.transform(input).write().mode("overwrite").parquet(args[2]);
        long rows = spark.read().parquet(args[2]).count();
        return "rnn4j: scored " + rows + " rows of " + args[1] + " into " + args[2] + " (column '" + outputColumn
                + "'), bad rows: " + scorer.badRows() + ", model sha256 " + scorer.modelSha256();
    }
}
