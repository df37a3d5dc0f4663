package io.streamctr.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.learn.Learners;
import io.streamctr.model.learn.OnlineLearner;
import io.streamctr.model.pkg.ModelPackage;
import io.streamctr.model.train.TrainerConfig;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15's job options where the job graph is built: learner names, warm starts, exports. */
class LearnerOptionsPipelineTest {

    private static Configuration conf(String... models) {
        Configuration conf = new Configuration();
        conf.set(JobOptions.MODELS, List.of(models));
        conf.set(JobOptions.DEVICE, "cpu");
        return conf;
    }

    private static List<StreamNode> build(Configuration conf) {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        env.enableCheckpointing(1_000);
        StreamCtrPipeline.build(env, conf);
        return List.copyOf(env.getStreamGraph().getStreamNodes());
    }

    @Test
    void twoLearnersOfOneModelHaveTheirOwnNamesAndUids() {
        List<StreamNode> nodes = build(conf("dnn-tiny", "champion=dnn-tiny"));

        assertThat(nodes.stream().map(StreamNode::getTransformationUID))
                .contains("learner-dnn-tiny", "learner-champion", "metrics-champion");
        assertThat(StreamCtrPipeline.models(conf("dnn", "champion=dnn", "dnn")))
                .containsExactly("dnn", "champion=dnn");
        for (String given :
                List.of("dnn,champion=dnn", "dnn;champion=dnn", "[dnn, champion=dnn]")) {
            Configuration conf = new Configuration();
            conf.setString(JobOptions.MODELS.key(), given);
            assertThat(StreamCtrPipeline.models(conf))
                    .as(given)
                    .containsExactly("dnn", "champion=dnn");
        }
    }

    @Test
    void twoLearnersOfOneNameAreRefused() {
        assertThatThrownBy(() -> StreamCtrPipeline.models(conf("dnn", "dnn=ftrl")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "ctr.models: two learners named 'dnn' (dnn, dnn=ftrl); name one"
                                + " NAME=MODEL");
        assertThatThrownBy(() -> StreamCtrPipeline.models(conf("best=nope")))
                .hasMessageStartingWith("unknown model 'nope'");
    }

    @Test
    void anIncompatibleWarmStartPackageFailsAtSubmitSayingWhatDiffers(@TempDir Path tmp)
            throws Exception {
        FeatureSpec other =
                new FeatureSpec(8, 512, List.of(), List.of("genres"), 8, List.of(), "genres", 50);
        Path pkg = tmp.resolve("dnn-tiny");
        try (OnlineLearner learner =
                Learners.create("dnn-tiny", other, TrainerConfig.defaults(), "cpu")) {
            ModelPackage.save(learner, pkg);
        }
        Configuration conf = conf("champion=dnn");
        conf.setString("ctr.model.champion.warm-start", pkg.toString());

        assertThatThrownBy(() -> build(conf))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "ctr.model.champion.warm-start: model package "
                                + pkg
                                + " does not fit learner 'champion': model dnn-tiny, expected dnn;"
                                + " D 8, expected 16; hash buckets 512, expected 32768");

        Configuration missing = conf("dnn");
        missing.setString("ctr.model.dnn.warm-start", tmp.resolve("none").toString());
        assertThatThrownBy(() -> build(missing))
                .hasMessageContaining("is not a model package: it has no manifest.json");
    }

    @Test
    void aCompatibleWarmStartAndAFrozenLearnerBuild(@TempDir Path tmp) throws Exception {
        FeatureSpec spec = StreamCtrPipeline.featureSpec(new Configuration());
        Path pkg = tmp.resolve("ftrl");
        try (OnlineLearner learner =
                Learners.create("ftrl", spec, TrainerConfig.defaults(), "cpu")) {
            ModelPackage.save(learner, pkg);
        }
        Configuration conf = conf("ftrl", "champion=ftrl");
        conf.setString("ctr.model.champion.warm-start", pkg.toString());
        conf.setString("ctr.model.champion.train", "false");

        var learner =
                StreamCtrPipeline.learnerConfig(
                        conf, io.streamctr.flink.learn.LearnerEntry.parse("champion=ftrl"));

        assertThat(learner.train()).isFalse();
        assertThat(learner.warmStart().manifest().model()).isEqualTo("ftrl");
        assertThat(build(conf).stream().map(StreamNode::getOperatorName))
                .contains("learner ftrl", "learner champion");
    }

    @Test
    void perLearnerKeysNameARegisteredModelOrALearnerOfCtrModels() {
        Configuration conf = conf("ftrl", "champion=ftrl");
        conf.setString("ctr.model.champion.train", "false");
        conf.setString("ctr.model.ftrl.train", "true");
        assertThat(build(conf)).isNotEmpty();

        conf.setString("ctr.model.nobody.train", "false");
        assertThatThrownBy(() -> build(conf))
                .hasMessageStartingWith(
                        "unknown model 'nobody' in option 'ctr.model.nobody.train'");
        Configuration bad = conf("champion=ftrl");
        bad.setString("ctr.model.champion.train", "maybe");
        assertThatThrownBy(() -> build(bad))
                .hasMessageStartingWith("ctr.model.champion.train: cannot parse 'maybe'");
    }

    @Test
    void exportsNeedCheckpointing() {
        Configuration conf = conf("ftrl");
        conf.set(JobOptions.EXPORT_PATH, "/tmp/never");
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());

        assertThatThrownBy(() -> StreamCtrPipeline.build(env, conf))
                .hasMessage(
                        "ctr.export.path needs checkpointing (execution.checkpointing.interval): a"
                                + " package is exported when a checkpoint completes");
        conf.set(JobOptions.EXPORT_EVERY, "often");
        assertThatThrownBy(() -> JobOptions.exportConfig(conf))
                .hasMessage(
                        "ctr.export.*: an export schedule is N steps (e.g. 1000 steps) or a"
                                + " duration (e.g. 10 min); got 'often'");
    }
}
