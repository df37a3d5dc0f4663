package io.streamctr.model.features;

import java.nio.charset.StandardCharsets;

/**
 * MurmurHash3 (x86, 32-bit) of UTF-8 strings: the same id hashes to the same value in every JVM, on
 * every machine and across restarts (unlike {@link String#hashCode()} it is specified bit for bit),
 * so hashed ids kept in Flink state stay valid after a restore.
 */
public final class StableHash {

    /** Seed of every hash in the project; changing it invalidates saved state and models. */
    public static final int SEED = 0x5EED_C7A;

    private StableHash() {}

    /** 32-bit hash of the string's UTF-8 bytes. */
    public static int hash(String value) {
        byte[] data = value.getBytes(StandardCharsets.UTF_8);
        return murmur3(data, SEED);
    }

    /** MurmurHash3_x86_32 of {@code data} with {@code seed}. */
    static int murmur3(byte[] data, int seed) {
        final int c1 = 0xcc9e2d51;
        final int c2 = 0x1b873593;
        int h = seed;
        int len = data.length;
        int blocks = len >>> 2;
        for (int i = 0; i < blocks; i++) {
            int o = i << 2;
            int k =
                    (data[o] & 0xff)
                            | (data[o + 1] & 0xff) << 8
                            | (data[o + 2] & 0xff) << 16
                            | (data[o + 3] & 0xff) << 24;
            k *= c1;
            k = Integer.rotateLeft(k, 15);
            k *= c2;
            h ^= k;
            h = Integer.rotateLeft(h, 13);
            h = h * 5 + 0xe6546b64;
        }
        int tail = blocks << 2;
        int k = 0;
        switch (len & 3) {
            case 3:
                k ^= (data[tail + 2] & 0xff) << 16;
            // fall through
            case 2:
                k ^= (data[tail + 1] & 0xff) << 8;
            // fall through
            case 1:
                k ^= data[tail] & 0xff;
                k *= c1;
                k = Integer.rotateLeft(k, 15);
                k *= c2;
                h ^= k;
                break;
            default:
                break;
        }
        h ^= len;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
