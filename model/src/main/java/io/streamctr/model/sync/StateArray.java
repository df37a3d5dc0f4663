package io.streamctr.model.sync;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One array of a learner's state as a replica exchanges it: {@code rows × width} values in
 * row-major order (an embedding table [R, D] is R rows of D; a dense parameter is one row), how
 * replicas {@link Combine combine} it, and whether its values are doubles (else floats: shipped as
 * 4 bytes each). {@link #read()} copies the learner's current values out, {@link #write} puts
 * values back.
 *
 * @param name what it is, for messages ("dnn/param 3", "ftrl/zn")
 * @param rows rows (the unit of the sparse exchange)
 * @param width values per row
 * @param combine how the replicas' values combine
 * @param doubles whether the values are doubles
 * @param reader copies the current values out ({@code rows · width} of them)
 * @param writer replaces the values (rounded to float unless {@code doubles})
 */
public record StateArray(
        String name,
        int rows,
        int width,
        Combine combine,
        boolean doubles,
        Supplier<double[]> reader,
        Consumer<double[]> writer) {

    public StateArray {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(combine, "combine");
        Objects.requireNonNull(reader, "reader");
        Objects.requireNonNull(writer, "writer");
        if (rows < 0 || width < 0) {
            throw new IllegalArgumentException(
                    "state array '" + name + "' has " + rows + " rows of " + width);
        }
    }

    /** Values in all: rows · width. */
    public int size() {
        return rows * width;
    }

    /** A copy of the current values (rows · width). */
    public double[] read() {
        double[] values = reader.get();
        if (values.length != size()) {
            throw new IllegalStateException(
                    "state array '" + name + "' read " + values.length + " values, not " + size());
        }
        return values;
    }

    /** Replaces the current values. */
    public void write(double[] values) {
        if (values.length != size()) {
            throw new IllegalArgumentException(
                    "state array '" + name + "' takes " + size() + " values, got " + values.length);
        }
        writer.accept(values);
    }

    /** A view of a live double array. */
    public static StateArray ofDoubles(
            String name, int rows, int width, Combine combine, double[] live) {
        return new StateArray(
                name,
                rows,
                width,
                combine,
                true,
                live::clone,
                values -> System.arraycopy(values, 0, live, 0, live.length));
    }

    /** A view of a live float array. */
    public static StateArray ofFloats(
            String name, int rows, int width, Combine combine, float[] live) {
        return new StateArray(
                name,
                rows,
                width,
                combine,
                false,
                () -> toDoubles(live),
                values -> {
                    for (int i = 0; i < live.length; i++) {
                        live[i] = (float) values[i];
                    }
                });
    }

    /** The floats widened to doubles. */
    public static double[] toDoubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    /** The doubles rounded to floats. */
    public static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
