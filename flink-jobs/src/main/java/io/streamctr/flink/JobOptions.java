package io.streamctr.flink;

import io.streamctr.flink.enrich.DelayedLabelConfig;
import io.streamctr.flink.enrich.LateClicks;
import io.streamctr.flink.enrich.SequenceExpiry;
import io.streamctr.flink.enrich.TrainOn;
import io.streamctr.flink.export.ExportConfig;
import io.streamctr.flink.format.RecordFormat;
import io.streamctr.flink.learn.ModelOverrides;
import io.streamctr.flink.source.StartingOffsets;
import io.streamctr.model.learn.FreshnessConfig;
import io.streamctr.model.learn.LossWeighting;
import io.streamctr.model.optfusion.ProductScaling;
import io.streamctr.model.train.EmbeddingOptimizer;
import io.streamctr.model.train.TrainerConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * Every option of the streamctr job, as typed Flink {@link ConfigOption}s with hierarchical keys.
 * Give them as program arguments ({@code --ctr.models dnn --kafka.bootstrap-servers host:9092}) or
 * in the Flink configuration.
 */
public final class JobOptions {

    private JobOptions() {}

    // ---- Kafka ----

    public static final ConfigOption<String> BOOTSTRAP_SERVERS =
            ConfigOptions.key("kafka.bootstrap-servers")
                    .stringType()
                    .defaultValue("localhost:9092")
                    .withDescription(
                            "Kafka bootstrap servers of every topic the job reads and writes.");

    public static final ConfigOption<String> EVENTS_TOPIC =
            ConfigOptions.key("kafka.topic.events")
                    .stringType()
                    .defaultValue("ctr.events")
                    .withDescription(
                            "Input topic of ClickEvent records (in the kafka.format), keyed by user"
                                    + " id.");

    public static final ConfigOption<String> PREDICTIONS_TOPIC =
            ConfigOptions.key("kafka.topic.predictions")
                    .stringType()
                    .defaultValue("ctr.predictions")
                    .withDescription("Output topic of Prediction records, keyed by user id.");

    public static final ConfigOption<String> METRICS_TOPIC =
            ConfigOptions.key("kafka.topic.metrics")
                    .stringType()
                    .defaultValue("ctr.metrics")
                    .withDescription("Output topic of MetricsReport records, keyed by model name.");

    public static final ConfigOption<String> DEAD_LETTER_TOPIC =
            ConfigOptions.key("kafka.topic.dead-letter")
                    .stringType()
                    .defaultValue("ctr.deadletter")
                    .withDescription(
                            "Output topic of DeadLetter records: input the job could not use,"
                                    + " with the reason.");

    public static final ConfigOption<String> GROUP_ID =
            ConfigOptions.key("kafka.group-id")
                    .stringType()
                    .defaultValue("streamctr")
                    .withDescription(
                            "Consumer group id of the events source (offsets are committed on"
                                    + " checkpoints).");

    public static final ConfigOption<StartingOffsets> STARTING_OFFSETS =
            ConfigOptions.key("kafka.starting-offsets")
                    .enumType(StartingOffsets.class)
                    .defaultValue(StartingOffsets.EARLIEST)
                    .withDescription(
                            "Where a job without state starts reading: "
                                    + StartingOffsets.describeAll()
                                    + ".");

    public static final ConfigOption<Boolean> BOUNDED =
            ConfigOptions.key("kafka.bounded")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Stop at the end offsets seen when the job starts (a bounded replay"
                                    + " run) and emit final metrics.");

    public static final ConfigOption<DeliveryGuarantee> DELIVERY_GUARANTEE =
            ConfigOptions.key("kafka.delivery-guarantee")
                    .enumType(DeliveryGuarantee.class)
                    .defaultValue(DeliveryGuarantee.EXACTLY_ONCE)
                    .withDescription(
                            "Guarantee of the sinks: exactly-once (transactional; read with"
                                + " isolation.level=read_committed), at-least-once (lower latency,"
                                + " duplicates after a restart) or none (records may also be"
                                + " lost).");

    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
            ConfigOptions.key("kafka.transactional-id-prefix")
                    .stringType()
                    .defaultValue("streamctr")
                    .withDescription(
                            "Prefix of the sinks' transactional ids; must differ between jobs"
                                    + " writing to one cluster.");

    public static final ConfigOption<RecordFormat> FORMAT =
            ConfigOptions.key("kafka.format")
                    .enumType(RecordFormat.class)
                    .defaultValue(RecordFormat.AVRO)
                    .withDescription(
                            "Value format of every topic: avro (single-object encoding) or json"
                                    + " (one JSON object per record, the .avsc field names; for"
                                    + " kcat and clients without Avro). Events that do not parse"
                                    + " go to the dead-letter topic.");

    /**
     * Prefix of Kafka client settings passed to the events source and every sink, as Flink's Kafka
     * connector does with {@code properties.*}: {@code kafka.properties.security.protocol SASL_SSL}
     * sets {@code security.protocol}.
     */
    public static final String KAFKA_PROPERTIES_PREFIX = "kafka.properties.";

    /**
     * Client settings the job sets from its own options; {@code kafka.properties.*} refuses them.
     */
    private static final Map<String, String> OWN_CLIENT_SETTINGS =
            Map.of(
                    "bootstrap.servers", BOOTSTRAP_SERVERS.key(),
                    "group.id", GROUP_ID.key(),
                    "transactional.id", TRANSACTIONAL_ID_PREFIX.key(),
                    "key.serializer", "the job",
                    "value.serializer", "the job",
                    "key.deserializer", "the job",
                    "value.deserializer", "the job");

    /**
     * The {@code kafka.properties.*} settings without the prefix, in key order.
     *
     * @throws IllegalArgumentException for an empty key or a setting the job sets from another
     *     option (bootstrap.servers, group.id, ...)
     */
    public static Properties kafkaProperties(Configuration conf) {
        Properties properties = new Properties();
        for (Map.Entry<String, String> e : new TreeMap<>(conf.toMap()).entrySet()) {
            if (!e.getKey().startsWith(KAFKA_PROPERTIES_PREFIX)) {
                continue;
            }
            String key = e.getKey().substring(KAFKA_PROPERTIES_PREFIX.length());
            if (key.isBlank()) {
                throw new IllegalArgumentException(
                        KAFKA_PROPERTIES_PREFIX + " needs a Kafka client setting after the prefix");
            }
            String own = OWN_CLIENT_SETTINGS.get(key);
            if (own != null) {
                throw new IllegalArgumentException(
                        e.getKey() + " is not allowed: " + key + " is set by " + own);
            }
            properties.setProperty(key, e.getValue());
        }
        return properties;
    }

    // ---- models and training ----

    public static final ConfigOption<List<String>> MODELS =
            ConfigOptions.key("ctr.models")
                    .stringType()
                    .asList()
                    .defaultValues("dnn")
                    .withDescription(
                            "Models trained side by side on the same events, each with its own"
                                    + " learner and metrics. An entry NAME=MODEL adds a learner"
                                    + " named NAME of MODEL (e.g. dnn,champion=dnn: two dnn"
                                    + " learners); the name is its uid, its predictions' and"
                                    + " metrics' model name and the NAME of its ctr.model.NAME.*"
                                    + " options.");

    public static final ConfigOption<String> DEVICE =
            ConfigOptions.key("ctr.device")
                    .stringType()
                    .defaultValue("auto")
                    .withDescription(
                            "Where the models run: auto (a GPU when DJL sees one, else CPU), cpu,"
                                    + " gpu or gpu:N.");

    public static final ConfigOption<Integer> BATCH_SIZE =
            ConfigOptions.key("ctr.train.batch-size")
                    .intType()
                    .defaultValue(64)
                    .withDescription(
                            "Events per mini-batch: scored together, then trained on. Smaller"
                                    + " batches learn faster online (more steps) at a lower"
                                    + " throughput.");

    public static final ConfigOption<Duration> BATCH_TIMEOUT =
            ConfigOptions.key("ctr.train.batch-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMillis(200))
                    .withDescription(
                            "A partial batch is processed after this long, so a slow stream still"
                                    + " flows.");

    public static final ConfigOption<Duration> BATCH_IDLE_TIMEOUT =
            ConfigOptions.key("ctr.train.batch-idle-timeout")
                    .durationType()
                    .defaultValue(Duration.ZERO)
                    .withDescription(
                            "A partial batch is also processed when no event came for this long"
                                + " (the input paused), so its predictions need not wait for the"
                                + " batch timeout; 0 (the default): only the batch timeout. 5 ms"
                                + " halved the median latency in bench but cost the demo's dnn"
                                + " 0.001 AUC on a loaded machine (short batches).");

    public static final ConfigOption<Float> LEARNING_RATE =
            ConfigOptions.key("ctr.train.learning-rate")
                    .floatType()
                    .defaultValue(5e-4f)
                    .withDescription("Adam learning rate of the dense parameters.");

    public static final ConfigOption<Float> EMBEDDING_LEARNING_RATE =
            ConfigOptions.key("ctr.train.embedding-learning-rate")
                    .floatType()
                    .noDefaultValue()
                    .withDescription(
                            "Learning rate of the embedding tables' rule (FTRL's alpha). Default:"
                                    + " the rule's own (adam 0.01, adagrad 0.05, ftrl 0.05), a"
                                    + " quarter of it (adagrad 0.0125) with ctr.learner.residual"
                                    + " on.");

    public static final ConfigOption<String> EMBEDDING_OPTIMIZER =
            ConfigOptions.key("ctr.train.embedding-optimizer")
                    .stringType()
                    .defaultValue(TrainerConfig.DEFAULT_EMBEDDING_OPTIMIZER.optionName())
                    .withDescription(
                            "Update rule of the embedding tables, lazy on the rows a batch touched:"
                                + " adam, adagrad (per-coordinate, as Wide & Deep's deep part) or"
                                + " ftrl (FTRL-Proximal per coordinate, as its wide part). The"
                                + " dense parameters always use Adam.");

    public static final ConfigOption<Integer> BASE_RATE_HALF_LIFE =
            ConfigOptions.key("ctr.train.base-rate-half-life")
                    .intType()
                    .defaultValue(TrainerConfig.DEFAULT_BASE_RATE_HALF_LIFE)
                    .withDescription(
                            "Half-life in events of the running click rate whose logit is added to"
                                + " every deep model's output (the model learns the residual, so"
                                + " the base rate is right from the first events); 0: none.");

    public static final ConfigOption<Boolean> PER_EVENT_SQUARES =
            ConfigOptions.key("ctr.train.per-event-squares")
                    .booleanType()
                    .defaultValue(TrainerConfig.defaults().perEventSquares())
                    .withDescription(
                            "adagrad and ftrl embedding rules: add to a row's accumulator the"
                                + " squares of each event's own gradient of it, as FTRL learning"
                                + " one event at a time does, instead of the square of the batch's"
                                + " sum (a row that a burst of events shares then learns faster)."
                                + " Costs a copy of each row per event that uses it.");

    public static final ConfigOption<Long> SEED =
            ConfigOptions.key("ctr.train.seed")
                    .longType()
                    .defaultValue(42L)
                    .withDescription("Seed of the parameter initialization.");

    /**
     * The trainer settings of the {@code ctr.train.*} options: the embedding rule (unless a step is
     * set: at its own default step, or a quarter of it beside the residual, {@link
     * FreshnessConfig#RESIDUAL_EMBEDDING_STEP_SHARE}), the learning rates, the base rate and the
     * seed.
     *
     * @throws IllegalArgumentException for an unknown embedding rule or a bad value
     */
    public static TrainerConfig trainerConfig(ReadableConfig conf) {
        TrainerConfig rule =
                TrainerConfig.defaults()
                        .withEmbeddingOptimizer(
                                EmbeddingOptimizer.parse(conf.get(EMBEDDING_OPTIMIZER)));
        Float embedding = conf.get(EMBEDDING_LEARNING_RATE);
        float share =
                conf.get(LEARNER_RESIDUAL) ? FreshnessConfig.RESIDUAL_EMBEDDING_STEP_SHARE : 1f;
        return rule.withLearningRates(
                        conf.get(LEARNING_RATE),
                        embedding != null ? embedding : rule.embeddingLearningRate() * share)
                .withBaseRateHalfLife(conf.get(BASE_RATE_HALF_LIFE))
                .withPerEventSquares(conf.get(PER_EVENT_SQUARES))
                .withSeed(conf.get(SEED));
    }

    /** The deep models' freshness levers of the {@code ctr.learner.*} options. */
    public static FreshnessConfig freshnessConfig(ReadableConfig conf) {
        return FreshnessConfig.defaults()
                .withResidual(conf.get(LEARNER_RESIDUAL))
                .withTargetStatistics(conf.get(LEARNER_TARGET_STATISTICS))
                .withSequenceLengths(conf.get(LEARNER_SEQUENCE_LENGTHS))
                .withJointTraining(conf.get(LEARNER_JOINT_TRAINING))
                .withValueStatistics(conf.get(LEARNER_VALUE_STATISTICS))
                .withDeepWeight(conf.get(LEARNER_DEEP_WEIGHT));
    }

    // ---- freshness of the deep models inside a batch (issue 21) ----

    public static final ConfigOption<Boolean> LEARNER_RESIDUAL =
            ConfigOptions.key("ctr.learner.residual")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Deep models: a per-event FTRL part learns the residual of the"
                                    + " batch-scored deep logit, so each event's score reflects the"
                                    + " labels of the events before it, also inside its batch.");

    public static final ConfigOption<Boolean> LEARNER_TARGET_STATISTICS =
            ConfigOptions.key("ctr.learner.target-statistics")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Deep models: leak-free online target statistics (decayed counts and"
                                    + " smoothed click rates of the user, item and user × side"
                                    + " values, computed event by event) as numeric features.");

    public static final ConfigOption<Boolean> LEARNER_SEQUENCE_LENGTHS =
            ConfigOptions.key("ctr.learner.sequence-lengths")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Deep models: log(1 + length) of each behaviour sequence as a numeric"
                                    + " feature.");

    public static final ConfigOption<Boolean> LEARNER_JOINT_TRAINING =
            ConfigOptions.key("ctr.learner.joint-training")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Deep models with the residual: the deep model trains on the joint"
                                + " logit (deep + residual), as Wide & Deep trains jointly, instead"
                                + " of on its own.");

    public static final ConfigOption<Boolean> LEARNER_VALUE_STATISTICS =
            ConfigOptions.key("ctr.learner.value-statistics")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Deep models with target statistics: also the statistics of each"
                                + " categorical and multi-valued field's values (else user, item"
                                + " and user × side value only).");

    public static final ConfigOption<Boolean> LEARNER_DEEP_WEIGHT =
            ConfigOptions.key("ctr.learner.deep-weight")
                    .booleanType()
                    .defaultValue(FreshnessConfig.defaults().deepWeight())
                    .withDescription(
                            "Deep models with the residual: the residual FTRL also learns, event by"
                                    + " event, the weight of the deep model's logit (started at 1),"
                                    + " so an overconfident deep model is damped as Platt scaling"
                                    + " would; joint training uses that weight.");

    public static final ConfigOption<Boolean> LEARNER_OWN_TASK =
            ConfigOptions.key("ctr.learner.own-task")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Run each single learner (not the replicas) in a task of its own, on"
                                    + " its own thread beside the enricher's, examples serialized"
                                    + " between them; false (the default): chained to the"
                                    + " enricher, one thread, examples handed over as objects.");

    // ---- features and sequences ----

    public static final ConfigOption<Integer> SEQUENCE_LENGTH =
            ConfigOptions.key("ctr.sequence.max-length")
                    .intType()
                    .defaultValue(50)
                    .withDescription(
                            "Most recent items kept per user and behaviour sequence (clicked,"
                                    + " non-clicked).");

    public static final ConfigOption<List<String>> CONTEXT_ONLY_ACTIONS =
            ConfigOptions.key("ctr.sequence.context-only-actions")
                    .stringType()
                    .asList()
                    .defaultValues("history")
                    .withDescription(
                            "Events of these action types only extend the user's sequences: not"
                                + " scored, not trained on, not in the metrics (e.g. MIND's history"
                                + " column, replayed as 'history' clicks before the impressions).");

    public static final ConfigOption<Duration> SEQUENCE_TTL =
            ConfigOptions.key("ctr.sequence.ttl")
                    .durationType()
                    .defaultValue(Duration.ofDays(30))
                    .withDescription(
                            "A user's sequences expire after this long without an event (on the"
                                    + " clock of ctr.sequence.expiry).");

    public static final ConfigOption<SequenceExpiry> SEQUENCE_EXPIRY =
            ConfigOptions.key("ctr.sequence.expiry")
                    .enumType(SequenceExpiry.class)
                    .defaultValue(SequenceExpiry.PROCESSING_TIME)
                    .withDescription(
                            "The clock of ctr.sequence.ttl: processing-time (Flink's state TTL, as"
                                    + " before) or event-time (a timer at the user's latest event"
                                    + " time + TTL, fired by the watermarks, so a replay of old"
                                    + " data expires users too).");

    // ---- delayed labels (issue 16, docs/delayed-labels.md) ----

    public static final ConfigOption<Duration> LABELS_ATTRIBUTION_WINDOW =
            ConfigOptions.key("ctr.labels.attribution-window")
                    .durationType()
                    .defaultValue(DelayedLabelConfig.DEFAULT.window())
                    .withDescription(
                            "A CLICK within this much event time after its IMPRESSION makes it a"
                                    + " positive; the window's end without one a negative.");

    public static final ConfigOption<TrainOn> LABELS_TRAIN_ON =
            ConfigOptions.key("ctr.labels.train-on")
                    .enumType(TrainOn.class)
                    .defaultValue(DelayedLabelConfig.DEFAULT.trainOn())
                    .withDescription(
                            "When a joined impression is trained on: "
                                    + TrainOn.describeAll()
                                    + ".");

    public static final ConfigOption<Boolean> LABELS_FAKE_NEGATIVE_WEIGHTING =
            ConfigOptions.key("ctr.labels.fake-negative-weighting")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "With ctr.labels.train-on fake-negative: weight each positive's loss"
                                    + " 1 + p and each fake negative's (1 - p)(1 + p), p the"
                                    + " model's score (Ktena et al. 2019, FNW); the model then"
                                    + " learns p and its scores are served as they are.");

    public static final ConfigOption<LateClicks> LABELS_LATE_CLICKS =
            ConfigOptions.key("ctr.labels.late-clicks")
                    .enumType(LateClicks.class)
                    .defaultValue(DelayedLabelConfig.DEFAULT.lateClicks())
                    .withDescription(
                            "What a click after its impression's window does: dead-letter (counted"
                                    + " in lateClicks, sent to the dead-letter topic with the"
                                    + " reason; the negative stands).");

    public static final ConfigOption<Duration> EVENTS_MAX_OUT_OF_ORDERNESS =
            ConfigOptions.key("ctr.events.max-out-of-orderness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription(
                            "Watermarks trail the largest event time seen per partition by this"
                                    + " much: attribution windows close that much later.");

    public static final ConfigOption<Duration> EVENTS_IDLE_TIMEOUT =
            ConfigOptions.key("ctr.events.idle-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription(
                            "A partition without events for this long stops holding the watermark"
                                    + " back (0: never idle).");

    /**
     * The learners' loss weighting: {@link LossWeighting#FAKE_NEGATIVE} with {@link
     * #LABELS_FAKE_NEGATIVE_WEIGHTING}, else none.
     */
    public static LossWeighting lossWeighting(ReadableConfig conf) {
        return conf.get(LABELS_FAKE_NEGATIVE_WEIGHTING)
                ? LossWeighting.FAKE_NEGATIVE
                : LossWeighting.NONE;
    }

    /** The label join's settings from the configuration. */
    public static DelayedLabelConfig delayedLabelConfig(ReadableConfig conf) {
        return new DelayedLabelConfig(
                conf.get(LABELS_ATTRIBUTION_WINDOW),
                conf.get(LABELS_TRAIN_ON),
                conf.get(LABELS_LATE_CLICKS));
    }

    public static final ConfigOption<Integer> EMBEDDING_DIM =
            ConfigOptions.key("ctr.features.embedding-dim")
                    .intType()
                    .defaultValue(16)
                    .withDescription("Embedding size D.");

    public static final ConfigOption<Integer> HASH_BUCKETS =
            ConfigOptions.key("ctr.features.hash-buckets")
                    .intType()
                    .defaultValue(1 << 15)
                    .withDescription("Hash buckets of each field group of the embedding table.");

    public static final ConfigOption<List<String>> CATEGORICAL_FIELDS =
            ConfigOptions.key("ctr.features.categorical")
                    .stringType()
                    .asList()
                    .noDefaultValue()
                    .withDescription(
                            "Keys of ClickEvent.categorical used as fields (user and item always"
                                    + " are).");

    public static final ConfigOption<List<String>> MULTI_VALUED_FIELDS =
            ConfigOptions.key("ctr.features.multi-valued")
                    .stringType()
                    .asList()
                    .defaultValues("genres")
                    .withDescription("Keys of ClickEvent.multiValued used as mean-pooled bags.");

    public static final ConfigOption<List<String>> NUMERIC_FIELDS =
            ConfigOptions.key("ctr.features.numeric")
                    .stringType()
                    .asList()
                    .noDefaultValue()
                    .withDescription("Keys of ClickEvent.numeric fed to the models as they are.");

    public static final ConfigOption<String> SIDE_FIELD =
            ConfigOptions.key("ctr.features.side-field")
                    .stringType()
                    .defaultValue("genres")
                    .withDescription(
                            "Field whose value set is an item's side feature in the behaviour"
                                    + " sequences.");

    // ---- model packages (issue 15) ----

    public static final ConfigOption<String> EXPORT_PATH =
            ConfigOptions.key("ctr.export.path")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Export every learner's model package into PATH/NAME/step-N (any Flink"
                                    + " file-system path) when a checkpoint completes and"
                                    + " ctr.export.every has passed; needs checkpointing.");

    public static final ConfigOption<String> EXPORT_EVERY =
            ConfigOptions.key("ctr.export.every")
                    .stringType()
                    .defaultValue("1000 steps")
                    .withDescription(
                            "How often a learner's package is exported: N steps (training steps;"
                                    + " ftrl: labelled events) or a duration (10 min).");

    public static final ConfigOption<Integer> EXPORT_KEEP =
            ConfigOptions.key("ctr.export.keep")
                    .intType()
                    .defaultValue(3)
                    .withDescription("Exported packages kept per learner, the newest.");

    /** The {@code ctr.export.*} options; null when {@link #EXPORT_PATH} is not set. */
    public static ExportConfig exportConfig(ReadableConfig conf) {
        String path = conf.get(EXPORT_PATH);
        if (path == null || path.isBlank()) {
            return null;
        }
        try {
            return ExportConfig.of(path, conf.get(EXPORT_EVERY), conf.get(EXPORT_KEEP));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ctr.export.*: " + e.getMessage(), e);
        }
    }

    // ---- metrics ----

    public static final ConfigOption<Boolean> METRICS_ENABLED =
            ConfigOptions.key("ctr.metrics.enabled")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Compute streaming metrics (one MetricsOperator per model, reports to"
                                + " the metrics topic, window AUC/NE gauges); false leaves only the"
                                + " predictions (the learners' gauges stay).");

    public static final ConfigOption<Integer> METRICS_WINDOW =
            ConfigOptions.key("ctr.metrics.window-size")
                    .intType()
                    .defaultValue(10_000)
                    .withDescription("W: window metrics cover the last W labelled predictions.");

    public static final ConfigOption<Integer> METRICS_LIFETIME_AUC_BITS =
            ConfigOptions.key("ctr.metrics.lifetime-auc-bits")
                    .intType()
                    .defaultValue(16)
                    .withDescription(
                            "The lifetime AUC is over scores rounded to multiples of 2^-bits: at"
                                + " most 2^bits + 1 distinct scores in state (16: ~1.3 MB) however"
                                + " long the job runs; each report carries the error bound. 0 ="
                                + " exact, with state growing by ~20 B per distinct score.");

    public static final ConfigOption<Integer> METRICS_REPORT_EVERY =
            ConfigOptions.key("ctr.metrics.report-every")
                    .intType()
                    .defaultValue(5_000)
                    .withDescription(
                            "A MetricsReport is emitted every this many predictions per model (and"
                                    + " one at the end of a bounded run).");

    public static final ConfigOption<Duration> METRICS_REPORT_INTERVAL =
            ConfigOptions.key("ctr.metrics.report-interval")
                    .durationType()
                    .defaultValue(Duration.ZERO)
                    .withDescription(
                            "Also emit a MetricsReport after this much processing time when"
                                + " predictions arrived since the last one; 0 = only by count.");

    // ---- per model: ctr.model.<name>.<key> (the names evaluate uses) ----

    /** What stands for a model name in the keys of the per-model options. */
    public static final String MODEL_PLACEHOLDER = "<name>";

    /** The keys of the per-model options start with this, then a model name and a dot. */
    public static final String MODEL_PREFIX = "ctr.model.";

    public static final ConfigOption<Long> MODEL_SEARCH_EVENTS =
            ConfigOptions.key(MODEL_PREFIX + MODEL_PLACEHOLDER + ".search-events")
                    .longType()
                    .noDefaultValue()
                    .withDescription(
                            "OptFusion models: labelled events of the one-shot search before the"
                                    + " architecture is frozen (evaluate's --search-events)."
                                    + " Default: the model's own, 20,000.");

    public static final ConfigOption<Float> MODEL_ARCHITECTURE_LR =
            ConfigOptions.key(MODEL_PREFIX + MODEL_PLACEHOLDER + ".architecture-lr")
                    .floatType()
                    .noDefaultValue()
                    .withDescription(
                            "OptFusion models: Adam step of the architecture parameters α, β"
                                    + " (evaluate's --architecture-lr). Default: the model's own,"
                                    + " 0.01.");

    public static final ConfigOption<ProductScaling> MODEL_PRODUCT =
            ConfigOptions.key(MODEL_PREFIX + MODEL_PLACEHOLDER + ".product")
                    .enumType(ProductScaling.class)
                    .noDefaultValue()
                    .withDescription(
                            "OptFusion models: how PROD scales its product, RMS or NONE (the"
                                    + " paper's raw product; evaluate's --product). Default: the"
                                    + " model's own, RMS.");

    public static final ConfigOption<Integer> MODEL_DIM =
            ConfigOptions.key(MODEL_PREFIX + MODEL_PLACEHOLDER + ".dim")
                    .intType()
                    .noDefaultValue()
                    .withDescription(
                            "InterFormer models: D of the model's own tokens; D / heads must be"
                                    + " even. Default: the model's own (64; tiny 8).");

    public static final ConfigOption<Integer> MODEL_LAYERS =
            ConfigOptions.key(MODEL_PREFIX + MODEL_PLACEHOLDER + ".layers")
                    .intType()
                    .noDefaultValue()
                    .withDescription(
                            "InterFormer models: stacked InterFormer layers. Default: the model's"
                                    + " own (3; tiny 2).");

    public static final ConfigOption<Integer> MODEL_HEADS =
            ConfigOptions.key(MODEL_PREFIX + MODEL_PLACEHOLDER + ".heads")
                    .intType()
                    .noDefaultValue()
                    .withDescription(
                            "InterFormer models: attention heads of the Sequence Arch and PMA."
                                    + " Default: the model's own (4; tiny 2).");

    public static final ConfigOption<Float> MODEL_EMBEDDING_L2 =
            ConfigOptions.key(MODEL_PREFIX + MODEL_PLACEHOLDER + ".embedding-l2")
                    .floatType()
                    .noDefaultValue()
                    .withDescription(
                            "Deep models: L2 coefficient of the embedding tables, added to their"
                                    + " gradient (not FTRL's own λ2). Default: 0.");

    public static final ConfigOption<Boolean> MODEL_TRAIN =
            ConfigOptions.key(MODEL_PREFIX + MODEL_PLACEHOLDER + ".train")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Per learner: false freezes it: it scores every event and never"
                                    + " learns, its version stays (a champion beside a learning"
                                    + " challenger).");

    public static final ConfigOption<String> MODEL_WARM_START =
            ConfigOptions.key(MODEL_PREFIX + MODEL_PLACEHOLDER + ".warm-start")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Per learner: a model package folder (any Flink file-system path) the"
                                    + " learner starts from when it has no state of its own; its"
                                    + " model and feature spec must be the learner's (checked at"
                                    + " submit).");

    public static final ConfigOption<Integer> MODEL_PARALLELISM =
            ConfigOptions.key(MODEL_PREFIX + MODEL_PLACEHOLDER + ".parallelism")
                    .intType()
                    .defaultValue(1)
                    .withDescription(
                            "Per learner: P data-parallel replicas of its learner, each on the"
                                    + " examples of its users, averaged every"
                                    + " ctr.sync.every-batches through the sync topic (P > 1"
                                    + " needs exactly-once delivery and checkpoints;"
                                    + " docs/scale-out.md).");

    // ---- data-parallel learners (issue 17) ----

    public static final ConfigOption<Integer> SYNC_EVERY_BATCHES =
            ConfigOptions.key("ctr.sync.every-batches")
                    .intType()
                    .defaultValue(100)
                    .withDescription(
                            "Learners at parallelism > 1: a replica cuts its delta for the next"
                                    + " round after this many training batches (or when another"
                                    + " replica started the round).");

    public static final ConfigOption<Integer> SYNC_MAX_BATCHES_AHEAD =
            ConfigOptions.key("ctr.sync.max-batches-ahead")
                    .intType()
                    .defaultValue(0)
                    .withDescription(
                            "Learners at parallelism > 1: training batches a replica may run"
                                    + " between its cut and the round's apply; past them it holds"
                                    + " its examples until the round applies (0: wait for every"
                                    + " round; -1: no bound).");

    public static final ConfigOption<String> SYNC_TOPIC =
            ConfigOptions.key("kafka.topic.sync")
                    .stringType()
                    .defaultValue("ctr.sync")
                    .withDescription(
                            "Learners at parallelism > 1: the topic of the replicas' deltas, read"
                                    + " back by every replica (one partition).");

    /** The key of a per-model option for one model: {@code ctr.model.dnn.embedding-l2}. */
    public static String modelKey(ConfigOption<?> perModel, String model) {
        if (!perModel.key().contains(MODEL_PLACEHOLDER)) {
            throw new IllegalArgumentException(perModel.key() + " is not a per-model option");
        }
        return perModel.key().replace(MODEL_PLACEHOLDER, model);
    }

    /**
     * The value of a per-model option for one model, parsed as the option's type; empty when the
     * configuration does not set it.
     *
     * @throws IllegalArgumentException when the value does not parse
     */
    public static <T> Optional<T> modelValue(
            ReadableConfig conf, ConfigOption<T> perModel, String model) {
        String key = modelKey(perModel, model);
        Optional<String> raw =
                conf.getOptional(ConfigOptions.key(key).stringType().noDefaultValue());
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        Configuration single = new Configuration();
        single.setString(perModel.key(), raw.get());
        try {
            return Optional.ofNullable(single.get(perModel));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    key + ": cannot parse '" + raw.get() + "' (" + rootMessage(e) + ")", e);
        }
    }

    /** The per-model options of one model ({@code ctr.model.<name>.*}). */
    public static ModelOverrides modelOverrides(ReadableConfig conf, String model) {
        return new ModelOverrides(
                modelValue(conf, MODEL_SEARCH_EVENTS, model).orElse(null),
                modelValue(conf, MODEL_ARCHITECTURE_LR, model).orElse(null),
                modelValue(conf, MODEL_PRODUCT, model).orElse(null),
                modelValue(conf, MODEL_DIM, model).orElse(null),
                modelValue(conf, MODEL_LAYERS, model).orElse(null),
                modelValue(conf, MODEL_HEADS, model).orElse(null),
                modelValue(conf, MODEL_EMBEDDING_L2, model).orElse(null));
    }

    /** The innermost cause's message: Flink's parse errors nest the reason. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage()).replace('\n', ' ');
    }

    // ---- typed access ----

    /** {@link #DELIVERY_GUARANTEE} of the configuration; see {@link #enumValue} for a bad value. */
    public static DeliveryGuarantee deliveryGuarantee(Configuration conf) {
        return enumValue(conf, DELIVERY_GUARANTEE, DeliveryGuarantee.class);
    }

    /** {@link #FORMAT} of the configuration; see {@link #enumValue} for a bad value. */
    public static RecordFormat format(Configuration conf) {
        return enumValue(conf, FORMAT, RecordFormat.class);
    }

    /** {@link #STARTING_OFFSETS} of the configuration; see {@link #enumValue} for a bad value. */
    public static StartingOffsets startingOffsets(Configuration conf) {
        return enumValue(conf, STARTING_OFFSETS, StartingOffsets.class);
    }

    /**
     * The value of an enum-typed option. Flink matches the text against each value's {@code
     * toString()}, ignoring case.
     *
     * @throws IllegalArgumentException in one line naming the option, its accepted values and the
     *     value given (Flink's own message keeps the accepted values in a nested cause)
     */
    static <E extends Enum<E>> E enumValue(
            Configuration conf, ConfigOption<E> option, Class<E> type) {
        try {
            return conf.get(option);
        } catch (IllegalArgumentException e) {
            String accepted =
                    Arrays.stream(type.getEnumConstants())
                            .map(Object::toString)
                            .collect(Collectors.joining(", "));
            throw new IllegalArgumentException(
                    option.key()
                            + " must be one of "
                            + accepted
                            + "; got '"
                            + conf.toMap().get(option.key())
                            + "'",
                    e);
        }
    }
}
