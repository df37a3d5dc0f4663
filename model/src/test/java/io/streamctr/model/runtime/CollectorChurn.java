package io.streamctr.model.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Frees unreachable Java direct buffers (a full collection runs their cleaners) and hands their
 * memory out again filled with NaN: a native tensor still reading a freed Java buffer then reads
 * NaN, reliably rather than once in a thousand steps.
 */
public final class CollectorChurn {

    private CollectorChurn() {}

    public static void run() {
        for (int round = 0; round < 3; round++) {
            System.gc();
            List<ByteBuffer> held = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
                b.putFloat(0, Float.NaN);
                held.add(b);
            }
            held.clear();
        }
    }
}
