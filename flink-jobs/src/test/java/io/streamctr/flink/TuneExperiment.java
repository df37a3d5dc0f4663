package io.streamctr.flink;

import ai.djl.Device;
import io.streamctr.flink.enrich.UserHistories;
import io.streamctr.model.ModelRegistry;
import io.streamctr.model.data.BundledData;
import io.streamctr.model.data.MovieLensReader;
import io.streamctr.model.features.FeatureEncoder;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.metrics.StreamingMetrics;
import io.streamctr.model.train.OnlineTrainer;
import io.streamctr.model.train.TrainerConfig;
import io.streamctr.schemas.*;
import java.util.*;

public class TuneExperiment {
    public static void main(String[] a) throws Exception {
        List<ClickEvent> events = MovieLensReader.read(BundledData.movieLensDir(), Integer.parseInt(a[0]));
        FeatureSpec spec = FeatureSpec.movieLens();
        List<Example> ex = new ArrayList<>();
        Map<String, UserHistory> h = new HashMap<>();
        for (ClickEvent e : events) { UserHistory b = h.getOrDefault(e.getUserId(), UserHistories.empty()); ex.add(new Example(e, b)); h.put(e.getUserId(), UserHistories.append(b, e, "genres", 50)); }
        String model = a[1]; int bs = Integer.parseInt(a[2]); float lr = Float.parseFloat(a[3]); float elr = Float.parseFloat(a[4]);
        FeatureEncoder enc = new FeatureEncoder(spec);
        StreamingMetrics m = new StreamingMetrics(10000);
        long t0 = System.nanoTime();
        try (OnlineTrainer t = new OnlineTrainer(model, ModelRegistry.create(model, spec), spec, TrainerConfig.defaults().withLearningRates(lr, elr), Device.cpu())) {
            for (int i = 0; i < ex.size(); i += bs) {
                FeatureBatch b = enc.encode(ex.subList(i, Math.min(ex.size(), i + bs)));
                float[] s = t.predict(b);
                for (int j = 0; j < s.length; j++) m.add(s[j], b.label(j));
                t.train(b);
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%s bs=%d lr=%g elr=%g AUC %.4f NE %.4f winAUC %.4f  %.0f ev/s%n", model, bs, lr, elr, m.lifetime().auc(), m.lifetime().ne(), m.window().auc(), ex.size() / secs);
    }
}
