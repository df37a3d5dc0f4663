package io.streamctr.model.data.adapter;

import io.streamctr.model.data.BadLineException;
import io.streamctr.model.data.DatasetAdapter;
import io.streamctr.model.data.DatasetOptions;
import io.streamctr.model.data.EventStream;
import io.streamctr.model.data.Events;
import io.streamctr.model.data.LineEventStream;
import io.streamctr.model.data.LineMapper;
import io.streamctr.model.data.TextFiles;
import io.streamctr.schemas.ClickEvent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Amazon reviews in the ReChorus form ({@code train.csv}, {@code dev.csv}, {@code test.csv}:
 * tab-separated {@code user_id, item_id, time} in seconds, dev/test with a {@code neg_items} list;
 * {@code item_meta.csv}: {@code item_id, i_category, ...}). Reviews are positives (label 1, action
 * type {@value #POSITIVE_ACTION}); each is followed by negatives at the same time (label 0, action
 * type {@value #NEGATIVE_ACTION}): the {@code neg_items} of the line when it has them, else
 * {@code negatives} (option, default 1) items drawn uniformly, with a {@link Random} seeded by
 * {@code seed} (default 42), from the item_meta items (or, without item_meta, from the items seen
 * so far), never the positive itself. The category is the categorical feature {@code i_category}.
 * The files are read in the order train, dev, test and sorted by time by the caller.
 */
public final class AmazonAdapter implements DatasetAdapter {

    public static final String POSITIVE_ACTION = "review";
    public static final String NEGATIVE_ACTION = "sampled-negative";

    @Override
    public String name() {
        return "amazon";
    }

    @Override
    public String description() {
        return "Amazon reviews, ReChorus user/item/time TSV + item_meta; positives + seeded sampled negatives (negatives=1, seed=42)";
    }

    @Override
    public boolean timeOrdered() {
        return false;
    }

    @Override
    public EventStream open(Path path, DatasetOptions options) {
        TextFiles.requireExists(path);
        Path dir = TextFiles.dirOf(path);
        List<Path> files = new ArrayList<>();
        if (Files.isRegularFile(path)) {
            files.add(path);
        } else {
            files.add(TextFiles.require(dir, "train.csv"));
            TextFiles.find(dir, "dev.csv").ifPresent(files::add);
            TextFiles.find(dir, "test.csv").ifPresent(files::add);
        }
        long negatives = options.getLong("negatives", 1);
        if (negatives < 0) {
            throw new IllegalArgumentException("option negatives must be >= 0, got " + negatives);
        }
        SideTable meta = TextFiles.find(dir, "item_meta.csv").map(f -> SideTable.read(f, '\t')).orElse(null);
        List<String> pool = new ArrayList<>();
        if (meta != null) {
            meta.keys().forEach(pool::add);
            pool.sort(null);
        }
        return new LineEventStream(files, new Mapper(meta, pool, meta == null, (int) negatives,
                new Random(options.getLong("seed", 42))), options.newBadLines());
    }

    private static final class Mapper implements LineMapper {
        private final SideTable meta;
        private final List<String> pool;
        private final boolean growPool;
        private final int negatives;
        private final Random random;
        private final Set<String> inPool;
        private int user;
        private int item;
        private int time;
        private int negItems;

        Mapper(SideTable meta, List<String> pool, boolean growPool, int negatives, Random random) {
            this.meta = meta;
            this.pool = pool;
            this.growPool = growPool;
            this.negatives = negatives;
            this.random = random;
            this.inPool = new HashSet<>(pool);
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
                throw new IllegalArgumentException("expected a tab-separated header with user_id, item_id, time in " + file
                        + ", got '" + text + "'");
            }
        }

        @Override
        public void map(String text, Path file, long line, Consumer<ClickEvent> out) {
            String[] f = TextFiles.split(text, '\t');
            if (f.length <= Math.max(Math.max(user, item), Math.max(time, negItems))) {
                throw new BadLineException("expected user_id, item_id, time tab-separated, got " + f.length + " fields");
            }
            long millis = Math.multiplyExact(Long.parseLong(f[time]), 1000L);
            String id = "amazon:" + TextFiles.stem(file) + ":" + line;
            out.accept(event(id, f[user], f[item], millis, 1, POSITIVE_ACTION));
            List<String> negs = new ArrayList<>();
            if (negItems >= 0) {
                for (String s : f[negItems].replace("[", "").replace("]", "").split(",")) {
                    if (!s.isBlank()) {
                        negs.add(s.strip());
                    }
                }
            } else {
                for (int k = 0; k < negatives && pool.size() > 1; k++) {
                    String candidate = pool.get(random.nextInt(pool.size()));
                    for (int tries = 0; candidate.equals(f[item]) && tries < 10; tries++) {
                        candidate = pool.get(random.nextInt(pool.size()));
                    }
                    negs.add(candidate);
                }
            }
            for (int k = 0; k < negs.size(); k++) {
                out.accept(event(id + ":n" + k, f[user], negs.get(k), millis, 0, NEGATIVE_ACTION));
            }
            if (growPool && inPool.add(f[item])) {
                pool.add(f[item]);
            }
        }

        private ClickEvent event(String id, String user, String item, long millis, int label, String action) {
            ClickEvent e = Events.create(id, user, item, millis, label, action);
            if (meta != null) {
                Events.putCategorical(e, "i_category", meta.get(item, "i_category"));
            }
            return e;
        }
    }
}
