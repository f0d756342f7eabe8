package org.opendesk.matching;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The stored form of an embedding: one byte naming the model, then its floats (512 or 384,
 * see {@link Embedder#dimensions}) little-endian. A vector stored by another model (after an upgrade) does not decode, so
 * it is computed again rather than compared across models.
 */
public final class Vectors {
    private Vectors() {
    }

    /** The model of each space; change a code when its model changes. */
    static byte modelCode(Embedder.Space space) {
        return space == Embedder.Space.ZH ? (byte) 1 : (byte) 2; // bge-small-zh-v1.5-q, bge-small-en-v1.5-q
    }

    public static byte[] encode(Embedder.Space space, float[] vector) {
        ByteBuffer out = ByteBuffer.allocate(1 + 4 * vector.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(modelCode(space));
        for (float v : vector) {
            out.putFloat(v);
        }
        return out.array();
    }

    /** The vector if these bytes hold one of this space's current model, else null. */
    public static float[] decode(Embedder.Space space, byte[] bytes) {
        int dimensions = Embedder.dimensions(space);
        if (bytes == null || bytes.length != 1 + 4 * dimensions || bytes[0] != modelCode(space)) {
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[dimensions];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.getFloat();
        }
        return v;
    }
}
