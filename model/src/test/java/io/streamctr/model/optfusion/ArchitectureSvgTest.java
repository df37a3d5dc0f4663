package io.streamctr.model.optfusion;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ArchitectureSvgTest {

    /**
     * n = 1 with S0: E, S0, C1, D1, O; edges E→S0, E→C1, S0→C1 (cut), E→D1, S0→D1, E→O, S0→O (cut),
     * C1→O, D1→O (cut): 6 kept, D1 has no kept path to O.
     */
    private static FusionArchitecture small() {
        FusionGraph g = new FusionGraph(1, true);
        float[] alpha = {0.5f, 0.2f, -0.1f, 0.3f, 0.4f, 0.1f, -0.2f, 0.7f, -0.3f};
        float[][] beta = {{1f, 0f, 0f, 0f}, {0f, 2f, 0f, 0f}, {0f, 0f, 0f, 3f}};
        return new FusionArchitecture(g, OptFusionConfig.Variant.SOFT, alpha, beta);
    }

    /** n = 3 with S0, every edge kept: 33 edges, the shape of the MovieLens runs. */
    private static FusionArchitecture full() {
        FusionGraph g = new FusionGraph(3, true);
        float[] alpha = new float[g.edges().size()];
        java.util.Arrays.fill(alpha, 0.3f);
        float[][] beta = new float[g.fusingNodes().size()][4];
        for (int r = 0; r < beta.length; r++) {
            beta[r][r % 4] = 1f;
        }
        return new FusionArchitecture(g, OptFusionConfig.Variant.HARD, alpha, beta);
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> withClass(Document doc, String cls) {
        NodeList all = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "g");
        List<Element> result = new ArrayList<>();
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (cls.equals(e.getAttribute("class"))) {
                result.add(e);
            }
        }
        return result;
    }

    @Test
    void oneNodePerBlockAndOneEdgePerKeptInput() throws Exception {
        Document doc = parse(ArchitectureSvg.render(small()));

        assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("svg");
        List<String> blocks = new ArrayList<>();
        for (Element node : withClass(doc, "node")) {
            blocks.add(node.getAttribute("data-block"));
        }
        assertThat(blocks).containsExactly("E", "S0", "C1", "D1", "O");
        Set<String> edges = new HashSet<>();
        for (Element edge : withClass(doc, "edge")) {
            edges.add(edge.getAttribute("data-from") + "->" + edge.getAttribute("data-to"));
        }
        assertThat(withClass(doc, "edge")).hasSize(6);
        assertThat(edges)
                .containsExactlyInAnyOrder("E->S0", "E->C1", "E->D1", "S0->D1", "E->O", "C1->O");
    }

    @Test
    void labelsEachBlockWithItsOperationAndDashesDeadBlocks() throws Exception {
        Document doc = parse(ArchitectureSvg.render(small()));
        String c1 = text(withClass(doc, "node").get(2));
        String d1 = text(withClass(doc, "node").get(3));
        String o = text(withClass(doc, "node").get(4));

        // softmax([1,0,0,0]) of ADD = e / (e + 3)
        assertThat(c1).contains("C1").contains("ADD 0.48");
        assertThat(d1).contains("PROD");
        assertThat(o).contains("ATT");
        Element d1Rect = (Element) withClass(doc, "node").get(3).getFirstChild();
        assertThat(d1Rect.getAttribute("stroke-dasharray")).isNotEmpty();
        Element c1Rect = (Element) withClass(doc, "node").get(2).getFirstChild();
        assertThat(c1Rect.getAttribute("stroke-dasharray")).isEmpty();
    }

    @Test
    void aFullGraphIsWellFormedAndNoCurveCrossesABlock() throws Exception {
        FusionArchitecture a = full();
        ArchitectureLayout layout = ArchitectureLayout.of(a);
        Document doc = parse(ArchitectureSvg.render(layout));

        assertThat(withClass(doc, "node")).hasSize(9);
        assertThat(withClass(doc, "edge")).hasSize(33);
        for (ArchitectureLayout.Arrow arrow : layout.arrows()) {
            double[] c = arrow.curve();
            for (int s = 1; s < 100; s++) {
                double[] p = ArchitectureLayout.point(c, s / 100.0);
                assertThat(p[0]).isBetween(0.0, layout.width());
                assertThat(p[1]).isBetween(0.0, layout.height());
                for (ArchitectureLayout.Box box : layout.boxes()) {
                    if (!box.name().equals(arrow.from()) && !box.name().equals(arrow.to())) {
                        boolean inside =
                                p[0] > box.x()
                                        && p[0] < box.x() + box.width()
                                        && p[1] > box.y()
                                        && p[1] < box.y() + box.height();
                        assertThat(inside)
                                .as("%s->%s crosses %s", arrow.from(), arrow.to(), box.name())
                                .isFalse();
                    }
                }
            }
        }
    }

    @Test
    void escapesLabels() throws Exception {
        String svg = ArchitectureSvg.render(ArchitectureLayout.of(small(), "a < b & \"c\""));

        assertThat(svg).contains("a &lt; b &amp; &quot;c&quot;");
        assertThat(parse(svg).getElementsByTagNameNS("*", "title").item(0).getTextContent())
                .isEqualTo("a < b & \"c\"");
    }

    @Test
    void pngDecodesAtTheLayoutsSize() throws Exception {
        ArchitectureLayout layout = ArchitectureLayout.of(full());
        byte[] png = ArchitecturePng.render(layout);

        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isEqualTo((int) Math.ceil(layout.width()));
        assertThat(image.getHeight()).isEqualTo((int) Math.ceil(layout.height()));
        // something was drawn: the first block's outline is not white
        ArchitectureLayout.Box e = layout.boxes().get(0);
        int rgb = image.getRGB((int) (e.x() + e.width() / 2), (int) Math.round(e.y()));
        assertThat(rgb & 0xffffff).isNotEqualTo(0xffffff);
    }

    private static String text(Element e) {
        return e.getTextContent();
    }
}
