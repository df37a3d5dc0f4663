package io.streamctr.bench;

import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureEncoder;
import io.streamctr.model.train.OnlineTrainer;
import io.streamctr.model.train.TrainingStep;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a training step's time goes by libtorch operator: libtorch's own profiler records each of a
 * few steps (the learner's one-pass step: forward, loss, backward, update) into a trace file; the
 * steps run the same operators in the same order, so for each position the <em>minimum</em> self
 * time over the steps is kept. A step preempted by another process on a shared machine then drops
 * out, op by op, and what is left is about the step's time on an idle core (plus the profiler's own
 * cost per operator, a few microseconds).
 *
 * <p>The step is split at libtorch's autograd engine: forward (and loss) before its first operator,
 * backward to its last, the update after it (optimizer, gradient checks, zeroing). The matrix
 * products ({@link #MATMUL_OPS}) are counted apart: on a CPU they run near the core's peak rate, so
 * their time is the floor of a step whose FLOPs are mostly matrix products, and {@code batch /
 * matmul time} the rate no other saving can pass.
 */
public final class OpProfile {

    /** libtorch operators counted as matrix products. */
    public static final Set<String> MATMUL_OPS =
            Set.of(
                    "aten::mm",
                    "aten::addmm",
                    "aten::bmm",
                    "aten::baddbmm",
                    "aten::mv",
                    "aten::addmv",
                    "aten::dot");

    private static final String AUTOGRAD_PREFIX = "autograd::engine::evaluate_function";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Milliseconds per step, each part's minimum over the profiled steps.
     *
     * @param steps the profiled steps summarised (those that ran the most common sequence of
     *     operators)
     * @param forward [total, matmul] of the forward and loss
     * @param backward [total, matmul] of the backward pass
     * @param update [total, matmul] after the backward pass
     * @param others the other operators' time over the whole step, longest first
     */
    public record Summary(
            int steps,
            double[] forward,
            double[] backward,
            double[] update,
            Map<String, Double> others) {

        public double totalMs() {
            return forward[0] + backward[0] + update[0];
        }

        public double matmulMs() {
            return forward[1] + backward[1] + update[1];
        }

        /** The rate if everything but the matrix products took no time. */
        public double matmulCeilingEventsPerSecond(int batch) {
            return batch * 1000.0 / matmulMs();
        }
    }

    private OpProfile() {}

    /**
     * Profiles {@code steps} training steps of the trainer on the cursor's next batches (they train
     * the model), writing one trace per step into {@code dir} as {@code step-N.json}.
     */
    public static Summary record(
            OnlineTrainer trainer,
            FeatureEncoder encoder,
            BatchCursor cursor,
            int steps,
            Path dir) {
        if (steps < 2) {
            throw new IllegalArgumentException("an op profile needs >= 2 steps, got " + steps);
        }
        List<Path> traces = new ArrayList<>();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        for (int i = 0; i < steps; i++) {
            FeatureBatch batch = encoder.encode(cursor.next());
            Path trace = dir.resolve("step-" + i + ".json");
            JniUtils.startProfile(false, false, false);
            try (TrainingStep step = trainer.forward(batch)) {
                step.finish();
            } finally {
                JniUtils.stopProfile(trace.toString());
            }
            traces.add(trace);
        }
        return summarise(traces);
    }

    /**
     * The summary of traces of training steps (libtorch's trace format). Steps can run different
     * operators (a batch without some input, a first step that initialises); the largest group of
     * steps whose operator sequences are identical is summarised, and it must hold at least two.
     */
    public static Summary summarise(List<Path> traces) {
        Map<List<String>, List<List<Op>>> groups = new LinkedHashMap<>();
        for (Path t : traces) {
            List<Op> run = read(t);
            groups.computeIfAbsent(run.stream().map(Op::name).toList(), k -> new ArrayList<>())
                    .add(run);
        }
        List<List<Op>> runs =
                groups.values().stream().max(Comparator.comparingInt(List::size)).orElseThrow();
        if (runs.size() < 2) {
            throw new IllegalStateException(
                    "the "
                            + traces.size()
                            + " profiled steps ran different operators (no two alike; e.g. "
                            + traces.get(0)
                            + "): profile more steps");
        }
        List<Op> first = runs.get(0);
        double[] minimum = new double[first.size()];
        java.util.Arrays.fill(minimum, Double.MAX_VALUE);
        for (List<Op> run : runs) {
            for (int i = 0; i < run.size(); i++) {
                minimum[i] = Math.min(minimum[i], run.get(i).selfMicros());
            }
        }
        int backwardStart = first.size();
        double backwardEnd = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < first.size(); i++) {
            Op op = first.get(i);
            if (op.name().startsWith(AUTOGRAD_PREFIX)) {
                backwardStart = Math.min(backwardStart, i);
                backwardEnd = Math.max(backwardEnd, op.end());
            }
        }
        double[][] parts = new double[3][2];
        Map<String, Double> others = new HashMap<>();
        for (int i = 0; i < first.size(); i++) {
            Op op = first.get(i);
            int part = i < backwardStart ? 0 : op.start() < backwardEnd ? 1 : 2;
            double ms = minimum[i] / 1000.0;
            parts[part][0] += ms;
            if (MATMUL_OPS.contains(op.name())) {
                parts[part][1] += ms;
            } else {
                others.merge(op.name(), ms, Double::sum);
            }
        }
        Map<String, Double> sorted = new LinkedHashMap<>();
        others.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return new Summary(runs.size(), parts[0], parts[1], parts[2], sorted);
    }

    /** One operator of a trace: start, duration and self time in microseconds. */
    record Op(String name, double start, double duration, double selfMicros) {
        double end() {
            return start + duration;
        }
    }

    /** The trace's complete events in start order (outer first), with their self times. */
    static List<Op> read(Path trace) {
        JsonNode root;
        try {
            root = JSON.readTree(trace.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the trace " + trace, e);
        }
        JsonNode events = root.isArray() ? root : root.path("traceEvents");
        List<JsonNode> complete = new ArrayList<>();
        for (JsonNode e : events) {
            if ("X".equals(e.path("ph").asText()) && e.has("dur")) {
                complete.add(e);
            }
        }
        complete.sort(
                Comparator.<JsonNode>comparingDouble(e -> e.path("tid").asDouble())
                        .thenComparingDouble(e -> e.path("ts").asDouble())
                        .thenComparing(
                                Comparator.<JsonNode>comparingDouble(e -> e.path("dur").asDouble())
                                        .reversed()));
        double[] self = new double[complete.size()];
        Deque<Integer> open = new ArrayDeque<>();
        for (int i = 0; i < complete.size(); i++) {
            JsonNode e = complete.get(i);
            double ts = e.path("ts").asDouble();
            String tid = e.path("tid").asText();
            while (!open.isEmpty()) {
                JsonNode top = complete.get(open.peek());
                boolean sameThread = top.path("tid").asText().equals(tid);
                if (sameThread && top.path("ts").asDouble() + top.path("dur").asDouble() > ts) {
                    break;
                }
                open.pop();
            }
            self[i] = e.path("dur").asDouble();
            if (!open.isEmpty()) {
                self[open.peek()] -= self[i];
            }
            open.push(i);
        }
        List<Op> ops = new ArrayList<>(complete.size());
        for (int i = 0; i < complete.size(); i++) {
            JsonNode e = complete.get(i);
            double ts = e.path("ts").asDouble();
            ops.add(
                    new Op(
                            e.path("name").asText(),
                            ts,
                            e.path("dur").asDouble(),
                            Math.max(0, self[i])));
        }
        return ops;
    }
}
