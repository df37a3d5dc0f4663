package io.streamctr.model.metrics;

/**
 * A running double sum with Kahan compensation, so that a lifetime of millions of small terms keeps
 * its low-order bits. Both fields are state: restoring them continues the sum bit for bit.
 */
final class CompensatedSum {

    private double sum;
    private double compensation;

    CompensatedSum() {}

    CompensatedSum(double sum, double compensation) {
        this.sum = sum;
        this.compensation = compensation;
    }

    void add(double term) {
        double corrected = term - compensation;
        double next = sum + corrected;
        // what the addition lost, to be subtracted from the next term
        compensation = (next - sum) - corrected;
        sum = next;
    }

    double value() {
        return sum - compensation;
    }

    double sum() {
        return sum;
    }

    double compensation() {
        return compensation;
    }
}
