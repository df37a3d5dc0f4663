package io.streamctr.bench;

import io.streamctr.flink.JobOptions;
import io.streamctr.flink.StreamCtrPipeline;
import io.streamctr.flink.enrich.SequenceEnricher;
import io.streamctr.flink.sink.KafkaSinks;
import io.streamctr.flink.source.ClickEventDeserializer;
import io.streamctr.flink.source.DeadLetterSplitter;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.DecodedRecord;
import io.streamctr.schemas.Example;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The two small dataflows the enricher benchmark compares, built from the job's own pieces and its
 * configuration (bounded Kafka source from the earliest offset, read_committed, the job's sinks
 * with the configured delivery guarantee):
 *
 * <ul>
 *   <li>{@link #passthrough}: events topic → decode → the same ClickEvent → output topic;
 *   <li>{@link #enricher}: events topic → decode → keyBy(user) {@link SequenceEnricher} → Example →
 *       output topic.
 * </ul>
 *
 * Neither has a dead-letter sink (the benchmark's input has no bad records).
 */
public final class BenchPipelines {

    private BenchPipelines() {}

    public static void passthrough(
            StreamExecutionEnvironment env, Configuration conf, String outputTopic) {
        decoded(env, conf)
                .sinkTo(
                        KafkaSinks.create(
                                conf,
                                outputTopic,
                                ClickEvent.class,
                                ClickEvent::getUserId,
                                "passthrough"))
                .name("passthrough sink")
                .uid("passthrough-sink");
    }

    public static void enricher(
            StreamExecutionEnvironment env, Configuration conf, String outputTopic) {
        FeatureSpec spec = StreamCtrPipeline.featureSpec(conf);
        decoded(env, conf)
                .keyBy(ClickEvent::getUserId)
                .process(
                        new SequenceEnricher(
                                spec.sideField(),
                                spec.sequenceLength(),
                                conf.get(JobOptions.SEQUENCE_TTL)),
                        new AvroTypeInfo<>(Example.class))
                .name("sequence enricher")
                .uid("sequence-enricher")
                .sinkTo(
                        KafkaSinks.create(
                                conf,
                                outputTopic,
                                Example.class,
                                e -> e.getEvent().getUserId(),
                                "examples"))
                .name("examples sink")
                .uid("examples-sink");
    }

    private static DataStream<ClickEvent> decoded(
            StreamExecutionEnvironment env, Configuration conf) {
        // as the job runs (StreamCtrPipeline.build): chained operators share records, no deep copy
        // of each example on its way from the enricher to the sink
        env.getConfig().enableObjectReuse();
        KafkaSource<DecodedRecord> source =
                KafkaSource.<DecodedRecord>builder()
                        .setBootstrapServers(conf.get(JobOptions.BOOTSTRAP_SERVERS))
                        .setTopics(conf.get(JobOptions.EVENTS_TOPIC))
                        .setGroupId(conf.get(JobOptions.GROUP_ID))
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setBounded(OffsetsInitializer.latest())
                        .setDeserializer(new ClickEventDeserializer())
                        .setProperty("isolation.level", "read_committed")
                        .build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "events source")
                .uid("events-source")
                .process(new DeadLetterSplitter(), new AvroTypeInfo<>(ClickEvent.class))
                .name("decode")
                .uid("decode");
    }
}
