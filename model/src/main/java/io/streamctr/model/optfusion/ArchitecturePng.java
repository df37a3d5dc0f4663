package io.streamctr.model.optfusion;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.CubicCurve2D;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * Draws an {@link ArchitectureLayout} with Java2D into a PNG of the layout's size: the same boxes,
 * curves, arrowheads and labels as {@link ArchitectureSvg}. Sets {@code java.awt.headless=true}
 * unless the property is already set, so it runs without a display.
 */
public final class ArchitecturePng {

    private static final Color EDGE = new Color(0x44, 0x44, 0x44);
    private static final Color DEAD = new Color(0x99, 0x99, 0x99);
    private static final Color TEXT = new Color(0x22, 0x22, 0x22);
    private static final float[] DASH = {5f, 3f};

    private ArchitecturePng() {}

    /** The PNG of {@code a} laid out by {@link ArchitectureLayout#of(FusionArchitecture)}. */
    public static byte[] render(FusionArchitecture a) {
        return render(ArchitectureLayout.of(a));
    }

    public static byte[] render(ArchitectureLayout layout) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        int width = (int) Math.ceil(layout.width());
        int height = (int) Math.ceil(layout.height());
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(
                    RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            label(g, layout.title(), TEXT);
            for (ArchitectureLayout.Arrow arrow : layout.arrows()) {
                arrow(g, arrow);
            }
            for (ArchitectureLayout.Box box : layout.boxes()) {
                box(g, box);
            }
            label(g, layout.note(), new Color(0x55, 0x55, 0x55));
        } finally {
            g.dispose();
        }
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void arrow(Graphics2D g, ArchitectureLayout.Arrow arrow) {
        double[] c = arrow.curve();
        double[] h = arrow.head();
        g.setColor(arrow.live() ? EDGE : DEAD);
        g.setStroke(
                arrow.live()
                        ? new BasicStroke(1.2f)
                        : new BasicStroke(
                                1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, DASH, 0f));
        g.draw(new CubicCurve2D.Double(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]));
        Path2D.Double head = new Path2D.Double();
        head.moveTo(h[0], h[1]);
        head.lineTo(h[2], h[3]);
        head.lineTo(h[4], h[5]);
        head.closePath();
        g.fill(head);
    }

    private static void box(Graphics2D g, ArchitectureLayout.Box box) {
        RoundRectangle2D.Double shape =
                new RoundRectangle2D.Double(box.x(), box.y(), box.width(), box.height(), 16, 16);
        g.setColor(Color.decode(box.fill()));
        g.fill(shape);
        g.setColor(box.live() ? new Color(0x33, 0x33, 0x33) : DEAD);
        g.setStroke(
                box.live()
                        ? new BasicStroke(1f)
                        : new BasicStroke(
                                1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, DASH, 0f));
        g.draw(shape);
        for (ArchitectureLayout.Label label : box.labels()) {
            label(g, label, box.live() ? TEXT : DEAD);
        }
    }

    private static void label(Graphics2D g, ArchitectureLayout.Label label, Color colour) {
        g.setColor(colour);
        g.setFont(
                new Font(Font.SANS_SERIF, label.bold() ? Font.BOLD : Font.PLAIN, 1)
                        .deriveFont((float) label.size()));
        double x = label.x();
        if (label.centred()) {
            x -= g.getFontMetrics().stringWidth(label.text()) / 2.0;
        }
        g.drawString(label.text(), (float) x, (float) label.y());
    }
}
