package org.opendesk.robot;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.opendesk.json.Json;
import org.opendesk.matching.Candidate;
import org.opendesk.matching.Embedder;
import org.opendesk.matching.Entry;
import org.opendesk.matching.MatchIndex;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Recognises the wish to reach a human agent (转人工) by meaning: the question is matched
 * against a built-in library of phrasings that ask for a human ("转人工", "我要找真人客服",
 * "can I talk to a person", ...) and of look-alikes that do not ("人工智能是什么", "are you
 * human?"). It fires when the closest phrasing asks for a human and is similar enough.
 */
public final class ToAgentIntent implements AutoCloseable {
    /** Calibrated similarity the closest asking phrasing must reach. */
    static final double THRESHOLD = 0.75;
    private static final String RESOURCE = "robot/to-agent-intents.json";

    private record Library(@JsonProperty("positive") List<String> positive,
                           @JsonProperty("negative") List<String> negative) {
    }

    private final MatchIndex index = new MatchIndex();

    public ToAgentIntent(Embedder embedder) {
        Library library;
        try (InputStream in = ToAgentIntent.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            library = Json.mapper().readValue(in, Library.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        add(embedder, library.positive(), "+");
        add(embedder, library.negative(), "-");
        index.refresh();
    }

    private void add(Embedder embedder, List<String> phrases, String sign) {
        for (Embedder.Space space : Embedder.Space.values()) {
            List<String> ofSpace = phrases.stream().filter(p -> Embedder.spaceOf(p) == space).toList();
            if (ofSpace.isEmpty()) {
                continue;
            }
            List<float[]> vectors = embedder.embedAll(space, ofSpace);
            for (int i = 0; i < ofSpace.size(); i++) {
                String phrase = ofSpace.get(i);
                index.upsert(new Entry(sign + space + i, phrase, "", 0,
                        List.of(new Entry.Text(phrase, space, vectors.get(i)))));
            }
        }
    }

    /** The closest phrasing if the question asks for a human, else null. */
    public Candidate match(MatchIndex.Query query) {
        List<Candidate> best = index.search(query, 1);
        if (best.isEmpty()) {
            return null;
        }
        Candidate top = best.get(0);
        return top.id().startsWith("+") && top.similarity() >= THRESHOLD ? top : null;
    }

    @Override
    public void close() {
        index.close();
    }
}
