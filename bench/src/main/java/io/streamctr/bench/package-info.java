/**
 * {@code streamctr bench}: throughput and memory figures of the job, measured in one JVM
 * (in-process Kafka broker + Flink MiniCluster with RocksDB, checkpoints every 3 s, exactly-once
 * sinks, parallelism 1) after warm-up runs, so that ratios compare like with like.
 *
 * <h2>How each figure is measured</h2>
 *
 * <ul>
 *   <li><b>learner loop</b> ({@link io.streamctr.bench.LearnerLoop}): the data set's events are
 *       enriched in memory with {@code SequenceEnrichment} (the enricher's own logic, checked
 *       against the operator in a test); then, timed with {@code System.nanoTime}, per batch of the
 *       batch size, {@code OnlineLearner.process} (score each event, then learn: for a deep model
 *       the encoder, the batch's scores, the per-event residual part and statistics, one training
 *       step), with a fresh learner built as the learner operator builds it. No prediction records
 *       are built.
 *   <li><b>job</b>: {@code StreamCtrPipeline.build} reading the same events from a Kafka topic
 *       (bounded), from a fresh state. The headline rate is (predictions − the first batch's) /
 *       (last − first {@code Prediction.processingTime}), so it excludes job start, partition
 *       discovery, model init and the final checkpoint. The job's net runtime rate and the final
 *       {@code MetricsReport.eventsPerSecond} (since the metrics operator opened) are printed too.
 *   <li><b>passthrough / enricher</b> ({@link io.streamctr.bench.BenchPipelines}): events ÷ (last −
 *       first output record timestamp), the output topics stamped by the broker ({@code
 *       LogAppendTime}) because the sink would otherwise copy the input records' timestamps; the
 *       net-runtime rates are printed too.
 *   <li><b>resident memory</b>: {@code VmRSS} of {@code /proc/self/status} ({@link
 *       io.streamctr.bench.ResidentMemory}) at the start and end of the command, and during the
 *       soak (one trainer over repeated passes of the raw learner loop) every minute; growth is
 *       from the end of the soak's first pass to its end.
 * </ul>
 *
 * <p>{@code streamctr bench-model} ({@link io.streamctr.bench.ModelBench}) measures models alone:
 * per model and batch size ({@link io.streamctr.bench.TrainingThroughput}), the training step and
 * the learner's encode + predict + train on the same enriched examples, the compute rate from the
 * model's FLOP count ({@code io.streamctr.bench.perf}) beside an fp32 matmul timed in the same run,
 * wall-clock and per CPU-second, and a rough forward / backward / optimizer split ({@link
 * io.streamctr.bench.StepProfile}).
 */
package io.streamctr.bench;
