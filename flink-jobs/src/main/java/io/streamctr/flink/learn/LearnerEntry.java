package io.streamctr.flink.learn;

import io.streamctr.model.learn.Learners;
import java.io.Serializable;
import java.util.regex.Pattern;

/**
 * One entry of {@code ctr.models}: a learner's name and the registered model it runs. {@code dnn}
 * is the learner {@code dnn} of model dnn; {@code champion=dnn} is a second learner of the same
 * model named {@code champion}, so a frozen champion and a learning challenger of one model run
 * side by side (issue 15, item 5). The name is the learner's identity everywhere: its operator uids
 * ({@code learner-NAME}, {@code metrics-NAME}), the predictions' and metrics' model name, its
 * options ({@code ctr.model.NAME.*}) and its export folder.
 *
 * @param name the learner's name: letters, digits, '.', '_' and '-'
 * @param model the registered model name ({@link Learners})
 */
public record LearnerEntry(String name, String model) implements Serializable {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

    public LearnerEntry {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "learner name '"
                            + name
                            + "' must be letters, digits, '.', '_' or '-' (it is part of operator"
                            + " uids and option keys)");
        }
        Learners.check(model);
    }

    /**
     * {@code MODEL} or {@code NAME=MODEL}; IllegalArgumentException for an unknown model or a bad
     * name.
     */
    public static LearnerEntry parse(String entry) {
        if (entry == null || entry.isBlank()) {
            throw new IllegalArgumentException("a learner entry must be MODEL or NAME=MODEL");
        }
        String text = entry.trim();
        int eq = text.indexOf('=');
        if (eq < 0) {
            return new LearnerEntry(text, text);
        }
        return new LearnerEntry(text.substring(0, eq).trim(), text.substring(eq + 1).trim());
    }

    /**
     * What {@link #parse} reads back: {@code MODEL} when the name is the model's, else NAME=MODEL.
     */
    @Override
    public String toString() {
        return name.equals(model) ? model : name + "=" + model;
    }
}
