package io.streamctr.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamctr.schemas.ClickEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MovieLensReaderTest {

    @TempDir Path tmp;

    @Test
    void readsBundledSmallDataSetInTimeOrder() {
        List<ClickEvent> events = MovieLensReader.read(bundledDataSet());

        assertThat(events).hasSize(100_836);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < events.size(); i++) {
            ClickEvent e = events.get(i);
            assertThat(ids.add(e.getEventId())).as("unique %s", e.getEventId()).isTrue();
            assertThat(e.getEventId()).isEqualTo("ml-" + e.getUserId() + "-" + e.getItemId());
            assertThat(e.getActionType()).isEqualTo("rating");
            assertThat(e.getLabel()).isIn(0, 1);
            if (i > 0) {
                assertThat(e.getEventTime())
                        .isGreaterThanOrEqualTo(events.get(i - 1).getEventTime());
            }
        }
    }

    @Test
    void mapsRatingToEventWithGenresFromQuotedTitles() {
        List<ClickEvent> events = MovieLensReader.read(bundledDataSet());

        // user 1 rated movie 1 (Toy Story) 4.0 at 964982703; movie 11's title holds a quoted comma
        ClickEvent toyStory = find(events, "ml-1-1");
        assertThat(toyStory.getUserId()).isEqualTo("1");
        assertThat(toyStory.getItemId()).isEqualTo("1");
        assertThat(toyStory.getEventTime()).isEqualTo(964_982_703_000L);
        assertThat(toyStory.getLabel()).isEqualTo(1);
        assertThat(toyStory.getMultiValued().get("genres"))
                .containsExactly("Adventure", "Animation", "Children", "Comedy", "Fantasy");
        assertThat(toyStory.getCategorical()).isEmpty();
        assertThat(toyStory.getNumeric()).isEmpty();
        ClickEvent president =
                events.stream().filter(e -> e.getItemId().equals("11")).findFirst().orElseThrow();
        assertThat(president.getMultiValued().get("genres"))
                .containsExactly("Comedy", "Drama", "Romance");
    }

    @Test
    void limitKeepsEarliestEvents() {
        List<ClickEvent> all = MovieLensReader.read(bundledDataSet());

        List<ClickEvent> first = MovieLensReader.read(bundledDataSet(), 10);

        assertThat(first).containsExactlyElementsOf(all.subList(0, 10));
        assertThat(MovieLensReader.read(bundledDataSet(), 0)).isEmpty();
    }

    @Test
    void sortsTiesByUserThenMovieAndLabelsByThreshold() throws IOException {
        write(
                "ratings.csv",
                "userId,movieId,rating,timestamp\n"
                        + "2,5,3.5,100\n10,3,4.0,100\n2,4,5.0,100\n1,9,0.5,200\n1,7,4.5,50\n");
        writeGz(
                "movies.csv.gz",
                "movieId,title,genres\n"
                        + "3,\"Quote \"\"Inside\"\", The (2000)\",Drama|Comedy\n"
                        + "4,Untitled (2001),(no genres listed)\n");

        List<ClickEvent> events = MovieLensReader.read(tmp);

        assertThat(events)
                .extracting(ClickEvent::getEventId)
                .containsExactly("ml-1-7", "ml-2-4", "ml-2-5", "ml-10-3", "ml-1-9");
        assertThat(events).extracting(ClickEvent::getLabel).containsExactly(1, 1, 0, 1, 0);
        assertThat(events.get(3).getMultiValued().get("genres")).containsExactly("Drama", "Comedy");
        assertThat(events.get(1).getMultiValued().get("genres")).isEmpty();
        assertThat(events.get(0).getMultiValued().get("genres"))
                .as("movie missing from movies.csv")
                .isEmpty();
    }

    @Test
    void malformedRatingNamesFileAndLine() throws IOException {
        write("ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,100\n1,x,4.0,100\n");
        write("movies.csv", "movieId,title,genres\n");

        assertThatThrownBy(() -> MovieLensReader.read(tmp))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ratings.csv")
                .hasMessageContaining("line 3")
                .hasMessageContaining("movieId");
    }

    @Test
    void malformedMovieNamesFileAndLine() throws IOException {
        write("ratings.csv", "userId,movieId,rating,timestamp\n");
        writeGz("movies.csv.gz", "movieId,title,genres\n1,\"Open quote (1995),Drama\n");

        assertThatThrownBy(() -> MovieLensReader.read(tmp))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("movies.csv.gz")
                .hasMessageContaining("line 2")
                .hasMessageContaining("unterminated");
    }

    @Test
    void wrongFieldCountAndMissingFilesAreRejected() throws IOException {
        write("movies.csv", "movieId,title,genres\n");
        assertThatThrownBy(() -> MovieLensReader.read(tmp))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ratings.csv");

        write("ratings.csv", "userId,movieId,rating,timestamp\n1,2,3.0\n");
        assertThatThrownBy(() -> MovieLensReader.read(tmp))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining("expected 4 fields, got 3");
    }

    private static ClickEvent find(List<ClickEvent> events, String eventId) {
        return events.stream()
                .filter(e -> e.getEventId().equals(eventId))
                .findFirst()
                .orElseThrow();
    }

    private void write(String name, String content) throws IOException {
        Files.writeString(tmp.resolve(name), content, StandardCharsets.UTF_8);
    }

    private void writeGz(String name, String content) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tmp.resolve(name)))) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The repository's bundled data set: from {@code streamctr.repo.root}, else found upwards. */
    static Path bundledDataSet() {
        return BundledData.movieLensDir();
    }
}
