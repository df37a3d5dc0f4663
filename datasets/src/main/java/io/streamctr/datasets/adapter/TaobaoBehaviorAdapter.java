package io.streamctr.datasets.adapter;

import io.streamctr.datasets.BadLineException;
import io.streamctr.datasets.DatasetAdapter;
import io.streamctr.datasets.DatasetOptions;
import io.streamctr.datasets.EventStream;
import io.streamctr.datasets.Events;
import io.streamctr.datasets.LineEventStream;
import io.streamctr.datasets.TextFiles;
import io.streamctr.schemas.ClickEvent;
import java.nio.file.Path;
import java.util.Set;

/**
 * Taobao {@code UserBehavior.csv} (Tianchi 649): {@code user_id, item_id, category_id,
 * behavior_type, timestamp} without a header; the behaviour ({@code pv, cart, fav, buy}) is the
 * action type, the category the categorical feature {@code category_id}, time = timestamp s. The
 * label is 1 for the behaviours in {@code positive} (option, comma-separated; default {@code
 * buy,cart,fav}) and 0 for the others (page views). The file is grouped by user, not time: the
 * caller sorts.
 */
public final class TaobaoBehaviorAdapter implements DatasetAdapter {

    private static final Set<String> BEHAVIOURS = Set.of("pv", "cart", "fav", "buy");

    @Override
    public String name() {
        return "taobao-behavior";
    }

    @Override
    public String description() {
        return "Taobao UserBehavior.csv (user, item, category, behaviour, ts); behaviour = action"
                + " type; label buy/cart/fav";
    }

    @Override
    public boolean timeOrdered() {
        return false;
    }

    @Override
    public EventStream open(Path path, DatasetOptions options) {
        Set<String> positive = Set.of(options.get("positive", "buy,cart,fav").split(","));
        return new LineEventStream(
                Inputs.dataFile(path, "UserBehavior.csv"),
                (text, file, line, out) -> {
                    String[] f = TextFiles.split(text, ',');
                    Events.requireFields(f, 5);
                    if (!BEHAVIOURS.contains(f[3])) {
                        throw new BadLineException(
                                "behaviour is not one of pv, cart, fav, buy: '" + f[3] + "'");
                    }
                    ClickEvent e =
                            Events.create(
                                    "taobao:" + TextFiles.stem(file) + ":" + line,
                                    f[0],
                                    f[1],
                                    Math.multiplyExact(Long.parseLong(f[4]), 1000L),
                                    positive.contains(f[3]) ? 1 : 0,
                                    f[3]);
                    Events.putCategorical(e, "category_id", f[2]);
                    out.accept(e);
                },
                options.newBadLines());
    }
}
