package io.streamctr.flink;

import io.streamctr.flink.enrich.SequenceEnricher;
import io.streamctr.flink.enrich.TrainOn;
import io.streamctr.flink.export.ExportConfig;
import io.streamctr.flink.learn.LearnerConfig;
import io.streamctr.flink.learn.LearnerEntry;
import io.streamctr.flink.learn.LearnerOperator;
import io.streamctr.flink.learn.ModelOverrides;
import io.streamctr.flink.learn.WarmStart;
import io.streamctr.flink.metrics.MetricsOperator;
import io.streamctr.flink.sink.KafkaSinks;
import io.streamctr.flink.source.ClickEventDeserializer;
import io.streamctr.flink.source.DeadLetterSplitter;
import io.streamctr.flink.source.EventTimeWatermarks;
import io.streamctr.flink.source.FailFastKafkaSource;
import io.streamctr.flink.sync.ReplicatedLearner;
import io.streamctr.flink.sync.RestoredLearnerCheck;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.learn.FreshnessConfig;
import io.streamctr.model.learn.Learners;
import io.streamctr.model.train.TrainerConfig;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.DeadLetter;
import io.streamctr.schemas.DecodedRecord;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.MetricsReport;
import io.streamctr.schemas.Prediction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The streamctr job's dataflow, built on a given environment so that the job's main, the embedded
 * demo and the tests run the same code:
 *
 * <pre>
 * KafkaSource(events) -> DeadLetterSplitter -> keyBy(user) SequenceEnricher -> LearnerOperator (one per learner)
 *     -> predictions sink; -> MetricsOperator (one per model; 2nd input: the learner's joined labels)
 *     -> metrics sink; dead letters -> dead-letter sink
 * </pre>
 *
 * <p>Delayed labels (issue 16, docs/delayed-labels.md): the source's watermarks follow the events'
 * time ({@link EventTimeWatermarks}); the enricher joins impressions and clicks in its keyed state
 * and emits each joined example again, labelled, for the learners to train on without a second
 * prediction; the metrics see the impression's score against the joined label.
 *
 * <p>Every operator has a stable uid so savepoints map onto new builds. Learners and their metrics
 * chain to the enricher (Flink's default chaining), so examples are not serialized between them;
 * with {@link JobOptions#LEARNER_OWN_TASK} a single learner runs in a task of its own, a thread
 * beside the enricher's.
 */
public final class StreamCtrPipeline {

    private StreamCtrPipeline() {}

    /**
     * The streams the pipeline made, for tests and for callers that add their own sinks; {@code
     * metrics} is null when {@link JobOptions#METRICS_ENABLED} is false.
     */
    public record Streams(
            DataStream<Example> examples,
            DataStream<Prediction> predictions,
            DataStream<MetricsReport> metrics,
            DataStream<DeadLetter> deadLetters) {}

    /**
     * Builds the dataflow with its Kafka source and sinks from the configuration, after {@link
     * JobOptionsValidator#validate} (a bad option fails here, before any operator exists).
     */
    public static Streams build(StreamExecutionEnvironment env, Configuration conf) {
        JobOptionsValidator.validate(conf);
        // every operator emits new records and none changes its input, so chained operators may
        // share objects: no deep copy of each example between the enricher and the learners
        env.getConfig().enableObjectReuse();
        Streams streams = buildFrom(source(env, conf), conf, models(conf));
        addSinks(streams, conf);
        return streams;
    }

    /** The events source: every Kafka record decoded into an event or a dead letter. */
    public static DataStream<DecodedRecord> source(
            StreamExecutionEnvironment env, Configuration conf) {
        return env.fromSource(kafkaSource(conf), watermarks(conf), "events source")
                .uid("events-source");
    }

    /** Event-time watermarks of the events (issue 16: attribution windows close on them). */
    public static WatermarkStrategy<DecodedRecord> watermarks(Configuration conf) {
        return EventTimeWatermarks.strategy(
                conf.get(JobOptions.EVENTS_MAX_OUT_OF_ORDERNESS),
                conf.get(JobOptions.EVENTS_IDLE_TIMEOUT));
    }

    /** The Kafka sinks of predictions, metrics and dead letters. */
    public static void addSinks(Streams streams, Configuration conf) {
        streams.predictions()
                .sinkTo(
                        KafkaSinks.create(
                                conf,
                                conf.get(JobOptions.PREDICTIONS_TOPIC),
                                Prediction.class,
                                p -> p.getUserId(),
                                "predictions"))
                .name("predictions sink")
                .uid("predictions-sink");
        if (streams.metrics() != null) {
            streams.metrics()
                    .sinkTo(
                            KafkaSinks.create(
                                    conf,
                                    conf.get(JobOptions.METRICS_TOPIC),
                                    MetricsReport.class,
                                    m -> m.getModelName(),
                                    "metrics"))
                    .name("metrics sink")
                    .uid("metrics-sink")
                    .setParallelism(1);
        }
        streams.deadLetters()
                .sinkTo(
                        KafkaSinks.create(
                                conf,
                                conf.get(JobOptions.DEAD_LETTER_TOPIC),
                                DeadLetter.class,
                                d -> d.getTopic() + "-" + d.getPartition() + "-" + d.getOffset(),
                                "deadletter"))
                .name("dead-letter sink")
                .uid("dead-letter-sink");
    }

    /** The dataflow from decoded records on, without sinks. */
    public static Streams buildFrom(
            DataStream<DecodedRecord> decoded, Configuration conf, List<String> models) {
        SingleOutputStreamOperator<ClickEvent> events =
                decoded.process(new DeadLetterSplitter(), new AvroTypeInfo<>(ClickEvent.class))
                        .name("decode")
                        .uid("decode");
        DataStream<DeadLetter> deadLetters = events.getSideOutput(DeadLetterSplitter.DEAD_LETTERS);

        FeatureSpec spec = featureSpec(conf);
        SingleOutputStreamOperator<Example> examples =
                events.keyBy(ClickEvent::getUserId)
                        .process(
                                new SequenceEnricher(
                                        spec.sideField(),
                                        spec.sequenceLength(),
                                        conf.get(JobOptions.SEQUENCE_TTL),
                                        conf.get(JobOptions.EVENTS_TOPIC),
                                        conf.get(JobOptions.CONTEXT_ONLY_ACTIONS),
                                        JobOptions.format(conf),
                                        JobOptions.delayedLabelConfig(conf),
                                        conf.get(JobOptions.SEQUENCE_EXPIRY)),
                                new AvroTypeInfo<>(Example.class))
                        .name("sequence enricher")
                        .uid("sequence-enricher");
        deadLetters =
                deadLetters.union(
                        examples.getSideOutput(SequenceEnricher.OUT_OF_ORDER),
                        examples.getSideOutput(SequenceEnricher.LABEL_JOIN));

        TrainerConfig trainer = JobOptions.trainerConfig(conf);
        FreshnessConfig freshness = JobOptions.freshnessConfig(conf);
        DataStream<Prediction> allPredictions = null;
        DataStream<MetricsReport> allMetrics = null;
        ExportConfig export = JobOptions.exportConfig(conf);
        if (export != null
                && !decoded.getExecutionEnvironment()
                        .getCheckpointConfig()
                        .isCheckpointingEnabled()) {
            throw new IllegalArgumentException(
                    JobOptions.EXPORT_PATH.key()
                            + " needs checkpointing (execution.checkpointing.interval): a package"
                            + " is exported when a checkpoint completes");
        }
        for (String entry : models) {
            LearnerConfig config =
                    learnerConfig(conf, LearnerEntry.parse(entry), spec, trainer, freshness);
            String model = config.learnerName();
            int replicas =
                    JobOptions.modelValue(conf, JobOptions.MODEL_PARALLELISM, model).orElse(1);
            // the other kind of learner's saved state would fail every restore attempt
            RestoredLearnerCheck.check(conf, model, replicas);
            // P > 1: replicas emit no JOINED side output (their metrics see labelled events only)
            SingleOutputStreamOperator<Prediction> predictions =
                    replicas > 1
                            ? ReplicatedLearner.build(examples, conf, config, replicas)
                            : examples.transform(
                                            "learner " + model,
                                            new AvroTypeInfo<>(Prediction.class),
                                            new LearnerOperator(
                                                    config,
                                                    conf.get(JobOptions.LABELS_TRAIN_ON)
                                                            == TrainOn.FAKE_NEGATIVE,
                                                    JobOptions.lossWeighting(conf),
                                                    conf.get(JobOptions.BATCH_IDLE_TIMEOUT)
                                                            .toMillis()))
                                    .setParallelism(1)
                                    .setMaxParallelism(1)
                                    .uid("learner-" + model);
            if (replicas == 1 && conf.get(JobOptions.LEARNER_OWN_TASK)) {
                predictions.startNewChain(); // a thread of its own beside the enricher's
            }
            allPredictions =
                    allPredictions == null ? predictions : allPredictions.union(predictions);
            if (!conf.get(JobOptions.METRICS_ENABLED)) {
                continue;
            }
            DataStream<MetricsReport> metrics =
                    predictions
                            .connect(predictions.getSideOutput(LearnerOperator.JOINED))
                            .transform(
                                    "metrics " + model,
                                    new AvroTypeInfo<>(MetricsReport.class),
                                    new MetricsOperator(
                                                    model,
                                                    conf.get(JobOptions.METRICS_WINDOW),
                                                    conf.get(JobOptions.METRICS_REPORT_EVERY),
                                                    conf.get(JobOptions.METRICS_REPORT_INTERVAL),
                                                    conf.get(JobOptions.METRICS_LIFETIME_AUC_BITS))
                                            .withJoinedLabels())
                            .setParallelism(1)
                            .setMaxParallelism(1)
                            .uid("metrics-" + model);
            allMetrics = allMetrics == null ? metrics : allMetrics.union(metrics);
        }
        return new Streams(examples, allPredictions, allMetrics, deadLetters);
    }

    /**
     * The configured learners ({@code MODEL} or {@code NAME=MODEL} entries), validated and
     * de-duplicated, in order; IllegalArgumentException when two entries share a name.
     */
    public static List<String> models(Configuration conf) {
        // Flink splits a list option given as text on ';'; the README and the demo write ','
        Set<String> unique = new LinkedHashSet<>();
        for (String item : conf.get(JobOptions.MODELS)) {
            for (String name : item.split(",")) {
                if (!name.isBlank()) {
                    unique.add(name.trim());
                }
            }
        }
        List<String> entries = new ArrayList<>(unique);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(
                    JobOptions.MODELS.key() + " is empty; known models: " + Learners.names());
        }
        Map<String, LearnerEntry> byName = new LinkedHashMap<>();
        for (String text : entries) {
            LearnerEntry entry = LearnerEntry.parse(text);
            LearnerEntry before = byName.putIfAbsent(entry.name(), entry);
            if (before != null && !before.equals(entry)) {
                throw new IllegalArgumentException(
                        JobOptions.MODELS.key()
                                + ": two learners named '"
                                + entry.name()
                                + "' ("
                                + before
                                + ", "
                                + entry
                                + "); name one NAME=MODEL");
            }
        }
        return byName.values().stream().map(LearnerEntry::toString).toList();
    }

    /**
     * Learner {@code entry}'s config as the job builds it: the job's batching and device, its
     * {@code ctr.model.NAME.train} and, with {@code ctr.model.NAME.warm-start}, the package it
     * starts from, read and checked against the learner's model and {@code spec} here, where the
     * job graph is built (IllegalArgumentException saying what differs); the export schedule.
     */
    public static LearnerConfig learnerConfig(
            Configuration conf,
            LearnerEntry entry,
            FeatureSpec spec,
            TrainerConfig trainer,
            FreshnessConfig freshness) {
        ModelOverrides overrides = JobOptions.modelOverrides(conf, entry.name());
        LearnerConfig config =
                new LearnerConfig(
                                entry.model(),
                                spec,
                                trainer,
                                conf.get(JobOptions.BATCH_SIZE),
                                conf.get(JobOptions.BATCH_TIMEOUT).toMillis(),
                                conf.get(JobOptions.DEVICE),
                                freshness)
                        .withName(entry.name())
                        .withOverrides(overrides)
                        .withTrain(
                                JobOptions.modelValue(conf, JobOptions.MODEL_TRAIN, entry.name())
                                        .orElse(JobOptions.MODEL_TRAIN.defaultValue()))
                        .withExport(JobOptions.exportConfig(conf));
        String path =
                JobOptions.modelValue(conf, JobOptions.MODEL_WARM_START, entry.name()).orElse(null);
        if (path != null && !path.isBlank()) {
            String key = JobOptions.modelKey(JobOptions.MODEL_WARM_START, entry.name());
            config = config.withWarmStart(WarmStart.read(key, path, entry, spec));
        }
        return config;
    }

    /** {@link #learnerConfig} with the trainer and freshness of the configuration. */
    public static LearnerConfig learnerConfig(Configuration conf, LearnerEntry entry) {
        return learnerConfig(
                conf,
                entry,
                featureSpec(conf),
                JobOptions.trainerConfig(conf),
                JobOptions.freshnessConfig(conf));
    }

    /** The feature spec from the configuration. */
    public static FeatureSpec featureSpec(Configuration conf) {
        return new FeatureSpec(
                conf.get(JobOptions.EMBEDDING_DIM),
                conf.get(JobOptions.HASH_BUCKETS),
                conf.getOptional(JobOptions.CATEGORICAL_FIELDS).orElse(List.of()),
                conf.get(JobOptions.MULTI_VALUED_FIELDS),
                8,
                conf.getOptional(JobOptions.NUMERIC_FIELDS).orElse(List.of()),
                conf.get(JobOptions.SIDE_FIELD),
                conf.get(JobOptions.SEQUENCE_LENGTH));
    }

    /**
     * The Kafka source of the events topic, from the configuration: events in the {@link
     * JobOptions#FORMAT}, the {@code kafka.properties.*} client settings over the job's own; a
     * refused login fails the job without restarts ({@link FailFastKafkaSource}).
     */
    public static FailFastKafkaSource<DecodedRecord> kafkaSource(Configuration conf) {
        KafkaSourceBuilder<DecodedRecord> builder =
                KafkaSource.<DecodedRecord>builder()
                        .setBootstrapServers(conf.get(JobOptions.BOOTSTRAP_SERVERS))
                        .setTopics(conf.get(JobOptions.EVENTS_TOPIC))
                        .setGroupId(conf.get(JobOptions.GROUP_ID))
                        .setStartingOffsets(JobOptions.startingOffsets(conf).initializer())
                        .setDeserializer(new ClickEventDeserializer(JobOptions.format(conf)))
                        .setProperty("isolation.level", "read_committed")
                        .setProperties(JobOptions.kafkaProperties(conf));
        if (conf.get(JobOptions.BOUNDED)) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return new FailFastKafkaSource<>(builder.build(), conf.get(JobOptions.BOOTSTRAP_SERVERS));
    }
}
