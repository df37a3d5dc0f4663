package io.streamctr.model.sync;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One array of a learner's state as a replica exchanges it: {@code rows × width} values in
 * row-major order (an embedding table [R, D] is R rows of D; a dense parameter is one row), how
 * replicas {@link Combine combine} it, and whether its values are doubles (else floats: shipped as
 * 4 bytes each). {@link #read()} copies the learner's current values out, {@link #write} puts
 * values back; {@link #readRows} / {@link #writeRows} do it for some rows only (a round touches
 * only the rows some replica changed), by default through the whole array.
 */
public abstract class StateArray {

    private final String name;
    private final int rows;
    private final int width;
    private final Combine combine;
    private final boolean doubles;

    /**
     * @param name what it is, for messages ("dnn/param 3", "ftrl/zn")
     * @param rows rows (the unit of the sparse exchange)
     * @param width values per row
     * @param combine how the replicas' values combine
     * @param doubles whether the values are doubles (else floats)
     */
    protected StateArray(String name, int rows, int width, Combine combine, boolean doubles) {
        this.name = Objects.requireNonNull(name, "name");
        this.combine = Objects.requireNonNull(combine, "combine");
        if (rows < 0 || width < 0) {
            throw new IllegalArgumentException(
                    "state array '" + name + "' has " + rows + " rows of " + width);
        }
        this.rows = rows;
        this.width = width;
        this.doubles = doubles;
    }

    public String name() {
        return name;
    }

    public int rows() {
        return rows;
    }

    public int width() {
        return width;
    }

    public Combine combine() {
        return combine;
    }

    public boolean doubles() {
        return doubles;
    }

    /** Values in all: rows · width. */
    public int size() {
        return rows * width;
    }

    /** A copy of the current values (rows · width). */
    public abstract double[] read();

    /** Replaces the current values (rounded to float unless {@link #doubles()}). */
    public abstract void write(double[] values);

    /**
     * The current values, to compare against: may be the live array (never modify it, nor keep it
     * past the next change of the learner).
     */
    public double[] peek() {
        return read();
    }

    /** The values of rows {@code ids} (ascending), ids.length × width. */
    public double[] readRows(int[] ids) {
        double[] all = read();
        double[] out = new double[ids.length * width];
        for (int i = 0; i < ids.length; i++) {
            System.arraycopy(all, ids[i] * width, out, i * width, width);
        }
        return out;
    }

    /** Replaces the values of rows {@code ids} (ascending) with {@code values}. */
    public void writeRows(int[] ids, double[] values) {
        double[] all = read();
        for (int i = 0; i < ids.length; i++) {
            System.arraycopy(values, i * width, all, ids[i] * width, width);
        }
        write(all);
    }

    /** Checks a whole array's length. */
    protected final void checkSize(double[] values, String what) {
        if (values.length != size()) {
            throw new IllegalArgumentException(
                    "state array '"
                            + name
                            + "' "
                            + what
                            + " "
                            + values.length
                            + " values, not "
                            + size());
        }
    }

    /** An array read and written through functions (copies). */
    public static StateArray of(
            String name,
            int rows,
            int width,
            Combine combine,
            boolean doubles,
            Supplier<double[]> reader,
            Consumer<double[]> writer) {
        Objects.requireNonNull(reader, "reader");
        Objects.requireNonNull(writer, "writer");
        return new StateArray(name, rows, width, combine, doubles) {
            @Override
            public double[] read() {
                double[] values = reader.get();
                checkSize(values, "read");
                return values;
            }

            @Override
            public void write(double[] values) {
                checkSize(values, "takes");
                writer.accept(values);
            }
        };
    }

    /** A view of a live double array. */
    public static StateArray ofDoubles(
            String name, int rows, int width, Combine combine, double[] live) {
        return new StateArray(name, rows, width, combine, true) {
            @Override
            public double[] read() {
                return live.clone();
            }

            @Override
            public double[] peek() {
                return live;
            }

            @Override
            public void write(double[] values) {
                checkSize(values, "takes");
                System.arraycopy(values, 0, live, 0, live.length);
            }

            @Override
            public double[] readRows(int[] ids) {
                double[] out = new double[ids.length * width];
                for (int i = 0; i < ids.length; i++) {
                    System.arraycopy(live, ids[i] * width, out, i * width, width);
                }
                return out;
            }

            @Override
            public void writeRows(int[] ids, double[] values) {
                for (int i = 0; i < ids.length; i++) {
                    System.arraycopy(values, i * width, live, ids[i] * width, width);
                }
            }
        };
    }

    /** A view of a live float array. */
    public static StateArray ofFloats(
            String name, int rows, int width, Combine combine, float[] live) {
        return new StateArray(name, rows, width, combine, false) {
            @Override
            public double[] read() {
                return toDoubles(live);
            }

            @Override
            public void write(double[] values) {
                checkSize(values, "takes");
                for (int i = 0; i < live.length; i++) {
                    live[i] = (float) values[i];
                }
            }

            @Override
            public double[] readRows(int[] ids) {
                double[] out = new double[ids.length * width];
                for (int i = 0; i < ids.length; i++) {
                    for (int j = 0; j < width; j++) {
                        out[i * width + j] = live[ids[i] * width + j];
                    }
                }
                return out;
            }

            @Override
            public void writeRows(int[] ids, double[] values) {
                for (int i = 0; i < ids.length; i++) {
                    for (int j = 0; j < width; j++) {
                        live[ids[i] * width + j] = (float) values[i * width + j];
                    }
                }
            }
        };
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
