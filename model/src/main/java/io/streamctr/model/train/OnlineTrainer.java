package io.streamctr.model.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.runtime.DjlRuntime;
import io.streamctr.model.runtime.ScalarOps;
import java.util.Objects;

/**
 * Trains one model online, prequentially: {@link #predict} scores a batch in inference mode, then
 * {@link #train} makes one step on its labelled rows (forward, binary cross-entropy with logits,
 * backward, {@link AdamOptimizer}: Adam on the dense parameters, the {@link EmbeddingOptimizer} on
 * the embedding tables, lazy, so a step touches only the rows its batch used). With a base-rate
 * half-life the logit of the running click rate ({@link BaseRate}) is added to the model's output,
 * in scoring and in the loss, so the model learns the residual. A training step embeds from a copy
 * of those rows ({@link TouchedRows}), so its embedding gradient is [U, D], not the whole table's.
 * The training step is the model version. {@link #forward} splits a step at its forward pass so
 * that one forward both scores the batch (the weights are not updated yet) and trains on it, where
 * the block's forward does not depend on the mode ({@link TrainModeForward}; issue 18).
 *
 * <p>Gradients use PyTorch's per-thread grad mode and backward directly rather than DJL's {@code
 * GradientCollector}, which allows one collector per JVM; so several trainers (models, or parallel
 * learners) can train side by side in one JVM, each on its own thread.
 *
 * <p>Every array a batch makes is closed with that batch's {@link NDScope}; parameters and Adam's
 * moments live in the trainer's manager. {@link #snapshot()} / {@link #restore(byte[])} carry
 * parameters, moments, the step and counters, so a restored trainer continues bit for bit.
 *
 * <p>A block that implements {@link ArchitectureSearch} (OptFusion) trains in two stages, SEARCH
 * then RETRAIN ({@link ArchitectureSearchStage}); the step, the model version, continues across the
 * switch. A step whose loss or gradient is not finite is skipped and counted ({@link
 * NonFiniteGuard}). The snapshot's bytes are {@link TrainerSnapshot}'s. Not thread-safe: one
 * trainer, one thread.
 */
public final class OnlineTrainer implements AutoCloseable {

    /** Initialization seeds the engine-wide generator: serialize it across trainers. */
    static final Object INIT_LOCK = new Object();

    private final String modelName;
    private final Block block;
    private final FeatureSpec spec;
    private final TrainerConfig config;
    private final NDManager manager;
    private final ModelParameters parameters;

    /** The weights' Adam (not the architecture parameters'). */
    private final AdamOptimizer optimizer;

    private final ArchitectureSearchStage searchStage;
    private final NonFiniteGuard guard;

    /** The running click rate added to the output; null for none. */
    private final BaseRate baseRate;

    private long step;
    private long skippedSteps;

    /**
     * Runs between the forward and the backward pass of a training step; tests put the collector to
     * work here.
     */
    private Runnable beforeBackward = () -> {};

    private boolean denseEmbeddingGradients;

    /** Whether the block's training forward computes what its inference forward does. */
    private final boolean onePassExact;

    private boolean onePass = true;

    /** Whether AdaGrad and FTRL rows accumulate per-event squared gradients. */
    private boolean perEventSquares;

    public OnlineTrainer(
            String modelName, Block block, FeatureSpec spec, TrainerConfig config, Device device) {
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
        this.searchStage = ArchitectureSearchStage.of(modelName, block, config, manager);
        this.parameters = new ModelParameters(block, searchStage.parameters());
        this.optimizer =
                new AdamOptimizer(
                        parameters.weights, parameters.weightIsEmbedding, config, manager);
        this.guard = new NonFiniteGuard(modelName, optimizer, searchStage);
        this.baseRate =
                config.baseRateHalfLife() > 0 ? new BaseRate(config.baseRateHalfLife()) : null;
        this.perEventSquares = config.perEventSquares();
        this.onePassExact = TrainModeForward.sameInBothModes(block);
        if (searchStage.budgetSpent()) { // a search of 0 events
            endSearch();
        }
    }

    /**
     * {@link TrainingStage#FIXED} for a plain model; SEARCH, then RETRAIN, for an architecture
     * search.
     */
    public TrainingStage stage() {
        return searchStage.stage();
    }

    /** Labelled events trained on during the search stage (0 for a plain model). */
    public long searchedEvents() {
        return searchStage.searchedEvents();
    }

    /**
     * Ends the search now: freezes the architecture, re-initializes the weights unless the schedule
     * warm-starts, and moves to {@link TrainingStage#RETRAIN}. Called by {@link #train} when the
     * search budget is spent. Returns false (and does nothing) when not searching.
     */
    public boolean endSearch() {
        return searchStage.end(step, parameters.weights, optimizer);
    }

    /** The model block this trainer trains. */
    public Block block() {
        return block;
    }

    public String modelName() {
        return modelName;
    }

    /** The training step: how many updates the model has had (its version). */
    public long step() {
        return step;
    }

    /** Steps skipped because the loss or a gradient was not finite. */
    public long skippedSteps() {
        return skippedSteps;
    }

    public FeatureSpec spec() {
        return spec;
    }

    /** The hyper-parameters this trainer was built with. */
    public TrainerConfig config() {
        return config;
    }

    public Device device() {
        return manager.getDevice();
    }

    /**
     * For tests: embed from the whole tables in training too (a dense [R, D] gradient per lookup),
     * the reference that {@link TouchedRows} must reproduce.
     */
    void denseEmbeddingGradients(boolean dense) {
        this.denseEmbeddingGradients = dense;
    }

    /**
     * For tests: overrides {@link TrainerConfig#perEventSquares()}; with false, AdaGrad and FTRL
     * rows accumulate the square of the batch's summed gradient of a row, as if the batch were one
     * event.
     */
    public void perEventSquares(boolean perEvent) {
        this.perEventSquares = perEvent;
    }

    /** For tests: work to run between each training step's forward and backward pass. */
    void beforeBackward(Runnable work) {
        this.beforeBackward = Objects.requireNonNull(work);
    }

    /** Click probabilities [B] of the batch, in inference mode (no gradient, no update). */
    public float[] predict(FeatureBatch batch) {
        return probabilities(predictLogits(batch), baseRateOffsets(batch));
    }

    /** Click probabilities σ(logit + offset) [B], computed in double. */
    public static float[] probabilities(float[] logits, float[] base) {
        float[] p = new float[logits.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (1 / (1 + Math.exp(-((double) logits[i] + base[i]))));
        }
        return p;
    }

    /**
     * The model's own logits [B] of the batch in inference mode (no gradient, no update), without
     * the base-rate offsets ({@link #baseRateOffsets}): the click probability is σ(logit + offset).
     */
    public float[] predictLogits(FeatureBatch batch) {
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDScope ignored = new NDScope();
                NDManager batchManager = manager.newSubManager()) {
            NDList inputs = batch.toNDList(batchManager);
            return block.forward(new ParameterStore(batchManager, false), inputs, false)
                    .singletonOrThrow()
                    .toFloatArray();
        } finally {
            JniUtils.setGradMode(previous);
        }
    }

    /**
     * The logit of the running click rate [B] that this trainer adds to the model's logit for each
     * row of the batch (the rate before the batch's labels); zeros without a base rate.
     */
    public float[] baseRateOffsets(FeatureBatch batch) {
        return baseRate == null ? new float[batch.size()] : baseRate.offsets(batch);
    }

    /**
     * One optimizer step on the batch's labelled rows (unlabelled rows are masked out of the loss).
     * A non-finite loss or gradient skips the update and is counted; the step does not advance.
     */
    public TrainResult train(FeatureBatch batch) {
        return afterStep(batch, trainStep(batch));
    }

    /**
     * Whether a training forward computes the logits an inference forward ({@link #predictLogits})
     * would, so that one forward can both score a batch and train on it ({@link #forward}): false
     * when the block holds a block whose forward depends on the mode ({@link TrainModeForward}).
     * None of the registered models does (issue 18).
     */
    public boolean onePassExact() {
        return onePassExact;
    }

    /**
     * For tests and benchmarks: with false, {@link #forward} scores with a separate inference pass
     * and trains with a second forward, as before issue 18, even where one pass is exact.
     */
    public void onePass(boolean onePass) {
        this.onePass = onePass;
    }

    /**
     * The first half of a training step that also scores the batch: one forward in training mode
     * whose logits ({@link TrainingStep#logits()}) are the batch's prequential logits, the weights
     * not yet updated; {@link TrainingStep#finish()} then builds the loss with the offsets and
     * logit scales set on the batch by then, backpropagates and updates. Where one pass is not
     * exact ({@link #onePassExact()}), or the batch has no labelled row, the logits come from an
     * inference forward and {@code finish()} trains as {@link #train} does. Close the step (after
     * {@code finish()}, or instead of it to train nothing) on this thread, with no other array work
     * of this trainer in between.
     */
    public TrainingStep forward(FeatureBatch batch) {
        if (!onePass || !onePassExact || batch.labelledCount() == 0) {
            return new TrainingStep(this, batch, predictLogits(batch));
        }
        boolean previous = JniUtils.isGradMode();
        NDScope scope = new NDScope();
        NDManager batchManager = manager.newSubManager();
        try {
            TouchedRows touched = touchedRows(batch, batchManager);
            JniUtils.setGradMode(true);
            NDArray own = ownLogits(batch, batchManager, touched); // [B]
            float[] logits = own.toFloatArray();
            return new TrainingStep(this, batch, logits, scope, batchManager, touched, own);
        } catch (RuntimeException | Error e) {
            batchManager.close();
            scope.close();
            throw e;
        } finally {
            JniUtils.setGradMode(previous);
        }
    }

    /** What a training step does after its update: the base rate observes, the search may end. */
    TrainResult afterStep(FeatureBatch batch, TrainResult result) {
        if (baseRate != null) {
            baseRate.observe(
                    batch); // after the step, whose loss used the rates before the batch's labels
        }
        // outside the batch's scope: the switch may create long-lived arrays (fresh weights,
        // moments)
        if (searchStage.budgetSpent()) {
            endSearch();
        }
        return result;
    }

    /** A whole training step: its own forward, then {@link #update}. */
    TrainResult trainStep(FeatureBatch batch) {
        if (batch.labelledCount() == 0) {
            return new TrainResult(step, Float.NaN, 0, true);
        }
        boolean previous = JniUtils.isGradMode();
        try (NDScope ignored = new NDScope();
                NDManager batchManager = manager.newSubManager()) {
            TouchedRows touched = touchedRows(batch, batchManager);
            JniUtils.setGradMode(true);
            return update(batch, batchManager, touched, ownLogits(batch, batchManager, touched));
        } finally {
            JniUtils.setGradMode(previous);
        }
    }

    /**
     * The rest of a training step after its forward ({@code own}, the block's logits [B] with their
     * graph, from the copies in {@code touched}): loss, backward, the non-finite guard and the
     * update. Grad mode is on when called; it may be off on return.
     */
    TrainResult update(
            FeatureBatch batch, NDManager batchManager, TouchedRows touched, NDArray own) {
        int labelled = batch.labelledCount();
        NDArray loss = loss(own, batch, batchManager);
        float lossValue = loss.getFloat();
        if (!Float.isFinite(lossValue)) {
            JniUtils.setGradMode(false);
            guard.zeroGradients();
            skippedSteps++;
            return new TrainResult(step, lossValue, labelled, true);
        }
        beforeBackward.run();
        backward(loss, batchManager);
        if (guard.nonFinite(touched)) {
            guard.skip(
                    touched,
                    lossValue,
                    step,
                    ++skippedSteps,
                    () -> backwardAgain(batch, batchManager));
            return new TrainResult(step, lossValue, labelled, true);
        }
        step++;
        optimizer.update(step - searchStage.weightStepOffset(), touched, labelled);
        searchStage.stepped(step, labelled);
        return new TrainResult(step, lossValue, labelled, false);
    }

    /**
     * The gradients of a second pass over the batch (for {@link NonFiniteGuard#skip}); returns its
     * touched rows.
     */
    private TouchedRows backwardAgain(FeatureBatch batch, NDManager batchManager) {
        TouchedRows touched = touchedRows(batch, batchManager);
        JniUtils.setGradMode(true);
        backward(loss(ownLogits(batch, batchManager, touched), batch, batchManager), batchManager);
        return touched;
    }

    /** Backpropagates the loss, then leaves grad mode. */
    private static void backward(NDArray loss, NDManager batchManager) {
        JniUtils.backward(
                (PtNDArray) loss, (PtNDArray) batchManager.ones(loss.getShape()), false, false);
        JniUtils.setGradMode(false);
    }

    /**
     * The training forward pass: the block's logits [B], embedding from the step's copies of the
     * touched rows (the whole tables when not copied).
     */
    private NDArray ownLogits(FeatureBatch batch, NDManager batchManager, TouchedRows touched) {
        NDList inputs = touched.inputs(batch, batchManager);
        return block.forward(touched.parameterStore(batchManager), inputs, true)
                .singletonOrThrow(); // [B]
    }

    /**
     * The loss of a training forward's logits {@code own} [B]: mean binary cross-entropy with
     * logits over the labelled rows, stable form max(x, 0) - x*y + log(1 + exp(-|x|)), x the
     * block's logit (times the batch's logit scales when set, {@link FeatureBatch#setLogitScales})
     * plus the base rate and the batch's offsets when set ({@link FeatureBatch#setOffsets}); each
     * row's term times its loss weight when set ({@link FeatureBatch#setLossWeights}), the sum
     * still over the labelled count.
     */
    private NDArray loss(NDArray own, FeatureBatch batch, NDManager batchManager) {
        NDArray scales = batch.logitScales(batchManager); // [B] or null: the weight of own logit
        NDArray logits = withBaseRate(scales == null ? own : own.mul(scales), batch, batchManager);
        NDArray offsets = batch.offsets(batchManager); // [B] or null: another part of a joint logit
        if (offsets != null) {
            logits = logits.add(offsets);
        }
        NDArray y = batch.labels(batchManager); // [B]
        NDArray mask = batch.labelMask(batchManager); // [B]
        NDArray perRow =
                ScalarOps.maximum(logits, 0f)
                        .sub(logits.mul(y))
                        .add(logits.abs().neg().exp().add(1f).log()); // [B]
        NDArray weights = batch.lossWeights(batchManager); // [B] or null: each row's loss weight
        if (weights != null) {
            perRow = perRow.mul(weights);
        }
        return ScalarOps.div(perRow.mul(mask).sum(), (float) batch.labelledCount());
    }

    /**
     * The model's logits [B] plus each row's base-rate offset (a constant for the gradient);
     * unchanged without a base rate.
     */
    private NDArray withBaseRate(NDArray logits, FeatureBatch batch, NDManager batchManager) {
        return baseRate == null ? logits : logits.add(batchManager.create(baseRate.offsets(batch)));
    }

    /**
     * The rows the batch touches with a copy of them per embedding table (none under {@link
     * #denseEmbeddingGradients}).
     */
    private TouchedRows touchedRows(FeatureBatch batch, NDManager batchManager) {
        if (denseEmbeddingGradients) {
            return TouchedRows.wholeTables(batch.distinctRows(), batchManager);
        }
        if (perEventSquares && optimizer.embeddingOptimizer() != EmbeddingOptimizer.ADAM) {
            // AdaGrad and FTRL accumulate each event's squared gradient of a row
            return TouchedRows.perEvent(
                    batch.eventRows(), parameters.embeddingTables, batchManager);
        }
        return TouchedRows.copies(batch.distinctRows(), parameters.embeddingTables, batchManager);
    }

    /**
     * Parameters, optimizer state, base-rate counts, step and counters as bytes (Flink operator
     * state; {@link TrainerSnapshot}).
     */
    public byte[] snapshot() {
        return encodedSnapshot().toBytes();
    }

    /**
     * {@link #snapshot()}'s bytes to be written into a buffer of the caller's (the model's arrays
     * copied once, when written; write them before the next step).
     */
    public EncodedSnapshot encodedSnapshot() {
        return TrainerSnapshot.encode(
                modelName, step, skippedSteps, parameters, optimizer, searchStage, baseRate);
    }

    /**
     * Restores what {@link #snapshot()} wrote, in any format it ever wrote; the model must have the
     * same architecture.
     */
    public void restore(byte[] bytes) {
        TrainerSnapshot saved = TrainerSnapshot.fromBytes(bytes);
        saved.restoreInto(modelName, manager, parameters, optimizer, searchStage, baseRate);
        step = saved.step();
        skippedSteps = saved.skippedSteps();
    }

    /** The parameters as the trainer steps them (for {@link TrainerArrays}). */
    ModelParameters parameters() {
        return parameters;
    }

    AdamOptimizer optimizer() {
        return optimizer;
    }

    ArchitectureSearchStage searchStage() {
        return searchStage;
    }

    /** The base rate; null for none. */
    BaseRate baseRate() {
        return baseRate;
    }

    /** Sets the step (a data-parallel round's combined step, {@link TrainerArrays}). */
    void step(long newStep) {
        if (newStep < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + newStep);
        }
        this.step = newStep;
    }

    @Override
    public void close() {
        manager.close();
    }
}
