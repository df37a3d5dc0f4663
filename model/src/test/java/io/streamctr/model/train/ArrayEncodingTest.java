package io.streamctr.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.streamctr.model.runtime.DjlRuntime;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The direct writer against DJL's own {@code NDList.encode()}: the same bytes, read back alike. */
class ArrayEncodingTest {

    @Test
    void writesTheBytesOfDjlsEncode() {
        try (NDManager m = DjlRuntime.engine().newBaseManager()) {
            NDArray named = m.arange(0f, 12f).reshape(3, 4);
            named.setName("weights");
            NDList arrays =
                    new NDList(
                            named,
                            m.randomNormal(new Shape(200, 70)), // 56 KB: one chunk
                            m.randomNormal(new Shape(600, 500)), // 1.2 MB: DJL writes it in chunks
                            m.arange(0L, 5L), // int64
                            m.create(new float[0], new Shape(0, 4)), // no data
                            m.create(3.5f), // a scalar
                            m.arange(0f, 6f).reshape(2, 3).transpose()); // not contiguous

            byte[] expected = arrays.encode();
            ArrayEncoding encoding = ArrayEncoding.of(arrays);

            assertThat(encoding.size()).isEqualTo(expected.length);
            ByteBuffer out = ByteBuffer.allocate(expected.length + 3);
            out.put((byte) 7);
            encoding.writeTo(out);
            assertThat(out.position()).isEqualTo(1 + expected.length);
            byte[] written = new byte[expected.length];
            System.arraycopy(out.array(), 1, written, 0, expected.length);
            assertThat(written).isEqualTo(expected);

            NDList decoded = NDList.decode(m, written);
            assertThat(decoded.get(1).toFloatArray()).containsExactly(arrays.get(1).toFloatArray());
            assertThat(decoded.get(6).toFloatArray()).containsExactly(0f, 3f, 1f, 4f, 2f, 5f);
        }
    }

    @Test
    void aBufferTooSmallIsRejectedBeforeAnythingIsWritten() {
        try (NDManager m = DjlRuntime.engine().newBaseManager()) {
            ArrayEncoding encoding = ArrayEncoding.of(new NDList(m.ones(new Shape(10))));
            ByteBuffer out = ByteBuffer.allocate(encoding.size() - 1);
            assertThatThrownBy(() -> encoding.writeTo(out))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(
                            "the arrays need "
                                    + encoding.size()
                                    + " bytes, the buffer has "
                                    + (encoding.size() - 1));
            assertThat(out.position()).isZero();
        }
    }
}
