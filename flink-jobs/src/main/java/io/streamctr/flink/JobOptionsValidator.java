package io.streamctr.flink;

import io.streamctr.flink.enrich.TrainOn;
import io.streamctr.flink.learn.LearnerConfig;
import io.streamctr.flink.learn.LearnerEntry;
import io.streamctr.flink.learn.ModelOverrides;
import io.streamctr.model.learn.Learners;
import io.streamctr.model.metrics.StreamingMetrics;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * Checks a job's configuration when it is submitted, before the job graph is built, so that a bad
 * option fails the submit in one line instead of being ignored or failing on a TaskManager: every
 * {@code ctr.*} and {@code kafka.*} key must be known (an unknown one fails with the closest known
 * key), every value must parse as its option's type and lie in its range, the model names must be
 * registered and the device must be {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}.
 *
 * <p>The known keys are the public static {@link ConfigOption} fields of {@link JobOptions}, so a
 * new option there is known without a change here; a key with {@link JobOptions#MODEL_PLACEHOLDER}
 * is a per-model option, {@code ctr.model.<a registered model>.<key>}. Keys under {@link
 * #FREE_PREFIXES} are passed on as they are (Kafka client properties). Keys of other namespaces are
 * Flink's own and not checked here.
 */
public final class JobOptionsValidator {

    /** Keys under these prefixes are free-form: any non-empty rest is accepted. */
    public static final List<String> FREE_PREFIXES = List.of(JobOptions.KAFKA_PROPERTIES_PREFIX);

    private static final List<String> CHECKED_NAMESPACES = List.of("ctr.", "kafka.");

    private static final Pattern DEVICE = Pattern.compile("auto|cpu|gpu|gpu:\\d+");

    /** Ranges of the numeric and duration options; the rest are checked by their type. */
    private static final List<Range<?>> RANGES =
            List.of(
                    new Range<>(JobOptions.BATCH_SIZE, v -> v >= 1, ">= 1"),
                    new Range<>(JobOptions.BATCH_TIMEOUT, JobOptionsValidator::positive, "> 0"),
                    new Range<>(
                            JobOptions.BATCH_IDLE_TIMEOUT, v -> !v.isNegative(), ">= 0 (0: none)"),
                    new Range<>(JobOptions.LEARNING_RATE, v -> v > 0, "> 0"),
                    new Range<>(JobOptions.EMBEDDING_LEARNING_RATE, v -> v > 0, "> 0"),
                    new Range<>(JobOptions.BASE_RATE_HALF_LIFE, v -> v >= 0, ">= 0 (0: none)"),
                    new Range<>(JobOptions.SEQUENCE_LENGTH, v -> v >= 1, ">= 1"),
                    new Range<>(JobOptions.SEQUENCE_TTL, JobOptionsValidator::positive, "> 0"),
                    new Range<>(
                            JobOptions.LABELS_ATTRIBUTION_WINDOW,
                            JobOptionsValidator::positive,
                            "> 0"),
                    new Range<>(
                            JobOptions.EVENTS_MAX_OUT_OF_ORDERNESS, v -> !v.isNegative(), ">= 0"),
                    new Range<>(
                            JobOptions.EVENTS_IDLE_TIMEOUT,
                            v -> !v.isNegative(),
                            ">= 0 (0: never idle)"),
                    new Range<>(JobOptions.EMBEDDING_DIM, v -> v >= 1, ">= 1"),
                    new Range<>(JobOptions.HASH_BUCKETS, v -> v >= 1, ">= 1"),
                    new Range<>(JobOptions.METRICS_WINDOW, v -> v >= 1, ">= 1"),
                    new Range<>(
                            JobOptions.METRICS_LIFETIME_AUC_BITS,
                            v -> v >= 0 && v <= StreamingMetrics.MAX_LIFETIME_AUC_BITS,
                            "in [0, " + StreamingMetrics.MAX_LIFETIME_AUC_BITS + "] (0: exact)"),
                    new Range<>(JobOptions.METRICS_REPORT_EVERY, v -> v >= 1, ">= 1"),
                    new Range<>(JobOptions.SYNC_EVERY_BATCHES, v -> v >= 1, ">= 1"),
                    new Range<>(
                            JobOptions.SYNC_MAX_BATCHES_AHEAD,
                            v -> v >= -1,
                            ">= 0, or -1 for no bound"),
                    new Range<>(JobOptions.EXPORT_KEEP, v -> v >= 1, ">= 1"),
                    new Range<>(
                            JobOptions.METRICS_REPORT_INTERVAL,
                            v -> !v.isNegative(),
                            ">= 0 (0: by count only)"));

    private JobOptionsValidator() {}

    /**
     * Checks the configuration as described above.
     *
     * @throws IllegalArgumentException in one line, for the first problem found
     */
    public static void validate(Configuration conf) {
        Map<String, String> given = new TreeMap<>(conf.toMap());
        Map<String, LearnerEntry> learners = learners(conf);
        Set<String> perModel = new TreeSet<>();
        for (String key : given.keySet()) {
            checkKnown(key, learners.keySet()).ifPresent(perModel::add);
        }
        for (ConfigOption<?> option : options()) {
            if (!isPerModel(option) && conf.contains(option)) {
                parse(conf, option, given.get(option.key()));
            }
        }
        for (Range<?> range : RANGES) {
            range.check(conf);
        }
        String device = conf.get(JobOptions.DEVICE).trim().toLowerCase(Locale.ROOT);
        if (!DEVICE.matcher(device).matches()) {
            throw new IllegalArgumentException(
                    JobOptions.DEVICE.key()
                            + " must be auto, cpu, gpu or gpu:N; got '"
                            + conf.get(JobOptions.DEVICE)
                            + "'");
        }
        if (conf.get(JobOptions.LABELS_FAKE_NEGATIVE_WEIGHTING)
                && conf.get(JobOptions.LABELS_TRAIN_ON) != TrainOn.FAKE_NEGATIVE) {
            throw new IllegalArgumentException(
                    JobOptions.LABELS_FAKE_NEGATIVE_WEIGHTING.key()
                            + " = true needs "
                            + JobOptions.LABELS_TRAIN_ON.key()
                            + " fake-negative; got "
                            + conf.get(JobOptions.LABELS_TRAIN_ON));
        }
        StreamCtrPipeline.models(conf);
        // what the pipeline builds from the options: their own checks run here, on the client
        JobOptions.startingOffsets(conf);
        JobOptions.deliveryGuarantee(conf);
        var trainer = JobOptions.trainerConfig(conf);
        var freshness = JobOptions.freshnessConfig(conf);
        var spec = StreamCtrPipeline.featureSpec(conf);
        JobOptions.exportConfig(conf);
        // the per-model options of models not in ctr.models too: a bad value fails now, not later
        Map<String, LearnerEntry> checked = new java.util.LinkedHashMap<>(learners);
        for (String name : perModel) {
            checked.computeIfAbsent(name, n -> new LearnerEntry(n, n));
        }
        for (LearnerEntry learner : checked.values()) {
            String model = learner.model();
            ModelOverrides overrides = JobOptions.modelOverrides(conf, learner.name());
            overrides.checkFor(model, Learners.isDeep(model));
            JobOptions.modelValue(conf, JobOptions.MODEL_TRAIN, learner.name());
            checkParallelism(conf, learner.name());
            new LearnerConfig(
                    model,
                    spec,
                    overrides.apply(trainer),
                    conf.get(JobOptions.BATCH_SIZE),
                    conf.get(JobOptions.BATCH_TIMEOUT).toMillis(),
                    device,
                    freshness,
                    overrides);
        }
    }

    /** {@code ctr.model.NAME.parallelism}: in [1, 1024]; above 1 only with exactly-once. */
    private static void checkParallelism(Configuration conf, String learner) {
        int p =
                JobOptions.modelValue(conf, JobOptions.MODEL_PARALLELISM, learner)
                        .orElse(JobOptions.MODEL_PARALLELISM.defaultValue());
        String key = JobOptions.modelKey(JobOptions.MODEL_PARALLELISM, learner);
        if (p < 1 || p > 1024) {
            throw new IllegalArgumentException(key + " must be in [1, 1024], got " + p);
        }
        if (p > 1 && JobOptions.deliveryGuarantee(conf) != DeliveryGuarantee.EXACTLY_ONCE) {
            throw new IllegalArgumentException(
                    key
                            + " = "
                            + p
                            + " needs "
                            + JobOptions.DELIVERY_GUARANTEE.key()
                            + " exactly-once: replicas must read only committed deltas");
        }
        if (p > 1 && JobOptions.exportConfig(conf) != null) {
            throw new IllegalArgumentException(
                    key
                            + " = "
                            + p
                            + ": exports (ctr.export.*) of a replicated learner are not"
                            + " supported yet");
        }
        if (p > 1 && conf.get(JobOptions.LABELS_TRAIN_ON) == TrainOn.FAKE_NEGATIVE) {
            throw new IllegalArgumentException(
                    key
                            + " = "
                            + p
                            + ": "
                            + JobOptions.LABELS_TRAIN_ON.key()
                            + " fake-negative is not supported by replicated learners yet"
                            + " (click or window-close are)");
        }
    }

    /**
     * Every public static {@link ConfigOption} of {@link JobOptions}, in declaration order (the
     * per-model ones with {@link JobOptions#MODEL_PLACEHOLDER} in their key).
     */
    public static List<ConfigOption<?>> options() {
        List<ConfigOption<?>> options = new ArrayList<>();
        for (Field field : JobOptions.class.getFields()) {
            int m = field.getModifiers();
            if (Modifier.isStatic(m) && ConfigOption.class.isAssignableFrom(field.getType())) {
                try {
                    options.add((ConfigOption<?>) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return Collections.unmodifiableList(options);
    }

    /** Whether the option is a per-model one ({@code ctr.model.<name>.<key>}). */
    public static boolean isPerModel(ConfigOption<?> option) {
        return option.key().contains(JobOptions.MODEL_PLACEHOLDER);
    }

    /**
     * The learners of {@code ctr.models} by name ({@code NAME=MODEL} entries included); none when
     * the list does not parse (the check of {@code ctr.models} says why).
     */
    private static Map<String, LearnerEntry> learners(Configuration conf) {
        Map<String, LearnerEntry> byName = new java.util.LinkedHashMap<>();
        try {
            for (String entry : StreamCtrPipeline.models(conf)) {
                LearnerEntry learner = LearnerEntry.parse(entry);
                byName.put(learner.name(), learner);
            }
        } catch (IllegalArgumentException e) {
            return Map.of();
        }
        return byName;
    }

    /** Checks that a key is known; the learner name of a per-model key. */
    private static Optional<String> checkKnown(String key, Set<String> learnerNames) {
        if (CHECKED_NAMESPACES.stream().noneMatch(key::startsWith)) {
            return Optional.empty();
        }
        for (String prefix : FREE_PREFIXES) {
            if (key.startsWith(prefix) && key.length() > prefix.length()) {
                return Optional.empty();
            }
        }
        Set<String> plain = new TreeSet<>();
        for (ConfigOption<?> option : options()) {
            if (!isPerModel(option)) {
                plain.add(option.key());
            }
        }
        if (plain.contains(key)) {
            return Optional.empty();
        }
        if (key.startsWith(JobOptions.MODEL_PREFIX)) {
            return Optional.of(checkPerModel(key, learnerNames));
        }
        Set<String> candidates = new TreeSet<>(plain);
        for (ConfigOption<?> option : options()) {
            if (isPerModel(option)) {
                candidates.add(option.key());
            }
        }
        throw new IllegalArgumentException(
                "unknown option '" + key + "'" + suggestion(key, candidates));
    }

    /**
     * A {@code ctr.model.<name>.<key>} key: a registered model or a learner named in {@code
     * ctr.models}, and a per-model key; the name.
     */
    private static String checkPerModel(String key, Set<String> learnerNames) {
        String rest = key.substring(JobOptions.MODEL_PREFIX.length());
        String model = null;
        Set<String> names = new TreeSet<>(Learners.names());
        names.addAll(learnerNames);
        for (String name : names) {
            if (rest.startsWith(name + ".") && (model == null || name.length() > model.length())) {
                model = name;
            }
        }
        Set<String> suffixes = new TreeSet<>();
        for (ConfigOption<?> option : options()) {
            if (isPerModel(option)) {
                suffixes.add(
                        JobOptions.modelKey(option, "")
                                .substring(JobOptions.MODEL_PREFIX.length() + 1));
            }
        }
        if (model == null) {
            int dot = rest.lastIndexOf('.');
            String name = dot < 0 ? rest : rest.substring(0, dot);
            throw new IllegalArgumentException(
                    "unknown model '"
                            + name
                            + "' in option '"
                            + key
                            + "'"
                            + suggestion(name, Learners.names())
                            + "; known models: "
                            + String.join(", ", Learners.names()));
        }
        String suffix = rest.substring(model.length() + 1);
        if (!suffixes.contains(suffix)) {
            Set<String> keys = new TreeSet<>();
            for (String s : suffixes) {
                keys.add(JobOptions.MODEL_PREFIX + model + "." + s);
            }
            throw new IllegalArgumentException(
                    "unknown option '"
                            + key
                            + "'"
                            + suggestion(key, keys)
                            + "; per-model keys: "
                            + String.join(", ", suffixes));
        }
        return model;
    }

    private static String suggestion(String key, Set<String> candidates) {
        Optional<String> closest = ClosestKey.among(key, candidates);
        return closest.map(c -> "; did you mean '" + c + "'?").orElse("");
    }

    private static void parse(Configuration conf, ConfigOption<?> option, String raw) {
        try {
            conf.get(option);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    option.key()
                            + ": cannot parse '"
                            + raw
                            + "' ("
                            + JobOptions.rootMessage(e)
                            + ")",
                    e);
        }
    }

    private static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    /** A range check of one option, applied when the configuration sets it or to its default. */
    private record Range<T>(ConfigOption<T> option, Predicate<T> ok, String expected) {

        void check(Configuration conf) {
            T value = conf.get(option);
            if (value != null && !ok.test(value)) {
                throw new IllegalArgumentException(
                        option.key()
                                + " must be "
                                + expected
                                + ", got "
                                + conf.toMap().get(option.key()));
            }
        }
    }
}
