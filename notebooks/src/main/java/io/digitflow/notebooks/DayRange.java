package io.digitflow.notebooks;

import io.digitflow.config.UsageException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * The UTC days of {@code uploaded_at} the analytics notebook looks at: {@code DIGITFLOW_FROM} and
 * {@code DIGITFLOW_TO} (ISO dates, both inclusive), each unbounded when unset.
 */
public record DayRange(Optional<LocalDate> from, Optional<LocalDate> to) {
    public static final String FROM_VARIABLE = "DIGITFLOW_FROM";
    public static final String TO_VARIABLE = "DIGITFLOW_TO";

    public DayRange {
        if (from.isPresent() && to.isPresent() && to.get().isBefore(from.get())) {
            throw new UsageException(TO_VARIABLE + " (" + to.get() + ") is before " + FROM_VARIABLE + " (" + from.get() + ")");
        }
    }

    public static DayRange fromEnvironment(Map<String, String> env) {
        return new DayRange(day(env, FROM_VARIABLE), day(env, TO_VARIABLE));
    }

    private static Optional<LocalDate> day(Map<String, String> env, String variable) {
        String value = env.get(variable);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(value.trim()));
        } catch (DateTimeParseException e) {
            throw new UsageException(variable + ": expected a date like 2026-11-24, got '" + value + "'");
        }
    }

    /**
     * A Spark SQL condition on a timestamp column selecting these days ({@code TRUE} when
     * unbounded). The session time zone must be UTC, as the notebook sets it.
     */
    public String sqlCondition(String timestampColumn) {
        StringBuilder condition = new StringBuilder("TRUE");
        from.ifPresent(d -> condition.append(" AND ").append(timestampColumn).append(" >= TIMESTAMP '").append(d).append(" 00:00:00'"));
        to.ifPresent(d -> condition.append(" AND ").append(timestampColumn).append(" < TIMESTAMP '").append(d.plusDays(1)).append(" 00:00:00'"));
        return condition.toString();
    }

    public String describe() {
        return from.map(LocalDate::toString).orElse("the beginning") + " to " + to.map(LocalDate::toString).orElse("now")
                + " (UTC days of uploaded_at; " + FROM_VARIABLE + ", " + TO_VARIABLE + ")";
    }
}
