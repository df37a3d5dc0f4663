package io.streamctr.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PythonLiteralTest {

    @Test
    void readsAnAmazonMetaLineAsNestedMapsAndLists() {
        String line =
                "{'asin': '0000031852', 'title': 'Girls Ballet Tutu', 'price': 3.17, 'related':"
                        + " {'also_bought': ['B00JHONN1S', 'B002BZX8Z6']}, 'salesRank': {'Toys &"
                        + " Games': 211836}, 'categories': [['Sports & Outdoors', 'Other Sports',"
                        + " 'Dance'], ['Clothing']]}";

        Object value = PythonLiteral.parse(line);

        assertThat(value).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> item = (Map<String, Object>) value;
        assertThat(item.keySet())
                .containsExactly("asin", "title", "price", "related", "salesRank", "categories");
        assertThat(item.get("price")).isEqualTo(3.17);
        assertThat(item.get("salesRank")).isEqualTo(Map.of("Toys & Games", 211836L));
        assertThat(item.get("categories"))
                .isEqualTo(
                        List.of(
                                List.of("Sports & Outdoors", "Other Sports", "Dance"),
                                List.of("Clothing")));
    }

    @Test
    void decodesQuotesEscapesAndPython2Utf8Bytes() {
        assertThat(PythonLiteral.parse("\"Kettle's\"")).isEqualTo("Kettle's");
        assertThat(PythonLiteral.parse("'it\\'s \"ok\"\\n'")).isEqualTo("it's \"ok\"\n");
        assertThat(PythonLiteral.parse("'Caf\\xc3\\xa9'")).isEqualTo("Café");
        assertThat(PythonLiteral.parse("u'Caf\\xe9'")).isEqualTo("Café");
        assertThat(PythonLiteral.parse("u'\\u00e9\\U0001F600'")).isEqualTo("é\uD83D\uDE00");
        assertThat(PythonLiteral.parse("'\\101\\0'")).isEqualTo("A\0");
    }

    @Test
    void readsNumbersConstantsAndTuples() {
        assertThat(
                        PythonLiteral.parse(
                                "[1, -2, 3.5, 1e3, 10L, True, False, None, (1, 'a'), {}, [], ]"))
                .isEqualTo(
                        Arrays.asList(
                                1L,
                                -2L,
                                3.5,
                                1000.0,
                                10L,
                                true,
                                false,
                                null,
                                List.of(1L, "a"),
                                Map.of(),
                                List.of()));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("a", true);
        json.put("b", null);
        assertThat(PythonLiteral.parse("{\"a\": true, \"b\": null}")).isEqualTo(json);
    }

    @Test
    void rejectsWhatIsNotALiteralWithTheColumn() {
        assertThatThrownBy(() -> PythonLiteral.parse("{'a': 1"))
                .isInstanceOf(BadLineException.class)
                .hasMessage("not a Python literal at column 8: expected ',' or '}' in a dict");
        assertThatThrownBy(() -> PythonLiteral.parse("{'a': nan}"))
                .isInstanceOf(BadLineException.class)
                .hasMessage("not a Python literal at column 7: unknown name 'nan'");
        assertThatThrownBy(() -> PythonLiteral.parse("{'a': 'open}"))
                .isInstanceOf(BadLineException.class)
                .hasMessageContaining("unterminated string");
        assertThatThrownBy(() -> PythonLiteral.parse("{} x"))
                .isInstanceOf(BadLineException.class)
                .hasMessageContaining("unexpected 'x' after the value");
    }
}
