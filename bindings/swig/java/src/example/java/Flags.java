import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Command-line flags as Go's flag package reads them: -name value, --name value, --name=value. */
final class Flags {
    private final Map<String, List<String>> values = new HashMap<>();

    /** Parses args[from..]; names in `booleans` take no value; anything else not in `known` fails. */
    static Flags parse(String[] args, int from, Set<String> known, Set<String> booleans) {
        Flags flags = new Flags();
        for (int i = from; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("-") || arg.equals("-") || arg.equals("--")) {
                throw new IllegalArgumentException("unexpected argument " + arg);
            }
            String name = arg.replaceFirst("^--?", "");
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (!known.contains(name) && !booleans.contains(name)) {
                throw new IllegalArgumentException("unknown flag -" + name);
            }
            if (value == null) {
                if (booleans.contains(name)) {
                    value = "true";
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new IllegalArgumentException("flag -" + name + " needs a value");
                }
            }
            flags.values.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return flags;
    }

    /** The last value of a flag, or `fallback`. */
    String get(String name, String fallback) {
        List<String> all = values.get(name);
        return all == null ? fallback : all.get(all.size() - 1);
    }

    /** A flag that must be given (non-empty). */
    String required(String name) {
        String value = get(name, "");
        if (value.isEmpty()) throw new IllegalArgumentException("-" + name + " is required");
        return value;
    }

    long getLong(String name, long fallback) {
        String value = get(name, null);
        if (value == null) return fallback;
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-" + name + ": not an integer: " + value);
        }
    }

    boolean isSet(String name) {
        String value = get(name, "false");
        return !value.equals("false") && !value.equals("0");
    }

    /** Every value of a repeatable flag. */
    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }
}
