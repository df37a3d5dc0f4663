package io.streamctr.model.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.ParameterList;
import io.streamctr.model.ModelRegistry;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.learn.DeepLearner;
import io.streamctr.model.learn.Learners;
import io.streamctr.model.learn.OnlineLearner;
import io.streamctr.model.optfusion.OptFusionModel;
import io.streamctr.model.optfusion.ProductScaling;
import io.streamctr.model.runtime.DjlRuntime;
import io.streamctr.model.train.SearchSchedule;
import io.streamctr.model.train.TrainingStage;
import io.streamctr.schemas.Example;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A model package (issue 15): every registered model, trained a few steps, exported and loaded,
 * scores a fixed batch bit for bit as the learner it was exported from, and goes on learning as it
 * would have; broken or mismatched packages are refused with the reason.
 */
class ModelPackageTest {

    @TempDir Path tmp;

    static Stream<String> models() {
        return Learners.names().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void aLoadedPackageScoresAndLearnsAsTheExportedLearner(String model) throws IOException {
        List<Example> fixed = PackageFixtures.examples(16, 7);
        List<Example> next = PackageFixtures.examples(32, 8);
        Path dir = tmp.resolve(model);
        try (OnlineLearner original = PackageFixtures.trained(model)) {
            PackageManifest saved = ModelPackage.save(original, dir);
            assertThat(saved.step()).isEqualTo(original.step()).isPositive();
            try (ModelPackage loaded = ModelPackage.load(dir, "cpu")) {
                PackageManifest m = loaded.manifest();
                assertThat(m).isEqualTo(saved);
                assertThat(m.model()).isEqualTo(model);
                assertThat(m.featureSpec()).isEqualTo(PackageFixtures.SPEC);
                assertThat(m.deep()).isEqualTo(Learners.isDeep(model));
                assertThat(Files.exists(dir.resolve(ModelPackage.PARAMETERS))).isEqualTo(m.deep());
                boolean optFusion =
                        original instanceof DeepLearner d
                                && d.trainer().block() instanceof OptFusionModel;
                assertThat(m.optFusion() != null).isEqualTo(optFusion);
                assertThat(m.architecture() != null).isEqualTo(optFusion);

                float[] expected = original.score(fixed);
                assertThat(loaded.scorer().score(fixed)).containsExactly(expected);
                assertThat(loaded.learner().snapshot()).isEqualTo(original.snapshot());
                // and the loaded learner continues as the original
                assertThat(loaded.learner().process(next).scores())
                        .containsExactly(original.process(next).scores());
                assertThat(loaded.learner().score(fixed)).containsExactly(original.score(fixed));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scoringModels")
    void scoringLearnsNothingAndIgnoresLabels(String model) {
        List<Example> batch = PackageFixtures.examples(24, 5);
        List<Example> unlabelled =
                batch.stream()
                        .map(
                                e ->
                                        Example.newBuilder(e)
                                                .setEvent(
                                                        io.streamctr.schemas.ClickEvent.newBuilder(
                                                                        e.getEvent())
                                                                .setLabel(null)
                                                                .build())
                                                .build())
                        .toList();
        try (OnlineLearner learner = PackageFixtures.trained(model);
                OnlineLearner copy =
                        Learners.create(
                                model,
                                PackageFixtures.SPEC,
                                PackageFixtures.TRAINER,
                                "cpu",
                                PackageFixtures.FRESH)) {
            byte[] before = learner.snapshot();
            float[] scores = learner.score(batch);
            assertThat(learner.snapshot()).isEqualTo(before);
            assertThat(learner.score(batch)).containsExactly(scores);
            assertThat(learner.score(unlabelled)).containsExactly(scores);
            // what process gives an unlabelled batch (which learns nothing from it)
            copy.restore(before);
            assertThat(copy.process(unlabelled).scores()).containsExactly(scores);
            // while process, learning inside the batch, scores the labelled batch otherwise
            assertThat(copy.process(batch).scores()).isNotEqualTo(scores);
        }
    }

    static Stream<String> scoringModels() {
        return Stream.of("ftrl", "dnn-tiny", "lr");
    }

    @Test
    void theDjlParametersLoadIntoAFreshBlockOfTheModel() throws Exception {
        Path dir = tmp.resolve("dnn-tiny");
        try (OnlineLearner learner = PackageFixtures.trained("dnn-tiny")) {
            ModelPackage.save(learner, dir);
            Block trained = ((DeepLearner) learner).trainer().block();
            FeatureSpec deepSpec =
                    DeepLearner.deepSpec(PackageFixtures.SPEC, PackageFixtures.FRESH);
            Block fresh = ModelRegistry.create("dnn-tiny", deepSpec);
            try (NDManager manager = DjlRuntime.engine().newBaseManager();
                    DataInputStream in =
                            new DataInputStream(
                                    new BufferedInputStream(
                                            Files.newInputStream(
                                                    dir.resolve(ModelPackage.PARAMETERS))))) {
                fresh.initialize(manager, DataType.FLOAT32, FeatureBatch.inputShapes(deepSpec, 1));
                fresh.loadParameters(manager, in);
                ParameterList want = trained.getParameters();
                ParameterList got = fresh.getParameters();
                assertThat(got.size()).isEqualTo(want.size()).isPositive();
                for (int i = 0; i < want.size(); i++) {
                    assertThat(got.get(i).getKey()).isEqualTo(want.get(i).getKey());
                    assertThat(got.get(i).getValue().getArray().toFloatArray())
                            .as(want.get(i).getKey())
                            .containsExactly(want.get(i).getValue().getArray().toFloatArray());
                }
            }
        }
    }

    @Test
    void anOptFusionModelKeepsItsOverriddenConfigAndFrozenArchitecture() throws IOException {
        Path dir = tmp.resolve("optfusion-hard-tiny");
        List<Example> fixed = PackageFixtures.examples(16, 7);
        try (DeepLearner learner =
                Learners.createDeep(
                        "optfusion-hard-tiny",
                        PackageFixtures.SPEC,
                        PackageFixtures.TRAINER,
                        "cpu",
                        PackageFixtures.FRESH,
                        (block, spec) ->
                                new OptFusionModel(
                                        spec,
                                        ((OptFusionModel) block)
                                                .config()
                                                .withSearch(new SearchSchedule(40, 0.05f, true))
                                                .withProduct(ProductScaling.NONE)))) {
            List<Example> stream = PackageFixtures.examples(96, 11);
            for (int from = 0; from < stream.size(); from += 32) {
                learner.process(stream.subList(from, from + 32));
            }
            assertThat(learner.trainer().stage()).isEqualTo(TrainingStage.RETRAIN);
            ModelPackage.save(learner, dir);
            try (ModelPackage loaded = ModelPackage.load(dir, "cpu")) {
                PackageManifest m = loaded.manifest();
                assertThat(m.optFusion().product()).isEqualTo(ProductScaling.NONE);
                assertThat(m.optFusion().search().searchEvents()).isEqualTo(40);
                assertThat(m.stage()).isEqualTo("RETRAIN");
                assertThat(m.architecture()).startsWith("{\"variant\":\"hard\"");
                assertThat(loaded.scorer().score(fixed)).containsExactly(learner.score(fixed));
                // the rebuilt block has the overrides (PROD's scaling matters only where PROD is
                // chosen, so the scores alone may not show it)
                OptFusionModel rebuilt =
                        (OptFusionModel) ((DeepLearner) loaded.learner()).trainer().block();
                assertThat(rebuilt.config())
                        .isEqualTo(((OptFusionModel) learner.trainer().block()).config());
            }
        }
    }

    @Test
    void checkListsWhatDiffers() throws IOException {
        Path dir = tmp.resolve("lr");
        try (OnlineLearner learner = PackageFixtures.trained("lr")) {
            ModelPackage.save(learner, dir);
        }
        FeatureSpec s = PackageFixtures.SPEC;
        FeatureSpec other =
                new FeatureSpec(
                        8,
                        s.bucketsPerField(),
                        List.of(),
                        s.multiValuedFields(),
                        s.maxValuesPerField(),
                        s.numericFields(),
                        s.sideField(),
                        s.sequenceLength());
        try (ModelPackage loaded = ModelPackage.load(dir, "cpu")) {
            loaded.check("lr", s);
            assertThatThrownBy(() -> loaded.check("dnn", other))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("model lr, expected dnn")
                    .hasMessageContaining("D 4, expected 8")
                    .hasMessageContaining("categorical fields [city], expected []")
                    .hasMessageNotContaining("numeric fields");
        }
    }

    @Test
    void aBrokenPackageIsRefusedWithTheReason() throws IOException {
        assertThatThrownBy(() -> ModelPackage.load(tmp, "cpu"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a model package: it has no manifest.json");
        Path lr = tmp.resolve("lr");
        Path ftrl = tmp.resolve("ftrl");
        try (OnlineLearner a = PackageFixtures.trained("lr");
                OnlineLearner b = PackageFixtures.trained("ftrl")) {
            ModelPackage.save(a, lr);
            ModelPackage.save(b, ftrl);
        }
        // the state of another model
        Files.copy(
                ftrl.resolve(ModelPackage.STATE),
                lr.resolve(ModelPackage.STATE),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> ModelPackage.load(lr, "cpu"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the saved state does not fit the lr learner");
        // a newer format
        Path manifest = ftrl.resolve(ModelPackage.MANIFEST);
        Files.writeString(
                manifest,
                Files.readString(manifest).replace("\"formatVersion\": 1", "\"formatVersion\": 9"));
        assertThatThrownBy(() -> ModelPackage.load(ftrl, "cpu"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("format version 9; this release reads up to 1");
        // an unknown model
        Files.writeString(
                manifest,
                Files.readString(manifest)
                        .replace("\"formatVersion\": 9", "\"formatVersion\": 1")
                        .replace("\"model\": \"ftrl\"", "\"model\": \"nope\""));
        assertThatThrownBy(() -> ModelPackage.load(ftrl, "cpu"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown model 'nope'");
        // save refuses a folder with other files
        Files.writeString(tmp.resolve("notes.txt"), "x");
        try (OnlineLearner a = PackageFixtures.trained("ftrl")) {
            assertThatThrownBy(() -> ModelPackage.save(a, tmp))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("holds other files than a model package's");
        }
    }
}
