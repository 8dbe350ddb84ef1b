package io.github.sfnfail.camel.success;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The output check accepts exactly what a strict JSON parser accepts, and says where the rest goes wrong. */
class JsonSyntaxTest {

    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @ParameterizedTest
    @ValueSource(strings = { "{}", "[]", "42", "-0.5e+3", "\"text\"", "true", "false", "null", " { \"a\" : [1, 2.0, {}] } ",
        "{\"a\":{\"b\":[[],[{}]]},\"c\":\"\\u00e9\\n\\\"\"}", "[\"é ∑ 😀\"]", "1E9", "\n[\r\n\t0\n]\n" })
    void acceptsJson(String json) throws Exception {
        STRICT.readTree(json);
        assertThat(JsonSyntax.check(json)).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"order\": o-3}|10|unexpected 'o' where a value is expected",
        "|0|the text ends where a value is expected",
        "{|1|the text ends where a member name is expected",
        "{\"a\"}|4|unexpected '}' where ':' is expected",
        "{\"a\":1,}|7|unexpected '}' where a member name",
        "[1,]|3|unexpected ']' where a value is expected",
        "[1 2]|3|unexpected '2' where ',' or ']' is expected",
        "[1|2|the text ends inside an array",
        "{} {}|3|unexpected '{' after the JSON value",
        "01|1|unexpected '1' after the JSON value",
        "1.|2|no digit after its decimal point",
        "-|1|a number without digits",
        "1e|2|no digit in its exponent",
        "tru|3|the text ends inside true",
        "nul1|3|unexpected '1' where null was begun",
        "\"abc|0|a string that is never closed",
        "\"a\\x\"|2|an invalid escape \\x",
        "\"\\u12G4\"|1|an invalid \\u escape",
        "'single'|0|unexpected ''' where a value is expected",
        "NaN|0|unexpected 'N' where a value is expected" })
    void refusesTheRestSayingWhereAndWhat(String text, int position, String what) {
        String json = text == null ? "" : text;
        if (!json.isEmpty()) {
            assertThatThrownBy(() -> STRICT.readTree(json)).as("a strict parser refuses it too").isNotNull();
        }
        JsonSyntax.Problem problem = JsonSyntax.check(json);
        assertThat(problem).isNotNull();
        assertThat(problem.position()).isEqualTo(position);
        assertThat(problem.what()).contains(what);
    }

    @ParameterizedTest
    @ValueSource(ints = { 100_000 })
    void deepNestingNeedsNoStack(int depth) {
        String json = "[".repeat(depth) + "]".repeat(depth);
        assertThat(JsonSyntax.check(json)).isNull();
        assertThat(JsonSyntax.check("[".repeat(depth))).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = { "\"a\tb\"" })
    void refusesAControlCharacterInAString(String json) {
        assertThat(JsonSyntax.check(json).what()).contains("control character (U+0009)");
    }
}
