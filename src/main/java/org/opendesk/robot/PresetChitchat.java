package org.opendesk.robot;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import org.opendesk.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The preset chitchat library (系统预设寒暄库) every robot is born with, read once from
 * {@code robot/preset-chitchat.json}: greetings, thanks, goodbyes, questions about the robot,
 * emotions, hobbies and customer-service small talk, in Chinese and English.
 */
final class PresetChitchat {
    record Entry(@JsonProperty("Category") String category,
                 @JsonProperty("Question") String question,
                 @JsonProperty("SimilarQuestions") List<String> similarQuestions,
                 @JsonProperty("Answer") String answer) {
    }

    private static final String RESOURCE = "robot/preset-chitchat.json";
    private static volatile List<Entry> entries;

    private PresetChitchat() {
    }

    static List<Entry> entries() {
        List<Entry> loaded = entries;
        if (loaded == null) {
            loaded = load();
            entries = loaded;
        }
        return loaded;
    }

    private static List<Entry> load() {
        try (InputStream in = PresetChitchat.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            List<Entry> list = Json.mapper().readValue(in, new TypeReference<List<Entry>>() {
            });
            for (Entry e : list) {
                if (!KnowledgeService.PRESET_CHITCHAT.contains(e.category())) {
                    throw new IllegalStateException(RESOURCE + ": unknown preset category " + e.category());
                }
            }
            return List.copyOf(list);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
