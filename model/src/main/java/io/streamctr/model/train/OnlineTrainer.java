package io.streamctr.model.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.streamctr.model.blocks.HashedEmbedding;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.runtime.DjlRuntime;
import io.streamctr.model.runtime.ScalarOps;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Trains one model online, prequentially: {@link #predict} scores a batch in inference mode, then
 * {@link #train} makes one step on its labelled rows (forward, binary cross-entropy with logits,
 * backward, {@link AdamOptimizer}: lazy on embedding tables, so a step touches only the rows its
 * batch used). A training step embeds from a copy of those rows ({@link TouchedRows}), so its
 * embedding gradient is [U, D], not the whole table's. The training step is the model version.
 *
 * <p>Gradients use PyTorch's per-thread grad mode and backward directly rather than DJL's
 * {@code GradientCollector}, which allows one collector per JVM; so several trainers (models, or
 * parallel learners) can train side by side in one JVM, each on its own thread.
 *
 * <p>Every array a batch makes is closed with that batch's {@link NDScope}; parameters and Adam's
 * moments live in the trainer's manager. {@link #snapshot()} / {@link #restore(byte[])} carry
 * parameters, moments, the step and counters, so a restored trainer continues bit for bit.
 *
 * <p>A block that implements {@link ArchitectureSearch} (OptFusion) trains in two stages: during
 * {@link TrainingStage#SEARCH} its architecture parameters have their own Adam (own learning rate,
 * no weight decay) and step on the same mini-batch as the weights; after the schedule's number of
 * labelled events the architecture is frozen and training continues in
 * {@link TrainingStage#RETRAIN} (weights warm-started or re-initialized). The step, the model
 * version, continues across the switch. Such a trainer's snapshot also carries the stage, the
 * searched events, the frozen architecture and the architecture optimizer's moments
 * ({@link TrainerSnapshot}, which reads every format a trainer ever wrote).
 *
 * <p>Not thread-safe: one trainer is driven by one thread.
 */
public final class OnlineTrainer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OnlineTrainer.class);
    /** Initialization seeds the engine-wide generator: serialize it across trainers. */
    private static final Object INIT_LOCK = new Object();

    private final String modelName;
    private final Block block;
    private final FeatureSpec spec;
    private final TrainerConfig config;
    private final NDManager manager;
    private final List<Parameter> parameters = new ArrayList<>();
    private final List<Parameter> weights = new ArrayList<>();
    private final boolean[] weightIsEmbedding;
    private final List<Parameter> embeddingTables = new ArrayList<>();
    private AdamOptimizer optimizer;
    private final ArchitectureSearch search;
    private final AdamOptimizer architectureOptimizer;
    private long step;
    private long skippedSteps;
    private TrainingStage stage;
    private long searchedEvents;
    /** The weights' Adam counts its steps from here (the switch, when the weights were re-initialized). */
    private long weightStepOffset;
    /** Runs between the forward and the backward pass of a training step; tests put the collector to work here. */
    private Runnable beforeBackward = () -> { };
    private boolean denseEmbeddingGradients;

    public OnlineTrainer(String modelName, Block block, FeatureSpec spec, TrainerConfig config, Device device) {
        this.modelName = modelName;
        this.block = block;
        this.spec = spec;
        this.config = config;
        Engine engine = DjlRuntime.engine();
        this.manager = engine.newBaseManager(device);
        synchronized (INIT_LOCK) {
            engine.setRandomSeed((int) config.seed());
            block.initialize(manager, DataType.FLOAT32, FeatureBatch.inputShapes(spec, 1));
        }
        this.search = block instanceof ArchitectureSearch s ? s : null;
        List<Parameter> architecture = search == null ? List.of() : search.architectureParameters();
        List<Boolean> embeddingFlags = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            parameters.add(p.getValue());
            p.getValue().getArray().setRequiresGradient(true);
            if (!containsIdentity(architecture, p.getValue())) {
                weights.add(p.getValue());
                embeddingFlags.add(p.getKey().endsWith(HashedEmbedding.PARAMETER_NAME));
            }
        }
        this.weightIsEmbedding = new boolean[weights.size()];
        for (int i = 0; i < weights.size(); i++) {
            weightIsEmbedding[i] = embeddingFlags.get(i);
            if (weightIsEmbedding[i]) {
                embeddingTables.add(weights.get(i));
            }
        }
        this.optimizer = new AdamOptimizer(weights, weightIsEmbedding, config, manager);
        if (search == null) {
            this.architectureOptimizer = null;
            this.stage = TrainingStage.FIXED;
        } else {
            float lr = search.searchSchedule().architectureLearningRate();
            TrainerConfig arch = new TrainerConfig(lr, lr, 0f, 0f, config.beta1(), config.beta2(), config.epsilon(), config.seed());
            this.architectureOptimizer = new AdamOptimizer(architecture, new boolean[architecture.size()], arch, manager);
            this.stage = search.isArchitectureFrozen() ? TrainingStage.RETRAIN : TrainingStage.SEARCH;
            if (stage == TrainingStage.SEARCH && search.searchSchedule().searchEvents() == 0) {
                endSearch();
            }
        }
    }

    private static boolean containsIdentity(List<Parameter> list, Parameter p) {
        for (Parameter q : list) {
            if (q == p) {
                return true;
            }
        }
        return false;
    }

    /** {@link TrainingStage#FIXED} for a plain model; SEARCH, then RETRAIN, for an architecture search. */
    public TrainingStage stage() {
        return stage;
    }

    /** Labelled events trained on during the search stage (0 for a plain model). */
    public long searchedEvents() {
        return searchedEvents;
    }

    /** The model block this trainer trains. */
    public Block block() {
        return block;
    }

    /**
     * Ends the search now: freezes the architecture, re-initializes the weights unless the schedule
     * warm-starts, and moves to {@link TrainingStage#RETRAIN}. Called by {@link #train} when the
     * search budget is spent. Returns false (and does nothing) when not searching.
     */
    public boolean endSearch() {
        if (stage != TrainingStage.SEARCH) {
            return false;
        }
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            architectureOptimizer.zeroGradients();
            search.freezeArchitecture();
            if (!search.searchSchedule().warmStart()) {
                reinitializeWeights();
            }
            stage = TrainingStage.RETRAIN;
            LOG.info("model '{}' froze its architecture after {} searched events (step {}): {}",
                    modelName, searchedEvents, step, search.architectureJson());
            return true;
        } finally {
            JniUtils.setGradMode(previous);
        }
    }

    /** Fresh values from each weight's own initializer (a seed derived from the config's), fresh Adam moments. */
    private void reinitializeWeights() {
        Engine engine = DjlRuntime.engine();
        synchronized (INIT_LOCK) {
            engine.setRandomSeed((int) (config.seed() + 1));
            for (Parameter p : weights) {
                NDArray w = p.getArray();
                try (NDArray fresh = p.getInitializer().initialize(manager, w.getShape(), DataType.FLOAT32)) {
                    AdamOptimizer.copyInto(fresh, w);
                }
            }
        }
        for (NDArray moment : optimizer.state()) {
            moment.close();
        }
        optimizer = new AdamOptimizer(weights, weightIsEmbedding, config, manager);
        weightStepOffset = step;
    }

    public String modelName() {
        return modelName;
    }

    /** The training step: how many updates the model has had (its version). */
    public long step() {
        return step;
    }

    /**
     * For tests: embed from the whole tables in training too (a dense [R, D] gradient per lookup),
     * the reference that {@link TouchedRows} must reproduce.
     */
    void denseEmbeddingGradients(boolean dense) {
        this.denseEmbeddingGradients = dense;
    }

    /** For tests: work to run between each training step's forward and backward pass. */
    void beforeBackward(Runnable work) {
        this.beforeBackward = Objects.requireNonNull(work);
    }

    /** Steps skipped because the loss or a gradient was not finite. */
    public long skippedSteps() {
        return skippedSteps;
    }

    public FeatureSpec spec() {
        return spec;
    }

    public Device device() {
        return manager.getDevice();
    }

    /** Click probabilities [B] of the batch, in inference mode (no gradient, no update). */
    public float[] predict(FeatureBatch batch) {
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDScope ignored = new NDScope(); NDManager batchManager = manager.newSubManager()) {
            NDArray logits = forward(batch, batchManager, false);
            return Activation.sigmoid(logits).toFloatArray();
        } finally {
            JniUtils.setGradMode(previous);
        }
    }

    /**
     * One optimizer step on the batch's labelled rows (unlabelled rows are masked out of the
     * loss). A non-finite loss skips the update and is counted; the step does not advance.
     */
    public TrainResult train(FeatureBatch batch) {
        TrainResult result = trainStep(batch);
        // outside the batch's scope: the switch may create long-lived arrays (fresh weights, moments)
        if (stage == TrainingStage.SEARCH && searchedEvents >= search.searchSchedule().searchEvents()) {
            endSearch();
        }
        return result;
    }

    private TrainResult trainStep(FeatureBatch batch) {
        int labelled = batch.labelledCount();
        if (labelled == 0) {
            return new TrainResult(step, Float.NaN, 0, true);
        }
        boolean previous = JniUtils.isGradMode();
        try (NDScope ignored = new NDScope(); NDManager batchManager = manager.newSubManager()) {
            TouchedRows touched = touchedRows(batch, batchManager);
            JniUtils.setGradMode(true);
            NDArray logits = forward(batch, batchManager, touched); // [B]
            NDArray y = batch.labels(batchManager); // [B]
            NDArray mask = batch.labelMask(batchManager); // [B]
            NDArray loss = bceWithLogits(logits, y, mask, labelled);
            float lossValue = loss.getFloat();
            if (!Float.isFinite(lossValue)) {
                JniUtils.setGradMode(false);
                optimizer.zeroGradients();
                if (stage == TrainingStage.SEARCH) {
                    architectureOptimizer.zeroGradients();
                }
                skippedSteps++;
                return new TrainResult(step, lossValue, labelled, true);
            }
            beforeBackward.run();
            JniUtils.backward((PtNDArray) loss, (PtNDArray) batchManager.ones(loss.getShape()), false, false);
            JniUtils.setGradMode(false);
            boolean searching = stage == TrainingStage.SEARCH;
            if (nonFiniteGradient(touched)) {
                String report = (optimizer.nonFiniteGradientReport(touched)
                        + (searching ? " " + architectureOptimizer.nonFiniteGradientReport(null) : "")).strip();
                optimizer.zeroGradients();
                if (searching) {
                    architectureOptimizer.zeroGradients();
                }
                boolean repeats = nonFiniteAgain(batch, batchManager);
                skippedSteps++;
                LOG.warn("model '{}': non-finite gradient with loss {} at step {} ({}); a second pass over the same batch {}; "
                        + "step skipped ({} skipped so far)", modelName, lossValue, step, report,
                        repeats ? "gives it again" : "is finite", skippedSteps);
                return new TrainResult(step, lossValue, labelled, true);
            }
            step++;
            optimizer.update(step - weightStepOffset, touched);
            if (stage == TrainingStage.SEARCH) {
                architectureOptimizer.update(step);
                searchedEvents += labelled;
            }
            return new TrainResult(step, lossValue, labelled, false);
        } finally {
            JniUtils.setGradMode(previous);
        }
    }

    /**
     * Runs forward and backward once more on a batch whose gradient was not finite and says whether
     * it is again (a deterministic cause in the data or the model) or not (a transient fault);
     * leaves the gradients zeroed.
     */
    private boolean nonFiniteAgain(FeatureBatch batch, NDManager batchManager) {
        TouchedRows touched = touchedRows(batch, batchManager);
        JniUtils.setGradMode(true);
        NDArray logits = forward(batch, batchManager, touched); // [B]
        NDArray loss = bceWithLogits(logits, batch.labels(batchManager), batch.labelMask(batchManager), batch.labelledCount());
        JniUtils.backward((PtNDArray) loss, (PtNDArray) batchManager.ones(loss.getShape()), false, false);
        JniUtils.setGradMode(false);
        boolean again = nonFiniteGradient(touched);
        optimizer.zeroGradients();
        if (stage == TrainingStage.SEARCH) {
            architectureOptimizer.zeroGradients();
        }
        return again;
    }

    /** Whether a weight gradient (embedding tables: the touched rows) or, while searching, an α/β gradient is not finite. */
    private boolean nonFiniteGradient(TouchedRows touched) {
        return optimizer.hasNonFiniteGradient(touched)
                || stage == TrainingStage.SEARCH && architectureOptimizer.hasNonFiniteGradient(null);
    }

    /** Mean binary cross-entropy with logits over the masked rows, stable form: max(x, 0) - x*y + log(1 + exp(-|x|)). */
    private static NDArray bceWithLogits(NDArray logits, NDArray y, NDArray mask, int labelled) {
        NDArray perRow = ScalarOps.maximum(logits, 0f).sub(logits.mul(y)).add(logits.abs().neg().exp().add(1f).log()); // [B]
        return ScalarOps.div(perRow.mul(mask).sum(), (float) labelled);
    }

    /** Inference: the whole tables, the batch's own ids. */
    private NDArray forward(FeatureBatch batch, NDManager batchManager, boolean training) {
        NDList inputs = batch.toNDList(batchManager);
        ParameterStore ps = new ParameterStore(batchManager, false);
        return block.forward(ps, inputs, training).singletonOrThrow();
    }

    /** Training: the step's copies of the touched rows and ids relative to them (the whole tables when null). */
    private NDArray forward(FeatureBatch batch, NDManager batchManager, TouchedRows touched) {
        if (!touched.copied()) {
            return forward(batch, batchManager, true);
        }
        NDList inputs = batch.toNDList(batchManager, touched.rows());
        return block.forward(touched.parameterStore(batchManager), inputs, true).singletonOrThrow();
    }

    /** The rows the batch touches with a copy of them per embedding table (none under {@link #denseEmbeddingGradients}). */
    private TouchedRows touchedRows(FeatureBatch batch, NDManager batchManager) {
        long[] rows = batch.distinctRows();
        return denseEmbeddingGradients ? TouchedRows.wholeTables(rows, batchManager)
                : TouchedRows.copies(rows, embeddingTables, batchManager);
    }

    /** Parameters, Adam moments, step and counters as bytes (Flink operator state; {@link TrainerSnapshot}). */
    public byte[] snapshot() {
        NDList arrays = new NDList();
        for (Parameter p : parameters) {
            arrays.add(p.getArray());
        }
        arrays.addAll(optimizer.state());
        if (architectureOptimizer != null) {
            arrays.addAll(architectureOptimizer.state());
        }
        TrainerSnapshot.SearchState searchState = search == null ? null
                : new TrainerSnapshot.SearchState(stage, searchedEvents, weightStepOffset, search.architectureState());
        return new TrainerSnapshot(modelName, step, skippedSteps, searchState, arrays.encode()).toBytes();
    }

    /** Restores what {@link #snapshot()} wrote, in any format it ever wrote; the model must have the same architecture. */
    public void restore(byte[] bytes) {
        TrainerSnapshot saved = TrainerSnapshot.fromBytes(bytes);
        if (!saved.modelName().equals(modelName)) {
            throw new IllegalArgumentException("snapshot is of model '" + saved.modelName() + "', not '" + modelName + "'");
        }
        if ((saved.search() != null) != (search != null)) {
            throw new IllegalArgumentException("snapshot format " + saved.format() + " is of a model " + (saved.search() != null
                    ? "with" : "without") + " architecture search; model '" + modelName + "' is " + (saved.search() != null
                    ? "without" : "with") + " one");
        }
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager restoreManager = manager.newSubManager()) {
            NDList arrays = NDList.decode(restoreManager, saved.arrays());
            int n = parameters.size();
            int w = weights.size();
            int a = n - w;
            if (arrays.size() != n + 2 * w + 2 * a) {
                throw new IllegalArgumentException("snapshot holds " + arrays.size() + " arrays; model '" + modelName
                        + "' needs " + (n + 2 * w + 2 * a) + " (parameters + Adam moments): was it saved by another architecture?");
            }
            for (int i = 0; i < n; i++) {
                AdamOptimizer.copyInto(arrays.get(i), parameters.get(i).getArray());
            }
            optimizer.load(new NDList(arrays.subList(n, n + 2 * w)));
            if (architectureOptimizer != null) {
                architectureOptimizer.load(new NDList(arrays.subList(n + 2 * w, arrays.size())));
                search.restoreArchitectureState(saved.search().architecture());
                stage = saved.search().stage();
                searchedEvents = saved.search().searchedEvents();
                weightStepOffset = saved.search().weightStepOffset();
            }
            step = saved.step();
            skippedSteps = saved.skippedSteps();
        } finally {
            JniUtils.setGradMode(previous);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
