package org.opendesk.matching;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The index on its own: replaced entries never answer with their new content for their old documents. */
class MatchIndexTest {
    private static Entry entry(String id, String question, String answer) {
        Embedder embedder = Embedder.shared();
        return new Entry(id, question, answer, 0, List.of(new Entry.Text(question, Embedder.spaceOf(question),
                embedder.embed(question))));
    }

    @Test
    void untilTheRefreshAReplacedEntryIsNotMatchedThroughItsOldDocuments() {
        try (MatchIndex index = new MatchIndex()) {
            index.upsert(entry("q1", "如何退货", "在订单页申请退货。"));
            index.refresh();
            MatchIndex.Query query = MatchIndex.Query.of("怎么退货", Embedder.shared());
            assertEquals("在订单页申请退货。", index.search(query, 1).get(0).answer());
            // the question is rewritten to something else; searches still see the old documents until the refresh
            index.upsert(entry("q1", "营业时间是几点", "每天 9 点到 18 点。"));
            List<Candidate> before = index.search(query, 1);
            assertTrue(before.isEmpty() || !before.get(0).answer().startsWith("每天"),
                    "the old document of q1 must not answer with q1's new answer: " + before);
            assertTrue(before.stream().noneMatch(c -> c.answer().startsWith("在订单页")),
                    "nor does the answer q1 no longer has come back (from the results of the same question): " + before);
            index.refresh();
            List<Candidate> after = index.search(query, 1);
            assertTrue(after.isEmpty() || after.get(0).similarity() < 0.8, "after the refresh only the new text counts: " + after);
        }
    }

    @Test
    void deletedEntriesDisappearAndSuggestionsFollow() {
        try (MatchIndex index = new MatchIndex()) {
            index.upsert(entry("q1", "如何退货", "a"));
            index.upsert(entry("q2", "退款多久到账", "b"));
            index.refresh();
            assertEquals(2, index.suggest("退", 10).size());
            index.delete("q1");
            index.refresh();
            assertEquals(List.of("q2"), index.suggest("退", 10).stream().map(Suggestion::id).toList());
            assertTrue(index.search(MatchIndex.Query.of("如何退货", Embedder.shared()), 5).stream().noneMatch(c -> c.id().equals("q1")));
        }
    }
}
