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

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains one model online, prequentially: {@link #predict} scores a batch in inference mode, then
 * {@link #train} makes one step on its labelled rows (forward, binary cross-entropy with logits,
 * backward, {@link AdamOptimizer}). The training step is the model version.
 *
 * <p>Gradients use PyTorch's per-thread grad mode and backward directly rather than DJL's
 * {@code GradientCollector}, which allows one collector per JVM; so several trainers (models, or
 * parallel learners) can train side by side in one JVM, each on its own thread.
 *
 * <p>Every array a batch makes is closed with that batch's {@link NDScope}; parameters and Adam's
 * moments live in the trainer's manager. {@link #snapshot()} / {@link #restore(byte[])} carry
 * parameters, moments, the step and counters, so a restored trainer continues bit for bit.
 *
 * <p>Not thread-safe: one trainer is driven by one thread.
 */
public final class OnlineTrainer implements AutoCloseable {

    private static final byte FORMAT_VERSION = 1;
    /** Initialization seeds the engine-wide generator: serialize it across trainers. */
    private static final Object INIT_LOCK = new Object();

    private final String modelName;
    private final Block block;
    private final FeatureSpec spec;
    private final TrainerConfig config;
    private final NDManager manager;
    private final List<Parameter> parameters = new ArrayList<>();
    private final AdamOptimizer optimizer;
    private long step;
    private long skippedSteps;

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
        boolean[] isEmbedding = new boolean[block.getParameters().size()];
        int i = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            parameters.add(p.getValue());
            p.getValue().getArray().setRequiresGradient(true);
            isEmbedding[i++] = p.getKey().endsWith(HashedEmbedding.PARAMETER_NAME);
        }
        this.optimizer = new AdamOptimizer(parameters, isEmbedding, config, manager);
    }

    public String modelName() {
        return modelName;
    }

    /** The training step: how many updates the model has had (its version). */
    public long step() {
        return step;
    }

    /** Steps skipped because the loss was not finite. */
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
        int labelled = batch.labelledCount();
        if (labelled == 0) {
            return new TrainResult(step, Float.NaN, 0, true);
        }
        boolean previous = JniUtils.isGradMode();
        try (NDScope ignored = new NDScope(); NDManager batchManager = manager.newSubManager()) {
            JniUtils.setGradMode(true);
            NDArray logits = forward(batch, batchManager, true); // [B]
            NDArray y = batch.labels(batchManager); // [B]
            NDArray mask = batch.labelMask(batchManager); // [B]
            // BCE with logits, stable form: max(x, 0) - x*y + log(1 + exp(-|x|))
            NDArray perRow = logits.maximum(0f).sub(logits.mul(y)).add(logits.abs().neg().exp().add(1f).log());
            NDArray loss = perRow.mul(mask).sum().div((float) labelled);
            float lossValue = loss.getFloat();
            if (!Float.isFinite(lossValue)) {
                JniUtils.setGradMode(false);
                optimizer.zeroGradients();
                skippedSteps++;
                return new TrainResult(step, lossValue, labelled, true);
            }
            JniUtils.backward((PtNDArray) loss, (PtNDArray) batchManager.ones(loss.getShape()), false, false);
            JniUtils.setGradMode(false);
            step++;
            optimizer.update(step);
            return new TrainResult(step, lossValue, labelled, false);
        } finally {
            JniUtils.setGradMode(previous);
        }
    }

    private NDArray forward(FeatureBatch batch, NDManager batchManager, boolean training) {
        NDList inputs = batch.toNDList(batchManager);
        ParameterStore ps = new ParameterStore(batchManager, false);
        return block.forward(ps, inputs, training).singletonOrThrow();
    }

    /** Parameters, Adam moments, step and counters as bytes (Flink operator state). */
    public byte[] snapshot() {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_VERSION);
            out.writeUTF(modelName);
            out.writeLong(step);
            out.writeLong(skippedSteps);
            NDList arrays = new NDList();
            for (Parameter p : parameters) {
                arrays.add(p.getArray());
            }
            arrays.addAll(optimizer.state());
            byte[] encoded = arrays.encode();
            out.writeInt(encoded.length);
            out.write(encoded);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Restores what {@link #snapshot()} wrote; the model must have the same architecture. */
    public void restore(byte[] snapshot) {
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot));
                NDManager restoreManager = manager.newSubManager()) {
            byte version = in.readByte();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("unsupported model snapshot format " + version + ", expected " + FORMAT_VERSION);
            }
            String savedName = in.readUTF();
            if (!savedName.equals(modelName)) {
                throw new IllegalArgumentException("snapshot is of model '" + savedName + "', not '" + modelName + "'");
            }
            long savedStep = in.readLong();
            long savedSkipped = in.readLong();
            byte[] encoded = new byte[in.readInt()];
            in.readFully(encoded);
            NDList arrays = NDList.decode(restoreManager, encoded);
            int n = parameters.size();
            if (arrays.size() != 3 * n) {
                throw new IllegalArgumentException("snapshot holds " + arrays.size() + " arrays; model '" + modelName
                        + "' needs " + 3 * n + " (parameters + Adam moments): was it saved by another architecture?");
            }
            for (int i = 0; i < n; i++) {
                AdamOptimizer.copyInto(arrays.get(i), parameters.get(i).getArray());
            }
            optimizer.load(new NDList(arrays.subList(n, 3 * n)));
            step = savedStep;
            skippedSteps = savedSkipped;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            JniUtils.setGradMode(previous);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
