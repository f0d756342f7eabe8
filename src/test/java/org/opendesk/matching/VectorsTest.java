package org.opendesk.matching;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Stored embeddings decode only for the model of their space, so an upgraded model never compares with an old one. */
class VectorsTest {
    @Test
    void roundTripAndModelCheck() {
        float[] v = new float[Embedder.dimensions(Embedder.Space.ZH)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.sin(i);
        }
        byte[] zh = Vectors.encode(Embedder.Space.ZH, v);
        assertEquals(1 + 4 * 512, zh.length);
        assertArrayEquals(v, Vectors.decode(Embedder.Space.ZH, zh));
        assertNull(Vectors.decode(Embedder.Space.EN, zh), "an English text never takes a Chinese-model vector");
        assertNull(Vectors.decode(Embedder.Space.EN, Vectors.encode(Embedder.Space.ZH, new float[384])), "nor its model byte");
    }

    @Test
    void theModelsGiveTheVectorsTheirSpaceStores() {
        // both spaces' real vectors survive storage: a rebuild never recomputes them
        for (String text : List.of("怎么退货", "how do I return it")) {
            Embedder.Space space = Embedder.spaceOf(text);
            float[] v = Embedder.shared().embed(space, text);
            assertEquals(Embedder.dimensions(space), v.length, text);
            assertArrayEquals(v, Vectors.decode(space, Vectors.encode(space, v)), text);
        }
        assertNull(Vectors.decode(Embedder.Space.ZH, null));
        assertNull(Vectors.decode(Embedder.Space.ZH, new byte[10]));
    }

    @Test
    void scriptsChooseTheSpace() {
        assertEquals(Embedder.Space.ZH, Embedder.spaceOf("怎么退货"));
        assertEquals(Embedder.Space.ZH, Embedder.spaceOf("iPhone 怎么退货"));
        assertEquals(Embedder.Space.ZH, Embedder.spaceOf("返品したい"));
        assertEquals(Embedder.Space.EN, Embedder.spaceOf("how do I return it"));
        assertEquals(Embedder.Space.EN, Embedder.spaceOf("Bagaimana cara mengembalikan barang?"));
    }

    @Test
    void canonicalFormIgnoresCaseSpacesAndPunctuation() {
        assertEquals(Calibration.canonical("如何退货？"), Calibration.canonical(" 如何 退货"));
        assertEquals(Calibration.canonical("How do I return it?"), Calibration.canonical("how do i return it"));
    }

    @Test
    void similarityIsBoundedAndOnlyTheSameSentenceReachesOne() {
        assertEquals(1.0, Calibration.similarity(Embedder.Space.ZH, 1.0, 1.0));
        double paraphrase = Calibration.similarity(Embedder.Space.ZH, 0.95, 0.3);
        assertEquals(true, paraphrase > 0.9 && paraphrase < 1.0, "" + paraphrase);
        assertEquals(0.0, Calibration.similarity(Embedder.Space.EN, 0.2, 0.0));
        double wordsOnly = Calibration.similarity(Embedder.Space.EN, Double.NaN, 1.0);
        assertEquals(true, wordsOnly < 0.8, "words alone never answer directly: " + wordsOnly);
    }
}
