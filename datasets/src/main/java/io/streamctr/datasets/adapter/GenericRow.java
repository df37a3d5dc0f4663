package io.streamctr.datasets.adapter;

import java.util.List;

/**
 * One line of a generic data set, its mapped fields asked for by number ({@link
 * GenericMapping#fields()}).
 */
interface GenericRow {

    /** The field's value as text; empty when the value is missing. */
    String text(int field);

    /**
     * A multi-valued field's values: a list as it is, a text split on {@code separator}; empty when
     * missing.
     */
    List<String> values(int field, String separator);
}
