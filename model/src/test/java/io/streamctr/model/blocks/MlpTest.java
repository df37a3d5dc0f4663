package io.streamctr.model.blocks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import java.util.List;
import org.junit.jupiter.api.Test;

class MlpTest {

    @Test
    void hiddenLayersWithTheirActivationThenTheOutputLayer() {
        SequentialBlock relu = Mlp.builder().setHidden(List.of(8, 4)).optOutput(1).build();
        assertThat(relu.getChildren().values())
                .extracting(b -> b.getClass().getSimpleName())
                .containsExactly("Linear", "LambdaBlock", "Linear", "LambdaBlock", "Linear");
        try (BlockFixture f = new BlockFixture(4)) {
            f.init(relu, new Shape(1, 3));
            assertThat(relu.getOutputShapes(new Shape[] {new Shape(5, 3)})[0])
                    .isEqualTo(new Shape(5, 1));
            SequentialBlock tower =
                    f.init(Mlp.builder().setHidden(List.of(6, 6)).build(), new Shape(1, 3));
            NDArray out = tower.forward(f.ps, new NDList(f.normal(5, 3)), false).singletonOrThrow();
            assertThat(out.getShape()).isEqualTo(new Shape(5, 6));
            assertThat(out.min().getFloat()).isGreaterThanOrEqualTo(0f); // ReLU last
            SequentialBlock swish =
                    f.init(
                            Mlp.builder()
                                    .setHidden(List.of(6))
                                    .optActivation(Mlp.Activation.SWISH)
                                    .build(),
                            new Shape(1, 3));
            NDArray s = swish.forward(f.ps, new NDList(f.normal(50, 3)), false).singletonOrThrow();
            assertThat(s.min().getFloat()).isLessThan(0f); // Swish is negative below zero
        }
    }

    @Test
    void rejectsEmptyOrNonPositiveLayers() {
        assertThatThrownBy(() -> Mlp.builder().setHidden(List.of()).build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Mlp.builder().optOutput(1).build())
                .hasMessageContaining("setHidden");
        assertThatThrownBy(() -> Mlp.builder().setHidden(List.of(4, 0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Mlp.builder().setHidden(List.of(4)).optOutput(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Mlp.builder().setHidden(List.of()).optOutput(2).build().getChildren().size())
                .isEqualTo(1);
    }
}
