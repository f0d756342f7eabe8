package org.opendesk.matching;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallzhv15q.BgeSmallZhV15QuantizedEmbeddingModel;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Sentence embeddings computed in-process with the quantized bge-small v1.5 ONNX models
 * (unit length; 512 dimensions for Chinese, 384 for English). Texts with Han, kana or Hangul go to the Chinese model,
 * others to the English one; a text is only ever compared with texts of its own space.
 * The models load once per process, on first use (about half a second each).
 */
public final class Embedder {
    /** A vector space: the model a text was embedded with. */
    public enum Space {
        ZH, EN
    }

    /** Dimensions of each space's vectors: bge-small-zh-v1.5 has 512, bge-small-en-v1.5 384. */
    public static int dimensions(Space space) {
        return space == Space.ZH ? 512 : 384;
    }
    private static final int BATCH = 32;
    private static final int CACHE_ENTRIES = 20_000;
    private static final Embedder SHARED = new Embedder();

    private final Lazy zh = new Lazy(() -> new BgeSmallZhV15QuantizedEmbeddingModel(directExecutor()));
    private final Lazy en = new Lazy(() -> new BgeSmallEnV15QuantizedEmbeddingModel(directExecutor()));

    /** Recently embedded texts (the preset libraries of every robot, texts being re-indexed, frequent questions). */
    private final Map<String, float[]> cache = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };

    private final ExecutorService inference = Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors()), runnable -> {
                Thread thread = new Thread(runnable, "embedding");
                thread.setDaemon(true);
                return thread;
            });

    private Embedder() {
    }

    /** The process-wide embedder (the models are immutable and thread-safe). */
    public static Embedder shared() {
        return SHARED;
    }

    public static Space spaceOf(String text) {
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            Character.UnicodeScript script = Character.UnicodeScript.of(cp);
            if (script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                    || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.HANGUL) {
                return Space.ZH;
            }
            i += Character.charCount(cp);
        }
        return Space.EN;
    }

    public float[] embed(String text) {
        return embed(spaceOf(text), text);
    }

    /**
     * The embedding of one text (a user's question): from the cache when the text was embedded
     * recently (users ask the same questions again and again), else by the model. The array is
     * shared: callers must not change it.
     */
    public float[] embed(Space space, String text) {
        String key = space + ":" + text;
        synchronized (cache) {
            float[] known = cache.get(key);
            if (known != null) {
                return known;
            }
        }
        Embedding e = infer(() -> model(space).embed(text).content());
        float[] v = normalized(e.vector());
        synchronized (cache) {
            cache.put(key, v);
        }
        return v;
    }

    /**
     * Embeds several texts, each in the space of its script: from the cache where it has them,
     * the others in batches per model. Answers the vectors in the order of the texts.
     */
    public List<float[]> embedAll(List<String> texts) {
        float[][] out = new float[texts.size()][];
        Map<Space, List<Integer>> missing = new EnumMap<>(Space.class);
        synchronized (cache) {
            for (int i = 0; i < texts.size(); i++) {
                Space space = spaceOf(texts.get(i));
                out[i] = cache.get(space + ":" + texts.get(i));
                if (out[i] == null) {
                    missing.computeIfAbsent(space, s -> new ArrayList<>()).add(i);
                }
            }
        }
        for (Map.Entry<Space, List<Integer>> m : missing.entrySet()) {
            List<Integer> at = m.getValue();
            for (int from = 0; from < at.size(); from += BATCH) {
                List<Integer> batch = at.subList(from, Math.min(at.size(), from + BATCH));
                List<TextSegment> segments = batch.stream().map(i -> TextSegment.from(texts.get(i))).toList();
                List<Embedding> embedded = infer(() -> model(m.getKey()).embedAll(segments).content());
                synchronized (cache) {
                    for (int k = 0; k < batch.size(); k++) {
                        float[] v = normalized(embedded.get(k).vector());
                        out[batch.get(k)] = v;
                        cache.put(m.getKey() + ":" + texts.get(batch.get(k)), v);
                    }
                }
            }
        }
        return List.of(out);
    }

    /** Embeds several texts of one space (batched by the model), without the cache. */
    public List<float[]> embedAll(Space space, List<String> texts) {
        List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
        return infer(() -> model(space).embedAll(segments).content()).stream().map(e -> normalized(e.vector())).toList();
    }

    /**
     * Runs model inference, a native call of several milliseconds, on a platform thread when
     * called from a virtual thread: a virtual thread in native code holds its carrier, and the
     * carriers (one per core) serve every request.
     */
    private <T> T infer(Callable<T> work) {
        try {
            if (!Thread.currentThread().isVirtual()) {
                return work.call();
            }
            return inference.submit(work).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while embedding", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private EmbeddingModel model(Space space) {
        return (space == Space.ZH ? zh : en).get();
    }

    static float cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return (float) dot;
    }

    private static float[] normalized(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        if (norm == 0) {
            return v;
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / norm);
        }
        return out;
    }

    /** Runs the model's batch work on the calling thread: requests already run on their own virtual threads. */
    private static Executor directExecutor() {
        return Runnable::run;
    }

    private static final class Lazy {
        private final Supplier<EmbeddingModel> factory;
        private volatile EmbeddingModel model;

        Lazy(Supplier<EmbeddingModel> factory) {
            this.factory = factory;
        }

        EmbeddingModel get() {
            EmbeddingModel m = model;
            if (m == null) {
                synchronized (this) {
                    m = model;
                    if (m == null) {
                        m = factory.get();
                        model = m;
                    }
                }
            }
            return m;
        }
    }
}
