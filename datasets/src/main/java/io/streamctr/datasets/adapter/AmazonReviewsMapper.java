package io.streamctr.datasets.adapter;

import io.streamctr.datasets.BadLineException;
import io.streamctr.datasets.Events;
import io.streamctr.datasets.JsonRecords;
import io.streamctr.datasets.LineMapper;
import io.streamctr.datasets.TextFiles;
import io.streamctr.schemas.ClickEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One line of an Amazon reviews dump as the DIN paper used it ({@code reviews_<Cat>_5.json}: a JSON
 * object or a Python dict literal with {@code reviewerID}, {@code asin}, {@code unixReviewTime} in
 * seconds, ...): the review as a positive, then the sampled negatives at the same time, each with
 * its item's category from the meta file.
 */
final class AmazonReviewsMapper implements LineMapper {

    static final String USER = "reviewerID";
    static final String ITEM = "asin";
    static final String TIME = "unixReviewTime";

    private final Map<String, String> categories;
    private final NegativeSampler sampler;

    AmazonReviewsMapper(Map<String, String> categories, NegativeSampler sampler) {
        this.categories = categories;
        this.sampler = sampler;
    }

    @Override
    public void map(String text, Path file, long line, Consumer<ClickEvent> out) {
        Map<String, Object> review = JsonRecords.parse(text);
        String user = required(review, USER);
        String item = required(review, ITEM);
        String time = required(review, TIME);
        long millis;
        try {
            millis = Math.multiplyExact(Long.parseLong(time), 1000L);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new BadLineException(TIME + " is not a time in epoch seconds: '" + time + "'");
        }
        String id = "amazon:" + TextFiles.stem(file) + ":" + line;
        out.accept(event(id, user, item, millis, 1, AmazonAdapter.POSITIVE_ACTION));
        List<String> negatives = sampler.draw(item);
        for (int k = 0; k < negatives.size(); k++) {
            out.accept(
                    event(
                            id + ":n" + k,
                            user,
                            negatives.get(k),
                            millis,
                            0,
                            AmazonAdapter.NEGATIVE_ACTION));
        }
    }

    /**
     * The item of a review line, or null when the line has none (the pre-pass that collects the
     * pool).
     */
    static String itemOf(String text) {
        try {
            return JsonRecords.text(JsonRecords.parse(text).get(ITEM), ITEM);
        } catch (BadLineException e) {
            return null;
        }
    }

    private static String required(Map<String, Object> review, String field) {
        String value = JsonRecords.text(review.get(field), field);
        if (value.isEmpty()) {
            throw new BadLineException("no " + field);
        }
        return value;
    }

    private ClickEvent event(
            String id, String user, String item, long millis, int label, String action) {
        ClickEvent e = Events.create(id, user, item, millis, label, action);
        Events.putCategorical(e, AmazonAdapter.CATEGORY, categories.get(item));
        return e;
    }
}
