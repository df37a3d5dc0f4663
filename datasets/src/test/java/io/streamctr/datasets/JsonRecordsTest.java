package io.streamctr.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonRecordsTest {

    @Test
    void readsJsonAndPythonDictLinesAlike() {
        Map<String, Object> json =
                JsonRecords.parse(
                        "{\"reviewerID\": \"A1\", \"asin\": \"B001\", \"overall\": 5.0, "
                                + "\"unixReviewTime\": 1300000000, \"verified\": true}");
        Map<String, Object> python =
                JsonRecords.parse(
                        "{'reviewerID': 'A1', 'asin': 'B001', 'overall': 5.0, "
                                + "'unixReviewTime': 1300000000, 'verified': True}");

        Map<String, Object> withByteOrderMark =
                JsonRecords.parse(
                        "\uFEFF{\"reviewerID\": \"A1\", \"asin\": \"B001\", \"overall\": 5.0,"
                                + " \"unixReviewTime\": 1300000000, \"verified\": true}");

        for (Map<String, Object> r : List.of(json, python, withByteOrderMark)) {
            assertThat(JsonRecords.text(r.get("reviewerID"), "user")).isEqualTo("A1");
            assertThat(JsonRecords.text(r.get("unixReviewTime"), "time")).isEqualTo("1300000000");
            assertThat(JsonRecords.text(r.get("overall"), "rating")).isEqualTo("5.0");
            assertThat(JsonRecords.text(r.get("verified"), "verified")).isEqualTo("true");
        }
    }

    @Test
    void findsNestedFieldsByDottedPathAndMissingOnesAsNull() {
        Map<String, Object> r =
                JsonRecords.parse(
                        "{\"user\": {\"id\": 7, \"tags\": [\"a\", \"b\"]}, \"a.b\": \"dotted key\","
                                + " \"n\": null}");

        assertThat(JsonRecords.get(r, "user.id")).isEqualTo(7);
        assertThat(JsonRecords.get(r, "user.tags.1")).isEqualTo("b");
        assertThat(JsonRecords.get(r, "a.b")).isEqualTo("dotted key");
        assertThat(JsonRecords.get(r, "user.age")).isNull();
        assertThat(JsonRecords.get(r, "user.tags.5")).isNull();
        assertThat(JsonRecords.get(r, "user.id.x")).isNull();
        assertThat(JsonRecords.text(JsonRecords.get(r, "n"), "n")).isEmpty();
        assertThat(JsonRecords.text(12345678.0, "big")).isEqualTo("12345678.0");
    }

    @Test
    void aLineThatIsNoObjectOrAnObjectWhereAValueBelongsIsABadLine() {
        assertThatThrownBy(() -> JsonRecords.parse("[1, 2]"))
                .isInstanceOf(BadLineException.class)
                .hasMessageContaining("does not start with '{'");
        assertThatThrownBy(() -> JsonRecords.parse("{\"a\": }"))
                .isInstanceOf(BadLineException.class)
                .hasMessageStartingWith("not JSON: ");
        assertThatThrownBy(() -> JsonRecords.text(List.of(1), "user.id"))
                .isInstanceOf(BadLineException.class)
                .hasMessage("user.id is a list, not a single value");
        assertThatThrownBy(() -> JsonRecords.text(Map.of(), "user"))
                .isInstanceOf(BadLineException.class)
                .hasMessage("user is an object, not a single value");
    }
}
