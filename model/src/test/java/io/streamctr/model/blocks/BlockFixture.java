package io.streamctr.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.streamctr.model.runtime.DjlRuntime;
import java.util.Random;

/** A manager, a parameter store and random tensors for block tests; close it after the test. */
public final class BlockFixture implements AutoCloseable {

    public final NDManager manager;
    public final ParameterStore ps;
    private final Random random;

    public BlockFixture(long seed) {
        DjlRuntime.engine().setRandomSeed((int) seed);
        this.manager = DjlRuntime.engine().newBaseManager();
        this.ps = new ParameterStore(manager, false);
        this.random = new Random(seed);
    }

    public <B extends Block> B init(B block, Shape... inputShapes) {
        block.initialize(manager, DataType.FLOAT32, inputShapes);
        return block;
    }

    /** Standard normal values of the given shape. */
    public NDArray normal(long... shape) {
        Shape s = new Shape(shape);
        float[] v = new float[(int) s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return manager.create(v, s);
    }

    /** A [rows, length] mask whose row i has lengths[i] leading ones. */
    public NDArray leftAlignedMask(int length, int... lengths) {
        float[] m = new float[lengths.length * length];
        for (int i = 0; i < lengths.length; i++) {
            for (int j = 0; j < lengths[i]; j++) {
                m[i * length + j] = 1f;
            }
        }
        return manager.create(m, new Shape(lengths.length, length));
    }

    /** values where mask is 1, fresh noise where it is 0 (mask [B, L], values [B, L, D]). */
    public NDArray scramblePadding(NDArray values, NDArray mask) {
        NDArray m = mask.expandDims(2);
        return values.mul(m)
                .add(normal(values.getShape().getShape()).mul(100f).mul(m.neg().add(1f)));
    }

    @Override
    public void close() {
        manager.close();
    }
}
