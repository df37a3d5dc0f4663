/**
 * Data-parallel learners (issue 17), the model side: P replicas of one model's learner each train
 * on their share of the stream and synchronise every K steps by parameter averaging with a sparse
 * exchange. {@link io.streamctr.model.sync.SyncArrays} views a learner's state as arrays with a
 * combine rule each ({@link io.streamctr.model.sync.Combine}); {@link
 * io.streamctr.model.sync.ReplicaSync} cuts a replica's {@link
 * io.streamctr.model.sync.ReplicaDelta} (the rows changed since the last round) and applies a round
 * once all P deltas are in; {@link io.streamctr.model.sync.ReplicaMerge} merges saved replicas on a
 * restore at another P. No Flink here: the transport is the job's (docs/scale-out.md).
 */
package io.streamctr.model.sync;
