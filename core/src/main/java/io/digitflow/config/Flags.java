package io.digitflow.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Command-line flags of one command: {@code --name value}, {@code --name=value}, boolean
 * {@code --switch}, and positional arguments. Each command declares the flags it knows so a
 * typo is an error instead of a silently ignored option.
 */
public final class Flags {
    private final Map<String, String> values;
    private final List<String> positional;

    private Flags(Map<String, String> values, List<String> positional) {
        this.values = Collections.unmodifiableMap(values);
        this.positional = List.copyOf(positional);
    }

    /**
     * @param valued   flags that take a value, without the leading dashes
     * @param switches flags that take no value
     */
    public static Flags parse(String[] args, Set<String> valued, Set<String> switches) {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.equals("--")) {
                positional.add(arg);
                continue;
            }
            String name = arg.substring(2);
            String inline = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (switches.contains(name)) {
                if (inline != null) {
                    throw new UsageException("--" + name + " takes no value");
                }
                values.put(name, "true");
            } else if (valued.contains(name)) {
                String value = inline;
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new UsageException("--" + name + " needs a value");
                    }
                    value = args[++i];
                }
                values.put(name, value);
            } else {
                throw new UsageException("unknown option --" + name);
            }
        }
        return new Flags(values, positional);
    }

    public Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public boolean isSet(String name) {
        return values.containsKey(name);
    }

    public int intValue(String name, int defaultValue) {
        String v = values.get(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, got '" + v + "'");
        }
    }

    public List<String> positional() {
        return positional;
    }
}
