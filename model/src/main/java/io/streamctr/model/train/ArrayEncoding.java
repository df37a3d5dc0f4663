package io.streamctr.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * DJL's {@code NDList.encode()} bytes (DJL 0.35.1, array format 3), written straight into a buffer
 * of the caller's instead of through DJL's growing stream: each array's data is copied once, from
 * the tensor's memory into the buffer. {@link NDList#decode} reads them back; the bytes are the
 * same as DJL's (ArrayEncodingTest compares them).
 *
 * <p>Why: a checkpoint snapshots the whole model (tens of MB every few seconds); DJL copies each
 * array out of native memory, through a growing stream and out of it again, and that garbage made
 * the job's GC pauses (docs/benchmarks.md, "Event → prediction latency").
 *
 * <p>Layout: the array count (int), then per array the magic {@code "NDAR"} (modified UTF-8), the
 * array format 3 (int), the name (byte 0, or 1 and the name in modified UTF-8), the sparse format
 * and the data type names (modified UTF-8), the shape ({@code Shape#getEncoded}), the byte order
 * ({@code '<'} little-endian or {@code '>'}), the data's length (int) and the data.
 */
final class ArrayEncoding {

    private static final String MAGIC = "NDAR";
    private static final int ARRAY_FORMAT = 3;

    private final NDList arrays;
    private final byte[][] headers;
    private final int size;

    private ArrayEncoding(NDList arrays) {
        this.arrays = arrays;
        this.headers = new byte[arrays.size()][];
        long total = Integer.BYTES;
        for (int i = 0; i < headers.length; i++) {
            NDArray array = arrays.get(i);
            headers[i] = header(array);
            total += headers[i].length + 1L + Integer.BYTES + dataBytes(array);
        }
        if (total > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException(
                    "arrays of " + total + " bytes do not fit in one snapshot (at most 2 GB)");
        }
        this.size = (int) total;
    }

    /** The encoding of {@code arrays} (their headers are built now, their data read at write). */
    static ArrayEncoding of(NDList arrays) {
        if (arrays == null) {
            throw new IllegalArgumentException("arrays must not be null");
        }
        return new ArrayEncoding(arrays);
    }

    /** The number of bytes {@link #writeTo} writes: {@code arrays.encode().length}. */
    int size() {
        return size;
    }

    /**
     * Writes the bytes at {@code out}'s position (which advances by {@link #size()}).
     *
     * @throws IllegalArgumentException when fewer than {@link #size()} bytes remain in {@code out}
     */
    void writeTo(ByteBuffer out) {
        if (out.remaining() < size) {
            throw new IllegalArgumentException(
                    "the arrays need " + size + " bytes, the buffer has " + out.remaining());
        }
        ByteBuffer target = out.order() == ByteOrder.BIG_ENDIAN ? out : out.duplicate();
        target.order(ByteOrder.BIG_ENDIAN);
        target.putInt(headers.length);
        for (int i = 0; i < headers.length; i++) {
            target.put(headers[i]);
            // a view of the tensor's memory where DJL can (CPU, contiguous), else a copy
            NDArray array = arrays.get(i);
            ByteBuffer data = array.toByteBuffer(true);
            if (data.remaining() != dataBytes(array)) {
                throw new IllegalStateException(
                        "array "
                                + i
                                + " of shape "
                                + array.getShape()
                                + " gave "
                                + data.remaining()
                                + " bytes, expected "
                                + dataBytes(array));
            }
            target.put((byte) (data.order() == ByteOrder.BIG_ENDIAN ? '>' : '<'));
            target.putInt(data.remaining());
            target.put(data);
        }
        if (target != out) {
            out.position(target.position());
        }
    }

    /** The array's bytes before its byte order: magic, format, name, sparse format, type, shape. */
    private static byte[] header(NDArray array) {
        if (array.getDataType() == DataType.STRING) {
            throw new IllegalArgumentException("a snapshot holds numeric arrays, not strings");
        }
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
                DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(MAGIC);
            out.writeInt(ARRAY_FORMAT);
            String name = array.getName();
            if (name == null) {
                out.write(0);
            } else {
                out.write(1);
                out.writeUTF(name);
            }
            out.writeUTF(array.getSparseFormat().name());
            out.writeUTF(array.getDataType().name());
            out.write(array.getShape().getEncoded());
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long dataBytes(NDArray array) {
        return array.size() * array.getDataType().getNumOfBytes();
    }
}
