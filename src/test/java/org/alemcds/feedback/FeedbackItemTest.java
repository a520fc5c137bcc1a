package org.alemcds.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Validation and identity of one feedback item, without the service. */
class FeedbackItemTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    private static FeedbackItem parse(String json, List<String> problems) throws Exception {
        return FeedbackItem.from(MAPPER.readTree(json.replace('\'', '"')), "feedback[0]", NOW, problems);
    }

    private static FeedbackItem valid(String json) throws Exception {
        List<String> problems = new ArrayList<>();
        FeedbackItem item = parse(json, problems);
        assertThat(problems).isEmpty();
        return item;
    }

    @Test
    void acceptedItemKeepsItsSuggestionsSortedAndDistinct() throws Exception {
        FeedbackItem item = valid("{'card':'c1','outcome':'accepted','acceptedSuggestions':[{'id':'s2'},{'id':'s1'},{'id':'s2'}],"
                + "'outcomeTimestamp':'2021-12-11T10:05:31Z'}");
        assertThat(item.outcome()).isEqualTo(FeedbackItem.Outcome.ACCEPTED);
        assertThat(item.acceptedSuggestions()).containsExactly("s1", "s2");
        assertThat(item.outcomeTimestamp()).isEqualTo(Instant.parse("2021-12-11T10:05:31Z"));
    }

    @Test
    void overriddenItemMayCarryAReasonACommentBothOrNeither() throws Exception {
        assertThat(valid("{'card':'c1','outcome':'overridden','outcomeTimestamp':'2020-12-11T00:00:00Z'}").reasonCode()).isNull();
        FeedbackItem coded = valid("{'card':'c1','outcome':'overridden','overrideReason':{'reason':{'code':'d7ecf885',"
                + "'system':'https://example.com/s'},'userComment':'A comment.'},'outcomeTimestamp':'2020-12-11T00:00:00Z'}");
        assertThat(coded.reasonCode()).isEqualTo("d7ecf885");
        assertThat(coded.reasonSystem()).isEqualTo("https://example.com/s");
        assertThat(coded.userComment()).isEqualTo("A comment.");
        assertThat(valid("{'card':'c1','outcome':'overridden','overrideReason':{'userComment':'only text'},"
                + "'outcomeTimestamp':'2020-12-11T00:00:00Z'}").reasonCode()).isNull();
    }

    @Test
    void extraFieldsAreIgnored() throws Exception {
        valid("{'card':'c1','outcome':'overridden','outcomeTimestamp':'2020-12-11T00:00:00Z','extension':{'x':1}}");
    }

    @Test
    void identicalContentHasTheSameKeyAndAnyDifferenceAnother() throws Exception {
        String a = valid("{'card':'c1','outcome':'overridden','overrideReason':{'userComment':'x'},"
                + "'outcomeTimestamp':'2020-12-11T00:00:00Z'}").key();
        String sameInstant = valid("{'card':'c1','outcome':'overridden','overrideReason':{'userComment':'x'},"
                + "'outcomeTimestamp':'2020-12-11T01:00:00.000+01:00'}").key();
        String otherComment = valid("{'card':'c1','outcome':'overridden','overrideReason':{'userComment':'y'},"
                + "'outcomeTimestamp':'2020-12-11T00:00:00Z'}").key();
        String otherTime = valid("{'card':'c1','outcome':'overridden','overrideReason':{'userComment':'x'},"
                + "'outcomeTimestamp':'2020-12-11T00:00:01Z'}").key();
        assertThat(a).hasSize(64).isEqualTo(sameInstant).isNotEqualTo(otherComment).isNotEqualTo(otherTime);
        // fields that contain the separator do not make two different items one: "d|e" + no comment vs "d" + "e|null"
        String tricky = valid("{'card':'c1','outcome':'overridden','overrideReason':{'reason':{'code':'c','display':'d|e'}},"
                + "'outcomeTimestamp':'2020-12-11T00:00:00Z'}").key();
        String split = valid("{'card':'c1','outcome':'overridden','overrideReason':{'reason':{'code':'c','display':'d'},"
                + "'userComment':'e|null'},'outcomeTimestamp':'2020-12-11T00:00:00Z'}").key();
        assertThat(tricky).isNotEqualTo(split);
    }

    @Test
    void everyProblemOfAnItemIsNamed() throws Exception {
        List<String> problems = new ArrayList<>();
        assertThat(parse("{'outcome':'maybe','outcomeTimestamp':'2020-12-11'}", problems)).isNull();
        assertThat(problems).hasSize(3);
        assertThat(String.join(" ", problems)).contains("feedback[0].card").contains("feedback[0].outcome")
                .contains("feedback[0].outcomeTimestamp");
    }

    @Test
    void timestampsOutsideAPlausibleRangeAreRejected() throws Exception {
        List<String> problems = new ArrayList<>();
        parse("{'card':'c1','outcome':'overridden','outcomeTimestamp':'1999-12-31T23:59:59Z'}", problems);
        parse("{'card':'c1','outcome':'overridden','outcomeTimestamp':'2026-11-22T12:00:01Z'}", problems);
        assertThat(problems).hasSize(2);
        valid("{'card':'c1','outcome':'overridden','outcomeTimestamp':'2026-11-22T12:00:00Z'}");
    }

    @Test
    void longProblemListsAreCut() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            many.add("p" + i);
        }
        assertThat(FeedbackItem.describe(many)).contains("p19").doesNotContain("p20").endsWith("and 10 more");
    }
}
