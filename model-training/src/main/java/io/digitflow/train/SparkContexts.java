package io.digitflow.train;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** The training job's Spark context: the master from spark-submit if it set one, else from --master. */
final class SparkContexts {
    private SparkContexts() {
    }

    /** @param extra settings to add unless given (the connector's, when the job reads from Cassandra) */
    static JavaSparkContext open(String appName, String defaultMaster, java.util.Map<String, String> extra) {
        SparkConf conf = new SparkConf().setAppName(appName);
        extra.forEach(conf::setIfMissing);
        if (!conf.contains("spark.master")) {
            conf.setMaster(defaultMaster);
        }
        // No web UI for a batch job on a shared 2-core box: it costs threads, memory and a port.
        conf.setIfMissing("spark.ui.enabled", "false");
        conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        conf.setIfMissing("spark.driver.host", "127.0.0.1");
        JavaSparkContext sc = new JavaSparkContext(conf);
        sc.setLogLevel("WARN");
        return sc;
    }
}
