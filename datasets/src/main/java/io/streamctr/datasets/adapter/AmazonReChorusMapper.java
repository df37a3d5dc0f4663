package io.streamctr.datasets.adapter;

import io.streamctr.datasets.BadLineException;
import io.streamctr.datasets.Events;
import io.streamctr.datasets.LineMapper;
import io.streamctr.datasets.TextFiles;
import io.streamctr.schemas.ClickEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * One line of the ReChorus Amazon files ({@code user_id, item_id, time[, neg_items]},
 * tab-separated, with a header): the review as a positive, then its negatives at the same time: the
 * line's {@code neg_items} when the file has them, else drawn by the {@link NegativeSampler}.
 */
final class AmazonReChorusMapper implements LineMapper {

    private final SideTable meta;
    private final NegativeSampler sampler;
    private final boolean growPool;
    private int user;
    private int item;
    private int time;
    private int negItems;

    /**
     * {@code growPool}: add each positive item to the sampler's pool (no item_meta to take the pool
     * from).
     */
    AmazonReChorusMapper(SideTable meta, NegativeSampler sampler, boolean growPool) {
        this.meta = meta;
        this.sampler = sampler;
        this.growPool = growPool;
    }

    @Override
    public boolean hasHeader() {
        return true;
    }

    @Override
    public void header(String text, Path file) {
        List<String> names = Arrays.asList(TextFiles.split(text, '\t'));
        user = names.indexOf("user_id");
        item = names.indexOf("item_id");
        time = names.indexOf("time");
        negItems = names.indexOf("neg_items");
        if (user < 0 || item < 0 || time < 0) {
            throw new IllegalArgumentException(
                    "expected a tab-separated header with user_id, item_id, time in "
                            + file
                            + ", got '"
                            + text
                            + "'");
        }
    }

    @Override
    public void map(String text, Path file, long line, Consumer<ClickEvent> out) {
        String[] f = TextFiles.split(text, '\t');
        if (f.length <= Math.max(Math.max(user, item), Math.max(time, negItems))) {
            throw new BadLineException(
                    "expected user_id, item_id, time tab-separated, got " + f.length + " fields");
        }
        long millis = Math.multiplyExact(Long.parseLong(f[time]), 1000L);
        String id = "amazon:" + TextFiles.stem(file) + ":" + line;
        out.accept(event(id, f[user], f[item], millis, 1, AmazonAdapter.POSITIVE_ACTION));
        List<String> negatives;
        if (negItems >= 0) {
            negatives = new ArrayList<>();
            for (String s : f[negItems].replace("[", "").replace("]", "").split(",")) {
                if (!s.isBlank()) {
                    negatives.add(s.strip());
                }
            }
        } else {
            negatives = sampler.draw(f[item]);
        }
        for (int k = 0; k < negatives.size(); k++) {
            out.accept(
                    event(
                            id + ":n" + k,
                            f[user],
                            negatives.get(k),
                            millis,
                            0,
                            AmazonAdapter.NEGATIVE_ACTION));
        }
        if (growPool) {
            sampler.add(f[item]);
        }
    }

    private ClickEvent event(
            String id, String user, String item, long millis, int label, String action) {
        ClickEvent e = Events.create(id, user, item, millis, label, action);
        if (meta != null) {
            Events.putCategorical(e, AmazonAdapter.CATEGORY, meta.get(item, "i_category"));
        }
        return e;
    }
}
