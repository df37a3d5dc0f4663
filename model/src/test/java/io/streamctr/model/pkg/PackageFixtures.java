package io.streamctr.model.pkg;

import io.streamctr.model.features.Examples;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.learn.FreshnessConfig;
import io.streamctr.model.learn.Learners;
import io.streamctr.model.learn.OnlineLearner;
import io.streamctr.model.train.TrainerConfig;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A small spec with every input kind, examples for it, and learners trained a few steps. */
final class PackageFixtures {

    static final FeatureSpec SPEC =
            new FeatureSpec(
                    4, 64, List.of("city"), List.of("genres"), 4, List.of("age"), "genres", 6);

    /** Every lever on (the job's default), small tables. */
    static final FreshnessConfig FRESH = FreshnessConfig.defaults().withBits(10, 10);

    static final TrainerConfig TRAINER = TrainerConfig.defaults();

    private PackageFixtures() {}

    /** {@code n} labelled examples with a city, an age, genres and both histories. */
    static List<Example> examples(int n, long seed) {
        Random r = new Random(seed);
        List<Example> out = new ArrayList<>();
        for (Example e : Examples.random(n, seed)) {
            ClickEvent event =
                    ClickEvent.newBuilder(e.getEvent())
                            .setCategorical(Map.of("city", "c" + r.nextInt(5)))
                            .setNumeric(Map.of("age", r.nextFloat() * 2 - 1))
                            .build();
            out.add(Example.newBuilder(e).setEvent(event).build());
        }
        return out;
    }

    /** The model's learner with {@link #FRESH}, trained on three batches of 32. */
    static OnlineLearner trained(String model) {
        return trained(model, FRESH);
    }

    /** The model's learner with {@code fresh}, trained on three batches of 32. */
    static OnlineLearner trained(String model, FreshnessConfig fresh) {
        return trained(model, fresh, TRAINER);
    }

    /**
     * The model's learner with {@code fresh} and {@code trainer}, trained on three batches of 32.
     */
    static OnlineLearner trained(String model, FreshnessConfig fresh, TrainerConfig trainer) {
        OnlineLearner learner = Learners.create(model, SPEC, trainer, "cpu", fresh);
        List<Example> stream = examples(96, 11);
        for (int from = 0; from < stream.size(); from += 32) {
            learner.process(stream.subList(from, from + 32));
        }
        return learner;
    }
}
