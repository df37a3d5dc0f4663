package io.streamctr.model.optfusion;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.streamctr.model.runtime.DjlRuntime;
import org.junit.jupiter.api.Test;

class StraightThroughStepTest {

    @Test
    void forwardIsTheUnitStepAndBackwardPassesTheGradientUnchanged() {
        NDManager base = DjlRuntime.engine().newBaseManager(Device.cpu());
        boolean previous = JniUtils.isGradMode();
        try (NDManager manager = base) {
            NDArray alpha = manager.create(new float[] {-1.5f, -1e-7f, 0f, 1e-7f, 0.3f, 0.5f, 2f});
            alpha.setRequiresGradient(true);
            NDArray upstream = manager.create(new float[] {1f, -2f, 3f, -4f, 5f, 6f, -7f});
            JniUtils.setGradMode(true);
            NDArray step = StraightThroughStep.apply(alpha);
            NDArray loss = step.mul(upstream).sum();
            JniUtils.backward(
                    (PtNDArray) loss, (PtNDArray) manager.ones(loss.getShape()), false, false);
            JniUtils.setGradMode(false);

            assertThat(step.toFloatArray()).containsExactly(0f, 0f, 0f, 1f, 1f, 1f, 1f);
            assertThat(alpha.getGradient().toFloatArray()).containsExactly(upstream.toFloatArray());
        } finally {
            JniUtils.setGradMode(previous);
        }
    }
}
