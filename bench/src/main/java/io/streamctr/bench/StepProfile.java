package io.streamctr.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.streamctr.bench.perf.ProcessCpu;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.train.OnlineTrainer;
import java.util.List;

/**
 * A rough split of a training step's time: the step's forward pass (batch to tensors, model, loss)
 * and its backward pass timed on their own, the gradients then zeroed, and a full {@link
 * OnlineTrainer#train} step timed on the same batch; the rest of that step (gradient checks, the
 * Adam update, zeroing) is its time minus the forward and backward measured before. A difference of
 * separately timed steps: rough, and it may come out slightly negative. Times are CPU time ({@link
 * ProcessCpu}), so a shared machine's other load does not inflate them; with one torch thread on an
 * idle machine they equal the wall times.
 */
public final class StepProfile {

    /** One profiled step, in CPU nanoseconds. */
    public record Sample(long forwardNanos, long backwardNanos, long trainNanos) {}

    /** Mean CPU milliseconds per step of each part. */
    public record Split(int steps, double forwardMs, double backwardMs, double trainMs) {
        public double restMs() {
            return trainMs - forwardMs - backwardMs;
        }
    }

    private StepProfile() {}

    /** Profiles one step on the batch; trains the model once (the full step). */
    public static Sample step(OnlineTrainer trainer, FeatureBatch batch) {
        Block block = trainer.block();
        NDManager parameters = block.getParameters().get(0).getValue().getArray().getManager();
        boolean previous = JniUtils.isGradMode();
        long t0 = ProcessCpu.nanos();
        long t1;
        long t2;
        try (NDScope ignored = new NDScope();
                NDManager m = parameters.newSubManager()) {
            JniUtils.setGradMode(true);
            NDArray logits =
                    block.forward(new ParameterStore(m, false), batch.toNDList(m), true)
                            .singletonOrThrow(); // [B]
            NDArray y = batch.labels(m);
            // the trainer's loss: BCE with logits, stable form, mean over the (all labelled) rows
            NDArray loss =
                    logits.maximum(0f)
                            .sub(logits.mul(y))
                            .add(logits.abs().neg().exp().add(1f).log())
                            .mean();
            loss.getFloat();
            t1 = ProcessCpu.nanos();
            JniUtils.backward((PtNDArray) loss, (PtNDArray) m.ones(loss.getShape()), false, false);
            t2 = ProcessCpu.nanos();
        } finally {
            JniUtils.setGradMode(previous);
        }
        for (Pair<String, Parameter> p : block.getParameters()) {
            JniUtils.zeroGrad((PtNDArray) p.getValue().getArray());
        }
        long t3 = ProcessCpu.nanos();
        trainer.train(batch);
        long t4 = ProcessCpu.nanos();
        return new Sample(t1 - t0, t2 - t1, t4 - t3);
    }

    /** Mean of {@link #step} results. */
    public static Split mean(List<Sample> samples) {
        double forward = 0;
        double backward = 0;
        double train = 0;
        for (Sample s : samples) {
            forward += s.forwardNanos() / 1e6;
            backward += s.backwardNanos() / 1e6;
            train += s.trainNanos() / 1e6;
        }
        int n = Math.max(1, samples.size());
        return new Split(samples.size(), forward / n, backward / n, train / n);
    }
}
