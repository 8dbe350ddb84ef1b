package io.github.sfnfail.camel.soak;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.github.sfnfail.camel.soak.SoakLedger.Series;
import io.github.sfnfail.camel.soak.WorkerFleet.Restart;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The run at a glance, as a PNG beside the table: per second, the answers that landed (every accepted SendTaskSuccess
 * and SendTaskFailure, WorkerStopped ones included), the tasks in hand (tokens out, not yet closed) and the tasks
 * waiting (offered or retried, not yet handed to a poll); a grey line at each SIGTERM, a red one at each SIGKILL.
 */
final class SoakTimeline {

    private SoakTimeline() {
    }

    static void write(Path file, SoakLedger ledger, List<Restart> restarts, long offersBegan, long lastSecond,
            String title) throws IOException {
        XYSeries answers = new XYSeries("answers/s");
        XYSeries offered = new XYSeries("offered/s");
        XYSeries inHand = new XYSeries("in hand");
        XYSeries waiting = new XYSeries("waiting");
        XYSeries timeouts = new XYSeries("timed out/s");
        int from = ledger.second(offersBegan);
        int to = (int) Math.min(ledger.seconds - 1, lastSecond);
        for (int s = 0; s <= to; s++) {
            double x = s - from;
            answers.add(x, ledger.at(Series.ANSWERS, s));
            offered.add(x, ledger.at(Series.OFFERED, s));
            inHand.add(x, ledger.at(Series.IN_HAND, s));
            waiting.add(x, ledger.at(Series.WAITING, s));
            timeouts.add(x, ledger.at(Series.TIMEOUTS, s));
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(answers);
        data.addSeries(offered);
        data.addSeries(inHand);
        data.addSeries(waiting);
        data.addSeries(timeouts);
        JFreeChart chart = ChartFactory.createXYLineChart(title, "seconds since the first offer", "tasks", data,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(220, 220, 220));
        plot.setRangeGridlinePaint(new Color(220, 220, 220));
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        Color[] colours = {new Color(0, 110, 200), new Color(170, 170, 170), new Color(0, 150, 60),
                           new Color(230, 140, 0), new Color(200, 0, 0)};
        for (int i = 0; i < colours.length; i++) {
            renderer.setSeriesPaint(i, colours[i]);
            renderer.setSeriesStroke(i, new BasicStroke(i == 0 ? 1.6f : 1.1f));
        }
        plot.setRenderer(renderer);
        for (Restart restart : restarts) {
            double x = ledger.secondsOf(restart.at()) - from;
            ValueMarker marker = new ValueMarker(x, restart.kill() ? new Color(210, 0, 0) : new Color(120, 120, 120),
                    new BasicStroke(restart.kill() ? 1.8f : 1.0f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                            new float[] {5f, 4f}, 0f));
            marker.setLabel(restart.kill() ? "KILL" : "TERM");
            marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            marker.setLabelPaint(restart.kill() ? new Color(210, 0, 0) : new Color(90, 90, 90));
            plot.addDomainMarker(marker);
        }
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 1600, 600);
    }
}
