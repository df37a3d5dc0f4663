package io.streamctr.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.util.TimeUtils;
import org.junit.jupiter.api.Test;

/**
 * docs/options.md's "Job options" table against {@link JobOptions}: one row per option (per-model
 * ones as {@code ctr.model.<name>.<key>}, free-form prefixes as {@code kafka.properties.<key>}), no
 * row without an option, and each default as the option's.
 */
class JobOptionsReadmeTest {

    /** docs/options.md (the module's directory is the tests' working directory). */
    private static final Path README = Path.of("..", "docs", "options.md");

    private static final Pattern ROW =
            Pattern.compile("^\\| `([^`]+)` \\| ([^|]*) \\|", Pattern.MULTILINE);

    @Test
    void listsEveryOptionAndNothingElse() throws IOException {
        Map<String, String> rows = rows();
        List<String> keys = JobOptionsValidator.options().stream().map(ConfigOption::key).toList();
        List<String> prefixRows =
                rows.keySet().stream()
                        .filter(
                                k ->
                                        JobOptionsValidator.FREE_PREFIXES.stream()
                                                .anyMatch(k::startsWith))
                        .toList();

        assertThat(rows.keySet()).containsAll(keys);
        assertThat(rows.keySet())
                .allSatisfy(
                        key ->
                                assertThat(keys.contains(key) || prefixRows.contains(key))
                                        .as(
                                                "README row '%s' is an option of JobOptions or a"
                                                        + " free-form prefix",
                                                key)
                                        .isTrue());
        assertThat(JobOptionsValidator.FREE_PREFIXES)
                .allSatisfy(
                        prefix ->
                                assertThat(prefixRows)
                                        .as("a row for %s<key>", prefix)
                                        .anyMatch(k -> k.startsWith(prefix)));
    }

    @Test
    void givesEachOptionsDefault() throws IOException {
        Map<String, String> rows = rows();
        for (ConfigOption<?> option : JobOptionsValidator.options()) {
            String documented = rows.get(option.key());
            if (documented == null) {
                continue; // listsEveryOptionAndNothingElse reports it
            }
            if (option.hasDefaultValue()) {
                assertThat(documented)
                        .as("default of %s", option.key())
                        .isEqualTo("`" + text(option.defaultValue()) + "`");
            } else {
                assertThat(documented)
                        .as(
                                "%s has no default: the README says what happens without it",
                                option.key())
                        .doesNotContain("`");
            }
        }
    }

    /** The option's default as a user would write it in the configuration. */
    private static String text(Object value) {
        if (value instanceof Duration d) {
            return TimeUtils.formatWithHighestUnit(d);
        }
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        if (value instanceof Float f) {
            // as a reader writes it: 0.0005, not Float's 5.0E-4
            return new java.math.BigDecimal(f.toString()).stripTrailingZeros().toPlainString();
        }
        return String.valueOf(value);
    }

    /** Key → default column of the rows of docs/options.md's "Job options" table. */
    private static Map<String, String> rows() throws IOException {
        String readme = Files.readString(README);
        int start = readme.indexOf("# Job options\n");
        assertThat(start).as("docs/options.md's Job options section").isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        Map<String, String> rows = new LinkedHashMap<>();
        Matcher m = ROW.matcher(section);
        while (m.find()) {
            assertThat(rows.put(m.group(1), m.group(2).trim()))
                    .as("rows of %s", m.group(1))
                    .isNull();
        }
        return rows;
    }
}
